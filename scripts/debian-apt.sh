# SPDX-License-Identifier: GPL-2.0
#
# Debian's archive through apt with a sources list, lists and package cache
# of its own, under a cache directory: the system's apt sources are never
# touched. Sourced by the scripts that fetch Debian's packages without
# installing them (kernel.sh, go-toolchain.sh).
#
# debian_apt CACHE ARCH sets $apt_opts, the options every apt-get and
# apt-cache call takes, for bullseye, bookworm, their security updates and
# sid; the lists are refreshed once a day.

debian_apt() {
	apt_dir=$1/apt
	mkdir -p "$apt_dir/sources" "$apt_dir/lists-$2/partial" \
		"$apt_dir/cache/archives/partial"
	printf '%s\n' \
		"Types: deb" \
		"URIs: http://deb.debian.org/debian" \
		"Suites: bullseye bookworm sid" \
		"Components: main" \
		"Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" \
		"" \
		"Types: deb" \
		"URIs: http://deb.debian.org/debian-security" \
		"Suites: bullseye-security bookworm-security" \
		"Components: main" \
		"Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" \
		> "$apt_dir/sources/debian.sources"
	apt_opts="-q -o Dir::Etc::SourceList=/dev/null
		-o Dir::Etc::SourceParts=$apt_dir/sources
		-o Dir::State::Lists=$apt_dir/lists-$2 -o Dir::Cache=$apt_dir/cache
		-o Dir::Etc::Preferences=/dev/null
		-o Dir::Etc::PreferencesParts=/dev/null
		-o APT::Architecture=$2 -o APT::Architectures=$2"

	lists_stamp=$apt_dir/lists-$2/.updated
	if [ -z "$(find "$lists_stamp" -mmin -1440 2>/dev/null)" ]; then
		apt-get $apt_opts update >&2
		touch "$lists_stamp"
	fi
}

# Field $2 of package $1's newest version (or of version $3).
field() {
	apt-cache $apt_opts show "$1${3:+=$3}" 2>/dev/null |
		sed -n "s/^$2: //p" | head -n 1
}

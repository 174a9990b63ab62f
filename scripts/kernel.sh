#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's newest cloud kernel of series $1 (5.10, 6.1, 6.12, 7.2,
# ...; or a full release like 6.12.117+deb12-cloud-amd64) into the cache
# $2 and make it ready to build pinstat against and to boot:
#
#   $cache/kernels/KVER/vmlinuz   the kernel image
#   $cache/kernels/KVER/build     the tree to build modules against
#
# Prints KVER. The packages come from Debian's archive through apt with a
# sources list, lists and package cache of its own, under the cache: the
# system's apt sources are never touched. The newest version of the series
# in bullseye, bookworm, their security updates or sid is taken.
#
# Debian builds each kernel with the gcc of its own suite. Headers of a
# kernel built by an older gcc are used as they are, with the host's newer
# gcc (it accepts every older flag). A kernel built by a newer gcc than the
# host's needs flags the host's gcc lacks: that version's linux-source tree
# is then configured with Debian's config and the host's gcc, and given the
# Module.symvers of Debian's headers.
set -eu
series=$1
cache=$2
wanted=
case $series in
[0-9]*.[0-9]*-*) wanted=$series series=$(echo "$series" | cut -d. -f1,2) ;;
[0-9]*.[0-9]*) ;;
*) echo "kernel.sh: '$series' is not a kernel series like 6.12" >&2; exit 2 ;;
esac

apt_dir=$cache/apt
mkdir -p "$apt_dir/sources" "$apt_dir/lists/partial" \
	"$apt_dir/cache/archives/partial"
cat > "$apt_dir/sources/debian.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: bullseye bookworm sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bullseye-security bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_opts="-q -o Dir::Etc::SourceList=/dev/null
	-o Dir::Etc::SourceParts=$apt_dir/sources
	-o Dir::State::Lists=$apt_dir/lists -o Dir::Cache=$apt_dir/cache
	-o Dir::Etc::Preferences=/dev/null
	-o Dir::Etc::PreferencesParts=/dev/null"

# The lists are refreshed once a day.
lists_stamp=$apt_dir/lists/.updated
if [ -z "$(find "$lists_stamp" -mmin -1440 2>/dev/null)" ]; then
	apt-get $apt_opts update >&2
	touch "$lists_stamp"
fi

# Field $2 of package $1's newest version (or of version $3).
field() {
	apt-cache $apt_opts show "$1${3:+=$3}" 2>/dev/null |
		sed -n "s/^$2: //p" | head -n 1
}

# The dependency of package $1 (version $3) whose name matches $2.
dependency() {
	field "$1" Depends "${3:-}" | tr ',|' '\n\n' |
		sed -n "s/^ *\($2\)\( .*\)\{0,1\}$/\1/p" | head -n 1
}

# The newest version of the series: bookworm names 6.12's metapackage
# after it; the others are versions of the plain cloud metapackage.
version=$(apt-cache $apt_opts madison linux-headers-cloud-amd64 \
	"linux-headers-$series-cloud-amd64" 2>/dev/null |
	awk -F'|' -v s="$series" '{ gsub(/ /, "") }
		index($2, s ".") == 1 { print $1, $2 }' |
	sort -k2 -V | tail -n 1)
[ -n "$version" ] || {
	echo "kernel.sh: Debian has no cloud kernel $series" >&2; exit 1; }
headers=$(dependency ${version% *} 'linux-headers-[^ ]*-cloud-amd64' \
	"${version#* }")
kver=${headers#linux-headers-}
if [ -n "$wanted" ] && [ "$wanted" != "$kver" ]; then
	echo "kernel.sh: Debian's newest $series is $kver, not $wanted" >&2
	exit 1
fi
dir=$cache/kernels/$kver
if [ -e "$dir/.ready" ]; then
	echo "$kver"
	exit 0
fi

echo "kernel.sh: fetching Debian's $kver" >&2
rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/root"
# 7.x moved the image into linux-binary-*; earlier ones have it themselves
image=linux-image-$kver
binary=$(dependency "$image" 'linux-binary-[^ ]*')
packages="$image $binary $headers
	$(dependency "$headers" 'linux-headers-[^ ]*-common')
	$(dependency "$headers" 'linux-kbuild-[^ ]*')"
(cd "$dir/debs" && apt-get $apt_opts download $packages >&2)
for deb in "$dir"/debs/*.deb; do
	dpkg-deb -x "$deb" "$dir/root"
done
rm -rf "$dir/debs"
ln -s "$(find "$dir/root" -name "vmlinuz*" -type f | head -n 1)" \
	"$dir/vmlinuz"

hdr=$dir/root/usr/src/linux-headers-$kver
# Debian's headers name their other half by an absolute path
sed -i "s|/usr/src/|$dir/root/usr/src/|g" "$hdr/Makefile"

kernel_gcc=$(sed -n 's/^CONFIG_GCC_VERSION=\(.*\)/\1/p' "$hdr/.config")
host_gcc=$(gcc -dumpfullversion | awk -F. '{ printf "%d%02d%02d", $1, $2, $3 }')
if [ "$kernel_gcc" -le "$host_gcc" ]; then
	sed -i 's/gcc-[0-9.]*$/gcc/' "$hdr/.kernelvariables"
	ln -s "$hdr" "$dir/build"
else
	echo "kernel.sh: $kver was built by gcc $kernel_gcc; preparing" \
		"its sources for this host's gcc $host_gcc" >&2
	major_minor=$(echo "$kver" | cut -d. -f1,2)
	(cd "$dir" && apt-get $apt_opts download "linux-source-$major_minor" >&2)
	dpkg-deb --fsys-tarfile "$dir"/linux-source-*.deb |
		tar -xO --wildcards '*/linux-source-*.tar.xz' | tar -xJ -C "$dir"
	rm -f "$dir"/linux-source-*.deb
	src=$(ls -d "$dir"/linux-source-*)
	cp "$hdr/.config" "$hdr/Module.symvers" "$src/"
	# KERNELRELEASE is the version plus Debian's local part
	localversion=${kver#"$(make -s -C "$src" kernelversion)"}
	make -s -C "$src" LOCALVERSION="$localversion" olddefconfig >&2
	make -s -C "$src" -j"$(nproc)" LOCALVERSION="$localversion" \
		modules_prepare >&2
	[ "$(cat "$src/include/config/kernel.release")" = "$kver" ] || {
		echo "kernel.sh: prepared $(cat "$src/include/config/kernel.release")," \
			"not $kver" >&2; exit 1; }
	ln -s "$src" "$dir/build"
fi
touch "$dir/.ready"
echo "$kver"

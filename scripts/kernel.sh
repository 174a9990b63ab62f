#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's newest cloud kernel of series $1 (5.10, 6.1, 6.12, 7.2,
# ...; or a full release like 6.12.117+deb12-cloud-amd64; arm64:6.1 for
# Debian's arm64 kernel) into the cache $2 and make it ready to build
# pinstat against and to boot:
#
#   $cache/kernels/KVER/vmlinuz     the kernel image
#   $cache/kernels/KVER/build       the tree to build modules against
#   $cache/kernels/KVER/make-flags  what make needs besides (cross builds)
#   $cache/kernels/KVER/busybox     the guest's busybox (other arches)
#
# Prints KVER. The packages come from Debian's archive through apt with a
# sources list, lists and package cache of its own, under the cache: the
# system's apt sources are never touched. The newest version of the series
# in bullseye, bookworm, their security updates or sid is taken.
#
# Debian builds each kernel with the gcc of its own suite. Headers of a
# kernel built by an older gcc are used as they are, with the host's newer
# gcc (it accepts every older flag). A kernel built by a newer gcc than the
# host's needs flags the host's gcc lacks, and the headers of another
# architecture come with that architecture's kbuild programs: then that
# version's linux-source tree is configured with Debian's config and the
# host's (cross) gcc, and given the Module.symvers of Debian's headers.
set -eu
spec=$1
cache=$2
arch=amd64
case $spec in
arm64:*) arch=arm64 spec=${spec#arm64:} ;;
esac
series=$spec
wanted=
case $series in
[0-9]*.[0-9]*-*) wanted=$series series=$(echo "$series" | cut -d. -f1,2) ;;
[0-9]*.[0-9]*) ;;
*) echo "kernel.sh: '$1' is not a kernel series like 6.12 or arm64:6.1" >&2
   exit 2 ;;
esac

cross=
if [ "$arch" = arm64 ]; then
	cross="ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
	"$(dirname "$0")/deps.sh" gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
		qemu-system-arm > /dev/null
fi

. "$(dirname "$0")/debian-apt.sh"
debian_apt "$cache" "$arch"

# The dependency of package $1 (version $3) whose name matches $2.
dependency() {
	field "$1" Depends "${3:-}" | tr ',|' '\n\n' |
		sed -n "s/^ *\($2\)\( .*\)\{0,1\}$/\1/p" | head -n 1
}

# "package version" of the newest of packages $@ whose version starts with
# $series (bookworm names 6.12's metapackage after it; the others are
# versions of the plain cloud metapackage).
newest() {
	apt-cache $apt_opts madison "$@" 2>/dev/null |
		awk -F'|' -v s="$series" '{ gsub(/ /, "") }
			index($2, s ".") == 1 { print $1, $2 }' |
		sort -k2 -V | tail -n 1
}

version=$(newest "linux-headers-cloud-$arch" \
	"linux-headers-$series-cloud-$arch")
[ -n "$version" ] || {
	echo "kernel.sh: Debian has no $arch cloud kernel $series" >&2; exit 1; }
headers=$(dependency "${version% *}" "linux-headers-[^ ]*-cloud-$arch" \
	"${version#* }")
kver=${headers#linux-headers-}
if [ -n "$wanted" ] && [ "$wanted" != "$kver" ]; then
	echo "kernel.sh: Debian's newest $series is $kver, not $wanted" >&2
	exit 1
fi
dir=$cache/kernels/$kver
ready=$dir/.ready-2	# named after the layout: a new layout refetches
if [ -e "$ready" ]; then
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
# a guest of another architecture needs that architecture's busybox
[ "$arch" = amd64 ] || packages="$packages busybox-static"
(cd "$dir/debs" && apt-get $apt_opts download $packages >&2)
for deb in "$dir"/debs/*.deb; do
	dpkg-deb -x "$deb" "$dir/root"
done
rm -rf "$dir/debs"
ln -s "$(find "$dir/root" -name "vmlinuz*" -type f | head -n 1)" \
	"$dir/vmlinuz"
[ "$arch" = amd64 ] ||
	ln -s "$(find "$dir/root" -path "*bin/busybox" -type f | head -n 1)" \
		"$dir/busybox"
echo "$cross" > "$dir/make-flags"

hdr=$dir/root/usr/src/linux-headers-$kver
# Debian's headers name their other half by an absolute path
sed -i "s|/usr/src/|$dir/root/usr/src/|g" "$hdr/Makefile"

kernel_gcc=$(sed -n 's/^CONFIG_GCC_VERSION=\(.*\)/\1/p' "$hdr/.config")
host_gcc=$(gcc -dumpfullversion | awk -F. '{ printf "%d%02d%02d", $1, $2, $3 }')
if [ "$arch" = amd64 ] && [ "$kernel_gcc" -le "$host_gcc" ]; then
	sed -i 's/gcc-[0-9.]*$/gcc/' "$hdr/.kernelvariables"
	ln -s "$hdr" "$dir/build"
else
	echo "kernel.sh: $kver ($arch, gcc $kernel_gcc): preparing its" \
		"sources for this host's gcc $host_gcc" >&2
	major_minor=$(echo "$kver" | cut -d. -f1,2)
	(cd "$dir" && apt-get $apt_opts download "linux-source-$major_minor" >&2)
	dpkg-deb --fsys-tarfile "$dir"/linux-source-*.deb |
		tar -xO --wildcards '*/linux-source-*.tar.xz' | tar -xJ -C "$dir"
	rm -f "$dir"/linux-source-*.deb
	src=$(ls -d "$dir"/linux-source-*)
	cp "$hdr/.config" "$hdr/Module.symvers" "$src/"
	make -s -C "$src" $cross olddefconfig >&2
	# Debian's release name, not the one the sources would make up
	make -s -C "$src" -j"$(nproc)" $cross KERNELRELEASE="$kver" \
		modules_prepare >&2
	echo "$kver" > "$src/include/config/kernel.release"
	grep -q "\"$kver\"" "$src/include/generated/utsrelease.h" || {
		echo "kernel.sh: the prepared tree is not $kver" >&2; exit 1; }
	ln -s "$src" "$dir/build"
fi
touch "$ready"
echo "$kver"

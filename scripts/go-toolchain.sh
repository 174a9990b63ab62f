#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's Go toolchain of series $1 (1.27, ...; or "newest", the
# highest golang-1.N-go Debian has) into the cache $2, unpacked, not
# installed:
#
#   $cache/go/golang-SERIES_VERSION/usr/lib/go-SERIES  its GOROOT
#
# Prints the path of its go command. The packages (golang-SERIES-go and
# golang-SERIES-src, amd64) come through apt with lists of its own under
# the cache (scripts/debian-apt.sh); the newest version in bullseye,
# bookworm or sid is taken. Used to check that pinstat's reader of Go
# executables (tools/gosym.c) knows the newest Go's tables.
set -eu
series=$1
cache=$2
case $series in
newest | 1.[0-9]*) ;;
*) echo "go-toolchain.sh: '$1' is not a Go series like 1.27 or newest" >&2
   exit 2 ;;
esac

. "$(dirname "$0")/debian-apt.sh"
debian_apt "$cache" amd64

if [ "$series" = newest ]; then
	series=$(apt-cache $apt_opts pkgnames golang-1. 2>/dev/null |
		sed -n 's/^golang-\(1\.[0-9]*\)-go$/\1/p' | sort -V | tail -n 1)
	[ -n "$series" ] || {
		echo "go-toolchain.sh: Debian has no golang-1.N-go" >&2; exit 1; }
fi
version=$(field "golang-$series-go" Version)
[ -n "$version" ] || {
	echo "go-toolchain.sh: Debian has no golang-$series-go" >&2; exit 1; }

# named after Debian's version: a new upload is fetched again
dir=$cache/go/golang-${series}_$(echo "$version" | tr -c 'A-Za-z0-9.+~\n' _)
goroot=$dir/usr/lib/go-$series
if [ ! -e "$dir/.ready" ]; then
	echo "go-toolchain.sh: fetching Debian's Go $version" >&2
	rm -rf "$dir"
	mkdir -p "$dir/debs"
	(cd "$dir/debs" && apt-get $apt_opts download \
		"golang-$series-go=$version" "golang-$series-src=$version" >&2)
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir"
	done
	rm -rf "$dir/debs"
	# the GOROOT's links into /usr/share name it by absolute paths
	find "$goroot" -type l | while read -r link; do
		case $(readlink "$link") in
		/*) ln -sfn "$dir$(readlink "$link")" "$link" ;;
		esac
	done
	[ -x "$goroot/bin/go" ] || {
		echo "go-toolchain.sh: no bin/go in $goroot" >&2; exit 1; }
	touch "$dir/.ready"
fi
echo "$goroot/bin/go"

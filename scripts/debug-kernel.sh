#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug kernel of make check-debug from Debian's
# linux-source-6.1 and scripts/debug-kernel/pinstat.config, cached outside
# the clone by the hash of the config and the source version. Prints the
# build directory: its arch/x86/boot/bzImage boots, and modules build
# against it (make -C DIR M=...).
set -eu
cd "$(dirname "$0")/.."

cache=$(scripts/deps.sh)
tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
config=scripts/debug-kernel/pinstat.config
key=$( (cat "$config"; basename "$tarball"; stat -c %s "$tarball") | sha256sum | cut -c1-16)
out=$cache/debug-kernel/$key
if [ -e "$out/.built" ]; then
	echo "$out"
	exit 0
fi

src=$cache/linux-source-full
if [ ! -e "$src/.unpacked" ]; then
	echo "debug-kernel: unpacking $tarball" >&2
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.unpacked"
fi
echo "debug-kernel: building in $out (once; it is cached)" >&2
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
make -s -C "$src" O="$out" KCONFIG_ALLCONFIG="$PWD/$config" allnoconfig >&2
# every line of the fragment must have made it into the config
missing=$(grep '^CONFIG_' "$config" | while read -r line; do
	grep -qx "$line" "$out/.config" || echo "$line"
done)
if [ -n "$missing" ]; then
	echo "debug-kernel: not in the resulting config:" $missing >&2
	exit 1
fi
make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules >&2
echo "debug-kernel: built in $(( $(date +%s) - start )) s" >&2
touch "$out/.built"
echo "$out"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) a debug kernel of make check-debug from Debian's
# linux-source-6.1: allnoconfig plus scripts/debug-kernel/base.config and
# the flavour's fragment (FLAVOUR.config: kasan or kcsan), cached outside
# the clone by the hash of the config and the source version.
#
#   scripts/debug-kernel.sh FLAVOUR
#
# Prints the build directory: its arch/x86/boot/bzImage boots, and
# modules build against it (make -C DIR M=...).
set -eu
cd "$(dirname "$0")/.."

flavour=$1
fragment=scripts/debug-kernel/$flavour.config
[ -r "$fragment" ] || { echo "debug-kernel: no $fragment" >&2; exit 2; }
cache=$(scripts/deps.sh)
tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
config=$(mktemp)
trap 'rm -f "$config"' EXIT
cat scripts/debug-kernel/base.config "$fragment" > "$config"
# The KCSAN flavour instruments modules only (see kcsan.config)
extra=
[ "$flavour" = kcsan ] && extra=KCSAN_SANITIZE=n
key=$( (cat "$config"; echo "$extra"; basename "$tarball"; stat -c %s "$tarball") |
	sha256sum | cut -c1-16)
out=$cache/debug-kernel/$flavour-$key
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
echo "debug-kernel: building the $flavour kernel in $out (once; it is cached)" >&2
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
make -s -C "$src" O="$out" KCONFIG_ALLCONFIG="$config" allnoconfig >&2
# every line of the fragments must have made it into the config
missing=$(grep '^CONFIG_' "$config" | while read -r line; do
	grep -qx "$line" "$out/.config" || echo "$line"
done)
if [ -n "$missing" ]; then
	echo "debug-kernel: not in the resulting config:" $missing >&2
	exit 1
fi
make -s -C "$src" O="$out" -j"$(nproc)" $extra bzImage modules >&2
echo "debug-kernel: built in $(( $(date +%s) - start )) s" >&2
touch "$out/.built"
echo "$out"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing pinstat needs on Debian 12, and unpack
# into the cache the parts of Debian's linux-source the tests use
# (kselftest harness, checkpatch) and Prometheus's promtool (the real
# parser the CLI's output is checked with; the package itself, a server,
# is not installed). Idempotent: does nothing that is done already.
# Arguments name more packages a task needs (dkms, a cross compiler, ...).
# Prints the cache directory on stdout.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

packages="$* build-essential kmod cpio xz-utils busybox-static qemu-system-x86
	linux-image-cloud-amd64 linux-headers-cloud-amd64 linux-source-6.1 sparse
	golang-go python3 binutils tmux
	flex bison bc libelf-dev libssl-dev clang libclang-rt-14-dev dwarves
	cppcheck clang-format"

# shellcheck disable=SC2086
install_missing $packages

cache=${PINSTAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pinstat}
tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
src=$cache/$(basename "$tarball" | sed 's/\.tar\..*//')
stamp=$src/.unpacked-$(stat -c %Y "$tarball")
if [ ! -e "$stamp" ]; then
	rm -rf "$src"
	mkdir -p "$cache"
	tar -xf "$tarball" -C "$cache" --wildcards \
		'*/tools/testing/selftests/kselftest*' \
		'*/tools/testing/selftests/lib.mk' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	touch "$stamp"
fi
ln -sfn "$src" "$cache/linux-source"

if [ ! -x "$cache/prometheus/usr/bin/promtool" ]; then
	mkdir -p "$cache/prometheus"
	(cd "$cache/prometheus" && apt-get download -q prometheus >&2 &&
	 dpkg-deb -x prometheus_*.deb . && rm -f prometheus_*.deb)
fi
echo "$cache"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build pinstat and the thread-pattern workloads, then show
# pinstat at work: in a QEMU guest booting the Debian cloud kernel, or on
# this host with HOST=1 (root, module support and headers needed).
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

scripts/deps.sh > /dev/null
if [ "${HOST:-0}" = 1 ]; then
	kver=$(uname -r)
	kdir=/lib/modules/$kver/build
else
	kver=$(guest_kver)
	kdir=/usr/src/linux-headers-$kver
fi
build_module "$kdir"
payload=$PWD/build/demo
rm -rf "$payload"
mkdir -p "$payload"
cc -O2 -Wall -static -pthread -o "$payload/patterns" \
	selftests/workloads/patterns.c
cp pinstat.ko selftests/demo.sh "$payload/"

if [ "${HOST:-0}" = 1 ]; then
	exec "$payload/demo.sh"
fi
PINSTAT_VM_LOG=$PWD/build/demo.log PINSTAT_VM_TIMEOUT=300 \
	scripts/vm.sh "$kver" "$payload" ./demo.sh

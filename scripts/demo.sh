#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build pinstat, the CLI and the Go and C workloads, then show
# pinstat finding the seed's thread bugs: in a QEMU guest booting the
# Debian cloud kernel, or on this host with HOST=1 (root, module support
# and headers for the running kernel needed).
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

src=$(scripts/deps.sh)/linux-source
if [ "${HOST:-0}" = 1 ]; then
	host_can_load || { echo "demo: HOST=1 needs root, module support" \
		"and /lib/modules/$(uname -r)/build" >&2; exit 2; }
	kdir=/lib/modules/$(uname -r)/build
else
	kver=$(guest_kver)
	kdir=/usr/src/linux-headers-$kver
fi
build_module "$kdir"
payload=$PWD/build/demo
build_payload "$payload" "$src/tools/testing/selftests"

if [ "${HOST:-0}" = 1 ]; then
	exec sh "$payload/demo.sh"
fi
PINSTAT_VM_LOG=$PWD/build/demo.log PINSTAT_VM_TIMEOUT=600 \
	scripts/vm.sh "$kver" "$payload" sh demo.sh

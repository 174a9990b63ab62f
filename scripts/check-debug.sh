#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the reliability tier. Builds (once, cached) a debug
# kernel with KASAN, UBSAN, lockdep, kmemleak, debug objects and fault
# injection (scripts/debug-kernel.sh), builds pinstat against it, boots it
# with panic_on_warn=1 and runs every suite, the stress and fault tests at
# full size and a kmemleak scan. Ends with "N passed, N failed, N skipped";
# fails on any failure or kernel report.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

start=$(date +%s)
cache=$(scripts/deps.sh)
kdir=$(scripts/debug-kernel.sh)

# built in a copy, so that the tree's own build (for the cloud kernel)
# stays as it is
src=$PWD/build/debug-module
rm -rf "$src"
mkdir -p "$src"
cp -r Kbuild module "$src/"
make -s -C "$kdir" M="$src" W=1 KCFLAGS=-Werror \
	PINSTAT_VERSION="$(git describe --tags --always --dirty 2>/dev/null || echo unknown)" \
	modules

payload=$PWD/build/debug-payload
build_payload "$payload" "$cache/linux-source/tools/testing/selftests"
cp "$src/pinstat.ko" selftests/debug_run.sh "$payload/"

log=$PWD/build/check-debug.log
status=0
echo "check-debug: booting the debug kernel"
# CPUs emulated in turns, see README.md; 2 GiB for KASAN and kmemleak
PINSTAT_VM_LOG=$log PINSTAT_VM_TCG=single PINSTAT_VM_MEM=2048 \
	PINSTAT_VM_TIMEOUT=3000 \
	PINSTAT_VM_APPEND="slab_nomerge kmemleak=on" \
	scripts/vm.sh "$kdir/arch/x86/boot/bzImage" "$payload" sh debug_run.sh ||
	status=$?

tr -d '\r' < "$log" | awk -v status="$status" '
	/^ok [0-9]+ .*# SKIP/ { skipped++; next }
	/^ok [0-9]+ / { passed++ }
	/^not ok [0-9]+ / { failed++ }
	END {
		printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
		exit (failed > 0 || passed == 0 || status != 0)
	}' || status=1
echo "check-debug: $(( $(date +%s) - start )) s"
exit "$status"

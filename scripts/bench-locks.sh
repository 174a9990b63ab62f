#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench-locks: what lock tracing costs (bench/locks.sh), in a guest of
# the Debian cloud kernel booted with -icount and one CPU, so that the
# figures are instruction counts and repeat. Prints the table and writes
# it to bench/results/locks.md.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

scripts/deps.sh > /dev/null
kver=$(guest_kver)
kdir=/usr/src/linux-headers-$kver
build_module "$kdir"
make -s -C "$kdir" M="$PWD/bench/ufloor" modules

payload=$PWD/build/bench-locks
rm -rf "$payload"
mkdir -p "$payload"
cc -O2 -Wall -static -pthread -o "$payload/micro" bench/micro.c
(cd selftests/workloads/golocks &&
	GO111MODULE=off CGO_ENABLED=0 go build -o "$payload/golocks" .)
# where pinstat trace puts its uprobes, for the floor's empty ones
make -s -C tools tests/gosym_tool
{ tools/tests/gosym_tool offset "$payload/golocks" runtime.LockOSThread
  tools/tests/gosym_tool inlined "$payload/golocks" runtime.UnlockOSThread
} | paste -s -d, > "$payload/probe-offsets"
make -s -C tools tests/elfsym_tool
tools/tests/elfsym_tool offset "$payload/micro" pthread_create \
	> "$payload/create-offset"
make -s -C tools clean
make -s -C tools pinstat LDFLAGS=-static
cp tools/pinstat "$payload/"
make -s -C tools clean
cp pinstat.ko bench/ufloor/pinstat_ufloor.ko bench/locks.sh "$payload/"

out=$PWD/build/bench-results
mkdir -p "$out"
echo "bench-locks: instruction-counting guest (one CPU)" >&2
PINSTAT_VM_ICOUNT=1 PINSTAT_VM_MEM=2048 PINSTAT_VM_TIMEOUT=3600 \
	PINSTAT_VM_LOG="$out/locks.log" \
	scripts/vm.sh "$kver" "$payload" sh locks.sh > /dev/null
python3 bench/locks_report.py "$out/locks.log" "$kver" \
	"$(qemu-system-x86_64 --version | head -n 1)" |
	tee bench/results/locks.md

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench: what pinstat costs, measured, next to the floor of empty
# kprobes and to bpftrace. Two guests of the Debian cloud kernel: one with
# -icount (guest time counts instructions: repeatable figures), one CPU,
# configurations taking turns round after round; one with two CPUs for
# memory at 10 000 processes, event rate and contention. A third, with
# -icount, of Debian's 6.12, whose fprobes are one more way to see
# sched_setaffinity()'s answer. Then the CLI on fixtures of 10 000 and
# 40 000 records with /proc (bench/cli.sh),
# on the host. Prints the table and writes it to
# bench/results/latest.md.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

cache=$(scripts/deps.sh bpftrace)	# the peer pinstat is compared with
kver=$(guest_kver)
kdir=/usr/src/linux-headers-$kver
build_module "$kdir"
make -s -C "$kdir" M="$PWD/bench/floor" modules
make -s -C tools pinstat

payload=$PWD/build/bench
rm -rf "$payload"
mkdir -p "$payload/bpftrace/bin" "$payload/bpftrace/lib"
cc -O2 -Wall -static -pthread -o "$payload/micro" bench/micro.c
cp pinstat.ko bench/floor/pinstat_floor.ko bench/guest.sh bench/scale.sh \
	bench/lib.sh "$payload/"
# bpftrace with every library it links, run through their own loader
cp "$(command -v bpftrace)" "$payload/bpftrace/bin/"
ldd "$(command -v bpftrace)" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
	while read -r lib; do cp -L "$lib" "$payload/bpftrace/lib/"; done
mv "$payload"/bpftrace/lib/ld-linux-x86-64.so.2 "$payload/bpftrace/lib/" 2>/dev/null || true

out=$PWD/build/bench-results
mkdir -p "$out"
echo "bench: instruction-counting guest (one CPU); this takes a while" >&2
PINSTAT_VM_ICOUNT=1 PINSTAT_VM_MEM=4096 PINSTAT_VM_TIMEOUT=5400 \
	PINSTAT_VM_LOG="$out/icount.log" \
	scripts/vm.sh "$kver" "$payload" sh guest.sh > /dev/null
echo "bench: two-CPU guest" >&2
PINSTAT_VM_MEM=4096 PINSTAT_VM_TIMEOUT=1800 PINSTAT_VM_LOG="$out/scale.log" \
	PINSTAT_VM_APPEND=slab_nomerge \
	scripts/vm.sh "$kver" "$payload" sh scale.sh > /dev/null

# The affinity mechanisms again on a kernel with fprobes (Debian's 6.12,
# fetched into the cache): the floors and pinstat built for it
kver612=$(scripts/kernel.sh 6.12 "$cache")
k612=$cache/kernels/$kver612
payload612=$PWD/build/bench-6.12
rm -rf "$payload612"
mkdir -p "$payload612/floor" "$payload612/module"
cp -r Kbuild module "$payload612/module/"
cp bench/floor/Kbuild bench/floor/pinstat_floor.c "$payload612/floor/"
make -s -C "$k612/build" M="$payload612/module" \
	PINSTAT_VERSION="$(scripts/version.sh)" modules
make -s -C "$k612/build" M="$payload612/floor" modules
cp "$payload612/module/pinstat.ko" "$payload612/floor/pinstat_floor.ko" \
	"$payload/micro" bench/mechanisms.sh "$payload612/"
echo "bench: instruction-counting guest of $kver612 (one CPU)" >&2
PINSTAT_VM_ICOUNT=1 PINSTAT_VM_TIMEOUT=1800 PINSTAT_VM_LOG="$out/mechanisms.log" \
	scripts/vm.sh "$k612/vmlinuz" "$payload612" sh mechanisms.sh > /dev/null

bench/cli.sh "$out"

python3 bench/report.py "$out" "$kver" \
	"$(qemu-system-x86_64 --version | head -n 1)" |
	tee bench/results/latest.md

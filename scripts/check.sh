#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check: build the module and the selftests, run the selftests in a
# QEMU guest booting the Debian cloud kernel (or on this host with HOST=1),
# and end with one line "N passed, N failed, N skipped". Exits non-zero if
# a test failed, none ran, or the kernel complained.
#
# scripts/check.sh SERIES (make check KVER=SERIES): the module and the
# selftests only, on Debian's newest cloud kernel of that series (5.10,
# 6.12, ..., arm64:6.1), fetched into the cache by scripts/kernel.sh.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

cache=$(scripts/deps.sh)
src=$cache/linux-source
series=${1:-}
arch= make_flags=
if [ -n "$series" ]; then
	kver=$(scripts/kernel.sh "$series" "$cache")
	kdir=$cache/kernels/$kver/build
	image=$cache/kernels/$kver/vmlinuz
	make_flags=$(cat "$cache/kernels/$kver/make-flags")
	case $series in
	arm64:*) arch=arm64
		export PINSTAT_VM_ARCH=arm64
		export PINSTAT_VM_BUSYBOX=$cache/kernels/$kver/busybox ;;
	esac
elif [ "${HOST:-0}" = 1 ]; then
	host_can_load || { echo "check: HOST=1 needs root, module support" \
		"and /lib/modules/$(uname -r)/build" >&2; exit 2; }
	kver=$(uname -r)
	kdir=/lib/modules/$kver/build
else
	kver=$(guest_kver)
	kdir=/usr/src/linux-headers-$kver
	image=$kver
fi

# the newest Go Debian has builds one more workload for locks_test.sh
PINSTAT_GO_NEWER=$(scripts/go-toolchain.sh newest "$cache") ||
	echo "check: no newer Go; locks_test.sh skips its sites" >&2
export PINSTAT_GO_NEWER

mkdir -p build
# what check-matrix may take from this run (below): not a series' run
[ -n "$series" ] || rm -f build/check-guests.stamp build/check-guests.log
host_log=$PWD/build/host-tests.log
status=0
if [ -n "$series" ]; then
	: > "$host_log"	# they do not depend on the kernel
else
	echo "check: the CLI's unit and fixture tests, on this host, as built"
	echo "and again built with ASan and UBSan"
	for sanitize in 0 1; do
		PINSTAT_GO_EXTRA=$PINSTAT_GO_NEWER \
			make -s -C tools test SANITIZE=$sanitize \
			PROMTOOL="$cache/prometheus/usr/bin/promtool" ||
			status=$?
	done > "$host_log" 2>&1
	cat "$host_log"
fi

echo "check: building pinstat.ko for $kver"
build_module "$kdir" $make_flags
echo "check: building selftests"
payload=$PWD/build/payload
build_payload "$payload" "$src/tools/testing/selftests" "$arch"
cat > "$payload/run.sh" <<'EOF'
status=0
for t in pinstat_test pinstat_input_test pinstat_odd_test \
	 pinstat_stress_test pinstat_fault_test; do
	./$t || status=1
done
# the same counts from creation and exit caught on kprobes
PINSTAT_PARAMS="hooks=kprobes" ./pinstat_test || status=1
sh cli_test.sh || status=1
sh locks_test.sh || status=1
sh cgroup_test.sh || status=1
sh abi_test.sh || status=1
exit $status
EOF
# what switches hooks on and off while the hooked code runs elsewhere
cat > "$payload/patching.sh" <<'EOF'
status=0
./pinstat_unload_test || status=1
./pinstat_race_test || status=1
exit $status
EOF

log=$PWD/build/check.log
unload_log=$PWD/build/check-unload.log
timing_log=$PWD/build/check-timing.log
: > "$log"	# a guest that never starts counts nothing
: > "$unload_log"
: > "$timing_log"
if [ "${HOST:-0}" = 1 ]; then
	dmesg_before=$(dmesg | wc -l)
	(cd "$payload" && sh run.sh && sh patching.sh &&
	 sh timing_test.sh) 2>&1 | tee "$log" || status=$?
	if dmesg | tail -n "+$((dmesg_before + 1))" |
	   grep -Eq 'BUG:|WARNING:|Oops|blocked for more than'; then
		echo "check: the kernel reported a problem (see dmesg)" >&2
		status=125
	fi
else
	# slab_nomerge keeps pinstat's slab cache visible, to check for leaks
	echo "check: booting $kver in QEMU (a thread per CPU)"
	PINSTAT_VM_LOG=$log PINSTAT_VM_APPEND=slab_nomerge \
		scripts/vm.sh "$image" "$payload" sh run.sh || status=$?
	# Unloading under churn, and the races that switch the hooks off and
	# on, boot with the CPUs emulated in turns: with a host thread each,
	# QEMU's TCG hangs or crashes the guest when kernel code is patched
	# (a kprobe or tracepoint coming and going) while it runs (README.md).
	# Both emulate their CPUs on one host thread: they run side by side,
	# the first one's console shown when it is done.
	echo "check: booting $kver in QEMU (CPUs taking turns): hooks coming and going under load"
	PINSTAT_VM_LOG=$unload_log PINSTAT_VM_APPEND=slab_nomerge \
		PINSTAT_VM_TCG=single \
		scripts/vm.sh "$image" "$payload" sh patching.sh \
		> "$unload_log.out" 2>&1 &
	unload_pid=$!
	# Minutes of guest time in seconds: a clock that counts instructions
	echo "check: booting $kver in QEMU (instructions as time) for the leak verdicts' timing"
	PINSTAT_VM_LOG=$timing_log PINSTAT_VM_ICOUNT=1 \
		scripts/vm.sh "$image" "$payload" sh timing_test.sh ||
		status=$?
	wait "$unload_pid" || status=$?
	echo "check: the guest where hooks come and go under load:"
	cat "$unload_log.out"
fi

summarize "$status" "$host_log" "$log" "$unload_log" "$timing_log" ||
	exit 1
# check-matrix runs these guests on each kernel: for this one it may take
# these results (version, the image's digest, what the guests counted),
# kept apart from the logs that the matrix's own runs write again
if [ -z "$series" ] && [ "${HOST:-0}" != 1 ]; then
	cat "$log" "$unload_log" "$timing_log" > build/check-guests.log
	{
		echo "$(scripts/version.sh) $(sha256sum < "/boot/vmlinuz-$kver" | cut -d' ' -f1)"
		summarize 0 "$log" "$unload_log" "$timing_log"
	} > build/check-guests.stamp
fi

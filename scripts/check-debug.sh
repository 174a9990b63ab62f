#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the reliability tier. Builds (once, cached) three
# debug kernels (scripts/debug-kernel.sh): KASAN, UBSAN, lockdep,
# kmemleak, debug objects and fault injection in one; KCSAN (data races),
# lockdep and kprobes armed by traps in the next; kobjects released late
# in the last. Builds pinstat against each and boots it with
# panic_on_warn=1: on the first two, every suite (the stress and fault
# tests at full size, a kmemleak scan where there is kmemleak); on the
# last, unloading with watched processes (kobject_test.sh). Ends with "N
# passed, N failed, N skipped"; fails on any failure or kernel report, a
# KCSAN report included.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

start=$(date +%s)
cache=$(scripts/deps.sh)
mkdir -p build
fuzz_log=$PWD/build/check-debug-fuzz.log

# Each guest emulates its CPUs on one host thread, taking turns: they run
# two at a time, one host CPU each. The KASAN kernel's run, the longest by
# far, is split in two guests (debug_run.sh's suites and stress), each
# with its kmemleak scan: its stress (15 minutes) boots beside all the
# rest (the suites, the fuzzing, KCSAN and kobject: 12), its console
# shown when it is done.
prepare() {
	flavour=$1
	kdir=$(scripts/debug-kernel.sh "$flavour")
	# built in a copy, so that the tree's own build (for the cloud
	# kernel) stays as it is
	src=$PWD/build/debug-module-$flavour
	rm -rf "$src"
	mkdir -p "$src"
	cp -r Kbuild module "$src/"
	make -s -C "$kdir" M="$src" W=1 KCFLAGS=-Werror \
		PINSTAT_VERSION="$(scripts/version.sh)" \
		modules

	payload=$PWD/build/debug-payload-$flavour
	build_payload "$payload" "$cache/linux-source/tools/testing/selftests" \
		"" "$src/pinstat.ko"
	cp selftests/debug_run.sh selftests/kobject_test.sh "$payload/"
}

# boot FLAVOUR [PART]: the debug kernel FLAVOUR running its tests (PART of
# them on the KASAN kernel), logged in build/check-debug-FLAVOUR[-PART].log
boot() {
	flavour=$1 part=${2:-}
	kdir=$(scripts/debug-kernel.sh "$flavour")
	run=debug_run.sh
	[ "$flavour" = kobject ] && run=kobject_test.sh
	append="slab_nomerge PINSTAT_FLAVOUR=$flavour ${part:+PINSTAT_PART=$part}"
	[ "$flavour" = kasan ] &&
		append="$append kmemleak=on slub_debug=A,pinstat_record"
	echo "check-debug: booting the $flavour kernel${part:+ ($part)}"
	# CPUs emulated in turns, see README.md; 2 GiB for KASAN and kmemleak
	PINSTAT_VM_LOG=$PWD/build/check-debug-$flavour${part:+-$part}.log \
		PINSTAT_VM_TCG=single PINSTAT_VM_MEM=2048 \
		PINSTAT_VM_TIMEOUT=3000 PINSTAT_VM_APPEND="$append" \
		scripts/vm.sh "$kdir/arch/x86/boot/bzImage" \
		"$PWD/build/debug-payload-$flavour" sh "$run"
}

for flavour in kasan kcsan kobject; do
	prepare "$flavour"
done
status=0
boot kasan stress > build/check-debug-lane.out 2>&1 &
lane=$!

boot kasan suites || status=$?
# The CLI's parser and outputs under libFuzzer (ASan, UBSan), on the host
echo "check-debug: fuzzing the CLI for ${FUZZ_SECONDS:-60} s"
if make -s -C tools fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-60}" \
	> build/fuzz.out 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz.out)
	echo "ok 1 fuzz: $runs inputs, no crash" > "$fuzz_log"
else
	echo "not ok 1 fuzz: see build/fuzz.out" > "$fuzz_log"
	tail -n 40 build/fuzz.out | sed 's/^/# /' >> "$fuzz_log"
fi
cat "$fuzz_log"
boot kcsan || status=$?
boot kobject || status=$?

wait "$lane" || status=$?
cat build/check-debug-lane.out
logs="$fuzz_log"
for run in kasan-suites kasan-stress kcsan kobject; do
	logs="$logs $PWD/build/check-debug-$run.log"
done

# shellcheck disable=SC2086
summarize "$status" $logs || status=1
echo "check-debug: $(( $(date +%s) - start )) s"
exit "$status"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check: build the module and the selftests, run the selftests in a
# QEMU guest booting the Debian cloud kernel (or on this host with HOST=1),
# and end with one line "N passed, N failed, N skipped". Exits non-zero if
# a test failed, none ran, or the kernel complained.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

src=$(scripts/deps.sh)
if [ "${HOST:-0}" = 1 ]; then
	host_can_load || { echo "check: HOST=1 needs root, module support" \
		"and /lib/modules/$(uname -r)/build" >&2; exit 2; }
	kver=$(uname -r)
	kdir=/lib/modules/$kver/build
else
	kver=$(guest_kver)
	kdir=/usr/src/linux-headers-$kver
fi

echo "check: building pinstat.ko for $kver"
build_module "$kdir"
echo "check: building selftests"
payload=$PWD/build/payload
rm -rf "$payload"
mkdir -p "$payload"
make -s -C selftests OUTPUT="$payload" \
	KSFT_DIR="$src/tools/testing/selftests"
cp pinstat.ko "$payload/"

log=$PWD/build/check.log
status=0
if [ "${HOST:-0}" = 1 ]; then
	dmesg_before=$(dmesg | wc -l)
	(cd "$payload" && ./pinstat_test) 2>&1 | tee "$log" || status=$?
	if dmesg | tail -n "+$((dmesg_before + 1))" |
	   grep -Eq 'BUG:|WARNING:|Oops|blocked for more than'; then
		echo "check: the kernel reported a problem (see dmesg)" >&2
		status=125
	fi
else
	echo "check: booting $kver in QEMU"
	# slab_nomerge keeps pinstat's slab cache visible, to check for leaks
	PINSTAT_VM_LOG=$log PINSTAT_VM_APPEND=slab_nomerge \
		scripts/vm.sh "$kver" "$payload" ./pinstat_test || status=$?
fi

tr -d '\r' < "$log" | awk -v status="$status" '
	/^ok [0-9]+ .*# SKIP/ { skipped++; next }
	/^ok [0-9]+ / { passed++ }
	/^not ok [0-9]+ / { failed++ }
	END {
		printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
		exit (failed > 0 || passed == 0 || status != 0)
	}'

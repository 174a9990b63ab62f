#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make lint: the module must be clean under checkpatch --strict, a W=1
# build with warnings as errors, and sparse. Prints what it finds; exits
# non-zero on any finding.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

src=$(scripts/deps.sh)/linux-source
kdir=/usr/src/linux-headers-$(guest_kver)
status=0

echo "lint: checkpatch --strict"
"$src/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	-f module/*.c module/*.h || status=1

echo "lint: W=1 build, warnings as errors"
build_module "$kdir" || status=1

echo "lint: sparse"
out=$(make -s -C "$kdir" M="$PWD" C=2 modules 2>&1 | grep -v '^Skipping BTF' || true)
if [ -n "$out" ]; then
	echo "$out"
	status=1
fi

[ "$status" = 0 ] && echo "lint: clean"
exit "$status"

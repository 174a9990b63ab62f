#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make lint: the module must be clean under checkpatch --strict, a W=1
# build with warnings as errors, and sparse, with every global prefixed
# and no circle among its units; the CLI under cppcheck; every
# file must carry an SPDX license line; module/ and tools/ must be as
# clang-format writes them. Prints what it finds; exits non-zero on any
# finding.
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

# a global of an out-of-tree module shares the kernel's namespace
echo "lint: every global symbol of pinstat.ko starts with pinstat_"
bad=$(nm pinstat.ko | awk '$2 ~ /^[A-TV-Z]$/ { print $3 }' |
	grep -Ev '^(pinstat_|__this_module$|init_module$|cleanup_module$)' || true)
if [ -n "$bad" ]; then
	echo "not prefixed:" $bad
	status=1
fi

echo "lint: no circle of includes in module/"
scripts/layers.sh || status=1

echo "lint: sparse"
out=$(make -s -C "$kdir" M="$PWD" C=2 modules 2>&1 | grep -v '^Skipping BTF' || true)
if [ -n "$out" ]; then
	echo "$out"
	status=1
fi

# .clang-format holds the kernel's style; the few blocks it must leave
# alone say why, next to their "clang-format off"
echo "lint: clang-format on module/ and tools/"
for f in module/*.[ch] tools/*.[ch] tools/tests/*.c; do
	clang-format "$f" | diff -u "$f" - || status=1
done

# variableScope is suppressed: declarations open their function, as in
# the kernel's style, rather than moving into the innermost block.
echo "lint: cppcheck on tools/"
cppcheck --enable=warning,style,performance,portability --std=c11 -q \
	--suppress=variableScope --error-exitcode=1 \
	--template='{file}:{line}: {severity}: {id}: {message}' tools ||
	status=1

# Files that cannot carry the line: the ABI file's format has no comments
# (the kernel's own carry none), and the fuzzer's seeds are exact inputs.
# Of debian/: the changelog must open with its entry and source/format is
# one line, neither with comments; the copyright file is the license
# statement itself, in a format (DEP-5) that has no comments.
echo "lint: an SPDX-License-Identifier in every file"
for f in $(git ls-files 2>/dev/null); do
	case $f in
	Documentation/ABI/*|tools/tests/corpus/*|LICENSE) continue ;;
	debian/changelog|debian/source/format|debian/copyright) continue ;;
	esac
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0' || {
		echo "$f: no SPDX-License-Identifier line"
		status=1
	}
done

[ "$status" = 0 ] && echo "lint: clean"
exit "$status"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module's units (x.c with its x.h) and which units each includes,
# as "unit -> unit" lines; fails if they form a circle. main.c may name
# every unit; nothing else may name main.c. With -v, the graph in layers:
# each unit after everything it includes.
set -eu
cd "$(dirname "$0")/../module"

edges=$(for f in *.c *.h; do
	unit=${f%.*}
	sed -n 's/^#include "\([a-z_]*\)\.h"/\1/p' "$f" | while read -r dep; do
		[ "$dep" = "$unit" ] || echo "$unit $dep"
	done
done | sort -u)

# tsort wants "before after": a unit comes after the units it includes
order=$(echo "$edges" | awk '{ print $2, $1 }' | tsort 2>&1) || true
if echo "$order" | grep -q 'tsort:'; then
	echo "module/: the units include each other in a circle:" >&2
	echo "$order" | grep 'tsort:' >&2
	exit 1
fi
if [ "${1:-}" = -v ]; then
	for unit in $order; do
		deps=$(echo "$edges" | awk -v u="$unit" '$1 == u { print $2 }' |
			tr '\n' ' ')
		echo "$unit -> ${deps:-(nothing)}"
	done
fi

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# elfsym.c and mapsym.c (through tests/elfsym_tool) against binutils, on a
# C program built here with frame pointers, dynamically linked and static:
# the call to pthread_create symbolizes, from its return address (found by
# objdump), as the function nm gives plus the offset; pthread_create is
# found in a live process at the address its maps and nm of the file
# mapped there give (libc's, or the static executable's own); "pinstat
# trace" writes that address for it, and says none is found in a program
# without threads. Then errors, and changed copies of the files that must
# give errors, not crashes (SANITIZE=1 makes sure).
#
# Needs cc, nm, objdump and readelf: without them every check prints SKIP.
# Output is TAP.
set -u
cd "$(dirname "$0")/.."
tool=$PWD/tests/elfsym_tool
pinstat=$PWD/pinstat
work=$(mktemp -d)
pids=
trap 'for p in $pids; do kill "$p" 2> /dev/null; done; rm -rf "$work"' EXIT
. tests/tap.sh
. tests/elf.sh

cat > "$work/nothreads.c" << 'EOF2'
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1)
		fclose(fopen(argv[1], "w"));
	pause();
	return 0;
}
EOF2

if ! command -v cc > /dev/null || ! command -v nm > /dev/null ||
	! command -v objdump > /dev/null || ! command -v readelf > /dev/null; then
	skip "elfsym" "cc, nm, objdump or readelf missing"
	finish
fi
cflags="-O1 -g0 -fno-omit-frame-pointer -fno-inline"
cc $cflags -o "$work/threads" tests/threads.c -lpthread
ok $? "a C program builds"
static=yes
cc $cflags -static -o "$work/threads-static" tests/threads.c -lpthread &&
	cc $cflags -static -o "$work/nothreads" "$work/nothreads.c" || static=

# Naming the calls: pthread_create's in worker_pool_grow, and main's call
# of worker_pool_grow.
exe=$work/threads
for call in "worker_pool_grow pthread_create" "main worker_pool_grow"; do
	set -- $call
	ret=$(return_after "$exe" "$1" "$2")
	start=$(symbol "$exe" "$1")
	if [ -z "$ret" ] || [ -z "$start" ]; then
		ok 1 "objdump finds $1's call of $2"
		continue
	fi
	want="$1+$(hex $((ret - start)))"
	got=$("$tool" sym "$exe" "$(file_offset "$exe" "$ret")")
	[ "$got" = "$want" ]
	ok $? "the call of $2 in $1 is named $want (got $got)"
done
got=$("$tool" offset "$exe" worker_pool_grow)
[ "$got" = "$(file_offset "$exe" "$(symbol "$exe" worker_pool_grow)")" ]
ok $? "worker_pool_grow's file offset is nm's address in the file ($got)"

# wait_ready FILE: the program started wrote FILE (5 s at most)
wait_ready() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ]
}

# expected_address PID FILE: where FILE's pthread_create is in PID, from
# its maps and nm of FILE (its .dynsym for a library)
expected_address() {
	sym=$(symbol "$2" pthread_create 2> /dev/null)
	[ -n "$sym" ] || sym=$(symbol "$2" pthread_create -D)
	off=$(file_offset "$2" "$sym")
	awk -v p="$2" '$2 ~ /x/ && $6 == p { print $1, $3 }' "/proc/$1/maps" |
		while read -r range moff; do
			start=0x${range%-*} end=0x${range#*-}
			if [ $((off)) -ge $((0x$moff)) ] &&
				[ $((off - 0x$moff)) -lt $((end - start)) ]; then
				hex $((start + off - 0x$moff))
				break
			fi
		done
}

# A fixture root whose proc is the host's: "pinstat trace" writes the
# request into a file in place of the module's control file.
root=$work/root
mkdir -p "$root/sys/kernel/pinstat"
echo 0.1.0-test > "$root/sys/kernel/pinstat/version"
ln -s /proc "$root/proc"

# live NAME EXE: find pthread_create in a live process of EXE, sleeping
live() {
	rm -f "$work/ready"
	"$2" sleep "$work/ready" &
	pid=$!
	pids="$pids $pid"
	if ! wait_ready "$work/ready"; then
		ok 1 "$1: the program runs"
		return
	fi
	out=$("$tool" find "$pid" pthread_create)
	got=${out%%
*}
	file=${out#*
}
	want=$(expected_address "$pid" "$file")
	[ -n "$want" ] && [ "$got" = "$want" ]
	ok $? "$1: pthread_create at $got in $file, as maps and nm say ($want)"
	case $1 in
	dynamic) case $file in */libc.so.*) true ;; *) false ;; esac ;;
	static) [ "$file" = "$2" ] ;;
	esac
	ok $? "$1: found in the file that defines it ($file)"
	: > "$root/sys/kernel/pinstat/trace"
	"$pinstat" --root "$root" trace "$pid" 2> "$work/err"
	ok $? "$1: pinstat trace of a C program"
	[ "$(cat "$root/sys/kernel/pinstat/trace")" = "$pid create $got" ]
	ok $? "$1: it writes \"$pid create $got\" ($(cat "$root/sys/kernel/pinstat/trace"))"
	kill "$pid"
}
live dynamic "$work/threads"
if [ -n "$static" ]; then
	live static "$work/threads-static"
	rm -f "$work/ready"
	"$work/nothreads" "$work/ready" &
	pid=$!
	pids="$pids $pid"
	wait_ready "$work/ready"
	: > "$root/sys/kernel/pinstat/trace"
	"$pinstat" --root "$root" trace "$pid" 2> "$work/err"
	[ $? = 2 ] && grep -q "process $pid calls no pthread_create: none in its executable or libraries" "$work/err"
	ok $? "a static program without threads: no pthread_create, said ($(cat "$work/err"))"
	[ ! -s "$root/sys/kernel/pinstat/trace" ]
	ok $? "... and nothing written"
	kill "$pid"
else
	skip "static builds" "no static libc (cc -static fails)"
fi

# Errors: exit 10 + the error's number.
"$tool" offset "$work/missing" main 2> /dev/null
[ $? = 11 ]
ok $? "a missing file cannot be read"
"$tool" offset tests/threads.c main 2> /dev/null
[ $? = 12 ]
ok $? "a C source is not an ELF file"
if [ -n "$static" ]; then
	strip -s -o "$work/stripped" "$work/threads-static"
	"$tool" offset "$work/stripped" main 2> /dev/null
	[ $? = 13 ]
	ok $? "a stripped static executable has no symbol table"
fi
"$tool" offset "$exe" no_such_function 2> /dev/null
[ $? = 14 ]
ok $? "a function the program lacks is not found"
"$tool" sym "$exe" 0x1 2> /dev/null
[ $? = 14 ]
ok $? "an offset out of the code is in no function"
"$tool" find 999999999 pthread_create 2> /dev/null
[ $? = 11 ]
ok $? "no such process: its maps cannot be read"

# Changed copies: errors, never a crash.
libc=$(awk '$2 ~ /x/ && $6 ~ /libc\.so/ { print $6; exit }' /proc/self/maps)
for f in "$exe" ${static:+"$work/threads-static"} ${libc:+"$libc"}; do
	"$tool" mutate "$f" 300 > /dev/null
	ok $? "300 changed copies of $(basename "$f") read without a crash"
done

sanitized "elfsym"
finish

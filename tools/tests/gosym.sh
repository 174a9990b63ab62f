#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# gosym.c (through tests/gosym_tool) against Go's own tools, on a Go
# program built here for amd64 and arm64, as is and stripped (-s -w: no
# .symtab, no DWARF): runtime.LockOSThread's offset from .symtab is its
# "go tool nm" address and the one the stripped build's pclntab gives; each
# call site found by "go tool objdump" symbolizes, from its return address,
# as "go tool addr2line" does the call (pc - 1), the address gosym gives for
# that command, and on the line marked in the source, in both builds. Then
# errors, and mutated copies of a build that must give errors, not crashes
# (SANITIZE=1 makes sure).
#
# Go is $GO, else go on PATH; without it every check prints SKIP.
# PINSTAT_GO_EXTRA names another go command to check the builds of too
# (scripts/go-toolchain.sh fetches Debian's newest); SKIP without it.
# Output is TAP.
set -u
cd "$(dirname "$0")/.."
tool=$PWD/tests/gosym_tool
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/tap.sh

mkdir "$work/src"
cat > "$work/src/main.go" << 'EOF'
package main

import (
	"os"
	"runtime"
)

//go:noinline
func first() {
	runtime.LockOSThread() // pinstat-site
	defer runtime.UnlockOSThread()
	os.Stdout.WriteString("first\n")
}

// pin is small enough to be inlined into main.
func pin() {
	runtime.LockOSThread() // pinstat-site pinstat-in-pin
}

//go:noinline
func second(n int) int {
	if n > 0 {
		runtime.LockOSThread() // pinstat-site
		defer runtime.UnlockOSThread()
	}
	return n * 2
}

// unpin is inlined into main, and runtime.UnlockOSThread into it.
func unpin() {
	runtime.UnlockOSThread() // pinstat-inlined
}

//go:noinline
func twice() {
	runtime.LockOSThread() // pinstat-site
	runtime.UnlockOSThread() // pinstat-inlined
	runtime.LockOSThread() // pinstat-site
	runtime.UnlockOSThread() // pinstat-inlined
}

func main() {
	first()
	pin()
	runtime.UnlockOSThread() // pinstat-inlined
	twice()
	unpin()
	println(second(len(os.Args)))
}
EOF
copies=$(grep -c 'pinstat-inlined' "$work/src/main.go")
in_pin=$(grep -n 'pinstat-in-pin' "$work/src/main.go" | cut -d: -f1)

# A Go program printing where DWARF says each inlined copy of a function
# starts: the lowest address of each DW_TAG_inlined_subroutine of it (Go
# 1.2x's DWARF 5 range lists take their base address from .debug_addr,
# which binutils 2.40's objdump does not follow).
mkdir "$work/dwarf"
cat > "$work/dwarf/main.go" << 'EOF'
package main

import (
	"debug/dwarf"
	"debug/elf"
	"fmt"
	"os"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	f, err := elf.Open(os.Args[1])
	if err != nil {
		fail(err)
	}
	d, err := f.DWARF()
	if err != nil {
		fail(err)
	}
	names := map[dwarf.Offset]string{}
	var inlined []*dwarf.Entry
	for r := d.Reader(); ; {
		e, err := r.Next()
		if err != nil {
			fail(err)
		}
		if e == nil {
			break
		}
		if name, ok := e.Val(dwarf.AttrName).(string); ok &&
			e.Tag == dwarf.TagSubprogram {
			names[e.Offset] = name
		} else if e.Tag == dwarf.TagInlinedSubroutine {
			inlined = append(inlined, e)
		}
	}
	for _, e := range inlined {
		origin, _ := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
		if names[origin] != os.Args[2] {
			continue
		}
		ranges, err := d.Ranges(e)
		if err != nil || len(ranges) == 0 {
			fail(fmt.Errorf("no ranges at %v: %v", e.Offset, err))
		}
		low := ranges[0][0]
		for _, r := range ranges {
			if r[0] < low {
				low = r[0]
			}
		}
		fmt.Printf("0x%x\n", low)
	}
}
EOF
marked=$(grep -n 'pinstat-site' "$work/src/main.go" | cut -d: -f1 | sort -n |
	tr '\n' ' ')

# file_off FILE ADDRESS: the file offset of an address of FILE's code
file_off() {
	readelf -lW "$1" | awk '$1 == "LOAD" && / E 0x[0-9a-f]+$/ {
		print $2, $3, $5 }' | while read -r off vaddr size; do
		if [ $(($2)) -ge $((vaddr)) ] &&
			[ $(($2)) -lt $((vaddr + size)) ]; then
			printf '0x%x\n' $(($2 - vaddr + off))
		fi
	done
}

# build GO ARCH OUT [FLAGS...]
build() {
	go=$1 arch=$2 out=$3
	shift 3
	(cd "$work/src" && GOARCH=$arch CGO_ENABLED=0 GOTOOLCHAIN=local \
		"$go" build "$@" -o "$out" main.go) 2> "$work/err"
}

# The return addresses of main's calls to runtime.LockOSThread: the
# instruction after each.
returns() {
	"$1" tool objdump -s '^main\.' "$2" | awk '
		call { print $2; call = 0 }
		/CALL runtime\.LockOSThread\(SB\)/ { call = 1 }'
}

# sites GO LABEL FULL STRIPPED: each call site symbolized as addr2line does
sites() {
	go=$1 what=$2 full=$3 stripped=$4
	lines=
	for ret in $(returns "$go" "$full"); do
		off=$(file_off "$full" "$ret")
		want=$(printf '0x%x\n' $((ret - 1)) | "$go" tool addr2line "$full")
		"$tool" sym "$full" "$off" > "$work/sym"
		got=$(grep -v '^inlined ' "$work/sym")
		got_stripped=$("$tool" sym "$stripped" "$off")
		[ -n "$want" ] && [ "$got" = "$want" ] &&
			[ "$got_stripped" = "$(cat "$work/sym")" ]
		ok $? "$what: the call returning to $off is $(echo $got)" \
			"as addr2line says, stripped too"
		# addr2line names the function the code was compiled into
		if [ "${got##*:}" = "$in_pin" ]; then
			grep -qx 'inlined main.pin' "$work/sym"
			ok $? "$what: the call in pin, inlined into main, is pin's"
		else
			! grep -q '^inlined ' "$work/sym"
			ok $? "$what: the call at line ${got##*:} is not inlined"
		fi
		[ "$("$tool" addr "$stripped" "$off")" = \
			"$(printf '0x%x' $((ret - 1)))" ]
		ok $? "$what: its address for addr2line is $(printf '0x%x' $((ret - 1)))"
		[ "$got" = "$want" ] || echo "# addr2line: $(echo $want)"
		lines="$lines${got##*:} "
	done
	lines=$(echo "$lines" | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')
	[ "$lines" = "$marked" ]
	ok $? "$what: calls on the marked lines $marked(found $(echo $lines))"
}

# inlined GO LABEL FULL STRIPPED: where runtime.UnlockOSThread's code starts
inlined() {
	go=$1 what=$2 full=$3 stripped=$4 name=runtime.UnlockOSThread
	got=$("$tool" inlined "$full" $name | sort)
	entry=$("$go" tool nm "$full" | awk -v name=$name '$3 == name {
		print "0x" $1 }')
	(cd "$work/dwarf" && GOTOOLCHAIN=local "$go" run main.go "$full" \
		$name) > "$work/dwarf.out" 2> "$work/err"
	ok $? "$what: debug/dwarf reads the inlined copies of $name"
	sed 's/^/# /' "$work/err"
	want=$(for addr in $entry $(cat "$work/dwarf.out"); do
		file_off "$full" "$addr"
	done | sort)
	found=$(wc -l < "$work/dwarf.out")
	[ -n "$got" ] && [ "$got" = "$want" ] && [ "$found" -ge "$copies" ]
	ok $? "$what: $name's entry ${entry:-(none)} and its $found inlined copies (DWARF's; $copies in main.go) are where the tool says"
	[ "$got" = "$want" ] || echo "# got" $got "want" $want
	[ "$("$tool" inlined "$stripped" $name | sort)" = "$got" ]
	ok $? "$what: the stripped build's inline trees say so too"
	starts=$(echo $(cat "$work/dwarf.out"))
	"$go" tool objdump "$full" | awk -v starts="$starts" '
		BEGIN { n = split(starts, s, " "); for (i = 1; i <= n; i++)
			want[s[i]] = 1 }
		$2 in want { delete want[$2]; if ($1 !~ /^proc\.go:/) bad = 1 }
		END { for (a in want) bad = 1; exit bad }'
	ok $? "$what: each copy starts with an instruction of proc.go"
}

# check GO LABEL ARCH: the checks on the builds of one Go for one arch
check() {
	go=$1 what="$2 $3"
	full=$work/$2-$3 stripped=$work/$2-$3-stripped
	build "$go" "$3" "$full" && build "$go" "$3" "$stripped" -ldflags=-s\ -w
	ok $? "$what: builds"
	[ -e "$stripped" ] || { sed 's/^/# /' "$work/err"; return; }
	! readelf -SW "$stripped" | grep -q -e '\.symtab' -e '\.debug_'
	ok $? "$what: the stripped build has neither .symtab nor DWARF"

	addr=$("$go" tool nm "$full" | awk '$3 == "runtime.LockOSThread" {
		print "0x" $1 }')
	off=$("$tool" offset "$full" runtime.LockOSThread)
	[ -n "$addr" ] && [ "$off" = "$(file_off "$full" "$addr")" ]
	ok $? "$what: runtime.LockOSThread at $off (.symtab), nm's $addr"
	[ "$("$tool" offset "$stripped" runtime.LockOSThread)" = "$off" ]
	ok $? "$what: the stripped build's pclntab says $off too"
	"$tool" entry "$full" "$off" && "$tool" entry "$stripped" "$off"
	ok $? "$what: $off is a function's entry"
	"$tool" entry "$stripped" $((off + 4)) 2> /dev/null
	[ $? = 15 ]
	ok $? "$what: 4 bytes further is not"
	[ "$("$tool" sym "$stripped" $((off + 1)) | head -n 1)" = \
		runtime.LockOSThread ]
	ok $? "$what: $off is in runtime.LockOSThread"

	sites "$go" "$what" "$full" "$stripped"
	inlined "$go" "$what" "$full" "$stripped"

	id=$("$tool" buildid "$full")
	[ -n "$id" ] && [ "$id" = "$("$go" tool buildid "$full")" ] &&
		[ -n "$("$tool" buildid "$stripped")" ]
	ok $? "$what: the build id is go tool buildid's ($id)"
}

# errors GO: what a file that is not a Go executable gets
errors() {
	full=$work/go-amd64
	"$tool" offset "$work/nonexistent" main.main 2> /dev/null
	[ $? = 11 ]
	ok $? "a missing file cannot be read"
	"$tool" offset "$work/src/main.go" main.main 2> /dev/null
	[ $? = 12 ]
	ok $? "a Go source is not an ELF executable"
	"$tool" offset "$tool" runtime.LockOSThread 2> /dev/null
	[ $? = 13 ]
	ok $? "a C program is not a Go executable"
	"$tool" offset "$full" main.nosuch 2> /dev/null
	[ $? = 14 ]
	ok $? "a function the program lacks is not found"
	"$tool" sym "$full" "$(stat -c %s "$full")" 2> /dev/null
	[ $? = 14 ]
	ok $? "an offset out of the code is in no function"
}

# mutants FILE RUNS [SECTION]: changed copies of FILE give errors, not
# crashes; bytes are changed in SECTION (default .gopclntab) and the first
# page
mutants() {
	table=$(readelf -SW "$1" | sed -n \
		"s/.* \\${3:-.gopclntab} *PROGBITS *[0-9a-f]* \([0-9a-f]*\) \([0-9a-f]*\) .*/0x\1 0x\2/p")
	[ -n "$table" ] &&
		"$tool" mutate "$1" "$2" $table > /dev/null 2> "$work/err"
	ok $? "$2 changed copies of $(basename "$1") (${3:-.gopclntab}) read without a crash"
	sed 's/^/# /' "$work/err" | head -n 20
}

go=${GO:-go}
if ! command -v "$go" > /dev/null; then
	skip "gosym against Go's tools" "no go"
	finish
fi
for arch in amd64 arm64; do
	check "$go" go "$arch"
done
errors
mutants "$work/go-amd64-stripped" 300
mutants "$work/go-arm64" 100
# the inline trees (Go 1.19 keeps them in .rodata) and the moduledata
mutants "$work/go-amd64-stripped" 100 .rodata
mutants "$work/go-arm64-stripped" 100 .noptrdata

if [ -n "${PINSTAT_GO_EXTRA:-}" ]; then
	version=$("$PINSTAT_GO_EXTRA" env GOVERSION)
	for arch in amd64 arm64; do
		check "$PINSTAT_GO_EXTRA" "$version" "$arch"
	done
	mutants "$work/$version-amd64-stripped" 100
	mutants "$work/$version-arm64-stripped" 100 .go.module
else
	skip "gosym on the builds of another Go" \
		"PINSTAT_GO_EXTRA names no go (scripts/go-toolchain.sh)"
fi
sanitized "gosym_tool"
finish

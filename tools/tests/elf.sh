# SPDX-License-Identifier: GPL-2.0
#
# What binutils says of an ELF file, for the test scripts (sourced): the
# places elfsym.c must find, computed another way.

# hex N: N (a number the shell reads) as 0x...
hex() {
	printf '0x%x\n' "$1"
}

# file_offset FILE VADDR: the offset in FILE of an address of its code
file_offset() {
	readelf -lW "$1" | while read -r type off va pa fsz msz flags; do
		[ "$type" = LOAD ] || continue
		case $flags in *E*) ;; *) continue ;; esac
		if [ $(($2)) -ge $((va)) ] && [ $(($2)) -lt $((va + fsz)) ]; then
			hex $(($2 - va + off))
			break
		fi
	done
}

# symbol FILE NAME [-D]: the value of defined function NAME, from nm
symbol() {
	nm ${3:-} --defined-only "$1" |
		awk -v n="$2" '($2 == "T" || $2 == "t" || $2 == "W" || $2 == "i") &&
			($3 == n || index($3, n "@") == 1) { print "0x" $1; exit }'
}

# return_after FILE FUNC CALLEE: the address after FUNC's call of CALLEE
return_after() {
	objdump -d --no-show-raw-insn "$1" | awk -v f="<$2>:" -v c="<$3" '
		index($0, f) { in_f = 1; next }
		in_f && /^$/ { exit }
		in_f && found { sub(":", "", $1); print "0x" $1; exit }
		in_f && (/call/ || /\tbl\t/) && index($0, c) { found = 1 }'
}

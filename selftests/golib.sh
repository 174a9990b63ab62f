# SPDX-License-Identifier: GPL-2.0
#
# Tracing Go processes from the selftests' shell scripts: source it from a
# directory with pinstat in it.

# uprobes_here: can this kernel trace locks (CONFIG_UPROBES)?
uprobes_here() {
	grep -q ' uprobe_register$' /proc/kallsyms
}

# runs_go PID: the Go runtime of PID handles SIGURG (23) now, as the
# module checks before it traces (it refuses a process before that)
runs_go() {
	caught=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2> /dev/null)
	[ $(((0x${caught:-0} >> 22) & 1)) = 1 ]
}

# go_ready PID: wait until the Go runtime of PID is up; a slow guest (a
# debug kernel with its CPUs busy) may take seconds to start it. Fails
# after two minutes.
go_ready() {
	tries=0
	until runs_go "$1"; do
		tries=$((tries + 1))
		[ $tries -lt 1200 ] || return 1
		sleep 0.1
	done
}

# trace PID: pinstat trace, once the Go runtime of PID is up
trace() {
	go_ready "$1"
	./pinstat trace "$1"
}

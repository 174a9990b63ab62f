# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the make bench guests (guest.sh, scale.sh).

# Start $1 processes that sleep for good: a table of that many processes.
# Each has two threads: pinstat gives a process its record with its second.
sleepers() {
	./micro sleepers "$1"
}

# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the make bench guests (guest.sh, scale.sh).

# Start $1 processes that sleep for good: a table of that many processes.
sleepers() {
	i=0
	while [ $i -lt "$1" ]; do
		sleep 100000 &
		i=$((i + 1))
	done
}

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The sysfs ABI document against the module itself: every file the module
# makes under /sys/kernel/pinstat is documented, and every file the
# document names exists. Run as root with pinstat.ko and
# sysfs-kernel-pinstat next to this script. Output: TAP.
set -u
cd "$(dirname "$0")"
echo "TAP version 13"
echo "1..2"
grep -q '^pinstat ' /proc/modules && rmmod pinstat
insmod ./pinstat.ko || { echo "Bail out! cannot load pinstat.ko"; exit 1; }
# a watched process shows the files of procs/<pid>/
echo $$ > /sys/kernel/pinstat/watch

sed -n 's/^What:[[:space:]]*//p' sysfs-kernel-pinstat | grep -v '/$' \
	> /tmp/abi.documented
find /sys/kernel/pinstat -type f | sed "s|/procs/$$/|/procs/<pid>/|" \
	> /tmp/abi.present

status=0
report() {
	if [ -s "$2" ]; then
		sed 's/^/# /' "$2"
		echo "not ok $1"
		status=1
	else
		echo "ok $1"
	fi
}
[ -s /tmp/abi.present ] && [ -s /tmp/abi.documented ] ||
	{ echo "Bail out! no files found, or none documented"; exit 1; }
grep -vxFf /tmp/abi.documented /tmp/abi.present > /tmp/abi.undocumented
report "1 abi.every_file_is_documented" /tmp/abi.undocumented
grep -vxFf /tmp/abi.present /tmp/abi.documented > /tmp/abi.missing
report "2 abi.every_documented_file_exists" /tmp/abi.missing

rmmod pinstat
exit "$status"

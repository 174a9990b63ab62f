#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel build tree to build pinstat against: the one of kernel
# version $1 if installed, else the newest Debian cloud kernel headers
# (saying so on stderr). The QEMU test bed boots that cloud kernel.
kver=$1
if [ -n "$kver" ] && [ -d "/lib/modules/$kver/build" ]; then
	echo "/lib/modules/$kver/build"
	exit 0
fi
cloud=$(ls -d /usr/src/linux-headers-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1)
if [ -n "$cloud" ]; then
	echo "pinstat: no build tree for kernel $kver; using $cloud" >&2
	echo "$cloud"
	exit 0
fi
echo "pinstat: no kernel build tree found; install linux-headers-$kver" \
	"or run 'make check', which installs the Debian cloud kernel" >&2
echo /nonexistent

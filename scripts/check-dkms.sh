#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check-dkms: what a packager does, done for real and undone.
#  1. DKMS: `make dkms-install` (dkms add, build, install) for an installed
#     Debian kernel that is not the running one, checks of the module DKMS
#     built and installed, then `make dkms-uninstall` and checks that
#     nothing is left.
#  2. A PREEMPT_RT kernel: DKMS leaves it out, builds nothing.
#  3. `make install` and `make uninstall` into a DESTDIR with a PREFIX:
#     the module, the CLI, its man page and completion, then nothing left
#     (with a DESTDIR, depmod is left to the package's install).
# Ends with "N passed, N failed, N skipped"; exits non-zero on a failure.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh
scripts/deps.sh dkms > /dev/null

n=0 failed=0 skipped=0
version=$(make -s version)
kver=$(guest_kver)
moddir=/lib/modules/$kver/updates/dkms

# The kernel whose headers DKMS builds against must not be the running
# one: that is what DKMS does when a new kernel is installed.
echo "check-dkms: DKMS round trip of pinstat $version for $kver"
if [ "$kver" = "$(uname -r)" ]; then
	echo "ok 1 # SKIP the only Debian kernel with headers here is the running one"
	n=1 skipped=1
elif dkms status -m pinstat | grep -q .; then
	echo "check-dkms: pinstat is already registered with DKMS; leaving it alone" >&2
	exit 2
else
	check "make dkms-install (add, build, install) for $kver" \
		make -s dkms-install KVER="$kver"
	check "dkms status says installed" \
		sh -c "dkms status -m pinstat -v '$version' -k '$kver' | grep -q ': installed'"
	check "the module is in $moddir" test -f "$moddir/pinstat.ko"
	check "built for $kver" sh -c \
		"modinfo -F vermagic '$moddir/pinstat.ko' | grep -q '^$kver '"
	check "its version is $version" sh -c \
		"[ \"\$(modinfo -F version '$moddir/pinstat.ko')\" = '$version' ]"
	check "depmod knows it" grep -q '^updates/dkms/pinstat.ko:' \
		"/lib/modules/$kver/modules.dep"
	check "modprobe would find it" modprobe -S "$kver" --show-depends pinstat
	check "make dkms-uninstall" make -s dkms-uninstall
	check "dkms has forgotten it" sh -c "! dkms status -m pinstat | grep -q ."
	check "the module is gone" test ! -e "$moddir/pinstat.ko"
	check "depmod has forgotten it" sh -c \
		"! grep -q pinstat.ko '/lib/modules/$kver/modules.dep'"
	check "its sources are gone" test ! -e "/usr/src/pinstat-$version"
fi

# A PREEMPT_RT kernel, where pinstat's probe handlers could not allocate,
# is left out by DKMS (BUILD_EXCLUSIVE_CONFIG) instead of failing a build:
# a kernel that only has a config, as DKMS reads it, shows that.
fake=0.0.0-pinstat-rt-check
if [ -e "/lib/modules/$fake" ] || dkms status -m pinstat | grep -q .; then
	echo "check-dkms: $fake or pinstat already known here; leaving it alone" >&2
	exit 2
fi
mkdir -p "/lib/modules/$fake/build"
printf 'CONFIG_%s=y\n' TRACEPOINTS KPROBES KRETPROBES MODULE_UNLOAD PREEMPT_RT \
	> "/lib/modules/$fake/build/.config"
make -s dkms-install KVER="$fake" > build/check-dkms-rt.log 2>&1 || true
check "DKMS leaves a PREEMPT_RT kernel out" \
	grep -q 'BUILD_EXCLUSIVE directive which does not match' build/check-dkms-rt.log
check "...and builds nothing for it" sh -c \
	"! find /var/lib/dkms/pinstat -path '*$fake*' -name pinstat.ko | grep -q ."
make -s dkms-uninstall > /dev/null 2>&1 || true
rm -rf "/lib/modules/$fake"
check "...and DKMS has forgotten it" sh -c "! dkms status -m pinstat | grep -q ."

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
echo "check-dkms: make install DESTDIR=$dest PREFIX=/usr"
check "make install" make -s install DESTDIR="$dest" PREFIX=/usr KVER="$kver"
for f in "lib/modules/$kver/updates/pinstat.ko" usr/sbin/pinstat \
	 usr/share/man/man8/pinstat.8 \
	 usr/share/bash-completion/completions/pinstat; do
	check "installed $f" test -f "$dest/$f"
done
check "the installed CLI is version $version" sh -c \
	"'$dest/usr/sbin/pinstat' --version | grep -qF '$version'"
check "make uninstall" make -s uninstall DESTDIR="$dest" PREFIX=/usr \
	KVER="$kver"
check "nothing is left" sh -c "[ -z \"\$(find '$dest' ! -type d)\" ]"

echo "$((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]

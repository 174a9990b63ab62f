#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check-deb: the Debian packages' round trip, done and undone.
#  1. make deb (or the lintian-clean .debs it made of this commit).
#  2. apt-get install of pinstat-dkms and pinstat: the files they hold,
#     the module DKMS built on install for the Debian cloud kernel whose
#     headers are installed, the CLI, the exporter's unit (systemd-analyze
#     verify and security, enabled).
#  3. apt-get purge of both: nothing is left, not even the textfile the
#     exporter writes, nor its directory when no other package has it.
# A failure midway still purges (a trap). Ends with "N passed, N failed,
# N skipped"; exits non-zero on a failure.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh
# the kernel DKMS builds for (guest_kver: image and headers), dkms for
# the checks before the packages bring it, systemd-analyze, and man, which
# systemd-analyze verify runs for the unit's Documentation=man:pinstat(8)
install_missing linux-image-cloud-amd64 linux-headers-cloud-amd64 dkms \
	systemd man-db

n=0 failed=0 skipped=0
# installed, or half so, or its conffiles left (dpkg -l: anything but
# not-installed)
known() {
	dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null |
		grep -qv '^not-installed$'
}
neither_known() {
	! known pinstat && ! known pinstat-dkms
}

version=$(scripts/version.sh)
kver=$(guest_kver)
moddir=/lib/modules/$kver/updates/dkms
out=build/deb
unit=/lib/systemd/system/pinstat-exporter.service
wants=/etc/systemd/system/multi-user.target.wants/pinstat-exporter.service
promdir=/var/lib/prometheus/node-exporter
mkdir -p build
log=build/check-deb.log
: > "$log"
export DEBIAN_FRONTEND=noninteractive

had_promdir=$(dpkg-query -S "$promdir" 2> /dev/null | grep -v '^pinstat' || true)
echo "check-deb: the packages of pinstat $version, DKMS building for $kver"
for p in pinstat pinstat-dkms; do
	if known "$p"; then
		echo "# $p is installed already (a leftover): purging it first"
		apt-get purge -y -q "$p" >> "$log" 2>&1
	fi
done
if dkms status -m pinstat | grep -q .; then
	echo "check-deb: pinstat is registered with DKMS outside the packages" \
		"(make dkms-install?); leaving it alone" >&2
	exit 2
fi

cleanup() {
	for p in pinstat pinstat-dkms; do
		if known "$p"; then
			echo "# purging $p (the check stopped midway)"
			apt-get purge -y -q "$p" >> "$log" 2>&1 || true
		fi
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# .debs of a commit are made again only when that commit changes
if [ "$(cat "$out/lintian-clean" 2>/dev/null)" = "$version" ] &&
	[ "${version%.dirty}" = "$version" ]; then
	echo "# reusing the .debs of $version in $out"
else
	check "make deb (built, lintian clean)" sh -c "make -s deb >> '$log' 2>&1"
fi
dkms_deb=$out/pinstat-dkms_${version}_all.deb
cli_deb=$(ls "$out"/pinstat_"${version}"_*.deb 2>/dev/null | head -n 1)
if [ ! -f "$dkms_deb" ] || [ -z "$cli_deb" ]; then
	check "the .debs of $version are in $out" false
	echo "$((n - failed - skipped)) passed, $failed failed, $skipped skipped"
	exit 1
fi

# --no-install-recommends: prometheus-node-exporter would stay behind
check "apt-get install ./$dkms_deb ./$cli_deb" sh -c \
	"apt-get install -y -q --no-install-recommends './$dkms_deb' './$cli_deb' >> '$log' 2>&1"
for f in /usr/sbin/pinstat /usr/share/man/man8/pinstat.8.gz \
	 /usr/share/bash-completion/completions/pinstat "$unit" \
	 /etc/default/pinstat-exporter \
	 /usr/share/pinstat/prometheus/pinstat.rules.yml \
	 /usr/share/doc/pinstat/copyright; do
	check "pinstat holds $f" sh -c "dpkg -L pinstat | grep -qxF '$f' && test -f '$f'"
done
check "/etc/default/pinstat-exporter is a conffile" sh -c \
	"dpkg-query -W -f='\${Conffiles}' pinstat | grep -q '^ /etc/default/pinstat-exporter '"
for f in /usr/lib/modules-load.d/pinstat.conf "/usr/src/pinstat-$version/dkms.conf" \
	 "/usr/src/pinstat-$version/Kbuild" "/usr/src/pinstat-$version/module/main.c"; do
	check "pinstat-dkms holds $f" sh -c "dpkg -L pinstat-dkms | grep -qxF '$f' && test -f '$f'"
done
check "its dkms.conf is version $version" \
	grep -qxF "PACKAGE_VERSION=\"$version\"" "/usr/src/pinstat-$version/dkms.conf"
check "dkms status: pinstat/$version installed for $kver" sh -c \
	"dkms status -m pinstat -v '$version' -k '$kver' | grep -q ': installed'"
check "the module is in $moddir" test -f "$moddir/pinstat.ko"
check "built for $kver" sh -c \
	"modinfo -F vermagic '$moddir/pinstat.ko' | grep -q '^$kver '"
check "its version is $version" sh -c \
	"[ \"\$(modinfo -F version '$moddir/pinstat.ko')\" = '$version' ]"
check "modprobe would find it" modprobe -S "$kver" --show-depends pinstat
check "pinstat --version says $version" sh -c \
	"[ \"\$(/usr/sbin/pinstat --version)\" = 'pinstat $version' ]"
check "systemd-analyze verify: clean" sh -c \
	"out=\$(systemd-analyze verify '$unit' 2>&1) && [ -z \"\$out\" ]"
check "the unit is enabled (multi-user.target wants it)" sh -c \
	"[ \"\$(readlink '$wants')\" = '$unit' ]"
exposure=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null |
	sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "# systemd-analyze security: exposure level ${exposure:-unknown}"
check "exposure level at most 2.0" \
	awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.0) }'

check "pinstat makes $promdir, where the exporter writes" test -d "$promdir"
# what the exporter would have written, for the purge to take
echo 'pinstat_module_loaded 0' > "$promdir/pinstat.prom"

check "apt-get purge pinstat pinstat-dkms" sh -c \
	"apt-get purge -y -q pinstat pinstat-dkms >> '$log' 2>&1"
check "dpkg -l shows neither package" neither_known
check "no /usr/src/pinstat-*" sh -c "! ls -d /usr/src/pinstat-* 2> /dev/null"
check "no /var/lib/dkms/pinstat" test ! -e /var/lib/dkms/pinstat
check "DKMS has forgotten it" sh -c "! dkms status -m pinstat | grep -q ."
check "no pinstat.ko under /lib/modules/*/updates" sh -c \
	"! find /lib/modules/*/updates -name 'pinstat.ko*' 2> /dev/null | grep -q ."
check "depmod has forgotten it" sh -c \
	"! grep -q pinstat.ko '/lib/modules/$kver/modules.dep'"
check "no modules-load.d entry" test ! -e /usr/lib/modules-load.d/pinstat.conf
check "no /usr/sbin/pinstat" test ! -e /usr/sbin/pinstat
check "no /etc/default/pinstat-exporter" test ! -e /etc/default/pinstat-exporter
check "no unit" test ! -e "$unit"
check "no enablement symlink" sh -c "[ ! -L '$wants' ] && [ ! -e '$wants' ]"
check "no /usr/share/pinstat" test ! -e /usr/share/pinstat
check "no exporter textfile" test ! -e "$promdir/pinstat.prom"
if [ -z "$had_promdir" ]; then
	check "no $promdir (no other package has it)" test ! -e "$promdir"
else
	check "$promdir stays (another package has it)" test -d "$promdir"
fi

echo "$((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]

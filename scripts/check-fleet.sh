#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check-fleet: the deployment end to end with the real components,
# all in one QEMU guest booting the Debian cloud kernel (nothing leaves the
# machine): pinstat.ko counting the Go seed bug and its fix, the textfile
# written by pinstat-exporter.service's own command, Debian's
# prometheus-node-exporter serving it, Debian's prometheus scraping it with
# deploy/prometheus/pinstat.rules.yml loaded (selftests/fleet_test.sh).
# Ends with "N passed, N failed, N skipped"; exits non-zero on a failure.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

cache=$(scripts/deps.sh)
# Debian's node_exporter, unpacked (not installed: it would start)
exporter=$cache/node-exporter/usr/bin/prometheus-node-exporter
if [ ! -x "$exporter" ]; then
	mkdir -p "$cache/node-exporter"
	(cd "$cache/node-exporter" &&
	 apt-get download -q prometheus-node-exporter >&2 &&
	 dpkg-deb -x prometheus-node-exporter_*.deb . &&
	 rm -f prometheus-node-exporter_*.deb)
fi

kver=$(guest_kver)
echo "check-fleet: building pinstat.ko for $kver"
build_module "/usr/src/linux-headers-$kver"
payload=$PWD/build/fleet-payload
build_payload "$payload" "$cache/linux-source/tools/testing/selftests"
cp selftests/fleet_test.sh deploy/pinstat-exporter.service \
	deploy/pinstat-exporter.default deploy/prometheus/pinstat.rules.yml \
	"$exporter" "$cache/prometheus/usr/bin/prometheus" /usr/bin/setpriv \
	"$payload/"
# what the servers and setpriv link to, next to the C library
for lib in $(ldd "$exporter" "$cache/prometheus/usr/bin/prometheus" \
	/usr/bin/setpriv | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p' | sort -u); do
	cp -L "$lib" "$payload/libc/"
done

log=$PWD/build/check-fleet.log
: > "$log"
status=0
echo "check-fleet: booting $kver in QEMU"
PINSTAT_VM_LOG=$log PINSTAT_VM_MEM=2048 PINSTAT_VM_TIMEOUT=900 \
	scripts/vm.sh "$kver" "$payload" sh fleet_test.sh || status=$?
summarize "$status" "$log"

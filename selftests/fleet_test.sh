#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The deployment end to end, in a guest, with Debian's own servers: the
# Go seed bug (goroutines exiting while locked) in one systemd-like unit's
# cgroup, the fixed locked pool in another; the textfile written by the
# command of the shipped pinstat-exporter.service, run with the unit's
# capabilities (setpriv: its bounding set, no new privileges);
# prometheus-node-exporter serving it (textfile collector only); a
# Prometheus scraping it with the shipped rules loaded. Asks Prometheus's
# HTTP API: the series are there, PinstatGoLockedExitChurn fires for the
# bug's unit and not for the fixed one. Run as root with pinstat.ko,
# pinstat, gopatterns, prometheus, prometheus-node-exporter, setpriv,
# libc/ (their libraries), the unit, its default file and the rules next
# to this script. Output: TAP; the API's answers as comments.
cd "$(dirname "$0")"
. ./tap.sh
suite=fleet
here=$PWD
alert=PinstatGoLockedExitChurn
textdir=/var/lib/prometheus/node-exporter
wait_s=${FLEET_WAIT_S:-420}

echo "TAP version 13"
ip link set lo up
mkdir -p /lib64 /lib/x86_64-linux-gnu /usr/sbin "$textdir" /etc/default
cp libc/* /lib/x86_64-linux-gnu/
mv /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 /lib64/
# where the unit expects the CLI and the package puts its settings
ln -sf "$here/pinstat" /usr/sbin/pinstat
cp pinstat-exporter.default /etc/default/pinstat-exporter
# an operator's setting: a write every 2 s, to keep the test short
echo PINSTAT_INTERVAL=2 >> /etc/default/pinstat-exporter

grep -q '^pinstat ' /proc/modules && rmmod pinstat
insmod ./pinstat.ko || { echo "Bail out! cannot load pinstat.ko"; exit 1; }

# two services' cgroups, as systemd lays them out
cg=/sys/fs/cgroup
mkdir -p "$cg"
grep -q "^[^ ]* $cg cgroup2 " /proc/mounts || mount -t cgroup2 none "$cg"
# in_unit UNIT COMMAND...: start COMMAND in UNIT's cgroup
in_unit() {
	dir=$cg/system.slice/$1
	mkdir -p "$dir"
	shift
	sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$dir" "$@" &
}
in_unit api-bug.service ./gopatterns locked-exit 3600
bug=$!
in_unit api-fixed.service ./gopatterns pool 3600
fixed=$!

# The unit's command, expanded as systemd expands it: Environment=, then
# the EnvironmentFile; $VAR split on blanks (and ${VAR}, one word to
# systemd: the same for these values, which have none).
exporter() {
	eval "$(sed -n 's/^Environment=/export /p' pinstat-exporter.service)"
	set -a
	. /etc/default/pinstat-exporter
	set +a
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' pinstat-exporter.service |
		tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
	cmd=$(sed -n 's/^ExecStart=//p' pinstat-exporter.service)
	echo "# ExecStart=$cmd"
	echo "# with the bounding set -all,$caps and no new privileges"
	eval "exec ./setpriv --bounding-set=-all,$caps --inh-caps=-all \
		--no-new-privs $cmd"
}
exporter > exporter.log 2>&1 &
exporter_pid=$!

./prometheus-node-exporter --collector.disable-defaults \
	--collector.textfile --web.listen-address=127.0.0.1:9100 \
	> node-exporter.log 2>&1 &
cat > prometheus.yml <<EOF
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files:
  - $here/pinstat.rules.yml
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:9100']
EOF
./prometheus --config.file=prometheus.yml --storage.tsdb.path=/tmp/prom \
	--web.listen-address=127.0.0.1:9090 > prometheus.log 2>&1 &

# api PATH: Prometheus's answer (JSON) to GET /api/v1/PATH
api() {
	wget -q -O - "http://127.0.0.1:9090/api/v1/$1" 2> /dev/null
}

# query PROMQL: the answer to an instant query
query() {
	api "query?query=$(printf '%s' "$1" | sed 's/%/%25/g; s/ /%20/g;
		s/{/%7B/g; s/}/%7D/g; s/"/%22/g; s/=/%3D/g; s/,/%2C/g;
		s/+/%2B/g; s/!/%21/g; s/~/%7E/g')"
}

# nonempty PROMQL: does the query find a series?
nonempty() {
	query "$1" | grep -q '"result":\[{'
}

firing="ALERTS{alertname=\"$alert\",alertstate=\"firing\"}"
waited=0
until nonempty "$firing" || [ "$waited" -ge "$wait_s" ]; do
	sleep 5
	waited=$((waited + 5))
done
echo "# waited $waited s for $alert to fire"

grep -q '^pinstat_module_loaded 1$' "$textdir/pinstat.prom"
ok $? "the service's command writes $textdir/pinstat.prom"
! ls "$textdir" | grep -q '\.tmp\.'
ok $? "and leaves no temporary file there"
nonempty 'pinstat_module_loaded{job="node"} == 1'
ok $? "node_exporter serves the textfile, Prometheus has scraped it"
nonempty 'pinstat_group_solo_exits_per_second{unit="api-bug.service"} > 0.5' &&
	nonempty 'pinstat_group_threads_live{unit="api-fixed.service"}'
ok $? "Prometheus has both units' series"
nonempty 'pinstat_process_info{unit="api-bug.service",runtime="go"}'
ok $? "the bug's process is known as Go (its executable read with the unit's capabilities)"
echo "# $(query 'pinstat_group_findings')"
answer=$(api alerts)
echo "# GET /api/v1/alerts: $answer"
nonempty "ALERTS{alertname=\"$alert\",alertstate=\"firing\",unit=\"api-bug.service\"}"
ok $? "$alert fires for api-bug.service"
! nonempty "ALERTS{alertname=\"$alert\",unit=\"api-fixed.service\"}"
ok $? "$alert neither fires nor is pending for api-fixed.service"
echo "$answer" | grep -q "\"summary\":\"[^\"]*api-bug.service"
ok $? "the firing alert's summary names the unit"

kill "$exporter_pid"
wait "$exporter_pid" 2> /dev/null
[ ! -e "$textdir/pinstat.prom.tmp.$exporter_pid" ]
ok $? "the stopped service leaves no temporary file"
sed 's/^/# exporter: /' exporter.log
kill "$bug" "$fixed"
tap_end

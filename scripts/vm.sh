#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run a command inside a QEMU guest booting a Debian kernel.
#
#   scripts/vm.sh KVER PAYLOAD_DIR COMMAND...
#
# KVER names /boot/vmlinuz-KVER, or is the path of a kernel image.
# PAYLOAD_DIR is copied to /pinstat in a busybox initramfs; COMMAND runs
# there as root with proc, sysfs, debugfs and a tmpfs /tmp mounted. The
# guest console is shown as it runs and kept in $PINSTAT_VM_LOG. Exit
# status: the command's, or 124 if the guest did not finish in time, or 125
# if the kernel reported a problem (BUG, WARNING, Oops, hung task...).
#
# Environment: PINSTAT_VM_TIMEOUT (seconds, default 900), PINSTAT_VM_SMP
# (CPUs, default 2), PINSTAT_VM_TCG=single (emulate the CPUs in one host
# thread, taking turns, instead of one thread each), PINSTAT_VM_ICOUNT=1
# (count instructions as time, one CPU: for benchmarks), PINSTAT_VM_CPU
# (QEMU's -cpu, default max; max,-erms,-fsrm to count the kernel's string
# copies per 8 bytes instead of per byte), PINSTAT_VM_LOG
# (default build/vm.log), PINSTAT_VM_APPEND (more kernel command-line
# words), PINSTAT_VM_MEM (MiB, default 1024), PINSTAT_VM_ARCH (arm64 for
# an arm64 kernel; default x86_64) with PINSTAT_VM_BUSYBOX (a static
# busybox of that architecture).
set -eu

kver=$1 payload=$2
shift 2
kernel=/boot/vmlinuz-$kver
[ -f "$kver" ] && kernel=$kver
[ -r "$kernel" ] || { echo "vm.sh: no kernel image $kernel" >&2; exit 2; }
log=${PINSTAT_VM_LOG:-build/vm.log}
smp=${PINSTAT_VM_SMP:-2}
mkdir -p "$(dirname "$log")"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"	# the guest's /: unprivileged tests must reach /sys
mkdir -p "$root/bin" "$root/pinstat"
cp "${PINSTAT_VM_BUSYBOX:-/bin/busybox}" "$root/bin/busybox"
cp -r "$payload"/. "$root/pinstat/"
cat > "$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
cd /pinstat
echo "pinstat-vm: start"
$*
echo "pinstat-vm: exit \$?"
reboot -f	# QEMU runs with -no-reboot: this ends it, with or without ACPI
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$root.img"
trap 'rm -rf "$root" "$root.img"' EXIT

accel="-accel tcg,thread=${PINSTAT_VM_TCG:-multi} -smp $smp"
[ "${PINSTAT_VM_ICOUNT:-0}" = 1 ] &&
	accel="-accel tcg -icount shift=0,align=off,sleep=off -smp 1"
machine="qemu-system-x86_64" console=ttyS0
[ "${PINSTAT_VM_ARCH:-x86_64}" = arm64 ] &&
	machine="qemu-system-aarch64 -M virt" console=ttyAMA0
# panic_on_warn and friends turn any kernel complaint into a failed run;
# emulated CPUs can stall when the host is busy: lockup detectors get time
append="console=$console panic=-1 panic_on_warn=1 oops=panic softlockup_panic=1 \
hung_task_panic=1 watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=120 \
quiet ${PINSTAT_VM_APPEND:-}"

complaint='BUG:|WARNING:|Oops|Kernel panic|blocked for more than|Call Trace|UBSAN:|suspected memory leak'

boot() {
	status=0
	timeout "${PINSTAT_VM_TIMEOUT:-900}" $machine $accel -cpu "${PINSTAT_VM_CPU:-max}" \
		-m "${PINSTAT_VM_MEM:-1024}" -nographic -no-reboot -nic none -kernel "$kernel" -initrd "$root.img" \
		-append "$append" < /dev/null 2>&1 | tee "$log" || status=$?
}

# A kernel that dies while it boots, before the command has started (no
# module of ours is loaded yet), is booted once more: QEMU's emulated CPUs
# patching the kernel's text at boot have been seen to crash 7.2 that way.
# Said, and its log kept; a second such crash fails the run.
#
# With a host thread per emulated CPU (multi-threaded TCG), a CPU has also
# been seen to trap, while the tests ran, on an int3 that the kernel's
# text patching had put in a jump label of code pinstat does not hook
# (6.12's __alloc_pages, once in dozens of runs); never with the CPUs
# taking turns, which run the tests that patch the kernel's text
# (README.md, the test bed). Such a run is run once more, said, its log
# kept; a second one fails. At most one run more either way.
boot
if ! grep -q 'pinstat-vm: start' "$log" && grep -Eq "$complaint" "$log"; then
	cp "$log" "$log.boot-crash"
	echo "vm.sh: the guest kernel crashed while booting, before the command" \
		"ran (see $log.boot-crash); booting it once more" >&2
	boot
elif [ "${PINSTAT_VM_TCG:-multi}" = multi ] &&
	[ "${PINSTAT_VM_ICOUNT:-0}" != 1 ] &&
	grep -q 'int3: 0000 \[#' "$log"; then
	cp "$log" "$log.int3-crash"
	echo "vm.sh: the guest kernel trapped on an int3 of its own text" \
		"patching under multi-threaded TCG (see $log.int3-crash);" \
		"running it once more" >&2
	boot
fi

if grep -Eq "$complaint" "$log"; then
	echo "vm.sh: the guest kernel reported a problem (see $log)" >&2
	exit 125
fi
rc=$(sed -n 's/^pinstat-vm: exit \([0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -z "$rc" ]; then
	echo "vm.sh: the guest did not finish (status $status, see $log)" >&2
	exit 124
fi
exit "$rc"

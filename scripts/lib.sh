# SPDX-License-Identifier: GPL-2.0
#
# Shared by check.sh and demo.sh: which kernel to test on, and building.
# Source it from the top of the tree after scripts/deps.sh has run.

# The newest installed Debian cloud kernel that has both image and headers.
guest_kver() {
	for img in $(ls /boot/vmlinuz-*-cloud-amd64 | sort -rV); do
		kver=${img#/boot/vmlinuz-}
		if [ -d "/usr/src/linux-headers-$kver" ]; then
			echo "$kver"
			return 0
		fi
	done
	echo "pinstat: no Debian cloud kernel with headers installed" >&2
	return 1
}

# Build pinstat.ko for kernel build tree $1, warnings as errors; more
# arguments go to make (ARCH=, CROSS_COMPILE= of a cross build).
build_module() {
	kdir=$1
	shift
	make -s -C "$kdir" M="$PWD" W=1 KCFLAGS=-Werror "$@" modules
}

# Build the test payload into $1: the selftests, the workloads and the CLI
# (all static), the scripts, the module. $2 is kselftest's directory, $3
# the architecture when it is not the host's (arm64), $4 the module
# (default: the tree's pinstat.ko).
build_payload() {
	rm -rf "$1"
	mkdir -p "$1"
	case ${3:-} in
	arm64) GOARCH=arm64 make -s -C selftests OUTPUT="$1" KSFT_DIR="$2" \
		CC=aarch64-linux-gnu-gcc GO_NEWER="${PINSTAT_GO_NEWER:-}" ;;
	*) make -s -C selftests OUTPUT="$1" KSFT_DIR="$2" \
		GO_NEWER="${PINSTAT_GO_NEWER:-}" ;;
	esac
	cp selftests/tap.sh selftests/cli_test.sh selftests/demo.sh \
		selftests/abi_test.sh selftests/timing_test.sh \
		selftests/locks_test.sh selftests/cgroup_test.sh \
		selftests/golib.sh Documentation/ABI/testing/sysfs-kernel-pinstat \
		"${4:-pinstat.ko}" "$1/"
	cp selftests/workloads/golocks/main.go "$1/golocks.go"
	cp selftests/workloads/gopatterns/main.go "$1/gopatterns.go"
	# the C library and its loader, for creators-dynamic (locks_test.sh
	# puts them where the loader looks)
	mkdir -p "$1/libc"
	case ${3:-} in
	arm64) cp -L /usr/aarch64-linux-gnu/lib/libc.so.6 \
		/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 "$1/libc/" ;;
	*) cp -L /lib/x86_64-linux-gnu/libc.so.6 \
		/lib64/ld-linux-x86-64.so.2 "$1/libc/" ;;
	esac
}

# Count the TAP/KTAP results in the files named: print "N passed, N
# failed, N skipped"; fail if any failed, none passed, or $1 (the status
# of the runs) is not 0.
summarize() {
	run_status=$1
	shift
	cat "$@" | tr -d '\r' | awk -v status="$run_status" '
		/^ok [0-9]+ .*# SKIP/ { skipped++; next }
		/^ok [0-9]+ / { passed++ }
		/^not ok [0-9]+ / { failed++ }
		END {
			printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
			exit (failed > 0 || passed == 0 || status != 0)
		}'
}

# Can this host load modules itself (root, module support, headers)?
host_can_load() {
	[ "$(id -u)" -eq 0 ] && [ -e /proc/modules ] &&
		[ -d "/lib/modules/$(uname -r)/build" ]
}

# Install those of the Debian packages named that are missing (as
# scripts/deps.sh does, for a task that needs only a few).
install_missing() {
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	echo "pinstat: installing$missing" >&2
	[ "$(id -u)" -eq 0 ] || { echo "pinstat: run as root to install packages" >&2; return 1; }
	DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >&2
}

# check WHAT COMMAND...: "ok N WHAT" if COMMAND succeeds (its output
# dropped), else "not ok N WHAT"; N counts in $n, failures in $failed.
check() {
	n=$((n + 1))
	what=$1
	shift
	if "$@" > /dev/null 2>&1; then
		echo "ok $n $what"
	else
		echo "not ok $n $what"
		failed=$((failed + 1))
	fi
}

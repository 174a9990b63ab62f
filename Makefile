# SPDX-License-Identifier: GPL-2.0
#
# pinstat: kernel module, CLI, tests.
#
#   make            build pinstat.ko against KDIR
#   make check      run the test suite (in a QEMU guest; HOST=1: on this host)
#   make check KVER=6.12  the module and selftests on Debian's 6.12 kernel
#   make check-matrix  the same on every supported Debian kernel series
#   make check-debug  the same and more on a debug kernel (KASAN, lockdep, ...)
#   make demo       show pinstat at work (in a QEMU guest; HOST=1: on this host)
#   make lint       checkpatch --strict, W=1, sparse, clang-format, cppcheck,
#                   SPDX lines
#   make bench      what pinstat costs, next to empty kprobes and bpftrace
#   make bench-cli  only its part on the CLI (on this host, a few minutes)
#   make bench-locks  what lock tracing costs (a guest, minutes)
#   make mutants    would make check notice small mutants of the counting
#                   and verdict code? (slow: a make check each)
#   make install    install the module for KDIR's kernel (runs depmod) and
#                   the CLI, man page and completion (DESTDIR, PREFIX)
#   make uninstall  remove what make install installed
#   make install-tools, uninstall-tools  the CLI alone (with DKMS)
#   make dkms-install  register the sources with DKMS, build and install
#   make check-dkms the DKMS and install round trips, done and undone
#   make deb        the Debian packages pinstat and pinstat-dkms, in
#                   build/deb/ (lintian clean)
#   make check-deb  their round trip: installed, checked, purged
#   make check-fleet  the service, node_exporter and Prometheus with the
#                   alert rules, end to end in a guest
#
# KVER is the kernel to install for (default: the running one), KDIR its
# build tree. KDIR defaults to KVER's build tree; when that is missing
# (a host that cannot load modules), to the newest installed Debian cloud
# kernel headers, which is the kernel the QEMU guest boots.

VERSION := $(shell scripts/version.sh)
KVER ?= $(shell uname -r)
KDIR ?= $(shell scripts/kdir.sh $(KVER))
PREFIX ?= /usr/local

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) PINSTAT_VERSION=$(VERSION) modules

# The module, and the CLI with its man page and bash completion (alone:
# install-tools, next to DKMS). depmod runs when installing into this
# system, not into a DESTDIR.
install: module install-tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates modules_install
	$(if $(DESTDIR),,depmod -a $(KVER))

install-tools:
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

uninstall: uninstall-tools
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/pinstat.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

uninstall-tools:
	$(MAKE) -C tools uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

# DKMS builds from /usr/src/pinstat-VERSION: the module's sources only.
dkms-install:
	rm -rf /usr/src/pinstat-$(VERSION)
	mkdir -p /usr/src/pinstat-$(VERSION)
	cp -r Kbuild module /usr/src/pinstat-$(VERSION)/
	sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' dkms.conf \
		> /usr/src/pinstat-$(VERSION)/dkms.conf
	dkms add -m pinstat -v $(VERSION)
	dkms build -m pinstat -v $(VERSION) -k $(KVER)
	dkms install -m pinstat -v $(VERSION) -k $(KVER)

dkms-uninstall:
	dkms remove -m pinstat -v $(VERSION) --all
	rm -rf /usr/src/pinstat-$(VERSION)

version:
	@echo $(VERSION)

# KVER given to make check names a kernel series to fetch and boot
check:
	scripts/check.sh $(if $(filter command line environment,$(origin KVER)),$(KVER))

check-matrix:
	scripts/check-matrix.sh

check-debug:
	scripts/check-debug.sh

check-dkms:
	scripts/check-dkms.sh

deb:
	scripts/deb.sh

check-deb:
	scripts/check-deb.sh

check-fleet:
	scripts/check-fleet.sh

demo:
	scripts/demo.sh

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

bench-cli:
	bench/cli.sh build/bench && python3 bench/cli_report.py build/bench

bench-locks:
	scripts/bench-locks.sh

mutants:
	scripts/mutants.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build

.PHONY: all module install install-tools uninstall uninstall-tools dkms-install dkms-uninstall version check check-matrix check-dkms deb check-deb check-fleet check-debug demo lint bench bench-cli bench-locks mutants clean

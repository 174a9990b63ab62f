# SPDX-License-Identifier: GPL-2.0
#
# pinstat: kernel module, CLI, tests.
#
#   make            build pinstat.ko against KDIR
#   make check      run the test suite (in a QEMU guest; HOST=1: on this host)
#   make check-debug  the same and more on a debug kernel (KASAN, lockdep, ...)
#   make demo       show pinstat at work (in a QEMU guest; HOST=1: on this host)
#   make lint       checkpatch --strict, W=1 and sparse on the module
#   make bench      what pinstat costs, next to empty kprobes and bpftrace
#   make install    install the module for KDIR's kernel (runs depmod)
#   make dkms-install  register the sources with DKMS, build and install
#
# KDIR defaults to the running kernel's build tree; when that is missing
# (a host that cannot load modules), to the newest installed Debian cloud
# kernel headers, which is the kernel the QEMU guest boots.

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
KVER ?= $(shell uname -r)
KDIR ?= $(shell scripts/kdir.sh $(KVER))

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(realpath $(KDIR))))

# DKMS builds from /usr/src/pinstat-VERSION: the module's sources only.
dkms-install:
	rm -rf /usr/src/pinstat-$(VERSION)
	mkdir -p /usr/src/pinstat-$(VERSION)
	cp -r Kbuild dkms.conf module /usr/src/pinstat-$(VERSION)/
	dkms add -m pinstat -v $(VERSION)
	dkms build -m pinstat -v $(VERSION) -k $(KVER)
	dkms install -m pinstat -v $(VERSION) -k $(KVER)

dkms-uninstall:
	dkms remove -m pinstat -v $(VERSION) --all
	rm -rf /usr/src/pinstat-$(VERSION)

check:
	scripts/check.sh

check-debug:
	scripts/check-debug.sh

demo:
	scripts/demo.sh

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build

.PHONY: all module install dkms-install dkms-uninstall check check-debug demo lint bench clean

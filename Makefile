# SPDX-License-Identifier: GPL-2.0
#
# pinstat: kernel module, CLI, tests.
#
#   make            build pinstat.ko against KDIR
#   make check      run the test suite (in a QEMU guest; HOST=1: on this host)
#   make demo       show pinstat at work (in a QEMU guest; HOST=1: on this host)
#   make lint       checkpatch --strict, W=1 and sparse on the module
#   make install    install the module for KDIR's kernel (runs depmod)
#
# KDIR defaults to the running kernel's build tree; when that is missing
# (a host that cannot load modules), to the newest installed Debian cloud
# kernel headers, which is the kernel the QEMU guest boots.

KVER ?= $(shell uname -r)
KDIR ?= $(shell scripts/kdir.sh $(KVER))

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(realpath $(KDIR))))

check:
	scripts/check.sh

demo:
	scripts/demo.sh

lint:
	scripts/lint.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build

.PHONY: all module install check demo lint clean

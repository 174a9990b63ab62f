// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: whatever bytes an executable holds, gosym.c must read
 * them or refuse them with an error, without a crash, a leak or undefined
 * behaviour (built with ASan and UBSan). The bytes are a memfd's, read
 * through /proc/self/fd as any executable. make -C tools fuzz-gosym runs
 * it, seeded with Go builds when go is there.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "gosym.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gosym_site site;
	uint64_t off = 0, offs[4];
	char path[64], id[64];
	int fd = memfd_create("fuzz", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!gosym_func_offset(path, "runtime.LockOSThread", &off))
		gosym_check_entry(path, off);
	gosym_symbolize(path, off + 1, &site);
	/* offsets the input chooses, from its last bytes */
	for (size_t i = 0; i + 4 <= size && i < 32; i += 4) {
		off = data[size - 1 - i] | data[size - 2 - i] << 8 |
		      (uint64_t)data[size - 3 - i] << 16;
		gosym_check_entry(path, off);
		gosym_symbolize(path, off, &site);
		gosym_call_address(path, off, &off);
	}
	gosym_inlined_entries(path, "runtime.UnlockOSThread", offs, 4);
	gosym_build_id(path, id, sizeof(id));
	gosym_release();
	close(fd);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: whatever bytes the debugfs table holds, the CLI must
 * parse them or refuse them with a message, then diagnose and print what
 * it parsed in every format, without a crash, a leak or undefined
 * behaviour (built with ASan and UBSan). make -C tools fuzz runs it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export.h"
#include "prom.h"
#include "report.h"
#include "select.h"
#include "source.h"
#include "text.h"

/* As piped, with -w, and on a terminal too narrow for any column. */
static const struct layout piped, wide = { .wide = true },
				  narrow = { .width = 30 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = { .complete = true };
	struct proc **list;
	FILE *in, *out;
	size_t n;

	/* no /proc to look at: examine() must cope with that too */
	source_set_root("/nonexistent");
	in = fmemopen((void *)data, size, "r");
	out = fopen("/dev/null", "w");
	if (!in || !out)
		abort();
	if (parse_processes(in, "fuzz", &st) == 0) {
		n = select_procs(&st, &(struct options){ 0 }, true, &list);
		text_summary(out, &st, list, n, 0, &piped);
		text_summary(out, &st, list, n, 0, &wide);
		text_summary(out, &st, list, n, n, &narrow);
		text_diagnosis(out, &st, list, n, 0, NULL);
		export_diagnosis(out, &st, list, n, n / 2);
		if (n)
			text_detail(out, &st, list[0]);
		export_json(out, &st, list, n, 0);
		export_prometheus(out, &st, list, n,
				  &(struct prom_choice){ PROM_ALL, 0 });
		free(list);
	}
	state_free(&st);
	fclose(in);
	fclose(out);
	return 0;
}

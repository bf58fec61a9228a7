/*
 * Jasmine: "12 specs, 1 failure" / "12 specs, 0 failures, 2 pending specs"
 * (also "1 spec, 0 failures"), one per run, summed; "Finished in 0.5
 * seconds". Failed names: the numbered list after "Failures:"
 * ("1) Suite does something").
 *
 * Counting: Jasmine counts pending specs in "specs"; run = specs - pending,
 * failed = failures, skipped = pending.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { " specs, ", " spec, ", "Failures:", NULL };
enum { N_SPECS, N_SPEC1, N_FAILURES };

struct state {
	int list;
};

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if (hits & ((1u << N_SPECS) | (1u << N_SPEC1))) {
		const char *p = b;
		long long n = logs_read_int(&p, end);
		if (n >= 0 && (logs_starts(p, (size_t)(end - p), " specs, ") || logs_starts(p, (size_t)(end - p), " spec, "))) {
			const char *q = logs_skip_ws(memchr(p, ',', (size_t)(end - p)) + 1, end);
			long long f = logs_read_int(&q, end);
			if (f >= 0 && logs_starts(q, (size_t)(end - q), " failure")) {
				long long pend = 0;
				const char *pe = logs_find(q, (size_t)(end - q), " pending");
				if (pe) {
					const char *r = pe;
					while (r > q && r[-1] >= '0' && r[-1] <= '9')
						r--;
					pend = logs_read_int(&r, end);
					if (pend < 0)
						pend = 0;
				}
				logs_acc_counts(a, "jasmine", n - pend > 0 ? n - pend : 0, f, pend);
				st->list = 0;
			}
		}
		return st->list;
	}
	if ((hits & (1u << N_FAILURES)) && bl == 9 && memcmp(b, "Failures:", 9) == 0) {
		st->list = 1;
		return 1;
	}
	if (st->list) {
		const char *p = b;
		if (logs_read_int(&p, end) >= 0 && p + 1 < end && p[0] == ')' && p[1] == ' ')
			logs_acc_failed_name(a, p + 2, (size_t)(end - p - 2));
		return 1;
	}
	return 0;
}

const struct logs_parser_def logs_parse_jasmine = {
	.name = "jasmine",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
};

/*
 * CTest: "80% tests passed, 1 tests failed out of 5", "Total Test time (real)
 * =   0.05 sec", the failed list ("The following tests FAILED:" then
 * "\t  2 - name (Failed)") and the skipped ones ("The following tests did
 * not run:" then "\t  3 - name (Skipped)"), which CTest counts in "out of".
 *
 * CTest's tests are often whole GoogleTest or Catch2 binaries whose own
 * summaries are in the log too: counting both would count those tests twice,
 * so CTest's figures are used only when no GoogleTest or Catch2 summary was
 * read. Counting: run = out of - skipped, failed = failed.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "tests passed, ", "Total Test time", "The following tests", "(Failed)",
				       "(Skipped)", "(Disabled)", "(Not Run)", "(SEGFAULT)", "(Timeout)", NULL };
enum { N_SUMMARY, N_TIME, N_LIST, N_FAILED, N_SKIPPED, N_DISABLED, N_NOTRUN, N_SEGV, N_TIMEOUT };

struct state {
	long long total, failed, skipped;
	int any;
	int list; /* 1 failed list, 2 did-not-run list */
};

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if (hits & (1u << N_SUMMARY)) {
		const char *p = b;
		if (logs_read_num(&p, end) >= 0 && logs_starts(p, (size_t)(end - p), "% tests passed, ")) {
			long long f = logs_value_after(p, (size_t)(end - p), "passed,");
			long long tot = logs_value_after(p, (size_t)(end - p), "out of");
			if (f >= 0 && tot >= 0) {
				st->total += tot;
				st->failed += f;
				st->any = 1;
				logs_acc_framework(a, "ctest");
			}
		}
		return 0;
	}
	if ((hits & (1u << N_TIME)) && logs_starts(b, bl, "Total Test time")) {
		const char *eq = memchr(b, '=', bl);
		if (eq)
			logs_acc_duration(a, logs_parse_duration(eq + 1, (size_t)(end - eq - 1)));
		return 0;
	}
	if ((hits & (1u << N_LIST)) && logs_starts(b, bl, "The following tests")) {
		st->list = logs_find(b, bl, "FAILED") ? 1 : logs_find(b, bl, "did not run") ? 2 : 0;
		return st->list != 0;
	}
	if (st->list) {
		/* "  2 - name (Failed)" */
		const char *p = b;
		if (logs_read_int(&p, end) < 0 || !logs_starts(p, (size_t)(end - p), " - ")) {
			st->list = 0;
			return 0;
		}
		p += 3;
		const char *paren = NULL;
		for (const char *q = p; q < end; q++)
			if (*q == '(')
				paren = q;
		const char *stop = paren ? paren : end;
		while (stop > p && stop[-1] == ' ')
			stop--;
		if (st->list == 1)
			logs_acc_failed_name(a, p, (size_t)(stop - p));
		else if (paren && (logs_starts(paren, (size_t)(end - paren), "(Skipped)") ||
				   logs_starts(paren, (size_t)(end - paren), "(Disabled)")))
			st->skipped++;
		return 1;
	}
	return 0;
}

static void finish(void *stp, const void *sh, struct logs_acc *a)
{
	struct state *st = stp;
	const struct strvec *fw = &a->res->frameworks;
	if (!st->any || strvec_find(fw, "gtest") >= 0 || strvec_find(fw, "catch2") >= 0)
		return;
	long long run = st->total - st->skipped;
	logs_acc_counts(a, "ctest", run > 0 ? run : 0, st->failed, st->skipped);
}

const struct logs_parser_def logs_parse_ctest = {
	.name = "ctest",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
	.finish = finish,
};

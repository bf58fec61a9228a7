/*
 * Jest: "Tests:       5 failed, 2 skipped, 124 passed, 131 total" (parts in
 * any order, "todo" among them), one per jest run, summed; the "Time:" line
 * that follows a summary gives the duration (webpack's "Time: 17449ms"
 * elsewhere in a log is not jest's). "Tests:       0 total" still says jest
 * ran.
 *
 * Counting: run = passed + failed (skipped and todo are not run), as
 * BugSwarm. Failed names: the "● Suite › test name" headings.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "Tests:", "Time:", "  \xe2\x97\x8f ", NULL };
enum { N_TESTS, N_TIME, N_BULLET };

struct state {
	int time_lines; /* lines after a summary in which "Time:" is jest's */
};

struct tally {
	long long passed, failed, skipped, total;
	int any;
};

static void pair(void *ctx, long long n, const char *w, size_t wl)
{
	struct tally *t = ctx;
	t->any = 1;
	if (logs_word_is(w, wl, "passed"))
		t->passed += n;
	else if (logs_word_is(w, wl, "failed"))
		t->failed += n;
	else if (logs_word_is(w, wl, "skipped") || logs_word_is(w, wl, "todo") || logs_word_is(w, wl, "pending"))
		t->skipped += n;
	else if (logs_word_is(w, wl, "total"))
		t->total = n;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if (st->time_lines > 0)
		st->time_lines--;
	/* "Tests:" may follow a prefix (lerna's "@scope/pkg: "); the rest must be jest's pairs */
	const char *tt = (hits & (1u << N_TESTS)) ? logs_find(b, bl, "Tests:") : NULL;
	if (tt && (tt == b || tt[-1] == ' ') && logs_find(tt, (size_t)(end - tt), " total")) {
		struct tally t = { 0, 0, 0, -1, 0 };
		logs_pairs(tt + 6, (size_t)(end - tt - 6), pair, &t);
		if (t.total >= 0) {
			logs_acc_counts(a, "jest", t.passed + t.failed, t.failed, t.skipped);
			st->time_lines = 4;
		}
		return 0;
	}
	if ((hits & (1u << N_TIME)) && st->time_lines > 0 && logs_starts(b, bl, "Time:")) {
		const char *p = logs_skip_ws(b + 5, end);
		double sec = logs_parse_duration(p, (size_t)(end - p));
		logs_acc_duration(a, sec);
		st->time_lines = 0;
		return 0;
	}
	/* "  ● Suite › test" (jest indents it; the needle has the indent so that it is 5 bytes) */
	if ((hits & (1u << N_BULLET)) && logs_starts(b, bl, "\xe2\x97\x8f ")) {
		const char *name = b + 4;
		size_t nl = (size_t)(end - name);
		/* "● Console", "● Test suite failed to run" are not tests; a test has " › " */
		if (logs_find(name, nl, " \xe2\x80\xba "))
			logs_acc_failed_name(a, name, nl);
	}
	return 0;
}

const struct logs_parser_def logs_parse_jest = {
	.name = "jest",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
};

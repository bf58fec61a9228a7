/*
 * Vitest: " Test Files  1 failed | 3 passed (4)" and
 * "      Tests  2 failed | 10 passed | 1 skipped (13)", then
 * "   Duration  1.23s (transform 20ms, ...)". One "Tests" line per run, summed.
 * Failed names: " FAIL  src/a.test.ts > suite > does b" (a test; a file alone
 * is a failed file, not a test).
 *
 * Counting: run = passed + failed, skipped = skipped + todo.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "Tests  ", "Duration  ", "FAIL  ", NULL };
enum { N_TESTS, N_DURATION, N_FAIL };

struct state {
	int after_tests;
};

struct tally {
	long long passed, failed, skipped;
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
	else if (logs_word_is(w, wl, "skipped") || logs_word_is(w, wl, "todo"))
		t->skipped += n;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	while (end > s && end[-1] == ' ')
		end--;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if ((hits & (1u << N_TESTS)) && logs_starts(b, bl, "Tests  ") && bl > 8 && end[-1] == ')') {
		struct tally t = { 0, 0, 0, 0 };
		logs_pairs(b + 7, bl - 7, pair, &t);
		if (t.any) {
			logs_acc_counts(a, "vitest", t.passed + t.failed, t.failed, t.skipped);
			st->after_tests = 4;
		}
		return 0;
	}
	if ((hits & (1u << N_DURATION)) && st->after_tests > 0 && logs_starts(b, bl, "Duration  ")) {
		const char *p = logs_skip_ws(b + 10, end);
		const char *stop = memchr(p, ' ', (size_t)(end - p));
		logs_acc_duration(a, logs_parse_duration(p, (size_t)((stop ? stop : end) - p)));
		st->after_tests = 0;
		return 0;
	}
	if (st->after_tests > 0)
		st->after_tests--;
	if ((hits & (1u << N_FAIL)) && logs_starts(b, bl, "FAIL  ") && logs_find(b, bl, " > "))
		logs_acc_failed_name(a, b + 6, bl - 6);
	return 0;
}

const struct logs_parser_def logs_parse_vitest = {
	.name = "vitest",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
};

/*
 * Catch2: "All tests passed (12 assertions in 3 test cases)" or
 * "test cases: 5 | 3 passed | 1 failed | 1 skipped" (v3; v2 has no skipped),
 * one per test binary, summed. Failed names: Catch2 prints the test case name
 * in the block before "FAILED:"; the line after the "-----" rule that opens
 * the block is taken.
 *
 * Counting: run = passed + failed, skipped = skipped.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "All tests passed (", "test cases: ", "test case: ", "-------------------",
				       "FAILED:", NULL };
enum { N_ALL, N_CASES, N_CASE1, N_RULE, N_FAILED };

struct state {
	int after_rule;  /* the previous line opened a header: this one is a test case name */
	int rule_open;   /* rules come in pairs around the header */
	char name[256];
	size_t name_len;
};

struct tally {
	long long passed, failed, skipped;
};

static void pair(void *ctx, long long n, const char *w, size_t wl)
{
	struct tally *t = ctx;
	if (logs_word_is(w, wl, "passed"))
		t->passed += n;
	else if (logs_word_is(w, wl, "failed"))
		t->failed += n;
	else if (logs_word_is(w, wl, "skipped"))
		t->skipped += n;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if (st->after_rule && !hits) {
		st->after_rule = 0;
		st->name_len = bl < sizeof(st->name) ? bl : sizeof(st->name) - 1;
		memcpy(st->name, b, st->name_len);
		return 0;
	}
	st->after_rule = 0;
	if ((hits & (1u << N_RULE)) && bl >= 40 && b[0] == '-' && b[bl - 1] == '-') {
		st->rule_open = !st->rule_open;
		st->after_rule = st->rule_open;
		return st->after_rule;
	}
	if ((hits & (1u << N_FAILED)) && st->name_len && logs_find(b, bl, ": FAILED:")) {
		logs_acc_failed_name(a, st->name, st->name_len);
		st->name_len = 0;
		st->rule_open = 0;
	}
	if ((hits & (1u << N_ALL)) && logs_starts(b, bl, "All tests passed (")) {
		const char *in = logs_find(b, bl, " in ");
		const char *p = in ? in + 4 : NULL;
		long long n = p ? logs_read_int(&p, end) : -1;
		if (n >= 0 && logs_starts(p, (size_t)(end - p), " test case"))
			logs_acc_counts(a, "catch2", n, 0, 0);
	}
	if ((hits & ((1u << N_CASES) | (1u << N_CASE1))) && (logs_starts(b, bl, "test cases: ") || logs_starts(b, bl, "test case: ")) &&
	    memchr(b, '|', bl)) {
		struct tally t = { 0, 0, 0 };
		const char *bar = memchr(b, '|', bl);
		logs_pairs(bar, (size_t)(end - bar), pair, &t);
		logs_acc_counts(a, "catch2", t.passed + t.failed, t.failed, t.skipped);
	}
	return 0;
}

const struct logs_parser_def logs_parse_catch2 = {
	.name = "catch2",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
};

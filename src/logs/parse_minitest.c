/*
 * Minitest ("473 runs, 1203 assertions, 1 failures, 0 errors, 4 skips") and
 * Test::Unit ("12 tests, 40 assertions, 1 failures, 0 errors, 0 pendings,
 * 2 omissions, 0 notifications"), one line per test process (Rails runs
 * several), summed. Both are reported as "testunit", TravisTorrent's name.
 *
 * Counting as TravisTorrent: run = runs / tests, failed = failures + errors,
 * skipped = skips (+ pendings + omissions for Test::Unit).
 * Failed names: the line after "  1) Failure:" / "  2) Error:"
 * ("FooTest#test_bar [test/foo_test.rb:12]:").
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { " assertions, ", " assertion, ", ") Failure:", ") Error:", NULL };
enum { N_ASSERTIONS, N_ASSERTION1, N_FAILURE, N_ERROR };

struct state {
	int want_name;
};

static long long v0(long long v)
{
	return v > 0 ? v : 0;
}

/* The count right before word ("2 omissions"), 0 when absent. */
static long long number_before(const char *s, const char *end, const char *word)
{
	const char *x = logs_find(s, (size_t)(end - s), word);
	if (!x)
		return 0;
	const char *r = x;
	while (r > s && r[-1] >= '0' && r[-1] <= '9')
		r--;
	return v0(logs_read_int(&r, end));
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	if (st->want_name && !hits) {
		st->want_name = 0;
		const char *stop = b;
		while (stop < end && *stop != ' ' && *stop != ':')
			stop++;
		if (stop > b && (memchr(b, '#', (size_t)(stop - b)) || memchr(b, '(', (size_t)(stop - b))))
			logs_acc_failed_name(a, b, (size_t)(stop - b));
		return 0;
	}
	if (hits & ((1u << N_ASSERTIONS) | (1u << N_ASSERTION1))) {
		const char *p = b;
		long long n = logs_read_int(&p, end);
		size_t pl = (size_t)(end - p);
		int runs = logs_starts(p, pl, " runs, ") || logs_starts(p, pl, " run, ");
		int tests = logs_starts(p, pl, " tests, ") || logs_starts(p, pl, " test, ");
		if (n >= 0 && (runs || tests)) {
			long long f = logs_value_after(p, pl, "assertions, ");
			if (f < 0)
				f = logs_value_after(p, pl, "assertion, ");
			const char *fe = logs_find(p, pl, " errors");
			const char *ee = fe ? fe : logs_find(p, pl, " error");
			if (f >= 0 && ee) {
				/* the error count is the number right before " errors" */
				const char *q = ee;
				while (q > p && q[-1] >= '0' && q[-1] <= '9')
					q--;
				long long e = logs_read_int(&q, end);
				long long skipped = v0(logs_value_after(p, pl, "errors, "));
				if (!logs_find(p, pl, " skip") && !logs_find(p, pl, " pending") && !logs_find(p, pl, " omission"))
					skipped = 0;
				if (tests) /* Test::Unit: pendings and omissions */
					skipped = number_before(p, end, " pendings") + number_before(p, end, " omissions");
				logs_acc_counts(a, "testunit", n, f + v0(e), skipped);
			}
		}
	}
	if (hits & ((1u << N_FAILURE) | (1u << N_ERROR))) {
		const char *p = b;
		if (logs_read_int(&p, end) >= 0 && p < end && *p == ')')
			st->want_name = 1;
		return st->want_name;
	}
	return 0;
}

const struct logs_parser_def logs_parse_minitest = {
	.name = "minitest",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
};

/*
 * Python unittest, and nose and Django's runner which print the same:
 * "Ran 445 tests in 70.302s" followed within a few lines by "OK",
 * "OK (skipped=3)" or "FAILED (failures=2, errors=8, skipped=2)".
 *
 * The verdict usually follows "Ran" at once, but a test's late output (or
 * Django's teardown messages) may come between: a verdict with counts is
 * taken as long as a "Ran" waits for one.
 *
 * Counting as the reference analyzers: run = the "Ran" figure (unittest
 * counts skipped tests in it), failed = failures + errors, skipped = skip /
 * skipped. Other keys (expected failures, unexpected successes, numpy's
 * KNOWNFAIL, plugin error classes) are not counted. nose's output cannot be
 * told from unittest's, so both are reported as "unittest".
 *
 * Failed names: "FAIL: test_x (pkg.mod.Class)" and "ERROR: test_y (pkg.Class)".
 */
#include "logs/logs_internal.h"
#include <string.h>
#include <strings.h>

static const char *const needles[] = { " tests in ", "FAIL: ", "ERROR: ", " test in ", "FAILED (", "skipped=",
				       "SKIP=", "failures=", "errors=", NULL };
enum { N_RAN, N_FAIL, N_ERROR, N_RAN1, N_VERDICT, N_V1, N_V2, N_V3, N_V4 };
#define VERDICT_HITS ((1u << N_VERDICT) | (1u << N_V1) | (1u << N_V2) | (1u << N_V3) | (1u << N_V4))

struct state {
	int after_ran; /* lines left in which a bare OK/FAILED verdict may come */
	int pending;   /* a "Ran" still waits for its verdict (which may come after other output) */
};

static void pair_kv(struct logs_acc *a, const char *s, const char *end)
{
	/* "failures=2, errors=8, skipped=2" */
	long long failed = 0, skipped = 0;
	const char *p = s;
	while (p < end) {
		const char *k = logs_skip_ws(p, end);
		const char *eq = memchr(k, '=', (size_t)(end - k));
		if (!eq)
			break;
		const char *v = eq + 1;
		long long n = logs_read_int(&v, end);
		size_t kl = (size_t)(eq - k);
		if (n >= 0) {
			if ((kl == 8 && strncasecmp(k, "failures", 8) == 0) || (kl == 6 && strncasecmp(k, "errors", 6) == 0) ||
			    (kl == 7 && strncasecmp(k, "failure", 7) == 0) || (kl == 5 && strncasecmp(k, "error", 5) == 0))
				failed += n;
			else if ((kl == 4 && strncasecmp(k, "skip", 4) == 0) || (kl == 7 && strncasecmp(k, "skipped", 7) == 0))
				skipped += n;
		}
		const char *comma = memchr(v, ',', (size_t)(end - v));
		if (!comma)
			break;
		p = comma + 1;
	}
	logs_acc_counts(a, "unittest", 0, failed, skipped);
}

/* "test_x (pkg.mod.Class)" or "pkg.mod.test_x" or "Doctest: pkg.mod" */
static int plausible_name(const char *s, const char *end)
{
	if (s >= end)
		return 0;
	const char *sp = memchr(s, ' ', (size_t)(end - s));
	if (!sp)
		return 1;
	if (end - s > 9 && memcmp(s, "Doctest: ", 9) == 0)
		return 1;
	/* one space, then "(dotted.name)" and the end (an optional description may follow in 3.11+) */
	return sp + 1 < end && sp[1] == '(' && memchr(sp + 1, ')', (size_t)(end - sp - 1)) != NULL &&
	       memchr(s, ' ', (size_t)(sp - s)) == NULL;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *p = (hits & ((1u << N_RAN) | (1u << N_RAN1))) ? logs_find(s, ln->len, "Ran ") : NULL;
	if (p) {
		const char *q = p + 4;
		long long n = logs_read_int(&q, end);
		if (n >= 0 && (logs_starts(q, (size_t)(end - q), " tests in ") || logs_starts(q, (size_t)(end - q), " test in "))) {
			q += q[5] == 's' ? 10 : 9;
			double sec = logs_read_num(&q, end);
			if (sec >= 0 && q < end && *q == 's') {
				logs_acc_counts(a, "unittest", n, 0, 0);
				logs_acc_duration(a, sec);
				st->after_ran = 6;
				st->pending = 1;
				return 1;
			}
		}
	}
	/* A verdict with counts carries one of the needles, so it is seen however late it comes;
	 * a bare "OK" or "FAILED" has nothing to count and only closes the window. */
	if (st->after_ran > 0 || (st->pending && (hits & VERDICT_HITS))) {
		if (st->after_ran > 0)
			st->after_ran--;
		const char *t = logs_skip_ws(s, end);
		while (end > t && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		size_t tl = (size_t)(end - t);
		if (tl == 2 && memcmp(t, "OK", 2) == 0) {
			st->after_ran = 0;
			st->pending = 0;
		} else if ((logs_starts(t, tl, "OK (") || logs_starts(t, tl, "FAILED (")) && end[-1] == ')') {
			const char *open = memchr(t, '(', tl);
			pair_kv(a, open + 1, end - 1);
			st->after_ran = 0;
			st->pending = 0;
		} else if (tl == 6 && memcmp(t, "FAILED", 6) == 0) {
			st->after_ran = 0;
			st->pending = 0;
		}
		if (st->after_ran == 0)
			return 0;
	}
	if (hits & ((1u << N_FAIL) | (1u << N_ERROR))) {
		size_t skip = logs_starts(s, ln->len, "FAIL: ") ? 6 : logs_starts(s, ln->len, "ERROR: ") ? 7 : 0;
		if (skip && plausible_name(s + skip, end))
			logs_acc_failed_name(a, s + skip, (size_t)(end - s - skip));
	}
	return st->after_ran > 0;
}

const struct logs_parser_def logs_parse_unittest = {
	.name = "unittest",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
};

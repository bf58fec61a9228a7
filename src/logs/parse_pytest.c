/*
 * pytest: the summary line, in its bar form and in -q form, in any order of
 * its parts ("= 1 failed, 802 passed, 66 skipped, 1 xfailed in 12.3s (0:00:12) ="
 * or "3 passed, 1 warning in 0.5s"), summed over every session in the log
 * (tox and nox run one per environment).
 *
 * Counting as BugSwarm: run = passed + failed + errors + xfailed + xpassed
 * (the reference counts expected failures and unexpected passes as run),
 * failed = failed + errors, skipped = skipped. Warnings, deselected and
 * reruns are not tests.
 *
 * Failed names come from the short summary ("FAILED tests/a.py::test_x - ...",
 * "ERROR tests/a.py::test_y") and verbose lines ("tests/a.py::test_x FAILED").
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { " passed", " failed", " error", " skipped", "xfailed", "xpassed",
				       "no tests ran", "FAILED ", "ERROR ", " FAILED", NULL };
enum { N_PASSED, N_FAILED, N_ERROR, N_SKIPPED, N_XFAILED, N_XPASSED, N_NOTESTS, N_FAILED_PFX,
       N_ERROR_PFX, N_FAILED_SFX };

struct tally {
	long long run, failed, skipped;
	int unknown, any;
};

static void pair(void *ctx, long long n, const char *w, size_t wl)
{
	struct tally *t = ctx;
	t->any = 1;
	if (logs_word_is(w, wl, "warning") || logs_word_is(w, wl, "warnings") ||
	    logs_word_is(w, wl, "pytest-warnings") || logs_word_is(w, wl, "pytest-warning"))
		t->any = t->run || t->failed || t->skipped; /* "1 warning" alone is no summary... */
	if (logs_word_is(w, wl, "passed") || logs_word_is(w, wl, "xfailed") || logs_word_is(w, wl, "xpassed")) {
		t->run += n;
	} else if (logs_word_is(w, wl, "failed") || logs_word_is(w, wl, "error") ||
		   logs_word_is(w, wl, "errors") || logs_word_is(w, wl, "errored")) {
		t->run += n;
		t->failed += n;
	} else if (logs_word_is(w, wl, "skipped")) {
		t->skipped += n;
	} else if (!(logs_word_is(w, wl, "warning") || logs_word_is(w, wl, "warnings") ||
		     logs_word_is(w, wl, "deselected") || logs_word_is(w, wl, "rerun") ||
		     logs_word_is(w, wl, "pytest-warnings") || logs_word_is(w, wl, "pytest-warning") ||
		     logs_word_is(w, wl, "subtests"))) {
		t->unknown = 1;
	}
}

/*
 * The summary grammar: [=+ ] pair (", " pair)* " in " NUM ("s" [" (h:mm:ss)"] | " seconds") [" =+"].
 * Returns 1 and fills t and *sec when s is a summary.
 */
static int summary(const char *s, size_t len, struct tally *t, double *sec)
{
	const char *p = s, *end = s + len;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	p = logs_skip_ws(p, end);
	if (p < end && *p == '=') {
		while (p < end && *p == '=')
			p++;
		if (p >= end || *p != ' ')
			return 0;
		p++;
		while (end > p && end[-1] == '=')
			end--;
		if (end > p && end[-1] == ' ')
			end--;
		else
			return 0;
	}
	if (end - p >= 12 && memcmp(p, "no tests ran", 12) == 0) {
		p += 12;
	} else {
		/* the pairs end at " in " */
		const char *in = NULL;
		for (const char *q = p; q + 4 <= end; q++)
			if (memcmp(q, " in ", 4) == 0)
				in = q;
		if (!in)
			return 0;
		/* every token before " in " must be "N word" separated by ", " */
		const char *q = p;
		while (q < in) {
			if (logs_read_int(&q, in) < 0 || q >= in || *q != ' ')
				return 0;
			q++;
			const char *w = q;
			while (q < in && *q != ',')
				q++;
			for (const char *c = w; c < q; c++)
				if (!((*c >= 'a' && *c <= 'z') || *c == '-' || *c == ' '))
					return 0;
			if (q < in) {
				if (in - q < 2 || q[1] != ' ')
					return 0;
				q += 2;
			}
		}
		logs_pairs(p, (size_t)(in - p), pair, t);
		/* words a plugin adds ("3 flaky") are ignored; one known word is required */
		if (!t->any)
			return 0;
		p = in;
	}
	if (end - p < 4 || memcmp(p, " in ", 4) != 0)
		return 0;
	p += 4;
	double v = logs_read_num(&p, end);
	if (v < 0)
		return 0;
	if (p < end && *p == 's') {
		p++;
		if (p < end && *p == ' ') { /* " (0:21:24)" */
			p++;
			if (p >= end || *p != '(' || end[-1] != ')')
				return 0;
			p = end;
		}
	} else if (end - p >= 8 && memcmp(p, " seconds", 8) == 0) {
		p += 8;
	} else {
		return 0;
	}
	if (p != end)
		return 0;
	*sec = v;
	return 1;
}

/* A pytest node id: has "::" or ends in ".py" (a collection error), no spaces. */
static size_t nodeid_len(const char *s, const char *end)
{
	const char *p = s;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	size_t n = (size_t)(p - s);
	if (n == 0)
		return 0;
	if (memmem(s, n, "::", 2) || (n > 3 && memcmp(p - 3, ".py", 3) == 0))
		return n;
	return 0;
}

static int line(void *st, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	const char *s = ln->s, *end = s + ln->len;
	if (hits & ((1u << N_FAILED_PFX) | (1u << N_ERROR_PFX))) {
		size_t skip = logs_starts(s, ln->len, "FAILED ") ? 7 : logs_starts(s, ln->len, "ERROR ") ? 6 : 0;
		size_t n = skip ? nodeid_len(s + skip, end) : 0;
		if (n) {
			logs_acc_failed_name(a, s + skip, n);
			return 0;
		}
	}
	if (hits & (1u << N_FAILED_SFX)) {
		/* verbose: "tests/a.py::test_x FAILED   [ 50%]" */
		size_t n = nodeid_len(s, end);
		if (n && memmem(s, n, "::", 2) && logs_starts(s + n, (size_t)(end - s - n), " FAILED")) {
			logs_acc_failed_name(a, s, n);
			return 0;
		}
	}
	if (!(hits & ((1u << N_PASSED) | (1u << N_FAILED) | (1u << N_ERROR) | (1u << N_SKIPPED) |
		      (1u << N_XFAILED) | (1u << N_XPASSED) | (1u << N_NOTESTS))))
		return 0;
	if (ln->len > 400)
		return 0;
	struct tally t = { 0, 0, 0, 0, 0 };
	double sec = 0;
	if (!summary(s, ln->len, &t, &sec))
		return 0;
	logs_acc_counts(a, "pytest", t.run, t.failed, t.skipped);
	logs_acc_duration(a, sec);
	return 0;
}

const struct logs_parser_def logs_parse_pytest = {
	.name = "pytest",
	.needles = needles,
	.line = line,
};

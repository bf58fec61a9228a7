/*
 * Mocha's spec reporter: "  422 passing (1m)", "  7 pending", "  2 failing",
 * each on a line of its own, one group per mocha run, summed; and
 * karma-mocha-reporter's "SUMMARY:" block ("✔ 1536 tests completed",
 * "ℹ 7 tests skipped", "✖ 30 tests failed"), which the reference analyzers
 * also count as mocha.
 *
 * Counting as BugSwarm: run = passing + failing, failed = failing,
 * skipped = pending. Duration from "(1m)", "(41s)", "(654ms)".
 * Failed names: the numbered list after "N failing" ("  1) Suite", then
 * "       test name:" lines up to the one ending in ':').
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { " passing", " failing", " pending", "tests completed",
				       "test completed", "tests failed", "test failed", "tests skipped",
				       "test skipped", "Finished in ", NULL };
enum { N_PASSING, N_FAILING, N_PENDING, N_COMPLETED, N_COMPLETED1, N_TFAILED, N_TFAILED1, N_TSKIPPED,
       N_TSKIPPED1, N_FINISHED };

struct state {
	int list;          /* reading the failure list */
	int list_lines;    /* bound on it */
	int in_name;       /* inside a numbered name */
	char name[512];
	size_t name_len;
	int karma_summary; /* lines left of a karma-mocha-reporter summary */
};

/*
 * "<ws>N word<ws>" or "<ws>N word (dur)<ws>" where word is the given one, after
 * an optional runner prefix (lerna's "@scope/pkg: ", "[test] "); returns N or -1.
 */
static long long count_line(const char *s, const char *end, const char *word, double *dur)
{
	const char *w = logs_find(s, (size_t)(end - s), word);
	if (!w)
		return -1;
	const char *p = w;
	while (p > s && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == w)
		return -1;
	/* before the count: nothing, or a runner's prefix ending in ':', '|', ']' or '>' and spaces
	 * (so that RSpec's "2053 examples, 0 failures, 8 pending" is not taken for mocha) */
	const char *q = p;
	while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	if (q == p && q > s)
		return -1;
	if (q > s && q[-1] != ':' && q[-1] != '|' && q[-1] != ']' && q[-1] != '>')
		return -1;
	long long n = logs_read_int(&p, end);
	p = w + strlen(word);
	if (dur && p < end && *p == ' ' && p + 1 < end && p[1] == '(') {
		const char *c = memchr(p, ')', (size_t)(end - p));
		if (!c)
			return -1;
		*dur = logs_parse_duration(p + 2, (size_t)(c - p - 2));
		p = c + 1;
	}
	p = logs_skip_ws(p, end);
	return p == end ? n : -1;
}

static void name_add(struct state *st, const char *s, size_t n)
{
	if (st->name_len && st->name_len + 1 < sizeof(st->name))
		st->name[st->name_len++] = ' ';
	if (st->name_len + n >= sizeof(st->name))
		n = sizeof(st->name) - 1 - st->name_len;
	memcpy(st->name + st->name_len, s, n);
	st->name_len += n;
}

static void list_line(struct state *st, struct logs_acc *a, const char *s, const char *end)
{
	const char *b = logs_skip_ws(s, end);
	if (b == end)
		return;
	if (b == s) { /* mocha indents its whole report: a line at column 0 ends it */
		st->list = 0;
		return;
	}
	const char *p = b;
	if (logs_read_int(&p, end) >= 0 && p + 1 < end && p[0] == ')' && p[1] == ' ') {
		st->in_name = 1;
		st->name_len = 0;
		b = p + 2;
	} else if (!st->in_name) {
		return;
	}
	int last = end[-1] == ':';
	name_add(st, b, (size_t)(end - b - (last ? 1 : 0)));
	if (last) {
		logs_acc_failed_name(a, st->name, st->name_len);
		st->in_name = 0;
	}
}

static int karma_line(struct logs_acc *a, const char *s, const char *end, unsigned hits)
{
	/* "✔ 1536 tests completed" after a two- or three-byte symbol and a space */
	const char *p = s;
	while (p < end && (unsigned char)*p >= 0x80)
		p++;
	if (p == s || p >= end || *p != ' ')
		return 0;
	p++;
	long long n = logs_read_int(&p, end);
	if (n < 0)
		return 0;
	if (hits & ((1u << N_COMPLETED) | (1u << N_COMPLETED1)))
		logs_acc_counts(a, "mocha", n, 0, 0);
	else if (hits & ((1u << N_TFAILED) | (1u << N_TFAILED1)))
		logs_acc_counts(a, "mocha", n, n, 0);
	else
		logs_acc_counts(a, "mocha", 0, 0, n);
	return 1;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (st->list && !hits) {
		if (--st->list_lines <= 0)
			st->list = 0;
		list_line(st, a, s, end);
		return st->list;
	}
	double dur = -1;
	long long n;
	if ((hits & (1u << N_PASSING)) && (n = count_line(s, end, " passing", &dur)) >= 0) {
		logs_acc_counts(a, "mocha", n, 0, 0);
		logs_acc_duration(a, dur);
	} else if ((hits & (1u << N_FAILING)) && (n = count_line(s, end, " failing", NULL)) >= 0) {
		logs_acc_counts(a, "mocha", n, n, 0);
		st->list = 1;
		st->list_lines = 20000;
		st->in_name = 0;
		return 1;
	} else if ((hits & (1u << N_PENDING)) && (n = count_line(s, end, " pending", NULL)) >= 0) {
		logs_acc_counts(a, "mocha", 0, 0, n);
	} else if (hits & ((1u << N_COMPLETED) | (1u << N_COMPLETED1) | (1u << N_TFAILED) | (1u << N_TFAILED1) |
			   (1u << N_TSKIPPED) | (1u << N_TSKIPPED1))) {
		if (karma_line(a, s, end, hits))
			st->karma_summary = 4;
	} else if ((hits & (1u << N_FINISHED)) && logs_starts(s, (size_t)(end - s), "Finished in ") &&
		   logs_find(s, (size_t)(end - s), " secs /")) {
		/* karma-mocha-reporter: "Finished in 39.232 secs / 38.1 secs @ 10:39:36 GMT" */
		logs_acc_duration(a, logs_parse_duration(s + 12, (size_t)(end - s - 12)));
	}
	if (st->list) {
		list_line(st, a, s, end);
		return 1;
	}
	return 0;
}

const struct logs_parser_def logs_parse_mocha = {
	.name = "mocha",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
};

/*
 * Karma's progress reporter: "Chrome Headless 98 (Linux): Executed 10 of 12
 * (2 FAILED) (skipped 2) (0.5 secs / 0.4 secs)", repeated as tests finish
 * (every step is a line of its own in a CI log), ending in "Executed 12 of 12
 * SUCCESS (...)" or "Executed 10 of 12 (2 FAILED) (...)". Only each run's last
 * line per browser counts: a new run is seen when a browser's executed count
 * goes down. With several browsers Karma closes with "TOTAL: 2 FAILED, 10
 * SUCCESS", which is used instead.
 *
 * Counting: run = executed, failed = FAILED, skipped = skipped.
 * Failed names: "Chrome 98 (Linux) Suite does something FAILED".
 */
#include "logs/logs_internal.h"
#include "core/buf.h"
#include <string.h>

static const char *const needles[] = { "Executed ", "TOTAL: ", NULL };
enum { N_EXECUTED, N_TOTAL };

#define BROWSERS 8

struct browser {
	uint64_t id; /* hash of the text before "Executed" */
	long long run, failed, skipped;
};

struct state {
	struct browser b[BROWSERS];
	int n;
	int total_seen;
	long long t_run, t_failed;
};

static long long v0(long long v)
{
	return v > 0 ? v : 0;
}

static void commit(struct state *st, struct logs_acc *a, struct browser *br)
{
	if (!st->total_seen)
		logs_acc_counts(a, "karma", br->run, br->failed, br->skipped);
	br->run = br->failed = br->skipped = -1;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	size_t len = ln->len;
	if (hits & (1u << N_EXECUTED)) {
		const char *x = logs_find(s, len, "Executed ");
		const char *p = x + 9;
		long long n = logs_read_int(&p, end);
		if (n < 0 || !logs_starts(p, (size_t)(end - p), " of "))
			return 0;
		p += 4;
		if (logs_read_int(&p, end) < 0)
			return 0;
		logs_acc_framework(a, "karma");
		uint64_t id = hash_fnv1a(s, (size_t)(x - s));
		struct browser *br = NULL;
		for (int i = 0; i < st->n; i++)
			if (st->b[i].id == id)
				br = &st->b[i];
		if (!br && st->n < BROWSERS) {
			br = &st->b[st->n++];
			br->id = id;
			br->run = -1;
		}
		if (!br)
			return 0;
		if (br->run >= 0 && n < br->run) /* a new run of this browser */
			commit(st, a, br);
		br->run = n;
		const char *fl = logs_find(p, (size_t)(end - p), " FAILED)");
		long long f = 0;
		if (fl) {
			const char *r = fl;
			while (r > p && r[-1] >= '0' && r[-1] <= '9')
				r--;
			f = v0(logs_read_int(&r, end));
		}
		br->failed = f;
		br->skipped = v0(logs_value_after(p, (size_t)(end - p), "(skipped"));
		return 0;
	}
	if ((hits & (1u << N_TOTAL)) && logs_starts(logs_skip_ws(s, end), (size_t)(end - logs_skip_ws(s, end)), "TOTAL: ")) {
		long long f = 0, ok = 0;
		const char *fe = logs_find(s, len, " FAILED"), *se = logs_find(s, len, " SUCCESS");
		for (int i = 0; i < 2; i++) {
			const char *x = i ? se : fe;
			if (!x)
				continue;
			const char *r = x;
			while (r > s && r[-1] >= '0' && r[-1] <= '9')
				r--;
			*(i ? &ok : &f) = v0(logs_read_int(&r, end));
		}
		st->total_seen = 1;
		logs_acc_counts(a, "karma", ok + f, f, 0);
		for (int i = 0; i < st->n; i++)
			st->b[i].run = -1;
	}
	return 0;
}

static void finish(void *stp, const void *sh, struct logs_acc *a)
{
	struct state *st = stp;
	for (int i = 0; i < st->n; i++)
		if (st->b[i].run >= 0)
			commit(st, a, &st->b[i]);
}

const struct logs_parser_def logs_parse_karma = {
	.name = "karma",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
	.finish = finish,
};

/*
 * go test and gotestsum.
 *
 * go test -v prints one "--- PASS: TestX (0.00s)" / "--- FAIL: ..." /
 * "--- SKIP: ..." per test and subtest (subtests indented), and per package
 * "ok  \tpkg\t0.12s" or "FAIL\tpkg\t0.10s". Tests are counted from the
 * per-test lines, summed over packages; the package lines give the
 * duration and say that go test ran, but are not tests: a failing package
 * repeats its failing tests' verdict, and counting it too would count the
 * failure twice. Without -v only failures are listed.
 *
 * gotestsum ends with "DONE 123 tests, 4 skipped, 2 failures in 3.456s"; it
 * is authoritative for the run it closes (its standard-verbose format also
 * prints the per-test lines, which are then not added again).
 *
 * Counting: run = passed + failed, failed, skipped.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "--- PASS: ", "--- FAIL: ", "--- SKIP: ", "ok  \t", "FAIL\t",
				       "DONE ", NULL };
enum { N_PASS, N_FAIL, N_SKIP, N_OK, N_FAILPKG, N_DONE };

struct state {
	long long pass, fail, skip; /* since the last gotestsum DONE */
	int any;
};

static long long v0(long long v)
{
	return v > 0 ? v : 0;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if (hits & ((1u << N_PASS) | (1u << N_FAIL) | (1u << N_SKIP))) {
		if (bl > 10 && logs_starts(b, bl, "--- ") && b[10] != ' ') {
			const char *name = b + 10, *stop = name;
			while (stop < end && *stop != ' ')
				stop++;
			if (hits & (1u << N_PASS) && b[4] == 'P')
				st->pass++;
			else if (hits & (1u << N_FAIL) && b[4] == 'F') {
				st->fail++;
				logs_acc_failed_name(a, name, (size_t)(stop - name));
			} else if (b[4] == 'S')
				st->skip++;
			st->any = 1;
			logs_acc_framework(a, "gotest");
		}
		return 0;
	}
	if (hits & ((1u << N_OK) | (1u << N_FAILPKG))) {
		/* "ok  \tgithub.com/a/b\t0.004s" / "FAIL\tgithub.com/a/b\t0.1s" / "ok  \tpkg\t(cached)" */
		if ((logs_starts(s, ln->len, "ok  \t") || logs_starts(s, ln->len, "FAIL\t"))) {
			const char *tab = memchr(s + 5, '\t', ln->len - 5);
			logs_acc_framework(a, "gotest");
			a->res->tests_recognised = 1;
			if (tab) {
				double sec = logs_parse_duration(tab + 1, (size_t)(end - tab - 1));
				logs_acc_duration(a, sec);
			}
		}
		return 0;
	}
	if ((hits & (1u << N_DONE)) && logs_starts(b, bl, "DONE ")) {
		const char *p = b + 5;
		long long n = logs_read_int(&p, end);
		if (n >= 0 && (logs_starts(p, (size_t)(end - p), " tests") || logs_starts(p, (size_t)(end - p), " test"))) {
			long long sk = 0, f = 0;
			const char *q = p;
			while ((q = memchr(q, ',', (size_t)(end - q))) != NULL) {
				q = logs_skip_ws(q + 1, end);
				long long v = logs_read_int(&q, end);
				if (v < 0)
					break;
				if (logs_starts(q, (size_t)(end - q), " skipped"))
					sk += v;
				else if (logs_starts(q, (size_t)(end - q), " failure") || logs_starts(q, (size_t)(end - q), " error"))
					f += v;
			}
			logs_acc_counts(a, "gotest", v0(n - sk), f, sk);
			st->pass = st->fail = st->skip = 0;
			st->any = 0;
			const char *in = logs_find(p, (size_t)(end - p), " in ");
			if (in)
				logs_acc_duration(a, logs_parse_duration(in + 4, (size_t)(end - in - 4)));
		}
	}
	return 0;
}

static void finish(void *stp, const void *sh, struct logs_acc *a)
{
	struct state *st = stp;
	if (st->any)
		logs_acc_counts(a, "gotest", st->pass + st->fail, st->fail, st->skip);
}

const struct logs_parser_def logs_parse_gotest = {
	.name = "gotest",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
	.finish = finish,
};

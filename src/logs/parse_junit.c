/*
 * JUnit as Maven surefire/failsafe, Ant's <junit> task and the JUnit 4/5
 * console runners print it, and TestNG's own summary.
 *
 * Surefire prints one line per test class ("Tests run: 3, Failures: 0,
 * Errors: 0, Skipped: 0, Time elapsed: 0.5 s - in a.BTest") and, under
 * "Results :", one summary per module without "Time elapsed". The module
 * summaries are summed (every module, every plugin run); the per-class
 * lines are the fallback for logs that print no summary at all (Ant, a
 * crashed fork), kept aside and added at the end only then (and not when
 * Gradle gave its own totals: a later step re-printing the XML reports
 * repeats them), so that the
 * summaries never count a class twice even when parallel modules interleave.
 * Ant sometimes prints a class line twice in a row: the repeat is ignored.
 *
 * TestNG: "Total tests run: 12, Failures: 1, Skips: 2" at the start of a line
 * (an indented one is TestNG's nested report inside Gradle, whose own total
 * already has those tests). JUnit 5 console launcher: "[ 12 tests found ]".
 *
 * Counting as the reference analyzers: run = "Tests run" (surefire includes
 * skipped tests in it), failed = Failures + Errors.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "Tests run:", "Total tests run:", "T E S T S", "<<< FAILURE!",
				       "<<< ERROR!",  "Testcase: ",       "tests found", "tests failed",
				       "tests skipped", "tests aborted", "Test run finished after", NULL };
enum { N_TESTS_RUN, N_TOTAL, N_HEADER, N_FAILURE, N_ERROR, N_TESTCASE, N_FOUND, N_TFAILED, N_TSKIPPED,
       N_TABORTED, N_LAUNCHER };

struct state {
	long long p_run, p_failed, p_skipped; /* per-class lines, the fallback */
	int any_class, any_summary;
	uint64_t last_hash; /* of the previous class line, to drop Ant's repeats */
	int launcher;       /* lines left of a JUnit 5 console launcher summary */
};

/* After any "[INFO] " / "[ERROR] " / "[junit] " prefix and spaces. */
static const char *body(const char *s, const char *end)
{
	s = logs_skip_ws(s, end);
	while (s < end && *s == '[') {
		const char *c = memchr(s, ']', (size_t)(end - s));
		if (!c || c - s > 12)
			break;
		s = logs_skip_ws(c + 1, end);
	}
	return s;
}

static void tests_run_line(struct state *st, struct logs_acc *a, const char *s, const char *end)
{
	const char *b = body(s, end);
	size_t bl = (size_t)(end - b);
	if (!logs_starts(b, bl, "Tests run:"))
		return;
	long long run = logs_value_after(b, bl, "Tests run"), fail = logs_value_after(b, bl, "Failures");
	long long errs = logs_value_after(b, bl, "Errors"), skip = logs_value_after(b, bl, "Skipped");
	long long aborted = logs_value_after(b, bl, "Aborted");
	if (run < 0 || fail < 0)
		return;
	if (errs < 0 && aborted < 0) {
		/* JUnit 3/4 text runner: "Tests run: 5,  Failures: 1" alone at column 0; TestNG's
		 * indented per-suite "Tests run: 2, Failures: 0, Skips: 0" is not a JUnit count */
		if (b != s || logs_find(b, bl, "Skips") || logs_find(b, bl, "Time elapsed"))
			return;
		errs = 0;
	}
	long long failed = fail + (errs > 0 ? errs : 0);
	long long skipped = (skip > 0 ? skip : 0) + (aborted > 0 ? aborted : 0);
	const char *te = logs_find(b, bl, "Time elapsed:");
	if (!te) {
		logs_acc_counts(a, "JUnit", run, failed, skipped);
		st->any_summary = 1;
		return;
	}
	uint64_t h = hash_fnv1a(b, bl);
	if (h == st->last_hash)
		return;
	st->last_hash = h;
	logs_acc_framework(a, "JUnit");
	const char *tp = te + 13;
	double sec = logs_parse_duration(tp, (size_t)(end - tp));
	if (sec >= 0)
		logs_acc_duration(a, sec);
	if (run == 0 && errs == 1 && fail == 0)
		return; /* Ant: a failed @BeforeClass, no test ran */
	st->any_class = 1;
	st->p_run += run;
	st->p_failed += failed;
	st->p_skipped += skipped;
}

static void testng_line(struct logs_acc *a, const char *s, const char *end)
{
	const char *b = s;
	if (logs_starts(b, (size_t)(end - b), "[INFO] ") || logs_starts(b, (size_t)(end - b), "[ERROR] "))
		b = logs_skip_ws(memchr(b, ']', (size_t)(end - b)) + 1, end);
	size_t bl = (size_t)(end - b);
	if (!logs_starts(b, bl, "Total tests run:"))
		return;
	long long run = logs_value_after(b, bl, "Total tests run"), fail = logs_value_after(b, bl, "Failures");
	long long skip = logs_value_after(b, bl, "Skips");
	if (run < 0 || fail < 0)
		return;
	logs_acc_counts(a, "testng", run, fail, skip);
}

/* "[ERROR] testFoo(a.BTest)  Time elapsed: 0.01 s  <<< FAILURE!", "[ERROR] a.BTest.testFoo  Time ...",
 * or Surefire 3's "[ERROR] a.BTest.testFoo -- Time elapsed: 0.01 s <<< FAILURE!" */
static void failure_line(struct logs_acc *a, const char *s, const char *end)
{
	const char *b = body(s, end);
	if (logs_starts(b, (size_t)(end - b), "Tests run:"))
		return;
	const char *stop = logs_find(b, (size_t)(end - b), " -- Time elapsed");
	if (!stop)
		stop = logs_find(b, (size_t)(end - b), "  Time elapsed");
	if (!stop)
		stop = logs_find(b, (size_t)(end - b), " <<< ");
	if (stop && stop > b)
		logs_acc_failed_name(a, b, (size_t)(stop - b));
}

static int launcher_line(struct state *st, struct logs_acc *a, const char *s, const char *end, unsigned hits)
{
	/* "[        12 tests found           ]" */
	const char *p = logs_skip_ws(s, end);
	if (p >= end || *p != '[')
		return st->launcher > 0;
	p = logs_skip_ws(p + 1, end);
	long long n = logs_read_int(&p, end);
	if (n < 0)
		return st->launcher > 0;
	if (hits & (1u << N_FOUND))
		logs_acc_counts(a, "JUnit", n, 0, 0);
	else if (hits & (1u << N_TFAILED))
		logs_acc_counts(a, "JUnit", 0, n, 0);
	else if (hits & ((1u << N_TSKIPPED) | (1u << N_TABORTED)))
		logs_acc_counts(a, "JUnit", 0, 0, n);
	return st->launcher > 0;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	if (hits & (1u << N_TESTS_RUN))
		tests_run_line(st, a, s, end);
	if (hits & (1u << N_TOTAL))
		testng_line(a, s, end);
	if (hits & ((1u << N_FAILURE) | (1u << N_ERROR)))
		failure_line(a, s, end);
	if (hits & (1u << N_TESTCASE)) {
		/* Ant: "Testcase: testFoo(a.BTest):\tFAILED" or "...:\tCaused an ERROR" */
		const char *t = logs_find(s, ln->len, "Testcase: ") + 10;
		const char *c = logs_find(t, (size_t)(end - t), "):");
		if (c && (logs_find(c, (size_t)(end - c), "FAILED") || logs_find(c, (size_t)(end - c), "Caused an ERROR")))
			logs_acc_failed_name(a, t, (size_t)(c + 1 - t));
	}
	if (hits & (1u << N_LAUNCHER)) {
		st->launcher = 12;
		logs_acc_framework(a, "JUnit");
	} else if (st->launcher > 0) {
		st->launcher--;
		launcher_line(st, a, s, end, hits);
	}
	return st->launcher > 0;
}

static void finish(void *stp, const void *sh, struct logs_acc *a)
{
	struct state *st = stp;
	if (!st->any_summary && st->any_class && !a->gradle_totals)
		logs_acc_counts(a, "JUnit", st->p_run, st->p_failed, st->p_skipped);
}

const struct logs_parser_def logs_parse_junit = {
	.name = "junit",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
	.finish = finish,
};

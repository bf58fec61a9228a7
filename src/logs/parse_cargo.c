/*
 * Rust: cargo test and cargo-nextest.
 *
 * cargo test prints "test result: ok. 5 passed; 1 failed; 2 ignored; 0 measured;
 * 0 filtered out; finished in 0.01s" once per test binary and once for the
 * doc-tests; all are summed. Failed names: "test tests::it_works ... FAILED".
 *
 * nextest prints one closing "Summary [   0.123s] 10 tests run: 9 passed,
 * 1 failed, 2 skipped" (older: "N tests run: ..."), and per test
 * "        FAIL [   0.003s] crate tests::name".
 *
 * Counting: run = passed + failed, skipped = ignored / skipped.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "test result: ", " ... FAILED", "tests run: ", "test run: ",
				       "FAIL [", NULL };
enum { N_RESULT, N_FAILED, N_NEXTEST, N_NEXTEST1, N_NEXTEST_FAIL };

struct tally {
	long long passed, failed, skipped;
};

static void pair(void *ctx, long long n, const char *w, size_t wl)
{
	struct tally *t = ctx;
	if (logs_word_is(w, wl, "passed"))
		t->passed += n;
	else if (logs_word_is(w, wl, "failed") || logs_word_is(w, wl, "timed"))
		t->failed += n;
	else if (logs_word_is(w, wl, "ignored") || logs_word_is(w, wl, "skipped"))
		t->skipped += n;
}

static int line(void *st, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if ((hits & (1u << N_RESULT)) && logs_starts(b, bl, "test result: ")) {
		struct tally t = { 0, 0, 0 };
		const char *p = b + 13;
		if (logs_pairs(p, (size_t)(end - p), pair, &t) > 0) {
			logs_acc_counts(a, "cargo", t.passed + t.failed, t.failed, t.skipped);
			const char *fin = logs_find(p, (size_t)(end - p), "finished in ");
			if (fin)
				logs_acc_duration(a, logs_parse_duration(fin + 12, (size_t)(end - fin - 12)));
		}
	}
	if ((hits & (1u << N_FAILED)) && logs_starts(b, bl, "test ")) {
		const char *stop = logs_find(b, bl, " ... FAILED");
		if (stop && stop > b + 5)
			logs_acc_failed_name(a, b + 5, (size_t)(stop - b - 5));
	}
	if ((hits & ((1u << N_NEXTEST) | (1u << N_NEXTEST1))) && logs_starts(b, bl, "Summary [")) {
		const char *c = memchr(b, ']', bl);
		if (c) {
			const char *dur = logs_skip_ws(b + 9, c);
			const char *run = logs_find(c, (size_t)(end - c), "run: ");
			struct tally t = { 0, 0, 0 };
			if (run && logs_pairs(run + 5, (size_t)(end - run - 5), pair, &t) > 0) {
				logs_acc_counts(a, "nextest", t.passed + t.failed, t.failed, t.skipped);
				logs_acc_duration(a, logs_parse_duration(dur, (size_t)(c - dur)));
			}
		}
	}
	if ((hits & (1u << N_NEXTEST_FAIL)) && logs_starts(b, bl, "FAIL [")) {
		const char *c = memchr(b, ']', bl);
		if (c) {
			const char *name = logs_skip_ws(c + 1, end);
			if (name < end)
				logs_acc_failed_name(a, name, (size_t)(end - name));
		}
	}
	return 0;
}

const struct logs_parser_def logs_parse_cargo = {
	.name = "cargo",
	.needles = needles,
	.line = line,
};

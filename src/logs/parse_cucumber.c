/*
 * Cucumber: "206 scenarios (3 failed, 1 skipped, 202 passed)" (also
 * "1 scenario (1 undefined)", "0 scenarios"), then "N steps (...)" and the
 * duration line "1m2.345s" (newer: "0m1.234s (0m0.5s executing your code)").
 * Summed over runs.
 *
 * Counting as TravisTorrent: run = scenarios, failed = failed, skipped =
 * skipped. Failed names: the "Failing Scenarios:" list
 * ("cucumber features/a.feature:12 # Scenario: does b").
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { " scenario", " steps (", " step (", "cucumber ", NULL };
enum { N_SCENARIOS, N_STEPS, N_STEP1, N_CUCUMBER };

struct state {
	int want_time;
};

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if (st->want_time && !hits) {
		st->want_time = 0;
		/* "1m2.345s" */
		const char *p = b;
		if (logs_read_num(&p, end) >= 0 && p < end && *p == 'm')
			logs_acc_duration(a, logs_parse_duration(b, bl));
		return 0;
	}
	if (hits & (1u << N_SCENARIOS)) {
		const char *p = b;
		long long n = logs_read_int(&p, end);
		size_t pl = (size_t)(end - p);
		if (n >= 0 && (logs_starts(p, pl, " scenarios") || logs_starts(p, pl, " scenario")) &&
		    (pl == 9 || p[9] == ' ' || p[9] == 's')) {
			const char *q = p + (logs_starts(p, pl, " scenarios") ? 10 : 9);
			q = logs_skip_ws(q, end);
			if (q == end || *q == '(') {
				const char *fe = logs_find(q, (size_t)(end - q), " failed");
				const char *se = logs_find(q, (size_t)(end - q), " skipped");
				long long f = 0, sk = 0;
				for (int i = 0; i < 2; i++) {
					const char *x = i ? se : fe;
					if (!x)
						continue;
					const char *r = x;
					while (r > q && r[-1] >= '0' && r[-1] <= '9')
						r--;
					long long v = logs_read_int(&r, end);
					if (v > 0)
						*(i ? &sk : &f) = v;
				}
				logs_acc_counts(a, "cucumber", n, f, sk);
			}
		}
	}
	if (hits & ((1u << N_STEPS) | (1u << N_STEP1))) {
		const char *p = b;
		if (logs_read_int(&p, end) >= 0 && (logs_starts(p, (size_t)(end - p), " steps (") ||
						    logs_starts(p, (size_t)(end - p), " step (")))
			st->want_time = 1;
		return st->want_time;
	}
	if ((hits & (1u << N_CUCUMBER)) && logs_starts(b, bl, "cucumber ") && logs_find(b, bl, " # Scenario")) {
		const char *n = b + 9, *stop = n;
		while (stop < end && *stop != ' ')
			stop++;
		logs_acc_failed_name(a, n, (size_t)(stop - n));
	}
	return 0;
}

const struct logs_parser_def logs_parse_cucumber = {
	.name = "cucumber",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
};

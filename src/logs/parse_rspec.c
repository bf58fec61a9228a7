/*
 * RSpec: "2053 examples, 0 failures, 8 pending" (also "1 example, 1 failure",
 * and ", 2 errors occurred outside of examples"), one per rspec run, summed;
 * "Finished in 1 minute 2.5 seconds (files took 3 seconds to load)" gives the
 * duration (Minitest's "Finished in 0.12s, 100 runs/s" too: this parser owns
 * "Finished in" for Ruby so that it is summed once).
 *
 * Counting as TravisTorrent: run = examples (RSpec counts pending ones in
 * it), failed = failures, skipped = pending. Failed names: the "Failed
 * examples:" list ("rspec ./spec/a_spec.rb:12 # A does b").
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { " example", "rspec ./", "rspec spec", "Finished in ", NULL };
enum { N_EXAMPLES, N_RSPEC_DOT, N_RSPEC_SPEC, N_FINISHED };

static int line(void *st, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	if (hits & (1u << N_EXAMPLES)) {
		const char *p = b;
		long long n = logs_read_int(&p, end);
		if (n >= 0 && (logs_starts(p, (size_t)(end - p), " examples, ") || logs_starts(p, (size_t)(end - p), " example, "))) {
			const char *q = memchr(p, ',', (size_t)(end - p)) + 1;
			q = logs_skip_ws(q, end);
			long long f = logs_read_int(&q, end);
			if (f >= 0 && (logs_starts(q, (size_t)(end - q), " failure"))) {
				long long pend = logs_value_after(q, (size_t)(end - q), ", ");
				const char *pp = logs_find(q, (size_t)(end - q), " pending");
				logs_acc_counts(a, "rspec", n, f, pp && pend >= 0 ? pend : 0);
			}
		}
	}
	if ((hits & ((1u << N_RSPEC_DOT) | (1u << N_RSPEC_SPEC))) && logs_starts(b, (size_t)(end - b), "rspec ")) {
		const char *n = b + 6, *stop = n;
		while (stop < end && *stop != ' ')
			stop++;
		if (memmem(n, (size_t)(stop - n), ".rb", 3))
			logs_acc_failed_name(a, n, (size_t)(stop - n));
	}
	if ((hits & (1u << N_FINISHED)) && logs_starts(b, (size_t)(end - b), "Finished in ") &&
	    !logs_find(b, (size_t)(end - b), " secs /")) {
		const char *p = b + 12;
		const char *stop = memchr(p, '(', (size_t)(end - p));
		const char *comma = memchr(p, ',', (size_t)(end - p));
		if (!stop || (comma && comma < stop))
			stop = comma ? comma : end;
		logs_acc_duration(a, logs_parse_duration(p, (size_t)(stop - p)));
	}
	return 0;
}

const struct logs_parser_def logs_parse_rspec = {
	.name = "rspec",
	.needles = needles,
	.line = line,
};

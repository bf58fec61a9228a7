/*
 * What the pieces of src/logs/ share and nobody else sees: the normalised
 * line, the accumulator parsers report into, the parser descriptor and the
 * table that lists every parser (parsers.c), and small text helpers.
 *
 * Flow: normalise.c cuts the byte stream into clean lines (struct logs_line)
 * and calls dispatch.c, which finds the lines that contain one of a parser's
 * literal needles (one pass per line for all parsers) and calls that parser.
 * A parser that needs the lines following one of its needles (a list of
 * failed tests under a heading) returns 1 from its line function and then
 * receives every line until it returns 0.
 */
#ifndef LOGS_INTERNAL_H
#define LOGS_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "logs/logs.h"

enum logs_provider { LOGS_PROV_PLAIN = 0, LOGS_PROV_GHA, LOGS_PROV_TRAVIS };

struct logs_line {
	const char *s;     /* normalised text (no ANSI, no timestamp, no CR/LF); not NUL-terminated */
	size_t len;
	int in_fold;       /* inside a Travis fold (whose output the reference analyzers ignore) */
	int in_group;      /* inside a GitHub ##[group] */
	const char *ts;    /* GitHub timestamp text of this line ("2022-...Z"), or NULL */
};

/* Where parsers put what they read. */
struct logs_acc {
	struct logs_result *res;
	struct strmap failed_seen;  /* distinct failed names */
	size_t failed_bytes;
	double duration;            /* summed test durations, < 0 none */
	const char *tool;           /* build tool seen: "maven", "gradle", "ant", "sbt" or NULL */
	enum logs_provider provider;
	char first_ts[32];          /* the log's first GitHub timestamp, "" when none */
	int gradle_totals;          /* Gradle printed "N tests completed" (JUnit class lines then repeat it) */
	struct logs_fail *fail;     /* the failure-chunk extractor (failure.c) */
};

void logs_acc_framework(struct logs_acc *a, const char *fw);
/* Adds a summary: run includes failed; skipped is separate. Also registers fw. */
void logs_acc_counts(struct logs_acc *a, const char *fw, long long run, long long failed,
		     long long skipped);
void logs_acc_duration(struct logs_acc *a, double sec);
void logs_acc_failed_name(struct logs_acc *a, const char *name, size_t len);

#define LOGS_NEEDLES_MAX 16

struct logs_parser_def {
	const char *name;              /* for debugging and docs */
	const char *const *needles;    /* NULL-terminated literals, each at least 4 bytes */
	int sees_folds;                /* also gets lines inside Travis folds */
	size_t state_size;             /* zeroed at the start of each log */
	/* Optional: called once per struct logs_parser (compile patterns); shared is per-parser-type. */
	void *(*compile)(void);
	void (*release)(void *shared);
	/*
	 * hits: bit i set when needles[i] occurs in the line (0 when the line is
	 * passed only because the parser asked for every line). Returns 1 to get
	 * every following line, 0 to get only lines with needles again.
	 */
	int (*line)(void *state, const void *shared, struct logs_acc *a, const struct logs_line *ln,
		    unsigned hits);
	void (*finish)(void *state, const void *shared, struct logs_acc *a);
};

extern const struct logs_parser_def *const logs_parser_defs[];
extern const size_t logs_parser_defs_n;

/* The dispatcher (dispatch.c), driven by the normaliser. */
struct logs_dispatch;
struct logs_dispatch *logs_dispatch_new(void);
void logs_dispatch_free(struct logs_dispatch *d);
void logs_dispatch_begin(struct logs_dispatch *d, struct logs_acc *a);
void logs_dispatch_line(struct logs_dispatch *d, const struct logs_line *ln);
void logs_dispatch_end(struct logs_dispatch *d);

/* The normaliser (normalise.c). */
struct logs_norm;
struct logs_norm *logs_norm_new(struct logs_dispatch *d);
void logs_norm_free(struct logs_norm *n);
void logs_norm_begin(struct logs_norm *n, struct logs_acc *a);
void logs_norm_feed(struct logs_norm *n, const char *data, size_t len);
void logs_norm_end(struct logs_norm *n);

/*
 * The failure-chunk extractor (failure.c). The normaliser hands it every
 * line (blank ones too, with its line number in the raw log) before the
 * dispatcher sees it; its parser definitions get the lines with anchor words.
 */
struct logs_fail;
struct logs_fail *logs_fail_new(void);
void logs_fail_free(struct logs_fail *f);
void logs_fail_begin(struct logs_fail *f);
void logs_fail_line(struct logs_fail *f, const char *s, size_t len, uint64_t no);
/* Fills r->failure when r's status (or failed tests) says the job failed. */
void logs_fail_end(struct logs_fail *f, struct logs_result *r);

/* Text helpers (text.c). All bounded by len; none needs NUL termination. */
const char *logs_find(const char *s, size_t len, const char *needle);
int logs_starts(const char *s, size_t len, const char *prefix);
/* Skips spaces and tabs from the left. */
const char *logs_skip_ws(const char *s, const char *end);
/* Reads a decimal integer at *p (no sign); returns -1 when there is none. Advances *p. */
long long logs_read_int(const char **p, const char *end);
/* Reads a decimal number ("12", "3.25", ".5"); returns -1 when there is none. */
double logs_read_num(const char **p, const char *end);
/*
 * Calls fn for each "<number> <word>" pair in s (word = letters, '-' or '_'),
 * e.g. "5 failed, 124 passed, 3 skipped". Returns the number of pairs.
 */
int logs_pairs(const char *s, size_t len, void (*fn)(void *ctx, long long n, const char *w, size_t wl),
	       void *ctx);
int logs_word_is(const char *w, size_t wl, const char *lit);
/* Value of "<key> <number>" or "<key>=<number>" or "<key>: <number>" after key in s; -1 absent. */
long long logs_value_after(const char *s, size_t len, const char *key);
/* Parses durations such as "1m 5s", "2.5 s", "1:02 min", "350ms", "0:01:02"; < 0 when none. */
double logs_parse_duration(const char *s, size_t len);

#endif

/*
 * Build-log analysis: what a CI job log says about the tests it ran.
 *
 * A log (GitHub Actions, Travis CI, CircleCI or any plain console output) is
 * read once, as a stream: the normaliser strips GitHub's timestamp prefixes,
 * ANSI escapes, carriage-return progress frames and NUL bytes, follows
 * GitHub's ##[group]/##[endgroup]/##[error] markers and Travis's
 * travis_fold/travis_time markers, and hands each line to one parser per test
 * framework (pytest, unittest, Maven surefire, Gradle, Jest, go test, ...; see
 * docs/logs.md for the list and the counting conventions). Memory is bounded
 * whatever the input: lines longer than LOGS_LINE_MAX are truncated for
 * parsing, failed-test names are capped, nothing holds the whole log.
 *
 * Counting follows TravisTorrent and BugSwarm: tests_run = tests_ok +
 * tests_failed; skipped tests are not counted as run, except where the tool's
 * own "tests run" figure includes them (Maven, Gradle, unittest, sbt), which
 * the reference analyzers take as it is. A result with tests_recognised == 0
 * means "no tests recognised": no framework summary was found in the log.
 *
 * Ownership: struct logs_result is a caller-owned value (logs_result_init /
 * logs_result_release). struct logs_parser is a heap object (new/free) that
 * holds the compiled patterns; reuse one for many logs (it is cheap to reset,
 * costly to create) but never from two threads at once.
 */
#ifndef LOGS_LOGS_H
#define LOGS_LOGS_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/buf.h"
#include "core/err.h"

/* Lines longer than this are cut to this many bytes before parsing. */
#define LOGS_LINE_MAX (1024 * 1024)
/* At most this many failed-test names are kept per result. */
#define LOGS_FAILED_NAMES_MAX 1000

/* A failure chunk has at most this many lines. */
#define LOGS_FAILURE_LINES 40

enum logs_status {
	LOGS_STATUS_UNKNOWN = 0,
	LOGS_STATUS_OK,
	LOGS_STATUS_BROKEN,     /* the job ended with a non-zero exit */
	LOGS_STATUS_CANCELLED,  /* cancelled or stopped by a user */
	LOGS_STATUS_TIMEOUT,    /* the CI killed it for running too long */
	LOGS_STATUS_TERMINATED, /* the CI killed it for another reason (no output, runner lost) */
};

/*
 * Why a failed job failed: the smallest chunk of its log (ANSI codes and
 * timestamps removed, at most LOGS_FAILURE_LINES lines) that says so, and
 * what kind of failure it shows: "test", "compilation", "dependency",
 * "lint", "infrastructure", "timeout" or "other".
 */
struct logs_failure {
	int present;                 /* 0 for a job that did not fail */
	uint64_t start_line, end_line; /* 1-based line numbers in the raw log, inclusive */
	char *text;                  /* owned; lines joined with '\n' */
	const char *kind;            /* static string */
};

struct logs_result {
	struct strvec frameworks;    /* frameworks seen, in order of first appearance */
	int tests_recognised;        /* 1 when at least one test summary or test line was read */
	long long tests_run;         /* ok + failed */
	long long tests_ok;
	long long tests_failed;      /* failures and errors */
	long long tests_skipped;     /* skipped, pending, ignored */
	struct strvec failed_names;  /* distinct failed tests, at most LOGS_FAILED_NAMES_MAX */
	double test_duration_sec;    /* summed from the frameworks' summaries; < 0 when unknown */
	double setup_time_sec;       /* time before the first build step; < 0 when unknown */
	double build_duration_sec;   /* the build tool's own total time (Maven, Gradle, Ant); < 0 unknown */
	enum logs_status status;
	const char *analyzer;        /* static string: "java-maven", "python", ... or "plain" */
	const char *provider;        /* static string: "github_actions", "travis" or "plain" */
	uint64_t bytes;              /* bytes read */
	uint64_t lines;              /* lines read */
	uint64_t lines_truncated;    /* lines longer than LOGS_LINE_MAX */
	struct logs_failure failure; /* the first failed job's cause (logs_result_merge keeps the first) */
};

void logs_result_init(struct logs_result *r);
void logs_result_release(struct logs_result *r);

/*
 * Adds a job's result to a build's: counts and durations are summed,
 * frameworks and failed names united (in order), the worst status kept
 * (broken over ok; cancelled, timeout and terminated over both).
 */
void logs_result_merge(struct logs_result *into, const struct logs_result *job);

/*
 * The result as JSON: {"frameworks": [...], "tests_run", "tests_ok",
 * "tests_failed", "tests_skipped", "tests_failed_names" ("#"-joined, as
 * TravisTorrent's tr_log_tests_failed), "test_duration_sec", "setup_time_sec",
 * "build_duration_sec" (null when unknown), "status", "analyzer",
 * "tests_recognised", "failure" ({"start_line", "end_line", "text", "kind"}
 * for a failed log, else null)}. The caller owns the returned object.
 */
json_t *logs_result_to_json(const struct logs_result *r);
/* r->failure alone, as in logs_result_to_json (null when not present). */
json_t *logs_failure_to_json(const struct logs_failure *f);

const char *logs_status_name(enum logs_status s);

/* A reusable parser (compiled patterns plus per-log state). */
struct logs_parser;
struct logs_parser *logs_parser_new(void);
void logs_parser_free(struct logs_parser *p);

/* Streaming: begin, feed any number of chunks (any split), end fills out. */
void logs_parser_begin(struct logs_parser *p);
void logs_parser_feed(struct logs_parser *p, const void *data, size_t len);
void logs_parser_end(struct logs_parser *p, struct logs_result *out);

/* One whole buffer. out must be initialised; it is reset first. */
void logs_parser_parse_buffer(struct logs_parser *p, struct logs_result *out, const void *data,
			      size_t len);
/*
 * A file: plain, zstd (.zst or zstd magic) or gzip (.gz or gzip magic), or
 * "-" for standard input; read in chunks, never whole. Returns 0, or ERR_IO /
 * ERR_INPUT (unreadable file, corrupt compressed data) with e filled.
 */
int logs_parser_parse_file(struct logs_parser *p, struct logs_result *out, const char *path,
			   struct err *e);

/* Conveniences that make and free a parser for one log. */
void logs_parse_buffer(struct logs_result *out, const void *data, size_t len);
int logs_parse_file(struct logs_result *out, const char *path, struct err *e);

#endif

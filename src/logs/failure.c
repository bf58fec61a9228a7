/*
 * The failure's cause: the smallest chunk of a failed job's log (at most
 * LOGS_FAILURE_LINES lines, ANSI codes and timestamps removed) that says why
 * it failed, as a person would copy it into an issue.
 *
 * How, in one pass and in fixed memory:
 *
 * - The log is cut into sections at the CI's command boundaries (Travis's
 *   "$ command" echo, GitHub's "##[group]Run ..." step header). A section
 *   ends failed at the CI's own failure marker ("The command "..." exited
 *   with 1.", "... failed 3 times.", "##[error]Process completed with exit
 *   code 1.", CircleCI's "Exited with code exit status 1"); a section that
 *   ends without one succeeded, and what it printed is forgotten. The last
 *   section of a log that ends without a verdict (a plain log, a log cut by a
 *   timeout) stays a candidate.
 * - Within a section, anchor lines are recognised by the documented output of
 *   test runners, compilers, package managers, linters and CI systems (the
 *   rule table below: "--- FAIL:", "<<< FAILURE!", "error[E0425]:",
 *   "npm ERR! 404", "Offenses:", "No output has been received ..."), each
 *   with a kind, a rank and how many lines before it belong to the chunk
 *   (0 for a header such as "=== FAILURES ===", more for a closing summary
 *   such as "1 error generated."). The section keeps its best-ranked anchor
 *   (the first of that rank; the last for the weak generic words "error",
 *   "failed"), and the chunk runs from the anchor's lead-in to
 *   LOGS_FAILURE_LINES lines or the section's end.
 * - A failed section of at most LOGS_FAILURE_LINES lines without a test or
 *   compiler anchor is its own chunk, from the command to the marker (the
 *   whole story of a failed "git clone" or linter run); a failed section
 *   without any anchor gives its last lines.
 * - Over the log, the best-ranked chunk of a failed section wins (the first
 *   of equal rank: later failures are usually consequences).
 *
 * No rule names a repository or a project: the patterns are the tools'.
 *
 * Memory: a ring of the last FAIL_RING lines (each cut to FAIL_LINE_MAX
 * bytes) and two chunk buffers, allocated once per parser.
 */
#include "logs/logs_internal.h"
#include "core/xalloc.h"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL_RING 128
#define FAIL_LINE_MAX 4096
#define CHUNK_LINES LOGS_FAILURE_LINES

enum { FK_TEST, FK_COMPILATION, FK_DEPENDENCY, FK_LINT, FK_INFRA, FK_TIMEOUT, FK_OTHER };
static const char *const kind_names[] = { "test", "compilation", "dependency", "lint", "infrastructure", "timeout",
					  "other" };

enum { FIRST, LAST };

struct rule {
	int rank;      /* higher wins within a section and over the log */
	int kind;
	int before;    /* lines before the anchor that belong to the chunk */
	int policy;    /* FIRST: the first anchor of this rank in a section; LAST: the last */
	const char *re;
};

/*
 * Ranks: 7 the CI says it killed the job for time; 6 a test failure or a
 * compiler error (the direct cause); 5 dependency and infrastructure
 * failures; 4 a closing summary of errors printed above it, a Python
 * traceback, a linter's report; 2 an error message of no known tool; 1 a
 * line that merely says "error" or "failed".
 */
static const struct rule rules[] = {
	/* timeouts, as the CI reports them: what ran before matters */
	{ 7, FK_TIMEOUT, 30, FIRST, "No output has been received in the last|exceeded the maximum (time limit|execution time)|Too long with no output" },
	/*
	 * Test runners (one row per shape: anchored alternatives cost one attempt per line):
	 * go test, pytest's sections and test headers, surefire's summaries, Gradle, Minitest and
	 * Test::Unit, RSpec and Jasmine, mocha, jest, cargo test, PHPUnit, GoogleTest, Cucumber,
	 * dotnet test, TAP.
	 */
	{ 6, FK_TEST, 0, FIRST,
	  "^\\s*--- FAIL: |^=+ (FAILURES|ERRORS) =+$|^_{3,} .+ _{3,}$|^\\s*(\\[\\w+\\] )?(Failed tests|Tests in error):"
	  "|^\\S.* > .+ FAILED$|^\\s*(\\d+\\) )?(Failure|Error):\\s*$|^Failures:\\s*$|^\\s*\\d+ failing\\s*$|^\\s*\u25cf "
	  "|^---- .+ stdout ----$|^failures:$|^There (was|were) \\d+ (failure|error)s?:|^\\[  FAILED  \\] \\S"
	  "|^Failing Scenarios:|^\\s*Failed \\S+ \\[|^not ok \\d+" },
	{ 6, FK_TEST, 1, FIRST, "^(FAIL|ERROR): \\S" },                                    /* unittest (after its ==== line) */
	{ 6, FK_TEST, 0, FIRST, "<<< (FAILURE|ERROR)!|\\s(FAILURE|ERROR)!$|\\[junit\\] Test .* FAILED$|Testcase: .*(FAILED|Caused an ERROR)" },
	{ 6, FK_TEST, 2, FIRST, "thread '.*' panicked at" },                                 /* Rust */
	/* compilers: rustc, gcc/clang/javac, tsc, kotlinc, Maven's compiler plugin, go build, linkers, configure */
	{ 6, FK_COMPILATION, 2, FIRST,
	  "^error(\\[E\\d+\\])?: (?!aborting|could not compile|Could not compile)|:\\d+(:\\d+)?:? (fatal )?error:|: error: "
	  "|error TS\\d+:|^e: \\S+\\.kt|COMPILATION ERROR|Compilation failure|\\.java:\\[\\d+,\\d+\\]|^\\S+\\.go:\\d+:\\d+: "
	  "|undefined reference to|cannot find symbol|configure: error:|SyntaxError:" },
	{ 5, FK_TEST, 0, FIRST, "^Issues :-\\(" },                                           /* awesome_bot's report */
	/* dependencies, infrastructure */
	{ 5, FK_DEPENDENCY, 0, FIRST,
	  "Could not resolve (dependencies|all (dependencies|files))|Could not find artifact|Failed to collect dependencies"
	  "|Could not find a version that satisfies|No matching distribution found|Could not find gem|Bundler could not find"
	  "|error: failed to (select a version|download|load source)|cannot find package|npm ERR! (404|code E404|code ETARGET|code ERESOLVE|notarget)"
	  "|Unable to locate package|Could not find remote branch|fatal: Remote branch|Could not GET|Could not install packages"
	  "|Could not find module|Module not found|ModuleNotFoundError|ImportError|LoadError|Gem::\\w*Error" },
	{ 5, FK_INFRA, 0, FIRST,
	  "No space left on device|Cannot allocate memory|Could not resolve host|Temporary failure in name resolution"
	  "|Connection (refused|reset by peer|timed out)|Service Unavailable|Bad Gateway|rate limit exceeded"
	  "|toomanyrequests|Error response from daemon|The job exceeded the maximum log length|^Killed$|unable to access '" },
	/* closing summaries: the errors are above them */
	{ 4, FK_COMPILATION, 20, FIRST, "\\d+ errors? generated|ld returned \\d+ exit status|^error: (aborting|could not compile)"
					"|\\[(build|setup) failed\\]|Compilation failed|compileJava FAILED|compileKotlin FAILED" },
	{ 4, FK_OTHER, 20, FIRST, "^make(\\[\\d+\\])?: \\*\\*\\*|BUILD FAILED|FAILURE: Build failed|Build failed with an exception"
				  "|found \\d+ (failures|errors|issues|problems)" },
	{ 4, FK_OTHER, 0, FIRST, "^Traceback \\(most recent call last\\):|^Exception in thread|^panic: " },
	/* linters */
	{ 4, FK_LINT, 0, FIRST, "^Offenses:\\s*$|\\d+ offenses? detected|✖ \\d+ problems?|^\\s*\\d+:\\d+\\s+(error|warning)\\s"
				"|:\\d+:\\d*:?\\s*warning: .*\\(\\w+\\)$|^would reformat |^ERROR: \\S+\\[\\d+, \\d+\\]:|checkstyle|^Diff in " },
	/* anything that looks like an error message */
	{ 2, FK_OTHER, 3, FIRST, "^(npm ERR!|fatal:|FATAL|Error:|ERROR:|error:|\\[ERROR\\] )|Exception: |Error: |Segmentation fault|core dumped" },
	{ 1, FK_OTHER, 10, LAST, "\\berror\\b|\\bERROR\\b|\\bError\\b|\\bfailed\\b|\\bFAILED\\b|\\bFailed\\b|\\bfailure\\b|xception" },
};
#define N_RULES (sizeof(rules) / sizeof(rules[0]))

/* Literals that occur in every line some rule matches: the dispatcher calls us only on those. */
static const char *const needles_a[] = { "FAIL:", "FAIL\t", "FAIL ", "FAILED", "FAILURE", "Failure", "failure",
					 "error", "Error", "ERROR", "failing", "failed", "Failed", "xception",
					 "panic", "fatal", NULL };
static const char *const needles_b[] = { "Offenses", "offense", "Traceback", "No output has been", "exceeded the maximum",
					 "Too long with no", "Could not", "could not", "cannot find", "Cannot allocate",
					 "No space left", "Killed", "Issues :-(", "problem", "undefined reference", "Segmentation",
					 NULL };
static const char *const needles_c[] = { "not found", "Not Found", "Unable to", "unable to", "Connection",
					 "Bad Gateway", "Unavailable", "rate limit", "toomanyrequests", "not ok ", "Diff in ",
					 "would reformat", "Failing", "npm ERR", "distribution found", NULL };
static const char *const needles_d[] = { " › ", "checkstyle", NULL };

struct fl {
	uint64_t no;   /* line number in the raw log (1-based, LF-counted) */
	uint32_t len;
	uint32_t off;  /* of the text in bytes[] */
};

/* Lines are packed one after another (cache-friendly); a line that would pass the end starts again at 0. */
#define RING_BYTES ((size_t)(FAIL_RING + 1) * FAIL_LINE_MAX)

struct chunk {
	int rank;      /* 0: none */
	int kind;
	uint64_t start_line, end_line;
	struct buf text;
};

struct logs_fail {
	pcre2_code *re[N_RULES];
	pcre2_match_data *md;
	struct fl *ring;
	char *bytes;          /* RING_BYTES of line text */
	size_t wpos;
	uint64_t n;           /* lines appended so far (ring index = i % FAIL_RING) */
	uint64_t evaluated;   /* n when the last anchor test ran */
	uint64_t sec_first;   /* index of the current section's first line */
	int sec_open;         /* lines since the last failure marker belong to a section */
	/* the section's anchor being captured or captured */
	int cap_rank, cap_kind, cap_policy, capturing;
	size_t cap_rule, cap_indent;
	uint64_t cap_from;    /* index of the chunk's first line */
	uint64_t cap_lines;   /* non-blank lines from cap_from on */
	uint64_t sec_lines;   /* non-blank lines in the current section */
	struct chunk sec, best;
};

static void chunk_reset(struct chunk *c)
{
	c->rank = 0;
	c->kind = FK_OTHER;
	c->start_line = c->end_line = 0;
	buf_reset(&c->text);
}

/* The rules are constants: one that does not compile is a programming error (caught by every test). */
static pcre2_code *compile_rule(const char *re, const char *what)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec,
				      &off, NULL);
	if (!c) {
		fprintf(stderr, "logs: failure %s does not compile at offset %zu: %s\n", what, (size_t)off, re);
		abort();
	}
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

struct logs_fail *logs_fail_new(void)
{
	struct logs_fail *f = xcalloc(1, sizeof(*f));
	for (size_t i = 0; i < N_RULES; i++)
		f->re[i] = compile_rule(rules[i].re, "rule");
	f->md = pcre2_match_data_create(4, NULL);
	f->ring = xmalloc(FAIL_RING * sizeof(*f->ring));
	f->bytes = xmalloc(RING_BYTES);
	buf_init(&f->sec.text, (size_t)CHUNK_LINES * (FAIL_LINE_MAX + 1) + 1);
	buf_init(&f->best.text, (size_t)CHUNK_LINES * (FAIL_LINE_MAX + 1) + 1);
	return f;
}

void logs_fail_free(struct logs_fail *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < N_RULES; i++)
		pcre2_code_free(f->re[i]);
	pcre2_match_data_free(f->md);
	buf_release(&f->sec.text);
	buf_release(&f->best.text);
	free(f->ring);
	free(f->bytes);
	free(f);
}

void logs_fail_begin(struct logs_fail *f)
{
	f->n = 0;
	f->wpos = 0;
	f->evaluated = 0;
	f->sec_first = 0;
	f->sec_open = 1;
	f->capturing = 0;
	f->cap_rank = 0;
	chunk_reset(&f->sec);
	chunk_reset(&f->best);
}

/* The oldest index still in the ring. */
static uint64_t ring_low(const struct logs_fail *f)
{
	return f->n > FAIL_RING ? f->n - FAIL_RING : 0;
}

/* Copies ring lines [from, to] into c. */
static void materialise(struct logs_fail *f, struct chunk *c, uint64_t from, uint64_t to, int rank, int kind)
{
	if (from < ring_low(f))
		from = ring_low(f);
	if (to >= f->n)
		to = f->n - 1;
	/* at most CHUNK_LINES non-blank lines, counted back from the end */
	uint64_t kept = 0, i = to + 1;
	while (i > from) {
		if (f->ring[(i - 1) % FAIL_RING].len > 0 && kept == CHUNK_LINES)
			break;
		i--;
		if (f->ring[i % FAIL_RING].len > 0)
			kept++;
	}
	from = i;
	/* blank lines at either end say nothing */
	while (from < to && f->ring[from % FAIL_RING].len == 0)
		from++;
	while (to > from && f->ring[to % FAIL_RING].len == 0)
		to--;
	buf_reset(&c->text);
	for (uint64_t i = from; i <= to; i++) {
		const struct fl *l = &f->ring[i % FAIL_RING];
		if (i > from)
			buf_addch(&c->text, '\n');
		buf_add(&c->text, f->bytes + l->off, l->len);
	}
	c->start_line = f->ring[from % FAIL_RING].no;
	c->end_line = f->ring[to % FAIL_RING].no;
	c->rank = rank;
	c->kind = kind;
}

static void chunk_copy(struct chunk *to, const struct chunk *from)
{
	to->rank = from->rank;
	to->kind = from->kind;
	to->start_line = from->start_line;
	to->end_line = from->end_line;
	buf_reset(&to->text);
	buf_add(&to->text, from->text.data ? from->text.data : "", from->text.len);
}

/* Ends a capture at index last (inclusive). */
static void capture_end(struct logs_fail *f, uint64_t last)
{
	if (!f->capturing)
		return;
	f->capturing = 0;
	if (last < f->cap_from)
		last = f->cap_from;
	materialise(f, &f->sec, f->cap_from, last, f->cap_rank, f->cap_kind);
}

/* A new section starts at the current line (index n - 1): the previous one ended without failing. */
static void section_start(struct logs_fail *f)
{
	capture_end(f, f->n - 2);
	chunk_reset(&f->sec);
	f->cap_rank = 0;
	f->sec_first = f->n - 1;
	f->sec_lines = 1;
	f->sec_open = 1;
}

/* The CI says the current section failed; the marker is the current line. */
static void section_failed(struct logs_fail *f)
{
	uint64_t m = f->n - 1;
	capture_end(f, m > 0 ? m - 1 : 0);
	if (f->sec_open && f->sec.rank < 6 && f->sec_lines <= CHUNK_LINES && f->sec_first >= ring_low(f))
		materialise(f, &f->sec, f->sec_first, m, f->sec.rank ? f->sec.rank : 1,
			    f->sec.rank ? f->sec.kind : FK_OTHER);
	else if (!f->sec.rank && m > 0)
		materialise(f, &f->sec, f->sec_first > m - 1 ? m - 1 : f->sec_first, m - 1, 1, FK_OTHER);
	if (f->sec.rank > f->best.rank)
		chunk_copy(&f->best, &f->sec);
	chunk_reset(&f->sec);
	f->cap_rank = 0;
	f->sec_open = 0;
	f->sec_first = f->n;
	f->sec_lines = 0;
}

static int exit_code_nonzero(const char *s, size_t len, const char *after)
{
	const char *p = logs_find(s, len, after);
	if (!p)
		return -1;
	p += strlen(after);
	const char *end = s + len;
	long long v = logs_read_int(&p, end);
	return v < 0 ? -1 : v != 0;
}

/* Section boundaries and CI failure markers, cheap checks on every line. */
static void boundaries(struct logs_fail *f, const char *s, size_t len)
{
	if (len >= 2 && s[0] == '$' && s[1] == ' ') {
		section_start(f);
	} else if (s[0] == '#' && logs_starts(s, len, "##[")) {
		if (logs_starts(s, len, "##[group]Run "))
			section_start(f);
		else if (logs_starts(s, len, "##[error]Process completed with exit code ") &&
			 exit_code_nonzero(s, len, "exit code ") == 1)
			section_failed(f);
	} else if (s[0] == 'T' && logs_starts(s, len, "The command \"")) {
		int code = exit_code_nonzero(s, len, "exited with ");
		if (code == 1 || logs_find(s, len, "\" failed "))
			section_failed(f);
		else if (code == 0) { /* it succeeded: nothing before counts */
			section_start(f);
			f->sec_open = 0;
		}
	} else if (s[0] == 'E' && logs_starts(s, len, "Exited with code ")) {
		if (exit_code_nonzero(s, len, "exit status ") == 1 || exit_code_nonzero(s, len, "code ") == 1)
			section_failed(f);
	}
}

void logs_fail_line(struct logs_fail *f, const char *s, size_t len, uint64_t no)
{
	struct fl *l = &f->ring[f->n % FAIL_RING];
	l->no = no;
	l->len = (uint32_t)(len < FAIL_LINE_MAX ? len : FAIL_LINE_MAX);
	if (f->wpos + l->len > RING_BYTES)
		f->wpos = 0;
	l->off = (uint32_t)f->wpos;
	memcpy(f->bytes + f->wpos, s, l->len);
	f->wpos += l->len;
	f->n++;
	if (len > 0) {
		f->sec_lines++;
		if (f->capturing)
			f->cap_lines++;
	}
	if (len > 0 && (s[0] == '$' || s[0] == '#' || s[0] == 'T' || s[0] == 'E'))
		boundaries(f, s, len);
	if (f->capturing && (f->cap_lines >= CHUNK_LINES || f->n - f->cap_from >= FAIL_RING - 1))
		capture_end(f, f->n - 1);
}

static size_t indent_of(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* The current line (the last appended) contains one of the needles: is it an anchor? */
static void anchor(struct logs_fail *f, const struct logs_line *ln)
{
	if (!f->sec_open || f->n == 0 || f->evaluated == f->n)
		return; /* several of our parser definitions may report the same line */
	f->evaluated = f->n;
	const struct fl *fl = &f->ring[(f->n - 1) % FAIL_RING];
	const struct { const char *s; size_t len; } line = { f->bytes + fl->off, fl->len }, *l = &line;
	size_t ind = indent_of(l->s, l->len);
	for (size_t i = 0; i < N_RULES; i++) {
		const struct rule *r = &rules[i];
		/*
		 * Rules are in rank order: nothing better can follow. One exception: the same
		 * rule again, more indented, inside the chunk being captured is a nested
		 * failure (go's "--- FAIL: TestA/sub" under "--- FAIL: TestA", whose other
		 * subtests passed): the innermost one says what failed.
		 */
		int nested = i == f->cap_rule && r->rank == f->cap_rank && ind > f->cap_indent;
		if (!nested && (r->rank < f->cap_rank || (r->rank == f->cap_rank && r->policy == FIRST)))
			return;
		if (pcre2_match(f->re[i], (PCRE2_SPTR)l->s, l->len, 0, 0, f->md, NULL) < 0)
			continue;
		f->cap_rule = i;
		f->cap_indent = ind;
		f->capturing = 1;
		f->cap_rank = r->rank;
		f->cap_kind = r->kind;
		f->cap_policy = r->policy;
		uint64_t me = f->n - 1, from = me >= (uint64_t)r->before ? me - (uint64_t)r->before : 0;
		if (from < f->sec_first)
			from = f->sec_first;
		if (from < ring_low(f))
			from = ring_low(f);
		f->cap_from = from;
		f->cap_lines = 0;
		for (uint64_t k = from; k <= me; k++)
			f->cap_lines += f->ring[k % FAIL_RING].len > 0;
		if (f->cap_lines >= CHUNK_LINES)
			capture_end(f, me);
		return;
	}
	(void)ln;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	(void)stp;
	(void)sh;
	(void)hits;
	if (a->fail)
		anchor(a->fail, ln);
	return 0;
}

void logs_fail_end(struct logs_fail *f, struct logs_result *r)
{
	if (f->n > 0)
		capture_end(f, f->n - 1);
	const struct chunk *c = &f->best;
	if (f->sec_open && f->sec.rank > f->best.rank)
		c = &f->sec;
	int failed = r->status == LOGS_STATUS_BROKEN || r->status == LOGS_STATUS_TIMEOUT ||
		     r->status == LOGS_STATUS_TERMINATED ||
		     (r->status == LOGS_STATUS_UNKNOWN && (r->tests_failed > 0 || c->rank >= 4));
	if (!failed || f->n == 0)
		return;
	struct chunk tail = { 0 };
	if (!c->rank) { /* nothing recognised: the log's last lines */
		buf_init(&tail.text, (size_t)CHUNK_LINES * (FAIL_LINE_MAX + 1) + 1);
		uint64_t to = f->n - 1;
		materialise(f, &tail, to + 1 > CHUNK_LINES ? to + 1 - CHUNK_LINES : 0, to, 1, FK_OTHER);
		c = &tail;
	}
	r->failure.present = 1;
	r->failure.start_line = c->start_line;
	r->failure.end_line = c->end_line;
	free(r->failure.text);
	r->failure.text = xstrndup(c->text.data ? c->text.data : "", c->text.len);
	int kind = c->kind;
	if (r->status == LOGS_STATUS_TIMEOUT)
		kind = FK_TIMEOUT;
	else if (r->status == LOGS_STATUS_TERMINATED && kind == FK_OTHER)
		kind = FK_INFRA;
	else if (kind == FK_OTHER && r->tests_failed > 0)
		kind = FK_TEST;
	r->failure.kind = kind_names[kind];
	if (c == &tail)
		buf_release(&tail.text);
}

const struct logs_parser_def logs_parse_failure_a = {
	.name = "failure", .needles = needles_a, .sees_folds = 1, .line = line,
};
const struct logs_parser_def logs_parse_failure_b = {
	.name = "failure", .needles = needles_b, .sees_folds = 1, .line = line,
};
const struct logs_parser_def logs_parse_failure_c = {
	.name = "failure", .needles = needles_c, .sees_folds = 1, .line = line,
};
const struct logs_parser_def logs_parse_failure_d = {
	.name = "failure", .needles = needles_d, .sees_folds = 1, .line = line,
};

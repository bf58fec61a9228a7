/*
 * Internals of the world generator (world.h), shared by its files:
 *
 *   world.c          options, the archive folder, runs.jsonl/repos.json/builds.csv, the summary
 *   world_rand.c     seeded random helpers and the name tables
 *   world_people.c   authors, bots, their habits and working hours
 *   world_code.c     the code model: files made of units (functions, tests,
 *                    paragraphs, dependencies), edits, rendering to text
 *   world_git.c      a commit's changed files rendered and written through
 *                    git/writer.h (objects in memory, one pack at the end)
 *   world_sim.c      one repository's history: pushes, pull requests, merges, builds
 *   world_pulls.c    pulls.jsonl: the pull requests of the runs, with comments
 *   world_outcome.c  whether a build fails, how, and how long it takes
 *   world_run.c      the workflow-run and job JSON
 *   world_log*.c     job logs: runner set-up, then pytest or Maven output
 *
 * Everything random comes from one struct rng per repository, seeded
 * from (seed, repository index), so repositories are independent and the
 * order of calls alone decides the output.
 */
#ifndef WORLD_WORLD_INTERNAL_H
#define WORLD_WORLD_INTERNAL_H
#include <stdint.h>
#include <stdio.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/rng.h"
#include "git/writer.h"
#include "world/world.h"

/* ---- random helpers (world_rand.c) ---- */
double wr_unit(struct rng *r);                 /* [0, 1) */
int wr_range(struct rng *r, int lo, int hi);   /* lo..hi inclusive */
int wr_chance(struct rng *r, double p);
double wr_normal(struct rng *r);               /* N(0, 1) */
double wr_exp(struct rng *r, double mean);
const char *wr_pick(struct rng *r, const char *const *v, size_t n);
#define WR_PICK(r, arr) wr_pick((r), (arr), sizeof(arr) / sizeof((arr)[0]))
double wr_sigmoid(double x);

extern const char *const world_first_names[];
extern const size_t world_n_first_names;
extern const char *const world_last_names[];
extern const size_t world_n_last_names;
extern const char *const world_words[];  /* verbs/nouns for identifiers and messages */
extern const size_t world_n_words;

/* ---- people (world_people.c) ---- */
enum wbot { WB_NONE = 0, WB_DEPENDABOT, WB_RENOVATE, WB_ACTIONS };

struct wperson {
	char *name, *email, *login;
	int64_t gh_id;
	enum wbot bot;
	int external;        /* contributes through pull requests from a fork */
	int maintainer;      /* merges pull requests */
	int tz_min;          /* UTC offset of the author's clock, minutes */
	int start_hour, day_hours;
	double night_p, weekend_p;
	double activity;     /* relative chance of being the next author */
	double size_mu;      /* log of the mean number of code units a commit touches */
	double test_p;       /* chance a commit also edits tests */
	double skill;        /* shift of the failure log-odds (negative: careful) */
	int64_t joined;      /* no commit before this time */
	int commits;         /* commits made so far in this repository */
};

struct wrepo;
/* Fills r->people (5-12 humans, some external, plus the repository's bots). */
void world_people_make(struct wrepo *r);
void world_people_free(struct wrepo *r);
/* t moved forward into p's working hours (with p's habits of working late and on weekends). */
int64_t world_people_adjust(const struct wperson *p, struct rng *rng, int64_t t);
/* A human author for the next change (weighted by activity, joined by t); never a bot. */
struct wperson *world_people_pick(struct wrepo *r, int64_t t, int external_ok);
struct wperson *world_people_maintainer(struct wrepo *r, int64_t t);
struct wperson *world_people_bot(struct wrepo *r, enum wbot kind);

/* ---- code model (world_code.c) ---- */
enum wfkind { WF_SRC, WF_TEST, WF_DOC, WF_DEPS, WF_STATIC };
enum wlang { WL_PYTHON, WL_JAVA };

struct wpath {
	char *path;
	enum wfkind kind;
	int module;          /* index into wrepo.modules for WF_SRC/WF_TEST, else -1 */
	int static_id;       /* which fixed file for WF_STATIC */
};

struct wunit {
	uint32_t id;
	uint16_t ver;
	uint8_t nlines;
	uint8_t skip;        /* a test marked skipped */
};

struct wfile {
	int exists;
	struct wunit *u;
	size_t n, cap;
};

/* One branch's view of the files (index = wrepo.paths index; shorter arrays mean absent files). */
struct wmodel {
	struct wfile *f;
	size_t n;
};

enum wopk { WO_MOD, WO_ADD, WO_DEL, WO_CREATE };
struct wop {
	uint32_t file;
	uint8_t kind;
	uint8_t nlines;
	uint8_t skip;
	uint16_t ver;
	uint32_t unit;
};

/* What a set of commits changed, as the failure model and the logs need it. */
struct wchange {
	int src_churn, test_churn, other_churn;
	int files, src_files, test_files;
	int tests_added;
	int deps_changed;
	int modules[8];      /* touched modules (distinct), for picking failing tests */
	int n_modules;
};

void world_model_copy(struct wmodel *dst, const struct wmodel *src);
void world_model_release(struct wmodel *m);
/* Applies one edit; returns the lines it added plus removed. Marks dirty[file] when dirty != NULL. */
int world_model_apply(struct wrepo *r, struct wmodel *m, const struct wop *op, uint8_t *dirty);
/* Adds an applied edit (lines = what world_model_apply returned) to a change summary. */
void world_code_account(const struct wrepo *r, const struct wop *op, int lines, struct wchange *ch);
/* The initial files of a repository of r->lang (paths, model of main). */
void world_code_init(struct wrepo *r);
/*
 * Draws one commit's edits by author a into ops (appended), applies them to m,
 * marks dirty files and accumulates ch. kind: 0 ordinary change, 1 small fix,
 * 2 dependency bump, 3 docs/changelog only. Returns the commit message (caller frees).
 */
char *world_code_edit(struct wrepo *r, struct wmodel *m, const struct wperson *a, int kind, struct wop **ops,
		      size_t *nops, uint8_t *dirty, struct wchange *ch);
/* The text of file idx in model m, appended to out. */
void world_code_render(const struct wrepo *r, const struct wmodel *m, size_t idx, struct buf *out);
/* Test names of model m: "tests/test_x.py::test_y" (Python) or "com.x.FooTest#testBar" (Java), in file order. */
struct wtest {
	uint32_t file, unit;
	int skip;
};
size_t world_code_tests(const struct wrepo *r, const struct wmodel *m, struct wtest **out);
/* A test's name parts: file label ("tests/test_x.py" / "com.x.FooTest") and case name. */
void world_code_test_name(const struct wrepo *r, uint32_t file, uint32_t unit, struct buf *file_label,
			  struct buf *name);
/* A dependency's version string for version ver (requirements.txt / pom.xml). */
void world_code_dep_version(const struct wrepo *r, uint32_t dep, uint16_t ver, char *out, size_t n);
/* A source file path of module m (for compile errors); borrowed. */
const char *world_code_src_path(const struct wrepo *r, int module);
/* Appends a path to the catalogue; returns its index. */
size_t world_code_add_path(struct wrepo *r, const char *path, enum wfkind kind, int module, int static_id);

/* ---- git (world_git.c) ---- */
struct wbranch {
	struct wmodel m;
	git_oid tip, tree;
	int has_tip;
};
/* Writes a commit on b: dirty files of b->m re-rendered, parents b->tip (+ second when non-NULL). */
int world_git_commit(struct wrepo *r, struct wbranch *b, const uint8_t *dirty, const git_oid *second_parent,
		     const struct wperson *author, int64_t author_time, const struct wperson *committer,
		     int64_t commit_time, const char *message, struct err *e);

/* ---- outcome (world_outcome.c) ---- */
enum wfail { WFAIL_NONE = 0, WFAIL_TESTS, WFAIL_INSTALL, WFAIL_COMPILE, WFAIL_LINT };

/* The inputs of the failure model for one build (docs/world.md, "Outcomes"). */
struct wfeat {
	int src_churn, test_churn;
	int tests_changed, deps_changed;
	int author_commits;     /* the author's earlier commits in the repository */
	int prev_failed;        /* the previous build on the same branch (or of main for a new PR) failed */
	int repo_prev_failed;   /* the repository's previous build failed */
	int fork, bot, merge;
	int local_hour, weekend;
	double skill, repo_base;
};

struct woutcome {
	const char *conclusion;  /* success | failure | cancelled | timed_out */
	enum wfail fail;
	int flaky;
	int only_job;            /* -1: every job fails alike; else only that job fails */
	struct wtest failing[6];
	int n_failing;
	int run_attempt;
	double p_fail;           /* the model's probability (for docs and tests) */
};

void world_outcome_draw(struct wrepo *r, const struct wfeat *f, const struct wmodel *m, const struct wchange *ch,
			int n_jobs, struct woutcome *out);

/* ---- runs and logs (world_run.c, world_log*.c) ---- */
struct wbuild {
	int64_t created;
	const char *event;       /* push | pull_request */
	const char *branch;      /* head_branch */
	git_oid head, tree;
	const struct wperson *actor, *author, *committer;
	int64_t commit_time;
	const char *message;
	int pr;                  /* 0 when not a pull request */
	const char *pr_branch_repo; /* the fork's full name for fork PRs, else NULL */
	const char *base_branch;
	git_oid base_sha;
	const struct wmodel *model; /* the tree's model (tests for the logs) */
	const struct wchange *change;
	struct woutcome oc;
};

struct wstep {
	const char *name;
	int64_t start, end;      /* usec */
	const char *conclusion;  /* success | failure | skipped | cancelled */
};
#define WSTEPS_MAX 12

struct wjob {
	const char *name;        /* "test (3.11)" */
	const char *version;     /* "3.11" / "17" */
	int index;
	enum wfail fail;         /* how this job fails (WFAIL_NONE: it passes) */
	int stop;                /* 0 runs to the end, 1 cancelled, 2 timed out (30 minutes) */
	int64_t start, end;
	const char *conclusion;
	struct wstep steps[WSTEPS_MAX];
	int nsteps;
	int runner;              /* "GitHub Actions <runner>" */
	char setup_name[32];     /* "Set up Python 3.11" (step names are borrowed from here) */
	char post_setup_name[40];
};

/* Renders job j of build b into log (timestamps from j->start); fills j's steps, end and conclusion. */
void world_log_job(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct buf *log);
/* Language parts, called by world_log_job. */
struct wclock;
void world_log_python(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c);
void world_log_java(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c);

/* A log's clock: time in 100 ns ticks, lines stamped "2023-01-10T08:24:19.1234567Z ". */
struct wclock {
	int64_t ticks;
	struct rng *rng;
	struct buf *out;
	int64_t stamp_sec;       /* the second stamp[] shows */
	char stamp[24];          /* "2023-01-10T08:24:19" */
};
void wclock_line(struct wclock *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wclock_wait(struct wclock *c, double seconds);
int64_t wclock_usec(const struct wclock *c);
/* Starts a step: "##[group]Run <title>" ... ; world_log_step_end closes it in j. */
void world_log_step_begin(struct wjob *j, struct wclock *c, const char *name);
void world_log_step_end(struct wjob *j, struct wclock *c, const char *conclusion);
/* A step that did not run (after a failure): conclusion "skipped", zero length. */
void world_log_step_skip(struct wjob *j, struct wclock *c, const char *name);
/* The "Run <command>" group with its shell and env lines; starts step name. */
void world_log_run_group(struct wjob *j, struct wclock *c, const char *name, const char *const *cmd, size_t ncmd,
			 const char *env);
/*
 * Ends a job whose current step was stopped (j->stop): the clock runs on to the timeout (2) or to the
 * cancellation, then the runner's messages and the step cancelled.
 */
void world_log_stop(struct wjob *j, struct wclock *c);
/* The values a failing test compared and its line (stable per test unit). */
void world_log_failing_values(uint32_t unit, int *want, int *got, int *line);
/* "##[error]Process completed with exit code N." and the step failed. */
void world_log_exit(struct wjob *j, struct wclock *c, int code);

/* Writes the run (and its jobs, logs) of b; appends the run's JSON line to r->runs. */
int world_run_emit(struct wrepo *r, struct wbuild *b, struct err *e);

/* ---- one repository (world_sim.c) ---- */
struct wrun_line {
	int64_t id;
	char *json;   /* the run with its jobs, one line of runs.jsonl (no newline) */
	char *csv;    /* its builds.csv row (no newline) */
};
/* Run ids grow with creation time across the world, as GitHub's do: (seconds since 2020) * 1024 + repository. */
#define WORLD_ID_EPOCH 1577836800LL

struct wrepo {
	int idx;
	const struct world_opts *opts;
	const char *tmp_dir;       /* the archive being written */
	struct rng rng;
	enum wlang lang;
	char *owner, *name, *full, *pkg, *domain, *jpkg_path; /* pkg: python package / java package */
	int64_t gh_id;
	const char *default_branch;
	double base;               /* the repository's failure log-odds shift */
	int n_jobs;                /* jobs per run (the version matrix) */
	const char *versions[2];
	int target_builds;
	int64_t start, span;      /* the repository's timeline (usec) */
	/* code */
	struct wpath *paths;
	size_t npaths, cappaths;
	struct strvec modules;
	struct strvec deps;        /* dependency names (requirements / Maven coordinates) */
	uint32_t next_unit;
	/* people */
	struct wperson *people;
	size_t npeople;
	/* git */
	struct git_writer *git;    /* the repository being written */
	struct wbranch main;
	/* history */
	int next_pr;
	int run_number;
	int main_commits;
	int64_t last_created;
	int last_failed;           /* the repository's last build failed */
	int main_failed;           /* main's last build failed */
	/* output */
	struct wrun_line *runs;
	size_t nruns, capruns;
	struct world_summary *sum;
};

/* Paths a repository can have at most (fixed files + 2 per module name). */
#define WORLD_MAX_PATHS 256

int world_sim_repo(struct wrepo *r, struct err *e);

/* ---- pull requests (world_pulls.c) ---- */
/* Writes dir/pulls.jsonl for the PR numbers of runs (sorted by id). */
int world_pulls_write(const char *dir, const struct wrun_line *runs, size_t n, uint64_t seed, struct err *e);

#endif

/*
 * A feature node: one computation that produces one or more features of a
 * build from its inputs (the build row, the repository, the git history
 * index, logs, warehouse history, pull-request data) and from the results of
 * other nodes. The catalogue (one file per family, feat_<family>.c) is a
 * table of these; the engine (engine.h) resolves a selection of features to
 * the nodes that make them plus their ancestors, orders them topologically,
 * and runs each once per build.
 *
 * Contract of a node's compute():
 *  - out[k] is the value of defs[k]; the engine hands it in as null with the
 *    def's type, and compute sets what it knows with feat_set_*(). A value
 *    left null is a legitimate "not applicable" (a push build has no PR
 *    number) and does not make the vector partial.
 *  - Return 0 when done, or FEAT_IN_* bit(s) of an input found missing while
 *    computing (the previous build's logs expired): the engine then nulls all
 *    the node's values, lists them as skipped and the resource as missing.
 *    A negative ERR_* code is a failure of the build's extraction (a bug or an
 *    inconsistent input), with r->e filled.
 *  - state (node->state_size bytes, zeroed once per session) is the node's
 *    private result that dependent nodes read through r->deps[i] (in the order
 *    of node->deps). It lives for the whole session and is reused from build
 *    to build (so a node can keep its buffers); state_release frees its
 *    insides at the end of the session. Dependents read it only when the node
 *    computed successfully for the current build.
 *  - Point in time: compute may read only what was known at r->start, or
 *    (post_build features only) the build's own outcome and logs.
 */
#ifndef FEATURES_FEATURE_H
#define FEATURES_FEATURE_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"
#include "features/input.h"

struct git_history_view;
struct feat_cache;

enum feat_type {
	FEAT_INT = 0,
	FEAT_FLOAT,
	FEAT_BOOL,
	FEAT_STRING,
	FEAT_STRLIST,   /* a list of strings */
	FEAT_TIMESTAMP, /* usec UTC; ISO 8601 in JSON */
	FEAT_TYPE_COUNT
};

enum feat_avail {
	FEAT_PRE_BUILD = 0, /* known before the build runs */
	FEAT_POST_BUILD,    /* known only after it (its own logs, duration) */
	FEAT_LABEL,         /* derived from the outcome; never selectable as a feature */
};

/* Inputs a node reads. The names are what missing_resources lists. */
enum feat_input_bit {
	FEAT_IN_BUILD = 1u << 0,       /* always present */
	FEAT_IN_REPO = 1u << 1,        /* "repository" */
	FEAT_IN_GIT = 1u << 2,         /* "git_mirror" (no index) or "git_commit" (commit not in it) */
	FEAT_IN_LOGS = 1u << 3,        /* "logs" */
	FEAT_IN_HISTORY = 1u << 4,     /* "history" */
	FEAT_IN_PR = 1u << 5,          /* "pull_request": PR build without PR data */
	FEAT_IN_PR_COMMENTS = 1u << 6, /* "pr_comments": PR build without its comments */
	FEAT_IN_PREV_LOGS = 1u << 7,   /* "prev_logs": the previous build's logs (checked while computing) */
	FEAT_IN_COUNT = 8
};

/* One feature. */
struct feat_def {
	const char *name;        /* native name, "<family>_<what>" */
	enum feat_type type;
	const char *unit;        /* "count", "lines", "days", "seconds", "ratio", "id", "name", "" */
	const char *description; /* one sentence */
	enum feat_avail avail;
	int temporal;            /* 1 when its value depends on what was known at the build's start */
	const char *aliases;     /* '|'-separated other names users know it by, or NULL */
	const char *tt_name;     /* TravisTorrent column for the travistorrent naming, or NULL */
	const char *tt_note;     /* where TravisTorrent's definition differs, or NULL (docs) */
};

/*
 * 1 when d is metadata rather than a model input: an identifier (unit "id":
 * provider ids, commit shas), a free-text or high-cardinality name (unit
 * "name": a branch, the repository's name, test names) or a raw timestamp.
 * They say which build a row is, not anything a model can generalise from.
 */
int feat_def_is_metadata(const struct feat_def *d);

/* A typed value; null when !set. Strings and lists are owned. */
struct feat_value {
	uint8_t type; /* enum feat_type */
	uint8_t set;
	union {
		int64_t i; /* FEAT_INT, FEAT_BOOL (0/1), FEAT_TIMESTAMP */
		double f;
		char *s;
		struct strvec l;
	} v;
};

/* What a node's compute() sees of the build being processed. */
struct feat_run {
	const struct feat_input *in;
	const struct feat_config *cfg;
	int64_t start;                  /* the build's start: started_at, else created_at */
	int is_pr;                      /* pull_request event or PR numbers present */
	int64_t pr_number;              /* first PR number (or the PR data's), 0 for none */
	uint32_t trigger;               /* commit index of the build's commit (git present) */
	struct git_history_view *view;  /* the history up to the trigger commit (git present) */
	struct feat_cache *cache;       /* per-session data derived from history and git (cache.h) */
	void *const *deps;              /* states of node->deps, in that order */
	struct err *e;
};

struct feat_node {
	const char *name;               /* unique node id, e.g. "git_diff" */
	const char *family;             /* "git" */
	uint32_t inputs;                /* FEAT_IN_* bits it cannot do without */
	const char *const *deps;        /* NULL-terminated names of nodes it reads, or NULL */
	const struct feat_def *defs;
	size_t ndefs;
	size_t state_size;
	void (*state_release)(void *state);
	int (*compute)(struct feat_run *r, void *state, struct feat_value *out);
};

/* Setters for compute(); they replace out->v (freeing a previous string).
 * A non-finite double makes the value null. */
void feat_set_int(struct feat_value *out, int64_t x);
void feat_set_float(struct feat_value *out, double x);
void feat_set_bool(struct feat_value *out, int x);
void feat_set_time(struct feat_value *out, int64_t usec); /* FEAT_TIME_UNKNOWN: null */
void feat_set_str(struct feat_value *out, const char *s); /* copies; NULL: null */
/* Makes the value an empty list (set) and returns it for strvec_push. */
struct strvec *feat_set_list(struct feat_value *out);
/* Back to null, freeing any string or list. */
void feat_value_clear(struct feat_value *v);
/* Deep copy into dst (dst must be clear). */
void feat_value_copy(struct feat_value *dst, const struct feat_value *src);

const char *feat_type_name(enum feat_type t);       /* "int", "float", "bool", "string", "string_list", "timestamp" */
const char *feat_avail_name(enum feat_avail a);     /* "pre_build", "post_build", "label" */
/* Name of one FEAT_IN_* bit ("git_mirror" for FEAT_IN_GIT; see above). */
const char *feat_input_name(uint32_t bit);

/*
 * Outcome of a conclusion: 1 failed (failure, timed_out, startup_failure),
 * 0 passed (success), -1 not an outcome (cancelled, skipped, ..., NULL).
 * The dataset label `outcome` uses the same rule.
 */
int feat_outcome_of(const char *conclusion);

#endif

/*
 * Shared insides of the split module (split.c: configuration, keys, commit
 * units; split_cut.c: the strategies; split_report.c: the JSON report). Not
 * for use outside src/dataset/split*.c.
 */
#ifndef DATASET_SPLIT_INTERNAL_H
#define DATASET_SPLIT_INTERNAL_H
#include "dataset/split.h"

/* A column's rows mapped to dense ids (first appearance order) and their text. */
struct split_keys {
	uint32_t *id;         /* per row */
	struct strvec names;  /* id -> text ("null" for nulls) */
	uint32_t *rank;       /* id -> rank of its name in byte order */
};

/* All rows that share a commit sha. */
struct split_unit {
	uint32_t first;       /* first row (units are numbered in order of first row) */
	uint32_t rows;
	uint32_t group, cls;  /* of the first row */
	int64_t tmin, tmax;   /* time range of its rows (INT64_MIN when no time) */
};

enum split_drop {
	SPLIT_KEEP = 0,
	SPLIT_DROP_NO_TIME,
	SPLIT_DROP_GAP_VAL,
	SPLIT_DROP_GAP_TEST,
	SPLIT_DROP_UNLISTED_GROUP,
	SPLIT_DROP_NREASONS
};

struct split_ctx {
	const struct dataset_frame *f;
	const struct dataset_split_config *cfg;
	size_t nrows;
	int has_group, has_commit;
	struct split_keys group, cls, label, commit;
	int64_t *time;        /* per row, INT64_MIN for null; NULL when there is no time column */
	uint32_t *unit_of;    /* row -> unit */
	struct split_unit *units;
	size_t nunits;
	json_t *warnings;     /* array of strings shared by every fold's report */
	json_t *conflicts;    /* commits whose rows span groups */
};

/* Per-fold working state of a strategy. */
struct split_fold_work {
	int8_t *unit_split;   /* per unit: split or DATASET_DROPPED */
	uint8_t *unit_drop;   /* per unit: enum split_drop when dropped */
	json_t *small_groups; /* array, or NULL */
	json_t *groups;       /* {"train": [...], ...} for leave_one_out, or NULL */
	const char *held_out;
};

/* The strategies' run functions (struct dataset_strategy_def), one per line of dataset_strategies[]. */
int split_run_random(struct split_ctx *x, struct dataset_split_result *out, struct err *e);
int split_run_within_group(struct split_ctx *x, struct dataset_split_result *out, struct err *e);
int split_run_time_series(struct split_ctx *x, struct dataset_split_result *out, struct err *e);
int split_run_loo(struct split_ctx *x, struct dataset_split_result *out, struct err *e);

/* split.c: runs cut (which assigns every unit) as the single fold of out; for single-fold strategies. */
int split_one_fold(struct split_ctx *x, struct dataset_split_result *out,
		   void (*cut)(struct split_ctx *x, struct split_fold_work *w), struct err *e);

/* split_cut.c: one fold of leave_one_out: test_ids[0..ntest) are the test groups. */
int split_run_loo_fold(struct split_ctx *x, struct split_fold_work *w, const uint32_t *test_ids, size_t ntest,
		       uint64_t fold_salt, struct err *e);
/* Group id of a name, or -1. */
long split_group_id(const struct split_ctx *x, const char *name);

/* split_report.c: fills fold's rows/assign/report from the unit assignment; ERR_INTERNAL if a commit spans splits. */
int split_finish_fold(struct split_ctx *x, struct split_fold_work *w, struct dataset_fold *fold, struct err *e);

/* Drops across folds, each row counted once (dataset_split_result.dropped). */
struct split_drop_tally {
	uint8_t *reasons;     /* per row: bit k set = some fold dropped it for reason k */
	uint32_t *folds;      /* per row: folds that dropped it */
	size_t nfolds, folds_with[SPLIT_DROP_NREASONS];
};
void split_tally_fold(struct split_ctx *x, struct split_drop_tally *t, const struct split_fold_work *w);
json_t *split_tally_json(struct split_ctx *x, const struct split_drop_tally *t);

#endif

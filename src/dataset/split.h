/*
 * Leakage-safe train/val/test splits of a frame (DESIGN.md §8).
 *
 * Every strategy assigns whole *commit units* (all rows sharing a commit sha)
 * to one split, so no commit ever appears in two splits; rows without a sha
 * are units of their own. The same frame, configuration and seed give the same
 * assignment on every machine (core/rng.h; never rand()).
 *
 * Strategies:
 *   random_split             units shuffled with the seed and cut by the ratios
 *                            inside each class of stratify_by (group ignored).
 *   stratified_within_group  with temporal_ordering each group is one cell,
 *                            ordered oldest -> newest by the time column and
 *                            cut by the ratios: inside a group every train unit
 *                            starts before every val unit, every val unit
 *                            before every test unit (stratification is then
 *                            best-effort; the class balance per split is in
 *                            the report). Without it every (group, class) cell
 *                            is shuffled and cut by the ratios. Groups whose smallest
 *                            positive ratio would get less than one row
 *                            (rows * min_ratio < 1) go whole to train and are
 *                            listed under "small_groups" in the report.
 *   leave_one_out            whole groups: test_groups (when given) are the test
 *                            set, else one fold per group ("fold-<group>", the
 *                            group's name with characters other than
 *                            [A-Za-z0-9._-] replaced by '_'). Validation groups
 *                            are val_groups, or a seeded draw of
 *                            round(remaining * val / (train + val)) of the
 *                            remaining groups (at least one when val > 0 and two
 *                            or more remain). With train_groups, only those go
 *                            to train and rows of unlisted groups are dropped.
 *   time_series_split        all units in global order of the time column
 *                            (rows with no time are dropped); oldest rows to
 *                            train, then val, newest to test. gap_days > 0 drops
 *                            the units that start less than gap_days after the
 *                            last row of the previous split, and counts them.
 * Cuts are made on row counts: in each cell a split gets floor or ceil of
 * rows * ratio (the remainder goes where the running total is furthest behind
 * its ideal, so the totals stay within a row of the ratios too). With
 * single-row units every cell's split sizes are within one row of the ratios;
 * a multi-row unit lands in the split that holds its middle row.
 *
 * Ownership: dataset_split() fills a caller-owned struct dataset_split_result,
 * released with dataset_split_result_release(); everything inside it (rows,
 * names, JSON) belongs to it.
 */
#ifndef DATASET_SPLIT_H
#define DATASET_SPLIT_H
#include <jansson.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"
#include "dataset/frame.h"

/* Indices of dataset_strategies[] for the strategies other code names; a new one needs no constant. */
enum dataset_strategy {
	DATASET_SPLIT_STRATIFIED_WITHIN_GROUP = 0, /* the default */
	DATASET_SPLIT_LEAVE_ONE_OUT,
	DATASET_SPLIT_TIME_SERIES,
	DATASET_SPLIT_RANDOM,
};

/* When a strategy needs the time column. */
enum dataset_needs_time { DATASET_TIME_NEVER = 0, DATASET_TIME_ALWAYS, DATASET_TIME_WITH_ORDERING };

struct split_ctx;             /* split_internal.h */
struct dataset_split_result;
/*
 * The registration table of split strategies (split.c), in the order
 * messages, the scenario schema and docs list them; enum dataset_strategy
 * indexes it. Adding a strategy: its split_<name>.c (run), one line of
 * dataset_strategies[], and run's prototype in split_internal.h
 * (docs/architecture.md, "Files to touch").
 */
struct dataset_strategy_def {
	const char *name;        /* as written in splitting_config.strategy */
	/* Fills out (one fold, or several) from the keyed rows of x; ERR_INPUT naming what is missing. */
	int (*run)(struct split_ctx *x, struct dataset_split_result *out, struct err *e);
	int needs_group;         /* the group_by column must exist */
	int needs_stratify;      /* the stratify_by column must exist */
	enum dataset_needs_time needs_time; /* WITH_ORDERING: only with temporal_ordering; also says which of
					     * temporal_ordering / gap_days the report shows */
	const char *doc;         /* one line for the scenario schema's docs */
};
extern const struct dataset_strategy_def dataset_strategies[];
extern const size_t dataset_nstrategies;
/* "a, b, c or d" from the table; caller frees. */
char *dataset_strategies_join(const char *sep, const char *last_sep);

/* Split indices; a row of a fold is assigned one of them or DATASET_DROPPED. */
enum { DATASET_TRAIN = 0, DATASET_VAL = 1, DATASET_TEST = 2, DATASET_NSPLITS = 3, DATASET_DROPPED = -1 };
extern const char *const dataset_split_names[DATASET_NSPLITS]; /* "train", "val", "test" */

struct dataset_split_config {
	enum dataset_strategy strategy; /* an index of dataset_strategies[] */
	char *group_by;      /* column name; default "repo_name" */
	char *stratify_by;   /* column name; default "outcome" */
	double ratios[DATASET_NSPLITS]; /* default 0.7, 0.15, 0.15; must sum to 1 (±1e-6) */
	int temporal_ordering;          /* default 1 */
	uint64_t seed;                  /* default 42 */
	double gap_days;                /* time_series_split; default 0 */
	struct strvec test_groups, val_groups, train_groups;
	char *commit_col;    /* default "commit_sha"; absent column: every row its own unit (a warning) */
	char *time_col;      /* default "started_at" (TIMESTAMP or INT64) */
	char *id_col;        /* default "build_id": how dropped rows are named in the report */
	char *label_col;     /* default "outcome": class distributions are counted on it */
};

/* Fills c with the defaults above (owned strings). */
void dataset_split_config_init(struct dataset_split_config *c);
void dataset_split_config_release(struct dataset_split_config *c);
/*
 * Reads a scenario's splitting_config object (strategy, group_by, stratify_by,
 * ratios {train, val, test}, temporal_ordering, seed, gap_days, test_groups,
 * val_groups, train_groups) over the defaults. ERR_INPUT names the key and the
 * accepted values for anything unknown, negative or not summing to 1.
 */
int dataset_split_config_from_json(struct dataset_split_config *c, const json_t *cfg, struct err *e);
const char *dataset_strategy_name(enum dataset_strategy s);

struct dataset_fold {
	char *name;          /* NULL for the single dataset; "fold-<group>" for leave_one_out folds */
	char *held_out;      /* the fold's test group (folds only), else NULL */
	int8_t *assign;      /* per frame row: DATASET_TRAIN / VAL / TEST or DATASET_DROPPED */
	uint32_t *rows[DATASET_NSPLITS]; /* row indices of each split, ascending */
	size_t nrows[DATASET_NSPLITS];
	/*
	 * {"strategy", "seed", "ratios", "group_by", "stratify_by", "held_out_group",
	 *  "counts": {"train", "val", "test", "dropped"},
	 *  "class_distribution": {"train": {"0": n, "1": n}, ...}   (label column values),
	 *  "group_distribution": {"train": {group: n}, ...},
	 *  "groups": {"train": [...], ...}                            (leave_one_out),
	 *  "small_groups": [{"group", "rows", "assigned_to", "reason"}],
	 *  "dropped": [{"reason", "count", "build_ids": [...first 1000], "truncated"}],
	 *  "warnings": ["..."]}
	 */
	json_t *report;
};

struct dataset_split_result {
	struct dataset_fold *folds;
	size_t nfolds;       /* 1, or one per group for leave_one_out without test_groups */
	/*
	 * With several folds, the rows the folds dropped, each row counted once:
	 * [{"reason", "count": distinct rows some fold dropped for it,
	 *   "in_every_fold": rows no fold uses, "folds": folds that dropped any}]
	 * (a fold's own report counts its own drops). NULL with one fold.
	 */
	json_t *dropped;
};
#define DATASET_SPLIT_RESULT_INIT { NULL, 0, NULL }

/*
 * Splits f (a checked frame) by cfg. ERR_INPUT when a needed column is
 * missing (naming it), a listed group does not exist, or the frame is empty.
 */
int dataset_split(struct dataset_split_result *out, const struct dataset_frame *f,
		  const struct dataset_split_config *cfg, struct err *e);
void dataset_split_result_release(struct dataset_split_result *r);

#endif

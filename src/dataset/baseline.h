/*
 * Baselines computed on the test split (issue 7 §7), so that the manifest
 * shows at once what a model has to beat:
 *   majority_class    always predicts the most frequent train label (ties: 0);
 *   parrot            predicts the previous finished build's outcome in the same
 *                     repository, taken from the caller's prev_outcome column
 *                     (null: no earlier build; the majority class is used and
 *                     counted as fallback_rows);
 *   fail_rate_so_far  scores a build with its repository's failure rate so far,
 *                     from the caller's repo_fail_rate column when the frame has
 *                     it; otherwise computed here from the frame's own rows of the
 *                     same group that *started* earlier (all splits; an
 *                     approximation of "finished before", stated in the output).
 *                     Predicts failed when the rate >= 0.5; null rates use the
 *                     train failure rate.
 * Each gets accuracy, precision / recall / F1 of the failed class (label 1;
 * 0 when undefined, as sklearn's zero_division=0), ROC AUC of its score
 * (Mann-Whitney with average ranks for ties, as sklearn.metrics.roc_auc_score;
 * null when the test split has one class) and the confusion counts.
 */
#ifndef DATASET_BASELINE_H
#define DATASET_BASELINE_H
#include <jansson.h>
#include <stdint.h>
#include "core/err.h"
#include "dataset/frame.h"

struct dataset_baseline_config {
	const char *label_col;        /* "outcome": INT64 or BOOL, 1 = failed */
	const char *prev_outcome_col; /* "prev_outcome" */
	const char *fail_rate_col;    /* "repo_fail_rate" (FLOAT64), optional */
	const char *group_col;        /* "repo_name": for the computed fail rate */
	const char *time_col;         /* "started_at" */
};
#define DATASET_BASELINE_CONFIG_INIT { "outcome", "prev_outcome", "repo_fail_rate", "repo_name", "started_at" }

/*
 * Baselines for the test rows (fitting the majority class and the fallback
 * rate on the train rows). Returns a new object {"test_rows", "positive_label": 1,
 * "majority_class": {...}, "parrot": {...} | absent without the column,
 * "fail_rate_so_far": {...}}; NULL with ERR_INPUT when the label column is missing.
 */
json_t *dataset_baselines(const struct dataset_frame *f, const uint32_t *train, size_t ntrain, const uint32_t *test,
			  size_t ntest, const struct dataset_baseline_config *cfg, struct err *e);

/* The metrics object for labels y[i] in {0,1}, predictions pred[i] and scores score[i]. */
json_t *dataset_binary_metrics(const uint8_t *y, const uint8_t *pred, const double *score, size_t n);

#endif

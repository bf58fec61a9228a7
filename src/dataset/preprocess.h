/*
 * Preprocessing of the frame's FEATURE columns (DESIGN.md §8): missing values
 * and normalisation, fitted on the training rows only and applied unchanged to
 * every row, so that no statistic of the validation or test rows leaks into
 * the transform.
 *
 * Order of use (dataset/generate.h does all of this for you):
 *   1. dataset_preprocess_drop_rows()  before splitting: with drop_row, rows
 *      with a null in any feature are removed from the frame (a per-row rule
 *      that looks at no other row, so it cannot leak);
 *   2. split the frame (dataset/split.h);
 *   3. dataset_preprocess_fit() on the train rows;
 *   4. dataset_preprocess_apply() transforms the whole frame in place;
 *   5. dataset_preprocess_params() gives the fitted parameters for the manifest.
 *
 * Semantics, chosen to equal scikit-learn's so that a model trained on the
 * files can be served with sklearn's own transformers and these parameters:
 *   missing values
 *     drop_row      rows with any null feature are dropped (step 1);
 *     fill          nulls of numeric features get fill_value, or the train
 *                   mean / median (numpy nanmean / nanmedian); bool and string
 *                   features get the most frequent train value (ties: false,
 *                   or the byte-wise smallest string); timestamps are left as is;
 *     skip_feature  features with any null among the train rows are removed
 *                   (listed in the parameters); nulls of other features in
 *                   val/test rows stay null.
 *   normalisation of int64 and float64 features (bool, string, timestamp are
 *   never normalised):
 *     z_score  (x - mean) / std, population std (ddof = 0): StandardScaler;
 *     min_max  x * scale + offset, scale = 1 / (max - min), offset = -min * scale:
 *              MinMaxScaler with feature_range (0, 1);
 *     robust   (x - median) / (q75 - q25), quantiles by linear interpolation:
 *              RobustScaler with quantile_range (25, 75);
 *     none     values unchanged.
 *   A constant column gets scale 1 (as sklearn does), so it becomes all 0 and
 *   never NaN. Nulls stay null. Numeric features that are normalised, or filled
 *   with a mean, a median or a non-integral number, become float64; an int64
 *   feature filled with an integral number and not normalised stays int64.
 */
#ifndef DATASET_PREPROCESS_H
#define DATASET_PREPROCESS_H
#include <jansson.h>
#include <stdint.h>
#include "core/err.h"
#include "dataset/frame.h"

enum dataset_missing { DATASET_MISSING_DROP_ROW = 0, DATASET_MISSING_FILL, DATASET_MISSING_SKIP_FEATURE };
enum dataset_fill { DATASET_FILL_VALUE = 0, DATASET_FILL_MEAN, DATASET_FILL_MEDIAN };
enum dataset_norm { DATASET_NORM_NONE = 0, DATASET_NORM_Z_SCORE, DATASET_NORM_MIN_MAX, DATASET_NORM_ROBUST };

struct dataset_prep_config {
	enum dataset_missing missing;
	enum dataset_fill fill;   /* with DATASET_MISSING_FILL */
	double fill_value;        /* with DATASET_FILL_VALUE */
	enum dataset_norm norm;
	int missing_indicators;   /* with DATASET_MISSING_FILL: add <feature>_missing columns */
};
#define DATASET_PREP_CONFIG_INIT { DATASET_MISSING_DROP_ROW, DATASET_FILL_VALUE, 0.0, DATASET_NORM_NONE, 0 }

/*
 * Reads a scenario's preprocessing_config object (missing_values_strategy,
 * fill_value: number | "mean" | "median", normalization_method,
 * missing_indicators: bool, only with fill) into out,
 * starting from DATASET_PREP_CONFIG_INIT; NULL means all defaults. Unknown
 * values are ERR_INPUT naming the key, the value and the accepted ones.
 * strict_mode is the caller's business (which builds enter the frame).
 */
int dataset_prep_config_from_json(struct dataset_prep_config *out, const json_t *cfg, struct err *e);
const char *dataset_missing_name(enum dataset_missing m);
const char *dataset_norm_name(enum dataset_norm n);

/*
 * With DATASET_MISSING_DROP_ROW removes, in place, every row with a missing
 * value (dataset_col_is_missing: any null of a column that does not track why,
 * only the marked ones of a column that does) in a FEATURE column; a null that
 * does not apply keeps its row. Any other strategy leaves the frame alone.
 * *report (when not NULL) gets a new object {"reason": "missing_feature",
 * "count": N, "by_feature": {name: rows missing}, "warning": "..." when more
 * than 20% of the rows went, naming the three features that cost the most}
 * the caller owns. Returns the number of rows removed.
 */
size_t dataset_preprocess_drop_rows(struct dataset_frame *f, const struct dataset_prep_config *cfg, json_t **report);

/*
 * What the frame's FEATURE columns lack, before any handling, as a new object
 * (caller owns): {"strategy", "handling": what cfg does with them, "rows",
 * "rows_missing": rows with at least one missing value (dataset_col_is_missing),
 * "missing_by_feature": {name: rows}, "rows_not_applicable": rows with a null
 * that does not apply, "not_applicable_by_feature": {name: rows}}. Rows are
 * counted once however many features they lack.
 */
json_t *dataset_preprocess_missing_summary(const struct dataset_frame *f, const struct dataset_prep_config *cfg);

/*
 * With fill and missing_indicators: for every FEATURE column with a missing
 * value (dataset_col_is_missing) in any row, adds a BOOL FEATURE column
 * "<name>_missing" (true where that value is missing, so the filled value is
 * an imputation; false elsewhere, also where the value does not apply), placed
 * after the last feature column. Which columns get one is decided on the whole
 * frame before splitting, like nullability, so that every split and fold has
 * the same schema; no value statistic is involved. *names (when not NULL) gets
 * a new object {indicator: feature}. Returns the number of columns added, or
 * ERR_INPUT when a feature already has the indicator's name.
 */
int dataset_preprocess_add_indicators(struct dataset_frame *f, const struct dataset_prep_config *cfg, json_t **names,
				      struct err *e);

struct dataset_prep; /* fitted parameters; opaque */

/*
 * Fits cfg on rows train_rows[0..ntrain) of f (row indices into f). ERR_INPUT
 * when there are no train rows. The caller frees *out with dataset_preprocess_free().
 */
int dataset_preprocess_fit(struct dataset_prep **out, const struct dataset_frame *f, const uint32_t *train_rows,
			   size_t ntrain, const struct dataset_prep_config *cfg, struct err *e);
/* Applies the fitted transform to every row of f in place (f must have the columns it was fitted on). */
int dataset_preprocess_apply(const struct dataset_prep *p, struct dataset_frame *f, struct err *e);
/*
 * The fitted parameters as a new JSON object (caller owns):
 *   {"missing_values_strategy", "fill_value", "normalization_method", "fitted_on": "train",
 *    "train_rows", "skipped_features": [...],
 *    "columns": {name: {"type": "int64", "output_type": "float64", "fill": v | null,
 *                       z_score: "mean", "std", "scale"; min_max: "min", "max", "scale", "offset";
 *                       robust: "median", "q25", "q75", "scale"; "constant": bool}}}
 * Only FEATURE columns appear under "columns".
 */
json_t *dataset_preprocess_params(const struct dataset_prep *p);
void dataset_preprocess_free(struct dataset_prep *p);

#endif

/*
 * Tests of src/dataset/preprocess.c: every missing-value strategy and
 * normalisation against scikit-learn fitted on the same train rows
 * (check_prep.py, to 1e-9), constant columns, untouched bool/string columns,
 * and the configuration errors.
 */
#include "dataset_test.h"
#include "dataset/preprocess.h"
#include "dataset/write.h"
#include <math.h>

static void against_sklearn(enum dataset_missing missing, enum dataset_fill fill, double value, enum dataset_norm norm)
{
	if (!tf_have_pandas())
		cr_skip_test("/usr/bin/python3 lacks pandas/sklearn (scripts/bootstrap installs them)");
	struct dataset_frame *f = tf_make(700, 99, 1);
	struct dataset_prep_config cfg = { missing, fill, value, norm, 0 };
	size_t dropped = dataset_preprocess_drop_rows(f, &cfg, NULL);
	if (missing == DATASET_MISSING_DROP_ROW)
		cr_assert_gt(dropped, 0);
	uint32_t *train = xmalloc(f->nrows * sizeof(uint32_t));
	size_t ntrain = 0;
	for (size_t r = 0; r < f->nrows; r++)
		if (r % 10 < 7)
			train[ntrain++] = (uint32_t)r;
	uint32_t *all = xmalloc(f->nrows * sizeof(uint32_t));
	for (size_t r = 0; r < f->nrows; r++)
		all[r] = (uint32_t)r;
	struct dataset_frame *raw = dataset_frame_take(f, all, f->nrows);
	struct dataset_prep *p = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_preprocess_fit(&p, f, train, ntrain, &cfg, &e), 0, "%s", e.msg);
	cr_assert_eq(dataset_preprocess_apply(p, f, &e), 0, "%s", e.msg);
	json_t *params = dataset_preprocess_params(p);

	/* bool and string features: never normalised; filled with the mode under fill */
	const struct dataset_col *rb = dataset_frame_col(raw, "f_bool"), *ob = dataset_frame_col(f, "f_bool");
	if (ob) {
		cr_assert_eq(ob->type, DATASET_BOOL);
		for (size_t r = 0; r < f->nrows; r++)
			if (!dataset_col_is_null(rb, r))
				cr_assert_eq(ob->b[r], rb->b[r]);
		if (missing == DATASET_MISSING_FILL)
			cr_assert_eq(ob->null_count, 0);
	}
	const struct dataset_col *os = dataset_frame_col(f, "f_cat");
	if (os)
		cr_assert_eq(os->type, DATASET_STRING);

	char *dir = ts_tempdir("prep");
	char *rawp = xasprintf("%s/raw.csv", dir), *outp = xasprintf("%s/out.csv", dir);
	char *trp = xasprintf("%s/train.txt", dir), *pp = xasprintf("%s/params.json", dir);
	struct dataset_write_opts o = DATASET_WRITE_OPTS_INIT;
	o.fsync = 0;
	cr_assert_eq(dataset_write_csv(rawp, raw, NULL, 0, &o, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(dataset_write_csv(outp, f, NULL, 0, &o, NULL, &e), 0, "%s", e.msg);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < ntrain; i++)
		buf_addf(&b, "%u\n", train[i]);
	cr_assert_eq(fs_write_atomic(trp, b.data, b.len, &e), 0);
	buf_release(&b);
	cr_assert_eq(json_dump_file(params, pp, JSON_REAL_PRECISION(17)), 0);
	char fillarg[64];
	if (fill == DATASET_FILL_MEAN)
		snprintf(fillarg, sizeof(fillarg), "mean");
	else if (fill == DATASET_FILL_MEDIAN)
		snprintf(fillarg, sizeof(fillarg), "median");
	else
		snprintf(fillarg, sizeof(fillarg), "%.17g", value);
	char *out = NULL;
	int rc = ts_run(&out, "/usr/bin/python3 %s/tests/dataset/check_prep.py %s %s %s %s %s %s %s 2>&1",
			CIMINER_SOURCE_DIR, rawp, outp, trp, pp, dataset_missing_name(missing), fillarg,
			dataset_norm_name(norm));
	cr_assert_eq(rc, 0, "sklearn comparison failed:\n%s", out);
	cr_assert(strncmp(out, "OK", 2) == 0, "%s", out);
	free(out);
	fs_remove_tree(dir, &e);
	free(dir);
	free(rawp);
	free(outp);
	free(trp);
	free(pp);
	json_decref(params);
	dataset_preprocess_free(p);
	dataset_frame_free(raw);
	dataset_frame_free(f);
	free(train);
	free(all);
}

Test(preprocess, z_score_after_mean_fill_equals_sklearn)
{
	against_sklearn(DATASET_MISSING_FILL, DATASET_FILL_MEAN, 0, DATASET_NORM_Z_SCORE);
}

Test(preprocess, min_max_after_median_fill_equals_sklearn)
{
	against_sklearn(DATASET_MISSING_FILL, DATASET_FILL_MEDIAN, 0, DATASET_NORM_MIN_MAX);
}

Test(preprocess, robust_after_constant_fill_equals_sklearn)
{
	against_sklearn(DATASET_MISSING_FILL, DATASET_FILL_VALUE, -1.5, DATASET_NORM_ROBUST);
}

Test(preprocess, z_score_after_drop_row_equals_sklearn)
{
	against_sklearn(DATASET_MISSING_DROP_ROW, DATASET_FILL_VALUE, 0, DATASET_NORM_Z_SCORE);
}

Test(preprocess, robust_after_drop_row_equals_sklearn)
{
	against_sklearn(DATASET_MISSING_DROP_ROW, DATASET_FILL_VALUE, 0, DATASET_NORM_ROBUST);
}

Test(preprocess, skip_feature_drops_columns_with_train_nulls)
{
	against_sklearn(DATASET_MISSING_SKIP_FEATURE, DATASET_FILL_VALUE, 0, DATASET_NORM_MIN_MAX);
}

Test(preprocess, fill_without_normalisation_equals_sklearn_imputer)
{
	against_sklearn(DATASET_MISSING_FILL, DATASET_FILL_MEDIAN, 0, DATASET_NORM_NONE);
}

/* A two-column frame: x numeric feature, label outcome. */
static struct dataset_frame *small(const double *x, size_t n, enum dataset_type t)
{
	struct err e = ERR_INIT;
	struct dataset_frame *f = dataset_frame_new();
	dataset_frame_add_column(f, "x", t, DATASET_ROLE_FEATURE, &e);
	for (size_t i = 0; i < n; i++) {
		dataset_frame_add_row(f);
		if (isnan(x[i]))
			continue;
		if (t == DATASET_INT64)
			dataset_frame_set_i64(f, 0, i, (int64_t)x[i]);
		else
			dataset_frame_set_f64(f, 0, i, x[i]);
	}
	cr_assert_eq(dataset_frame_check(f, &e), 0);
	return f;
}

Test(preprocess, constant_columns_become_zero_not_nan)
{
	const double x[] = { 4, 4, 4, 4, 4, 4 };
	uint32_t train[] = { 0, 1, 2, 3 };
	for (int norm = DATASET_NORM_Z_SCORE; norm <= DATASET_NORM_ROBUST; norm++) {
		struct dataset_frame *f = small(x, 6, DATASET_INT64);
		struct dataset_prep_config cfg = { DATASET_MISSING_FILL, DATASET_FILL_MEAN, 0, (enum dataset_norm)norm, 0 };
		struct dataset_prep *p;
		struct err e = ERR_INIT;
		cr_assert_eq(dataset_preprocess_fit(&p, f, train, 4, &cfg, &e), 0);
		cr_assert_eq(dataset_preprocess_apply(p, f, &e), 0);
		const struct dataset_col *c = f->cols[0];
		cr_assert_eq(c->type, DATASET_FLOAT64);
		for (size_t r = 0; r < 6; r++)
			cr_assert(c->f64[r] == 0.0, "%s: row %zu is %g", dataset_norm_name(cfg.norm), r, c->f64[r]);
		json_t *params = dataset_preprocess_params(p);
		cr_assert(json_is_true(json_object_get(json_object_get(json_object_get(params, "columns"), "x"), "constant")));
		json_decref(params);
		dataset_preprocess_free(p);
		dataset_frame_free(f);
	}
}

Test(preprocess, statistics_come_from_train_rows_only)
{
	/* train rows 0..3 hold 1..4; the test row's 1000 must not move mean or scale */
	const double x[] = { 1, 2, 3, 4, 1000 };
	uint32_t train[] = { 0, 1, 2, 3 };
	struct dataset_frame *f = small(x, 5, DATASET_FLOAT64);
	struct dataset_prep_config cfg = { DATASET_MISSING_DROP_ROW, DATASET_FILL_VALUE, 0, DATASET_NORM_Z_SCORE, 0 };
	struct dataset_prep *p;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_preprocess_fit(&p, f, train, 4, &cfg, &e), 0);
	cr_assert_eq(dataset_preprocess_apply(p, f, &e), 0);
	double sd = sqrt(1.25);
	cr_assert_float_eq(f->cols[0]->f64[0], (1 - 2.5) / sd, 1e-12);
	cr_assert_float_eq(f->cols[0]->f64[4], (1000 - 2.5) / sd, 1e-9);
	dataset_preprocess_free(p);
	dataset_frame_free(f);
}

Test(preprocess, integral_fill_keeps_int64_columns)
{
	const double x[] = { 1, NAN, 3 };
	uint32_t train[] = { 0, 1, 2 };
	struct dataset_frame *f = small(x, 3, DATASET_INT64);
	struct dataset_prep_config cfg = { DATASET_MISSING_FILL, DATASET_FILL_VALUE, 7, DATASET_NORM_NONE, 0 };
	struct dataset_prep *p;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_preprocess_fit(&p, f, train, 3, &cfg, &e), 0);
	cr_assert_eq(dataset_preprocess_apply(p, f, &e), 0);
	cr_assert_eq(f->cols[0]->type, DATASET_INT64);
	cr_assert_eq(f->cols[0]->i64[1], 7);
	cr_assert_eq(f->cols[0]->null_count, 0);
	dataset_preprocess_free(p);
	dataset_frame_free(f);
}

Test(preprocess, refuses_unknown_configuration_values)
{
	struct dataset_prep_config c;
	struct err e = ERR_INIT;
	json_t *j = json_pack("{s:s}", "normalization_method", "zscore");
	cr_assert_eq(dataset_prep_config_from_json(&c, j, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "zscore") && strstr(e.msg, "z_score"), "%s", e.msg);
	json_decref(j);
	j = json_pack("{s:s, s:s, s:s}", "missing_values_strategy", "fill", "fill_value", "median", "normalization_method", "robust");
	cr_assert_eq(dataset_prep_config_from_json(&c, j, &e), 0);
	cr_assert_eq(c.missing, DATASET_MISSING_FILL);
	cr_assert_eq(c.fill, DATASET_FILL_MEDIAN);
	cr_assert_eq(c.norm, DATASET_NORM_ROBUST);
	json_decref(j);
	j = json_pack("{s:s}", "fill_value", "mode");
	cr_assert_eq(dataset_prep_config_from_json(&c, j, &e), ERR_INPUT);
	json_decref(j);
}

Test(preprocess, refuses_an_empty_train_split)
{
	const double x[] = { 1 };
	struct dataset_frame *f = small(x, 1, DATASET_FLOAT64);
	struct dataset_prep_config cfg = DATASET_PREP_CONFIG_INIT;
	struct dataset_prep *p;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_preprocess_fit(&p, f, NULL, 0, &cfg, &e), ERR_INPUT);
	cr_assert_null(p);
	dataset_frame_free(f);
}

/* A frame of n rows with two features: pr_age (null on odd rows: does not apply) and log_tests (missing on rows
 * that are multiples of k). */
static struct dataset_frame *applicability_frame(size_t n, size_t k)
{
	struct err e = ERR_INIT;
	struct dataset_frame *f = dataset_frame_new();
	cr_assert_eq(dataset_frame_add_column(f, "pr_age", DATASET_FLOAT64, DATASET_ROLE_FEATURE, &e), 0);
	cr_assert_eq(dataset_frame_add_column(f, "log_tests", DATASET_INT64, DATASET_ROLE_FEATURE, &e), 1);
	cr_assert_eq(dataset_frame_add_column(f, "outcome", DATASET_INT64, DATASET_ROLE_LABEL, &e), 2);
	dataset_frame_track_missing(f, 0);
	dataset_frame_track_missing(f, 1);
	for (size_t r = 0; r < n; r++) {
		dataset_frame_add_row(f);
		if (r % 2 == 0)
			dataset_frame_set_f64(f, 0, r, (double)r);
		if (r % k == 0)
			dataset_frame_set_missing(f, 1, r);
		else
			dataset_frame_set_i64(f, 1, r, (int64_t)r);
		dataset_frame_set_i64(f, 2, r, (int64_t)(r % 3 == 0));
	}
	return f;
}

Test(preprocess, drop_row_drops_missing_values_but_keeps_nulls_that_do_not_apply)
{
	struct dataset_frame *f = applicability_frame(100, 10);
	struct dataset_prep_config cfg = DATASET_PREP_CONFIG_INIT; /* drop_row */
	json_t *rep = NULL;
	size_t dropped = dataset_preprocess_drop_rows(f, &cfg, &rep);
	/* Rows 0, 10, ..., 90 miss log_tests; the 50 odd rows whose pr_age does not apply stay. */
	cr_assert_eq(dropped, 10);
	cr_assert_eq(f->nrows, 90);
	cr_assert_eq(dataset_frame_col(f, "pr_age")->null_count, 50);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(rep, "by_feature"), "log_tests")), 10);
	cr_assert_null(json_object_get(json_object_get(rep, "by_feature"), "pr_age"));
	cr_assert_null(json_object_get(rep, "warning"), "10%% dropped is under the 20%% warning");
	/* The missing marks follow the rows that filter keeps: none is left. */
	for (size_t r = 0; r < f->nrows; r++)
		cr_assert(!dataset_col_is_missing(dataset_frame_col(f, "log_tests"), r), "row %zu", r);
	json_decref(rep);
	dataset_frame_free(f);
}

Test(preprocess, drop_row_warns_past_a_fifth_of_the_rows_naming_the_features)
{
	struct dataset_frame *f = applicability_frame(100, 4); /* 25 rows miss log_tests */
	struct dataset_prep_config cfg = DATASET_PREP_CONFIG_INIT; /* drop_row */
	json_t *rep = NULL;
	cr_assert_eq(dataset_preprocess_drop_rows(f, &cfg, &rep), 25);
	const char *w = json_string_value(json_object_get(rep, "warning"));
	cr_assert_not_null(w);
	cr_assert(strstr(w, "25 of 100 rows") && strstr(w, "log_tests (25 rows)") && !strstr(w, "pr_age"), "%s", w);
	json_decref(rep);
	dataset_frame_free(f);
}

Test(preprocess, missing_indicators_flag_missing_inputs_only_and_sit_after_the_features)
{
	struct dataset_frame *f = applicability_frame(100, 10);
	struct dataset_prep_config cfg = DATASET_PREP_CONFIG_INIT;
	cfg.missing = DATASET_MISSING_FILL;
	cfg.fill = DATASET_FILL_MEDIAN;
	cfg.missing_indicators = 1;
	json_t *names = NULL;
	struct err e = ERR_INIT;
	/* log_tests misses 10 values; pr_age's 50 nulls do not apply, so it gets no indicator. */
	cr_assert_eq(dataset_preprocess_add_indicators(f, &cfg, &names, &e), 1, "%s", e.msg);
	cr_assert_str_eq(json_string_value(json_object_get(names, "log_tests_missing")), "log_tests");
	cr_assert_eq(dataset_frame_find(f, "pr_age_missing"), -1);
	cr_assert_eq(dataset_frame_find(f, "log_tests_missing"), 2, "right after the last feature, before the label");
	cr_assert_eq(dataset_frame_find(f, "outcome"), 3);
	const struct dataset_col *ind = dataset_frame_col(f, "log_tests_missing");
	cr_assert_eq(ind->type, DATASET_BOOL);
	cr_assert_eq(ind->role, DATASET_ROLE_FEATURE);
	cr_assert_eq(ind->null_count, 0);
	for (size_t r = 0; r < f->nrows; r++)
		cr_assert_eq(ind->b[r], r % 10 == 0, "row %zu", r);
	/* Filling leaves the flags as they are: they still say which values are imputations. */
	uint32_t train[70];
	for (uint32_t i = 0; i < 70; i++)
		train[i] = i;
	struct dataset_prep *p;
	cr_assert_eq(dataset_preprocess_fit(&p, f, train, 70, &cfg, &e), 0, "%s", e.msg);
	cr_assert_eq(dataset_preprocess_apply(p, f, &e), 0, "%s", e.msg);
	cr_assert_eq(dataset_frame_col(f, "log_tests")->null_count, 0);
	for (size_t r = 0; r < f->nrows; r++)
		cr_assert_eq(dataset_frame_col(f, "log_tests_missing")->b[r], r % 10 == 0, "row %zu", r);
	dataset_preprocess_free(p);
	json_decref(names);
	dataset_frame_free(f);
}

Test(preprocess, missing_summary_counts_rows_once_and_tells_missing_from_not_applicable)
{
	struct dataset_frame *f = applicability_frame(100, 4); /* 25 rows miss log_tests; 50 odd rows: pr_age n/a */
	struct dataset_prep_config cfg = DATASET_PREP_CONFIG_INIT;
	cfg.missing = DATASET_MISSING_FILL;
	cfg.fill = DATASET_FILL_MEAN;
	json_t *m = dataset_preprocess_missing_summary(f, &cfg);
	cr_assert_eq(json_integer_value(json_object_get(m, "rows")), 100);
	cr_assert_eq(json_integer_value(json_object_get(m, "rows_missing")), 25);
	cr_assert_eq(json_integer_value(json_object_get(m, "rows_not_applicable")), 50);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(m, "missing_by_feature"), "log_tests")), 25);
	cr_assert_null(json_object_get(json_object_get(m, "missing_by_feature"), "pr_age"));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(m, "not_applicable_by_feature"), "pr_age")), 50);
	cr_assert(strstr(json_string_value(json_object_get(m, "handling")), "train mean"), "%s",
		  json_string_value(json_object_get(m, "handling")));
	json_decref(m);
	dataset_frame_free(f);
}

Test(preprocess, missing_indicators_need_fill)
{
	struct dataset_prep_config cfg;
	struct err e = ERR_INIT;
	json_t *j = json_pack("{s:s, s:b}", "missing_values_strategy", "drop_row", "missing_indicators", 1);
	cr_assert_eq(dataset_prep_config_from_json(&cfg, j, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "missing_indicators") && strstr(e.msg, "fill"), "%s", e.msg);
	json_decref(j);
	j = json_pack("{s:s, s:b}", "missing_values_strategy", "fill", "missing_indicators", 1);
	cr_assert_eq(dataset_prep_config_from_json(&cfg, j, &e), 0, "%s", e.msg);
	cr_assert_eq(cfg.missing_indicators, 1);
	json_decref(j);
}

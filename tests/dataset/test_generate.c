/*
 * Tests of src/dataset/generate.c, manifest.c and baseline.c: the whole
 * generation into a folder (all formats), the manifest fragment's story
 * (counts, checksums, parameters, baselines, drops, warnings), byte-identical
 * files for the same seed, folds for leave_one_out, and the baseline metrics
 * against scikit-learn.
 */
#include "dataset_test.h"
#include "core/hash.h"
#include "dataset/baseline.h"
#include "dataset/generate.h"
#include <math.h>

static int generate(struct dataset_generate_result *res, const char *dir, const char *scenario_json, uint64_t seed)
{
	struct dataset_frame *f = tf_make(1200, seed, 1);
	struct dataset_generate_config cfg;
	dataset_generate_config_init(&cfg);
	struct err e = ERR_INIT;
	json_t *sc = core_json_parse(scenario_json, strlen(scenario_json), "scenario", &e);
	cr_assert_not_null(sc, "%s", e.msg);
	cr_assert_eq(dataset_generate_config_from_json(&cfg, sc, &e), 0, "%s", e.msg);
	cfg.write.fsync = 0;
	int rc = dataset_generate(res, f, &cfg, dir, &e);
	cr_assert_eq(rc, 0, "%s", e.msg);
	json_decref(sc);
	dataset_generate_config_release(&cfg);
	dataset_frame_free(f);
	return rc;
}

static const char *const all_formats =
	"{\"splitting_config\": {\"strategy\": \"stratified_within_group\", \"seed\": 5},"
	" \"preprocessing_config\": {\"missing_values_strategy\": \"fill\", \"fill_value\": \"mean\", \"normalization_method\": \"z_score\"},"
	" \"output_config\": {\"formats\": [\"parquet\", \"csv\", \"pickle\"]}}";

Test(generate, writes_every_split_and_format_with_a_manifest_that_adds_up)
{
	char *dir = ts_tempdir("gen");
	struct dataset_generate_result res = DATASET_GENERATE_RESULT_INIT;
	generate(&res, dir, all_formats, 3);
	cr_assert_eq(res.nfiles, 9);
	const json_t *m = res.manifest;
	json_int_t total = 0;
	for (size_t i = 0; i < res.nfiles; i++) {
		const struct dataset_output_file *of = &res.files[i];
		char hex[SHA256_HEX_LEN];
		struct err e = ERR_INIT;
		cr_assert_eq(sha256_file(of->path, hex, &e), 0, "%s", of->path);
		cr_assert_str_eq(hex, of->info.sha256);
		cr_assert_eq(of->feature_count, 6);
		if (of->format == DATASET_FMT_PARQUET)
			total += (json_int_t)of->info.rows;
	}
	const char *const names[] = { "train.parquet", "test.pkl", "val.csv" };
	for (int i = 0; i < 3; i++) {
		char *path = fs_join(dir, names[i]);
		cr_assert(fs_exists(path), "%s is missing", path);
		free(path);
	}
	cr_assert_eq(total, json_integer_value(json_object_get(m, "rows_in")), "no row lost (fill drops none)");
	const json_t *splits = json_object_get(m, "splits");
	json_int_t sum = 0;
	for (int s = 0; s < 3; s++)
		sum += json_integer_value(json_object_get(json_object_get(splits, dataset_split_names[s]), "rows"));
	cr_assert_eq(sum, total);
	cr_assert_eq(json_array_size(json_object_get(m, "files")), 9);
	const json_t *prep = json_object_get(m, "preprocessing");
	cr_assert_str_eq(json_string_value(json_object_get(prep, "fitted_on")), "train");
	cr_assert_eq(json_integer_value(json_object_get(prep, "train_rows")),
		     json_integer_value(json_object_get(json_object_get(splits, "train"), "rows")));
	cr_assert_not_null(json_object_get(json_object_get(json_object_get(prep, "columns"), "f_float"), "mean"));
	const json_t *bl = json_object_get(m, "baselines");
	cr_assert_not_null(json_object_get(json_object_get(bl, "parrot"), "roc_auc"));
	cr_assert_not_null(json_object_get(json_object_get(bl, "majority_class"), "accuracy"));
	cr_assert(json_is_array(json_object_get(m, "warnings")));
	dataset_generate_result_release(&res);
	struct err e = ERR_INIT;
	fs_remove_tree(dir, &e);
	free(dir);
}

Test(generate, same_seed_gives_byte_identical_files_and_another_seed_does_not)
{
	char *d1 = ts_tempdir("gen"), *d2 = ts_tempdir("gen"), *d3 = ts_tempdir("gen");
	struct dataset_generate_result a = DATASET_GENERATE_RESULT_INIT, b = DATASET_GENERATE_RESULT_INIT,
				       c = DATASET_GENERATE_RESULT_INIT;
	const char *s5 = "{\"splitting_config\": {\"strategy\": \"random_split\", \"seed\": 5}, \"output_config\": {\"formats\": [\"parquet\", \"csv\", \"pickle\"]}, \"preprocessing_config\": {\"missing_values_strategy\": \"drop_row\", \"normalization_method\": \"robust\"}}";
	const char *s6 = "{\"splitting_config\": {\"strategy\": \"random_split\", \"seed\": 6}, \"output_config\": {\"formats\": [\"parquet\", \"csv\", \"pickle\"]}, \"preprocessing_config\": {\"missing_values_strategy\": \"drop_row\", \"normalization_method\": \"robust\"}}";
	generate(&a, d1, s5, 3);
	generate(&b, d2, s5, 3);
	generate(&c, d3, s6, 3);
	cr_assert_eq(a.nfiles, b.nfiles);
	int differs = 0;
	for (size_t i = 0; i < a.nfiles; i++) {
		cr_assert_str_eq(a.files[i].info.sha256, b.files[i].info.sha256, "%s", a.files[i].relpath);
		differs |= strcmp(a.files[i].info.sha256, c.files[i].info.sha256) != 0;
	}
	cr_assert(differs);
	char *ma = core_json_dumps(a.manifest), *mb = core_json_dumps(b.manifest);
	cr_assert_str_eq(ma, mb);
	free(ma);
	free(mb);
	/* drop_row removed the rows with a null feature, and said so */
	const json_t *dropped = json_object_get(a.manifest, "dropped");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(dropped, 0), "reason")), "missing_feature");
	dataset_generate_result_release(&a);
	dataset_generate_result_release(&b);
	dataset_generate_result_release(&c);
	struct err e = ERR_INIT;
	fs_remove_tree(d1, &e);
	fs_remove_tree(d2, &e);
	fs_remove_tree(d3, &e);
	free(d1);
	free(d2);
	free(d3);
}

Test(generate, leave_one_out_writes_a_folder_per_fold_with_its_own_fit)
{
	char *dir = ts_tempdir("gen");
	struct dataset_generate_result res = DATASET_GENERATE_RESULT_INIT;
	generate(&res, dir, "{\"splitting_config\": {\"strategy\": \"leave_one_out\"}, \"preprocessing_config\": {\"missing_values_strategy\": \"skip_feature\", \"normalization_method\": \"min_max\"}}", 4);
	const json_t *folds = json_object_get(res.manifest, "folds");
	cr_assert_eq(json_array_size(folds), 5);
	cr_assert_eq(res.nfiles, 15);
	char *p = xasprintf("%s/fold-octo_alpha/test.parquet", dir);
	cr_assert(fs_exists(p), "%s", p);
	free(p);
	/* each fold fitted on its own train rows */
	json_int_t t0 = json_integer_value(json_object_get(json_object_get(json_array_get(folds, 0), "preprocessing"), "train_rows"));
	json_int_t t1 = json_integer_value(json_object_get(json_object_get(json_array_get(folds, 1), "preprocessing"), "train_rows"));
	cr_assert_neq(t0, t1);
	cr_assert_str_eq(res.files[0].relpath, "fold-acme_delta/train.parquet");
	dataset_generate_result_release(&res);
	struct err e = ERR_INIT;
	fs_remove_tree(dir, &e);
	free(dir);
}

Test(generate, refuses_an_unknown_output_format)
{
	struct dataset_generate_config cfg;
	dataset_generate_config_init(&cfg);
	struct err e = ERR_INIT;
	json_t *sc = json_pack("{s:{s:[s]}}", "output_config", "formats", "feather");
	cr_assert_eq(dataset_generate_config_from_json(&cfg, sc, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "formats[0]"), "%s", e.msg);
	json_decref(sc);
	dataset_generate_config_release(&cfg);
}

/* --- baselines ------------------------------------------------------------------------------------- */

Test(baseline, metrics_equal_sklearn)
{
	if (!tf_have_pandas())
		cr_skip_test("/usr/bin/python3 lacks pandas/sklearn (scripts/bootstrap installs them)");
	struct rng rng;
	rng_init(&rng, 77);
	enum { N = 400 };
	uint8_t y[N], pred[N];
	double score[N];
	struct buf b = BUF_INIT;
	buf_addstr(&b, "import sklearn.metrics as m\ny=[");
	for (int i = 0; i < N; i++) {
		y[i] = rng_below(&rng, 3) == 0;
		score[i] = (double)rng_below(&rng, 20) / 20.0 + (y[i] ? 0.1 : 0); /* ties on purpose */
		pred[i] = score[i] >= 0.5;
		buf_addf(&b, "%d,", y[i]);
	}
	buf_addstr(&b, "]\ns=[");
	for (int i = 0; i < N; i++)
		buf_addf(&b, "%.17g,", score[i]);
	buf_addstr(&b, "]\np=[int(v >= 0.5) for v in s]\n"
		       "print('%.15f %.15f %.15f %.15f %.15f' % (m.accuracy_score(y,p), m.precision_score(y,p,zero_division=0),"
		       " m.recall_score(y,p), m.f1_score(y,p), m.roc_auc_score(y,s)))\n");
	char *out = NULL;
	cr_assert_eq(tf_python(&out, buf_cstr(&b)), 0, "%s", out);
	double want[5];
	cr_assert_eq(sscanf(out, "%lf %lf %lf %lf %lf", &want[0], &want[1], &want[2], &want[3], &want[4]), 5, "%s", out);
	json_t *got = dataset_binary_metrics(y, pred, score, N);
	const char *keys[] = { "accuracy", "precision", "recall", "f1", "roc_auc" };
	for (int k = 0; k < 5; k++)
		cr_assert_float_eq(json_real_value(json_object_get(got, keys[k])), want[k], 1e-12, "%s", keys[k]);
	json_decref(got);
	free(out);
	buf_release(&b);
}

Test(baseline, parrot_repeats_the_previous_outcome_and_majority_predicts_train_mode)
{
	struct err e = ERR_INIT;
	struct dataset_frame *f = dataset_frame_new();
	dataset_frame_add_column(f, "outcome", DATASET_INT64, DATASET_ROLE_LABEL, &e);
	dataset_frame_add_column(f, "prev_outcome", DATASET_INT64, DATASET_ROLE_KEY, &e);
	/* train: 0 0 0 1; test: (y=1, prev=1) (y=0, prev=1) (y=1, prev=null) (y=0, prev=0) */
	const int y[] = { 0, 0, 0, 1, 1, 0, 1, 0 }, prev[] = { -1, 0, 0, 0, 1, 1, -1, 0 };
	for (size_t i = 0; i < 8; i++) {
		dataset_frame_add_row(f);
		dataset_frame_set_i64(f, 0, i, y[i]);
		if (prev[i] >= 0)
			dataset_frame_set_i64(f, 1, i, prev[i]);
	}
	cr_assert_eq(dataset_frame_check(f, &e), 0);
	uint32_t train[] = { 0, 1, 2, 3 }, test[] = { 4, 5, 6, 7 };
	struct dataset_baseline_config cfg = DATASET_BASELINE_CONFIG_INIT;
	json_t *b = dataset_baselines(f, train, 4, test, 4, &cfg, &e);
	cr_assert_not_null(b, "%s", e.msg);
	const json_t *maj = json_object_get(b, "majority_class"), *par = json_object_get(b, "parrot");
	cr_assert_eq(json_integer_value(json_object_get(maj, "predicts")), 0);
	cr_assert_float_eq(json_real_value(json_object_get(maj, "accuracy")), 0.5, 1e-12);
	cr_assert_float_eq(json_real_value(json_object_get(maj, "roc_auc")), 0.5, 1e-12);
	/* parrot predicts 1, 1, 0 (fallback: train majority), 0 */
	cr_assert_float_eq(json_real_value(json_object_get(par, "accuracy")), 0.5, 1e-12);
	cr_assert_float_eq(json_real_value(json_object_get(par, "precision")), 0.5, 1e-12);
	cr_assert_eq(json_integer_value(json_object_get(par, "fallback_rows")), 1);
	cr_assert_not_null(json_object_get(b, "fail_rate_so_far"));
	json_decref(b);
	dataset_frame_free(f);
}

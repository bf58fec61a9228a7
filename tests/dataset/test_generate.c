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

/* The build ids (tf_make's build_id) whose f_int is null: the rows whose f_int is an imputation. */
static char *null_f_int_ids(uint64_t seed)
{
	struct dataset_frame *f = tf_make(1200, seed, 1);
	const struct dataset_col *c = dataset_frame_col(f, "f_int"), *id = dataset_frame_col(f, "build_id");
	struct buf b = BUF_INIT;
	size_t n = 0;
	for (size_t r = 0; r < f->nrows; r++)
		if (dataset_col_is_null(c, r))
			buf_addf(&b, "%s%lld", n++ ? "," : "", (long long)id->i64[r]);
	cr_assert_gt(n, 10, "tf_make gives f_int about 5%% nulls");
	dataset_frame_free(f);
	return buf_detach(&b, NULL);
}

Test(generate, missing_indicators_are_features_with_the_same_flags_in_every_format)
{
	if (!tf_have_pandas())
		cr_skip_test("/usr/bin/python3 lacks pandas/sklearn (scripts/bootstrap installs them)");
	char *duck = tf_duckdb_dir();
	if (!duck)
		cr_skip_test("DuckDB's node package is unavailable (npm or the registry is unreachable)");
	char *dir = ts_tempdir("gen");
	struct dataset_generate_result res = DATASET_GENERATE_RESULT_INIT;
	generate(&res, dir,
		 "{\"splitting_config\": {\"seed\": 5}, \"preprocessing_config\": {\"missing_values_strategy\": \"fill\","
		 " \"fill_value\": \"median\", \"normalization_method\": \"z_score\", \"missing_indicators\": true},"
		 " \"output_config\": {\"formats\": [\"parquet\", \"csv\", \"pickle\"]}}",
		 3);
	const json_t *mv = json_object_get(res.manifest, "missing_values");
	const json_t *ind = json_object_get(mv, "indicators");
	/* Every feature with a null has one (tf_make: all but f_const), named <feature>_missing. */
	cr_assert_eq(json_object_size(ind), 5, "%s", core_json_dumps(ind));
	cr_assert_str_eq(json_string_value(json_object_get(ind, "f_int_missing")), "f_int");
	cr_assert_null(json_object_get(ind, "f_const_missing"));
	cr_assert_eq(res.files[0].feature_count, 11, "6 features + 5 indicators");
	const json_t *w = json_object_get(res.manifest, "warnings");
	size_t i;
	const json_t *it;
	int warned = 0;
	json_array_foreach(w, i, it) warned |= strstr(json_string_value(it), "have imputed values") != NULL &&
					   strstr(json_string_value(it), "_missing columns flag them") != NULL;
	cr_assert(warned, "no warning about the imputed rows: %s", core_json_dumps(w));
	cr_assert_gt(json_integer_value(json_object_get(mv, "rows_missing")), 0);

	char *want = null_f_int_ids(3);
	/* pandas reads pickle and CSV; the flags are bools, f_int has no null left, and the flagged build ids are exactly
	 * those whose f_int was null. */
	char *py = xasprintf(
		"import pandas as pd\n"
		"want = sorted([%s])\n"
		"for ext in ('pkl', 'csv'):\n"
		"    got = []\n"
		"    for s in ('train', 'val', 'test'):\n"
		"        p = '%s/%%s.%%s' %% (s, ext)\n"
		"        df = pd.read_pickle(p) if ext == 'pkl' else pd.read_csv(p, keep_default_na=False, na_values=[''])\n"
		"        assert str(df['f_int_missing'].dtype) == 'bool', (ext, df['f_int_missing'].dtype)\n"
		"        assert df['f_int'].notna().all(), ext\n"
		"        cols = list(df.columns)\n"
		"        assert cols.index('f_int_missing') < cols.index('outcome'), cols\n"
		"        got += [int(b) for b in df.loc[df['f_int_missing'], 'build_id']]\n"
		"    assert sorted(got) == want, (ext, len(got), len(want))\n"
		"print('ok')\n",
		want, dir);
	char *out = NULL;
	cr_assert_eq(tf_python(&out, py), 0, "%s", out);
	free(out);
	char *sql = xasprintf("SELECT string_agg(CAST(build_id AS VARCHAR), ',' ORDER BY build_id) AS ids,"
			      " min(typeof(f_int_missing)) AS t FROM read_parquet('%s/*.parquet') WHERE f_int_missing",
			      dir);
	json_t *rows = tf_duckdb(duck, sql);
	const json_t *row = json_array_get(rows, 0);
	cr_assert_str_eq(core_json_str(row, "t", "?"), "BOOLEAN");
	/* want is in frame order; compare as sorted lists */
	struct strvec a = STRVEC_INIT, b = STRVEC_INIT;
	strvec_split(&a, want, ',');
	strvec_split(&b, core_json_str(row, "ids", ""), ',');
	cr_assert_eq(a.n, b.n, "parquet flags %zu rows, want %zu", b.n, a.n);
	for (size_t k = 0; k < a.n; k++)
		cr_assert_geq(strvec_find(&b, a.v[k]), 0, "build %s is not flagged in Parquet", a.v[k]);
	strvec_clear(&a);
	strvec_clear(&b);
	json_decref(rows);
	free(sql);
	free(py);
	free(want);
	free(duck);
	dataset_generate_result_release(&res);
	struct err e = ERR_INIT;
	fs_remove_tree(dir, &e);
	free(dir);
}

Test(generate, leave_one_out_counts_each_dropped_row_once_across_folds)
{
	char *dir = ts_tempdir("gen");
	struct dataset_generate_result res = DATASET_GENERATE_RESULT_INIT;
	/* Only octo/alpha and octo/beta train: each fold keeps its test group and a val group, and drops the other
	 * unlisted groups, so a row of acme/gamma is dropped by several folds. */
	generate(&res, dir,
		 "{\"splitting_config\": {\"strategy\": \"leave_one_out\", \"train_groups\": [\"octo/alpha\", \"octo/beta\"]},"
		 " \"preprocessing_config\": {\"missing_values_strategy\": \"fill\", \"fill_value\": \"median\"}}",
		 4);
	const json_t *folds = json_object_get(res.manifest, "folds");
	cr_assert_eq(json_array_size(folds), 5);
	struct strvec any = STRVEC_INIT;
	json_int_t summed = 0;
	size_t i, k;
	const json_t *fo, *d, *id;
	json_t *every = NULL; /* ids dropped by every fold so far */
	json_array_foreach(folds, i, fo) {
		json_t *mine = json_object();
		json_array_foreach(json_object_get(fo, "dropped"), k, d) {
			if (strcmp(core_json_str(d, "reason", ""), "group_not_listed"))
				continue;
			summed += json_integer_value(json_object_get(d, "count"));
			cr_assert(!json_is_true(json_object_get(d, "truncated")));
			size_t j;
			json_array_foreach(json_object_get(d, "build_ids"), j, id) {
				if (strvec_find(&any, json_string_value(id)) < 0)
					strvec_push(&any, json_string_value(id));
				json_object_set_new(mine, json_string_value(id), json_true());
			}
		}
		if (!every) {
			every = mine;
		} else {
			const char *key;
			json_t *v, *tmp;
			json_object_foreach_safe(every, tmp, key, v) if (!json_object_get(mine, key)) json_object_del(every, key);
			json_decref(mine);
		}
	}
	cr_assert_gt(summed, (json_int_t)any.n, "the test needs rows that several folds drop (summed %lld, distinct %zu)",
		     (long long)summed, any.n);
	const json_t *top = json_object_get(res.manifest, "dropped");
	const json_t *g = NULL;
	json_array_foreach(top, k, d) if (!strcmp(core_json_str(d, "reason", ""), "group_not_listed")) g = d;
	cr_assert_not_null(g, "%s", core_json_dumps(top));
	cr_assert_eq(json_integer_value(json_object_get(g, "count")), (json_int_t)any.n, "distinct rows, not the sum %lld",
		     (long long)summed);
	cr_assert_eq(json_integer_value(json_object_get(g, "in_every_fold")), (json_int_t)json_object_size(every));
	cr_assert_gt(json_integer_value(json_object_get(g, "folds")), 1);
	json_decref(every);
	strvec_clear(&any);
	dataset_generate_result_release(&res);
	struct err e = ERR_INIT;
	fs_remove_tree(dir, &e);
	free(dir);
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

/*
 * Tests of src/dataset/split*.c: each strategy, and the properties every
 * strategy must keep — no commit in two splits, ratios within one row per
 * (group, class) cell, determinism for a seed — checked independently of the
 * splitter's own bookkeeping.
 */
#include "dataset_test.h"
#include "dataset/split.h"
#include <math.h>

static struct dataset_split_config cfg_of(enum dataset_strategy s, uint64_t seed)
{
	struct dataset_split_config c;
	dataset_split_config_init(&c);
	c.strategy = s;
	c.seed = seed;
	return c;
}

/* Gives every row its own commit, so that every unit is one row (exact ratio checks). */
static void unique_commits(struct dataset_frame *f)
{
	int ci = dataset_frame_find(f, "commit_sha");
	for (size_t r = 0; r < f->nrows; r++) {
		char sha[32];
		snprintf(sha, sizeof(sha), "u%zu", r);
		dataset_frame_set_str(f, (size_t)ci, r, sha);
	}
}

static void expect_no_commit_in_two_splits(const struct dataset_frame *f, const struct dataset_fold *fo)
{
	const struct dataset_col *c = dataset_frame_col(f, "commit_sha");
	struct strmap seen = STRMAP_INIT;
	for (size_t r = 0; r < f->nrows; r++) {
		if (fo->assign[r] < 0)
			continue;
		const char *sha = dataset_col_str(c, r);
		void *prev = strmap_get(&seen, sha);
		if (prev)
			cr_assert_eq((intptr_t)prev - 10, fo->assign[r], "commit %s in two splits", sha);
		else
			strmap_put(&seen, sha, (void *)(intptr_t)(fo->assign[r] + 10));
	}
	strmap_clear(&seen, NULL);
}

static void expect_rows_consistent(const struct dataset_frame *f, const struct dataset_fold *fo)
{
	size_t total = 0;
	for (int s = 0; s < DATASET_NSPLITS; s++) {
		for (size_t i = 0; i < fo->nrows[s]; i++) {
			cr_assert_eq(fo->assign[fo->rows[s][i]], s);
			if (i)
				cr_assert_lt(fo->rows[s][i - 1], fo->rows[s][i], "rows ascending");
		}
		total += fo->nrows[s];
		cr_assert_eq(json_integer_value(json_object_get(json_object_get(fo->report, "counts"), dataset_split_names[s])),
			     (json_int_t)fo->nrows[s]);
	}
	size_t dropped = 0;
	for (size_t r = 0; r < f->nrows; r++)
		dropped += fo->assign[r] < 0;
	cr_assert_eq(total + dropped, f->nrows);
}

/* Every (group, class) cell (groups given by column gcol, NULL = one group) is within one row of its ratios. */
static void expect_cell_ratios(const struct dataset_frame *f, const struct dataset_fold *fo, const char *gcol,
			       const double *ratios, const char *skip_group)
{
	const struct dataset_col *g = gcol ? dataset_frame_col(f, gcol) : NULL;
	const struct dataset_col *y = dataset_frame_col(f, "outcome");
	struct strmap cells = STRMAP_INIT;
	struct buf key = BUF_INIT;
	size_t (*cnt)[4] = xcalloc(f->nrows, sizeof(*cnt));
	size_t ncell = 0;
	for (size_t r = 0; r < f->nrows; r++) {
		const char *gn = g ? dataset_col_str(g, r) : "";
		if (skip_group && strcmp(gn, skip_group) == 0)
			continue;
		buf_reset(&key);
		buf_addf(&key, "%s|%lld", gn, (long long)y->i64[r]);
		void *v = strmap_get(&cells, buf_cstr(&key));
		if (!v) {
			v = (void *)(uintptr_t)++ncell;
			strmap_put(&cells, buf_cstr(&key), v);
		}
		size_t *c = cnt[(uintptr_t)v - 1];
		c[3]++;
		if (fo->assign[r] >= 0)
			c[fo->assign[r]]++;
	}
	for (size_t i = 0; i < ncell; i++)
		for (int s = 0; s < DATASET_NSPLITS; s++) {
			double ideal = (double)cnt[i][3] * ratios[s];
			cr_assert_lt(fabs((double)cnt[i][s] - ideal), 1.0, "cell %zu split %d: %zu rows for ideal %.2f", i, s,
				     cnt[i][s], ideal);
		}
	cr_assert_gt(ncell, 1);
	free(cnt);
	buf_release(&key);
	strmap_clear(&cells, NULL);
}

Test(split, random_split_stratifies_by_class_within_one_row)
{
	struct dataset_frame *f = tf_make(1000, 1, 0);
	unique_commits(f);
	struct dataset_split_config c = cfg_of(DATASET_SPLIT_RANDOM, 7);
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(r.nfolds, 1);
	expect_rows_consistent(f, &r.folds[0]);
	expect_cell_ratios(f, &r.folds[0], NULL, c.ratios, NULL);
	cr_assert_eq(r.folds[0].nrows[0], 700);
	cr_assert_eq(r.folds[0].nrows[1], 150);
	cr_assert_eq(r.folds[0].nrows[2], 150);
	dataset_split_result_release(&r);
	dataset_split_config_release(&c);
	dataset_frame_free(f);
}

Test(split, stratified_within_group_cuts_every_group_and_class)
{
	struct dataset_frame *f = tf_make(1500, 2, 0);
	unique_commits(f);
	struct dataset_split_config c = cfg_of(DATASET_SPLIT_STRATIFIED_WITHIN_GROUP, 3);
	c.temporal_ordering = 0;
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
	expect_rows_consistent(f, &r.folds[0]);
	expect_cell_ratios(f, &r.folds[0], "repo_name", c.ratios, NULL);
	dataset_split_result_release(&r);
	dataset_split_config_release(&c);
	dataset_frame_free(f);
}

/*
 * Forward in time inside every group (gcol; NULL = the whole frame): every
 * train row starts no later than every val row, every val row no later than
 * every test row.
 */
static void expect_forward_in_time(const struct dataset_frame *f, const struct dataset_fold *fo, const char *gcol)
{
	const struct dataset_col *g = gcol ? dataset_frame_col(f, gcol) : NULL, *t = dataset_frame_col(f, "started_at");
	for (size_t a = 0; a < f->nrows; a++)
		for (size_t b = 0; b < f->nrows; b++)
			if (fo->assign[a] >= 0 && fo->assign[a] < fo->assign[b] && (!g || g->code[a] == g->code[b]))
				cr_assert_leq(t->i64[a], t->i64[b], "row %zu (%s) started after row %zu (%s) of its group", a,
					      dataset_split_names[fo->assign[a]], b, dataset_split_names[fo->assign[b]]);
}

/*
 * The same with commit units kept whole (a re-run of a commit goes with its
 * first run): every train unit of a group starts (its earliest row) no later
 * than every val unit, every val unit no later than every test unit.
 */
static void expect_forward_in_time_units(const struct dataset_frame *f, const struct dataset_fold *fo,
					 const char *gcol)
{
	const struct dataset_col *g = gcol ? dataset_frame_col(f, gcol) : NULL, *t = dataset_frame_col(f, "started_at"),
				 *c = dataset_frame_col(f, "commit_sha");
	int64_t *start = xmalloc(f->nrows * sizeof(int64_t));
	for (size_t a = 0; a < f->nrows; a++) {
		start[a] = t->i64[a];
		for (size_t b = 0; b < f->nrows; b++)
			if (c->code[b] == c->code[a] && t->i64[b] < start[a])
				start[a] = t->i64[b];
	}
	for (size_t a = 0; a < f->nrows; a++)
		for (size_t b = 0; b < f->nrows; b++)
			if (fo->assign[a] >= 0 && fo->assign[a] < fo->assign[b] && (!g || g->code[a] == g->code[b]))
				cr_assert_leq(start[a], start[b], "the commit of row %zu (%s) started after that of row %zu (%s)",
					      a, dataset_split_names[fo->assign[a]], b, dataset_split_names[fo->assign[b]]);
	free(start);
}

Test(split, temporal_ordering_puts_every_train_build_of_a_group_before_its_val_and_test_builds)
{
	struct dataset_frame *f = tf_make(1200, 4, 0);
	unique_commits(f);
	struct dataset_split_config c = cfg_of(DATASET_SPLIT_STRATIFIED_WITHIN_GROUP, 3);
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
	const struct dataset_fold *fo = &r.folds[0];
	/* Not per (group, class) cell: a failed train build newer than a passed test build would be a leak. */
	expect_forward_in_time(f, fo, "repo_name");
	/* Stratification is best-effort: the class balance per split is reported. */
	const json_t *cd = json_object_get(fo->report, "class_distribution");
	for (int s = 0; s < DATASET_NSPLITS; s++)
		cr_assert(json_is_object(json_object_get(cd, dataset_split_names[s])), "%s", dataset_split_names[s]);
	dataset_split_result_release(&r);
	dataset_split_config_release(&c);
	dataset_frame_free(f);
}

Test(split, every_strategy_that_orders_by_time_is_forward_in_time_with_re_run_commits)
{
	/* tf_make re-runs about 5% of commits: units of several rows, kept whole. */
	struct dataset_frame *f = tf_make(1500, 11, 0);
	static const struct {
		enum dataset_strategy s;
		const char *group; /* the order holds inside each of these groups */
	} cases[] = { { DATASET_SPLIT_STRATIFIED_WITHIN_GROUP, "repo_name" }, { DATASET_SPLIT_TIME_SERIES, NULL } };
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		for (uint64_t seed = 1; seed <= 3; seed++) {
			struct dataset_split_config c = cfg_of(cases[k].s, seed);
			c.gap_days = cases[k].s == DATASET_SPLIT_TIME_SERIES ? 0.5 : 0;
			struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
			struct err e = ERR_INIT;
			cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
			expect_no_commit_in_two_splits(f, &r.folds[0]);
			expect_forward_in_time_units(f, &r.folds[0], cases[k].group);
			dataset_split_result_release(&r);
			dataset_split_config_release(&c);
		}
	dataset_frame_free(f);
}

Test(split, runs_every_registered_strategy_and_reports_it_by_its_table_name)
{
	struct dataset_frame *f = tf_make(400, 5, 0);
	cr_assert_geq(dataset_nstrategies, 4);
	for (size_t k = 0; k < dataset_nstrategies; k++) {
		struct dataset_split_config c = cfg_of((enum dataset_strategy)k, 7);
		struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
		struct err e = ERR_INIT;
		cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s: %s", dataset_strategies[k].name, e.msg);
		cr_assert_geq(r.nfolds, 1);
		for (size_t i = 0; i < r.nfolds; i++) {
			expect_no_commit_in_two_splits(f, &r.folds[i]);
			cr_assert_str_eq(json_string_value(json_object_get(r.folds[i].report, "strategy")),
					 dataset_strategies[k].name);
		}
		dataset_split_result_release(&r);
		dataset_split_config_release(&c);
	}
	dataset_frame_free(f);
}

Test(split, never_puts_a_commit_in_two_splits)
{
	/* tf_make re-runs about 5% of commits; try every strategy and several seeds */
	struct dataset_frame *f = tf_make(2000, 5, 0);
	for (int s = 0; s < 4; s++)
		for (uint64_t seed = 1; seed <= 3; seed++) {
			struct dataset_split_config c = cfg_of((enum dataset_strategy)s, seed);
			c.gap_days = s == DATASET_SPLIT_TIME_SERIES ? 1 : 0;
			struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
			struct err e = ERR_INIT;
			cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
			for (size_t k = 0; k < r.nfolds; k++) {
				expect_no_commit_in_two_splits(f, &r.folds[k]);
				expect_rows_consistent(f, &r.folds[k]);
			}
			dataset_split_result_release(&r);
			dataset_split_config_release(&c);
		}
	dataset_frame_free(f);
}

Test(split, same_seed_gives_the_same_assignment_and_another_seed_another)
{
	struct dataset_frame *f = tf_make(800, 6, 0);
	for (int s = 0; s < 4; s++) {
		if (s == DATASET_SPLIT_TIME_SERIES)
			continue; /* has no randomness */
		struct dataset_split_config a = cfg_of((enum dataset_strategy)s, 11), b = cfg_of((enum dataset_strategy)s, 11),
					    d = cfg_of((enum dataset_strategy)s, 12);
		a.temporal_ordering = b.temporal_ordering = d.temporal_ordering = 0;
		struct dataset_split_result ra = DATASET_SPLIT_RESULT_INIT, rb = DATASET_SPLIT_RESULT_INIT,
					    rd = DATASET_SPLIT_RESULT_INIT;
		struct err e = ERR_INIT;
		cr_assert_eq(dataset_split(&ra, f, &a, &e), 0, "%s", e.msg);
		cr_assert_eq(dataset_split(&rb, f, &b, &e), 0, "%s", e.msg);
		cr_assert_eq(dataset_split(&rd, f, &d, &e), 0, "%s", e.msg);
		int differs = 0;
		for (size_t k = 0; k < ra.nfolds; k++) {
			cr_assert_eq(memcmp(ra.folds[k].assign, rb.folds[k].assign, f->nrows), 0, "strategy %d fold %zu", s, k);
			differs |= memcmp(ra.folds[k].assign, rd.folds[k].assign, f->nrows) != 0;
		}
		cr_assert(differs, "strategy %d ignores the seed", s);
		char *ja = core_json_dumps(ra.folds[0].report), *jb = core_json_dumps(rb.folds[0].report);
		cr_assert_str_eq(ja, jb);
		free(ja);
		free(jb);
		dataset_split_result_release(&ra);
		dataset_split_result_release(&rb);
		dataset_split_result_release(&rd);
		dataset_split_config_release(&a);
		dataset_split_config_release(&b);
		dataset_split_config_release(&d);
	}
	dataset_frame_free(f);
}

Test(split, small_groups_go_to_train_and_are_reported)
{
	struct dataset_frame *f = tf_make(200, 8, 0); /* solo/tiny gets ~2% of 200 rows: fewer than 7 */
	struct dataset_split_config c = cfg_of(DATASET_SPLIT_STRATIFIED_WITHIN_GROUP, 1);
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
	const json_t *small = json_object_get(r.folds[0].report, "small_groups");
	cr_assert_eq(json_array_size(small), 1, "%s", core_json_dumps(small));
	const json_t *g = json_array_get(small, 0);
	cr_assert_str_eq(json_string_value(json_object_get(g, "group")), "solo/tiny");
	cr_assert_str_eq(json_string_value(json_object_get(g, "assigned_to")), "train");
	const struct dataset_col *repo = dataset_frame_col(f, "repo_name");
	size_t tiny = 0;
	for (size_t i = 0; i < f->nrows; i++)
		if (strcmp(dataset_col_str(repo, i), "solo/tiny") == 0) {
			cr_assert_eq(r.folds[0].assign[i], DATASET_TRAIN);
			tiny++;
		}
	cr_assert_eq((json_int_t)tiny, json_integer_value(json_object_get(g, "rows")));
	dataset_split_result_release(&r);
	dataset_split_config_release(&c);
	dataset_frame_free(f);
}

Test(split, time_series_orders_globally_and_drops_the_gaps)
{
	struct dataset_frame *f = tf_make(1000, 9, 0);
	unique_commits(f);
	struct dataset_split_config c = cfg_of(DATASET_SPLIT_TIME_SERIES, 1);
	c.gap_days = 1;
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
	const struct dataset_fold *fo = &r.folds[0];
	const struct dataset_col *t = dataset_frame_col(f, "started_at");
	int64_t lo[3] = { INT64_MAX, INT64_MAX, INT64_MAX }, hi[3] = { INT64_MIN, INT64_MIN, INT64_MIN };
	size_t dropped = 0;
	for (size_t i = 0; i < f->nrows; i++) {
		int s = fo->assign[i];
		if (s < 0) {
			dropped++;
			continue;
		}
		if (t->i64[i] < lo[s])
			lo[s] = t->i64[i];
		if (t->i64[i] > hi[s])
			hi[s] = t->i64[i];
	}
	cr_assert_geq(lo[1], hi[0] + USEC_PER_DAY, "val starts a day after train ends");
	cr_assert_geq(lo[2], hi[1] + USEC_PER_DAY, "test starts a day after val ends");
	cr_assert_gt(dropped, 0);
	const json_t *d = json_object_get(fo->report, "dropped");
	json_int_t counted = 0;
	size_t i;
	const json_t *v;
	json_array_foreach(d, i, v) counted += json_integer_value(json_object_get(v, "count"));
	cr_assert_eq(counted, (json_int_t)dropped);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(d, 0), "reason")), "gap_before_val");
	/* before the gaps were dropped, the cut was 700 / 150 / 150 */
	cr_assert_eq(fo->nrows[0], 700);
	dataset_split_result_release(&r);
	dataset_split_config_release(&c);
	dataset_frame_free(f);
}

Test(split, leave_one_out_makes_one_fold_per_group_without_group_leaks)
{
	struct dataset_frame *f = tf_make(600, 10, 0);
	struct dataset_split_config c = cfg_of(DATASET_SPLIT_LEAVE_ONE_OUT, 1);
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(r.nfolds, 5);
	/* folds in byte order of the group names */
	const char *want[] = { "fold-acme_delta", "fold-acme_gamma", "fold-octo_alpha", "fold-octo_beta", "fold-solo_tiny" };
	const struct dataset_col *repo = dataset_frame_col(f, "repo_name");
	for (size_t k = 0; k < r.nfolds; k++) {
		const struct dataset_fold *fo = &r.folds[k];
		cr_assert_str_eq(fo->name, want[k]);
		int where[5];
		memset(where, -1, sizeof(where));
		for (size_t i = 0; i < f->nrows; i++) {
			const char *g = dataset_col_str(repo, i);
			if (strcmp(g, fo->held_out) == 0)
				cr_assert_eq(fo->assign[i], DATASET_TEST);
			else
				cr_assert_neq(fo->assign[i], DATASET_TEST);
			int gi = (int)repo->code[i];
			if (where[gi] < 0)
				where[gi] = fo->assign[i];
			cr_assert_eq(where[gi], fo->assign[i], "group %s in two splits", g);
		}
		cr_assert_gt(fo->nrows[DATASET_VAL], 0, "a validation group was drawn");
		expect_no_commit_in_two_splits(f, fo);
	}
	dataset_split_result_release(&r);
	dataset_split_config_release(&c);
	dataset_frame_free(f);
}

Test(split, leave_one_out_uses_the_named_test_and_val_groups)
{
	struct dataset_frame *f = tf_make(400, 12, 0);
	struct dataset_split_config c = cfg_of(DATASET_SPLIT_LEAVE_ONE_OUT, 1);
	strvec_push(&c.test_groups, "octo/beta");
	strvec_push(&c.val_groups, "acme/delta");
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(r.nfolds, 1);
	cr_assert_null(r.folds[0].name);
	const struct dataset_col *repo = dataset_frame_col(f, "repo_name");
	for (size_t i = 0; i < f->nrows; i++) {
		const char *g = dataset_col_str(repo, i);
		int want = strcmp(g, "octo/beta") == 0 ? DATASET_TEST : strcmp(g, "acme/delta") == 0 ? DATASET_VAL : DATASET_TRAIN;
		cr_assert_eq(r.folds[0].assign[i], want, "%s", g);
	}
	const json_t *groups = json_object_get(r.folds[0].report, "groups");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(groups, "test"), 0)), "octo/beta");
	dataset_split_result_release(&r);
	strvec_clear(&c.test_groups);
	strvec_push(&c.test_groups, "octo/gamma");
	cr_assert_eq(dataset_split(&r, f, &c, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "octo/gamma"), "%s", e.msg);
	dataset_split_config_release(&c);
	dataset_frame_free(f);
}

Test(split, keeps_a_commit_shared_by_two_groups_together_and_warns)
{
	struct dataset_frame *f = tf_make(300, 13, 0);
	int ci = dataset_frame_find(f, "commit_sha");
	const struct dataset_col *repo = dataset_frame_col(f, "repo_name");
	/* the first build of octo/beta re-uses the first commit of octo/alpha */
	size_t a = SIZE_MAX, b = SIZE_MAX;
	for (size_t i = 0; i < f->nrows; i++) {
		if (a == SIZE_MAX && strcmp(dataset_col_str(repo, i), "octo/alpha") == 0)
			a = i;
		if (b == SIZE_MAX && strcmp(dataset_col_str(repo, i), "octo/beta") == 0)
			b = i;
	}
	char sha[64];
	snprintf(sha, sizeof(sha), "%s", dataset_col_str(f->cols[ci], a));
	dataset_frame_set_str(f, (size_t)ci, b, sha);
	struct dataset_split_config c = cfg_of(DATASET_SPLIT_LEAVE_ONE_OUT, 1);
	strvec_push(&c.test_groups, "octo/beta");
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
	expect_no_commit_in_two_splits(f, &r.folds[0]);
	cr_assert_eq(r.folds[0].assign[a], r.folds[0].assign[b]);
	char *w = core_json_dumps(json_object_get(r.folds[0].report, "warnings"));
	cr_assert(strstr(w, "share a commit") && strstr(w, "octo/beta' is in two splits"), "%s", w);
	free(w);
	cr_assert_eq(json_array_size(json_object_get(r.folds[0].report, "commit_conflicts")), 1);
	dataset_split_result_release(&r);
	dataset_split_config_release(&c);
	dataset_frame_free(f);
}

Test(split, warns_about_a_split_with_a_single_class)
{
	struct dataset_frame *f = tf_make(40, 14, 0);
	int oc = dataset_frame_find(f, "outcome");
	for (size_t i = 0; i < f->nrows; i++)
		dataset_frame_set_i64(f, (size_t)oc, i, 0);
	struct dataset_split_config c = cfg_of(DATASET_SPLIT_RANDOM, 1);
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_split(&r, f, &c, &e), 0, "%s", e.msg);
	char *w = core_json_dumps(json_object_get(r.folds[0].report, "warnings"));
	cr_assert(strstr(w, "split 'test' has a single class (outcome=0)"), "%s", w);
	free(w);
	dataset_split_result_release(&r);
	dataset_split_config_release(&c);
	dataset_frame_free(f);
}

Test(split, refuses_bad_configuration_and_missing_columns)
{
	struct dataset_split_config c;
	dataset_split_config_init(&c);
	struct err e = ERR_INIT;
	json_t *j = json_pack("{s:{s:f, s:f, s:f}}", "ratios", "train", 0.8, "val", 0.15, "test", 0.15);
	cr_assert_eq(dataset_split_config_from_json(&c, j, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "sum to 1.1"), "%s", e.msg);
	json_decref(j);
	j = json_pack("{s:s}", "strategy", "kfold");
	cr_assert_eq(dataset_split_config_from_json(&c, j, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "kfold"), "%s", e.msg);
	json_decref(j);
	j = json_pack("{s:s, s:s, s:I, s:f, s:[s]}", "strategy", "time_series_split", "group_by", "language", "seed",
		      (json_int_t)5, "gap_days", 2.5, "test_groups", "Go");
	cr_assert_eq(dataset_split_config_from_json(&c, j, &e), 0, "%s", e.msg);
	cr_assert_eq(c.strategy, DATASET_SPLIT_TIME_SERIES);
	cr_assert_str_eq(c.group_by, "language");
	cr_assert_eq(c.seed, 5);
	cr_assert_float_eq(c.gap_days, 2.5, 1e-12);
	cr_assert_eq(c.test_groups.n, 1);
	json_decref(j);
	dataset_split_config_release(&c);

	struct dataset_frame *f = tf_make(20, 1, 0);
	int rc = dataset_frame_find(f, "repo_name");
	dataset_frame_remove_column(f, (size_t)rc);
	struct dataset_split_config d = cfg_of(DATASET_SPLIT_STRATIFIED_WITHIN_GROUP, 1);
	struct dataset_split_result r = DATASET_SPLIT_RESULT_INIT;
	cr_assert_eq(dataset_split(&r, f, &d, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "'repo_name'"), "%s", e.msg);
	dataset_split_config_release(&d);
	dataset_frame_free(f);
}

/*
 * Helpers shared by the dataset tests (header-only: each tests/dataset/test_*.c
 * is its own executable): a generated frame with every type, nulls and the
 * metadata columns, and the independent readers — DuckDB through its node
 * package (installed into the build tree by duckdb-setup.sh) and Debian's
 * /usr/bin/python3 with pandas and scikit-learn.
 */
#ifndef TESTS_DATASET_TEST_H
#define TESTS_DATASET_TEST_H
#include <criterion/criterion.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/fs.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "dataset/frame.h"
#include "core/rng.h"
#include "testsupport.h"

static const char *const tf_repos[] = { "octo/alpha", "octo/beta", "acme/gamma", "acme/delta", "solo/tiny" };
static const int tf_repo_weight[] = { 40, 25, 20, 13, 2 };
static const char *const tf_langs[] = { "C", "Python", "Go", "Ruby", "C" };
static const char *const tf_cats[] = { "plain", "a,b", "q\"uote", "line\nbreak", " sp", "\xc3\xbcn\xc3\xaf" };

/*
 * A frame of n builds: features f_int (small ints), f_big (large ints),
 * f_float, f_const (constant), f_bool, f_cat (strings that need CSV quoting),
 * the label outcome, metadata build_id, repo_name, commit_sha (about 5% of the
 * builds re-run the previous commit of their repository), ci_provider,
 * started_at, language, and the key prev_outcome. With nulls, about 5% of each
 * feature is null (f_const never).
 */
static inline struct dataset_frame *tf_make(size_t n, uint64_t seed, int nulls)
{
	struct err e = ERR_INIT;
	struct dataset_frame *f = dataset_frame_new();
	const char *names[] = { "f_int", "f_big", "f_float", "f_const", "f_bool", "f_cat", "outcome", "build_id",
				"repo_name", "commit_sha", "ci_provider", "started_at", "language", "prev_outcome" };
	enum dataset_type types[] = { DATASET_INT64, DATASET_INT64, DATASET_FLOAT64, DATASET_FLOAT64, DATASET_BOOL,
				      DATASET_STRING, DATASET_INT64, DATASET_INT64, DATASET_STRING, DATASET_STRING,
				      DATASET_STRING, DATASET_TIMESTAMP, DATASET_STRING, DATASET_INT64 };
	enum dataset_role roles[] = { DATASET_ROLE_FEATURE, DATASET_ROLE_FEATURE, DATASET_ROLE_FEATURE,
				      DATASET_ROLE_FEATURE, DATASET_ROLE_FEATURE, DATASET_ROLE_FEATURE,
				      DATASET_ROLE_LABEL, DATASET_ROLE_META, DATASET_ROLE_META, DATASET_ROLE_META,
				      DATASET_ROLE_META, DATASET_ROLE_META, DATASET_ROLE_META, DATASET_ROLE_KEY };
	for (size_t i = 0; i < 14; i++)
		cr_assert(dataset_frame_add_column(f, names[i], types[i], roles[i], &e) >= 0, "%s", e.msg);
	struct rng rng;
	rng_init(&rng, seed);
	int64_t t = 1640995200LL * USEC_PER_SEC; /* 2022-01-01 */
	int64_t last_outcome[5] = { -1, -1, -1, -1, -1 };
	char last_sha[5][48] = { "", "", "", "", "" };
	for (size_t i = 0; i < n; i++) {
		size_t r = dataset_frame_add_row(f);
		int w = (int)rng_below(&rng, 100), g = 0;
		while (w >= tf_repo_weight[g]) {
			w -= tf_repo_weight[g];
			g++;
		}
		int isnull[6];
		for (int k = 0; k < 6; k++)
			isnull[k] = nulls && rng_below(&rng, 100) < 5;
		isnull[3] = 0;
		if (!isnull[0])
			dataset_frame_set_i64(f, 0, r, (int64_t)rng_below(&rng, 50));
		if (!isnull[1])
			dataset_frame_set_i64(f, 1, r, (int64_t)(rng_next(&rng) >> 2) - (INT64_MAX / 4));
		if (!isnull[2])
			dataset_frame_set_f64(f, 2, r, (rng_double(&rng) - 0.3) * 1000.0 / 3.0);
		dataset_frame_set_f64(f, 3, r, 3.0);
		if (!isnull[4])
			dataset_frame_set_bool(f, 4, r, rng_below(&rng, 3) == 0);
		if (!isnull[5])
			dataset_frame_set_str(f, 5, r, tf_cats[rng_below(&rng, 6)]);
		int64_t outcome = rng_below(&rng, 10) < 3;
		dataset_frame_set_i64(f, 6, r, outcome);
		dataset_frame_set_i64(f, 7, r, 1000 + (int64_t)i);
		dataset_frame_set_str(f, 8, r, tf_repos[g]);
		char sha[48];
		if (last_sha[g][0] && rng_below(&rng, 100) < 5)
			snprintf(sha, sizeof(sha), "%s", last_sha[g]);
		else
			snprintf(sha, sizeof(sha), "%016llx%08zx", (unsigned long long)rng_next(&rng), i);
		snprintf(last_sha[g], sizeof(last_sha[g]), "%s", sha);
		dataset_frame_set_str(f, 9, r, sha);
		dataset_frame_set_str(f, 10, r, g == 2 ? "circleci" : "github_actions");
		t += (int64_t)rng_below(&rng, 3600) * USEC_PER_SEC + (i % 3 == 0 ? (int64_t)(i % 1000) : 0);
		dataset_frame_set_time(f, 11, r, t);
		dataset_frame_set_str(f, 12, r, tf_langs[g]);
		if (last_outcome[g] >= 0)
			dataset_frame_set_i64(f, 13, r, last_outcome[g]);
		last_outcome[g] = outcome;
	}
	cr_assert_eq(dataset_frame_check(f, &e), 0, "%s", e.msg);
	return f;
}

/* The build folder (parent of the ciminer binary's folder: CIMINER_BIN is <build>/ciminer). */
static inline char *tf_build_dir(void)
{
	char *bin = xstrdup(ts_ciminer_bin());
	char *d = xstrdup(dirname(bin));
	free(bin);
	return d;
}

/* Folder of the DuckDB node package, installing it when needed; NULL (and a skip reason) when unavailable. */
static inline char *tf_duckdb_dir(void)
{
	char *build = tf_build_dir();
	char *out = NULL;
	int rc = ts_run(&out, "bash %s/tests/dataset/duckdb-setup.sh %s", CIMINER_SOURCE_DIR, build);
	free(build);
	if (rc != 0) {
		free(out);
		return NULL;
	}
	out[strcspn(out, "\n")] = '\0';
	return out;
}

/* Runs SQL in DuckDB; returns the rows (array of objects) of the last statement; fails the test on error. */
static inline json_t *tf_duckdb(const char *duck, const char *sql)
{
	char *dir = ts_tempdir("duckq");
	char *sqlpath = xasprintf("%s/q.sql", dir);
	struct err e = ERR_INIT;
	cr_assert_eq(fs_write_atomic(sqlpath, sql, strlen(sql), &e), 0, "%s", e.msg);
	char *out = NULL;
	int rc = ts_run(&out, "node %s/tests/dataset/duckdb_query.cjs %s \"$(cat %s)\" 2>&1", CIMINER_SOURCE_DIR, duck,
			sqlpath);
	cr_assert_eq(rc, 0, "duckdb failed on %s:\n%s", sql, out);
	json_t *j = core_json_parse(out, strlen(out), "duckdb output", &e);
	cr_assert_not_null(j, "%s: %s", e.msg, out);
	free(out);
	fs_remove_tree(dir, &e);
	free(dir);
	free(sqlpath);
	return j;
}

/* Runs a Python script with Debian's python3 (pandas, sklearn); returns exit status, output in *out. */
static inline int tf_python(char **out, const char *script)
{
	char *dir = ts_tempdir("py");
	char *path = xasprintf("%s/t.py", dir);
	struct err e = ERR_INIT;
	cr_assert_eq(fs_write_atomic(path, script, strlen(script), &e), 0, "%s", e.msg);
	int rc = ts_run(out, "/usr/bin/python3 %s 2>&1", path);
	fs_remove_tree(dir, &e);
	free(dir);
	free(path);
	return rc;
}

/* 1 when /usr/bin/python3 has pandas and sklearn. */
static inline int tf_have_pandas(void)
{
	return ts_run(NULL, "/usr/bin/python3 -c 'import pandas, sklearn' >/dev/null 2>&1") == 0;
}

#endif

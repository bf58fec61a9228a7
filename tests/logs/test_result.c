/*
 * Reading files (plain, gzip, zstd, missing, corrupt), aggregating a build's
 * jobs with logs_result_merge(), and the JSON form.
 */
#include "testsupport.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "logs/logs.h"
#include <criterion/criterion.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

static const char *sample = "2022-06-06T06:52:18.9945789Z ##[group]Run npm test\n"
			    "2022-06-06T06:52:19.9945789Z Tests:       1 failed, 2 skipped, 9 passed, 12 total\n"
			    "2022-06-06T06:52:19.9945789Z Time:        2.5 s\n"
			    "2022-06-06T06:52:20.9945789Z   \xe2\x97\x8f Parser \xe2\x80\xba reads # signs\n"
			    "2022-06-06T06:52:21.9945789Z ##[error]Process completed with exit code 1.\n";

static void check_sample(const struct logs_result *r)
{
	cr_expect_eq(r->tests_run, 10);
	cr_expect_eq(r->tests_failed, 1);
	cr_expect_eq(r->tests_skipped, 2);
	cr_expect_eq(r->status, LOGS_STATUS_BROKEN);
	cr_expect_eq(r->failed_names.n, 1);
}

Test(files, plain_gzip_and_zstd_give_the_same_result)
{
	char *dir = ts_tempdir("logs");
	struct err e = ERR_INIT;
	size_t n = strlen(sample);
	char *plain = fs_join(dir, "job.log");
	cr_assert_eq(fs_write_atomic(plain, sample, n, &e), 0, "%s", e.msg);
	char *gz = fs_join(dir, "job.log.gz");
	gzFile g = gzopen(gz, "wb");
	cr_assert_not_null(g);
	gzwrite(g, sample, (unsigned)n);
	gzclose(g);
	char *zst = fs_join(dir, "job.log.zst");
	size_t cap = ZSTD_compressBound(n);
	char *z = xmalloc(cap);
	size_t zl = ZSTD_compress(z, cap, sample, n, 3);
	cr_assert(!ZSTD_isError(zl));
	cr_assert_eq(fs_write_atomic(zst, z, zl, &e), 0);
	const char *paths[] = { plain, gz, zst };
	for (int i = 0; i < 3; i++) {
		struct logs_result r;
		logs_result_init(&r);
		cr_assert_eq(logs_parse_file(&r, paths[i], &e), 0, "%s: %s", paths[i], e.msg);
		check_sample(&r);
		cr_expect_eq(r.bytes, n, "%s", paths[i]);
		logs_result_release(&r);
	}
	/* a truncated zstd file is an input error, not a silent partial result */
	cr_assert_eq(fs_write_atomic(zst, z, zl / 2, &e), 0);
	struct logs_result r;
	logs_result_init(&r);
	cr_expect_eq(logs_parse_file(&r, zst, &e), ERR_INPUT);
	cr_expect(strstr(e.msg, "zstd") != NULL, "%s", e.msg);
	cr_expect_eq(r.tests_run, 0);
	/* corrupt gzip */
	char bad[] = "\x1f\x8b\x08\x00garbage that is not deflate";
	cr_assert_eq(fs_write_atomic(gz, bad, sizeof(bad) - 1, &e), 0);
	cr_expect_eq(logs_parse_file(&r, gz, &e), ERR_INPUT);
	cr_expect(strstr(e.msg, "gzip") != NULL, "%s", e.msg);
	logs_result_release(&r);
	free(z);
	free(plain);
	free(gz);
	free(zst);
	fs_remove_tree(dir, &e);
	free(dir);
}

Test(files, a_missing_file_is_named_in_the_error)
{
	struct logs_result r;
	struct err e = ERR_INIT;
	logs_result_init(&r);
	cr_expect_eq(logs_parse_file(&r, "/nonexistent/job.log", &e), ERR_NOT_FOUND);
	cr_expect(strstr(e.msg, "/nonexistent/job.log") != NULL, "%s", e.msg);
	logs_result_release(&r);
}

Test(merge, a_build_sums_its_jobs_and_unites_frameworks)
{
	struct logs_result a, b, build;
	logs_result_init(&a);
	logs_result_init(&b);
	logs_result_init(&build);
	const char *la = "  5 passing (1s)\n  1 failing\n\n  1) Suite\n       does a:\n     Error: x\nDone. Your build exited with 1.\n";
	const char *lb = "Tests:       2 passed, 2 total\nTime:        1 s\n  3 passing (2s)\nDone. Your build exited with 0.\n";
	logs_parse_buffer(&a, la, strlen(la));
	logs_parse_buffer(&b, lb, strlen(lb));
	cr_expect_eq(a.failed_names.n, 1);
	cr_expect_str_eq(a.failed_names.v[0], "Suite does a");
	logs_result_merge(&build, &a);
	logs_result_merge(&build, &b);
	cr_expect_eq(build.tests_run, 6 + 5);
	cr_expect_eq(build.tests_ok, 5 + 5);
	cr_expect_eq(build.tests_failed, 1);
	cr_expect_eq(build.frameworks.n, 2);
	cr_expect_str_eq(build.frameworks.v[0], "mocha");
	cr_expect_str_eq(build.frameworks.v[1], "jest");
	cr_expect_eq(build.status, LOGS_STATUS_BROKEN);
	cr_expect_float_eq(build.test_duration_sec, 1 + 1 + 2, 1e-9);
	logs_result_release(&a);
	logs_result_release(&b);
	logs_result_release(&build);
}

Test(json, has_the_documented_fields_and_joins_names_with_hash)
{
	struct logs_result r;
	logs_result_init(&r);
	logs_parse_buffer(&r, sample, strlen(sample));
	json_t *o = logs_result_to_json(&r);
	cr_expect_eq(json_integer_value(json_object_get(o, "tests_run")), 10);
	cr_expect_eq(json_integer_value(json_object_get(o, "tests_ok")), 9);
	cr_expect_eq(json_integer_value(json_object_get(o, "tests_failed")), 1);
	cr_expect_eq(json_integer_value(json_object_get(o, "tests_skipped")), 2);
	cr_expect_str_eq(json_string_value(json_object_get(o, "status")), "broken");
	cr_expect_str_eq(json_string_value(json_object_get(o, "analyzer")), "javascript");
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(o, "frameworks"), 0)), "jest");
	/* '#' joins names, so a '#' inside a name is replaced */
	cr_expect_str_eq(json_string_value(json_object_get(o, "tests_failed_names")), "Parser \xe2\x80\xba reads . signs");
	cr_expect_float_eq(json_real_value(json_object_get(o, "test_duration_sec")), 2.5, 1e-9);
	cr_expect(json_is_null(json_object_get(o, "build_duration_sec")));
	json_decref(o);
	logs_result_release(&r);
}

/*
 * Tests of src/dataset/write_csv.c and write_pickle.c: files read back by
 * pandas (Debian's /usr/bin/python3) the way a researcher loads them, with
 * every dtype and cell compared against the frame (check_frame.py), plus the
 * RFC 4180 details checked on the bytes.
 */
#include "dataset_test.h"
#include "core/hash.h"
#include "dataset/write.h"
#include <math.h>

/* The expected cells of rows[0..n) as JSON for check_frame.py (output columns only). */
static char *expected_json(const struct dataset_frame *f, const uint32_t *rows, size_t n, const char *dir)
{
	json_t *cols = json_array(), *out = json_array();
	for (size_t k = 0; k < f->ncols; k++) {
		const struct dataset_col *c = f->cols[k];
		if (c->role == DATASET_ROLE_KEY)
			continue;
		json_array_append_new(cols, json_pack("{s:s, s:s, s:b}", "name", c->name, "type",
						      dataset_type_name(c->type), "nullable", c->null_count > 0));
	}
	for (size_t i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;
		json_t *row = json_array();
		for (size_t k = 0; k < f->ncols; k++) {
			const struct dataset_col *c = f->cols[k];
			if (c->role == DATASET_ROLE_KEY)
				continue;
			json_t *v;
			if (dataset_col_is_null(c, r))
				v = json_null();
			else if (c->type == DATASET_FLOAT64)
				v = json_real(c->f64[r]);
			else if (c->type == DATASET_BOOL)
				v = json_boolean(c->b[r]);
			else if (c->type == DATASET_STRING)
				v = json_string(dataset_col_str(c, r));
			else
				v = json_integer(c->i64[r]);
			json_array_append_new(row, v);
		}
		json_array_append_new(out, row);
	}
	json_t *doc = json_pack("{s:o, s:o}", "columns", cols, "rows", out);
	char *path = xasprintf("%s/expected.json", dir);
	cr_assert_eq(json_dump_file(doc, path, JSON_REAL_PRECISION(17)), 0);
	json_decref(doc);
	return path;
}

static void check_with_pandas(enum dataset_format fmt, size_t nrows, int nulls, int subset)
{
	if (!tf_have_pandas())
		cr_skip_test("/usr/bin/python3 lacks pandas/sklearn (scripts/bootstrap installs them): files not read back");
	struct dataset_frame *f = tf_make(nrows, 21, nulls);
	char *dir = ts_tempdir("txt");
	uint32_t *rows = NULL;
	size_t n = f->nrows;
	if (subset) {
		rows = xmalloc(nrows * sizeof(uint32_t));
		n = 0;
		for (size_t r = 0; r < nrows; r += 3)
			rows[n++] = (uint32_t)r;
	}
	char *exp = expected_json(f, rows, n, dir);
	char *path = xasprintf("%s/train.%s", dir, dataset_format_ext(fmt));
	struct dataset_write_opts o = DATASET_WRITE_OPTS_INIT;
	o.fsync = 0;
	struct dataset_file_info fi;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_write(fmt, path, f, rows, n, &o, &fi, &e), 0, "%s", e.msg);
	char hex[SHA256_HEX_LEN];
	cr_assert_eq(sha256_file(path, hex, &e), 0);
	cr_assert_str_eq(hex, fi.sha256);
	char *out = NULL;
	int rc = ts_run(&out, "/usr/bin/python3 %s/tests/dataset/check_frame.py %s %s %s 2>&1", CIMINER_SOURCE_DIR,
			fmt == DATASET_FMT_CSV ? "csv" : "pickle", exp, path);
	cr_assert_eq(rc, 0, "pandas check failed:\n%s", out);
	cr_assert(strstr(out, "OK"), "%s", out);
	free(out);
	fs_remove_tree(dir, &e);
	free(dir);
	free(exp);
	free(path);
	free(rows);
	dataset_frame_free(f);
}

Test(write, dispatches_every_registered_format_to_its_writer_and_names_them_all_in_refusals)
{
	struct err e = ERR_INIT;
	enum dataset_format f;
	cr_assert_eq(dataset_format_parse(&f, "feather", &e), ERR_INPUT);
	char refusal[ERR_MSG_MAX];
	snprintf(refusal, sizeof(refusal), "%s", e.msg);
	for (int i = 0; i < DATASET_FMT_COUNT; i++) {
		cr_assert_not_null(dataset_formats[i].write, "%s has no writer", dataset_formats[i].name);
		cr_assert(strstr(refusal, dataset_formats[i].name), "%s lacks %s", refusal, dataset_formats[i].name);
		cr_assert_eq(dataset_format_parse(&f, dataset_formats[i].name, &e), 0);
		cr_assert_eq((int)f, i);
		cr_assert_eq(dataset_format_parse(&f, dataset_formats[i].ext, &e), 0, "extension %s", dataset_formats[i].ext);
		cr_assert_eq((int)f, i);
	}
}

Test(write_csv, loads_in_pandas_with_exact_values_and_nulls)
{
	check_with_pandas(DATASET_FMT_CSV, 600, 1, 1);
}

Test(write_csv, loads_in_pandas_with_native_dtypes_when_nothing_is_null)
{
	check_with_pandas(DATASET_FMT_CSV, 300, 0, 0);
}

Test(write_pickle, loads_in_pandas_with_exact_values_and_nulls)
{
	check_with_pandas(DATASET_FMT_PICKLE, 600, 1, 1);
}

Test(write_pickle, loads_in_pandas_with_native_dtypes_when_nothing_is_null)
{
	check_with_pandas(DATASET_FMT_PICKLE, 300, 0, 0);
}

Test(write_pickle, loads_an_empty_split_with_its_columns)
{
	check_with_pandas(DATASET_FMT_PICKLE, 0, 0, 0);
}

Test(write_csv, quotes_per_rfc4180_and_prints_iso_timestamps)
{
	struct err e = ERR_INIT;
	struct dataset_frame *f = dataset_frame_new();
	dataset_frame_add_column(f, "s", DATASET_STRING, DATASET_ROLE_FEATURE, &e);
	dataset_frame_add_column(f, "d", DATASET_FLOAT64, DATASET_ROLE_FEATURE, &e);
	dataset_frame_add_column(f, "t", DATASET_TIMESTAMP, DATASET_ROLE_META, &e);
	dataset_frame_add_column(f, "b", DATASET_BOOL, DATASET_ROLE_FEATURE, &e);
	dataset_frame_add_row(f);
	dataset_frame_set_str(f, 0, 0, "say \"hi\", bye");
	dataset_frame_set_f64(f, 1, 0, 0.1);
	dataset_frame_set_time(f, 2, 0, 1654498338LL * USEC_PER_SEC + 994578);
	dataset_frame_set_bool(f, 3, 0, 1);
	dataset_frame_add_row(f);
	dataset_frame_set_f64(f, 1, 1, 1.0 / 3.0);
	dataset_frame_set_time(f, 2, 1, 1654498338LL * USEC_PER_SEC);
	cr_assert_eq(dataset_frame_check(f, &e), 0);
	char *dir = ts_tempdir("csv");
	char *path = xasprintf("%s/x.csv", dir);
	cr_assert_eq(dataset_write_csv(path, f, NULL, 0, NULL, NULL, &e), 0, "%s", e.msg);
	struct buf b = BUF_INIT;
	cr_assert_eq(fs_read_file(path, &b, 0, &e), 0);
	cr_assert_str_eq(buf_cstr(&b), "s,d,t,b\r\n"
				       "\"say \"\"hi\"\", bye\",0.1,2022-06-06T06:52:18.994578Z,true\r\n"
				       ",0.3333333333333333,2022-06-06T06:52:18Z,\r\n");
	buf_release(&b);
	fs_remove_tree(dir, &e);
	free(dir);
	free(path);
	dataset_frame_free(f);
}

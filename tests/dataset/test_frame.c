/* Tests of src/dataset/frame.c: building row- and column-wise, nulls, strings, take and filter. */
#include "dataset_test.h"
#include <math.h>

Test(frame, builds_row_by_row_with_typed_nulls)
{
	struct err e = ERR_INIT;
	struct dataset_frame *f = dataset_frame_new();
	cr_assert_eq(dataset_frame_add_column(f, "n", DATASET_INT64, DATASET_ROLE_FEATURE, &e), 0);
	cr_assert_eq(dataset_frame_add_column(f, "x", DATASET_FLOAT64, DATASET_ROLE_FEATURE, &e), 1);
	cr_assert_eq(dataset_frame_add_column(f, "s", DATASET_STRING, DATASET_ROLE_META, &e), 2);
	for (size_t r = 0; r < 1000; r++) {
		dataset_frame_add_row(f);
		if (r % 3)
			dataset_frame_set_i64(f, 0, r, (int64_t)r);
		dataset_frame_set_f64(f, 1, r, r % 5 ? (double)r / 2 : NAN);
		dataset_frame_set_str(f, 2, r, r % 2 ? "odd" : "even");
	}
	cr_assert_eq(dataset_frame_check(f, &e), 0);
	cr_assert_eq(f->nrows, 1000);
	cr_assert_eq(f->cols[0]->null_count, 334);
	cr_assert_eq(f->cols[1]->null_count, 200, "NaN is stored as null");
	cr_assert(dataset_col_is_null(f->cols[1], 5));
	cr_assert_eq(f->cols[2]->ndict, 2, "strings are interned");
	cr_assert_str_eq(dataset_col_str(f->cols[2], 7), "odd");
	cr_assert_eq(f->cols[0]->i64[4], 4);
	cr_assert(isnan(dataset_col_num(f->cols[0], 3)));
	dataset_frame_set_null(f, 0, 4);
	cr_assert(dataset_col_is_null(f->cols[0], 4));
	cr_assert_eq(dataset_frame_add_column(f, "n", DATASET_BOOL, DATASET_ROLE_FEATURE, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "'n'"), "%s", e.msg);
	dataset_frame_free(f);
}

Test(frame, builds_column_by_column_and_refuses_ragged_columns)
{
	struct err e = ERR_INIT;
	struct dataset_frame *f = dataset_frame_new();
	dataset_frame_add_column(f, "a", DATASET_BOOL, DATASET_ROLE_FEATURE, &e);
	dataset_frame_add_column(f, "t", DATASET_TIMESTAMP, DATASET_ROLE_META, &e);
	dataset_col_append_bool(f->cols[0], 1);
	dataset_col_append_null(f->cols[0]);
	dataset_col_append_i64(f->cols[1], 5);
	cr_assert_eq(dataset_frame_check(f, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "'t'"), "%s", e.msg);
	dataset_col_append_null(f->cols[1]);
	cr_assert_eq(dataset_frame_check(f, &e), 0);
	cr_assert_eq(f->nrows, 2);
	/* a column added later is padded with nulls */
	cr_assert_eq(dataset_frame_add_column(f, "late", DATASET_STRING, DATASET_ROLE_KEY, &e), 2);
	cr_assert_eq(f->cols[2]->n, 2);
	cr_assert_eq(f->cols[2]->null_count, 2);
	dataset_frame_free(f);
}

Test(frame, take_and_filter_keep_values_nulls_and_strings)
{
	struct dataset_frame *f = tf_make(500, 3, 1);
	uint32_t rows[] = { 499, 0, 250, 250 };
	struct dataset_frame *t = dataset_frame_take(f, rows, 4);
	cr_assert_eq(t->nrows, 4);
	for (size_t k = 0; k < f->ncols; k++) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		for (size_t i = 0; i < 4; i++) {
			dataset_col_key(f->cols[k], rows[i], &a);
			dataset_col_key(t->cols[k], i, &b);
			cr_assert_str_eq(buf_cstr(&a), buf_cstr(&b), "%s row %zu", f->cols[k]->name, i);
		}
		buf_release(&a);
		buf_release(&b);
	}
	dataset_frame_free(t);
	uint8_t *keep = xcalloc(500, 1);
	size_t want = 0;
	for (size_t r = 0; r < 500; r++)
		if (r % 7 == 0) {
			keep[r] = 1;
			want++;
		}
	struct dataset_frame *copy = dataset_frame_take(f, (uint32_t[]){ 0 }, 0);
	dataset_frame_free(copy);
	const struct dataset_col *before = dataset_frame_col(f, "f_float");
	size_t nulls = 0;
	for (size_t r = 0; r < 500; r += 7)
		nulls += dataset_col_is_null(before, r);
	double v14 = before->f64[14];
	cr_assert_eq(dataset_frame_filter(f, keep), want);
	const struct dataset_col *after = dataset_frame_col(f, "f_float");
	cr_assert_eq(after->null_count, nulls);
	if (!dataset_col_is_null(after, 2))
		cr_assert(after->f64[2] == v14);
	free(keep);
	dataset_frame_free(f);
}

Test(frame, repairs_invalid_utf8_in_strings)
{
	struct err e = ERR_INIT;
	struct dataset_frame *f = dataset_frame_new();
	dataset_frame_add_column(f, "s", DATASET_STRING, DATASET_ROLE_META, &e);
	dataset_frame_add_row(f);
	dataset_frame_set_str(f, 0, 0, "ok \xc3\xa9 bad \xff\xc3 end");
	dataset_frame_add_row(f);
	dataset_frame_set_str(f, 0, 1, "caf\xc3\xa9");
	cr_assert_str_eq(dataset_col_str(f->cols[0], 0), "ok \xc3\xa9 bad \xef\xbf\xbd\xef\xbf\xbd end");
	cr_assert_str_eq(dataset_col_str(f->cols[0], 1), "caf\xc3\xa9", "valid UTF-8 is kept as is");
	dataset_frame_free(f);
}

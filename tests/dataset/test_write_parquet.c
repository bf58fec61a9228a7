/*
 * Tests of src/dataset/write_parquet.c and parquet_encode.c. The files are
 * read back by DuckDB (an independent Parquet reader) through its node
 * package: every cell of every type, nulls, dictionaries and plain pages,
 * every compression, several row groups and pages, the schema's logical
 * types and the column statistics.
 */
#include "dataset_test.h"
#include "core/hash.h"
#include "dataset/parquet_internal.h"
#include "dataset/write.h"
#include <math.h>

static char *duck;

static void setup(void)
{
	duck = tf_duckdb_dir();
}

static void teardown(void)
{
	free(duck);
	duck = NULL;
}

static void need_duckdb(void)
{
	if (!duck)
		cr_skip_test("DuckDB node package unavailable (npm missing or offline; see duckdb-setup.sh): Parquet not read back");
}

/* Compares DuckDB's rows (ordered by build_id) with rows[0..n) of f, cell by cell. */
static void expect_same_cells(const struct dataset_frame *f, const uint32_t *rows, size_t n, const char *path)
{
	char *sql = xasprintf("SELECT * REPLACE (epoch_us(started_at) AS started_at) FROM read_parquet('%s') ORDER BY build_id", path);
	json_t *got = tf_duckdb(duck, sql);
	free(sql);
	cr_assert_eq(json_array_size(got), n, "rows: got %zu, want %zu", json_array_size(got), n);
	for (size_t i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;
		const json_t *row = json_array_get(got, i);
		for (size_t k = 0; k < f->ncols; k++) {
			const struct dataset_col *c = f->cols[k];
			if (c->role == DATASET_ROLE_KEY)
				continue;
			const json_t *v = json_object_get(row, c->name);
			cr_assert_not_null(v, "column %s missing from the file", c->name);
			if (dataset_col_is_null(c, r)) {
				cr_assert(json_is_null(v), "row %zu %s: want null", i, c->name);
				continue;
			}
			cr_assert(!json_is_null(v), "row %zu %s: unexpected null", i, c->name);
			switch (c->type) {
			case DATASET_INT64:
			case DATASET_TIMESTAMP: {
				long long x = json_is_string(v) ? strtoll(json_string_value(v), NULL, 10) : (long long)json_integer_value(v);
				cr_assert_eq(x, (long long)c->i64[r], "row %zu %s: %lld != %lld", i, c->name, x, (long long)c->i64[r]);
				break;
			}
			case DATASET_FLOAT64:
				cr_assert(json_number_value(v) == c->f64[r], "row %zu %s: %.17g != %.17g", i, c->name,
					  json_number_value(v), c->f64[r]);
				break;
			case DATASET_BOOL:
				cr_assert_eq(json_is_true(v), c->b[r] != 0, "row %zu %s", i, c->name);
				break;
			case DATASET_STRING:
				cr_assert_str_eq(json_string_value(v), dataset_col_str(c, r), "row %zu %s", i, c->name);
				break;
			}
		}
	}
	json_decref(got);
}

static void roundtrip(enum dataset_codec codec, int dictionary)
{
	need_duckdb();
	struct dataset_frame *f = tf_make(3000, 7, 1);
	char *dir = ts_tempdir("pq");
	char *path = xasprintf("%s/train.parquet", dir);
	struct dataset_write_opts o = DATASET_WRITE_OPTS_INIT;
	o.codec = codec;
	o.dictionary = dictionary;
	o.row_group_bytes = 40000; /* several row groups */
	o.page_bytes = 2000;       /* several pages per chunk */
	o.fsync = 0;
	/* every other row, so that the writer works from a row list */
	uint32_t rows[1500];
	for (size_t i = 0; i < 1500; i++)
		rows[i] = (uint32_t)(2 * i + 1);
	struct dataset_file_info fi;
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_write_parquet(path, f, rows, 1500, &o, &fi, &e), 0, "%s", e.msg);
	cr_assert_eq(fi.rows, 1500);
	cr_assert_eq(fi.columns, 13, "KEY column prev_outcome must not be written");
	char hex[SHA256_HEX_LEN];
	cr_assert_eq(sha256_file(path, hex, &e), 0);
	cr_assert_str_eq(hex, fi.sha256);
	cr_assert_eq((long long)fi.bytes, fs_size(path));
	expect_same_cells(f, rows, 1500, path);
	char *sql = xasprintf("SELECT count(DISTINCT row_group_id) AS g, min(compression) AS c, "
			      "bool_or(encodings LIKE '%%RLE_DICTIONARY%%' AND path_in_schema = 'f_cat') AS dict_str "
			      "FROM parquet_metadata('%s')", path);
	json_t *m = tf_duckdb(duck, sql);
	const json_t *row = json_array_get(m, 0);
	cr_assert_gt(strtol(json_string_value(json_object_get(row, "g")), NULL, 10), 1, "expected several row groups");
	const char *want = codec == DATASET_CODEC_SNAPPY ? "SNAPPY" : codec == DATASET_CODEC_ZSTD ? "ZSTD" : "UNCOMPRESSED";
	cr_assert_str_eq(json_string_value(json_object_get(row, "c")), want);
	cr_assert_eq(json_is_true(json_object_get(row, "dict_str")), dictionary != 0, "string dictionary use");
	json_decref(m);
	free(sql);
	fs_remove_tree(dir, &e);
	free(dir);
	free(path);
	dataset_frame_free(f);
}

Test(write_parquet, reads_back_every_cell_with_snappy_and_dictionaries, .init = setup, .fini = teardown)
{
	roundtrip(DATASET_CODEC_SNAPPY, 1);
}

Test(write_parquet, reads_back_every_cell_with_zstd, .init = setup, .fini = teardown)
{
	roundtrip(DATASET_CODEC_ZSTD, 1);
}

Test(write_parquet, reads_back_every_cell_uncompressed_and_plain, .init = setup, .fini = teardown)
{
	roundtrip(DATASET_CODEC_NONE, 0);
}

Test(write_parquet, declares_physical_and_logical_types, .init = setup, .fini = teardown)
{
	need_duckdb();
	struct dataset_frame *f = tf_make(50, 1, 1);
	char *dir = ts_tempdir("pq");
	char *path = xasprintf("%s/t.parquet", dir);
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_write_parquet(path, f, NULL, 0, NULL, NULL, &e), 0, "%s", e.msg);
	char *sql = xasprintf("SELECT string_agg(column_name || ':' || column_type, ',') AS t FROM (DESCRIBE SELECT * FROM read_parquet('%s'))", path);
	json_t *d = tf_duckdb(duck, sql);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(d, 0), "t")),
			 "f_int:BIGINT,f_big:BIGINT,f_float:DOUBLE,f_const:DOUBLE,f_bool:BOOLEAN,f_cat:VARCHAR,outcome:BIGINT,"
			 "build_id:BIGINT,repo_name:VARCHAR,commit_sha:VARCHAR,ci_provider:VARCHAR,"
			 "started_at:TIMESTAMP WITH TIME ZONE,language:VARCHAR");
	json_decref(d);
	free(sql);
	sql = xasprintf("SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema('%s') WHERE name IN ('f_cat', 'started_at') ORDER BY name", path);
	d = tf_duckdb(duck, sql);
	const json_t *cat = json_array_get(d, 0), *ts = json_array_get(d, 1);
	cr_assert_str_eq(json_string_value(json_object_get(cat, "type")), "BYTE_ARRAY");
	cr_assert_str_eq(json_string_value(json_object_get(cat, "converted_type")), "UTF8");
	cr_assert_str_eq(json_string_value(json_object_get(cat, "repetition_type")), "OPTIONAL");
	cr_assert_str_eq(json_string_value(json_object_get(ts, "converted_type")), "TIMESTAMP_MICROS");
	const char *lt = json_string_value(json_object_get(ts, "logical_type"));
	cr_assert(lt && strstr(lt, "isAdjustedToUTC=1") && strstr(lt, "MICROS"), "logical type: %s", lt ? lt : "(null)");
	json_decref(d);
	free(sql);
	fs_remove_tree(dir, &e);
	free(dir);
	free(path);
	dataset_frame_free(f);
}

Test(write_parquet, records_min_max_and_null_count_statistics, .init = setup, .fini = teardown)
{
	need_duckdb();
	struct dataset_frame *f = tf_make(400, 3, 1);
	char *dir = ts_tempdir("pq");
	char *path = xasprintf("%s/t.parquet", dir);
	struct err e = ERR_INIT;
	cr_assert_eq(dataset_write_parquet(path, f, NULL, 0, NULL, NULL, &e), 0, "%s", e.msg);
	/* DuckDB's own aggregates over the data must equal the footer statistics. */
	char *sql = xasprintf(
		"WITH m AS (SELECT path_in_schema AS c, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nc FROM parquet_metadata('%s')),"
		" d AS (SELECT min(f_int)::VARCHAR AS i_lo, max(f_int)::VARCHAR AS i_hi, count(*) - count(f_int) AS i_nc,"
		"  min(f_float) AS d_lo, max(f_float) AS d_hi, min(f_cat) AS s_lo, max(f_cat) AS s_hi, count(*) - count(f_cat) AS s_nc FROM read_parquet('%s'))"
		" SELECT (SELECT lo FROM m WHERE c = 'f_int') = i_lo AND (SELECT hi FROM m WHERE c = 'f_int') = i_hi"
		"  AND (SELECT nc FROM m WHERE c = 'f_int') = i_nc AND (SELECT lo FROM m WHERE c = 'f_float')::DOUBLE = d_lo"
		"  AND (SELECT hi FROM m WHERE c = 'f_float')::DOUBLE = d_hi AND (SELECT lo FROM m WHERE c = 'f_cat') = s_lo"
		"  AND (SELECT hi FROM m WHERE c = 'f_cat') = s_hi AND (SELECT nc FROM m WHERE c = 'f_cat') = s_nc AS ok,"
		"  (SELECT nc FROM m WHERE c = 'f_int') AS nulls FROM d", path, path);
	json_t *d = tf_duckdb(duck, sql);
	cr_assert(json_is_true(json_object_get(json_array_get(d, 0), "ok")), "statistics differ from the data");
	cr_assert_gt(strtol(json_string_value(json_object_get(json_array_get(d, 0), "nulls")), NULL, 10), 0);
	/* A filter the statistics rule out still returns the right answer. */
	json_decref(d);
	free(sql);
	sql = xasprintf("SELECT count(*) AS n FROM read_parquet('%s') WHERE f_int > 1000", path);
	d = tf_duckdb(duck, sql);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(d, 0), "n")), "0");
	json_decref(d);
	free(sql);
	fs_remove_tree(dir, &e);
	free(dir);
	free(path);
	dataset_frame_free(f);
}

Test(write_parquet, writes_an_empty_split_with_its_schema, .init = setup, .fini = teardown)
{
	need_duckdb();
	struct dataset_frame *f = tf_make(10, 3, 0);
	char *dir = ts_tempdir("pq");
	char *path = xasprintf("%s/val.parquet", dir);
	struct err e = ERR_INIT;
	uint32_t none[1];
	cr_assert_eq(dataset_write_parquet(path, f, none, 0, NULL, NULL, &e), 0, "%s", e.msg);
	char *sql = xasprintf("SELECT count(*) AS n, (SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet('%s'))) AS cols FROM read_parquet('%s')", path, path);
	json_t *d = tf_duckdb(duck, sql);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(d, 0), "n")), "0");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(d, 0), "cols")), "13");
	json_decref(d);
	free(sql);
	fs_remove_tree(dir, &e);
	free(dir);
	free(path);
	dataset_frame_free(f);
}

Test(write_parquet, reads_all_null_and_high_cardinality_columns, .init = setup, .fini = teardown)
{
	need_duckdb();
	struct err e = ERR_INIT;
	struct dataset_frame *f = dataset_frame_new();
	dataset_frame_add_column(f, "build_id", DATASET_INT64, DATASET_ROLE_META, &e);
	dataset_frame_add_column(f, "started_at", DATASET_TIMESTAMP, DATASET_ROLE_META, &e);
	dataset_frame_add_column(f, "empty", DATASET_FLOAT64, DATASET_ROLE_FEATURE, &e);
	dataset_frame_add_column(f, "sha", DATASET_STRING, DATASET_ROLE_META, &e);
	dataset_frame_add_column(f, "long", DATASET_STRING, DATASET_ROLE_META, &e);
	char big[600];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int r = 0; r < 5000; r++) {
		dataset_frame_add_row(f);
		dataset_frame_set_i64(f, 0, (size_t)r, r);
		dataset_frame_set_time(f, 1, (size_t)r, (int64_t)r * 1000);
		char sha[41];
		snprintf(sha, sizeof(sha), "%040x", r * 2654435761u);
		dataset_frame_set_str(f, 3, (size_t)r, sha);
		big[r % 500] = (char)('a' + r % 26);
		dataset_frame_set_str(f, 4, (size_t)r, big);
	}
	cr_assert_eq(dataset_frame_check(f, &e), 0);
	char *dir = ts_tempdir("pq");
	char *path = xasprintf("%s/t.parquet", dir);
	cr_assert_eq(dataset_write_parquet(path, f, NULL, 0, NULL, NULL, &e), 0, "%s", e.msg);
	expect_same_cells(f, NULL, 5000, path);
	char *sql = xasprintf("SELECT encodings FROM parquet_metadata('%s') WHERE path_in_schema = 'sha'", path);
	json_t *d = tf_duckdb(duck, sql);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(d, 0), "encodings")), "PLAIN, RLE",
			 "distinct strings must fall back to PLAIN");
	json_decref(d);
	free(sql);
	fs_remove_tree(dir, &e);
	free(dir);
	free(path);
	dataset_frame_free(f);
}

Test(write_parquet, gives_byte_identical_files_for_the_same_rows)
{
	struct dataset_frame *f = tf_make(2000, 11, 1);
	char *dir = ts_tempdir("pq");
	char *a = xasprintf("%s/a.parquet", dir), *b = xasprintf("%s/b.parquet", dir);
	struct dataset_file_info fa, fb;
	struct err e = ERR_INIT;
	struct dataset_write_opts o = DATASET_WRITE_OPTS_INIT;
	o.fsync = 0;
	cr_assert_eq(dataset_write_parquet(a, f, NULL, 0, &o, &fa, &e), 0, "%s", e.msg);
	cr_assert_eq(dataset_write_parquet(b, f, NULL, 0, &o, &fb, &e), 0, "%s", e.msg);
	cr_assert_str_eq(fa.sha256, fb.sha256);
	fs_remove_tree(dir, &e);
	free(dir);
	free(a);
	free(b);
	dataset_frame_free(f);
}

Test(write_parquet, leaves_no_file_when_the_folder_is_missing)
{
	struct dataset_frame *f = tf_make(10, 1, 0);
	struct err e = ERR_INIT;
	int rc = dataset_write_parquet("/nonexistent-ciminer-dir/x.parquet", f, NULL, 0, NULL, NULL, &e);
	cr_assert_eq(rc, ERR_IO);
	cr_assert(strstr(e.msg, "/nonexistent-ciminer-dir/x.parquet"), "message names the path: %s", e.msg);
	cr_assert(!fs_exists("/nonexistent-ciminer-dir/x.parquet"));
	dataset_frame_free(f);
}

/* --- encodings ---------------------------------------------------------------------------------------- */

/* A reference decoder of the RLE/bit-packed hybrid, written from Encodings.md for the test. */
static size_t rle_decode(const uint8_t *p, size_t len, int bw, uint32_t *out, size_t want)
{
	size_t i = 0, n = 0;
	while (i < len && n < want) {
		uint64_t h = 0;
		int shift = 0;
		while (p[i] & 0x80) {
			h |= (uint64_t)(p[i++] & 0x7f) << shift;
			shift += 7;
		}
		h |= (uint64_t)p[i++] << shift;
		if (h & 1) {
			size_t count = (h >> 1) * 8;
			uint64_t acc = 0;
			int bits = 0;
			for (size_t k = 0; k < count; k++) {
				while (bits < bw) {
					acc |= (uint64_t)p[i++] << bits;
					bits += 8;
				}
				if (n < want)
					out[n++] = (uint32_t)(acc & ((1ull << bw) - 1));
				acc >>= bw;
				bits -= bw;
			}
		} else {
			uint32_t v = 0;
			for (int k = 0; k < (bw + 7) / 8; k++)
				v |= (uint32_t)p[i++] << (8 * k);
			for (size_t k = 0; k < (h >> 1) && n < want; k++)
				out[n++] = v;
		}
	}
	return n;
}

Test(parquet_encode, rle_hybrid_round_trips_runs_and_literals)
{
	struct rng rng;
	rng_init(&rng, 5);
	for (int trial = 0; trial < 200; trial++) {
		size_t n = 1 + rng_below(&rng, 3000);
		int bw = 1 + (int)rng_below(&rng, 20);
		uint32_t *v = xmalloc(n * sizeof(uint32_t)), *back = xmalloc(n * sizeof(uint32_t));
		for (size_t i = 0; i < n;) {
			size_t run = rng_below(&rng, 4) == 0 ? 1 + rng_below(&rng, 40) : 1;
			uint32_t x = (uint32_t)(rng_next(&rng) & ((1ull << bw) - 1));
			for (size_t k = 0; k < run && i < n; k++)
				v[i++] = x;
		}
		struct buf b = BUF_INIT;
		pq_rle_encode(&b, v, n, bw);
		cr_assert_eq(rle_decode((const uint8_t *)b.data, b.len, bw, back, n), n);
		cr_assert_eq(memcmp(v, back, n * sizeof(uint32_t)), 0, "trial %d (n=%zu, bw=%d)", trial, n, bw);
		buf_release(&b);
		free(v);
		free(back);
	}
}

Test(parquet_encode, thrift_compact_fields_match_the_protocol)
{
	struct buf b = BUF_INIT;
	struct pq_thrift t;
	pq_thrift_init(&t, &b);
	pq_thrift_i32(&t, 1, 5);       /* delta 1, type i32, zigzag 10 */
	pq_thrift_i64(&t, 20, -1);     /* delta 19 > 15: long form, id zigzag 40, value zigzag 1 */
	pq_thrift_bool(&t, 21, 1);     /* delta 1, type BOOLEAN_TRUE */
	pq_thrift_list_begin(&t, 22, PQ_T_I32, 2);
	pq_thrift_elem_i32(&t, 3);
	pq_thrift_elem_i32(&t, -2);
	pq_thrift_struct_begin(&t, 23);
	pq_thrift_string(&t, 1, "ab");
	pq_thrift_struct_end(&t);
	pq_thrift_end(&t);
	const uint8_t want[] = { 0x15, 0x0a, 0x06, 0x28, 0x01, 0x11, 0x19, 0x25, 0x06, 0x03,
				 0x1c, 0x18, 0x02, 'a', 'b', 0x00, 0x00 };
	cr_assert_eq(b.len, sizeof(want));
	cr_assert_eq(memcmp(b.data, want, sizeof(want)), 0);
	buf_release(&b);
}

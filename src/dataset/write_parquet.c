/*
 * The Parquet writer (write.h). A file is "PAR1", then per row group one
 * column chunk per column (an optional dictionary page, then data pages of
 * ~page_bytes), then the Thrift compact-encoded FileMetaData, its length and
 * "PAR1" again. Pages are DATA_PAGE (v1) with RLE-encoded definition levels
 * (every column is OPTIONAL) and PLAIN or RLE_DICTIONARY values, compressed
 * with snappy (raw, as Parquet wants), zstd or nothing. Columns chunks carry
 * min/max/null_count statistics and the file declares TYPE_ORDER for every
 * column, so readers may use them for pruning.
 *
 * Why a dictionary for numbers too: the CI feature columns are mostly small
 * counts; a dictionary of a few hundred values with 8-10 bit indices is 6-8x
 * smaller than PLAIN int64, which is what DuckDB and Arrow do as well. The
 * writer hashes a chunk's values and gives up on the dictionary as soon as
 * it stops paying (many distinct values), so random doubles cost little.
 */
#include "dataset/parquet_internal.h"
#include "dataset/sink.h"
#include "dataset/write.h"
#include "core/xalloc.h"
#include <math.h>
#include <snappy-c.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

enum { PQ_BOOLEAN = 0, PQ_INT64 = 2, PQ_DOUBLE = 5, PQ_BYTE_ARRAY = 6 };          /* Type */
enum { PQ_PLAIN = 0, PQ_RLE = 3, PQ_RLE_DICTIONARY = 8 };                          /* Encoding */
enum { PQ_DATA_PAGE = 0, PQ_DICTIONARY_PAGE = 2 };                                 /* PageType */
enum { PQ_CODEC_UNCOMPRESSED = 0, PQ_CODEC_SNAPPY = 1, PQ_CODEC_ZSTD = 6 };        /* CompressionCodec */

#define PQ_MAX_DICT_BYTES ((size_t)8 << 20)  /* dictionary page cap (readers allocate it whole) */
#define PQ_MAX_STAT_BYTES 256                /* longer string min/max are left out of the footer */

struct chunk_meta {
	int64_t data_offset, dict_offset;    /* dict_offset -1: no dictionary */
	int64_t uncompressed, compressed, num_values, null_count;
	int has_minmax;
	char *min, *max;
	size_t min_len, max_len;
};

struct row_group {
	size_t nrows;
	int64_t offset, uncompressed, compressed;
	struct chunk_meta *chunks;
};

struct pq_writer {
	struct dataset_sink sink;
	const struct dataset_frame *f;
	const uint32_t *rows;
	const struct dataset_write_opts *o;
	size_t *cols, ncols;
	struct row_group *rgs;
	size_t nrg, rg_cap;
	/* scratch, reused by every chunk */
	uint32_t *levels, *codes, *lmap;
	size_t lmap_cap;
	uint64_t *vals;           /* non-null values (int64 / double bits / bool / string code) */
	struct pq_dict64 dict;
	struct buf page, comp, hdr;
	ZSTD_CCtx *zstd;
};

static size_t row_at(const struct pq_writer *w, size_t i)
{
	return w->rows ? w->rows[i] : i;
}

/* Compresses page (w->page) into w->comp per the codec; returns the bytes to write. */
static const struct buf *compress_page(struct pq_writer *w, struct err *e)
{
	const struct buf *in = &w->page;
	if (w->o->codec == DATASET_CODEC_NONE)
		return in;
	buf_reset(&w->comp);
	size_t cap = w->o->codec == DATASET_CODEC_SNAPPY ? snappy_max_compressed_length(in->len) : ZSTD_compressBound(in->len);
	xgrow((void **)&w->comp.data, &w->comp.cap, cap + 1, 1);
	size_t out = cap;
	if (w->o->codec == DATASET_CODEC_SNAPPY) {
		if (snappy_compress(in->data ? in->data : "", in->len, w->comp.data, &out) != SNAPPY_OK) {
			err_set(e, ERR_INTERNAL, "parquet: snappy failed to compress a page");
			return NULL;
		}
	} else {
		out = ZSTD_compressCCtx(w->zstd, w->comp.data, cap, in->data ? in->data : "", in->len, w->o->zstd_level);
		if (ZSTD_isError(out)) {
			err_set(e, ERR_INTERNAL, "parquet: zstd failed: %s", ZSTD_getErrorName(out));
			return NULL;
		}
	}
	w->comp.len = out;
	return &w->comp;
}

/* Writes w->page as a page with the given header fields; adds sizes to cm. */
static int emit_page(struct pq_writer *w, struct chunk_meta *cm, int dict_page, size_t num_values, int encoding,
		     struct err *e)
{
	const struct buf *body = compress_page(w, e);
	if (!body)
		return e->code;
	if (w->page.len > INT32_MAX || body->len > INT32_MAX)
		return err_set(e, ERR_TOOBIG, "parquet: a page of %zu bytes is too large; lower page_bytes", w->page.len);
	buf_reset(&w->hdr);
	struct pq_thrift t;
	pq_thrift_init(&t, &w->hdr);
	pq_thrift_i32(&t, 1, dict_page ? PQ_DICTIONARY_PAGE : PQ_DATA_PAGE);
	pq_thrift_i32(&t, 2, (int32_t)w->page.len);
	pq_thrift_i32(&t, 3, (int32_t)body->len);
	if (dict_page) {
		pq_thrift_struct_begin(&t, 7);
		pq_thrift_i32(&t, 1, (int32_t)num_values);
		pq_thrift_i32(&t, 2, PQ_PLAIN);
	} else {
		pq_thrift_struct_begin(&t, 5);
		pq_thrift_i32(&t, 1, (int32_t)num_values);
		pq_thrift_i32(&t, 2, encoding);
		pq_thrift_i32(&t, 3, PQ_RLE);
		pq_thrift_i32(&t, 4, PQ_RLE);
	}
	pq_thrift_struct_end(&t);
	pq_thrift_end(&t);
	if (dict_page)
		cm->dict_offset = (int64_t)w->sink.offset;
	else if (cm->data_offset < 0)
		cm->data_offset = (int64_t)w->sink.offset;
	cm->uncompressed += (int64_t)(w->hdr.len + w->page.len);
	cm->compressed += (int64_t)(w->hdr.len + body->len);
	dataset_sink_write(&w->sink, w->hdr.data, w->hdr.len);
	return dataset_sink_write(&w->sink, body->data ? body->data : "", body->len);
}

static int physical_type(enum dataset_type t)
{
	switch (t) {
	case DATASET_FLOAT64: return PQ_DOUBLE;
	case DATASET_BOOL: return PQ_BOOLEAN;
	case DATASET_STRING: return PQ_BYTE_ARRAY;
	default: return PQ_INT64;
	}
}

/* PLAIN encoding of values vals[from..to) (string codes index into col->dict). */
static void plain_values(struct buf *b, const struct dataset_col *c, const uint64_t *vals, size_t from, size_t to)
{
	if (c->type == DATASET_BOOL) {
		uint8_t byte = 0;
		int bit = 0;
		for (size_t i = from; i < to; i++) {
			byte |= (uint8_t)((vals[i] & 1) << bit);
			if (++bit == 8) {
				buf_addch(b, (char)byte);
				byte = 0;
				bit = 0;
			}
		}
		if (bit)
			buf_addch(b, (char)byte);
	} else if (c->type == DATASET_STRING) {
		for (size_t i = from; i < to; i++) {
			uint32_t len = c->dict_len[vals[i]];
			buf_add(b, &len, 4);
			buf_add(b, c->dict[vals[i]], len);
		}
	} else {
		buf_add(b, vals + from, (to - from) * 8);
	}
}

static void set_stat(char **dst, size_t *dst_len, const void *p, size_t n)
{
	free(*dst);
	*dst = xmalloc(n ? n : 1);
	memcpy(*dst, p, n);
	*dst_len = n;
}

/* min/max of the chunk's non-null values vals[0..nv) in the column's sort order. */
static void chunk_stats(struct chunk_meta *cm, const struct dataset_col *c, const uint64_t *vals, size_t nv)
{
	if (!nv)
		return;
	cm->has_minmax = 1;
	if (c->type == DATASET_STRING) {
		size_t lo = 0, hi = 0;
		for (size_t i = 1; i < nv; i++) {
			const char *s = c->dict[vals[i]];
			size_t l = c->dict_len[vals[i]];
			size_t llo = c->dict_len[vals[lo]], lhi = c->dict_len[vals[hi]];
			int a = memcmp(s, c->dict[vals[lo]], l < llo ? l : llo);
			if (a < 0 || (a == 0 && l < llo))
				lo = i;
			int b = memcmp(s, c->dict[vals[hi]], l < lhi ? l : lhi);
			if (b > 0 || (b == 0 && l > lhi))
				hi = i;
		}
		if (c->dict_len[vals[lo]] > PQ_MAX_STAT_BYTES || c->dict_len[vals[hi]] > PQ_MAX_STAT_BYTES) {
			cm->has_minmax = 0;
			return;
		}
		set_stat(&cm->min, &cm->min_len, c->dict[vals[lo]], c->dict_len[vals[lo]]);
		set_stat(&cm->max, &cm->max_len, c->dict[vals[hi]], c->dict_len[vals[hi]]);
	} else if (c->type == DATASET_FLOAT64) {
		double lo = INFINITY, hi = -INFINITY;
		for (size_t i = 0; i < nv; i++) {
			double d;
			memcpy(&d, &vals[i], 8);
			if (d < lo)
				lo = d;
			if (d > hi)
				hi = d;
		}
		/* parquet.thrift: a zero min is written as -0.0 and a zero max as +0.0. */
		if (lo == 0)
			lo = -0.0;
		if (hi == 0)
			hi = 0.0;
		set_stat(&cm->min, &cm->min_len, &lo, 8);
		set_stat(&cm->max, &cm->max_len, &hi, 8);
	} else if (c->type == DATASET_BOOL) {
		uint8_t lo = 1, hi = 0;
		for (size_t i = 0; i < nv; i++) {
			lo &= (uint8_t)vals[i];
			hi |= (uint8_t)vals[i];
		}
		set_stat(&cm->min, &cm->min_len, &lo, 1);
		set_stat(&cm->max, &cm->max_len, &hi, 1);
	} else {
		int64_t lo = INT64_MAX, hi = INT64_MIN;
		for (size_t i = 0; i < nv; i++) {
			int64_t v = (int64_t)vals[i];
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
		set_stat(&cm->min, &cm->min_len, &lo, 8);
		set_stat(&cm->max, &cm->max_len, &hi, 8);
	}
}

/*
 * Tries a dictionary for the chunk's values: fills w->codes and returns the
 * number of entries (their values in w->dict.values, or string codes of the
 * column for strings), or 0 when PLAIN is smaller or the dictionary too big.
 */
static size_t try_dictionary(struct pq_writer *w, const struct dataset_col *c, size_t nv)
{
	if (c->type == DATASET_BOOL || nv == 0)
		return 0;
	size_t plain = 0, dict_bytes = 0, nd = 0;
	if (c->type == DATASET_STRING) {
		if (w->lmap_cap < c->ndict) {
			free(w->lmap);
			w->lmap = xmalloc(c->ndict * sizeof(uint32_t));
			w->lmap_cap = c->ndict;
		}
		memset(w->lmap, 0xff, c->ndict * sizeof(uint32_t));
		pq_dict64_reset(&w->dict);
		for (size_t i = 0; i < nv; i++) {
			uint32_t code = (uint32_t)w->vals[i];
			plain += 4 + c->dict_len[code];
			if (w->lmap[code] == UINT32_MAX) {
				w->lmap[code] = (uint32_t)nd++;
				xgrow((void **)&w->dict.values, &w->dict.cap, nd, sizeof(uint64_t));
				w->dict.values[nd - 1] = code;
				dict_bytes += 4 + c->dict_len[code];
			}
			w->codes[i] = w->lmap[code];
		}
		w->dict.n = nd;
	} else {
		if (!w->o->dictionary)
			return 0;
		pq_dict64_reset(&w->dict);
		size_t max = PQ_MAX_DICT_BYTES / 8;
		for (size_t i = 0; i < nv; i++) {
			uint32_t code = pq_dict64_code(&w->dict, w->vals[i], max);
			/* Give up early on columns of mostly distinct values (random doubles). */
			if (code == UINT32_MAX || (i >= 4096 && w->dict.n * 10 > i * 9))
				return 0;
			w->codes[i] = code;
		}
		nd = w->dict.n;
		plain = nv * 8;
		dict_bytes = nd * 8;
	}
	if (c->type == DATASET_STRING && !w->o->dictionary)
		return 0;
	size_t idx = (nv * (size_t)pq_bit_width(nd - 1) + 7) / 8;
	if (dict_bytes > PQ_MAX_DICT_BYTES || dict_bytes + idx >= plain)
		return 0;
	return nd;
}

/* Writes column ci's chunk for rows [r0, r1) of the row group. */
static int write_chunk(struct pq_writer *w, const struct dataset_col *c, size_t r0, size_t r1, struct chunk_meta *cm,
		       struct err *e)
{
	size_t n = r1 - r0, nv = 0;
	cm->data_offset = cm->dict_offset = -1;
	cm->num_values = (int64_t)n;
	for (size_t i = 0; i < n; i++) {
		size_t r = row_at(w, r0 + i);
		int isnull = dataset_col_is_null(c, r);
		w->levels[i] = !isnull;
		if (isnull)
			continue;
		switch (c->type) {
		case DATASET_FLOAT64: memcpy(&w->vals[nv], &c->f64[r], 8); break;
		case DATASET_BOOL: w->vals[nv] = c->b[r]; break;
		case DATASET_STRING: w->vals[nv] = c->code[r]; break;
		default: w->vals[nv] = (uint64_t)c->i64[r]; break;
		}
		nv++;
	}
	cm->null_count = (int64_t)(n - nv);
	chunk_stats(cm, c, w->vals, nv);
	size_t nd = try_dictionary(w, c, nv);
	int bw = nd ? pq_bit_width(nd - 1) : 0;
	if (nd) {
		buf_reset(&w->page);
		if (c->type == DATASET_STRING)
			plain_values(&w->page, c, w->dict.values, 0, nd);
		else
			buf_add(&w->page, w->dict.values, nd * 8);
		if (emit_page(w, cm, 1, nd, PQ_PLAIN, e))
			return e->code;
	}
	/* Rows per page from the encoded width of one value. */
	size_t width = nd ? (size_t)bw : c->type == DATASET_BOOL ? 1 : c->type == DATASET_STRING ? 8 * (4 + 16) : 64;
	if (c->type == DATASET_STRING && !nd && nv) {
		size_t total = 0;
		for (size_t i = 0; i < nv; i++)
			total += 4 + c->dict_len[w->vals[i]];
		width = 8 * (total / nv + 1);
	}
	size_t page_rows = w->o->page_bytes * 8 / width;
	if (page_rows < 64)
		page_rows = 64;
	size_t vi = 0;
	for (size_t p0 = 0; p0 < n; p0 += page_rows) {
		size_t p1 = p0 + page_rows < n ? p0 + page_rows : n, k = 0;
		for (size_t i = p0; i < p1; i++)
			k += w->levels[i];
		buf_reset(&w->page);
		uint32_t lenpfx = 0;
		buf_add(&w->page, &lenpfx, 4);
		pq_rle_encode(&w->page, w->levels + p0, p1 - p0, 1);
		lenpfx = (uint32_t)(w->page.len - 4);
		memcpy(w->page.data, &lenpfx, 4);
		if (nd) {
			buf_addch(&w->page, (char)bw);
			pq_rle_encode(&w->page, w->codes + vi, k, bw);
		} else {
			plain_values(&w->page, c, w->vals, vi, vi + k);
		}
		vi += k;
		if (emit_page(w, cm, 0, p1 - p0, nd ? PQ_RLE_DICTIONARY : PQ_PLAIN, e))
			return e->code;
	}
	return 0;
}

/* Uncompressed bytes of one row of the output columns, to size row groups. */
static size_t row_bytes(const struct pq_writer *w)
{
	size_t b = 0;
	for (size_t k = 0; k < w->ncols; k++) {
		const struct dataset_col *c = w->f->cols[w->cols[k]];
		if (c->type == DATASET_BOOL)
			b += 1;
		else if (c->type == DATASET_STRING) {
			size_t total = 0;
			for (size_t i = 0; i < c->ndict; i++)
				total += c->dict_len[i];
			b += 4 + (c->ndict ? total / c->ndict : 0);
		} else
			b += 8;
	}
	return b ? b : 1;
}

static void write_statistics(struct pq_thrift *t, const struct chunk_meta *cm, const struct dataset_col *c)
{
	pq_thrift_struct_begin(t, 12);
	pq_thrift_i64(t, 3, cm->null_count);
	if (cm->has_minmax) {
		pq_thrift_binary(t, 5, cm->max, cm->max_len);
		pq_thrift_binary(t, 6, cm->min, cm->min_len);
	}
	if (c->type == DATASET_FLOAT64)
		pq_thrift_i64(t, 9, 0); /* nan_count: NaN is stored as null, never as a value */
	pq_thrift_struct_end(t);
}

static void write_schema(struct pq_thrift *t, const struct pq_writer *w)
{
	pq_thrift_list_begin(t, 2, PQ_T_STRUCT, w->ncols + 1);
	pq_thrift_elem_struct_begin(t);
	pq_thrift_string(t, 4, "schema");
	pq_thrift_i32(t, 5, (int32_t)w->ncols);
	pq_thrift_struct_end(t);
	for (size_t k = 0; k < w->ncols; k++) {
		const struct dataset_col *c = w->f->cols[w->cols[k]];
		pq_thrift_elem_struct_begin(t);
		pq_thrift_i32(t, 1, physical_type(c->type));
		pq_thrift_i32(t, 3, 1); /* OPTIONAL */
		pq_thrift_string(t, 4, c->name);
		if (c->type == DATASET_STRING) {
			pq_thrift_i32(t, 6, 0); /* ConvertedType UTF8 */
			pq_thrift_struct_begin(t, 10);
			pq_thrift_struct_begin(t, 1); /* LogicalType.STRING */
			pq_thrift_struct_end(t);
			pq_thrift_struct_end(t);
		} else if (c->type == DATASET_TIMESTAMP) {
			pq_thrift_i32(t, 6, 10); /* ConvertedType TIMESTAMP_MICROS */
			pq_thrift_struct_begin(t, 10);
			pq_thrift_struct_begin(t, 8); /* LogicalType.TIMESTAMP */
			pq_thrift_bool(t, 1, 1);      /* isAdjustedToUTC */
			pq_thrift_struct_begin(t, 2); /* unit */
			pq_thrift_struct_begin(t, 2); /* MICROS */
			pq_thrift_struct_end(t);
			pq_thrift_struct_end(t);
			pq_thrift_struct_end(t);
			pq_thrift_struct_end(t);
		}
		pq_thrift_struct_end(t);
	}
}

static int write_footer(struct pq_writer *w, size_t nrows)
{
	struct buf b = BUF_INIT;
	struct pq_thrift t;
	pq_thrift_init(&t, &b);
	pq_thrift_i32(&t, 1, 2); /* version: format 2 (logical types, RLE_DICTIONARY) */
	write_schema(&t, w);
	pq_thrift_i64(&t, 3, (int64_t)nrows);
	pq_thrift_list_begin(&t, 4, PQ_T_STRUCT, w->nrg);
	for (size_t g = 0; g < w->nrg; g++) {
		const struct row_group *rg = &w->rgs[g];
		pq_thrift_elem_struct_begin(&t);
		pq_thrift_list_begin(&t, 1, PQ_T_STRUCT, w->ncols);
		for (size_t k = 0; k < w->ncols; k++) {
			const struct chunk_meta *cm = &rg->chunks[k];
			const struct dataset_col *c = w->f->cols[w->cols[k]];
			pq_thrift_elem_struct_begin(&t);
			pq_thrift_i64(&t, 2, 0); /* file_offset: no ColumnMetaData outside the footer */
			pq_thrift_struct_begin(&t, 3);
			pq_thrift_i32(&t, 1, physical_type(c->type));
			int dict = cm->dict_offset >= 0;
			pq_thrift_list_begin(&t, 2, PQ_T_I32, dict ? 3 : 2);
			pq_thrift_elem_i32(&t, PQ_PLAIN);
			pq_thrift_elem_i32(&t, PQ_RLE);
			if (dict)
				pq_thrift_elem_i32(&t, PQ_RLE_DICTIONARY);
			pq_thrift_list_begin(&t, 3, PQ_T_BINARY, 1);
			pq_thrift_elem_string(&t, c->name);
			pq_thrift_i32(&t, 4, w->o->codec == DATASET_CODEC_SNAPPY ? PQ_CODEC_SNAPPY
					     : w->o->codec == DATASET_CODEC_ZSTD  ? PQ_CODEC_ZSTD
										  : PQ_CODEC_UNCOMPRESSED);
			pq_thrift_i64(&t, 5, cm->num_values);
			pq_thrift_i64(&t, 6, cm->uncompressed);
			pq_thrift_i64(&t, 7, cm->compressed);
			pq_thrift_i64(&t, 9, cm->data_offset);
			if (dict)
				pq_thrift_i64(&t, 11, cm->dict_offset);
			write_statistics(&t, cm, c);
			pq_thrift_struct_end(&t); /* ColumnMetaData */
			pq_thrift_struct_end(&t); /* ColumnChunk */
		}
		pq_thrift_i64(&t, 2, rg->uncompressed);
		pq_thrift_i64(&t, 3, (int64_t)rg->nrows);
		pq_thrift_i64(&t, 5, rg->offset);
		pq_thrift_i64(&t, 6, rg->compressed);
		pq_thrift_struct_end(&t);
	}
	pq_thrift_string(&t, 6, "ciminer version " CIMINER_VERSION);
	pq_thrift_list_begin(&t, 7, PQ_T_STRUCT, w->ncols);
	for (size_t k = 0; k < w->ncols; k++) {
		pq_thrift_elem_struct_begin(&t);
		pq_thrift_struct_begin(&t, 1); /* TYPE_ORDER */
		pq_thrift_struct_end(&t);
		pq_thrift_struct_end(&t);
	}
	pq_thrift_end(&t);
	uint32_t len = (uint32_t)b.len;
	dataset_sink_write(&w->sink, b.data, b.len);
	dataset_sink_write(&w->sink, &len, 4);
	int rc = dataset_sink_write(&w->sink, "PAR1", 4);
	buf_release(&b);
	return rc;
}

static void writer_release(struct pq_writer *w)
{
	for (size_t g = 0; g < w->nrg; g++) {
		for (size_t k = 0; k < w->ncols; k++) {
			free(w->rgs[g].chunks[k].min);
			free(w->rgs[g].chunks[k].max);
		}
		free(w->rgs[g].chunks);
	}
	free(w->rgs);
	free(w->cols);
	free(w->levels);
	free(w->codes);
	free(w->lmap);
	free(w->vals);
	pq_dict64_release(&w->dict);
	buf_release(&w->page);
	buf_release(&w->comp);
	buf_release(&w->hdr);
	if (w->zstd)
		ZSTD_freeCCtx(w->zstd);
}

int dataset_write_parquet(const char *path, const struct dataset_frame *f, const uint32_t *rows, size_t n,
			  const struct dataset_write_opts *opts, struct dataset_file_info *info, struct err *e)
{
	struct dataset_write_opts dflt = DATASET_WRITE_OPTS_INIT;
	struct pq_writer w;
	memset(&w, 0, sizeof(w));
	w.f = f;
	w.rows = rows;
	w.o = opts ? opts : &dflt;
	w.ncols = dataset_output_columns(&w.cols, f, w.o);
	if (!rows)
		n = f->nrows;
	if (w.o->codec == DATASET_CODEC_ZSTD)
		w.zstd = ZSTD_createCCtx();
	size_t rg_rows = w.o->row_group_bytes / row_bytes(&w);
	if (rg_rows < 1024)
		rg_rows = 1024;
	if (rg_rows > n)
		rg_rows = n ? n : 1;
	w.levels = xmalloc(rg_rows * sizeof(uint32_t));
	w.codes = xmalloc(rg_rows * sizeof(uint32_t));
	w.vals = xmalloc(rg_rows * sizeof(uint64_t));
	int rc = dataset_sink_open(&w.sink, path, e);
	if (rc) {
		writer_release(&w);
		return rc;
	}
	dataset_sink_write(&w.sink, "PAR1", 4);
	/* An empty split gets no row group: the footer alone still gives readers the schema and types. */
	for (size_t r0 = 0; rc == 0 && r0 < n; r0 += rg_rows) {
		size_t r1 = r0 + rg_rows < n ? r0 + rg_rows : n;
		xgrow((void **)&w.rgs, &w.rg_cap, w.nrg + 1, sizeof(*w.rgs));
		struct row_group *rg = &w.rgs[w.nrg++];
		memset(rg, 0, sizeof(*rg));
		rg->nrows = r1 - r0;
		rg->offset = (int64_t)w.sink.offset;
		rg->chunks = xcalloc(w.ncols ? w.ncols : 1, sizeof(struct chunk_meta));
		for (size_t k = 0; k < w.ncols && rc == 0; k++) {
			rc = write_chunk(&w, f->cols[w.cols[k]], r0, r1, &rg->chunks[k], e);
			rg->uncompressed += rg->chunks[k].uncompressed;
			rg->compressed += rg->chunks[k].compressed;
		}
	}
	if (rc == 0)
		rc = write_footer(&w, n);
	if (rc == 0 && w.sink.err.code)
		rc = err_copy(e, &w.sink.err);
	if (rc) {
		dataset_sink_abort(&w.sink);
	} else {
		struct dataset_file_info fi = { .rows = n, .columns = w.ncols };
		rc = dataset_sink_commit(&w.sink, w.o->fsync, fi.sha256, &fi.bytes, e);
		if (rc == 0 && info)
			*info = fi;
	}
	writer_release(&w);
	return rc;
}

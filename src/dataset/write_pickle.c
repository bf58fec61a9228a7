/*
 * The pickle writer (write.h): a protocol-4 pickle stream that, when loaded
 * by pandas.read_pickle() or plain pickle.load() (numpy and pandas
 * installed), calls pandas' public constructor
 *
 *     pandas.DataFrame({name: column, ...})
 *
 * so that the file does not depend on pandas' private block layout, which
 * changes between versions. Each column is built by public calls too:
 *   int64 / float64 / bool   numpy.frombuffer(<bytes>, '<i8' | '<f8' | '|b1')
 *   nullable int64           numpy.frombuffer(<bytes>, '<f8') with NaN for null
 *                            (the dtype pandas itself gives such a column when it
 *                            reads CSV or Parquet, and the one sklearn accepts;
 *                            integers beyond 2**53 lose precision)
 *   nullable bool            a list of True / False / None (object dtype)
 *   string                   numpy.take(numpy.array([values..., None], 'O'),
 *                                       numpy.frombuffer(<codes>, '<i4'))
 *                            (object dtype of str, None for null)
 *   timestamp                functools.partial(pandas.to_datetime, utc=True)(
 *                                numpy.frombuffer(<bytes>, '<M8[us]'))
 *                            (datetime64[ns, UTC], NaT for null)
 * A column counts as nullable when it has a null anywhere in the frame, so all
 * splits of a dataset get the same dtypes.
 */
#include "dataset/sink.h"
#include "dataset/write.h"
#include "core/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	OP_PROTO = 0x80, OP_GLOBAL = 'c', OP_SHORT_BINUNICODE = 0x8c, OP_BINUNICODE = 'X', OP_BINBYTES8 = 0x8e,
	OP_MARK = '(', OP_TUPLE1 = 0x85, OP_TUPLE2 = 0x86, OP_EMPTY_TUPLE = ')', OP_REDUCE = 'R', OP_BUILD = 'b',
	OP_EMPTY_DICT = '}', OP_SETITEMS = 'u', OP_EMPTY_LIST = ']', OP_APPENDS = 'e', OP_NONE = 'N',
	OP_NEWTRUE = 0x88, OP_NEWFALSE = 0x89, OP_TUPLE = 't', OP_STOP = '.',
};

#define PICKLE_FLUSH_BYTES (1u << 20)

struct pk {
	struct dataset_sink *sink;
	struct buf b;
};

static void flush(struct pk *p)
{
	dataset_sink_write(p->sink, p->b.data ? p->b.data : "", p->b.len);
	buf_reset(&p->b);
}

static void op(struct pk *p, int code)
{
	buf_addch(&p->b, (char)code);
}

static void global(struct pk *p, const char *module, const char *name)
{
	op(p, OP_GLOBAL);
	buf_addf(&p->b, "%s\n%s\n", module, name);
}

static void str(struct pk *p, const char *s, size_t n)
{
	if (n < 256) {
		op(p, OP_SHORT_BINUNICODE);
		buf_addch(&p->b, (char)n);
	} else {
		uint32_t len = (uint32_t)n;
		op(p, OP_BINUNICODE);
		buf_add(&p->b, &len, 4);
	}
	buf_add(&p->b, s, n);
	if (p->b.len >= PICKLE_FLUSH_BYTES)
		flush(p);
}

/* bytes object straight to the file (no copy into the buffer). */
static void bytes(struct pk *p, const void *data, size_t n)
{
	uint64_t len = n;
	op(p, OP_BINBYTES8);
	buf_add(&p->b, &len, 8);
	flush(p);
	dataset_sink_write(p->sink, data, n);
}

/* numpy.frombuffer(<data>, dtype) */
static void frombuffer(struct pk *p, const void *data, size_t n, const char *dtype)
{
	global(p, "numpy", "frombuffer");
	bytes(p, data, n);
	str(p, dtype, strlen(dtype));
	op(p, OP_TUPLE2);
	op(p, OP_REDUCE);
}

static void column_numeric(struct pk *p, const struct dataset_col *c, const uint32_t *rows, size_t n, void *scratch)
{
	int as_float = c->type == DATASET_FLOAT64 || (c->type == DATASET_INT64 && c->null_count);
	if (as_float) {
		double *v = scratch;
		for (size_t i = 0; i < n; i++) {
			size_t r = rows ? rows[i] : i;
			v[i] = dataset_col_is_null(c, r) ? NAN : c->type == DATASET_FLOAT64 ? c->f64[r] : (double)c->i64[r];
		}
		frombuffer(p, v, n * 8, "<f8");
		return;
	}
	int64_t *v = scratch;
	for (size_t i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;
		/* INT64_MIN is numpy's NaT for the timestamp case */
		v[i] = dataset_col_is_null(c, r) ? INT64_MIN : c->i64[r];
	}
	if (c->type == DATASET_TIMESTAMP) {
		/* functools.partial(pandas.to_datetime, utc=True): a keyword call in a pickle stream */
		global(p, "functools", "partial");
		global(p, "pandas", "to_datetime");
		op(p, OP_TUPLE1);
		op(p, OP_REDUCE);
		op(p, OP_MARK);
		global(p, "pandas", "to_datetime");
		op(p, OP_EMPTY_TUPLE);
		op(p, OP_EMPTY_DICT);
		op(p, OP_MARK);
		str(p, "utc", 3);
		op(p, OP_NEWTRUE);
		op(p, OP_SETITEMS);
		op(p, OP_NONE);
		op(p, OP_TUPLE);
		op(p, OP_BUILD);
		frombuffer(p, v, n * 8, "<M8[us]");
		op(p, OP_TUPLE1);
		op(p, OP_REDUCE);
		return;
	}
	frombuffer(p, v, n * 8, "<i8");
}

static void column_bool(struct pk *p, const struct dataset_col *c, const uint32_t *rows, size_t n, void *scratch)
{
	if (!c->null_count) {
		uint8_t *v = scratch;
		for (size_t i = 0; i < n; i++)
			v[i] = c->b[rows ? rows[i] : i];
		frombuffer(p, v, n, "|b1");
		return;
	}
	op(p, OP_EMPTY_LIST);
	op(p, OP_MARK);
	for (size_t i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;
		op(p, dataset_col_is_null(c, r) ? OP_NONE : c->b[r] ? OP_NEWTRUE : OP_NEWFALSE);
		if (p->b.len >= PICKLE_FLUSH_BYTES)
			flush(p);
	}
	op(p, OP_APPENDS);
}

static void column_string(struct pk *p, const struct dataset_col *c, const uint32_t *rows, size_t n, void *scratch)
{
	global(p, "numpy", "take");
	global(p, "numpy", "array");
	op(p, OP_EMPTY_LIST);
	op(p, OP_MARK);
	for (size_t k = 0; k < c->ndict; k++)
		str(p, c->dict[k], c->dict_len[k]);
	op(p, OP_NONE); /* the value of null rows, at index ndict */
	op(p, OP_APPENDS);
	str(p, "O", 1);
	op(p, OP_TUPLE2);
	op(p, OP_REDUCE);
	int32_t *v = scratch;
	for (size_t i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;
		v[i] = dataset_col_is_null(c, r) ? (int32_t)c->ndict : (int32_t)c->code[r];
	}
	frombuffer(p, v, n * 4, "<i4");
	op(p, OP_TUPLE2);
	op(p, OP_REDUCE);
}

int dataset_write_pickle(const char *path, const struct dataset_frame *f, const uint32_t *rows, size_t n,
			 const struct dataset_write_opts *opts, struct dataset_file_info *info, struct err *e)
{
	struct dataset_write_opts dflt = DATASET_WRITE_OPTS_INIT;
	if (!opts)
		opts = &dflt;
	if (!rows)
		n = f->nrows;
	for (size_t i = 0; i < f->ncols; i++)
		if (f->cols[i]->type == DATASET_STRING && f->cols[i]->ndict >= INT32_MAX)
			return err_set(e, ERR_TOOBIG, "pickle: column '%s' has too many distinct values", f->cols[i]->name);
	size_t *cols;
	size_t ncols = dataset_output_columns(&cols, f, opts);
	struct dataset_sink sink;
	int rc = dataset_sink_open(&sink, path, e);
	if (rc) {
		free(cols);
		return rc;
	}
	struct pk p = { &sink, BUF_INIT };
	void *scratch = xmalloc(n ? n * 8 : 8);
	op(&p, OP_PROTO);
	buf_addch(&p.b, 4);
	global(&p, "pandas", "DataFrame");
	op(&p, OP_EMPTY_DICT);
	op(&p, OP_MARK);
	for (size_t k = 0; k < ncols; k++) {
		const struct dataset_col *c = f->cols[cols[k]];
		str(&p, c->name, strlen(c->name));
		if (c->type == DATASET_BOOL)
			column_bool(&p, c, rows, n, scratch);
		else if (c->type == DATASET_STRING)
			column_string(&p, c, rows, n, scratch);
		else
			column_numeric(&p, c, rows, n, scratch);
	}
	op(&p, OP_SETITEMS);
	op(&p, OP_TUPLE1);
	op(&p, OP_REDUCE);
	op(&p, OP_STOP);
	flush(&p);
	buf_release(&p.b);
	free(scratch);
	free(cols);
	if (sink.err.code) {
		rc = err_copy(e, &sink.err);
		dataset_sink_abort(&sink);
		return rc;
	}
	struct dataset_file_info fi = { .rows = n, .columns = ncols };
	rc = dataset_sink_commit(&sink, opts->fsync, fi.sha256, &fi.bytes, e);
	if (rc == 0 && info)
		*info = fi;
	return rc;
}

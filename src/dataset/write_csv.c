/*
 * The CSV writer (write.h): RFC 4180 (comma, CRLF, fields with a comma,
 * quote, CR, LF or edge spaces quoted with doubled quotes), a header row, '.'
 * decimals whatever the locale, ISO-8601 UTC timestamps, an empty field for
 * null, and doubles that round-trip exactly (see add_double), always with a '.'
 * or an exponent (3.0, not 3) so that pandas reads a float column as float64.
 */
#include "dataset/sink.h"
#include "dataset/write.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_FLUSH_BYTES (1u << 20)

static void add_quoted(struct buf *b, const char *s, size_t n)
{
	int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		buf_add(b, s, n);
		return;
	}
	buf_addch(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addch(b, '"');
		buf_addch(b, s[i]);
	}
	buf_addch(b, '"');
}

/*
 * A double that reads back to the same bits: integral values below 2^53 as
 * "123.0"; otherwise %.16g when strtod gives the value back, else %.17g
 * (always exact). %.15g is not tried: it rarely wins and each try costs a
 * printf and a strtod, which dominate the writer's time.
 */
static void add_double(struct buf *b, double v)
{
	if (isnan(v)) {
		buf_addstr(b, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_addstr(b, v > 0 ? "inf" : "-inf");
		return;
	}
	if (v == (double)(int64_t)v && fabs(v) < 9007199254740992.0) {
		/* -0.0 keeps its sign through the %g path below */
		if (v != 0 || !signbit(v)) {
			buf_addf(b, "%" PRId64 ".0", (int64_t)v);
			return;
		}
	}
	char tmp[40];
	int len = snprintf(tmp, sizeof(tmp), "%.16g", v);
	if (strtod(tmp, NULL) != v)
		len = snprintf(tmp, sizeof(tmp), "%.17g", v);
	/* A locale with a decimal comma would break the format: force the point. */
	for (int i = 0; i < len; i++)
		if (tmp[i] == ',')
			tmp[i] = '.';
	buf_add(b, tmp, (size_t)len);
	/* "1e+20" and "-0" must still read back as floats */
	if (!strpbrk(tmp, ".e"))
		buf_addstr(b, ".0");
}

static void add_cell(struct buf *b, const struct dataset_col *c, size_t r)
{
	if (dataset_col_is_null(c, r))
		return;
	char tmp[UTC_FMT_MAX];
	switch (c->type) {
	case DATASET_INT64: buf_addf(b, "%" PRId64, c->i64[r]); break;
	case DATASET_FLOAT64: add_double(b, c->f64[r]); break;
	case DATASET_BOOL: buf_addstr(b, c->b[r] ? "true" : "false"); break;
	case DATASET_STRING: add_quoted(b, c->dict[c->code[r]], c->dict_len[c->code[r]]); break;
	case DATASET_TIMESTAMP: buf_addstr(b, utc_format(c->i64[r], tmp)); break;
	}
}

int dataset_write_csv(const char *path, const struct dataset_frame *f, const uint32_t *rows, size_t n,
		      const struct dataset_write_opts *opts, struct dataset_file_info *info, struct err *e)
{
	struct dataset_write_opts dflt = DATASET_WRITE_OPTS_INIT;
	if (!opts)
		opts = &dflt;
	if (!rows)
		n = f->nrows;
	size_t *cols;
	size_t ncols = dataset_output_columns(&cols, f, opts);
	struct dataset_sink sink;
	int rc = dataset_sink_open(&sink, path, e);
	if (rc) {
		free(cols);
		return rc;
	}
	struct buf b = BUF_INIT;
	for (size_t k = 0; k < ncols; k++) {
		if (k)
			buf_addch(&b, ',');
		add_quoted(&b, f->cols[cols[k]]->name, strlen(f->cols[cols[k]]->name));
	}
	buf_addstr(&b, "\r\n");
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t r = rows ? rows[i] : i;
		for (size_t k = 0; k < ncols; k++) {
			if (k)
				buf_addch(&b, ',');
			add_cell(&b, f->cols[cols[k]], r);
		}
		buf_addstr(&b, "\r\n");
		if (b.len >= CSV_FLUSH_BYTES) {
			rc = dataset_sink_write(&sink, b.data, b.len);
			buf_reset(&b);
		}
	}
	if (rc == 0)
		rc = dataset_sink_write(&sink, b.data ? b.data : "", b.len);
	buf_release(&b);
	free(cols);
	if (rc) {
		err_copy(e, &sink.err);
		dataset_sink_abort(&sink);
		return rc;
	}
	struct dataset_file_info fi = { .rows = n, .columns = ncols };
	rc = dataset_sink_commit(&sink, opts->fsync, fi.sha256, &fi.bytes, e);
	if (rc == 0 && info)
		*info = fi;
	return rc;
}

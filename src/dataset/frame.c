/*
 * The dataset frame: typed columns with null bitmaps (see frame.h). Columns
 * grow by doubling; strings are interned per column so that a million rows of
 * a low-cardinality column cost four bytes each and writers get a dictionary
 * for free.
 */
#include "dataset/frame.h"
#include "core/xalloc.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = { "int64", "float64", "bool", "string", "timestamp" };
static const char *const role_names[] = { "feature", "label", "metadata", "key" };

const char *dataset_type_name(enum dataset_type t)
{
	return (unsigned)t < 5 ? type_names[t] : "?";
}

const char *dataset_role_name(enum dataset_role r)
{
	return (unsigned)r < 4 ? role_names[r] : "?";
}

struct dataset_frame *dataset_frame_new(void)
{
	return xcalloc(1, sizeof(struct dataset_frame));
}

static void col_free(struct dataset_col *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->i64);
	free(c->f64);
	free(c->b);
	free(c->code);
	free(c->nulls);
	free(c->missing);
	free(c->dict);
	free(c->dict_len);
	free(c->slots);
	for (size_t i = 0; i < c->nblocks; i++)
		free(c->blocks[i]);
	free(c->blocks);
	free(c);
}

void dataset_frame_free(struct dataset_frame *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->ncols; i++)
		col_free(f->cols[i]);
	free(f->cols);
	free(f);
}

static size_t elem_size(enum dataset_type t)
{
	switch (t) {
	case DATASET_FLOAT64: return sizeof(double);
	case DATASET_BOOL: return 1;
	case DATASET_STRING: return sizeof(uint32_t);
	default: return sizeof(int64_t);
	}
}

static void **values_ptr(struct dataset_col *c)
{
	switch (c->type) {
	case DATASET_FLOAT64: return (void **)&c->f64;
	case DATASET_BOOL: return (void **)&c->b;
	case DATASET_STRING: return (void **)&c->code;
	default: return (void **)&c->i64;
	}
}

/* Makes room for at least need rows (values and, when present, the bitmap). */
static void col_reserve(struct dataset_col *c, size_t need)
{
	if (need <= c->cap)
		return;
	size_t ncap = c->cap ? c->cap : 64;
	while (ncap < need)
		ncap *= 2;
	void **vp = values_ptr(c);
	*vp = xrealloc(*vp, ncap * elem_size(c->type));
	if (c->nulls) {
		c->nulls = xrealloc(c->nulls, (ncap + 7) / 8);
		memset(c->nulls + (c->cap + 7) / 8, 0, (ncap + 7) / 8 - (c->cap + 7) / 8);
	}
	if (c->missing) {
		c->missing = xrealloc(c->missing, (ncap + 7) / 8 + 1);
		memset(c->missing + (c->cap + 7) / 8, 0, (ncap + 7) / 8 + 1 - (c->cap + 7) / 8);
	}
	c->cap = ncap;
}

void dataset_col_set_nullbit(struct dataset_col *c, size_t r, int is_null)
{
	if (!c->nulls) {
		if (!is_null)
			return;
		c->nulls = xcalloc(1, (c->cap + 7) / 8 + 1);
	}
	uint8_t bit = (uint8_t)(1u << (r & 7));
	int was = (c->nulls[r >> 3] & bit) != 0;
	if (is_null && !was) {
		c->nulls[r >> 3] |= bit;
		c->null_count++;
	} else if (!is_null && was) {
		c->nulls[r >> 3] &= (uint8_t)~bit;
		c->null_count--;
	}
	if (is_null) {
		switch (c->type) {
		case DATASET_FLOAT64: c->f64[r] = 0; break;
		case DATASET_BOOL: c->b[r] = 0; break;
		case DATASET_STRING: c->code[r] = 0; break;
		default: c->i64[r] = 0; break;
		}
	}
}

int dataset_frame_find(const struct dataset_frame *f, const char *name)
{
	for (size_t i = 0; i < f->ncols; i++)
		if (strcmp(f->cols[i]->name, name) == 0)
			return (int)i;
	return -1;
}

struct dataset_col *dataset_frame_col(const struct dataset_frame *f, const char *name)
{
	int i = dataset_frame_find(f, name);
	return i < 0 ? NULL : f->cols[i];
}

int dataset_frame_add_column(struct dataset_frame *f, const char *name, enum dataset_type type,
			     enum dataset_role role, struct err *e)
{
	if (!name || !*name)
		return err_set(e, ERR_INPUT, "dataset: a column needs a name");
	if (dataset_frame_find(f, name) >= 0)
		return err_set(e, ERR_INPUT, "dataset: column '%s' is defined twice; give each column one name", name);
	if ((unsigned)type > DATASET_TIMESTAMP)
		return err_set(e, ERR_INPUT, "dataset: column '%s' has an unknown type %d", name, (int)type);
	struct dataset_col *c = xcalloc(1, sizeof(*c));
	c->name = xstrdup(name);
	c->type = type;
	c->role = role;
	xgrow((void **)&f->cols, &f->cap, f->ncols + 1, sizeof(*f->cols));
	f->cols[f->ncols++] = c;
	for (size_t r = 0; r < f->nrows; r++)
		dataset_col_append_null(c);
	return (int)(f->ncols - 1);
}

void dataset_frame_remove_column(struct dataset_frame *f, size_t i)
{
	if (i >= f->ncols)
		return;
	col_free(f->cols[i]);
	memmove(f->cols + i, f->cols + i + 1, (f->ncols - i - 1) * sizeof(*f->cols));
	f->ncols--;
}

void dataset_frame_move_column(struct dataset_frame *f, size_t from, size_t to)
{
	if (from >= f->ncols || to >= f->ncols || from == to)
		return;
	struct dataset_col *c = f->cols[from];
	if (from < to)
		memmove(f->cols + from, f->cols + from + 1, (to - from) * sizeof(*f->cols));
	else
		memmove(f->cols + to + 1, f->cols + to, (from - to) * sizeof(*f->cols));
	f->cols[to] = c;
}

size_t dataset_frame_add_row(struct dataset_frame *f)
{
	for (size_t i = 0; i < f->ncols; i++)
		dataset_col_append_null(f->cols[i]);
	return f->nrows++;
}

static void type_check(const struct dataset_col *c, enum dataset_type want, enum dataset_type alt)
{
	if (c->type != want && c->type != alt) {
		fprintf(stderr, "dataset: column '%s' is %s, not %s (a bug in the caller)\n", c->name,
			dataset_type_name(c->type), dataset_type_name(want));
		abort();
	}
}

static struct dataset_col *row_col(struct dataset_frame *f, size_t col, size_t r)
{
	if (col >= f->ncols || r >= f->cols[col]->n) {
		fprintf(stderr, "dataset: cell (%zu, %zu) is outside the frame (a bug in the caller)\n", col, r);
		abort();
	}
	return f->cols[col];
}

void dataset_frame_set_i64(struct dataset_frame *f, size_t col, size_t r, int64_t v)
{
	struct dataset_col *c = row_col(f, col, r);
	type_check(c, DATASET_INT64, DATASET_TIMESTAMP);
	dataset_col_set_nullbit(c, r, 0);
	c->i64[r] = v;
}

void dataset_frame_set_time(struct dataset_frame *f, size_t col, size_t r, int64_t usec)
{
	dataset_frame_set_i64(f, col, r, usec);
}

void dataset_frame_set_f64(struct dataset_frame *f, size_t col, size_t r, double v)
{
	struct dataset_col *c = row_col(f, col, r);
	type_check(c, DATASET_FLOAT64, DATASET_FLOAT64);
	dataset_col_set_nullbit(c, r, isnan(v));
	if (!isnan(v))
		c->f64[r] = v;
}

void dataset_frame_set_bool(struct dataset_frame *f, size_t col, size_t r, int v)
{
	struct dataset_col *c = row_col(f, col, r);
	type_check(c, DATASET_BOOL, DATASET_BOOL);
	dataset_col_set_nullbit(c, r, 0);
	c->b[r] = v != 0;
}

void dataset_frame_set_str(struct dataset_frame *f, size_t col, size_t r, const char *s)
{
	struct dataset_col *c = row_col(f, col, r);
	type_check(c, DATASET_STRING, DATASET_STRING);
	if (!s) {
		dataset_col_set_nullbit(c, r, 1);
		return;
	}
	dataset_col_set_nullbit(c, r, 0);
	c->code[r] = dataset_col_intern(c, s);
}

void dataset_frame_set_null(struct dataset_frame *f, size_t col, size_t r)
{
	dataset_col_set_nullbit(row_col(f, col, r), r, 1);
}

static void col_track_missing(struct dataset_col *c)
{
	if (!c->missing)
		c->missing = xcalloc(1, (c->cap + 7) / 8 + 1);
}

void dataset_frame_track_missing(struct dataset_frame *f, size_t col)
{
	col_track_missing(f->cols[col]);
}

void dataset_frame_set_missing(struct dataset_frame *f, size_t col, size_t r)
{
	struct dataset_col *c = row_col(f, col, r);
	dataset_col_set_nullbit(c, r, 1);
	col_track_missing(c);
	c->missing[r >> 3] |= (uint8_t)(1u << (r & 7));
}

/* Copies s (len bytes) into the column's arena; the copy never moves. */
static const char *arena_copy(struct dataset_col *c, const char *s, size_t len)
{
	if (!c->nblocks || c->block_used + len + 1 > c->block_size) {
		size_t size = len + 1 > 65536 ? len + 1 : 65536;
		size_t cap = c->nblocks;
		xgrow((void **)&c->blocks, &cap, c->nblocks + 1, sizeof(*c->blocks));
		c->blocks[c->nblocks++] = xmalloc(size);
		c->block_size = size;
		c->block_used = 0;
	}
	char *d = c->blocks[c->nblocks - 1] + c->block_used;
	memcpy(d, s, len);
	d[len] = '\0';
	c->block_used += len + 1;
	return d;
}

static void slots_rehash(struct dataset_col *c)
{
	size_t ncap = c->slot_cap ? c->slot_cap * 2 : 64;
	uint32_t *ns = xcalloc(ncap, sizeof(*ns));
	for (size_t k = 0; k < c->ndict; k++) {
		size_t i = hash_fnv1a(c->dict[k], c->dict_len[k]) & (ncap - 1);
		while (ns[i])
			i = (i + 1) & (ncap - 1);
		ns[i] = (uint32_t)k + 1;
	}
	free(c->slots);
	c->slots = ns;
	c->slot_cap = ncap;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	size_t n = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : (p[0] & 0xf0) == 0xe0 ? 3 : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
		return 0; /* overlong, or a UTF-16 surrogate */
	if (n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
		return 0;
	return n;
}

/* s with every byte that is not part of valid UTF-8 replaced by U+FFFD, or NULL when s is valid. */
static char *utf8_repair(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (p[i] && utf8_seq(p + i))
		i += utf8_seq(p + i);
	if (!p[i])
		return NULL;
	struct buf b = BUF_INIT;
	buf_add(&b, s, i);
	while (p[i]) {
		size_t n = utf8_seq(p + i);
		if (n) {
			buf_add(&b, p + i, n);
			i += n;
		} else {
			buf_addstr(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	return buf_detach(&b, NULL);
}

uint32_t dataset_col_intern(struct dataset_col *c, const char *s)
{
	/* Parquet STRING and pickle's unicode opcodes require UTF-8: repair once per distinct value. */
	char *fixed = utf8_repair(s);
	if (fixed) {
		uint32_t code = dataset_col_intern(c, fixed);
		free(fixed);
		return code;
	}
	size_t len = strlen(s);
	if ((c->ndict + 1) * 2 > c->slot_cap)
		slots_rehash(c);
	size_t i = hash_fnv1a(s, len) & (c->slot_cap - 1);
	for (; c->slots[i]; i = (i + 1) & (c->slot_cap - 1)) {
		uint32_t k = c->slots[i] - 1;
		if (c->dict_len[k] == len && memcmp(c->dict[k], s, len) == 0)
			return k;
	}
	uint32_t code = (uint32_t)c->ndict;
	size_t cap = c->dict_cap;
	xgrow((void **)&c->dict, &c->dict_cap, c->ndict + 1, sizeof(*c->dict));
	xgrow((void **)&c->dict_len, &cap, c->ndict + 1, sizeof(*c->dict_len));
	c->dict[code] = arena_copy(c, s, len);
	c->dict_len[code] = (uint32_t)len;
	c->slots[i] = code + 1;
	c->ndict++;
	return code;
}

static size_t col_push(struct dataset_col *c)
{
	col_reserve(c, c->n + 1);
	if (c->nulls)
		c->nulls[c->n >> 3] &= (uint8_t)~(1u << (c->n & 7));
	return c->n++;
}

void dataset_col_append_i64(struct dataset_col *c, int64_t v)
{
	type_check(c, DATASET_INT64, DATASET_TIMESTAMP);
	size_t r = col_push(c); /* before reading c->i64: the push may move it */
	c->i64[r] = v;
}

void dataset_col_append_f64(struct dataset_col *c, double v)
{
	type_check(c, DATASET_FLOAT64, DATASET_FLOAT64);
	size_t r = col_push(c);
	c->f64[r] = isnan(v) ? 0 : v;
	if (isnan(v))
		dataset_col_set_nullbit(c, r, 1);
}

void dataset_col_append_bool(struct dataset_col *c, int v)
{
	type_check(c, DATASET_BOOL, DATASET_BOOL);
	size_t r = col_push(c);
	c->b[r] = v != 0;
}

void dataset_col_append_str(struct dataset_col *c, const char *s)
{
	type_check(c, DATASET_STRING, DATASET_STRING);
	if (!s) {
		dataset_col_append_null(c);
		return;
	}
	uint32_t code = dataset_col_intern(c, s);
	size_t r = col_push(c);
	c->code[r] = code;
}

void dataset_col_append_null(struct dataset_col *c)
{
	size_t r = col_push(c);
	dataset_col_set_nullbit(c, r, 1);
}

int dataset_frame_check(struct dataset_frame *f, struct err *e)
{
	if (f->ncols == 0) {
		f->nrows = 0;
		return 0;
	}
	size_t n = f->cols[0]->n;
	for (size_t i = 1; i < f->ncols; i++)
		if (f->cols[i]->n != n)
			return err_set(e, ERR_INPUT, "dataset: column '%s' has %zu rows but column '%s' has %zu; fill every column of every row",
				       f->cols[i]->name, f->cols[i]->n, f->cols[0]->name, n);
	f->nrows = n;
	return 0;
}

double dataset_col_num(const struct dataset_col *c, size_t r)
{
	if (dataset_col_is_null(c, r))
		return NAN;
	switch (c->type) {
	case DATASET_FLOAT64: return c->f64[r];
	case DATASET_BOOL: return c->b[r];
	case DATASET_STRING: return NAN;
	default: return (double)c->i64[r];
	}
}

void dataset_col_key(const struct dataset_col *c, size_t r, struct buf *out)
{
	buf_reset(out);
	if (dataset_col_is_null(c, r)) {
		buf_addstr(out, "null");
		return;
	}
	switch (c->type) {
	case DATASET_FLOAT64: buf_addf(out, "%.17g", c->f64[r]); break;
	case DATASET_BOOL: buf_addstr(out, c->b[r] ? "true" : "false"); break;
	case DATASET_STRING: buf_add(out, c->dict[c->code[r]], c->dict_len[c->code[r]]); break;
	default: buf_addf(out, "%" PRId64, c->i64[r]); break;
	}
}

void dataset_col_to_float(struct dataset_col *c)
{
	if (c->type == DATASET_FLOAT64)
		return;
	double *v = xmalloc((c->cap ? c->cap : 1) * sizeof(double));
	for (size_t r = 0; r < c->n; r++)
		v[r] = dataset_col_is_null(c, r) ? 0 : c->type == DATASET_BOOL ? c->b[r] : (double)c->i64[r];
	free(c->i64);
	free(c->b);
	c->i64 = NULL;
	c->b = NULL;
	c->f64 = v;
	c->type = DATASET_FLOAT64;
}

struct dataset_frame *dataset_frame_take(const struct dataset_frame *f, const uint32_t *rows, size_t n)
{
	struct dataset_frame *out = dataset_frame_new();
	for (size_t i = 0; i < f->ncols; i++) {
		const struct dataset_col *s = f->cols[i];
		struct err e = ERR_INIT;
		int ci = dataset_frame_add_column(out, s->name, s->type, s->role, &e);
		struct dataset_col *d = out->cols[ci];
		col_reserve(d, n ? n : 1);
		/* Copy the whole dictionary so that codes stay valid (unused values are harmless). */
		for (size_t k = 0; k < s->ndict; k++)
			dataset_col_intern(d, s->dict[k]);
		size_t es = elem_size(s->type);
		const char *src = s->type == DATASET_FLOAT64 ? (const char *)s->f64
				: s->type == DATASET_BOOL    ? (const char *)s->b
				: s->type == DATASET_STRING  ? (const char *)s->code
							     : (const char *)s->i64;
		char *dst = *(char **)values_ptr(d);
		for (size_t k = 0; k < n; k++)
			memcpy(dst + k * es, src + (size_t)rows[k] * es, es);
		d->n = n;
		if (s->nulls)
			for (size_t k = 0; k < n; k++)
				if (dataset_col_is_null(s, rows[k]))
					dataset_col_set_nullbit(d, k, 1);
		if (s->missing) {
			col_track_missing(d);
			for (size_t k = 0; k < n; k++)
				if (s->missing[rows[k] >> 3] >> (rows[k] & 7) & 1)
					d->missing[k >> 3] |= (uint8_t)(1u << (k & 7));
		}
	}
	out->nrows = n;
	return out;
}

size_t dataset_frame_filter(struct dataset_frame *f, const uint8_t *keep)
{
	size_t m = 0;
	for (size_t i = 0; i < f->ncols; i++) {
		struct dataset_col *c = f->cols[i];
		size_t es = elem_size(c->type);
		char *v = *(char **)values_ptr(c);
		size_t w = 0;
		for (size_t r = 0; r < f->nrows; r++) {
			if (!keep[r])
				continue;
			int isnull = dataset_col_is_null(c, r);
			if (w != r && c->missing) {
				uint8_t bit = (uint8_t)(1u << (w & 7));
				if (c->missing[r >> 3] >> (r & 7) & 1)
					c->missing[w >> 3] |= bit;
				else
					c->missing[w >> 3] &= (uint8_t)~bit;
			}
			if (w != r) {
				memmove(v + w * es, v + r * es, es);
				if (c->nulls) {
					uint8_t bit = (uint8_t)(1u << (w & 7));
					if (isnull)
						c->nulls[w >> 3] |= bit;
					else
						c->nulls[w >> 3] &= (uint8_t)~bit;
				}
			}
			w++;
		}
		if (c->nulls) {
			/* Recount and clear the bits past the new end. */
			c->null_count = 0;
			for (size_t r = w; r < (w + 7) / 8 * 8; r++)
				c->nulls[r >> 3] &= (uint8_t)~(1u << (r & 7));
			memset(c->nulls + (w + 7) / 8, 0, (c->cap + 7) / 8 - (w + 7) / 8);
			for (size_t r = 0; r < w; r++)
				c->null_count += dataset_col_is_null(c, r);
		}
		if (c->missing) {
			for (size_t r = w; r < (w + 7) / 8 * 8; r++)
				c->missing[r >> 3] &= (uint8_t)~(1u << (r & 7));
			memset(c->missing + (w + 7) / 8, 0, (c->cap + 7) / 8 - (w + 7) / 8);
		}
		c->n = w;
		m = w;
	}
	f->nrows = f->ncols ? m : 0;
	return f->nrows;
}

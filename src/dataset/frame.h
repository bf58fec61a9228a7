/*
 * The in-memory dataset frame: a table of typed columns that the dataset
 * layer preprocesses, splits and writes (DESIGN.md §8).
 *
 * A frame holds columns of one type each (int64, float64, bool, string,
 * timestamp = int64 microseconds UTC as in core/utc.h) with a null bitmap.
 * Every column has a role:
 *   FEATURE  a model input; preprocessing touches only these;
 *   LABEL    the target `outcome` (1 = failed, 0 = passed), int64;
 *   META     descriptive columns written when include_metadata is on:
 *            build_id, repo_name, commit_sha, ci_provider, started_at, language;
 *   KEY      per-row keys used by splitting and baselines but never written
 *            (e.g. `conclusion` to stratify by, `prev_outcome` for the Parrot
 *            baseline). A KEY column can also be META-like data the caller does
 *            not want in the files.
 *
 * Building: add the columns first (dataset_frame_add_column), then either
 *   - row by row: r = dataset_frame_add_row(f) appends a row of nulls to every
 *     column, then dataset_frame_set_*(f, col, r, value) fills it; or
 *   - column by column: dataset_col_append_*(col, value) on each column, then
 *     dataset_frame_check(f) verifies that all columns have the same length.
 * Both may be mixed as long as dataset_frame_check() passes before the frame is
 * handed on. Every other function of the layer expects a checked frame.
 *
 * A NaN given to a FLOAT64 setter is stored as a null: the layer has one notion
 * of missing, and sklearn/pandas treat NaN as missing too.
 *
 * Strings must be UTF-8 (Parquet's STRING type and Python need it): bytes
 * that are not part of a valid UTF-8 sequence are replaced by U+FFFD when the
 * value is stored.
 *
 * Strings are interned per column: each distinct value is stored once and a row
 * holds a 32-bit code (the index of the value in col->dict, in order of first
 * appearance). Writers use the codes directly as a dictionary.
 *
 * Ownership: the frame owns its columns and every string in them; a `const
 * struct dataset_col *` or string returned by an accessor is borrowed and lives
 * until the frame is freed or the column is removed.
 */
#ifndef DATASET_FRAME_H
#define DATASET_FRAME_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"

enum dataset_type {
	DATASET_INT64 = 0,
	DATASET_FLOAT64,
	DATASET_BOOL,
	DATASET_STRING,
	DATASET_TIMESTAMP, /* int64 microseconds since the epoch, UTC */
};

enum dataset_role {
	DATASET_ROLE_FEATURE = 0,
	DATASET_ROLE_LABEL,
	DATASET_ROLE_META,
	DATASET_ROLE_KEY,
};

struct dataset_col {
	char *name;
	enum dataset_type type;
	enum dataset_role role;
	size_t n, cap;        /* rows held, rows allocated */
	/* Values: exactly one array is used, by type. A null row's value is 0. */
	int64_t *i64;         /* INT64, TIMESTAMP */
	double *f64;          /* FLOAT64 */
	uint8_t *b;           /* BOOL: 0 or 1 */
	uint32_t *code;       /* STRING: index into dict */
	/* Null bitmap: bit r set = row r is null; NULL while the column has no null. */
	uint8_t *nulls;
	size_t null_count;
	/*
	 * Why a null is null, for a column whose caller says so
	 * (dataset_frame_track_missing): bit r set = the value is missing (an
	 * input was unavailable, such as an expired log); a null without the bit
	 * does not apply to the row (pr_* of a push build). NULL: the column does
	 * not tell, and every null counts as missing. Kept by take and filter.
	 */
	uint8_t *missing;
	/* STRING only: distinct values in order of first appearance, NUL-terminated, in arena blocks. */
	const char **dict;
	uint32_t *dict_len;
	size_t ndict, dict_cap;
	uint32_t *slots;      /* open-addressing table of code + 1 (0 = empty), slot_cap a power of two */
	size_t slot_cap;
	char **blocks;        /* string arena: blocks never move, so dict pointers stay valid */
	size_t nblocks, block_used, block_size;
};

struct dataset_frame {
	struct dataset_col **cols;
	size_t ncols, cap;
	size_t nrows; /* rows added with dataset_frame_add_row or set by dataset_frame_check */
};

struct dataset_frame *dataset_frame_new(void);
void dataset_frame_free(struct dataset_frame *f);

/* Type and role names as used in JSON ("int64", "float64", "bool", "string", "timestamp"; "feature", ...). */
const char *dataset_type_name(enum dataset_type t);
const char *dataset_role_name(enum dataset_role r);

/*
 * Adds an empty column (padded with nulls up to the frame's current row
 * count). Returns its index (>= 0), or ERR_INPUT for a duplicate or empty name.
 */
int dataset_frame_add_column(struct dataset_frame *f, const char *name, enum dataset_type type,
			     enum dataset_role role, struct err *e);
/* Column index by name, or -1. */
int dataset_frame_find(const struct dataset_frame *f, const char *name);
/* Borrowed column by name, or NULL. */
struct dataset_col *dataset_frame_col(const struct dataset_frame *f, const char *name);
/* Removes column i (frees it); later columns shift down by one. */
void dataset_frame_remove_column(struct dataset_frame *f, size_t i);
/* Moves column from to position to (< ncols); the columns between shift by one. */
void dataset_frame_move_column(struct dataset_frame *f, size_t from, size_t to);

/* Row-wise building: appends a row of nulls to every column; returns its index. */
size_t dataset_frame_add_row(struct dataset_frame *f);
/* Setters for row r (< nrows) of column col; the type must match (abort on misuse: a bug). */
void dataset_frame_set_i64(struct dataset_frame *f, size_t col, size_t r, int64_t v);
void dataset_frame_set_f64(struct dataset_frame *f, size_t col, size_t r, double v);
void dataset_frame_set_bool(struct dataset_frame *f, size_t col, size_t r, int v);
void dataset_frame_set_str(struct dataset_frame *f, size_t col, size_t r, const char *s);
void dataset_frame_set_time(struct dataset_frame *f, size_t col, size_t r, int64_t usec);
void dataset_frame_set_null(struct dataset_frame *f, size_t col, size_t r);

/* Column-wise building: appends one value (or a null) at the end of the column. */
void dataset_col_append_i64(struct dataset_col *c, int64_t v);  /* INT64 or TIMESTAMP */
void dataset_col_append_f64(struct dataset_col *c, double v);
void dataset_col_append_bool(struct dataset_col *c, int v);
void dataset_col_append_str(struct dataset_col *c, const char *s); /* NULL appends a null */
void dataset_col_append_null(struct dataset_col *c);
/* Interns s in a STRING column without adding a row; returns its code. */
uint32_t dataset_col_intern(struct dataset_col *c, const char *s);

/* Verifies that every column has the same length and sets f->nrows; ERR_INPUT names a ragged column. */
int dataset_frame_check(struct dataset_frame *f, struct err *e);

/* Accessors for row r. */
static inline int dataset_col_is_null(const struct dataset_col *c, size_t r)
{
	return c->nulls && (c->nulls[r >> 3] >> (r & 7) & 1);
}
/* The string of row r, or NULL when null. */
static inline const char *dataset_col_str(const struct dataset_col *c, size_t r)
{
	return dataset_col_is_null(c, r) ? NULL : c->dict[c->code[r]];
}
/* A numeric view of row r (int64, float64, bool, timestamp); NaN when null or a string. */
double dataset_col_num(const struct dataset_col *c, size_t r);
/* Writes a stable text key of row r into out (ints in decimal, "true"/"false", strings as is, "null"). */
void dataset_col_key(const struct dataset_col *c, size_t r, struct buf *out);

/* From now on, nulls of column col are "not applicable" unless marked missing (see struct dataset_col). */
void dataset_frame_track_missing(struct dataset_frame *f, size_t col);
/* Makes row r of column col null because its input is missing (tracks the column if it did not). */
void dataset_frame_set_missing(struct dataset_frame *f, size_t col, size_t r);
/* 1 when row r is null for want of an input (any null of a column that does not track missing values). */
static inline int dataset_col_is_missing(const struct dataset_col *c, size_t r)
{
	return dataset_col_is_null(c, r) && (!c->missing || (c->missing[r >> 3] >> (r & 7) & 1));
}

/* Marks row r null (value set to 0) or not null. */
void dataset_col_set_nullbit(struct dataset_col *c, size_t r, int is_null);
/* Converts an INT64 (or BOOL) column to FLOAT64 in place, keeping nulls. */
void dataset_col_to_float(struct dataset_col *c);

/*
 * A new frame with rows rows[0..n) of f in that order (same columns, roles and
 * string values). The caller frees it.
 */
struct dataset_frame *dataset_frame_take(const struct dataset_frame *f, const uint32_t *rows, size_t n);
/* Keeps only the rows whose keep[r] is non-zero, in place; returns the new row count. */
size_t dataset_frame_filter(struct dataset_frame *f, const uint8_t *keep);

#endif

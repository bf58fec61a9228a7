/*
 * Printing query results: an aligned table on a terminal or a JSON array of
 * objects with --json. Each column has a type letter so that JSON gets real
 * types: 'i' integer, 'r' real, 's' string, 't' time (usec -> ISO-8601 UTC),
 * 'j' a JSON document stored as text, 'b' boolean (0/1).
 */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H
#include <jansson.h>
#include "store/store.h"

struct out_col {
	const char *name;
	char type;
};

/* Reads every row of c into a JSON array (the caller owns it). */
json_t *out_rows_json(struct store_cursor *c, const struct out_col *cols, size_t ncols, struct err *e);
/* One row as a JSON object (after store_next returned 1); from NULL: cols[i] is column i. */
json_t *out_row_json(struct store_cursor *c, const struct out_col *cols, const int *from, size_t ncols);
/* Prints rows as a table (text columns truncated at 60 characters). */
void out_print_table(json_t *rows, const struct out_col *cols, size_t ncols);
/* Prints one object as "key: value" lines. */
void out_print_object(json_t *obj);
/*
 * Prints the rows of c (a listing of store/, freed here): a JSON array of objects with every column when
 * json, else a table of the first ntable columns (0: all). Rows stream: JSON
 * rows are printed as they are read; a table holds at most OUT_WIDTH_ROWS rows
 * (the first ones set the column widths), so a listing of any length runs in
 * bounded memory (on SQLite; libpq receives a whole result before the first row).
 */
#define OUT_WIDTH_ROWS 1000
int out_cursor(struct store_cursor *c, int json, const struct out_col *cols, size_t ncols, size_t ntable,
	       struct err *e);
/* The same for a listing whose columns come in another order: cols[i] shows cursor column from[i]. */
int out_cursor_pick(struct store_cursor *c, int json, const struct out_col *cols, const int *from, size_t ncols,
		    size_t ntable, struct err *e);
/* Prints v as pretty JSON on stdout. */
void out_print_json(json_t *v);
/* One document as --json asks: pretty JSON when json, else "key: value" lines. */
void out_print_doc(int json, json_t *obj);

#endif

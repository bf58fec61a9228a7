/* Table and JSON printing of query results (see output.h). */
#include "cli/output.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/utf8.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Text as a JSON string; bytes that are not UTF-8 (which jansson refuses, dropping the key) become U+FFFD. */
static json_t *text_value(const char *t)
{
	json_t *v = json_string(t);
	if (!v && t) {
		char *fixed = utf8_repair(t);
		v = json_string(fixed);
		free(fixed);
	}
	return v ? v : json_null();
}

json_t *out_row_json(struct store_cursor *c, const struct out_col *cols, const int *from, size_t ncols)
{
	json_t *o = json_object();
	for (size_t i = 0; i < ncols; i++) {
		int col = from ? from[i] : (int)i;
		json_t *v = json_null();
		if (!store_col_isnull(c, col)) {
			switch (cols[i].type) {
			case 'i': v = json_integer(store_col_int(c, col)); break;
			case 'r': v = json_real(store_col_real(c, col)); break;
			case 'b': v = json_boolean(store_col_int(c, col) != 0); break;
			case 't': {
				char ts[UTC_FMT_MAX];
				v = json_string(utc_format(store_col_int(c, col), ts));
				break;
			}
			case 'j': {
				const char *t = store_col_text(c, col);
				v = json_loads(t, JSON_DECODE_ANY, NULL);
				if (!v)
					v = text_value(t);
				break;
			}
			default: v = text_value(store_col_text(c, col)); break;
			}
		}
		json_object_set_new(o, cols[i].name, v);
	}
	return o;
}

json_t *out_rows_json(struct store_cursor *c, const struct out_col *cols, size_t ncols, struct err *e)
{
	json_t *arr = json_array();
	int rc;
	while ((rc = store_next(c, e)) == 1)
		json_array_append_new(arr, out_row_json(c, cols, NULL, ncols));
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static void cell(json_t *v, char *out, size_t n)
{
	if (!v || json_is_null(v))
		snprintf(out, n, "-");
	else if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.2f", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(out, n, "%s", json_is_true(v) ? "yes" : "no");
	else {
		char *d = json_dumps(v, JSON_COMPACT);
		snprintf(out, n, "%s", d ? d : "");
		free(d);
	}
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	if (strlen(out) > 60)
		strcpy(out + 57, "...");
}

static void widen(size_t width[32], json_t *rows, const struct out_col *cols, size_t ncols)
{
	char buf[128];
	size_t r;
	json_t *row;
	json_array_foreach(rows, r, row) {
		for (size_t i = 0; i < ncols && i < 32; i++) {
			cell(json_object_get(row, cols[i].name), buf, sizeof(buf));
			if (strlen(buf) > width[i])
				width[i] = strlen(buf);
		}
	}
}

static void print_header(const size_t width[32], const struct out_col *cols, size_t ncols)
{
	for (size_t i = 0; i < ncols && i < 32; i++)
		printf("%-*s%s", (int)width[i], cols[i].name, i + 1 < ncols ? "  " : "\n");
}

static void print_rows(const size_t width[32], json_t *rows, const struct out_col *cols, size_t ncols)
{
	char buf[128];
	size_t r;
	json_t *row;
	json_array_foreach(rows, r, row) {
		for (size_t i = 0; i < ncols && i < 32; i++) {
			cell(json_object_get(row, cols[i].name), buf, sizeof(buf));
			printf("%-*s%s", (int)width[i], buf, i + 1 < ncols ? "  " : "\n");
		}
	}
}

void out_print_table(json_t *rows, const struct out_col *cols, size_t ncols)
{
	size_t width[32] = { 0 };
	for (size_t i = 0; i < ncols && i < 32; i++)
		width[i] = strlen(cols[i].name);
	widen(width, rows, cols, ncols);
	print_header(width, cols, ncols);
	print_rows(width, rows, cols, ncols);
}

void out_print_object(json_t *obj)
{
	const char *k;
	json_t *v;
	char buf[128];
	json_object_foreach(obj, k, v) {
		if (json_is_object(v) || json_is_array(v)) {
			char *d = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
			printf("%s: %s\n", k, d ? d : "");
			free(d);
		} else {
			cell(v, buf, sizeof(buf));
			printf("%s: %s\n", k, buf);
		}
	}
}

void out_print_json(json_t *v)
{
	char *d = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (d)
		puts(d);
	free(d);
}

int out_cursor(struct store_cursor *c, int json, const struct out_col *cols, size_t ncols, size_t ntable,
	       struct err *e)
{
	return out_cursor_pick(c, json, cols, NULL, ncols, ntable, e);
}

int out_cursor_pick(struct store_cursor *c, int json, const struct out_col *cols, const int *from, size_t ncols,
		    size_t ntable, struct err *e)
{
	int rc = 0;
	size_t nt = ntable ? ntable : ncols, width[32] = { 0 }, nrows = 0;
	for (size_t i = 0; i < nt && i < 32; i++)
		width[i] = strlen(cols[i].name);
	json_t *batch = json_array();
	/*
	 * Rows stream (a million-row source must not be held in memory): JSON
	 * rows are printed as they come, with the layout out_print_json gives an
	 * array; a table takes its column widths from the first OUT_WIDTH_ROWS
	 * rows and prints later rows at those widths.
	 */
	while ((rc = store_next(c, e)) == 1) {
		json_t *row = out_row_json(c, cols, from, ncols);
		if (json) {
			char *d = json_dumps(row, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputs(nrows ? ",\n  " : "[\n  ", stdout);
			for (const char *p = d ? d : "null"; *p; p++) {
				putchar(*p);
				if (*p == '\n')
					fputs("  ", stdout);
			}
			free(d);
			json_decref(row);
		} else {
			json_array_append_new(batch, row);
			if (json_array_size(batch) == OUT_WIDTH_ROWS) {
				if (nrows + 1 == OUT_WIDTH_ROWS) {
					widen(width, batch, cols, nt);
					print_header(width, cols, nt);
				}
				print_rows(width, batch, cols, nt);
				json_array_clear(batch);
			}
		}
		nrows++;
	}
	store_cursor_free(c);
	if (json)
		fputs(nrows ? "\n]\n" : "[]\n", stdout);
	else {
		if (nrows < OUT_WIDTH_ROWS) {
			widen(width, batch, cols, nt);
			print_header(width, cols, nt);
		}
		print_rows(width, batch, cols, nt);
	}
	json_decref(batch);
	return rc < 0 ? rc : 0;
}

void out_print_doc(int json, json_t *obj)
{
	if (json)
		out_print_json(obj);
	else
		out_print_object(obj);
}

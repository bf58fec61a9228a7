/* Table and JSON printing of query results (see output.h). */
#include "cli/output.h"
#include "core/json.h"
#include "core/utc.h"
#include <stdio.h>
#include <string.h>

json_t *out_row_json(struct store_cursor *c, const struct out_col *cols, size_t ncols)
{
	json_t *o = json_object();
	for (size_t i = 0; i < ncols; i++) {
		int col = (int)i;
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
					v = json_string(t);
				break;
			}
			default: v = json_string(store_col_text(c, col)); break;
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
		json_array_append_new(arr, out_row_json(c, cols, ncols));
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

void out_print_table(json_t *rows, const struct out_col *cols, size_t ncols)
{
	size_t width[32] = { 0 };
	char buf[128];
	for (size_t i = 0; i < ncols && i < 32; i++)
		width[i] = strlen(cols[i].name);
	size_t r;
	json_t *row;
	json_array_foreach(rows, r, row) {
		for (size_t i = 0; i < ncols && i < 32; i++) {
			cell(json_object_get(row, cols[i].name), buf, sizeof(buf));
			if (strlen(buf) > width[i])
				width[i] = strlen(buf);
		}
	}
	for (size_t i = 0; i < ncols && i < 32; i++)
		printf("%-*s%s", (int)width[i], cols[i].name, i + 1 < ncols ? "  " : "\n");
	json_array_foreach(rows, r, row) {
		for (size_t i = 0; i < ncols && i < 32; i++) {
			cell(json_object_get(row, cols[i].name), buf, sizeof(buf));
			printf("%-*s%s", (int)width[i], buf, i + 1 < ncols ? "  " : "\n");
		}
	}
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

int out_query(struct store *s, int json, const char *sql, size_t nparams, const struct store_val *params,
	      const struct out_col *cols, size_t ncols, size_t ntable, struct err *e)
{
	struct store_cursor *c;
	int rc = store_query(s, &c, e, sql, nparams, params);
	if (rc < 0)
		return rc;
	json_t *rows = out_rows_json(c, cols, ncols, e);
	store_cursor_free(c);
	if (!rows)
		return e->code;
	if (json)
		out_print_json(rows);
	else
		out_print_table(rows, cols, ntable ? ntable : ncols);
	json_decref(rows);
	return 0;
}

void out_print_doc(int json, json_t *obj)
{
	if (json)
		out_print_json(obj);
	else
		out_print_object(obj);
}

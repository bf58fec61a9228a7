/* The warehouse's tables (warehouse.h). */
#include "store/warehouse.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static void add_param(struct store_val **params, size_t *n, struct store_val v)
{
	*params = xrealloc(*params, (*n + 1) * sizeof(**params));
	(*params)[(*n)++] = v;
}

/* " AND <expr> IN (?, ?, ...)" over a list of strings, lower-cased when lower. */
static void in_list(struct buf *sql, const char *expr, const json_t *list, int lower, struct store_val **params,
		    size_t *n)
{
	buf_addf(sql, " AND %s IN (", expr);
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it) {
		buf_addstr(sql, i ? ", " : "");
		buf_addstr(sql, lower ? "LOWER(?)" : "?");
		add_param(params, n, sv_text(json_string_value(it)));
	}
	buf_addch(sql, ')');
}

void warehouse_filter_where(const json_t *ds, struct buf *sql, struct store_val **params, size_t *n)
{
	buf_addstr(sql, " WHERE 1 = 1");
	const char *by = core_json_str(ds, "filter_by", "all");
	if (strcmp(by, "by_language") == 0)
		in_list(sql, "LOWER(p.main_lang)", json_object_get(ds, "languages"), 1, params, n);
	else if (strcmp(by, "by_name") == 0)
		in_list(sql, "LOWER(p.full_name)", json_object_get(ds, "repo_names"), 1, params, n);
	else if (strcmp(by, "by_owner") == 0) {
		buf_addstr(sql, " AND (");
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(ds, "owners"), i, it) {
			buf_addstr(sql, i ? " OR " : "");
			/* A prefix comparison, not LIKE: '_' and '%' in an owner are plain characters. */
			buf_addstr(sql, "SUBSTR(LOWER(p.full_name), 1, LENGTH(?) + 1) = LOWER(?) || '/'");
			add_param(params, n, sv_text(json_string_value(it)));
			add_param(params, n, sv_text(json_string_value(it)));
		}
		buf_addch(sql, ')');
	}
	const char *prov = core_json_str(ds, "ci_provider", "all");
	if (strcmp(prov, "all") != 0) {
		buf_addstr(sql, " AND r.ci_provider = ?");
		add_param(params, n, sv_text(prov));
	}
	json_t *ids = json_object_get(ds, "source_ids");
	if (json_array_size(ids) > 0) {
		buf_addstr(sql, " AND r.id IN (SELECT raw_run_id FROM source_builds WHERE raw_run_id IS NOT NULL AND source_id IN (");
		size_t i;
		json_t *it;
		json_array_foreach(ids, i, it) {
			buf_addstr(sql, i ? ", ?" : "?");
			add_param(params, n, sv_int(json_integer_value(it)));
		}
		buf_addstr(sql, "))");
	}
	int64_t t;
	const char *d0 = core_json_str(ds, "date_start", NULL), *d1 = core_json_str(ds, "date_end", NULL);
	if (d0 && utc_parse(&t, d0, NULL) == 0) {
		buf_addstr(sql, " AND r.created_at >= ?");
		add_param(params, n, sv_int(t));
	}
	if (d1 && utc_parse(&t, d1, NULL) == 0) { /* inclusive day: before the next midnight */
		buf_addstr(sql, " AND r.created_at < ?");
		add_param(params, n, sv_int(t + USEC_PER_DAY));
	}
	json_t *concl = json_object_get(ds, "conclusions");
	if (json_array_size(concl) > 0)
		in_list(sql, "r.conclusion", concl, 0, params, n);
	if (core_json_bool(ds, "exclude_bots", 1))
		buf_addstr(sql, " AND r.is_bot = 0");
}

int warehouse_filter_counts(struct store *s, struct store_cursor **out, const json_t *ds, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_val *params = NULL;
	size_t n = 0;
	buf_addstr(&sql, "SELECT p.full_name, COUNT(*), SUM(CASE WHEN r.conclusion = 'success' THEN 1 ELSE 0 END),"
			 " SUM(CASE WHEN r.conclusion = 'failure' THEN 1 ELSE 0 END), MIN(r.created_at), MAX(r.created_at),"
			 " p.ci_provider FROM raw_build_runs r JOIN raw_repositories p ON p.id = r.raw_repo_id");
	warehouse_filter_where(ds, &sql, &params, &n);
	/* By repository row, not name: one name at two providers is two repositories to ingest. */
	buf_addstr(&sql, " GROUP BY p.id, p.full_name, p.ci_provider ORDER BY p.full_name, p.ci_provider");
	int rc = store_query(s, out, e, buf_cstr(&sql), n, params);
	free(params);
	buf_release(&sql);
	return rc;
}

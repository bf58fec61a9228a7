/* Scenario rows, the warehouse filter and the preview (see scenario.h). */
#include "pipeline/scenario.h"
#include "store/events.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "store/status.h"
#include <stdio.h>
#include <string.h>

static const char *const sections[] = { "data_source_config", "feature_config", "splitting_config",
					"preprocessing_config", "output_config" };

int scenario_create(struct store *s, json_t *config, int64_t *id_out, struct err *e)
{
	char *sec[5];
	for (int i = 0; i < 5; i++)
		sec[i] = json_dumps(json_object_get(config, sections[i]),
				    JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	int64_t now = utc_now();
	struct store_val p[] = { sv_text(core_json_str(config, "name", "")), sv_text(core_json_str(config, "description", "")),
				 sv_text(core_json_str(config, "version", "1")), sv_text(sec[0]), sv_text(sec[1]),
				 sv_text(sec[2]), sv_text(sec[3]), sv_text(sec[4]), sv_int(now), sv_int(now) };
	int rc = store_insert_id(s, id_out, e,
				 "INSERT INTO training_scenarios (name, description, version, data_source_config, feature_config,"
				 " splitting_config, preprocessing_config, output_config, created_at, updated_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				 10, p);
	for (int i = 0; i < 5; i++)
		free(sec[i]);
	return rc;
}

json_t *scenario_load(struct store *s, int64_t id, struct err *e)
{
	static const char *ints[] = { "builds_total", "builds_ingested", "builds_missing_resource", "builds_failed",
				      "builds_processed", "builds_partial", "builds_processing_failed" };
	static const char *times[] = { "created_at", "updated_at", "ingestion_started_at", "ingestion_completed_at",
				       "processing_started_at", "processing_completed_at", "generation_started_at",
				       "generation_completed_at" };
	struct store_cursor *c;
	struct store_val p[] = { sv_int(id) };
	if (store_query(s, &c, e,
			"SELECT id, name, description, version, status, error_message, data_source_config, feature_config,"
			" splitting_config, preprocessing_config, output_config, builds_total, builds_ingested,"
			" builds_missing_resource, builds_failed, builds_processed, builds_partial, builds_processing_failed,"
			" created_at, updated_at, ingestion_started_at, ingestion_completed_at, processing_started_at,"
			" processing_completed_at, generation_started_at, generation_completed_at"
			" FROM training_scenarios WHERE id = ?",
			1, p) < 0)
		return NULL;
	json_t *o = NULL;
	int rc = store_next(c, e);
	if (rc == 0)
		err_set(e, ERR_NOT_FOUND, "scenario %lld does not exist; 'ciminer scenario list' shows them", (long long)id);
	if (rc == 1) {
		o = json_object();
		json_object_set_new(o, "id", json_integer(store_col_int(c, 0)));
		core_json_set_str(o, "name", store_col_text(c, 1));
		core_json_set_str(o, "description", store_col_text(c, 2));
		core_json_set_str(o, "version", store_col_text(c, 3));
		core_json_set_str(o, "status", store_col_text(c, 4));
		core_json_set_str(o, "error_message", store_col_text(c, 5));
		for (int i = 0; i < 5; i++) {
			json_t *v = json_loads(store_col_text(c, 6 + i), 0, NULL);
			json_object_set_new(o, sections[i], v ? v : json_object());
		}
		for (int i = 0; i < 7; i++)
			json_object_set_new(o, ints[i], json_integer(store_col_int(c, 11 + i)));
		for (int i = 0; i < 8; i++)
			core_json_set_time(o, times[i], store_col_int_or(c, 18 + i, INT64_MIN));
	}
	store_cursor_free(c);
	return o;
}

int scenario_check_exists(struct store *s, int64_t id, struct err *e)
{
	int64_t n = 0;
	struct store_val p[] = { sv_int(id) };
	int rc = store_query_int(s, &n, e, "SELECT COUNT(*) FROM training_scenarios WHERE id = ?", 1, p);
	if (rc == 0 && n == 0)
		rc = err_set(e, ERR_NOT_FOUND, "scenario %lld does not exist; 'ciminer scenario list' shows them", (long long)id);
	return rc;
}

int scenario_delete(struct store *s, const char *data_dir, int64_t id, struct err *e)
{
	struct store_val p[] = { sv_int(id) };
	int64_t n = 0;
	int rc = store_begin(s, e);
	/* Children first: enrichment builds point at ingestion builds and vectors. */
	static const char *tables[] = { "training_enrichment_builds", "feature_vectors", "training_ingestion_builds",
					"training_dataset_splits", "events" };
	for (size_t i = 0; rc == 0 && i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE scenario_id = ?", tables[i]);
		rc = store_exec(s, e, NULL, sql, 1, p);
	}
	if (rc == 0)
		rc = store_exec(s, e, &n, "DELETE FROM training_scenarios WHERE id = ?", 1, p);
	if (rc == 0 && n == 0)
		rc = err_set(e, ERR_NOT_FOUND, "scenario %lld does not exist; 'ciminer scenario list' shows them", (long long)id);
	rc = store_tx_end(s, rc, e);
	if (rc == 0) {
		char *dir = xasprintf("%s/datasets/%lld", data_dir, (long long)id);
		rc = fs_remove_tree(dir, e);
		free(dir);
	}
	return rc;
}

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

void scenario_filter_where(const json_t *ds, struct buf *sql, struct store_val **params, size_t *n)
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

json_t *scenario_preview(struct store *s, const json_t *config, struct err *e)
{
	const json_t *ds = json_object_get(config, "data_source_config");
	struct buf sql = BUF_INIT;
	struct store_val *params = NULL;
	size_t n = 0;
	buf_addstr(&sql, "SELECT p.full_name, COUNT(*), SUM(CASE WHEN r.conclusion = 'success' THEN 1 ELSE 0 END),"
			 " SUM(CASE WHEN r.conclusion = 'failure' THEN 1 ELSE 0 END), MIN(r.created_at), MAX(r.created_at),"
			 " p.ci_provider FROM raw_build_runs r JOIN raw_repositories p ON p.id = r.raw_repo_id");
	scenario_filter_where(ds, &sql, &params, &n);
	/* By repository row, not name: one name at two providers is two repositories to ingest. */
	buf_addstr(&sql, " GROUP BY p.id, p.full_name, p.ci_provider ORDER BY p.full_name, p.ci_provider");
	struct store_cursor *c;
	json_t *out = NULL;
	if (store_query(s, &c, e, buf_cstr(&sql), n, params) == 0) {
		json_t *per = json_array();
		int64_t total = 0, ok = 0, fail = 0, lo = INT64_MAX, hi = INT64_MIN;
		int rc;
		while ((rc = store_next(c, e)) == 1) {
			int64_t t = store_col_int(c, 1);
			total += t;
			ok += store_col_int(c, 2);
			fail += store_col_int(c, 3);
			if (!store_col_isnull(c, 4) && store_col_int(c, 4) < lo)
				lo = store_col_int(c, 4);
			if (!store_col_isnull(c, 5) && store_col_int(c, 5) > hi)
				hi = store_col_int(c, 5);
			json_array_append_new(per, json_pack("{s:s, s:s, s:I, s:I, s:I}", "repo_name", store_col_text(c, 0),
							     "ci_provider", store_col_text(c, 6), "builds", (json_int_t)t,
							     "success", (json_int_t)store_col_int(c, 2), "failure",
							     (json_int_t)store_col_int(c, 3)));
		}
		store_cursor_free(c);
		if (rc == 0) {
			out = json_pack("{s:I, s:I, s:I, s:f, s:I, s:f}", "total_builds", (json_int_t)total, "repositories",
					(json_int_t)json_array_size(per), "success", (json_int_t)ok, "success_pct",
					total ? 100.0 * (double)ok / (double)total : 0.0, "failure", (json_int_t)fail,
					"failure_pct", total ? 100.0 * (double)fail / (double)total : 0.0);
			char a[UTC_FMT_MAX], b[UTC_FMT_MAX];
			json_object_set_new(out, "date_start", total ? json_string(utc_format_date(lo, a)) : json_null());
			json_object_set_new(out, "date_end", total ? json_string(utc_format_date(hi, b)) : json_null());
			json_object_set_new(out, "per_repository", per);
		} else {
			json_decref(per);
		}
	}
	free(params);
	buf_release(&sql);
	return out;
}

int scenario_fail(struct store *s, int64_t id, const char *reason, struct err *e)
{
	struct store_val p[] = { sv_text(reason), sv_int(id) };
	int rc = store_status_set(s, ENT_SCENARIO, id, NULL, "failed", e);
	if (rc == 0)
		rc = store_exec(s, e, NULL, "UPDATE training_scenarios SET error_message = ? WHERE id = ?", 2, p);
	if (rc == 0)
		rc = events_scenario_update(s, id, reason, e);
	return rc;
}

int scenario_phase_started(struct store *s, int64_t id, const char *phase, struct err *e)
{
	char sql[160];
	snprintf(sql, sizeof(sql),
		 "UPDATE training_scenarios SET %s_started_at = ?, %s_completed_at = NULL, error_message = NULL WHERE id = ?",
		 phase, phase);
	struct store_val p[] = { sv_int(utc_now()), sv_int(id) };
	return store_exec(s, e, NULL, sql, 2, p);
}

/* set_counters: "col = (SELECT COUNT(*) ...), ..." over training_scenarios; updated_at is added. */
static int refresh_counters(struct store *s, int64_t id, const char *set_counters, const char *message, struct err *e)
{
	char sql[1024];
	snprintf(sql, sizeof(sql), "UPDATE training_scenarios SET %s, updated_at = ? WHERE id = ?", set_counters);
	struct store_val p[] = { sv_int(utc_now()), sv_int(id) };
	int rc = store_exec(s, e, NULL, sql, 2, p);
	if (rc == 0)
		rc = events_scenario_update(s, id, message, e);
	return rc;
}

int scenario_refresh_ingestion_counters(struct store *s, int64_t id, const char *message, struct err *e)
{
	return refresh_counters(
		s, id,
		"builds_total = (SELECT COUNT(*) FROM training_ingestion_builds b WHERE b.scenario_id = training_scenarios.id),"
		" builds_ingested = (SELECT COUNT(*) FROM training_ingestion_builds b WHERE b.scenario_id = training_scenarios.id AND b.status = 'ingested'),"
		" builds_missing_resource = (SELECT COUNT(*) FROM training_ingestion_builds b WHERE b.scenario_id = training_scenarios.id AND b.status = 'missing_resource'),"
		" builds_failed = (SELECT COUNT(*) FROM training_ingestion_builds b WHERE b.scenario_id = training_scenarios.id AND b.status = 'failed')",
		message, e);
}

int scenario_add_processing_counters(struct store *s, int64_t id, int64_t processed, int64_t partial, int64_t failed,
				     const char *message, struct err *e)
{
	struct store_val p[] = { sv_int(processed), sv_int(partial), sv_int(failed), sv_int(utc_now()), sv_int(id) };
	int rc = store_exec(s, e, NULL,
			    "UPDATE training_scenarios SET builds_processed = builds_processed + ?,"
			    " builds_partial = builds_partial + ?, builds_processing_failed = builds_processing_failed + ?,"
			    " updated_at = ? WHERE id = ?",
			    5, p);
	if (rc == 0)
		rc = events_scenario_update(s, id, message, e);
	return rc;
}

int scenario_refresh_processing_counters(struct store *s, int64_t id, const char *message, struct err *e)
{
	return refresh_counters(
		s, id,
		"builds_processed = (SELECT COUNT(*) FROM training_enrichment_builds b WHERE b.scenario_id = training_scenarios.id"
		" AND b.extraction_status IN ('completed', 'partial')),"
		" builds_partial = (SELECT COUNT(*) FROM training_enrichment_builds b WHERE b.scenario_id = training_scenarios.id"
		" AND b.extraction_status = 'partial'),"
		" builds_processing_failed = (SELECT COUNT(*) FROM training_enrichment_builds b WHERE b.scenario_id = training_scenarios.id"
		" AND b.extraction_status = 'failed')",
		message, e);
}

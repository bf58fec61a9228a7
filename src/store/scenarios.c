/* Scenario rows (scenarios.h). */
#include "store/scenarios.h"
#include "store/builds.h"
#include "store/enrichment.h"
#include "store/events.h"
#include "store/splits.h"
#include "store/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/utc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sections[] = { "data_source_config", "feature_config", "splitting_config",
					"preprocessing_config", "output_config" };

int scenarios_create(struct store *s, json_t *config, int64_t *id_out, struct err *e)
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

static int not_found(struct err *e, int64_t id)
{
	return err_set(e, ERR_NOT_FOUND, "scenario %lld does not exist; 'ciminer scenario list' shows them", (long long)id);
}

json_t *scenarios_load(struct store *s, int64_t id, struct err *e)
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
		not_found(e, id);
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

int scenarios_check_exists(struct store *s, int64_t id, struct err *e)
{
	int64_t n = 0;
	struct store_val p[] = { sv_int(id) };
	int rc = store_query_int(s, &n, e, "SELECT COUNT(*) FROM training_scenarios WHERE id = ?", 1, p);
	if (rc == 0 && n == 0)
		rc = not_found(e, id);
	return rc;
}

int scenarios_delete(struct store *s, int64_t id, struct err *e)
{
	struct store_val p[] = { sv_int(id) };
	int64_t n = 0;
	int rc = store_begin(s, e);
	/* Children first: enrichment builds point at ingestion builds and vectors. */
	if (rc == 0)
		rc = builds_delete_scenario(s, &enrichment_builds, id, e);
	if (rc == 0)
		rc = feature_vectors_delete_scenario(s, id, e);
	if (rc == 0)
		rc = builds_delete_scenario(s, &ingestion_builds, id, e);
	if (rc == 0)
		rc = splits_delete_scenario(s, id, e);
	if (rc == 0)
		rc = events_delete_scenario(s, id, e);
	if (rc == 0)
		rc = store_exec(s, e, &n, "DELETE FROM training_scenarios WHERE id = ?", 1, p);
	if (rc == 0 && n == 0)
		rc = not_found(e, id);
	return store_tx_end(s, rc, e);
}

int scenarios_find_by_name(struct store *s, int64_t **ids, size_t *n, const char *name, struct err *e)
{
	struct store_val p[] = { sv_text(name) };
	return store_query_ints(s, ids, n, e, "SELECT id FROM training_scenarios WHERE name = ? ORDER BY id", 1, p);
}

static int known(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

int scenarios_section(struct store *s, char **out, int64_t id, const char *section, struct err *e)
{
	if (!known(sections, 5, section))
		return err_set(e, ERR_INTERNAL, "'%s' is not a scenario configuration section", section);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT %s FROM training_scenarios WHERE id = ?", section);
	struct store_val p[] = { sv_int(id) };
	int rc = store_query_text(s, out, e, sql, 1, p);
	return rc == ERR_NOT_FOUND ? not_found(e, id) : rc;
}

int scenarios_fail(struct store *s, int64_t id, const char *reason, struct err *e)
{
	struct store_val p[] = { sv_text(reason), sv_int(id) };
	int rc = store_status_set(s, ENT_SCENARIO, id, NULL, "failed", e);
	if (rc == 0)
		rc = store_exec(s, e, NULL, "UPDATE training_scenarios SET error_message = ? WHERE id = ?", 2, p);
	if (rc == 0)
		rc = events_scenario_update(s, id, reason, e);
	return rc;
}

static const char *const phases[] = { "ingestion", "processing", "generation" };

int scenarios_phase_started(struct store *s, int64_t id, const char *phase, struct err *e)
{
	if (!known(phases, 3, phase))
		return err_set(e, ERR_INTERNAL, "'%s' is not a scenario phase", phase);
	char sql[160];
	snprintf(sql, sizeof(sql),
		 "UPDATE training_scenarios SET %s_started_at = ?, %s_completed_at = NULL, error_message = NULL WHERE id = ?",
		 phase, phase);
	struct store_val p[] = { sv_int(utc_now()), sv_int(id) };
	return store_exec(s, e, NULL, sql, 2, p);
}

int scenarios_phase_completed(struct store *s, int64_t id, const char *phase, struct err *e)
{
	if (!known(phases, 3, phase))
		return err_set(e, ERR_INTERNAL, "'%s' is not a scenario phase", phase);
	char sql[128];
	snprintf(sql, sizeof(sql), "UPDATE training_scenarios SET %s_completed_at = ? WHERE id = ?", phase);
	struct store_val p[] = { sv_int(utc_now()), sv_int(id) };
	return store_exec(s, e, NULL, sql, 2, p);
}

int scenarios_counters(struct store *s, struct scenarios_counters *out, int64_t id, struct err *e)
{
	struct store_cursor *c;
	struct store_val p[] = { sv_int(id) };
	int rc = store_query(s, &c, e,
			     "SELECT status, builds_total, builds_ingested, builds_missing_resource, builds_failed,"
			     " builds_processed, builds_partial, builds_processing_failed FROM training_scenarios WHERE id = ?",
			     1, p);
	if (rc < 0)
		return rc;
	if ((rc = store_next(c, e)) == 1) {
		snprintf(out->status, sizeof(out->status), "%s", store_col_text(c, 0));
		int64_t *v[] = { &out->builds_total, &out->builds_ingested, &out->builds_missing_resource,
				 &out->builds_failed, &out->builds_processed, &out->builds_partial,
				 &out->builds_processing_failed };
		for (int i = 0; i < 7; i++)
			*v[i] = store_col_int(c, i + 1);
	}
	store_cursor_free(c);
	if (rc == 0)
		rc = err_set(e, ERR_NOT_FOUND, "scenario %lld does not exist", (long long)id);
	return rc < 0 ? rc : 0;
}

/* The count of the builds in status `value` among status_values(ent), from counts[]. */
static int64_t count_of(enum status_entity ent, const int64_t *counts, const char *value)
{
	const char *const *v = status_values(ent);
	for (size_t i = 0; v[i]; i++)
		if (strcmp(v[i], value) == 0)
			return counts[i];
	return 0;
}

/* Stores n counters (names[i] = v[i]) and updated_at, then emits SCENARIO_UPDATE. */
static int set_counters(struct store *s, int64_t id, const char *const *names, const int64_t *v, size_t n,
			const char *message, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_val p[8];
	buf_addstr(&sql, "UPDATE training_scenarios SET");
	for (size_t i = 0; i < n; i++) {
		buf_addf(&sql, " %s = ?,", names[i]);
		p[i] = sv_int(v[i]);
	}
	buf_addstr(&sql, " updated_at = ? WHERE id = ?");
	p[n] = sv_int(utc_now());
	p[n + 1] = sv_int(id);
	int rc = store_exec(s, e, NULL, buf_cstr(&sql), n + 2, p);
	buf_release(&sql);
	if (rc == 0)
		rc = events_scenario_update(s, id, message, e);
	return rc;
}

int scenarios_refresh_ingestion_counters(struct store *s, int64_t id, const char *message, struct err *e)
{
	int64_t counts[16];
	int rc = builds_count_by_status(s, counts, &ingestion_builds, id, e);
	if (rc < 0)
		return rc;
	static const char *const names[] = { "builds_total", "builds_ingested", "builds_missing_resource",
					     "builds_failed" };
	int64_t total = 0;
	for (size_t i = 0; status_values(ENT_INGESTION_BUILD)[i]; i++)
		total += counts[i];
	int64_t v[] = { total, count_of(ENT_INGESTION_BUILD, counts, "ingested"),
			count_of(ENT_INGESTION_BUILD, counts, "missing_resource"),
			count_of(ENT_INGESTION_BUILD, counts, "failed") };
	return set_counters(s, id, names, v, 4, message, e);
}

int scenarios_refresh_processing_counters(struct store *s, int64_t id, const char *message, struct err *e)
{
	int64_t counts[16];
	int rc = builds_count_by_status(s, counts, &enrichment_builds, id, e);
	if (rc < 0)
		return rc;
	static const char *const names[] = { "builds_processed", "builds_partial", "builds_processing_failed" };
	int64_t partial = count_of(ENT_EXTRACTION, counts, "partial");
	int64_t v[] = { count_of(ENT_EXTRACTION, counts, "completed") + partial, partial,
			count_of(ENT_EXTRACTION, counts, "failed") };
	return set_counters(s, id, names, v, 3, message, e);
}

int scenarios_add_processing_counters(struct store *s, int64_t id, int64_t processed, int64_t partial, int64_t failed,
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

#define SCENARIO_LIST                                                                                              \
	"SELECT id, name, status, builds_total, builds_ingested, builds_missing_resource, builds_failed,"          \
	" builds_processed, created_at, builds_partial, builds_processing_failed, updated_at, description"         \
	" FROM training_scenarios"

static const struct store_sort_key scenario_keys[] = {
	{ "id", "id" }, { "name", "name" }, { "status", "status" }, { "created_at", "created_at" }, { NULL, NULL }
};

int scenarios_list(struct store *s, struct store_cursor **out, const struct store_page *pg, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_addstr(&sql, SCENARIO_LIST);
	int rc = store_page_status(&sql, pg, ENT_SCENARIO, " WHERE", "status", e);
	size_t np = rc > 0;
	if (rc >= 0)
		rc = store_page_append(&sql, pg, scenario_keys, "id", e);
	struct store_val p[] = { sv_text(pg->status) };
	if (rc >= 0)
		rc = store_query(s, out, e, buf_cstr(&sql), np, p);
	buf_release(&sql);
	return rc;
}

int scenarios_count(struct store *s, int64_t *total, const struct store_page *pg, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_addstr(&sql, "SELECT COUNT(*) FROM training_scenarios");
	int rc = store_page_status(&sql, pg, ENT_SCENARIO, " WHERE", "status", e);
	struct store_val p[] = { sv_text(pg->status) };
	if (rc >= 0)
		rc = store_query_int(s, total, e, buf_cstr(&sql), rc > 0, p);
	buf_release(&sql);
	return rc;
}

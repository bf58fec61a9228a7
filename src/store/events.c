/* Event rows for the live stream (see events.h). */
#include "store/events.h"
#include "store/scenarios.h"
#include "store/sources.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <stdlib.h>

int events_emit(struct store *s, const char *kind, int64_t scenario_id, int64_t source_id, json_t *payload,
		struct err *e)
{
	char *txt = core_json_dumps(payload);
	struct store_val p[] = { sv_text(kind), scenario_id ? sv_int(scenario_id) : sv_null(),
				 source_id ? sv_int(source_id) : sv_null(), sv_text(txt), sv_int(utc_now()) };
	int rc = store_exec(s, e, NULL,
			    "INSERT INTO events (kind, scenario_id, source_id, payload, created_at) VALUES (?, ?, ?, ?, ?)", 5,
			    p);
	free(txt);
	return rc;
}

int events_scenario_update(struct store *s, int64_t scenario_id, const char *message, struct err *e)
{
	struct scenarios_counters sc;
	int rc = scenarios_counters(s, &sc, scenario_id, e);
	if (rc < 0)
		return rc;
	json_t *ev = json_pack("{s:s, s:I, s:s, s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "event", "SCENARIO_UPDATE",
			       "scenario_id", (json_int_t)scenario_id, "status", sc.status, "message",
			       message ? message : "", "stats", "builds_total", (json_int_t)sc.builds_total,
			       "builds_ingested", (json_int_t)sc.builds_ingested, "builds_missing_resource",
			       (json_int_t)sc.builds_missing_resource, "builds_failed", (json_int_t)sc.builds_failed,
			       "builds_processed", (json_int_t)sc.builds_processed, "builds_partial",
			       (json_int_t)sc.builds_partial, "builds_processing_failed",
			       (json_int_t)sc.builds_processing_failed);
	rc = events_emit(s, "SCENARIO_UPDATE", scenario_id, 0, ev, e);
	json_decref(ev);
	return rc;
}

int events_source_update(struct store *s, int64_t source_id, const char *message, struct err *e)
{
	struct sources_stats st;
	int rc = sources_stats(s, &st, source_id, e);
	if (rc < 0)
		return rc;
	json_t *ev = json_pack("{s:s, s:I, s:s, s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "event", "SOURCE_UPDATE",
			       "source_id", (json_int_t)source_id, "status", st.status, "message", message ? message : "",
			       "stats", "total", (json_int_t)st.total, "found", (json_int_t)st.found, "not_found",
			       (json_int_t)st.not_found, "filtered", (json_int_t)st.filtered, "invalid",
			       (json_int_t)st.invalid, "duplicates", (json_int_t)st.duplicates);
	rc = events_emit(s, "SOURCE_UPDATE", 0, source_id, ev, e);
	json_decref(ev);
	return rc;
}

int events_delete_scenario(struct store *s, int64_t scenario_id, struct err *e)
{
	struct store_val p[] = { sv_int(scenario_id) };
	return store_exec(s, e, NULL, "DELETE FROM events WHERE scenario_id = ?", 1, p);
}

/* The column that links an event to what it is about. */
static const char *about_column(enum events_about about)
{
	return about == EVENTS_OF_SOURCE ? "source_id" : "scenario_id";
}

int events_last_id(struct store *s, int64_t *last, enum events_about about, int64_t id, struct err *e)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT COALESCE(MAX(id), 0) FROM events WHERE %s = ?", about_column(about));
	struct store_val p[] = { sv_int(id) };
	return store_query_int(s, last, e, sql, 1, p);
}

int events_after(struct store *s, struct store_cursor **out, enum events_about about, int64_t id, int64_t after,
		 struct err *e)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT id, payload FROM events WHERE %s = ? AND id > ? ORDER BY id LIMIT 100",
		 about_column(about));
	struct store_val p[] = { sv_int(id), sv_int(after) };
	return store_query(s, out, e, sql, 2, p);
}

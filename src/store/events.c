/* Event rows for the live stream (see events.h). */
#include "store/events.h"
#include "store/sources.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
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

/*
 * The shape both update events share: {event, <id_key>, status, message,
 * stats{names[i]: column i+1}} from one row whose column 0 is the status.
 */
struct counters_event {
	const char *kind, *id_key, *what, *sql;
	const char *const *names;
	int nnames;
};

static int emit_counters(struct store *s, const struct counters_event *ce, int64_t id, int64_t scenario_id,
			 int64_t source_id, const char *message, struct err *e)
{
	struct store_cursor *c;
	struct store_val p[] = { sv_int(id) };
	int rc = store_query(s, &c, e, ce->sql, 1, p);
	if (rc < 0)
		return rc;
	if ((rc = store_next(c, e)) != 1) {
		store_cursor_free(c);
		return rc < 0 ? rc : err_set(e, ERR_NOT_FOUND, "%s %lld does not exist", ce->what, (long long)id);
	}
	json_t *stats = json_object();
	for (int i = 0; i < ce->nnames; i++)
		json_object_set_new(stats, ce->names[i], json_integer(store_col_int(c, i + 1)));
	json_t *ev = json_pack("{s:s, s:I, s:s, s:s, s:o}", "event", ce->kind, ce->id_key, (json_int_t)id, "status",
			       store_col_text(c, 0), "message", message ? message : "", "stats", stats);
	store_cursor_free(c);
	rc = events_emit(s, ce->kind, scenario_id, source_id, ev, e);
	json_decref(ev);
	return rc;
}

int events_scenario_update(struct store *s, int64_t scenario_id, const char *message, struct err *e)
{
	static const char *const names[] = { "builds_total", "builds_ingested", "builds_missing_resource",
					     "builds_failed", "builds_processed", "builds_partial",
					     "builds_processing_failed" };
	static const struct counters_event ce = {
		"SCENARIO_UPDATE", "scenario_id", "scenario",
		"SELECT status, builds_total, builds_ingested, builds_missing_resource, builds_failed, builds_processed,"
		" builds_partial, builds_processing_failed FROM training_scenarios WHERE id = ?",
		names, 7 };
	return emit_counters(s, &ce, scenario_id, scenario_id, 0, message, e);
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

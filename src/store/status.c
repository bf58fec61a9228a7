/* Status enums and the transition table (see status.h). */
#include "store/status.h"
#include "core/buf.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scenario_values[] = { "queued", "filtering", "ingesting", "ingested", "processing",
					       "processed", "splitting", "completed", "failed", NULL };
static const char *const ingestion_values[] = { "pending", "ingesting", "ingested", "missing_resource", "failed",
						NULL };
static const char *const extraction_values[] = { "pending", "in_progress", "completed", "partial", "failed",
						 NULL };
static const char *const validation_values[] = { "pending", "in_progress", "completed", "failed", NULL };
/* 'invalid' is ciminer's addition: a CSV row that could not be validated at all (docs/architecture.md). */
static const char *const source_build_values[] = { "pending", "found", "not_found", "filtered", "invalid", NULL };

struct transition {
	const char *from, *to; /* to: space-separated allowed targets */
};

/*
 * Why each retry edge exists: failed -> filtering/ingesting/processing/splitting
 * are the retry buttons of the specification; ingested -> ingesting is
 * retry-ingestion of the failed builds; processed/completed -> processing is
 * retry-processing; completed -> splitting regenerates the files.
 */
static const struct transition scenario_tx[] = {
	{ "queued", "filtering failed" },
	{ "filtering", "ingesting failed" },
	{ "ingesting", "ingested failed" },
	{ "ingested", "processing ingesting failed" },
	{ "processing", "processed failed" },
	{ "processed", "splitting processing ingesting failed" },
	{ "splitting", "completed failed" },
	{ "completed", "splitting processing" },
	{ "failed", "filtering ingesting processing splitting" },
	{ NULL, NULL },
};
static const struct transition ingestion_tx[] = {
	{ "pending", "ingesting ingested missing_resource failed" },
	{ "ingesting", "ingested missing_resource failed pending" },
	{ "failed", "pending ingesting" },
	{ NULL, NULL },
};
/* completed/partial -> pending: `scenario process` computes every build again (vectors are deterministic). */
static const struct transition extraction_tx[] = {
	{ "pending", "in_progress completed partial failed" },
	{ "in_progress", "completed partial failed pending" },
	{ "completed", "pending" },
	{ "partial", "pending" },
	{ "failed", "pending in_progress" },
	{ NULL, NULL },
};
static const struct transition validation_tx[] = {
	{ "pending", "in_progress failed" },
	{ "in_progress", "completed failed" },
	{ "completed", "in_progress" },
	{ "failed", "in_progress" },
	{ NULL, NULL },
};
static const struct transition source_build_tx[] = {
	{ "pending", "found not_found filtered invalid" },
	{ "found", "not_found filtered pending" },
	{ "not_found", "found filtered pending" },
	{ "filtered", "found not_found pending" },
	{ NULL, NULL },
};

static const struct {
	const char *name, *table, *column;
	const char *const *values;
	const struct transition *tx;
	int has_updated_at;
} entities[ENT_COUNT] = {
	[ENT_SCENARIO] = { "scenario", "training_scenarios", "status", scenario_values, scenario_tx, 1 },
	[ENT_INGESTION_BUILD] = { "ingestion build", "training_ingestion_builds", "status", ingestion_values,
				  ingestion_tx, 1 },
	[ENT_EXTRACTION] = { "enrichment build", "training_enrichment_builds", "extraction_status", extraction_values,
			     extraction_tx, 1 },
	[ENT_SOURCE_VALIDATION] = { "build source", "build_sources", "validation_status", validation_values,
				    validation_tx, 1 },
	[ENT_SOURCE_BUILD] = { "source build", "source_builds", "status", source_build_values, source_build_tx, 1 },
};

const char *const *status_values(enum status_entity ent) { return entities[ent].values; }
const char *status_entity_name(enum status_entity ent) { return entities[ent].name; }

int status_is_valid(enum status_entity ent, const char *value)
{
	for (const char *const *v = entities[ent].values; value && *v; v++)
		if (strcmp(*v, value) == 0)
			return 1;
	return 0;
}

int status_can_transition(enum status_entity ent, const char *from, const char *to)
{
	if (!status_is_valid(ent, from) || !status_is_valid(ent, to))
		return 0;
	for (const struct transition *t = entities[ent].tx; t->from; t++)
		if (strcmp(t->from, from) == 0)
			return str_has_word(t->to, to);
	return 0;
}

int status_check_transition(enum status_entity ent, int64_t id, const char *from, const char *to, struct err *e)
{
	if (!status_is_valid(ent, to))
		return err_set(e, ERR_INTERNAL, "'%s' is not a %s status", to, entities[ent].name);
	if (!status_can_transition(ent, from, to))
		return err_set(e, ERR_CONFLICT, "%s %lld is %s and cannot become %s", entities[ent].name, (long long)id,
			       from, to);
	return 0;
}

int store_status_get(struct store *s, enum status_entity ent, int64_t id, char **out, struct err *e)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE id = ?", entities[ent].column, entities[ent].table);
	struct store_val p[] = { sv_int(id) };
	int rc = store_query_text(s, out, e, sql, 1, p);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "%s %lld does not exist", entities[ent].name, (long long)id);
	return rc;
}

int store_status_set(struct store *s, enum status_entity ent, int64_t id, const char *expect_from, const char *to,
		     struct err *e)
{
	char *cur = NULL;
	int rc = store_status_get(s, ent, id, &cur, e);
	if (rc < 0)
		return rc;
	if (expect_from && strcmp(cur, expect_from) != 0)
		rc = err_set(e, ERR_CONFLICT, "%s %lld is %s, not %s; it cannot become %s", entities[ent].name,
			     (long long)id, cur, expect_from, to);
	if (rc == 0)
		rc = status_check_transition(ent, id, cur, to, e);
	if (rc == 0) {
		char sql[320];
		snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ?%s WHERE id = ? AND %s = ?", entities[ent].table,
			 entities[ent].column, entities[ent].has_updated_at ? ", updated_at = ?" : "",
			 entities[ent].column);
		struct store_val p[] = { sv_text(to), sv_int(utc_now()), sv_int(id), sv_text(cur) };
		struct store_val q[] = { sv_text(to), sv_int(id), sv_text(cur) };
		int64_t n = 0;
		rc = entities[ent].has_updated_at ? store_exec(s, e, &n, sql, 4, p) : store_exec(s, e, &n, sql, 3, q);
		if (rc == 0 && n != 1)
			rc = err_set(e, ERR_CONFLICT, "%s %lld changed from %s while moving it to %s; try again",
				     entities[ent].name, (long long)id, cur, to);
	}
	free(cur);
	return rc;
}

int status_check_moves(enum status_entity ent, int64_t id, const char *const *from, const char *to, struct err *e)
{
	int rc = 0;
	for (const char *const *f = from ? from : entities[ent].values; rc == 0 && *f; f++)
		if (strcmp(*f, to) != 0 || from)
			rc = status_check_transition(ent, id, *f, to, e);
	return rc;
}

void status_sources_sql(struct buf *sql, enum status_entity ent, const char *to)
{
	size_t n = 0;
	for (const char *const *v = entities[ent].values; *v; v++)
		if (status_can_transition(ent, *v, to))
			buf_addf(sql, "%s'%s'", n++ ? ", " : "", *v);
}

void status_list_sql(struct buf *sql, const char *const *values)
{
	for (size_t i = 0; values[i]; i++)
		buf_addf(sql, "%s'%s'", i ? ", " : "", values[i]);
}

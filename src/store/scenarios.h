/*
 * Training scenarios: the only place that names the training_scenarios table
 * (docs/architecture.md, "Storage"). A row keeps the effective configuration
 * one JSON section per column, its status (moved only by store_status_set(),
 * ENT_SCENARIO), the counters of the specification and the phase times.
 * Deleting a scenario deletes its builds, vectors, splits and events through
 * their own entity files.
 */
#ifndef STORE_SCENARIOS_H
#define STORE_SCENARIOS_H
#include <jansson.h>
#include <stdint.h>
#include "core/err.h"
#include "store/page.h"
#include "store/store.h"

/* Stores a validated configuration (name, description, version, five sections) as a new scenario (queued). */
int scenarios_create(struct store *s, json_t *config, int64_t *id_out, struct err *e);
/* The scenario as JSON: id, status, counters, times, error_message and the five config sections. */
json_t *scenarios_load(struct store *s, int64_t id, struct err *e);
/* 0 when the scenario exists, ERR_NOT_FOUND with a message naming it otherwise. */
int scenarios_check_exists(struct store *s, int64_t id, struct err *e);
/* Deletes the scenario and every row of its own (one transaction); never warehouse rows. */
int scenarios_delete(struct store *s, int64_t id, struct err *e);
/* The ids of the scenarios named name, oldest first; *ids (*n) is the caller's. */
int scenarios_find_by_name(struct store *s, int64_t **ids, size_t *n, const char *name, struct err *e);
/* One configuration section as JSON text (*out the caller's): data_source_config, feature_config, ... */
int scenarios_section(struct store *s, char **out, int64_t id, const char *section, struct err *e);

/* Sets FAILED with a reason (from any state that may fail) and emits SCENARIO_UPDATE. */
int scenarios_fail(struct store *s, int64_t id, const char *reason, struct err *e);
/* A phase ("ingestion", "processing", "generation") begins: its started_at now, completed_at and error cleared. */
int scenarios_phase_started(struct store *s, int64_t id, const char *phase, struct err *e);
/* A phase ended: its completed_at now. */
int scenarios_phase_completed(struct store *s, int64_t id, const char *phase, struct err *e);

struct scenarios_counters {
	char status[16];
	int64_t builds_total, builds_ingested, builds_missing_resource, builds_failed, builds_processed,
		builds_partial, builds_processing_failed;
};
/* The status and counters (ERR_NOT_FOUND when there is no such scenario). */
int scenarios_counters(struct store *s, struct scenarios_counters *out, int64_t id, struct err *e);
/* Recounts the ingestion counters from the ingestion builds and emits SCENARIO_UPDATE with message. */
int scenarios_refresh_ingestion_counters(struct store *s, int64_t id, const char *message, struct err *e);
/* Recounts the processing counters from the enrichment builds and emits SCENARIO_UPDATE. */
int scenarios_refresh_processing_counters(struct store *s, int64_t id, const char *message, struct err *e);
/*
 * Adds one batch's newly finished builds (processed = completed + partial) to
 * the processing counters and emits SCENARIO_UPDATE: constant time per batch,
 * where a recount reads every build of the scenario (quadratic over a phase).
 * The phase's fan-in recounts once at the end.
 */
int scenarios_add_processing_counters(struct store *s, int64_t id, int64_t processed, int64_t partial, int64_t failed,
				      const char *message, struct err *e);

/*
 * A page of scenarios (default order id; sort keys id, name, status,
 * created_at; pg->status filters). Columns: id, name, status, builds_total,
 * builds_ingested, builds_missing_resource, builds_failed, builds_processed,
 * created_at, builds_partial, builds_processing_failed, updated_at, description.
 */
int scenarios_list(struct store *s, struct store_cursor **out, const struct store_page *pg, struct err *e);
int scenarios_count(struct store *s, int64_t *total, const struct store_page *pg, struct err *e);

#endif

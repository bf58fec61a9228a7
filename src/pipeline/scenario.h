/*
 * Training scenarios (Phase 1-3 entry points). A scenario row keeps its
 * effective configuration (scenario_config.h) one JSON section per column,
 * its status (store/status.h) and the counters of the specification.
 *
 * Phase starts run in one transaction each: the status move, the rows they
 * create and the jobs they enqueue commit together, so a crash leaves either
 * the old state or the new one with its jobs queued.
 */
#ifndef PIPELINE_SCENARIO_H
#define PIPELINE_SCENARIO_H
#include <jansson.h>
#include <stdint.h>
#include "core/buf.h"
#include "store/store.h"

/* Stores a validated configuration as a new scenario (status queued). */
int scenario_create(struct store *s, json_t *config, int64_t *id_out, struct err *e);
/* The scenario as JSON: id, status, counters, times, error_message and the five config sections. */
json_t *scenario_load(struct store *s, int64_t id, struct err *e);
/* 0 when the scenario exists, ERR_NOT_FOUND with a message naming it otherwise. */
int scenario_check_exists(struct store *s, int64_t id, struct err *e);
/* Deletes the scenario's rows (cascade) and its dataset folder; never warehouse rows. */
int scenario_delete(struct store *s, const char *data_dir, int64_t id, struct err *e);

/*
 * The warehouse filter of data_source_config as SQL over raw_build_runs r
 * JOIN raw_repositories p: appends "WHERE ..." to sql and the parameters to
 * params (borrowing strings from ds, which must outlive the query).
 */
void scenario_filter_where(const json_t *ds, struct buf *sql, struct store_val **params, size_t *n);
/* Counts for the wizard's preview: total, repositories, success/failure with %, per repository, date span. */
json_t *scenario_preview(struct store *s, const json_t *config, struct err *e);

/* Phase 1: queued|failed -> filtering -> ingesting, with one ingest_repo job per repository. */
int scenario_ingest_start(struct store *s, int64_t id, struct err *e);
/* Re-runs the failed builds' resources: ingested|failed -> ingesting. */
int scenario_retry_ingestion(struct store *s, int64_t id, struct err *e);
/* Recounts the ingestion counters from the builds and emits SCENARIO_UPDATE. */
int scenario_refresh_ingestion_counters(struct store *s, int64_t id, const char *message, struct err *e);
/* Phase 2: ingested|processed|completed|failed -> processing, every ingested build (re)computed. */
int scenario_process_start(struct store *s, int64_t id, struct err *e);
/* Re-runs the failed enrichment builds only: processed|failed -> processing. */
int scenario_retry_processing(struct store *s, int64_t id, struct err *e);
/* Recounts the processing counters and emits SCENARIO_UPDATE. */
int scenario_refresh_processing_counters(struct store *s, int64_t id, const char *message, struct err *e);
/*
 * Adds one batch's newly finished builds (processed = completed + partial) to
 * the processing counters and emits SCENARIO_UPDATE: constant time per batch,
 * where a recount reads every build of the scenario (quadratic over a phase).
 * The phase's fan-in recounts once at the end.
 */
int scenario_add_processing_counters(struct store *s, int64_t id, int64_t processed, int64_t partial, int64_t failed,
				     const char *message, struct err *e);

/* Phase 3: processed|completed|failed -> splitting, one generate_dataset job. */
int scenario_generate_start(struct store *s, int64_t id, struct err *e);

/* A phase ("ingestion", "processing", "generation") begins: its started_at now, completed_at and error_message cleared. */
int scenario_phase_started(struct store *s, int64_t id, const char *phase, struct err *e);

/* Sets FAILED with a reason (from any state that may fail). */
int scenario_fail(struct store *s, int64_t id, const char *reason, struct err *e);

#endif

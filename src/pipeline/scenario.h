/*
 * Training scenarios (Phase 1-3 entry points). The rows themselves, their
 * status, counters and configuration sections are store/scenarios.h's.
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

/* Deletes the scenario's rows (cascade) and its dataset folder; never warehouse rows. */
int scenario_delete(struct store *s, const char *data_dir, int64_t id, struct err *e);

/* Counts for the wizard's preview: total, repositories, success/failure with %, per repository, date span. */
json_t *scenario_preview(struct store *s, const json_t *config, struct err *e);

/* Phase 1: queued|failed -> filtering -> ingesting, with one ingest_repo job per repository. */
int scenario_ingest_start(struct store *s, int64_t id, struct err *e);
/* Re-runs the failed builds' resources: ingested|failed -> ingesting. */
int scenario_retry_ingestion(struct store *s, int64_t id, struct err *e);
/* Phase 2: ingested|processed|completed|failed -> processing, every ingested build (re)computed. */
int scenario_process_start(struct store *s, int64_t id, struct err *e);
/* Re-runs the failed enrichment builds only: processed|failed -> processing. */
int scenario_retry_processing(struct store *s, int64_t id, struct err *e);
/* Phase 3: processed|completed|failed -> splitting, one generate_dataset job. */
int scenario_generate_start(struct store *s, int64_t id, struct err *e);

#endif

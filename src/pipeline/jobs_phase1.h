/* Job kinds of Phase 1 (ingestion queue). */
#ifndef PIPELINE_JOBS_PHASE1_H
#define PIPELINE_JOBS_PHASE1_H
#include "jobs/worker.h"

/* {"scenario_id", "raw_repo_id"}: mirror + commits + logs of one repository's pending builds. */
extern const struct job_kind job_kind_ingest_repo;
/* {"scenario_id"}: the fan-in: leftovers failed, counters, INGESTED or FAILED. */
extern const struct job_kind job_kind_ingest_finish;

/* Cap of one job log (CIMINER_LOG_CAP bytes; default 64 MiB); longer logs are truncated and marked. */
size_t ingest_log_cap(void);

#endif

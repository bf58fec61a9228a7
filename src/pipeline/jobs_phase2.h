/* Job kinds of Phase 2 (processing queue). */
#ifndef PIPELINE_JOBS_PHASE2_H
#define PIPELINE_JOBS_PHASE2_H
#include "jobs/worker.h"

/* {"scenario_id", "raw_repo_id"}: feature vectors of one repository's builds, oldest to newest. */
extern const struct job_kind job_kind_process_repo;
/* {"scenario_id"}: the fan-in: leftovers failed, counters, PROCESSED or FAILED. */
extern const struct job_kind job_kind_process_finish;

#endif

/* Job kinds of Phase 0 (validation queue). */
#ifndef PIPELINE_JOBS_PHASE0_H
#define PIPELINE_JOBS_PHASE0_H
#include "jobs/worker.h"

/* {"source_id", "provider", "repo"}: validates one repository and its pending builds. */
extern const struct job_kind job_kind_validate_repo;
/* {"source_id"}: the fan-in after every repository: stats, final status. */
extern const struct job_kind job_kind_validate_finish;

#endif

/* Job kind of Phase 3. */
#ifndef PIPELINE_JOBS_PHASE3_H
#define PIPELINE_JOBS_PHASE3_H
#include "jobs/worker.h"

/* {"scenario_id"}: frame -> preprocessing -> splits -> files + manifest -> TrainingDatasetSplit rows. */
extern const struct job_kind job_kind_generate_dataset;

#endif

/* The table of job kinds (see registry.h). */
#include "pipeline/registry.h"
#include "pipeline/jobs_phase0.h"
#include "pipeline/jobs_phase1.h"
#include "pipeline/jobs_phase2.h"
#include "pipeline/jobs_phase3.h"

const char *const pipeline_queues[] = { "validation", "ingestion", "processing", "trivy_scan", "sonar_scan",
					"default", NULL };

static const struct job_kind *const kinds[] = {
	&job_kind_noop,
	&job_kind_validate_repo,
	&job_kind_validate_finish,
	&job_kind_ingest_repo,
	&job_kind_ingest_finish,
	&job_kind_process_repo,
	&job_kind_process_finish,
	&job_kind_generate_dataset,
};

static const struct job_registry registry = { kinds, sizeof(kinds) / sizeof(kinds[0]) };

const struct job_registry *pipeline_registry(void)
{
	return &registry;
}

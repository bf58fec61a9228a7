/* The table of job kinds (see registry.h). */
#include "pipeline/registry.h"

const char *const pipeline_queues[] = { "validation", "ingestion", "processing", "trivy_scan", "sonar_scan",
					"default", NULL };

static const struct job_kind *const kinds[] = {
	&job_kind_noop,
};

static const struct job_registry registry = { kinds, sizeof(kinds) / sizeof(kinds[0]) };

const struct job_registry *pipeline_registry(void)
{
	return &registry;
}

/*
 * Every job kind ciminer runs, in one table (STYLE.md §1). Each pipeline
 * step lives in its own job_<name>.c and exports one const struct job_kind.
 * The application context handed to handlers is struct pipeline_app.
 */
#ifndef PIPELINE_REGISTRY_H
#define PIPELINE_REGISTRY_H
#include "jobs/worker.h"

struct pipeline_app {
	const char *data_dir; /* mirrors, blobs, datasets live below it */
	const char *db_url;
};

const struct job_registry *pipeline_registry(void);
/* The queues of the specification, NULL-terminated: validation, ingestion, processing, trivy_scan, sonar_scan. */
extern const char *const pipeline_queues[];

#endif

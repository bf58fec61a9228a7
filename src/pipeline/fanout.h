/*
 * The shape every scenario phase shares: one job per repository with work
 * to do, all children of a waiting "finish" job that runs once the last of
 * them ends (jobs/queue.h fan-in), and, in the finish step, the builds a dead
 * repository job left unfinished marked failed with that job's error.
 */
#ifndef PIPELINE_FANOUT_H
#define PIPELINE_FANOUT_H
#include <stdint.h>
#include "store/store.h"

struct fanout_spec {
	const char *queue;       /* "ingestion" */
	const char *repo_kind;   /* "ingest_repo"; payload {"raw_repo_id", "scenario_id"} */
	const char *finish_kind; /* "ingest_finish"; payload {"scenario_id"} */
	const char *table;       /* the phase's per-build table */
	const char *status_col;  /* its status column */
	/* Concurrency key of a repository job: "<key_prefix><repo>" (repo:) or "<key_prefix><scenario>:<repo>". */
	const char *key_prefix;
	int key_per_scenario;
};

extern const struct fanout_spec ingestion_fanout;  /* scenario_ingest.c */
extern const struct fanout_spec processing_fanout; /* scenario_process.c */

/* Enqueues the finish job and one repository job per repository whose builds are 'pending'. */
int fanout_enqueue(struct store *s, const struct fanout_spec *f, int64_t scenario_id, struct err *e);
/* Marks builds still in one of the states of `open_states` (SQL list) failed, with their repository job's error. */
int fanout_fail_leftovers(struct store *s, const struct fanout_spec *f, int64_t scenario_id, const char *open_states,
			  struct err *e);

#endif

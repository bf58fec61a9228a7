/*
 * The shape every scenario phase shares: one job per repository with work
 * to do, all children of a waiting "finish" job that runs once the last of
 * them ends (store/jobs.h fan-in), and, in the finish step, the builds a dead
 * repository job left unfinished marked failed with that job's error.
 */
#ifndef PIPELINE_FANOUT_H
#define PIPELINE_FANOUT_H
#include <stdint.h>
#include "store/builds.h"
#include "store/scenarios.h"
#include "store/store.h"
#include "jobs/worker.h"

struct fanout_spec {
	const char *queue;       /* "ingestion" */
	const char *repo_kind;   /* "ingest_repo"; payload {"raw_repo_id", "scenario_id"} */
	const char *finish_kind; /* "ingest_finish"; payload {"scenario_id"} */
	const struct build_table *builds; /* the phase's per-build table (store/builds.h) */
	/* Concurrency key of a repository job: "<key_prefix><repo>" (repo:) or "<key_prefix><scenario>:<repo>". */
	const char *key_prefix;
	int key_per_scenario;
	/* For the finish step: */
	const char *running;       /* the scenario's state during the phase ("ingesting") */
	const char *done;          /* its state when the phase succeeded ("ingested") */
	const char *const *open_states; /* build states a finished phase must not leave (NULL-terminated) */
	int64_t (*usable)(const struct scenarios_counters *c); /* builds the next phase can use */
	const char *phase;              /* the scenario's phase whose completion time is set ("ingestion") */
	const char *nothing_msg;   /* FAILED reason when no build is usable */
	int (*refresh)(struct store *s, int64_t scenario_id, const char *message, struct err *e);
};

extern const struct fanout_spec ingestion_fanout;  /* scenario_ingest.c */
extern const struct fanout_spec processing_fanout; /* scenario_process.c */

/* Enqueues the finish job and one repository job per repository whose builds are 'pending'. */
int fanout_enqueue(struct store *s, const struct fanout_spec *f, int64_t scenario_id, struct err *e);

/*
 * The finish step of a phase, in one transaction: leftovers of dead repository
 * jobs failed, counters refreshed, then the scenario moves to `done`, or to
 * FAILED when no build is usable. Does nothing when the scenario is no longer
 * `running` (the step already ran), so running it twice is harmless.
 */
int fanout_finish(struct store *s, const struct fanout_spec *f, int64_t scenario_id, struct err *e);

/*
 * Guard of a phase's finish step: 1 when the scenario is still in `phase`
 * (the state the step was queued for), 0 when it is not (the step already
 * ran and committed before its worker died, or the scenario moved on): the
 * step then does nothing, so running it twice is harmless.
 */
int fanout_scenario_in(struct store *s, int64_t scenario_id, const char *phase, struct err *e);
/*
 * Called by a phase step that failed: on its last attempt the scenario is
 * moved to FAILED with the step's error (in a transaction of its own), so it
 * never stays stuck in a running state when the step's job dies. Returns rc.
 */
int fanout_fail_if_last(struct job_ctx *ctx, int64_t scenario_id, const char *phase, int rc, struct err *e);

#endif

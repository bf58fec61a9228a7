/*
 * The worker pool: N threads, each with its own database connection,
 * claiming jobs of a list of queues and running the handler registered for
 * the job's kind. A heartbeat thread (its own connection) renews the leases
 * of running jobs every lease/3 and stops renewing a job that passed its
 * kind's timeout, setting its cancel flag; the handler is expected to check
 * job_ctx_cancelled() at its natural step boundaries, and a job that ran past
 * its timeout is failed as retryable ("timed out after N s").
 *
 * Handler contract: return 0 on success; ERR_PERMANENT (or ERR_NOT_FOUND /
 * ERR_INPUT, which retrying cannot fix) to fail without retry; any other
 * negative code to retry with backoff until max_attempts, then dead. Steps
 * must be idempotent: a job can run again after its worker was killed.
 */
#ifndef JOBS_WORKER_H
#define JOBS_WORKER_H
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include "core/err.h"
#include "store/store.h"

struct job_ctx {
	struct store *store; /* the worker thread's connection (borrowed) */
	int64_t id, parent_id;
	const char *queue, *kind;
	json_t *payload; /* borrowed; parsed job payload */
	int attempt, max_attempts;
	const char *owner;
	void *app;           /* the pool's application context (struct worker_opts.app) */
	volatile int cancel; /* set by the heartbeat on timeout or lost lease */
	volatile sig_atomic_t *stop; /* the pool's stop request (SIGTERM), or NULL */
};
/*
 * 1 when the job should stop at this step boundary: it timed out, lost its
 * lease, or the worker was asked to stop (a job that then returns
 * ERR_CANCELLED is handed back to the queue without using an attempt). Long
 * loops check it between rows or batches, so that SIGTERM ends a worker within
 * one step, not after a repository's whole batch.
 */
int job_ctx_cancelled(const struct job_ctx *ctx);

typedef int (*job_handler_fn)(struct job_ctx *ctx, struct err *e);

struct job_kind {
	const char *kind;
	const char *queue;
	int timeout_sec;
	int max_attempts;
	job_handler_fn run;
};

struct job_registry {
	const struct job_kind *const *kinds;
	size_t n;
};
const struct job_kind *job_registry_find(const struct job_registry *r, const char *kind);

/* A kind that does nothing and succeeds (benchmarks, `ciminer worker` smoke runs). */
extern const struct job_kind job_kind_noop;

struct worker_opts {
	const char *db_url;
	const char *const *queues;
	size_t nqueues;
	int concurrency;             /* threads; default 2 */
	int once;                    /* drain: return when the queues have no queued/running job */
	int64_t lease_usec;          /* default 60 s */
	int64_t backoff_base_usec;   /* default 2 s */
	int64_t poll_usec;           /* idle sleep; default 200 ms */
	const struct job_registry *registry;
	void *app;
	volatile sig_atomic_t *stop; /* optional: set to stop after the running jobs finish */
	/* Optional: called (from worker threads) after each job with its final outcome. */
	void (*on_finish)(void *app, const char *kind, int64_t id, int rc);
};

struct worker_stats {
	int64_t claimed, succeeded, retried, failed, dead, lost;
};

/* Runs the pool until *stop, or until drained when once. */
int worker_pool_run(const struct worker_opts *o, struct worker_stats *stats, struct err *e);

/*
 * Ends now the leases that workers of this machine hold but can no longer
 * renew because their process is gone (a killed `--wait` or worker): a lease
 * owner is "host:pid:pool:slot", and a running job of the queues whose host
 * is this one and whose pid no longer exists gets its lease expired, so the
 * next claim takes it at once instead of after the lease's length. Jobs of
 * other machines, or of a live (or recycled) pid, keep their lease. *n
 * (optional) gets how many were released.
 */
int worker_release_dead_leases(struct store *s, const char *const *queues, size_t nq, int64_t *n, struct err *e);

#endif

/*
 * The durable job queue (docs/architecture.md, "Job engine"): a job is a row of the jobs table.
 *
 * States: queued -> running -> succeeded | failed (permanent, not retried) |
 * dead (attempts exhausted); running -> queued again on a retryable failure
 * (after an exponential backoff with jitter) or when its lease expires (the
 * worker died). 'waiting' is a continuation (fan-in parent) whose children
 * are still open; it becomes queued, in the same transaction, when the last
 * child reaches a final state (succeeded, failed or dead).
 *
 * Exactly-once execution at a time: a claim sets a lease (owner + expiry);
 * only the owner of a live lease may complete or fail the job; a job whose
 * lease expired may be claimed by anyone (its steps are idempotent). A job's
 * concurrency_key (e.g. "repo:42") makes jobs with the same key run one at a
 * time. Claiming: SQLite under its write lock (BEGIN IMMEDIATE); PostgreSQL
 * with FOR UPDATE SKIP LOCKED plus a transaction-scoped advisory lock on the
 * concurrency key.
 *
 * Every function here opens and commits its own transaction, except
 * jobs_enqueue() and jobs_release(), which join the caller's transaction when
 * one is open (so a step can enqueue its children atomically with its writes).
 */
#ifndef STORE_JOBS_H
#define STORE_JOBS_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "store/store.h"

struct jobs_enqueue_opts {
	const char *queue;           /* required */
	const char *kind;            /* required */
	const char *payload;         /* JSON text; NULL means "{}" */
	int64_t run_after;           /* usec UTC; 0 = now */
	int max_attempts;            /* 0 = 5 */
	int timeout_sec;             /* 0 = the kind's timeout (600 s when the kind has none) */
	const char *concurrency_key; /* NULL = none */
	int64_t parent_id;           /* 0 = none; the parent's open-children count goes up */
	int priority;                /* higher first within a queue */
	int waiting;                 /* 1: create as 'waiting' (a continuation); see jobs_release() */
};

/* Adds a job; *id_out (optional) gets its id. */
int jobs_enqueue(struct store *s, const struct jobs_enqueue_opts *o, int64_t *id_out, struct err *e);
/* A 'waiting' job with no open children becomes queued; call after adding its children. */
int jobs_release(struct store *s, int64_t id, struct err *e);

struct jobs_claimed {
	int64_t id, parent_id;
	char queue[64], kind[64];
	char *payload; /* owned; jobs_claimed_release() */
	char *concurrency_key;
	int attempts, max_attempts, timeout_sec;
};
void jobs_claimed_release(struct jobs_claimed *c);

/* Who claims, from which queues, with what lease; one per worker thread. */
struct jobs_claimer {
	const char *const *queues;
	size_t nq;
	const char *owner;
	int64_t lease_usec;
	int64_t last_sweep; /* internal: when expired leases were last looked for */
};

/*
 * Claims the next runnable job of the claimer's queues, with a lease.
 * Returns 1 with *out filled, 0 when nothing is runnable now. The common case
 * (a job without concurrency key at the head of a queue) is one statement;
 * keyed jobs take a short transaction. Expired leases are swept at most once
 * a second while work is flowing, and always when nothing else is runnable:
 * their jobs are claimed again, or become dead when no attempts are left.
 */
int jobs_claim(struct store *s, struct jobs_claimer *c, struct jobs_claimed *out, struct err *e);
/* Extends the lease; ERR_CONFLICT when owner no longer holds it. */
int jobs_renew(struct store *s, int64_t id, const char *owner, int64_t lease_usec, struct err *e);
/* Marks the claimed job succeeded (and fans in); ERR_CONFLICT when the lease was lost. */
int jobs_complete(struct store *s, const struct jobs_claimed *job, const char *owner, struct err *e);
/*
 * A job its worker stopped on request (SIGTERM) between two steps: queued
 * again at once, and the attempt does not count (its steps are idempotent and
 * the work done so far is committed). ERR_CONFLICT when the lease was lost.
 */
int jobs_hand_back(struct store *s, const struct jobs_claimed *job, const char *owner, struct err *e);
/*
 * Records a failure. permanent: state failed, no retry. Otherwise queued
 * again after backoff_base_usec * 2^(attempts-1) (capped at one hour) with
 * +-25% jitter, or dead when attempts are exhausted.
 */
int jobs_fail(struct store *s, const struct jobs_claimed *job, const char *owner, int permanent,
	      const char *message, int64_t backoff_base_usec, struct err *e);

/* Jobs of the queues in state queued or running (what --once waits for). */
int jobs_count_open(struct store *s, const char *const *queues, size_t nq, int64_t *out, struct err *e);
/* Earliest run_after of queued jobs in the queues, or INT64_MAX. */
int jobs_next_run_after(struct store *s, const char *const *queues, size_t nq, int64_t *out, struct err *e);

/* A running job and who holds its lease. */
struct jobs_lease {
	int64_t id;
	char *owner; /* owned; jobs_leases_free() */
};
/* The running jobs of a queue; *out (*n entries) is the caller's: jobs_leases_free(). */
int jobs_running_leases(struct store *s, struct jobs_lease **out, size_t *n, const char *queue, struct err *e);
void jobs_leases_free(struct jobs_lease *l, size_t n);
/* Ends job id's lease now if owner still holds it; *changed (optional) gets 1 when it did. */
int jobs_expire_lease(struct store *s, int64_t id, const char *owner, int64_t *changed, struct err *e);

/* How many jobs of kind with exactly this payload are open (waiting, queued or running). */
int jobs_count_open_kind(struct store *s, int64_t *out, const char *kind, const char *payload, struct err *e);
/*
 * The newest not-succeeded job of kind whose payload ends with payload_tail
 * and that recorded an error: *last_error and *payload (the caller's), both
 * NULL when there is none.
 */
int jobs_last_error_of(struct store *s, char **last_error, char **payload, const char *kind,
		       const char *payload_tail, struct err *e);

#endif

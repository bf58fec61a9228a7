/* The worker pool and its lease heartbeat (see worker.h). */
#include "jobs/worker.h"
#include "store/jobs.h"
#include "core/json.h"
#include "core/log.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int noop_run(struct job_ctx *ctx, struct err *e)
{
	(void)ctx;
	(void)e;
	return 0;
}
const struct job_kind job_kind_noop = { "noop", "default", 60, 3, noop_run };

int job_ctx_cancelled(const struct job_ctx *ctx)
{
	return ctx->cancel != 0 || (ctx->stop && *ctx->stop);
}

const struct job_kind *job_registry_find(const struct job_registry *r, const char *kind)
{
	for (size_t i = 0; r && i < r->n; i++)
		if (strcmp(r->kinds[i]->kind, kind) == 0)
			return r->kinds[i];
	return NULL;
}

/* What the heartbeat knows of a thread's current job. */
struct slot {
	pthread_mutex_t mu;
	int64_t job_id;
	int64_t deadline; /* mono usec after which the lease is no longer renewed */
	struct job_ctx *ctx;
	char owner[128];      /* lease owner of the current job (guarded by mu) */
	char base_owner[128]; /* this slot's own name */
	int timed_out;
};

struct pool {
	const struct worker_opts *o;
	struct worker_stats *stats;
	struct slot *slots;
	atomic_int running_threads;
	atomic_int stop_heartbeat;
	atomic_int failed;
	struct err first_err;
	pthread_mutex_t err_mu;
};

static void sleep_usec(int64_t us)
{
	if (us <= 0)
		return;
	struct timespec ts = { us / USEC_PER_SEC, (us % USEC_PER_SEC) * 1000 };
	nanosleep(&ts, NULL);
}

static int stopping(const struct pool *p)
{
	return p->o->stop && *p->o->stop;
}

static void record_fatal(struct pool *p, const struct err *e)
{
	pthread_mutex_lock(&p->err_mu);
	if (!atomic_load(&p->failed))
		err_copy(&p->first_err, e);
	atomic_store(&p->failed, 1);
	pthread_mutex_unlock(&p->err_mu);
}

static int is_permanent(int rc)
{
	return rc == ERR_PERMANENT || rc == ERR_NOT_FOUND || rc == ERR_INPUT;
}

/* Runs one claimed job and records its outcome. */
static void run_job(struct pool *p, struct slot *sl, struct store *s, struct jobs_claimed *jc)
{
	const struct worker_opts *o = p->o;
	struct err e = ERR_INIT, fe = ERR_INIT;
	struct job_ctx ctx = { .store = s, .id = jc->id, .parent_id = jc->parent_id, .queue = jc->queue,
			       .kind = jc->kind, .attempt = jc->attempts, .max_attempts = jc->max_attempts,
			       .owner = sl->base_owner, .app = o->app, .stop = o->stop };
	const struct job_kind *k = job_registry_find(o->registry, jc->kind);
	int timeout = jc->timeout_sec > 0 ? jc->timeout_sec : (k && k->timeout_sec > 0 ? k->timeout_sec : 600);
	pthread_mutex_lock(&sl->mu);
	sl->job_id = jc->id;
	sl->deadline = mono_now() + (int64_t)timeout * USEC_PER_SEC;
	sl->ctx = &ctx;
	sl->timed_out = 0;
	pthread_mutex_unlock(&sl->mu);

	int rc;
	if (!k) {
		rc = err_set(&e, ERR_PERMANENT, "no handler for job kind '%s' in this worker", jc->kind);
	} else {
		ctx.payload = core_json_parse(jc->payload, strlen(jc->payload), "job payload", &e);
		rc = ctx.payload ? k->run(&ctx, &e) : ERR_PERMANENT;
		json_decref(ctx.payload);
	}

	char owner[sizeof(sl->owner)];
	pthread_mutex_lock(&sl->mu);
	int timed_out = sl->timed_out;
	sl->job_id = 0;
	sl->ctx = NULL;
	memcpy(owner, sl->owner, sizeof(owner)); /* adopt_own_job() may have changed it */
	memcpy(sl->owner, sl->base_owner, sizeof(sl->owner));
	pthread_mutex_unlock(&sl->mu);
	if (timed_out && rc == 0)
		rc = err_set(&e, ERR_TIMEOUT, "timed out after %d s", timeout);
	else if (timed_out)
		err_prefix(&e, "timed out after %d s", timeout);

	int frc;
	if (rc == 0) {
		frc = jobs_complete(s, jc, owner, &fe);
		if (frc == 0)
			__atomic_add_fetch(&p->stats->succeeded, 1, __ATOMIC_RELAXED);
	} else if (rc == ERR_CANCELLED && !timed_out && stopping(p)) {
		log_info("job %lld (%s) stopped on request; handed back to the queue: %s", (long long)jc->id, jc->kind,
			 e.msg);
		frc = jobs_hand_back(s, jc, owner, &fe);
	} else {
		int perm = is_permanent(rc);
		log_info("job %lld (%s) attempt %d failed: %s", (long long)jc->id, jc->kind, jc->attempts, e.msg);
		frc = jobs_fail(s, jc, owner, perm, e.msg, o->backoff_base_usec, &fe);
		if (frc == 0 && perm)
			__atomic_add_fetch(&p->stats->failed, 1, __ATOMIC_RELAXED);
		else if (frc == 0 && jc->attempts >= jc->max_attempts)
			__atomic_add_fetch(&p->stats->dead, 1, __ATOMIC_RELAXED);
		else if (frc == 0)
			__atomic_add_fetch(&p->stats->retried, 1, __ATOMIC_RELAXED);
	}
	if (frc == ERR_CONFLICT) {
		/* Another worker took the job after our lease lapsed; its run counts, ours does not. */
		log_warn("%s", fe.msg);
		__atomic_add_fetch(&p->stats->lost, 1, __ATOMIC_RELAXED);
	} else if (frc < 0) {
		record_fatal(p, &fe);
	}
	if (o->on_finish)
		o->on_finish(o->app, jc->kind, jc->id, rc);
}

/*
 * A thread of this pool claimed a job that another thread of the same pool is
 * still running: its lease ran out because the heartbeat was starved (a
 * loaded machine, or the SQLite write lock held by a long transaction). The
 * running thread keeps the job and takes over the new lease, so the job is
 * not run twice in one process; returns 1 when that happened.
 */
static int adopt_own_job(struct pool *p, struct slot *self, const struct jobs_claimed *jc)
{
	int adopted = 0;
	for (int i = 0; i < p->o->concurrency && !adopted; i++) {
		struct slot *other = &p->slots[i];
		if (other == self)
			continue;
		pthread_mutex_lock(&other->mu);
		if (other->job_id == jc->id) {
			pthread_mutex_lock(&self->mu);
			memcpy(other->owner, self->owner, sizeof(other->owner));
			pthread_mutex_unlock(&self->mu);
			adopted = 1;
		}
		pthread_mutex_unlock(&other->mu);
	}
	if (adopted)
		log_warn("job %lld's lease ran out while this worker was still running it; the running thread keeps it",
			 (long long)jc->id);
	return adopted;
}

struct thread_arg {
	struct pool *p;
	int index;
};

static void *worker_main(void *arg)
{
	struct thread_arg *ta = arg;
	struct pool *p = ta->p;
	const struct worker_opts *o = p->o;
	struct slot *sl = &p->slots[ta->index];
	struct store *s = NULL;
	struct err e = ERR_INIT;
	if (store_open_nomigrate(&s, o->db_url, &e) < 0) {
		record_fatal(p, &e);
		atomic_fetch_sub(&p->running_threads, 1);
		return NULL;
	}
	struct jobs_claimer cl = { o->queues, o->nqueues, sl->base_owner, o->lease_usec, 0 };
	while (!stopping(p) && !atomic_load(&p->failed)) {
		struct jobs_claimed jc;
		int rc = jobs_claim(s, &cl, &jc, &e);
		if (rc < 0) {
			if (rc == ERR_CONFLICT) { /* busy database: back off and retry */
				sleep_usec(o->poll_usec / 4 + 1000);
				continue;
			}
			record_fatal(p, &e);
			break;
		}
		if (rc == 1) {
			if (!adopt_own_job(p, sl, &jc)) {
				__atomic_add_fetch(&p->stats->claimed, 1, __ATOMIC_RELAXED);
				run_job(p, sl, s, &jc);
			}
			jobs_claimed_release(&jc);
			continue;
		}
		if (o->once) {
			int64_t open = 0, next = INT64_MAX;
			if (jobs_count_open(s, o->queues, o->nqueues, &open, &e) < 0) {
				record_fatal(p, &e);
				break;
			}
			if (open == 0)
				break;
			if (jobs_next_run_after(s, o->queues, o->nqueues, &next, &e) == 0 && next != INT64_MAX) {
				int64_t wait = next - utc_now();
				sleep_usec(wait < o->poll_usec ? (wait > 0 ? wait : 1000) : o->poll_usec);
				continue;
			}
		}
		sleep_usec(o->poll_usec);
	}
	store_close(s);
	atomic_fetch_sub(&p->running_threads, 1);
	return NULL;
}

static void *heartbeat_main(void *arg)
{
	struct pool *p = arg;
	const struct worker_opts *o = p->o;
	struct store *s = NULL;
	struct err e = ERR_INIT;
	if (store_open_nomigrate(&s, o->db_url, &e) < 0) {
		record_fatal(p, &e);
		return NULL;
	}
	int64_t period = o->lease_usec / 3;
	while (!atomic_load(&p->stop_heartbeat)) {
		int64_t slept = 0;
		while (slept < period && !atomic_load(&p->stop_heartbeat)) {
			sleep_usec(20000);
			slept += 20000;
		}
		for (int i = 0; i < o->concurrency; i++) {
			struct slot *sl = &p->slots[i];
			pthread_mutex_lock(&sl->mu);
			if (sl->job_id && sl->ctx) {
				if (mono_now() > sl->deadline) {
					sl->timed_out = 1;
					sl->ctx->cancel = 1;
				} else if (jobs_renew(s, sl->job_id, sl->owner, o->lease_usec, &e) == ERR_CONFLICT) {
					sl->ctx->cancel = 1;
				}
			}
			pthread_mutex_unlock(&sl->mu);
		}
	}
	store_close(s);
	return NULL;
}

int worker_pool_run(const struct worker_opts *in, struct worker_stats *stats, struct err *e)
{
	struct worker_opts o = *in;
	if (o.concurrency <= 0)
		o.concurrency = 2;
	if (o.lease_usec <= 0)
		o.lease_usec = 60 * USEC_PER_SEC;
	if (o.backoff_base_usec <= 0)
		o.backoff_base_usec = 2 * USEC_PER_SEC;
	if (o.poll_usec <= 0)
		o.poll_usec = 200000;
	if (o.nqueues == 0)
		return err_set(e, ERR_USAGE, "the worker serves no queue; name some with --queues");
	struct worker_stats local = { 0 };
	struct pool p = { .o = &o, .stats = stats ? stats : &local };
	pthread_mutex_init(&p.err_mu, NULL);
	p.slots = xcalloc((size_t)o.concurrency, sizeof(*p.slots));
	char host[64] = "host";
	gethostname(host, sizeof(host) - 1);
	static atomic_int pool_seq;
	int seq = atomic_fetch_add(&pool_seq, 1);
	pthread_t *th = xcalloc((size_t)o.concurrency, sizeof(*th));
	struct thread_arg *args = xcalloc((size_t)o.concurrency, sizeof(*args));
	for (int i = 0; i < o.concurrency; i++) {
		pthread_mutex_init(&p.slots[i].mu, NULL);
		snprintf(p.slots[i].base_owner, sizeof(p.slots[i].base_owner), "%s:%d:%d:%d", host, (int)getpid(), seq, i);
		memcpy(p.slots[i].owner, p.slots[i].base_owner, sizeof(p.slots[i].owner));
	}
	pthread_t hb;
	pthread_create(&hb, NULL, heartbeat_main, &p);
	atomic_store(&p.running_threads, o.concurrency);
	for (int i = 0; i < o.concurrency; i++) {
		args[i] = (struct thread_arg){ &p, i };
		pthread_create(&th[i], NULL, worker_main, &args[i]);
	}
	for (int i = 0; i < o.concurrency; i++)
		pthread_join(th[i], NULL);
	atomic_store(&p.stop_heartbeat, 1);
	pthread_join(hb, NULL);
	for (int i = 0; i < o.concurrency; i++)
		pthread_mutex_destroy(&p.slots[i].mu);
	free(th);
	free(args);
	free(p.slots);
	int rc = 0;
	if (atomic_load(&p.failed))
		rc = err_copy(e, &p.first_err);
	pthread_mutex_destroy(&p.err_mu);
	return rc;
}

/* 1 when owner ("host:pid:pool:slot") names a process of this host that no longer exists. */
static int owner_is_dead_here(const char *owner, const char *host)
{
	size_t hl = strlen(host);
	if (!owner || strncmp(owner, host, hl) != 0 || owner[hl] != ':')
		return 0;
	char *end = NULL;
	long pid = strtol(owner + hl + 1, &end, 10);
	if (pid <= 0 || !end || *end != ':')
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

int worker_release_dead_leases(struct store *s, const char *const *queues, size_t nq, int64_t *n, struct err *e)
{
	char host[64] = "host";
	gethostname(host, sizeof(host) - 1);
	int64_t released = 0;
	int rc = 0;
	for (size_t q = 0; rc == 0 && q < nq; q++) {
		struct jobs_lease *l = NULL;
		size_t nl = 0;
		rc = jobs_running_leases(s, &l, &nl, queues[q], e);
		for (size_t i = 0; rc == 0 && i < nl; i++) {
			if (!owner_is_dead_here(l[i].owner, host))
				continue;
			int64_t changed = 0;
			/* Only if the dead owner still holds it: a live claimer may have taken it meanwhile. */
			rc = jobs_expire_lease(s, l[i].id, l[i].owner, &changed, e);
			released += changed;
		}
		jobs_leases_free(l, nl);
	}
	if (rc > 0)
		rc = 0;
	if (n)
		*n = released;
	return rc;
}

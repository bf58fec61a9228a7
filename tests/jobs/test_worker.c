/* CIMINER_TEST_BOTH_DRIVERS
 * The job engine on both drivers: exactly-once execution under racing
 * workers, recovery from a worker killed with SIGKILL, retries with backoff,
 * dead and permanently failed jobs, fan-in with 1,000 children, the
 * concurrency key, and per-kind timeouts.
 */
#include <criterion/criterion.h>
#include "core/utc.h"
#include "store/jobs.h"
#include "jobs/worker.h"
#include "store/store.h"
#include "testsupport.h"
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXN 2000

struct test_app {
	atomic_int runs[MAXN];
	atomic_int continuation_runs;
	atomic_int inflight_key[8];
	atomic_int max_inflight_key[8];
	atomic_int inflight_total, max_inflight_total;
	int kill_pipe;  /* slow jobs write here when they start */
	int slow_fast;  /* 1: the slow kind returns at once */
};

static void bump_max(atomic_int *max, int v)
{
	int cur = atomic_load(max);
	while (v > cur && !atomic_compare_exchange_weak(max, &cur, v))
		;
}

static int count_run(struct job_ctx *ctx, struct err *e)
{
	struct test_app *app = ctx->app;
	int n = (int)json_integer_value(json_object_get(ctx->payload, "n"));
	atomic_fetch_add(&app->runs[n], 1);
	return 0;
}

static int flaky_run(struct job_ctx *ctx, struct err *e)
{
	if (ctx->attempt < 3)
		return err_set(e, ERR_NETWORK, "connection reset (attempt %d)", ctx->attempt);
	return 0;
}

static int broken_run(struct job_ctx *ctx, struct err *e)
{
	return err_set(e, ERR_NETWORK, "server said 503 on attempt %d", ctx->attempt);
}

static int permanent_run(struct job_ctx *ctx, struct err *e)
{
	return err_set(e, ERR_PERMANENT, "commit abc123 is not in the repository");
}

static int continuation_run(struct job_ctx *ctx, struct err *e)
{
	struct test_app *app = ctx->app;
	atomic_fetch_add(&app->continuation_runs, 1);
	return 0;
}

static int keyed_run(struct job_ctx *ctx, struct err *e)
{
	struct test_app *app = ctx->app;
	int k = (int)json_integer_value(json_object_get(ctx->payload, "key"));
	bump_max(&app->max_inflight_key[k], atomic_fetch_add(&app->inflight_key[k], 1) + 1);
	bump_max(&app->max_inflight_total, atomic_fetch_add(&app->inflight_total, 1) + 1);
	/*
	 * Hold the first job until a job of another repository is in flight too:
	 * two 30 ms jobs need not overlap when a loaded machine runs the threads
	 * one after the other. The bound is for a pool that never runs two.
	 */
	int64_t until = mono_now() + 60 * USEC_PER_SEC;
	while (atomic_load(&app->max_inflight_total) < 2 && mono_now() < until)
		usleep(1000);
	usleep(30000); /* the window in which a second job of the same repository would show */
	atomic_fetch_sub(&app->inflight_total, 1);
	atomic_fetch_sub(&app->inflight_key[k], 1);
	return 0;
}

static int slow_run(struct job_ctx *ctx, struct err *e)
{
	struct test_app *app = ctx->app;
	if (app->slow_fast)
		return 0;
	if (write(app->kill_pipe, "s", 1) != 1)
		return err_set(e, ERR_IO, "pipe");
	sleep(60);
	return 0;
}

static int hang_run(struct job_ctx *ctx, struct err *e)
{
	while (!job_ctx_cancelled(ctx))
		usleep(10000);
	return err_set(e, ERR_CANCELLED, "stopped");
}

static const struct job_kind k_count = { "count", "q", 60, 5, count_run };
static const struct job_kind k_flaky = { "flaky", "q", 60, 5, flaky_run };
static const struct job_kind k_broken = { "broken", "q", 60, 3, broken_run };
static const struct job_kind k_perm = { "permanent", "q", 60, 5, permanent_run };
static const struct job_kind k_cont = { "continuation", "q", 60, 5, continuation_run };
static const struct job_kind k_keyed = { "keyed", "q", 60, 5, keyed_run };
static const struct job_kind k_slow = { "slow", "q", 120, 5, slow_run };
static const struct job_kind k_hang = { "hang", "q", 1, 1, hang_run };
static const struct job_kind *const kinds[] = { &k_count, &k_flaky, &k_broken, &k_perm, &k_cont,
						&k_keyed, &k_slow, &k_hang };
static const struct job_registry reg = { kinds, sizeof(kinds) / sizeof(kinds[0]) };
static const char *const queues[] = { "q" };

static char *url;
static struct store *db;
static struct test_app *app;

static void setup(void)
{
	url = ts_new_db_url();
	cr_assert_not_null(url);
	struct err e = ERR_INIT;
	cr_assert_eq(store_open(&db, url, &e), 0, "%s", e.msg);
	app = calloc(1, sizeof(*app));
}

static void teardown(void)
{
	store_close(db);
	free(url);
	free(app);
}

static struct worker_opts opts(int concurrency)
{
	return (struct worker_opts){ .db_url = url, .queues = queues, .nqueues = 1, .concurrency = concurrency,
				     .once = 1, .lease_usec = 2 * USEC_PER_SEC, .backoff_base_usec = 1000,
				     .poll_usec = 5000, .registry = &reg, .app = app };
}

static int64_t enqueue(const char *kind, const char *payload, const char *key, int64_t parent)
{
	struct err e = ERR_INIT;
	int64_t id = 0;
	struct jobs_enqueue_opts o = { .queue = "q", .kind = kind, .payload = payload, .concurrency_key = key,
				       .parent_id = parent, .max_attempts = strcmp(kind, "broken") == 0 ? 3 : strcmp(kind, "hang") == 0 ? 1 : 5 };
	cr_assert_eq(jobs_enqueue(db, &o, &id, &e), 0, "%s", e.msg);
	return id;
}

static int64_t q_int(const char *sql, int64_t id)
{
	struct err e = ERR_INIT;
	int64_t v = -1;
	struct store_val p[] = { sv_int(id) };
	cr_assert_eq(store_query_int(db, &v, &e, sql, strchr(sql, '?') ? 1 : 0, p), 0, "%s: %s", sql, e.msg);
	return v;
}

static char *q_text(const char *sql, int64_t id)
{
	struct err e = ERR_INIT;
	char *v = NULL;
	struct store_val p[] = { sv_int(id) };
	cr_assert_eq(store_query_text(db, &v, &e, sql, 1, p), 0, "%s", e.msg);
	return v;
}

TestSuite(jobs, .init = setup, .fini = teardown, .timeout = 120);

Test(jobs, racing_workers_run_each_job_exactly_once)
{
	struct err e = ERR_INIT;
	const int M = 400;
	cr_assert_eq(store_begin(db, &e), 0);
	for (int i = 0; i < M; i++) {
		char p[32];
		snprintf(p, sizeof(p), "{\"n\":%d}", i);
		enqueue("count", p, NULL, 0);
	}
	cr_assert_eq(store_commit(db, &e), 0);
	struct worker_stats st = { 0 };
	struct worker_opts o = opts(6);
	cr_assert_eq(worker_pool_run(&o, &st, &e), 0, "%s", e.msg);
	for (int i = 0; i < M; i++)
		cr_assert_eq(atomic_load(&app->runs[i]), 1, "job %d ran %d times", i, atomic_load(&app->runs[i]));
	cr_assert_eq(st.succeeded, M);
	cr_assert_eq(q_int("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded' AND attempts = 1", 0), M);
}

Test(jobs, a_job_killed_with_its_worker_is_claimed_again_and_completes)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	int64_t id = enqueue("slow", "{}", NULL, 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		app->kill_pipe = fds[1];
		struct err e = ERR_INIT;
		struct worker_opts o = opts(1);
		o.once = 0;
		o.lease_usec = 1 * USEC_PER_SEC;
		worker_pool_run(&o, NULL, &e);
		_exit(0);
	}
	close(fds[1]);
	char c;
	cr_assert_eq(read(fds[0], &c, 1), 1, "the child worker never started the job");
	kill(pid, SIGKILL);
	int status;
	waitpid(pid, &status, 0);
	cr_assert(WIFSIGNALED(status));
	char *state = q_text("SELECT state FROM jobs WHERE id = ?", id);
	cr_assert_str_eq(state, "running", "the killed worker's job stays claimed until its lease expires");
	free(state);

	app->slow_fast = 1;
	struct err e = ERR_INIT;
	struct worker_stats st = { 0 };
	struct worker_opts o = opts(2);
	cr_assert_eq(worker_pool_run(&o, &st, &e), 0, "%s", e.msg);
	state = q_text("SELECT state FROM jobs WHERE id = ?", id);
	cr_assert_str_eq(state, "succeeded");
	free(state);
	cr_assert_eq(q_int("SELECT attempts FROM jobs WHERE id = ?", id), 2);
	cr_assert_eq(st.succeeded, 1);
}

Test(jobs, a_job_that_fails_twice_then_succeeds_is_retried_with_backoff)
{
	int64_t id = enqueue("flaky", "{}", NULL, 0);
	struct err e = ERR_INIT;
	struct worker_stats st = { 0 };
	struct worker_opts o = opts(2);
	cr_assert_eq(worker_pool_run(&o, &st, &e), 0, "%s", e.msg);
	char *state = q_text("SELECT state FROM jobs WHERE id = ?", id);
	cr_assert_str_eq(state, "succeeded");
	free(state);
	cr_assert_eq(q_int("SELECT attempts FROM jobs WHERE id = ?", id), 3);
	cr_assert_eq(st.retried, 2);
	char *last = q_text("SELECT last_error FROM jobs WHERE id = ?", id);
	cr_assert_str_eq(last, "connection reset (attempt 2)");
	free(last);
}

Test(jobs, a_job_that_exhausts_its_attempts_is_dead_with_its_error)
{
	int64_t id = enqueue("broken", "{}", NULL, 0);
	struct err e = ERR_INIT;
	struct worker_stats st = { 0 };
	struct worker_opts o = opts(1);
	cr_assert_eq(worker_pool_run(&o, &st, &e), 0, "%s", e.msg);
	char *state = q_text("SELECT state FROM jobs WHERE id = ?", id);
	cr_assert_str_eq(state, "dead");
	free(state);
	cr_assert_eq(q_int("SELECT attempts FROM jobs WHERE id = ?", id), 3);
	char *last = q_text("SELECT last_error FROM jobs WHERE id = ?", id);
	cr_assert_str_eq(last, "server said 503 on attempt 3");
	free(last);
	cr_assert_eq(st.dead, 1);
}

Test(jobs, a_permanent_failure_is_not_retried)
{
	int64_t id = enqueue("permanent", "{}", NULL, 0);
	struct err e = ERR_INIT;
	struct worker_opts o = opts(1);
	cr_assert_eq(worker_pool_run(&o, NULL, &e), 0, "%s", e.msg);
	char *state = q_text("SELECT state FROM jobs WHERE id = ?", id);
	cr_assert_str_eq(state, "failed");
	free(state);
	cr_assert_eq(q_int("SELECT attempts FROM jobs WHERE id = ?", id), 1);
}

Test(jobs, fan_in_of_a_thousand_children_runs_the_continuation_once)
{
	struct err e = ERR_INIT;
	cr_assert_eq(store_begin(db, &e), 0);
	int64_t parent = 0;
	struct jobs_enqueue_opts po = { .queue = "q", .kind = "continuation", .waiting = 1 };
	cr_assert_eq(jobs_enqueue(db, &po, &parent, &e), 0, "%s", e.msg);
	for (int i = 0; i < 1000; i++) {
		char p[32];
		snprintf(p, sizeof(p), "{\"n\":%d}", i);
		enqueue(i % 100 == 7 ? "permanent" : "count", p, NULL, parent);
	}
	cr_assert_eq(jobs_release(db, parent, &e), 0);
	cr_assert_eq(store_commit(db, &e), 0);
	cr_assert_eq(q_int("SELECT open_children FROM jobs WHERE id = ?", parent), 1000);
	struct worker_opts o = opts(4);
	cr_assert_eq(worker_pool_run(&o, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(atomic_load(&app->continuation_runs), 1);
	cr_assert_eq(q_int("SELECT open_children FROM jobs WHERE id = ?", parent), 0);
	char *state = q_text("SELECT state FROM jobs WHERE id = ?", parent);
	cr_assert_str_eq(state, "succeeded", "failed children still close the fan-in");
	free(state);
}

Test(jobs, the_concurrency_key_keeps_one_repository_sequential)
{
	struct err e = ERR_INIT;
	cr_assert_eq(store_begin(db, &e), 0);
	for (int i = 0; i < 24; i++) {
		char p[32], key[16];
		snprintf(p, sizeof(p), "{\"key\":%d}", i % 3);
		snprintf(key, sizeof(key), "repo:%d", i % 3);
		enqueue("keyed", p, key, 0);
	}
	cr_assert_eq(store_commit(db, &e), 0);
	struct worker_opts o = opts(4);
	cr_assert_eq(worker_pool_run(&o, NULL, &e), 0, "%s", e.msg);
	for (int k = 0; k < 3; k++)
		cr_assert_eq(atomic_load(&app->max_inflight_key[k]), 1, "repo %d ran %d jobs at once", k,
			     atomic_load(&app->max_inflight_key[k]));
	cr_assert_geq(atomic_load(&app->max_inflight_total), 2, "different repositories must run in parallel");
	cr_assert_eq(q_int("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'", 0), 24);
}

Test(jobs, a_job_past_its_kind_timeout_is_cancelled_and_recorded)
{
	int64_t id = enqueue("hang", "{}", NULL, 0);
	struct err e = ERR_INIT;
	struct worker_opts o = opts(1);
	o.lease_usec = 300000; /* heartbeat every 100 ms */
	cr_assert_eq(worker_pool_run(&o, NULL, &e), 0, "%s", e.msg);
	char *last = q_text("SELECT last_error FROM jobs WHERE id = ?", id);
	cr_assert(strstr(last, "timed out after 1 s") != NULL, "%s", last);
	free(last);
	char *state = q_text("SELECT state FROM jobs WHERE id = ?", id);
	cr_assert_str_eq(state, "dead");
	free(state);
}

Test(jobs, an_unknown_kind_fails_permanently_with_a_clear_message)
{
	int64_t id = enqueue("no-such-kind", "{}", NULL, 0);
	struct err e = ERR_INIT;
	struct worker_opts o = opts(1);
	cr_assert_eq(worker_pool_run(&o, NULL, &e), 0, "%s", e.msg);
	char *last = q_text("SELECT last_error FROM jobs WHERE id = ?", id);
	cr_assert_str_eq(last, "no handler for job kind 'no-such-kind' in this worker");
	free(last);
}

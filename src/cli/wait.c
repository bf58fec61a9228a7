/* In-process draining of a phase's queues with a progress bar (see wait.h). */
#include "cli/wait.h"
#include "cli/progress.h"
#include "core/xalloc.h"
#include "jobs/worker.h"
#include "pipeline/registry.h"
#include "store/store.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct pool_run {
	struct worker_opts o;
	struct worker_stats st;
	struct err e;
	int rc;
	atomic_int done;
};

static void *pool_main(void *arg)
{
	struct pool_run *r = arg;
	r->rc = worker_pool_run(&r->o, &r->st, &r->e);
	atomic_store(&r->done, 1);
	return NULL;
}

static int workers_default(void)
{
	const char *env = getenv("CIMINER_WORKERS");
	char *end = NULL;
	long n = env ? strtol(env, &end, 10) : 0;
	if (env && (*end || n > 256))
		n = 0; /* not a sensible count: the machine's */
	if (n <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c > 0 ? (int)c : 2;
	}
	return (int)n;
}

/* A failed count (the database busy with the workers' writes) leaves the bar as it was. */
static void show_progress(const struct cli_wait_spec *w, struct store *s, struct progress *bar)
{
	int64_t done = 0, total = 0;
	struct err pe = ERR_INIT;
	if (w->progress && w->progress(s, w->arg, &done, &total, &pe) == 0)
		progress_update(bar, done, total);
}

int cli_wait(struct cli_ctx *ctx, const struct cli_wait_spec *w, struct err *e)
{
	struct store *s;
	int rc = cli_store(ctx, &s, e);
	if (rc < 0)
		return rc;
	struct pipeline_app app = { ctx->data_dir, store_url(s) };
	struct pool_run *r = xcalloc(1, sizeof(*r));
	r->o = (struct worker_opts){ .db_url = store_url(s), .queues = w->queues, .nqueues = w->nqueues,
				     .concurrency = workers_default(), .once = 1, .registry = pipeline_registry(),
				     .app = &app, .poll_usec = 50000, .backoff_base_usec = 500000 };
	pthread_t th;
	pthread_create(&th, NULL, pool_main, r);
	struct progress bar;
	progress_start(&bar, w->label, 0, !ctx->json && !ctx->quiet);
	while (!atomic_load(&r->done)) {
		show_progress(w, s, &bar);
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	pthread_join(th, NULL);
	show_progress(w, s, &bar);
	progress_finish(&bar);
	rc = r->rc < 0 ? err_copy(e, &r->e) : 0;
	free(r);
	return rc;
}

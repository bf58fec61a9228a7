/*
 * Job-engine throughput: enqueue N no-op jobs, then drain them with a pool of
 * W workers, and report claimed+completed jobs per second and the process's
 * peak memory. Usage: bench_jobs DB_URL N WORKERS...
 * The reference printed beside it is the raw cost of the same number of
 * single-row write transactions on the same database (the floor under a
 * claim + complete pair, which each need one).
 */
#include "core/utc.h"
#include "store/jobs.h"
#include "jobs/worker.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const struct job_kind *const kinds[] = { &job_kind_noop };
static const struct job_registry reg = { kinds, 1 };
static const char *const queues[] = { "default" };

static long peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static int fill(struct store *s, int n, struct err *e)
{
	int rc = 0;
	for (int i = 0; rc == 0 && i < n; i += 1000) {
		rc = store_begin(s, e);
		for (int j = i; rc == 0 && j < i + 1000 && j < n; j++) {
			struct jobs_enqueue_opts o = { .queue = "default", .kind = "noop" };
			rc = jobs_enqueue(s, &o, NULL, e);
		}
		rc = store_tx_end(s, rc, e);
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_jobs DB_URL N WORKERS...\n");
		return 2;
	}
	const char *url = argv[1];
	int n = atoi(argv[2]);
	struct err e = ERR_INIT;
	struct store *s;
	if (store_open(&s, url, &e) < 0) {
		fprintf(stderr, "bench_jobs: %s\n", e.msg);
		return 1;
	}
	const char *driver = store_dialect(s) == STORE_SQLITE ? "sqlite" : "postgresql";
	/* Reference: n/2 pairs of tiny write transactions, i.e. n transactions. */
	int64_t t0 = mono_now();
	for (int i = 0; i < n / 10; i++) {
		store_begin(s, &e);
		struct store_val p[] = { sv_int(i) };
		store_exec(s, &e, NULL, "UPDATE jobs SET priority = priority WHERE id = ?", 1, p);
		store_commit(s, &e);
	}
	double ref = (double)(n / 10) / ((double)(mono_now() - t0) / 1e6);
	printf("%-10s reference: %.0f single-row write transactions/s (1 connection)\n", driver, ref);
	for (int a = 3; a < argc; a++) {
		int workers = atoi(argv[a]);
		store_exec(s, &e, NULL, "DELETE FROM jobs", 0, NULL);
		if (store_dialect(s) == STORE_PG) /* start each run without the previous run's dead rows */
			store_exec(s, &e, NULL, "VACUUM ANALYZE jobs", 0, NULL);
		int64_t f0 = mono_now();
		if (fill(s, n, &e) < 0) {
			fprintf(stderr, "bench_jobs: enqueue: %s\n", e.msg);
			return 1;
		}
		double fill_s = (double)(mono_now() - f0) / 1e6;
		struct worker_opts o = { .db_url = url, .queues = queues, .nqueues = 1, .concurrency = workers, .once = 1,
					 .registry = &reg, .poll_usec = 2000 };
		struct worker_stats st = { 0 };
		int64_t r0 = mono_now();
		if (worker_pool_run(&o, &st, &e) < 0) {
			fprintf(stderr, "bench_jobs: %s\n", e.msg);
			return 1;
		}
		double secs = (double)(mono_now() - r0) / 1e6;
		printf("%-10s workers=%d jobs=%d enqueue=%.0f jobs/s  claimed+completed=%.0f jobs/s  (%.1f s)  peak RSS %ld MB\n",
		       driver, workers, (int)st.succeeded, n / fill_s, st.succeeded / secs, secs, peak_rss_mb());
		if (st.succeeded != n) {
			fprintf(stderr, "bench_jobs: only %lld of %d jobs succeeded\n", (long long)st.succeeded, n);
			return 1;
		}
	}
	store_close(s);
	return 0;
}

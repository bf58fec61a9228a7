/* `ciminer worker`: runs the job engine's worker pool over the pipeline's job kinds. */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/utc.h"
#include "jobs/worker.h"
#include "pipeline/registry.h"
#include "store/store.h"
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: ciminer worker [--queues Q1,Q2,...] [--concurrency N] [--once]\n"
	"\n"
	"Runs jobs from the durable queue. Several workers, on this machine or others\n"
	"sharing a PostgreSQL database, can run at once; each job runs exactly once at\n"
	"a time, and a job of a killed worker is run again once its lease expires.\n"
	"\n"
	"  --queues LIST      queues to serve (default: validation,ingestion,processing,\n"
	"                     trivy_scan,sonar_scan,default)\n"
	"  --concurrency N    worker threads (default 2)\n"
	"  --lease SECONDS    lease length (default 60)\n"
	"  --once             drain the queues, then exit\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int run(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	static const struct option opts[] = { { "queues", required_argument, 0, 'q' },
					      { "concurrency", required_argument, 0, 'c' },
					      { "lease", required_argument, 0, 'l' },
					      { "once", no_argument, 0, 'o' },
					      { 0, 0, 0, 0 } };
	struct strvec queues = STRVEC_INIT;
	int concurrency = 2, once = 0, lease = 60, c;
	long long v = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'q': strvec_split(&queues, optarg, ','); break;
		case 'c':
			if (cli_parse_num("--concurrency", optarg, 1, 256, &v, e) < 0) {
				strvec_clear(&queues);
				return e->code;
			}
			concurrency = (int)v;
			break;
		case 'l': /* seconds; a week is longer than any job's timeout */
			if (cli_parse_num("--lease", optarg, 1, 7 * 86400, &v, e) < 0) {
				strvec_clear(&queues);
				return e->code;
			}
			lease = (int)v;
			break;
		case 'o': once = 1; break;
		default:
			strvec_clear(&queues);
			return cli_unknown_option(e, "worker", NULL, argv[optind - 1]);
		}
	}
	if (optind < argc) {
		strvec_clear(&queues);
		return err_set(e, ERR_USAGE, "unexpected argument '%s' for worker", argv[optind]);
	}
	if (queues.n == 0)
		for (const char *const *q = pipeline_queues; *q; q++)
			strvec_push(&queues, *q);
	for (size_t i = 0; i < queues.n; i++) {
		const char *const *q = pipeline_queues;
		while (*q && strcmp(*q, queues.v[i]) != 0)
			q++;
		if (!*q) {
			struct strvec known = STRVEC_INIT;
			for (q = pipeline_queues; *q; q++)
				strvec_push(&known, *q);
			char *list = strvec_join(&known, ", ");
			err_set(e, ERR_USAGE, "--queues: unknown queue '%s'; the queues are %s", queues.v[i], list);
			free(list);
			strvec_clear(&known);
			strvec_clear(&queues);
			return ERR_USAGE;
		}
	}
	struct store *s;
	int rc = cli_store(ctx, &s, e);
	if (rc < 0) {
		strvec_clear(&queues);
		return rc;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	struct pipeline_app app = { ctx->data_dir, store_url(s) };
	struct worker_opts o = { .db_url = store_url(s), .queues = (const char *const *)queues.v,
				 .nqueues = queues.n, .concurrency = concurrency, .once = once,
				 .lease_usec = (int64_t)lease * USEC_PER_SEC, .registry = pipeline_registry(),
				 .app = &app, .stop = &stop_flag };
	struct worker_stats st = { 0 };
	rc = worker_pool_run(&o, &st, e);
	if (ctx->json)
		printf("{\"claimed\":%lld,\"succeeded\":%lld,\"retried\":%lld,\"failed\":%lld,\"dead\":%lld}\n",
		       (long long)st.claimed, (long long)st.succeeded, (long long)st.retried, (long long)st.failed,
		       (long long)st.dead);
	else if (once)
		printf("worker: %lld jobs claimed, %lld succeeded, %lld retried, %lld failed, %lld dead\n",
		       (long long)st.claimed, (long long)st.succeeded, (long long)st.retried, (long long)st.failed,
		       (long long)st.dead);
	strvec_clear(&queues);
	return rc;
}

const struct cli_command cmd_worker = { "worker", "run jobs from the queue", usage, run, NULL,
					"--queues= --concurrency= --lease= --once" };

/*
 * validate_repo: one repository of a build source. The repository is looked
 * up once, then its pending builds in batches through ci_runs_lookup() (which
 * pages through the run list instead of one request per build where the
 * provider allows). Each batch is written in one transaction: runs and jobs
 * upserted into the warehouse, rows moved from pending to found, filtered or
 * not_found. A batch that failed transiently leaves its rows pending and the
 * job fails retryably, so a retry (or `source validate`) resumes there.
 */
#include "pipeline/jobs_phase0.h"
#include "store/events.h"
#include "pipeline/providers.h"
#include "pipeline/source.h"
#include "pipeline/warehouse.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "store/sources.h"
#include <stdio.h>
#include <string.h>

#define BATCH 500

struct repo_job {
	struct store *s;
	struct ci_provider *p;
	int64_t source_id, repo_id;
	const char *provider, *repo;
	const char *canonical; /* the provider's spelling of repo (a renamed repository's new name) */
	struct row_update *rows; /* the current batch's verdicts, see set_row() */
	size_t nrows, caprows;
};

static int mark_rows(struct repo_job *j, const char *status, const char *reason, struct err *e)
{
	return source_builds_set_pending(j->s, j->source_id, j->provider, j->repo, status, reason, e);
}

/* One source row's verdict, written with the rest of its batch by flush_rows(). */
struct row_update {
	char *build_id, *reason;
	const char *status;
	int64_t run_id;
};

static int set_row(struct repo_job *j, const char *build_id, const char *status, const char *reason, int64_t run_id,
		   struct err *e)
{
	(void)e;
	if (j->nrows == j->caprows) {
		j->caprows = j->caprows ? 2 * j->caprows : BATCH;
		j->rows = xrealloc(j->rows, j->caprows * sizeof(*j->rows));
	}
	j->rows[j->nrows++] = (struct row_update){ xstrdup(build_id), reason ? xstrdup(reason) : NULL, status, run_id };
	return 0;
}

static void clear_rows(struct repo_job *j)
{
	for (size_t i = 0; i < j->nrows; i++) {
		free(j->rows[i].build_id);
		free(j->rows[i].reason);
	}
	j->nrows = 0;
}

/*
 * The batch's verdicts in a few statements (store/sources.c), one per
 * verdict, so that the rows it changed are added to the source's counters in
 * the same transaction (a recount would read the whole source after every
 * batch).
 */
static int flush_verdict(struct repo_job *j, const char *status, struct err *e)
{
	struct source_builds_verdict *v = xcalloc(j->nrows ? j->nrows : 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < j->nrows; i++)
		if (strcmp(j->rows[i].status, status) == 0)
			v[n++] = (struct source_builds_verdict){ j->rows[i].build_id, j->rows[i].reason, j->rows[i].run_id };
	int64_t total = 0;
	int rc = source_builds_set_verdicts(j->s, &total, j->source_id, j->provider, j->repo, j->repo_id, status, v, n,
					    e);
	free(v);
	if (rc == 0 && total > 0)
		rc = sources_add_stat(j->s, j->source_id, status, total, e);
	return rc;
}

static int flush_rows(struct repo_job *j, struct err *e)
{
	int rc = flush_verdict(j, "found", e);
	if (rc == 0)
		rc = flush_verdict(j, "filtered", e);
	if (rc == 0)
		rc = flush_verdict(j, "not_found", e);
	clear_rows(j);
	return rc;
}

/*
 * Stores one found run with its jobs and decides its row. The jobs were
 * listed for the whole batch by ci_jobs_fill() (GitHub: one GraphQL request
 * per 100 runs); a run whose jobs could not be listed for good (a refusal, not
 * a transient failure) is stored without them and ingestion lists them later.
 */
static int store_found(struct repo_job *j, struct ci_lookup *it, struct err *e)
{
	int64_t run_id = 0;
	int rc = warehouse_upsert_run(j->s, j->provider, j->repo_id, &it->run, &run_id, e);
	if (rc == 0 && it->run.jobs_known)
		rc = warehouse_upsert_jobs(j->s, run_id, it->run.jobs, it->run.n_jobs, e);
	if (rc == 0) {
		const char *why = warehouse_filter_reason(&it->run);
		rc = set_row(j, it->run_id, why ? "filtered" : "found", why, run_id, e);
	}
	return rc;
}

static int run_batch(struct repo_job *j, char **ids, size_t n, int *transient, struct err *e)
{
	struct ci_lookup *items = xcalloc(n, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		items[i].run_id = ids[i];
	int rc = ci_runs_lookup(j->p, j->canonical, items, n, e);
	/* Every found run's jobs, in bulk, before the transaction (network outside it). */
	struct ci_run **found = xcalloc(n, sizeof(*found));
	size_t nfound = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (items[i].rc == 0)
			found[nfound++] = &items[i].run;
	struct err je = ERR_INIT;
	if (rc == 0 && nfound && ci_jobs_fill(j->p, j->canonical, found, nfound, &je))
		log_warn("validation of %s: the jobs of some runs could not be listed (%s); runs refused for good are"
			 " stored without them (ingestion asks again), the others stay pending",
			 j->repo, je.msg);
	free(found);
	if (rc == 0)
		rc = store_begin(j->s, e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct ci_lookup *it = &items[i];
		if (it->rc == 0 && !it->run.jobs_known && ci_err_is_transient(it->run.jobs_rc)) {
			*transient = 1; /* stays pending: found means stored with its jobs */
		} else if (it->rc == 0) {
			rc = store_found(j, it, e);
		} else if (it->rc == CI_ERR_NOT_FOUND) {
			rc = set_row(j, it->run_id, "not_found", "the provider has no such build in this repository", 0, e);
		} else if (ci_err_is_transient(it->rc)) {
			*transient = 1;
		} else {
			rc = set_row(j, it->run_id, "not_found", it->err.msg, 0, e);
		}
	}
	if (rc == 0 && store_in_tx(j->s))
		rc = flush_rows(j, e);
	clear_rows(j);
	if (store_in_tx(j->s))
		rc = store_tx_end(j->s, rc, e);
	for (size_t i = 0; i < n; i++)
		if (items[i].rc == 0)
			ci_run_release(&items[i].run);
	free(items);
	return rc;
}

/*
 * The HTTP client is about to sleep for a rate limit: say so in the log and
 * in the source's progress (shown by `source show`), outside any transaction.
 */
static void on_rate_wait(void *arg, const char *why, int64_t until)
{
	struct repo_job *j = arg;
	char ts[UTC_FMT_MAX], msg[512];
	snprintf(msg, sizeof(msg), "waiting until %s for the rate limit: %s", utc_format(until, ts), why);
	log_warn("source %lld, %s: %s", (long long)j->source_id, j->repo, msg);
	struct err ignore = ERR_INIT;
	if (!store_in_tx(j->s))
		sources_set_progress(j->s, j->source_id, msg, &ignore);
}

static int validate_repo(struct job_ctx *ctx, struct err *e)
{
	struct repo_job j = { .s = ctx->store, .source_id = core_json_int(ctx->payload, "source_id", 0),
			      .provider = core_json_str(ctx->payload, "provider", NULL),
			      .repo = core_json_str(ctx->payload, "repo", NULL) };
	if (!j.source_id || !j.provider || !j.repo)
		return err_set(e, ERR_PERMANENT, "validate_repo: payload lacks source_id, provider or repo");
	char *archive = NULL;
	int rc = sources_archive_dir(j.s, &archive, j.source_id, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_PERMANENT, "build source %lld was deleted", (long long)j.source_id);
	if (rc == 0)
		rc = pipeline_provider_open_waiting(&j.p, j.provider, archive, on_rate_wait, &j, e);
	if (rc < 0) {
		free(archive);
		return rc;
	}

	struct ci_repo repo = CI_REPO_INIT;
	rc = ci_repo_get(j.p, &repo, j.repo, e);
	if (rc == CI_ERR_NOT_FOUND) {
		char reason[256];
		snprintf(reason, sizeof(reason), "repository %s not found at %s", j.repo, j.provider);
		rc = mark_rows(&j, "not_found", reason, e);
	} else if (rc == 0) {
		rc = warehouse_upsert_repo(j.s, j.provider, archive, &repo, &j.repo_id, e);
		/* A renamed repository answers its old name with a redirect per request: ask by the new one. */
		j.canonical = repo.full_name ? repo.full_name : j.repo;
		struct strvec ids = STRVEC_INIT;
		if (rc == 0)
			rc = source_builds_pending_ids(j.s, &ids, j.source_id, j.provider, j.repo, e);
		int transient = 0;
		for (size_t i = 0; rc == 0 && i < ids.n; i += BATCH) {
			if (job_ctx_cancelled(ctx)) {
				rc = err_set(e, ERR_CANCELLED, "validation of %s stopped (timeout, lost lease or SIGTERM)", j.repo);
				break;
			}
			size_t n = ids.n - i < BATCH ? ids.n - i : BATCH;
			rc = run_batch(&j, ids.v + i, n, &transient, e); /* counts the batch into the source's stats */
			if (rc == 0)
				rc = events_source_update(j.s, j.source_id, j.repo, e);
		}
		strvec_clear(&ids);
		if (rc == 0 && transient)
			rc = err_set(e, ERR_NETWORK, "some builds of %s could not be looked up yet; they stay pending", j.repo);
	}
	ci_repo_release(&repo);
	free(j.rows);
	ci_provider_free(j.p);
	free(archive);
	return rc;
}

static int validate_finish(struct job_ctx *ctx, struct err *e)
{
	int64_t id = core_json_int(ctx->payload, "source_id", 0);
	struct store *s = ctx->store;
	int rc = store_begin(s, e);
	if (rc == 0)
		rc = sources_refresh_stats(s, id, e);
	int64_t pending = 0;
	if (rc == 0)
		rc = source_builds_count(s, &pending, id, NULL, "pending", e);
	char msg[256] = "validation completed";
	if (rc == 0 && pending > 0) {
		snprintf(msg, sizeof(msg),
			 "%lld rows are still pending after their validation jobs ended; run 'ciminer source validate %lld'"
			 " to retry them",
			 (long long)pending, (long long)id);
	}
	/* A retry that decided every row also clears the previous run's "still pending" message. */
	if (rc == 0)
		rc = sources_set_error(s, id, pending > 0 ? msg : NULL, e);
	if (rc == 0)
		rc = sources_set_status(s, id, pending > 0 ? "failed" : "completed", e);
	if (rc == 0)
		rc = events_source_update(s, id, msg, e);
	return store_tx_end(s, rc, e);
}

const struct job_kind job_kind_validate_repo = { "validate_repo", "validation", 600, 5, validate_repo };
const struct job_kind job_kind_validate_finish = { "validate_finish", "validation", 600, 5, validate_finish };

/*
 * ingest_repo: the resources one repository's builds need for Phase 2.
 *  - git_history: the bare mirror (cloned once, shared by all scenarios),
 *    fetched when a build's commit is absent; a commit still absent after
 *    the fetch is missing_resource.
 *  - build_logs: every job log not yet in the blob store, downloaded N at a
 *    time and stored zstd-compressed by content; 404/410 is missing, other
 *    failures leave the build failed (retry-ingestion re-runs it).
 *  - git_worktree: skipped (features read trees from the mirror).
 *  - pull_request: for PR builds, when the scenario's features read it
 *    (ingest_pr.c); a PR that does not exist is missing_resource, a
 *    transient failure leaves the build failed.
 * A clone or fetch that fails transiently fails the job retryably; its builds
 * stay 'ingesting' and the job engine runs it again.
 */
#include "pipeline/jobs_phase1.h"
#include "pipeline/log_store.h"
#include "pipeline/providers.h"
#include "pipeline/pull_requests.h"
#include "pipeline/registry.h"
#include "pipeline/scenario.h"
#include "pipeline/fanout.h"
#include "store/ingestion.h"
#include "store/warehouse.h"
#include "pipeline/warehouse.h"
#include "core/json.h"
#include "core/log.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "git/mirror.h"
#include "store/blobs.h"
#include "store/status.h"
#include "store/events.h"
#include "store/scenarios.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t ingest_log_cap(void)
{
	const char *env = getenv("CIMINER_LOG_CAP");
	long long v = env ? atoll(env) : 0;
	return v > 0 ? (size_t)v : (size_t)64 << 20;
}

struct ibuild {
	int64_t id, run_id;
	char *sha;
	int commit_present;
	int logs_total, logs_ok, logs_missing, logs_failed;
	char *error;
	char *jobs_error;  /* the provider has no jobs for the run (404/410): its logs are missing */
	char *jobs_failed; /* the provider refused to list them (401/403/...): the build fails, retryable */
};

struct ijob {
	int64_t id, run_id;
	char *ci_job_id;
	int need; /* not yet in the blob store */
	const char *status; /* ok | missing | failed after this run */
	char *error;
};

struct ingest {
	struct job_ctx *ctx;
	struct store *s;
	const struct pipeline_app *app;
	int64_t scenario_id, repo_id;
	char *full_name, *provider, *clone_url, *archive_dir;
	struct ibuild *b;
	size_t nb;
	struct ijob *j;
	size_t nj;
};

static int load_repo(struct ingest *g, struct err *e)
{
	struct store_cursor *c;
	int rc = warehouse_repo_get(g->s, &c, g->repo_id, e);
	if (rc < 0)
		return rc;
	if ((rc = store_next(c, e)) == 1) {
		g->full_name = xstrdup(store_col_text(c, 0));
		g->provider = xstrdup(store_col_text(c, 1));
		g->clone_url = store_col_text(c, 2) ? xstrdup(store_col_text(c, 2)) : NULL;
		g->archive_dir = store_col_text(c, 3) ? xstrdup(store_col_text(c, 3)) : NULL;
		rc = 0;
	} else if (rc == 0) {
		rc = err_set(e, ERR_PERMANENT, "repository %lld is not in the warehouse", (long long)g->repo_id);
	}
	store_cursor_free(c);
	return rc;
}

static int load_builds(struct ingest *g, struct err *e)
{
	struct ingestion_pending *pb = NULL;
	size_t n = 0;
	int rc = ingestion_builds_pending(g->s, &pb, &n, g->scenario_id, g->repo_id, e);
	g->b = xcalloc(n ? n : 1, sizeof(*g->b));
	for (size_t i = 0; i < n; i++) {
		g->b[i].id = pb[i].id;
		g->b[i].run_id = pb[i].raw_run_id;
		g->b[i].sha = pb[i].commit_sha; /* moved: freed with the build */
		pb[i].commit_sha = NULL;
	}
	g->nb = n;
	ingestion_pending_free(pb, n);
	return rc;
}

static int load_jobs(struct ingest *g, struct err *e)
{
	struct store_cursor *c;
	int rc = ingestion_builds_jobs(g->s, &c, g->scenario_id, g->repo_id, e);
	if (rc < 0)
		return rc;
	size_t cap = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)&g->j, &cap, g->nj + 1, sizeof(*g->j));
		struct ijob *j = &g->j[g->nj++];
		memset(j, 0, sizeof(*j));
		j->id = store_col_int(c, 0);
		j->run_id = store_col_int(c, 1);
		j->ci_job_id = xstrdup(store_col_text(c, 2));
		const char *st = store_col_text(c, 3);
		j->need = strcmp(st, "ok") != 0 && strcmp(st, "missing") != 0;
		j->status = j->need ? "failed" : (strcmp(st, "ok") == 0 ? "ok" : "missing");
	}
	store_cursor_free(c);
	return rc;
}

/*
 * Validation stores every found run with its jobs; a run stored without them
 * (its provider refused the listing then, or it was validated by an older
 * ciminer) has them listed now, all such runs of the repository in one
 * ci_jobs_fill() outside any transaction, then stored in one.
 */
static int list_missing_jobs(struct ingest *g, struct ci_provider *p, struct err *e)
{
	struct store_cursor *c;
	int rc = ingestion_builds_runs_without_jobs(g->s, &c, g->scenario_id, g->repo_id, e);
	if (rc < 0)
		return rc;
	struct ci_run *runs = NULL;
	int64_t *ids = NULL;
	size_t cap = 0, cap2 = 0, n = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)&ids, &cap, n + 1, sizeof(*ids));
		xgrow((void **)&runs, &cap2, n + 1, sizeof(*runs));
		ids[n] = store_col_int(c, 0);
		ci_run_init(&runs[n]);
		runs[n].ci_run_id = xstrdup(store_col_text(c, 1));
		runs[n++].jobs_ref = ci_run_jobs_ref(g->provider, store_col_text(c, 2)); /* bulk listing again */
	}
	store_cursor_free(c);
	struct ci_run **ptrs = xcalloc(n ? n : 1, sizeof(*ptrs));
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &runs[i];
	struct err fe = ERR_INIT;
	int transient = 0;
	if (rc == 0 && n)
		ci_jobs_fill(p, g->full_name, ptrs, n, &fe);
	/* Per run: jobs the provider does not have (404/410) make its builds miss their logs; a
	 * refusal (401, 403, a malformed answer) fails them with the reason, for retry-ingestion once
	 * the cause is fixed; a transient failure fails the job, which runs again. The other runs'
	 * jobs are stored either way. */
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int why = runs[i].jobs_rc;
		if (runs[i].jobs_known)
			continue;
		if (ci_err_is_transient(why)) {
			transient = why;
			continue;
		}
		for (size_t k = 0; k < g->nb; k++) {
			struct ibuild *b = &g->b[k];
			if (b->run_id != ids[i] || b->jobs_error || b->jobs_failed)
				continue;
			if (ci_err_is_missing(why))
				b->jobs_error = xasprintf("the provider has no jobs for run %s (%s)", runs[i].ci_run_id,
							  ci_err_name(why));
			else
				b->jobs_failed = xasprintf("the provider refused to list the jobs of run %s (%s); fix the"
							   " cause (e.g. the token) and retry the ingestion",
							   runs[i].ci_run_id, why ? ci_err_name(why) : "no answer");
		}
	}
	if (rc == 0 && n)
		rc = store_begin(g->s, e);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (runs[i].jobs_known)
			rc = warehouse_upsert_jobs(g->s, ids[i], runs[i].jobs, runs[i].n_jobs, e);
	if (store_in_tx(g->s))
		rc = store_tx_end(g->s, rc, e);
	if (rc == 0 && transient)
		rc = err_set(e, ERR_NETWORK, "the jobs of some runs of %s could not be listed yet (%s); they are asked for"
			     " again", g->full_name, ci_err_name(transient));
	for (size_t i = 0; i < n; i++)
		ci_run_release(&runs[i]);
	free(ptrs);
	free(runs);
	free(ids);
	return rc;
}

static int mark_ingesting(struct ingest *g, struct err *e)
{
	return ingestion_builds_start(g->s, g->scenario_id, g->repo_id, e);
}

static int ingest_git(struct ingest *g, struct err *e)
{
	if (!g->clone_url)
		return err_set(e, ERR_PERMANENT, "repository %s has no clone URL in the warehouse", g->full_name);
	struct git_mirror *m = NULL;
	int rc = git_mirror_open(&m, NULL, g->app->data_dir, g->full_name, g->clone_url, e);
	if (rc < 0)
		return rc;
	const char **shas = xcalloc(g->nb ? g->nb : 1, sizeof(*shas));
	uint8_t *present = xcalloc(g->nb ? g->nb : 1, 1);
	size_t n = 0;
	for (size_t i = 0; i < g->nb; i++)
		if (strlen(g->b[i].sha) == 40)
			shas[n++] = g->b[i].sha;
	rc = git_mirror_ensure_commits(m, shas, n, present, NULL, e);
	for (size_t i = 0, k = 0; rc == 0 && i < g->nb; i++)
		g->b[i].commit_present = strlen(g->b[i].sha) == 40 ? present[k++] : 0;
	free(shas);
	free(present);
	git_mirror_free(m);
	return rc;
}

/* The job row's log columns after a download: the blob's address and sizes, or why there is none. */
static int record_log(struct ingest *g, struct ijob *j, const char *hex, size_t raw, size_t stored, int truncated,
		      struct err *e)
{
	if (hex)
		return warehouse_job_log_stored(g->s, j->id, hex, (int64_t)raw, (int64_t)stored, truncated, e);
	return warehouse_job_log_failed(g->s, j->id, j->status, j->error, e);
}

/* One log of a chunk: where its bytes go, and where they are stored from. */
struct pending {
	struct log_store *ls;
	struct log_store_item item;
};

/* A finished download goes to the storing thread at once; the other transfers go on. */
static void on_log_done(struct ci_log_req *r, void *arg)
{
	struct pending *pd = arg;
	if (r->rc == 0)
		log_store_put(pd->ls, &pd->item);
	else
		buf_release(&pd->item.data);
}

/*
 * Downloads the logs LOG_CHUNK at a time (cfg.max_in_flight in flight). Each
 * finished log is handed to a thread that hashes, compresses and stores it
 * while the next transfers run; at the end of a chunk its rows are written in
 * one transaction, so a killed job keeps every chunk it finished, and a job
 * that lost its lease stops within a chunk.
 */
#define LOG_CHUNK 64
#define LOG_QUEUE_BYTES ((size_t)256 << 20)

static int ingest_logs(struct ingest *g, struct ci_provider *p, struct err *e)
{
	struct log_store *ls = NULL;
	size_t cap = ingest_log_cap();
	int rc = log_store_start(&ls, g->app->data_dir, LOG_QUEUE_BYTES, e);
	struct ci_log_req *reqs = xcalloc(LOG_CHUNK, sizeof(*reqs));
	struct pending *pd = xcalloc(LOG_CHUNK, sizeof(*pd));
	struct ijob **which = xcalloc(LOG_CHUNK, sizeof(*which));
	for (size_t i = 0; rc == 0 && i < g->nj;) {
		if (job_ctx_cancelled(g->ctx)) {
			rc = err_set(e, ERR_CANCELLED, "ingestion of %s stopped (timeout, lost lease or SIGTERM)", g->full_name);
			break;
		}
		size_t k = 0;
		memset(reqs, 0, LOG_CHUNK * sizeof(*reqs));
		memset(pd, 0, LOG_CHUNK * sizeof(*pd));
		for (; i < g->nj && k < LOG_CHUNK; i++) {
			if (!g->j[i].need)
				continue;
			which[k] = &g->j[i];
			pd[k].ls = ls;
			reqs[k].job_id = g->j[i].ci_job_id;
			reqs[k].sink = ci_sink_buf(&pd[k].item.data);
			reqs[k].done = on_log_done;
			reqs[k].done_arg = &pd[k];
			k++;
		}
		if (k == 0)
			break;
		rc = ci_logs_fetch(p, g->full_name, reqs, k, cap, e);
		log_store_drain(ls);
		for (size_t x = 0; rc == 0 && x < k; x++)
			if (reqs[x].rc == 0 && pd[x].item.rc)
				rc = err_copy(e, &pd[x].item.err); /* the disk refused a blob */
		if (rc == 0)
			rc = store_begin(g->s, e);
		for (size_t x = 0; rc == 0 && x < k; x++) {
			struct ijob *j = which[x];
			struct log_store_item *it = &pd[x].item;
			if (reqs[x].rc == 0) {
				j->status = "ok";
				rc = record_log(g, j, it->hex, it->raw, it->stored, reqs[x].truncated, e);
			} else {
				j->status = ci_err_is_missing(reqs[x].rc) ? "missing" : "failed";
				j->error = xstrdup(reqs[x].err.msg);
				rc = record_log(g, j, NULL, 0, 0, 0, e);
			}
		}
		if (store_in_tx(g->s))
			rc = store_tx_end(g->s, rc, e);
		for (size_t x = 0; x < k; x++)
			buf_release(&pd[x].item.data); /* logs never handed over (a failed batch) */
	}
	log_store_stop(ls);
	free(reqs);
	free(pd);
	free(which);
	return rc;
}

/* Decides each build's status from its resources and writes it with resource_status. */
static int decide(struct ingest *g, const struct pr_builds *prs, struct err *e)
{
	int rc = store_begin(g->s, e);
	for (size_t i = 0; rc == 0 && i < g->nb; i++) {
		struct ibuild *b = &g->b[i];
		const char *err_msg = NULL;
		for (size_t x = 0; x < g->nj; x++) {
			struct ijob *j = &g->j[x];
			if (j->run_id != b->run_id)
				continue;
			b->logs_total++;
			if (strcmp(j->status, "ok") == 0)
				b->logs_ok++;
			else if (strcmp(j->status, "missing") == 0)
				b->logs_missing++;
			else {
				b->logs_failed++;
				err_msg = j->error;
			}
		}
		/* Without its jobs a run's logs cannot be asked for: one log counted missing or failed. */
		if (b->jobs_error) {
			b->logs_total++;
			b->logs_missing++;
		} else if (b->jobs_failed) {
			b->logs_total++;
			b->logs_failed++;
			err_msg = b->jobs_failed;
		}
		const char *logs = b->logs_failed ? "failed" : b->logs_missing ? "missing" : "ok";
		const struct pr_build *pr = pr_builds_find(prs, b->id);
		if (pr && !pr->status)
			pr = NULL;
		int pr_failed = pr && !strcmp(pr->status, "failed"), pr_missing = pr && !strcmp(pr->status, "missing");
		const char *status = b->logs_failed || pr_failed ? "failed"
				     : (!b->commit_present || b->logs_missing || pr_missing) ? "missing_resource"
											      : "ingested";
		/* The message names what decided the status: a failure first, then what is missing. */
		char msg[512] = "", gitmsg[300] = "";
		if (!b->commit_present)
			snprintf(gitmsg, sizeof(gitmsg), "commit %s is not in %s, even after fetching pull-request refs",
				 b->sha, g->full_name);
		if (b->logs_failed)
			snprintf(msg, sizeof(msg), "log download failed: %s", err_msg ? err_msg : "?");
		else if (pr_failed)
			snprintf(msg, sizeof(msg), "%s", pr->error ? pr->error : "pull request unavailable");
		else if (!b->commit_present)
			snprintf(msg, sizeof(msg), "%s", gitmsg);
		else if (b->jobs_error)
			snprintf(msg, sizeof(msg), "%s", b->jobs_error);
		else if (b->logs_missing)
			snprintf(msg, sizeof(msg), "%d of %d job logs expired or absent", b->logs_missing, b->logs_total);
		else if (pr_missing)
			snprintf(msg, sizeof(msg), "%s", pr->error ? pr->error : "pull request unavailable");
		json_t *res = json_pack("{s:{s:s, s:s?}, s:{s:s, s:i, s:i, s:i, s:i}, s:{s:s}}", "git_history", "status",
					b->commit_present ? "ok" : "missing", "error",
					b->commit_present ? NULL : gitmsg, "build_logs", "status", logs, "jobs", b->logs_total,
					"ok", b->logs_ok, "missing", b->logs_missing, "failed", b->logs_failed,
					"git_worktree", "status", "skipped");
		if (pr)
			json_object_set_new(res, "pull_request",
					    json_pack("{s:s, s:I, s:s?}", "status", pr->status, "number", (json_int_t)pr->number,
						      "error", pr->error));
		char *rs = core_json_dumps(res);
		json_decref(res);
		rc = ingestion_builds_finish(g->s, b->id, status, rs, msg[0] ? msg : NULL, e);
		free(rs);
	}
	if (rc == 0) {
		char m[300];
		snprintf(m, sizeof(m), "ingested %s", g->full_name);
		rc = scenarios_refresh_ingestion_counters(g->s, g->scenario_id, m, e);
	}
	return store_tx_end(g->s, rc, e);
}

static void release(struct ingest *g)
{
	for (size_t i = 0; i < g->nb; i++) {
		free(g->b[i].sha);
		free(g->b[i].jobs_error);
		free(g->b[i].jobs_failed);
	}
	for (size_t i = 0; i < g->nj; i++) {
		free(g->j[i].ci_job_id);
		free(g->j[i].error);
	}
	free(g->b);
	free(g->j);
	free(g->full_name);
	free(g->provider);
	free(g->clone_url);
	free(g->archive_dir);
}

static int ingest_repo(struct job_ctx *ctx, struct err *e)
{
	struct ingest g = { .ctx = ctx, .s = ctx->store, .app = ctx->app,
			    .scenario_id = core_json_int(ctx->payload, "scenario_id", 0),
			    .repo_id = core_json_int(ctx->payload, "raw_repo_id", 0) };
	int rc = load_repo(&g, e);
	if (rc == 0)
		rc = mark_ingesting(&g, e);
	if (rc == 0)
		rc = load_builds(&g, e);
	struct ci_provider *p = NULL;
	struct pr_builds prs = PR_BUILDS_INIT;
	if (rc == 0 && g.nb > 0) {
		rc = pipeline_provider_open(&p, g.provider, g.archive_dir, e);
		if (rc == 0)
			rc = list_missing_jobs(&g, p, e);
		if (rc == 0)
			rc = load_jobs(&g, e);
		if (rc == 0)
			rc = ingest_git(&g, e);
		if (rc == 0)
			rc = ingest_logs(&g, p, e);
		if (rc == 0)
			rc = ingest_prs(&prs, g.s, g.scenario_id, g.repo_id, g.full_name, g.provider, p, e);
		if (rc == 0)
			rc = decide(&g, &prs, e);
		if (rc < 0)
			if (!strstr(e->msg, g.full_name ? g.full_name : "repository"))
				err_prefix(e, "%s", g.full_name ? g.full_name : "repository");
	}
	ci_provider_free(p);
	pr_builds_release(&prs);
	release(&g);
	return rc;
}

static int ingest_finish(struct job_ctx *ctx, struct err *e)
{
	int64_t id = core_json_int(ctx->payload, "scenario_id", 0);
	return fanout_fail_if_last(ctx, id, "ingesting", fanout_finish(ctx->store, &ingestion_fanout, id, e), e);
}

const struct job_kind job_kind_ingest_repo = { "ingest_repo", "ingestion", 3600, 5, ingest_repo };
const struct job_kind job_kind_ingest_finish = { "ingest_finish", "ingestion", 600, 5, ingest_finish };

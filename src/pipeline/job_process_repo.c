/*
 * process_repo: one repository's enrichment builds, oldest to newest. The
 * repository's inputs (every warehouse build, the mirror's history index,
 * logs on demand) are loaded once; each build's vector is computed by the
 * feature engine and stored with its enrichment status. Builds are written in
 * batches, each in one transaction, and already-finished builds are skipped,
 * so a job killed mid-way resumes at the first unprocessed build. Pull
 * requests stored at ingestion (pull_requests.h) are loaded when the plan
 * reads them; a PR build whose PR is not stored gets a partial vector.
 */
#include "pipeline/jobs_phase2.h"
#include "store/events.h"
#include "store/enrichment.h"
#include "pipeline/process_inputs.h"
#include "pipeline/registry.h"
#include "pipeline/scenario.h"
#include "pipeline/scenario_config.h"
#include "pipeline/pull_requests.h"
#include "pipeline/fanout.h"
#include "core/json.h"
#include "core/log.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "features/engine.h"
#include "store/status.h"
#include "store/scenarios.h"
#include <stdio.h>
#include <string.h>

#define BATCH 64

static int store_vector(struct store *s, int64_t scenario_id, const struct enrichment_pending *b, int64_t repo_id,
			const struct feat_vector *v, struct err *e)
{
	json_t *vals = feat_vector_values_json(v);
	char *values = json_dumps(vals, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(vals);
	json_t *mr = json_array(), *sk = json_array();
	for (size_t i = 0; i < v->missing_resources.n; i++)
		json_array_append_new(mr, json_string(v->missing_resources.v[i]));
	for (size_t i = 0; i < v->skipped_features.n; i++)
		json_array_append_new(sk, json_string(v->skipped_features.v[i]));
	char *mrs = json_dumps(mr, JSON_COMPACT), *sks = json_dumps(sk, JSON_COMPACT);
	json_decref(mr);
	json_decref(sk);
	struct feature_vector_row row = { .scenario_id = scenario_id, .build_id = b->id, .raw_run_id = b->raw_run_id,
					  .raw_repo_id = repo_id, .status = feat_vector_status(v), .values = values,
					  .missing_resources = mrs, .skipped_features = sks,
					  .catalogue_version = feat_catalogue_version(),
					  .feature_count = (int64_t)(v->n - v->skipped_features.n) };
	int rc = enrichment_builds_store_vector(s, &row, e);
	free(values);
	free(mrs);
	free(sks);
	return rc;
}

static int fail_build(struct store *s, const struct enrichment_pending *b, const char *msg, struct err *e)
{
	return enrichment_builds_fail(s, b->id, msg, e);
}

static int process_repo(struct job_ctx *ctx, struct err *e)
{
	struct store *s = ctx->store;
	const struct pipeline_app *app = ctx->app;
	int64_t sid = core_json_int(ctx->payload, "scenario_id", 0), rid = core_json_int(ctx->payload, "raw_repo_id", 0);
	struct feat_plan *plan = NULL;
	struct enrichment_pending *builds = NULL;
	size_t nb = 0;
	struct repo_inputs ri;
	struct repo_prs prs = REPO_PRS_INIT;
	memset(&ri, 0, sizeof(ri));
	int rc = scenario_feature_plan(s, sid, &plan, e);
	if (rc == 0)
		rc = enrichment_builds_pending(s, &builds, &nb, sid, rid, e);
	if (rc == 0 && nb > 0)
		rc = repo_inputs_load(&ri, s, app->data_dir, rid, (feat_plan_inputs(plan) & FEAT_IN_GIT) != 0, e);
	if (rc == 0 && nb > 0 && pr_plan_needs(plan))
		rc = repo_prs_load(&prs, s, rid, e);
	struct feat_session *sess = rc == 0 && nb > 0 ? feat_session_new(plan) : NULL;
	int want_logs = plan && (feat_plan_inputs(plan) & (FEAT_IN_LOGS | FEAT_IN_PREV_LOGS)) != 0;
	/*
	 * Each batch is computed first (reading git and logs, parsing earlier
	 * builds' logs) and only then written in one short transaction: on SQLite
	 * the write lock is not held while features are computed, so lease
	 * renewals and other workers are never kept waiting for it.
	 */
	struct feat_vector vecs[BATCH];
	char *errs[BATCH];
	long logs_upto = 0;
	for (size_t i = 0; rc == 0 && i < nb; i += BATCH) {
		if (job_ctx_cancelled(ctx)) {
			rc = err_set(e, ERR_CANCELLED, "processing of %s stopped (timeout, lost lease or SIGTERM)", ri.repo.full_name);
			break;
		}
		size_t n = nb - i < BATCH ? nb - i : BATCH;
		for (size_t k = 0; k < n; k++) {
			vecs[k] = (struct feat_vector)FEAT_VECTOR_INIT;
			errs[k] = NULL;
			if (rc == 0 && job_ctx_cancelled(ctx)) /* between builds: the batch is not written */
				rc = err_set(e, ERR_CANCELLED, "processing of %s stopped (timeout, lost lease or SIGTERM)",
					     ri.repo.full_name);
			if (rc < 0)
				continue;
			const struct enrichment_pending *b = &builds[i + k];
			long r = repo_inputs_find(&ri, b->raw_run_id);
			if (r < 0) {
				errs[k] = xstrdup("the build is no longer in the warehouse");
				continue;
			}
			/* The previous builds' logs too, for prev_log_*; [0, logs_upto) are loaded already, so each
			 * log is visited once per repository, not once per later build. */
			for (long h = logs_upto; rc == 0 && want_logs && h <= r; h++)
				rc = repo_inputs_log(&ri, s, app->data_dir, (size_t)h, NULL, e);
			if (rc == 0 && want_logs && r + 1 > logs_upto)
				logs_upto = r + 1;
			struct feat_input in = { .build = &ri.runs[r].b, .repo = &ri.repo, .history = &ri.history,
						 .git = ri.git, .log = ri.runs[r].log_state > 0 ? &ri.runs[r].log : NULL,
						 .pr = repo_prs_find(&prs, ri.runs[r].h.pr_number) };
			struct err fe = ERR_INIT;
			if (rc == 0 && feat_compute(&vecs[k], sess, &in, &fe) < 0)
				errs[k] = xstrdup(fe.msg);
		}
		if (rc == 0)
			rc = store_begin(s, e);
		int64_t processed = 0, partial = 0, failed = 0; /* the pending builds this batch finishes */
		for (size_t k = 0; rc == 0 && k < n; k++) {
			rc = errs[k] ? fail_build(s, &builds[i + k], errs[k], e)
				     : store_vector(s, sid, &builds[i + k], rid, &vecs[k], e);
			const char *st = errs[k] ? "failed" : feat_vector_status(&vecs[k]);
			failed += strcmp(st, "failed") == 0;
			partial += strcmp(st, "partial") == 0;
			processed += strcmp(st, "completed") == 0 || strcmp(st, "partial") == 0;
		}
		if (rc == 0) {
			char msg[256];
			snprintf(msg, sizeof(msg), "extracting features of %s", ri.repo.full_name);
			rc = scenarios_add_processing_counters(s, sid, processed, partial, failed, msg, e);
		}
		if (store_in_tx(s))
			rc = store_tx_end(s, rc, e);
		for (size_t k = 0; k < n; k++) {
			feat_vector_release(&vecs[k]);
			free(errs[k]);
		}
	}
	feat_session_free(sess);
	repo_prs_release(&prs);
	repo_inputs_release(&ri);
	free(builds);
	feat_plan_free(plan);
	return rc;
}

static int process_finish(struct job_ctx *ctx, struct err *e)
{
	int64_t id = core_json_int(ctx->payload, "scenario_id", 0);
	return fanout_fail_if_last(ctx, id, "processing", fanout_finish(ctx->store, &processing_fanout, id, e), e);
}

const struct job_kind job_kind_process_repo = { "process_repo", "processing", 3600, 5, process_repo };
const struct job_kind job_kind_process_finish = { "process_finish", "processing", 600, 5, process_finish };

/* Upserts of provider answers into the warehouse tables (see warehouse.h). */
#include "pipeline/warehouse.h"
#include "core/buf.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <string.h>

int warehouse_upsert_repo(struct store *s, const char *provider, const char *archive_dir, const struct ci_repo *r,
			  int64_t *id_out, struct err *e)
{
	char idbuf[32];
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)r->id);
	int64_t now = utc_now();
	struct store_val p[] = { sv_text(provider), sv_text(r->full_name), sv_text(r->id ? idbuf : NULL),
				 sv_text(r->default_branch), sv_text(r->language), sv_int(r->is_private),
				 sv_text(r->git_url), sv_text(archive_dir), sv_text(r->raw_json ? r->raw_json : "{}"),
				 sv_int(now), sv_int(now) };
	return store_insert_id(s, id_out, e,
			       "INSERT INTO raw_repositories (ci_provider, full_name, provider_repo_id, default_branch,"
			       " main_lang, is_private, clone_url, archive_dir, metadata, created_at, updated_at)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ci_provider, full_name) DO UPDATE SET"
			       " provider_repo_id = excluded.provider_repo_id, default_branch = excluded.default_branch,"
			       " main_lang = excluded.main_lang, is_private = excluded.is_private,"
			       " clone_url = excluded.clone_url, archive_dir = excluded.archive_dir, metadata = excluded.metadata,"
			       " updated_at = excluded.updated_at RETURNING id",
			       11, p);
}

static char *pr_json(const struct ci_run *r)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, '[');
	for (size_t i = 0; i < r->n_pr; i++)
		buf_addf(&b, "%s%lld", i ? "," : "", (long long)r->pr_numbers[i]);
	buf_addch(&b, ']');
	return buf_detach(&b, NULL);
}

int warehouse_upsert_run(struct store *s, const char *provider, int64_t repo_id, const struct ci_run *r,
			 int64_t *id_out, struct err *e)
{
	char *prs = pr_json(r);
	double dur = r->duration_usec == CI_TIME_UNKNOWN ? -1 : (double)r->duration_usec / 1e6;
	struct store_val p[] = {
		sv_int(repo_id), sv_text(provider), sv_text(r->ci_run_id), sv_int(r->build_number), sv_text(r->branch),
		sv_text(r->commit_sha), sv_text(r->commit_message), sv_text(r->author_name), sv_text(r->author_email),
		sv_text(r->event), sv_text(r->actor_login), sv_int(r->actor_is_bot), sv_text(prs), sv_text(r->status),
		sv_text(r->conclusion), sv_opt_int(r->created_at), sv_opt_int(r->started_at), sv_opt_int(r->completed_at),
		dur < 0 ? sv_null() : sv_real(dur), sv_text(r->web_url), sv_int(r->run_attempt > 0 ? r->run_attempt : 1),
		sv_text(r->raw_json ? r->raw_json : "{}"), sv_int(utc_now()),
	};
	int rc = store_insert_id(
		s, id_out, e,
		"INSERT INTO raw_build_runs (raw_repo_id, ci_provider, ci_run_id, build_number, branch, commit_sha,"
		" commit_message, author_name, author_email, event, actor_login, is_bot, pr_numbers, status, conclusion,"
		" created_at, started_at, completed_at, duration_sec, web_url, run_attempt, raw, fetched_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (ci_provider, raw_repo_id, ci_run_id) DO UPDATE SET build_number = excluded.build_number,"
		" branch = excluded.branch, commit_sha = excluded.commit_sha, commit_message = excluded.commit_message,"
		" author_name = excluded.author_name, author_email = excluded.author_email, event = excluded.event,"
		" actor_login = excluded.actor_login, is_bot = excluded.is_bot,"
		/* A fork PR's number found at ingestion (commits/{sha}/pulls) survives a re-validation,
		 * whose payload names no pull request again. */
		" pr_numbers = CASE WHEN excluded.pr_numbers = '[]' THEN raw_build_runs.pr_numbers"
		" ELSE excluded.pr_numbers END,"
		" status = excluded.status, conclusion = excluded.conclusion, created_at = excluded.created_at,"
		" started_at = excluded.started_at, completed_at = excluded.completed_at,"
		" duration_sec = excluded.duration_sec, web_url = excluded.web_url, run_attempt = excluded.run_attempt,"
		" raw = excluded.raw, fetched_at = excluded.fetched_at RETURNING id",
		23, p);
	free(prs);
	return rc;
}

int warehouse_upsert_jobs(struct store *s, int64_t run_id, const struct ci_job *jobs, size_t n, struct err *e)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct ci_job *j = &jobs[i];
		struct store_val p[] = { sv_int(run_id), sv_text(j->id), sv_text(j->name), sv_text(j->status),
					 sv_text(j->conclusion), sv_opt_int(j->started_at), sv_opt_int(j->completed_at),
					 sv_text(j->runner), sv_text(j->raw_json ? j->raw_json : "{}") };
		rc = store_exec(s, e, NULL,
				"INSERT INTO raw_build_jobs (raw_run_id, ci_job_id, name, status, conclusion, started_at,"
				" completed_at, runner_name, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
				" ON CONFLICT (raw_run_id, ci_job_id) DO UPDATE SET name = excluded.name,"
				" status = excluded.status, conclusion = excluded.conclusion, started_at = excluded.started_at,"
				/* A GraphQL listing knows no runner: it does not erase what a REST one stored. */
				" completed_at = excluded.completed_at,"
				" runner_name = COALESCE(excluded.runner_name, raw_build_jobs.runner_name), raw = excluded.raw",
				9, p);
	}
	if (rc == 0) {
		struct store_val q[] = { sv_int((int64_t)n), sv_int(run_id) };
		rc = store_exec(s, e, NULL, "UPDATE raw_build_runs SET jobs_count = ? WHERE id = ?", 2, q);
	}
	return rc;
}

const char *warehouse_filter_reason(const struct ci_run *r)
{
	if (!r->status || strcmp(r->status, "completed") != 0)
		return "not completed";
	if (r->actor_is_bot)
		return "triggered by a bot";
	if (!r->conclusion || (strcmp(r->conclusion, "success") != 0 && strcmp(r->conclusion, "failure") != 0))
		return "conclusion is neither success nor failure";
	return NULL;
}

/* Provider answers mapped to the warehouse rows of store/warehouse.h (see warehouse.h). */
#include "pipeline/warehouse.h"
#include "core/buf.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "store/warehouse.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

int warehouse_upsert_repo(struct store *s, const char *provider, const char *archive_dir, const struct ci_repo *r,
			  int64_t *id_out, struct err *e)
{
	char idbuf[32];
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)r->id);
	struct warehouse_repo_row row = { .provider = provider, .full_name = r->full_name,
					  .provider_repo_id = r->id ? idbuf : NULL, .default_branch = r->default_branch,
					  .main_lang = r->language, .is_private = r->is_private, .clone_url = r->git_url,
					  .archive_dir = archive_dir, .metadata = r->raw_json ? r->raw_json : "{}" };
	return warehouse_repo_upsert(s, id_out, &row, e);
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
	struct warehouse_run_row row = {
		.raw_repo_id = repo_id, .provider = provider, .ci_run_id = r->ci_run_id, .build_number = r->build_number,
		.branch = r->branch, .commit_sha = r->commit_sha, .commit_message = r->commit_message,
		.author_name = r->author_name, .author_email = r->author_email, .event = r->event,
		.actor_login = r->actor_login, .is_bot = r->actor_is_bot, .pr_numbers = prs, .status = r->status,
		.conclusion = r->conclusion, .created_at = r->created_at, .started_at = r->started_at,
		.completed_at = r->completed_at,
		.duration_sec = r->duration_usec == CI_TIME_UNKNOWN ? -1 : (double)r->duration_usec / 1e6,
		.web_url = r->web_url, .run_attempt = r->run_attempt > 0 ? r->run_attempt : 1,
		.raw = r->raw_json ? r->raw_json : "{}", .fetched_at = utc_now(),
	};
	int rc = warehouse_run_upsert(s, id_out, &row, e);
	free(prs);
	return rc;
}

int warehouse_upsert_jobs(struct store *s, int64_t run_id, const struct ci_job *jobs, size_t n, struct err *e)
{
	struct warehouse_job_row *rows = xcalloc(n ? n : 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		const struct ci_job *j = &jobs[i];
		rows[i] = (struct warehouse_job_row){ .ci_job_id = j->id, .name = j->name, .status = j->status,
						      .conclusion = j->conclusion, .started_at = j->started_at,
						      .completed_at = j->completed_at, .runner = j->runner,
						      .raw = j->raw_json ? j->raw_json : "{}" };
	}
	int rc = warehouse_jobs_upsert(s, run_id, rows, n, e);
	free(rows);
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

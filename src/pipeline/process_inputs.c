/* Loading one repository's feature inputs (see process_inputs.h). */
#include "pipeline/process_inputs.h"
#include "store/warehouse.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "store/blobs.h"
#include <stdio.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int load_repo_row(struct repo_inputs *ri, struct store *s, struct err *e)
{
	struct store_cursor *c;
	int rc = warehouse_repo_get(s, &c, ri->repo_id, e);
	if (rc < 0)
		return rc;
	if ((rc = store_next(c, e)) == 1) {
		/* full_name, main_lang, default_branch, ci_provider, clone_url (warehouse_repo_get's columns 0 4 5 1 2) */
		static const int cols[] = { 0, 4, 5, 1, 2 };
		for (int i = 0; i < 5; i++)
			ri->repo_strs[i] = dup_or_null(store_col_text(c, cols[i]));
		ri->repo = (struct feat_repo){ ri->repo_strs[0], ri->repo_strs[1], ri->repo_strs[2], ri->repo_strs[3] };
		rc = 0;
	} else if (rc == 0) {
		rc = err_set(e, ERR_PERMANENT, "repository %lld is not in the warehouse", (long long)ri->repo_id);
	}
	store_cursor_free(c);
	return rc;
}

static void fill_run(struct run_row *r, struct store_cursor *c)
{
	/* columns: id ci_run_id build_number commit_sha branch event ci_provider actor_login is_bot author_name
	 * author_email pr_numbers status conclusion created_at started_at completed_at duration_sec run_attempt
	 * jobs_count */
	static const int text_cols[] = { 1, 3, 4, 5, 6, 7, 9, 10, 12, 13 };
	for (int i = 0; i < 10; i++)
		r->strs[i] = dup_or_null(store_col_text(c, text_cols[i]));
	r->raw_run_id = store_col_int(c, 0);
	json_t *prs = json_loads(store_col_text(c, 11), 0, NULL);
	size_t np = json_array_size(prs);
	r->prs = xcalloc(np ? np : 1, sizeof(int64_t));
	for (size_t i = 0; i < np; i++)
		r->prs[i] = json_integer_value(json_array_get(prs, i));
	json_decref(prs);
	double dur = store_col_isnull(c, 17) ? -1 : store_col_real(c, 17);
	r->b = (struct feat_build){
		.id = r->raw_run_id, .ci_run_id = r->strs[0], .build_number = store_col_int(c, 2),
		.commit_sha = r->strs[1], .branch = r->strs[2], .event = r->strs[3], .provider = r->strs[4],
		.actor_login = r->strs[5], .actor_is_bot = (int)store_col_int(c, 8), .author_name = r->strs[6],
		.author_email = r->strs[7], .pr_numbers = r->prs, .n_pr_numbers = np, .status = r->strs[8],
		.conclusion = r->strs[9], .created_at = store_col_int_or(c, 14, FEAT_TIME_UNKNOWN),
		.started_at = store_col_int_or(c, 15, FEAT_TIME_UNKNOWN),
		.completed_at = store_col_int_or(c, 16, FEAT_TIME_UNKNOWN), .duration_sec = dur,
		.run_attempt = store_col_int(c, 18), .jobs_count = store_col_int(c, 19),
	};
	r->h = (struct feat_hist_build){
		.id = r->raw_run_id, .ci_run_id = r->strs[0], .commit_sha = r->strs[1], .branch = r->strs[2], .started_at = r->b.started_at,
		.created_at = r->b.created_at, .completed_at = r->b.completed_at, .conclusion = r->strs[9],
		.duration_sec = dur, .author_email = r->strs[7], .actor_login = r->strs[5],
		.pr_number = np ? r->prs[0] : 0, .log = NULL,
	};
	logs_result_init(&r->log);
}

static int load_runs(struct repo_inputs *ri, struct store *s, struct err *e)
{
	struct store_cursor *c;
	/* Ties in time are broken by the provider's run id, never by the warehouse id (store/warehouse.c). */
	int rc = warehouse_repo_runs(s, &c, ri->repo_id, e);
	if (rc < 0)
		return rc;
	size_t cap = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)&ri->runs, &cap, ri->nruns + 1, sizeof(*ri->runs));
		struct run_row *r = &ri->runs[ri->nruns++];
		memset(r, 0, sizeof(*r));
		fill_run(r, c);
	}
	store_cursor_free(c);
	if (rc < 0)
		return rc;
	ri->hist = xcalloc(ri->nruns ? ri->nruns : 1, sizeof(*ri->hist));
	for (size_t i = 0; i < ri->nruns; i++)
		ri->hist[i] = ri->runs[i].h;
	ri->history = (struct feat_history){ ri->hist, ri->nruns };
	return 0;
}

static int load_git(struct repo_inputs *ri, const char *data_dir, struct err *e)
{
	char *path = xasprintf("%s/repos/%s.git", data_dir, ri->repo.full_name);
	int exists = fs_is_dir(path);
	free(path);
	if (!exists) {
		ri->git_error = xstrdup("the repository has no mirror (ingestion did not clone it)");
		return 0;
	}
	struct err ge = ERR_INIT;
	/* The mirror exists, so git_mirror_open does not clone here. */
	const char *url = ri->repo_strs[4] ? ri->repo_strs[4] : "file:///nonexistent";
	int rc = git_mirror_open(&ri->mirror, NULL, data_dir, ri->repo.full_name, url, &ge);
	/* The index is cached beside the mirror: a later job (another scenario, a retry) only indexes new commits. */
	char *cache = rc == 0 ? fs_join(git_mirror_path(ri->mirror), "ciminer-history.idx") : NULL;
	if (rc == 0)
		rc = git_history_open(&ri->git, git_mirror_repo(ri->mirror), cache, NULL, &ge);
	free(cache);
	if (rc < 0) {
		log_warn("%s: no git history for features: %s", ri->repo.full_name, ge.msg);
		ri->git_error = xstrdup(ge.msg);
		git_history_free(ri->git);
		ri->git = NULL;
		return rc == ERR_IO || rc == ERR_INTERNAL ? err_copy(e, &ge) : 0;
	}
	return 0;
}

int repo_inputs_load(struct repo_inputs *ri, struct store *s, const char *data_dir, int64_t repo_id, int want_git,
		     struct err *e)
{
	memset(ri, 0, sizeof(*ri));
	ri->repo_id = repo_id;
	int rc = load_repo_row(ri, s, e);
	if (rc == 0)
		rc = load_runs(ri, s, e);
	if (rc == 0 && want_git)
		rc = load_git(ri, data_dir, e);
	return rc;
}

long repo_inputs_find(const struct repo_inputs *ri, int64_t raw_run_id)
{
	size_t lo = 0, hi = ri->nruns;
	for (size_t i = lo; i < hi; i++) /* runs are ordered by time, not id */
		if (ri->runs[i].raw_run_id == raw_run_id)
			return (long)i;
	return -1;
}

int repo_inputs_log(struct repo_inputs *ri, struct store *s, const char *data_dir, size_t i,
		    const struct logs_result **out, struct err *e)
{
	struct run_row *r = &ri->runs[i];
	if (out)
		*out = NULL;
	if (r->log_state) {
		if (out && r->log_state > 0)
			*out = &r->log;
		return 0;
	}
	struct store_cursor *c;
	int rc = warehouse_run_logs(s, &c, r->raw_run_id, e);
	if (rc < 0)
		return rc;
	int jobs = 0, ok = 0;
	struct buf data = BUF_INIT;
	while ((rc = store_next(c, e)) == 1) {
		jobs++;
		const char *st = store_col_text(c, 0), *sha = store_col_text(c, 1);
		if (!st || strcmp(st, "ok") != 0 || !sha)
			continue;
		buf_reset(&data);
		struct err be = ERR_INIT;
		int brc = blob_get(data_dir, sha, &data, 0, &be);
		if (brc == ERR_NOT_FOUND)
			continue; /* the blob store lost it: the log counts as missing */
		if (brc < 0) {
			rc = err_copy(e, &be);
			break;
		}
		struct logs_result one;
		logs_result_init(&one);
		logs_parse_buffer(&one, data.data, data.len);
		logs_result_merge(&r->log, &one);
		logs_result_release(&one);
		ok++;
	}
	store_cursor_free(c);
	buf_release(&data);
	if (rc < 0)
		return rc;
	/* A build's logs count as present only when every job's log is. */
	r->log_state = jobs > 0 && ok == jobs ? 1 : -1;
	if (r->log_state > 0) {
		ri->hist[i].log = &r->log;
		if (out)
			*out = &r->log;
	}
	return 0;
}

void repo_inputs_release(struct repo_inputs *ri)
{
	for (size_t i = 0; i < ri->nruns; i++) {
		struct run_row *r = &ri->runs[i];
		for (int k = 0; k < 10; k++)
			free(r->strs[k]);
		free(r->prs);
		logs_result_release(&r->log);
	}
	free(ri->runs);
	free(ri->hist);
	for (int i = 0; i < 5; i++)
		free(ri->repo_strs[i]);
	git_history_free(ri->git);
	git_mirror_free(ri->mirror);
	free(ri->git_error);
	memset(ri, 0, sizeof(*ri));
}

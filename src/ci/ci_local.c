/*
 * Local archive provider: a folder holding runs in GitHub's shapes, for
 * air-gapped use, datasets such as TravisTorrent or GHALogs, and the demo
 * (format: docs/local-archive.md).
 *
 *   repos.json      JSON array of repository objects ("full_name" required;
 *                   "id", "default_branch", "language", "private", and
 *                   "git_url": a URL, or a path relative to the archive)
 *   runs.jsonl      one GitHub workflow-run object per line, with
 *                   "repository": {"full_name"} and optionally "jobs": [...]
 *   logs/<job id>.log or logs/<job id>.log.zst
 *   pulls.jsonl     optional: one GitHub pull-request object per line with
 *                   "repository": {"full_name"} (or base.repo.full_name) and
 *                   arrays issue_comments, review_comments, commit_comments
 *                   and reviews (when each review comment became visible)
 *                   (read whole on the first pull-request question)
 *
 * Opening indexes runs.jsonl once (run id -> byte range of its line); each
 * look-up reads and parses that one line. Nothing is kept parsed in memory.
 */
#include "ci/ci_github.h"
#include "ci/common.h"
#include "ci/pr.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zstd.h>

struct span {
	long long off;
	size_t len;
};

struct local {
	char *dir;
	FILE *runs;
	struct strmap index; /* run id -> struct span * */
	struct strmap repos; /* lower-case full name -> json_t * (repository object) */
	int pulls_state;     /* 0 not read yet, 1 read, -1 the archive has no pulls.jsonl */
	int pulls_rc;        /* a bad pulls.jsonl: every later question gets this error */
	struct err pulls_err;
	struct strmap pulls; /* "<lower-case full name>#<number>" -> json_t * (pull object) */
};

static char *lower(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

static void local_free(void *v)
{
	struct local *L = v;
	if (L->runs)
		fclose(L->runs);
	strmap_clear(&L->index, free);
	strmap_clear(&L->repos, (void (*)(void *))json_decref);
	strmap_clear(&L->pulls, (void (*)(void *))json_decref);
	free(L->dir);
	free(L);
}

static void add_repo(struct local *L, json_t *repo)
{
	const char *full = core_json_str(repo, "full_name", NULL);
	char *key;
	if (!full)
		return;
	key = lower(full);
	if (!strmap_has(&L->repos, key))
		strmap_put(&L->repos, key, json_incref(repo));
	free(key);
}

static int local_index(struct local *L, const char *path, struct err *e)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long off = 0, lineno = 0;
	while ((n = getline(&line, &cap, L->runs)) > 0) {
		json_error_t je;
		json_t *j;
		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)n) {
			off += n;
			continue;
		}
		j = json_loadb(line, (size_t)n, 0, &je);
		if (!j || !json_is_integer(json_object_get(j, "id"))) {
			json_decref(j);
			free(line);
			return err_set(e, ERR_INPUT, "%s:%lld: not a workflow run with an integer \"id\" (%s); fix the line",
				       path, lineno, j ? "no id" : je.text);
		}
		{
			char id[32];
			struct span *sp = xmalloc(sizeof(*sp));
			json_t *repo = json_object_get(j, "repository");
			snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(j, "id")));
			sp->off = off;
			sp->len = (size_t)n;
			free(strmap_put(&L->index, id, sp));
			if (json_is_object(repo))
				add_repo(L, repo);
		}
		json_decref(j);
		off += n;
	}
	free(line);
	return 0;
}

static int ci_local_setup(struct ci_provider *p, const struct ci_options *o, struct err *e)
{
	const char *dir = o->archive_dir ? o->archive_dir : getenv("CIMINER_LOCAL_ARCHIVE");
	struct local *L;
	char *runs, *repos;
	int rc = 0;
	if (!dir || !*dir)
		return err_set(e, ERR_INPUT, "the local provider needs an archive folder; set CIMINER_LOCAL_ARCHIVE");
	runs = fs_join(dir, "runs.jsonl");
	if (!fs_exists(runs)) {
		rc = err_set(e, ERR_INPUT, "%s is not a local archive: %s is missing (see docs/local-archive.md)", dir, runs);
		free(runs);
		return rc;
	}
	L = xcalloc(1, sizeof(*L));
	p->impl = L;
	p->api_url = xstrdup(dir);
	L->dir = xstrdup(dir);
	L->runs = fopen(runs, "r");
	repos = fs_join(dir, "repos.json");
	if (!L->runs)
		rc = err_set(e, ERR_IO, "cannot read %s", runs);
	if (!rc && fs_exists(repos)) {
		/* repos.json first: its entries win over the runs' embedded repository objects. */
		json_t *arr = core_json_load_file(repos, e), *r;
		size_t i;
		if (!arr || !json_is_array(arr))
			rc = err_set(e, ERR_INPUT, "%s must be a JSON array of repository objects", repos);
		json_array_foreach(arr, i, r)
			add_repo(L, r);
		json_decref(arr);
	}
	if (!rc)
		rc = local_index(L, runs, e);
	free(runs);
	free(repos);
	return rc;
}

static int local_repo_get(struct ci_provider *p, struct ci_repo *out, const char *full_name, struct err *e)
{
	struct local *L = p->impl;
	char *key = lower(full_name);
	json_t *j = strmap_get(&L->repos, key);
	const char *git;
	free(key);
	if (!j)
		return err_set(e, CI_ERR_NOT_FOUND, "repository %s is not in the archive %s", full_name, L->dir);
	out->full_name = ci_common_str(j, "full_name");
	out->id = core_json_int(j, "id", 0);
	out->default_branch = ci_common_str(j, "default_branch");
	out->language = ci_common_str(j, "language");
	out->is_private = core_json_bool(j, "private", 0);
	git = core_json_str(j, "git_url", NULL);
	if (git && (strstr(git, "://") || git[0] == '/' || !strncmp(git, "git@", 4)))
		out->git_url = xstrdup(git);
	else if (git)
		out->git_url = fs_join(L->dir, git);
	else
		out->git_url = xasprintf("%s/%s.git", p->git_url, out->full_name);
	out->raw_json = ci_common_dump(j);
	return 0;
}

/* The run's line parsed, checked to belong to repo; caller decrefs. */
static int local_load(struct local *L, json_t **out, const char *repo, const char *id, struct err *e)
{
	struct span *sp = strmap_get(&L->index, id);
	char *line;
	const char *full;
	*out = NULL;
	if (!sp)
		return err_set(e, CI_ERR_NOT_FOUND, "run %s is not in the archive %s", id, L->dir);
	line = xmalloc(sp->len + 1);
	if (fseeko(L->runs, sp->off, SEEK_SET) || fread(line, 1, sp->len, L->runs) != sp->len) {
		free(line);
		return err_set(e, ERR_IO, "cannot read run %s from %s/runs.jsonl", id, L->dir);
	}
	*out = core_json_parse(line, sp->len, "runs.jsonl", e);
	free(line);
	if (!*out)
		return ERR_INPUT;
	full = core_json_str(core_json_path(*out, "repository"), "full_name", "");
	if (strcasecmp(full, repo)) {
		err_set(e, CI_ERR_NOT_FOUND, "run %s belongs to %s, not %s", id, full, repo);
		json_decref(*out); /* full points into it */
		*out = NULL;
		return CI_ERR_NOT_FOUND;
	}
	return 0;
}

static void map_jobs(struct ci_job **out, size_t *n, const json_t *run)
{
	json_t *jobs = json_object_get(run, "jobs"), *v;
	size_t i;
	*out = NULL;
	*n = 0;
	if (!json_array_size(jobs))
		return;
	*out = xcalloc(json_array_size(jobs), sizeof(**out));
	json_array_foreach(jobs, i, v) {
		struct ci_job *job = &(*out)[(*n)++];
		ci_github_map_job(job, v);
		if (!job->run_id)
			job->run_id = xasprintf("%lld", (long long)core_json_int(run, "id", 0));
	}
}

static int local_run_get(struct ci_provider *p, struct ci_run *out, const char *repo, const char *id, struct err *e)
{
	json_t *j = NULL, *copy;
	int rc = local_load(p->impl, &j, repo, id, e);
	if (rc)
		return rc;
	/* raw_json is the run without its jobs (those are stored per job). */
	copy = json_copy(j);
	json_object_del(copy, "jobs");
	ci_github_map_run(out, copy);
	json_decref(copy);
	map_jobs(&out->jobs, &out->n_jobs, j);
	out->jobs_known = 1; /* the archive is the whole truth: a run without "jobs" has none */
	json_decref(j);
	return 0;
}

static int local_jobs_list(struct ci_provider *p, struct ci_job **out, size_t *n, const char *repo,
			   const char *run_id, struct err *e)
{
	json_t *j = NULL;
	int rc = local_load(p->impl, &j, repo, run_id, e);
	if (rc)
		return rc;
	map_jobs(out, n, j);
	json_decref(j);
	return 0;
}

/* Writes data to the request's sink up to cap; returns 1 when the cap stopped it, <0 on a sink error. */
static int emit(struct ci_log_req *q, const void *data, size_t len, size_t cap)
{
	int stop = 0;
	if (cap && q->bytes + len > cap) {
		len = cap - q->bytes;
		q->truncated = stop = 1;
	}
	if (len && q->sink.write(q->sink.ctx, data, len) < 0)
		return err_set(&q->err, ERR_IO, "the log destination refused the data");
	q->bytes += len;
	return stop;
}

static int stream_file(struct ci_log_req *q, FILE *f, int zst, size_t cap, const char *path)
{
	size_t inn = zst ? ZSTD_DStreamInSize() : 1 << 16, outn = ZSTD_DStreamOutSize();
	char *in = xmalloc(inn), *outb = xmalloc(outn);
	ZSTD_DStream *ds = zst ? ZSTD_createDStream() : NULL;
	size_t got;
	int rc = 0;
	while (!rc && (got = fread(in, 1, inn, f)) > 0) {
		if (!zst) {
			rc = emit(q, in, got, cap);
			continue;
		}
		ZSTD_inBuffer ib = { in, got, 0 };
		while (!rc && ib.pos < ib.size) {
			ZSTD_outBuffer ob = { outb, outn, 0 };
			size_t z = ZSTD_decompressStream(ds, &ob, &ib);
			if (ZSTD_isError(z))
				rc = err_set(&q->err, ERR_INPUT, "%s: not valid zstd (%s)", path, ZSTD_getErrorName(z));
			else
				rc = emit(q, outb, ob.pos, cap);
		}
	}
	if (ds)
		ZSTD_freeDStream(ds);
	free(in);
	free(outb);
	return rc < 0 ? rc : 0;
}

static int local_logs_fetch(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
			    struct err *e)
{
	struct local *L = p->impl;
	(void)repo;
	(void)e;
	for (size_t i = 0; i < n; i++) {
		if (strchr(reqs[i].job_id, '/')) { /* "../../x" would read x.log outside the archive: refused */
			reqs[i].rc = err_set(&reqs[i].err, CI_ERR_NOT_FOUND, "job id '%s' cannot name a log in %s/logs",
					     reqs[i].job_id, L->dir);
			ci_log_req_notify(&reqs[i]);
			continue;
		}
		char *rel = xasprintf("logs/%s.log", reqs[i].job_id), *path = fs_join(L->dir, rel);
		char *zpath = xasprintf("%s.zst", path);
		int zst = !fs_exists(path) && fs_exists(zpath);
		FILE *f = fopen(zst ? zpath : path, "rb");
		if (!f)
			reqs[i].rc = err_set(&reqs[i].err, CI_ERR_NOT_FOUND, "no log for job %s in %s (looked for %s[.zst])",
					     reqs[i].job_id, L->dir, rel);
		else {
			reqs[i].rc = stream_file(&reqs[i], f, zst, cap, zst ? zpath : path);
			fclose(f);
		}
		free(rel);
		free(path);
		free(zpath);
		ci_log_req_notify(&reqs[i]); /* this log is done: the caller may store it while the next is read */
	}
	return 0;
}

/* Reads pulls.jsonl once; sets pulls_state. */
static int load_pulls(struct local *L, struct err *e)
{
	char *path = fs_join(L->dir, "pulls.jsonl");
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long lineno = 0;
	int rc = 0;
	L->pulls_state = f ? 1 : -1;
	while (f && !rc && (n = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *j;
		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		j = json_loadb(line, (size_t)n, 0, &je);
		const char *full = core_json_str(core_json_path(j, "repository"), "full_name", NULL);
		if (!full)
			full = core_json_str(core_json_path(j, "base.repo"), "full_name", NULL);
		if (!j || !full || core_json_int(j, "number", 0) <= 0) {
			rc = err_set(e, ERR_INPUT,
				     "%s:%lld: not a pull request with a \"number\" and repository.full_name (%s); fix the line",
				     path, lineno, j ? "a field is missing" : je.text);
			json_decref(j);
			break;
		}
		char *low = lower(full), *key = xasprintf("%s#%lld", low, (long long)core_json_int(j, "number", 0));
		json_t *old = strmap_put(&L->pulls, key, j);
		json_decref(old);
		free(low);
		free(key);
	}
	free(line);
	if (f)
		fclose(f);
	free(path);
	return rc;
}

int ci_local_prs_available(struct ci_provider *p)
{
	struct local *L = p->impl;
	if (!L->pulls_state)
		L->pulls_rc = load_pulls(L, &L->pulls_err);
	return L->pulls_state > 0;
}

int ci_local_prs_get(struct ci_provider *p, const char *repo, struct ci_pr_req *reqs, size_t n, struct ci_pr_ctx *ctx,
		     struct err *e)
{
	(void)ctx; /* the archive holds everything in memory: nothing to share between calls */
	struct local *L = p->impl;
	if (!L->pulls_state)
		L->pulls_rc = load_pulls(L, &L->pulls_err);
	if (L->pulls_rc)
		return err_copy(e, &L->pulls_err);
	if (L->pulls_state < 0)
		return err_set(e, CI_ERR_PERMANENT, "the local provider has no pull-request data for %s (no %s/pulls.jsonl)",
			       repo, L->dir);
	char *low = lower(repo);
	for (size_t i = 0; i < n; i++) {
		char *key = xasprintf("%s#%lld", low, (long long)reqs[i].number);
		json_t *j = strmap_get(&L->pulls, key), *copy;
		free(key);
		if (!j) {
			reqs[i].rc = err_set(&reqs[i].err, CI_ERR_NOT_FOUND, "pull request #%lld of %s is not in %s/pulls.jsonl",
					     (long long)reqs[i].number, repo, L->dir);
			continue;
		}
		struct ci_pr *pr = &reqs[i].pr;
		pr->number = reqs[i].number;
		ci_github_add_comments(pr, json_object_get(j, "issue_comments"), CI_COMMENT_ISSUE);
		/* At their review's submission, as from GitHub (pr.h); without "reviews", a comment that names a
		 * review is left out rather than counted from its draft time. */
		ci_pr_add_review_comments(pr, json_object_get(j, "review_comments"), json_object_get(j, "reviews"));
		ci_github_add_comments(pr, json_object_get(j, "commit_comments"), CI_COMMENT_COMMIT);
		/* The pull request as GitHub gives it, without the archive's comment and review arrays. */
		copy = json_copy(j);
		json_object_del(copy, "issue_comments");
		json_object_del(copy, "review_comments");
		json_object_del(copy, "commit_comments");
		json_object_del(copy, "reviews");
		ci_github_map_pr(pr, copy);
		json_decref(copy);
		reqs[i].rc = 0;
	}
	free(low);
	return 0;
}

const struct ci_provider_ops ci_local_ops = {
	.kind = CI_LOCAL,
	.setup = ci_local_setup,
	.repo_get = local_repo_get,
	.run_get = local_run_get,
	.runs_lookup = NULL,
	.jobs_list = local_jobs_list,
	.logs_fetch = local_logs_fetch,
	.free_impl = local_free,
	.prs_get = ci_local_prs_get,
	.prs_available = ci_local_prs_available,
};

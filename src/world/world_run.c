/*
 * A generated build as GitHub reports it: the workflow-run object (with
 * repository, head_repository, head_commit, pull_requests, actor), its jobs
 * (with steps whose times are read off the rendered log), and the job logs
 * written under logs/. The run's JSON line is kept for runs.jsonl, which
 * world.c writes in id order once every repository is done.
 */
#include "world/world_internal.h"
#include "core/fs.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define P_LOG_EXPIRED 0.03

static void set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static void set_strf(json_t *o, const char *k, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_strf(json_t *o, const char *k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *v = xvasprintf(fmt, ap);
	va_end(ap);
	json_object_set_new(o, k, json_string(v));
	free(v);
}

static void set_int(json_t *o, const char *k, long long v)
{
	json_object_set_new(o, k, json_integer(v));
}

static void set_time(json_t *o, const char *k, int64_t usec)
{
	char t[UTC_FMT_MAX];
	/* GitHub reports whole seconds. */
	json_object_set_new(o, k, json_string(utc_format(usec / USEC_PER_SEC * USEC_PER_SEC, t)));
}

static json_t *person_json(const struct wperson *p)
{
	json_t *o = json_object();
	set_str(o, "login", p->login);
	set_int(o, "id", p->gh_id);
	set_str(o, "type", p->bot ? "Bot" : "User");
	json_object_set_new(o, "site_admin", json_false());
	return o;
}

static json_t *repo_json(const struct wrepo *r, const struct wperson *fork_owner)
{
	json_t *o = json_object(), *owner = json_object();
	char *full = fork_owner ? xasprintf("%s/%s", fork_owner->login, r->name) : xstrdup(r->full);
	char *url = xasprintf("https://github.com/%s", full), *api = xasprintf("https://api.github.com/repos/%s", full);
	set_int(o, "id", fork_owner ? r->gh_id + 1000 + fork_owner->gh_id % 100000 : r->gh_id);
	set_str(o, "name", r->name);
	set_str(o, "full_name", full);
	json_object_set_new(o, "private", json_false());
	set_str(owner, "login", fork_owner ? fork_owner->login : r->owner);
	set_int(owner, "id", fork_owner ? fork_owner->gh_id : r->gh_id / 7);
	set_str(owner, "type", fork_owner ? "User" : "Organization");
	json_object_set_new(o, "owner", owner);
	set_str(o, "html_url", url);
	json_object_set_new(o, "fork", json_boolean(fork_owner != NULL));
	set_str(o, "url", api);
	free(full);
	free(url);
	free(api);
	return o;
}

/* The repo object of a PR's head or base (the same repository: forks are not modelled here). */
static json_t *pr_repo_json(const struct wrepo *r, const char *rurl)
{
	json_t *o = json_object();
	set_int(o, "id", r->gh_id);
	set_str(o, "url", rurl);
	set_str(o, "name", r->name);
	return o;
}

static json_t *pr_json(const struct wrepo *r, const struct wbuild *b, const char *sha)
{
	json_t *pr = json_object(), *head = json_object(), *base = json_object();
	char base_sha[GIT_OID_HEXSZ + 1];
	char *url = xasprintf("https://api.github.com/repos/%s/pulls/%d", r->full, b->pr);
	char *rurl = xasprintf("https://api.github.com/repos/%s", r->full);
	git_oid_tostr(base_sha, sizeof(base_sha), &b->base_sha);
	set_str(pr, "url", url);
	set_int(pr, "id", 1000000000LL + r->gh_id % 1000 * 100000 + b->pr);
	set_int(pr, "number", b->pr);
	set_str(head, "ref", b->branch);
	set_str(head, "sha", sha);
	json_object_set_new(head, "repo", pr_repo_json(r, rurl));
	set_str(base, "ref", b->base_branch);
	set_str(base, "sha", base_sha);
	json_object_set_new(base, "repo", pr_repo_json(r, rurl));
	json_object_set_new(pr, "head", head);
	json_object_set_new(pr, "base", base);
	free(url);
	free(rurl);
	return pr;
}

/* A plain write, no fsync: the archive is a .partial folder renamed into place when complete. */
static int write_file(const char *path, const void *data, size_t len, struct err *e)
{
	FILE *f = fopen(path, "wb");
	int bad = !f || (len && fwrite(data, 1, len, f) != len);
	if (f && fclose(f))
		bad = 1;
	return bad ? err_set(e, ERR_IO, "cannot write %s (disk full?)", path) : 0;
}

static int write_log(struct wrepo *r, int64_t job_id, const struct buf *log, struct err *e)
{
	char name[64];
	char *path;
	int rc;
	snprintf(name, sizeof(name), "logs/%lld.log%s", (long long)job_id, r->opts->compress_logs ? ".zst" : "");
	path = fs_join(r->tmp_dir, name);
	if (r->opts->compress_logs) {
		size_t cap = ZSTD_compressBound(log->len);
		char *z = xmalloc(cap);
		size_t zn = ZSTD_compress(z, cap, log->data, log->len, 3);
		rc = ZSTD_isError(zn) ? err_set(e, ERR_INTERNAL, "zstd refused log %s: %s", name, ZSTD_getErrorName(zn))
				      : write_file(path, z, zn, e);
		free(z);
	} else
		rc = write_file(path, log->data, log->len, e);
	free(path);
	return rc;
}

static json_t *job_json(const struct wrepo *r, const struct wbuild *b, const struct wjob *j, int64_t run_id,
			int64_t job_id, int64_t created, const char *sha)
{
	json_t *o = json_object(), *steps = json_array(), *labels = json_array();
	set_int(o, "id", job_id);
	set_int(o, "run_id", run_id);
	set_str(o, "workflow_name", "CI");
	set_str(o, "head_branch", b->branch);
	set_strf(o, "run_url", "https://api.github.com/repos/%s/actions/runs/%lld", r->full, (long long)run_id);
	set_int(o, "run_attempt", b->oc.run_attempt);
	set_strf(o, "node_id", "CR_kwDO%08llx", (unsigned long long)(job_id & 0xffffffffULL));
	set_str(o, "head_sha", sha);
	set_strf(o, "url", "https://api.github.com/repos/%s/actions/jobs/%lld", r->full, (long long)job_id);
	set_strf(o, "html_url", "https://github.com/%s/actions/runs/%lld/job/%lld", r->full, (long long)run_id, (long long)job_id);
	set_str(o, "status", "completed");
	set_str(o, "conclusion", j->conclusion);
	set_time(o, "created_at", created);
	set_time(o, "started_at", j->start);
	set_time(o, "completed_at", j->end);
	set_str(o, "name", j->name);
	for (int i = 0; i < j->nsteps; i++) {
		json_t *st = json_object();
		set_str(st, "name", j->steps[i].name);
		set_str(st, "status", "completed");
		set_str(st, "conclusion", j->steps[i].conclusion ? j->steps[i].conclusion : "success");
		set_int(st, "number", i + 1);
		set_time(st, "started_at", j->steps[i].start);
		set_time(st, "completed_at", j->steps[i].end);
		json_array_append_new(steps, st);
	}
	json_object_set_new(o, "steps", steps);
	json_array_append_new(labels, json_string("ubuntu-latest"));
	json_object_set_new(o, "labels", labels);
	set_int(o, "runner_id", j->runner);
	set_strf(o, "runner_name", "GitHub Actions %d", j->runner);
	set_int(o, "runner_group_id", 2);
	set_str(o, "runner_group_name", "GitHub Actions");
	return o;
}

/* Runs the jobs (logs written unless expired); fills jobs[] and returns the run's end time. */
static int run_jobs(struct wrepo *r, struct wbuild *b, struct wjob *jobs, int64_t started, int64_t job_base,
		    int64_t *end, struct err *e)
{
	struct buf log = BUF_INIT;
	static const char *const py_names[] = { "test (3.10)", "test (3.11)", "test (3.12)" };
	static const char *const java_names[] = { "build (17)", "build (21)", "build (11)" };
	int rc = 0;
	*end = started;
	for (int k = 0; k < r->n_jobs && !rc; k++) {
		struct wjob *j = &jobs[k];
		int vi = !strcmp(r->versions[k], "3.10") || !strcmp(r->versions[k], "17") ? 0
			 : !strcmp(r->versions[k], "3.11") || !strcmp(r->versions[k], "21") ? 1 : 2;
		memset(j, 0, sizeof(*j));
		j->name = r->lang == WL_PYTHON ? py_names[vi] : java_names[vi];
		j->version = r->versions[k];
		j->index = k;
		j->runner = wr_range(&r->rng, 1, 40);
		/* Queueing: seconds usually, minutes at busy times. */
		j->start = started + (int64_t)((2 + wr_exp(&r->rng, wr_chance(&r->rng, 0.05) ? 180 : 8)) * USEC_PER_SEC);
		if (!strcmp(b->oc.conclusion, "cancelled"))
			j->stop = 1;
		else if (!strcmp(b->oc.conclusion, "timed_out"))
			j->stop = 2;
		else if (b->oc.only_job < 0 || b->oc.only_job == k)
			j->fail = b->oc.fail;
		buf_reset(&log);
		world_log_job(r, b, j, &log);
		if (j->end > *end)
			*end = j->end;
		if (wr_chance(&r->rng, P_LOG_EXPIRED))
			r->sum->logs_expired++;
		else if (!(rc = write_log(r, job_base + k, &log, e)))
			r->sum->logs++;
	}
	buf_release(&log);
	return rc;
}

static const char *run_conclusion(const struct wjob *jobs, int n)
{
	const char *c = "success";
	for (int k = 0; k < n; k++)
		if (strcmp(jobs[k].conclusion, "success"))
			c = jobs[k].conclusion;
	return c;
}

static json_t *git_person_json(const struct wperson *p)
{
	json_t *o = json_object();
	set_str(o, "name", p->name);
	set_str(o, "email", p->email);
	return o;
}

/* Adds the emitted build to the world's summary. */
static void count_build(struct world_summary *sum, const struct wbuild *b, int n_jobs)
{
	sum->jobs += n_jobs;
	sum->builds++;
	if (!strcmp(b->oc.conclusion, "success"))
		sum->success++;
	else if (!strcmp(b->oc.conclusion, "failure"))
		sum->failure++, sum->test_failures += b->oc.fail == WFAIL_TESTS;
	else if (!strcmp(b->oc.conclusion, "cancelled"))
		sum->cancelled++;
	else
		sum->timed_out++;
	sum->bot_builds += b->actor->bot != WB_NONE;
	if (!sum->first_created || b->created < sum->first_created)
		sum->first_created = b->created;
	if (b->created > sum->last_created)
		sum->last_created = b->created;
}

int world_run_emit(struct wrepo *r, struct wbuild *b, struct err *e)
{
	int64_t created_sec = b->created / USEC_PER_SEC;
	int64_t id = 1000000000LL + (created_sec - WORLD_ID_EPOCH) * 1024 + r->idx, job_base = id * 8;
	int64_t started = b->created, end;
	struct wjob jobs[3];
	char sha[GIT_OID_HEXSZ + 1], tree[GIT_OID_HEXSZ + 1];
	json_t *o, *hc, *prs, *jarr;
	int rc;
	git_oid_tostr(sha, sizeof(sha), &b->head);
	git_oid_tostr(tree, sizeof(tree), &b->tree);
	if (b->oc.run_attempt > 1) /* the re-run started after the first attempt failed */
		started += (int64_t)((600 + wr_unit(&r->rng) * 3000) * USEC_PER_SEC);
	if ((rc = run_jobs(r, b, jobs, started, job_base, &end, e)))
		return rc;
	b->oc.conclusion = run_conclusion(jobs, r->n_jobs);
	r->run_number++;
	o = json_object();
	set_int(o, "id", id);
	set_str(o, "name", "CI");
	set_strf(o, "node_id", "WFR_kwLO%08llx", (unsigned long long)(id & 0xffffffffULL));
	set_str(o, "head_branch", b->branch);
	set_str(o, "head_sha", sha);
	set_str(o, "path", ".github/workflows/ci.yml");
	set_strf(o, "display_title", "%.*s", (int)strcspn(b->message, "\n"), b->message);
	set_int(o, "run_number", r->run_number);
	set_str(o, "event", b->event);
	set_str(o, "status", "completed");
	set_str(o, "conclusion", b->oc.conclusion);
	set_int(o, "workflow_id", 50000000 + r->gh_id % 1000000);
	set_int(o, "check_suite_id", id * 3);
	set_strf(o, "check_suite_node_id", "CS_kwDO%010llx", (unsigned long long)(id * 3)); /* GraphQL id: the jobs in bulk */
	set_strf(o, "url", "https://api.github.com/repos/%s/actions/runs/%lld", r->full, (long long)id);
	set_strf(o, "html_url", "https://github.com/%s/actions/runs/%lld", r->full, (long long)id);
	prs = json_array();
	if (b->pr)
		json_array_append_new(prs, pr_json(r, b, sha));
	json_object_set_new(o, "pull_requests", prs);
	set_time(o, "created_at", b->created);
	set_time(o, "updated_at", end + (int64_t)wr_range(&r->rng, 1, 4) * USEC_PER_SEC);
	json_object_set_new(o, "actor", person_json(b->actor));
	set_int(o, "run_attempt", b->oc.run_attempt);
	json_object_set_new(o, "referenced_workflows", json_array());
	set_time(o, "run_started_at", started);
	json_object_set_new(o, "triggering_actor", person_json(b->actor));
	set_strf(o, "jobs_url", "https://api.github.com/repos/%s/actions/runs/%lld/jobs", r->full, (long long)id);
	set_strf(o, "logs_url", "https://api.github.com/repos/%s/actions/runs/%lld/logs", r->full, (long long)id);
	hc = json_object();
	set_str(hc, "id", sha);
	set_str(hc, "tree_id", tree);
	set_str(hc, "message", b->message);
	set_time(hc, "timestamp", b->commit_time);
	json_object_set_new(hc, "author", git_person_json(b->author));
	json_object_set_new(hc, "committer", git_person_json(b->committer));
	json_object_set_new(o, "head_commit", hc);
	json_object_set_new(o, "repository", repo_json(r, NULL));
	json_object_set_new(o, "head_repository", repo_json(r, b->pr_branch_repo ? b->author : NULL));
	jarr = json_array();
	for (int k = 0; k < r->n_jobs; k++)
		json_array_append_new(jarr, job_json(r, b, &jobs[k], id, job_base + k, started, sha));
	json_object_set_new(o, "jobs", jarr);
	xgrow((void **)&r->runs, &r->capruns, r->nruns + 1, sizeof(*r->runs));
	r->runs[r->nruns].id = id;
	r->runs[r->nruns].json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	r->runs[r->nruns].csv = xasprintf("%lld,%s,local", (long long)id, r->full);
	r->nruns++;
	json_decref(o);
	count_build(r->sum, b, r->n_jobs);
	return 0;
}

/*
 * Writes local archives (docs/local-archive.md) for the pipeline tests: the
 * same folder is read by the `local` provider and served over the GitHub API
 * by the fixture server (`ciserver.py --world DIR`), so one world described
 * here answers both. Header-only, like the other test helpers.
 *
 *   struct archive a;
 *   ar_open(&a, dir);
 *   ar_repo(&a, "acme/widget", 11, "C");
 *   struct ar_run r = AR_RUN(1001, "acme/widget", "success");
 *   ar_run(&a, &r);
 *   ar_log(&a, 900100101, "log text", 0);
 *   ar_close(&a);
 */
#ifndef TESTS_PIPELINE_ARCHIVE_H
#define TESTS_PIPELINE_ARCHIVE_H
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ptest.h"

struct archive {
	char *dir;
	FILE *runs;
	json_t *repos;
};

struct ar_run {
	int64_t id;
	const char *repo;       /* owner/name */
	const char *status;     /* NULL: completed */
	const char *conclusion; /* NULL with status completed: none */
	const char *login;      /* NULL: "dev" */
	const char *actor_type; /* NULL: "User" */
	const char *sha;        /* NULL: a made-up 40-hex id from the run id */
	int day;                /* created on 2023-03-01 + day, at 10:00 + id % 60 minutes */
	int njobs;              /* jobs with ids id * 100 + 1 .. */
	int pr;                 /* pull-request number, 0: none */
};

static inline void ar_open(struct archive *a, const char *dir)
{
	a->dir = xstrdup(dir);
	pt_mkdir(dir);
	char *logs = xasprintf("%s/logs", dir);
	pt_mkdir(logs);
	free(logs);
	char *p = xasprintf("%s/runs.jsonl", dir);
	a->runs = fopen(p, "w");
	cr_assert_not_null(a->runs, "cannot write %s", p);
	free(p);
	a->repos = json_array();
}

/* git_url NULL: the clone base of the environment (CIMINER_GIT_URL) decides. */
static inline void ar_repo_url(struct archive *a, const char *full_name, int64_t id, const char *lang,
			       const char *git_url)
{
	const char *slash = strchr(full_name, '/');
	json_t *r = json_pack("{s:s, s:I, s:s, s:s, s:b, s:s, s:{s:s, s:s}}", "full_name", full_name, "id",
			      (json_int_t)id, "name", slash + 1, "default_branch", "main", "private", 0, "description",
			      "a test repository", "owner", "login", "owner", "type", "User");
	json_object_set_new(r, "language", lang ? json_string(lang) : json_null());
	if (git_url)
		json_object_set_new(r, "git_url", json_string(git_url));
	json_array_append_new(a->repos, r);
}

static inline void ar_repo(struct archive *a, const char *full_name, int64_t id, const char *lang)
{
	ar_repo_url(a, full_name, id, lang, NULL);
}

static inline void ar_time(char out[32], int day, int minute)
{
	/* 2023-03-01 + day (day < 28 keeps it in March) */
	snprintf(out, 32, "2023-03-%02dT%02d:%02d:00Z", 1 + day, 10 + minute / 60, minute % 60);
}

static inline void ar_run_sha(char out[41], int64_t id)
{
	snprintf(out, 41, "%040llx", (unsigned long long)(id * 2654435761ULL));
}

static inline void ar_run(struct archive *a, const struct ar_run *r)
{
	char created[32], started[32], updated[32], sha[41];
	int m = (int)(r->id % 60);
	ar_time(created, r->day, m);
	ar_time(started, r->day, m + 1);
	ar_time(updated, r->day, m + 9);
	if (r->sha)
		snprintf(sha, sizeof(sha), "%s", r->sha);
	else
		ar_run_sha(sha, r->id);
	const char *status = r->status ? r->status : "completed";
	json_t *run = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)r->id,
				"run_number", (json_int_t)(r->id % 1000), "name", "CI", "status", status, "event",
				r->pr ? "pull_request" : "push", "head_branch", r->pr ? "feature" : "main", "head_sha", sha,
				"created_at", created, "run_started_at", started, "updated_at", updated, "run_attempt",
				(json_int_t)1, "html_url", "https://example.invalid/run");
	json_object_set_new(run, "conclusion", r->conclusion ? json_string(r->conclusion) : json_null());
	/* The GraphQL id of the run's check suite (how the GitHub provider lists many runs' jobs at once). */
	char suite[64];
	snprintf(suite, sizeof(suite), "CS_kwDOtest%lld", (long long)r->id);
	json_object_set_new(run, "check_suite_node_id", json_string(suite));
	json_object_set_new(run, "actor",
			    json_pack("{s:s, s:s}", "login", r->login ? r->login : "dev", "type",
				      r->actor_type ? r->actor_type : "User"));
	json_object_set_new(run, "repository", json_pack("{s:s}", "full_name", r->repo));
	json_object_set_new(run, "head_commit",
			    json_pack("{s:s, s:s, s:{s:s, s:s}}", "id", sha, "message", "a change\n\nwith a body", "author",
				      "name", "Dev Eloper", "email", "dev@example.org"));
	json_t *prs = json_array();
	if (r->pr)
		json_array_append_new(prs, json_pack("{s:i, s:i}", "number", r->pr, "id", r->pr));
	json_object_set_new(run, "pull_requests", prs);
	json_t *jobs = json_array();
	for (int k = 0; k < r->njobs; k++) {
		json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)(r->id * 100 + k + 1), "run_id",
				      (json_int_t)r->id, "name", k ? "test" : "build", "status", status, "started_at", started,
				      "runner_name", "runner-1", "head_sha", sha);
		json_object_set_new(j, "conclusion", r->conclusion ? json_string(r->conclusion) : json_null());
		json_object_set_new(j, "completed_at", strcmp(status, "completed") == 0 ? json_string(updated) : json_null());
		json_array_append_new(jobs, j);
	}
	json_object_set_new(run, "jobs", jobs);
	char *line = json_dumps(run, JSON_COMPACT);
	fprintf(a->runs, "%s\n", line);
	free(line);
	json_decref(run);
}

static inline void ar_log(struct archive *a, int64_t job_id, const char *data, size_t len)
{
	char name[64];
	snprintf(name, sizeof(name), "logs/%lld.log", (long long)job_id);
	free(pt_write(a->dir, name, data, len));
}

static inline void ar_close(struct archive *a)
{
	fclose(a->runs);
	char *p = xasprintf("%s/repos.json", a->dir);
	cr_assert_eq(json_dump_file(a->repos, p, JSON_INDENT(1)), 0);
	free(p);
	json_decref(a->repos);
	free(a->dir);
}

#endif

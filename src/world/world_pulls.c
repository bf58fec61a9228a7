/*
 * pulls.jsonl of a generated world (docs/local-archive.md, docs/world.md):
 * one pull request per PR number its runs carry, so that the demo's pr_*
 * features have data. Each PR is opened before its first build by that
 * build's actor, with a short description, and gets discussion, review and
 * commit comments spread before, between and after its builds (the pr_*
 * counts must see only those before each build). Each review comment has its
 * own review ("reviews"), submitted up to six hours after the comment was
 * drafted: the comment counts from the submission (ci/pr.h). Derived from the runs alone,
 * with a generator seeded by the world's seed and the PR's key, so the same
 * options give the same file.
 */
#include "world/world_internal.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define USEC 1000000LL

struct wpull {
	char *key;          /* "owner/name#N" */
	char *full;
	int64_t number;
	char *author;
	int64_t starts[64]; /* its builds' starts, oldest first (the first 64) */
	char *shas[64];
	int n;
};

static json_t *comment(int64_t id, const char *login, int64_t at, const char *commit)
{
	char t[UTC_FMT_MAX];
	json_t *c = json_pack("{s:I, s:{s:s, s:s}, s:s, s:s, s:s}", "id", (json_int_t)id, "user", "login",
			      login, "type", "User", "created_at", utc_format(at, t), "updated_at", t, "body",
			      "a remark on the change");
	if (commit)
		json_object_set_new(c, "commit_id", json_string(commit));
	return c;
}

static json_t *pull_json(const struct wpull *p, uint64_t seed, int64_t *next_id)
{
	struct rng g;
	char t[UTC_FMT_MAX];
	rng_init(&g, seed ^ hash_fnv1a(p->key, strlen(p->key)));
	int64_t opened = p->starts[0] - (int64_t)(600 + rng_below(&g, 3 * 86400)) * USEC;
	int64_t edges[66];
	edges[0] = opened;
	for (int i = 0; i < p->n; i++)
		edges[i + 1] = p->starts[i];
	edges[p->n + 1] = p->starts[p->n - 1] + 2 * 86400 * USEC;
	static const char *const keys[] = { "issue_comments", "review_comments", "commit_comments" };
	static const int most[] = { 6, 4, 3 };
	json_t *pr = json_object();
	json_object_set_new(pr, "number", json_integer(p->number));
	json_object_set_new(pr, "state", json_string("open"));
	json_object_set_new(pr, "title", json_sprintf("pull request %lld", (long long)p->number));
	json_object_set_new(pr, "user", json_pack("{s:s, s:s}", "login", p->author, "type", "User"));
	int words = (int)rng_below(&g, 40);
	struct buf body = BUF_INIT;
	for (int i = 0; i < words; i++)
		buf_addf(&body, "%sword%d", i ? " " : "", (int)rng_below(&g, 99) + 1);
	json_object_set_new(pr, "body", words ? json_string(buf_cstr(&body)) : json_null());
	buf_release(&body);
	json_object_set_new(pr, "created_at", json_string(utc_format(opened, t)));
	json_object_set_new(pr, "repository", json_pack("{s:s}", "full_name", p->full));
	json_object_set_new(pr, "base", json_pack("{s:s, s:{s:s}}", "ref", "main", "repo", "full_name", p->full));
	json_t *reviews = json_array();
	for (int k = 0; k < 3; k++) {
		json_t *arr = json_array();
		int n = (int)rng_below(&g, (uint64_t)most[k] + 1);
		for (int i = 0; i < n; i++) {
			int w = (int)rng_below(&g, (uint64_t)p->n + 1);
			int64_t span = edges[w + 1] - edges[w];
			int64_t at = edges[w] + (span > 2 * USEC ? USEC + (int64_t)rng_below(&g, (uint64_t)(span / USEC - 1)) * USEC : 0);
			char login[32];
			snprintf(login, sizeof(login), "reviewer%d", (int)rng_below(&g, 9) + 1);
			json_t *c = comment((*next_id)++, login, at, k ? p->shas[rng_below(&g, (uint64_t)p->n)] : NULL);
			if (k == 1) {
				int64_t rid = (*next_id)++;
				int64_t sub = at + (int64_t)rng_below(&g, 6 * 3600) * USEC;
				json_object_set_new(c, "pull_request_review_id", json_integer(rid));
				json_array_append_new(reviews, json_pack("{s:I, s:{s:s}, s:s, s:s}", "id", (json_int_t)rid, "user",
									 "login", login, "state", "COMMENTED", "submitted_at",
									 utc_format(sub, t)));
			}
			json_array_append_new(arr, c);
		}
		json_object_set_new(pr, keys[k], arr);
	}
	json_object_set_new(pr, "reviews", reviews);
	return pr;
}

int world_pulls_write(const char *dir, const struct wrun_line *runs, size_t n, uint64_t seed, struct err *e)
{
	struct strmap index = STRMAP_INIT; /* key -> struct wpull * */
	struct wpull **order = NULL;
	size_t norder = 0, cap = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *run = json_loads(runs[i].json, 0, NULL);
		int64_t number = core_json_int(json_array_get(json_object_get(run, "pull_requests"), 0), "number", 0);
		const char *full = core_json_str(json_object_get(run, "repository"), "full_name", NULL);
		struct err te = ERR_INIT;
		int64_t start = 0;
		const char *st = core_json_str(run, "run_started_at", core_json_str(run, "created_at", ""));
		if (number > 0 && full && utc_parse(&start, st, &te) == 0) {
			char *key = xasprintf("%s#%lld", full, (long long)number);
			struct wpull *p = strmap_get(&index, key);
			if (!p) {
				p = xcalloc(1, sizeof(*p));
				p->key = xstrdup(key);
				p->full = xstrdup(full);
				p->number = number;
				p->author = xstrdup(core_json_str(json_object_get(run, "actor"), "login", "dev"));
				strmap_put(&index, key, p);
				xgrow((void **)&order, &cap, norder + 1, sizeof(*order));
				order[norder++] = p;
			}
			if (p->n < 64) {
				p->starts[p->n] = start;
				p->shas[p->n++] = xstrdup(core_json_str(run, "head_sha", ""));
			}
			free(key);
		}
		json_decref(run);
	}
	char *path = fs_join(dir, "pulls.jsonl");
	FILE *f = fopen(path, "w");
	int rc = f ? 0 : err_set(e, ERR_IO, "cannot write %s: %s", path, strerror(errno));
	int64_t next_id = 900000001;
	for (size_t i = 0; i < norder; i++) {
		struct wpull *p = order[i];
		/* runs come in id order, which is time order; keep the starts sorted all the same. */
		for (int a = 1; a < p->n; a++)
			for (int b = a; b > 0 && p->starts[b] < p->starts[b - 1]; b--) {
				int64_t t = p->starts[b];
				char *s = p->shas[b];
				p->starts[b] = p->starts[b - 1];
				p->shas[b] = p->shas[b - 1];
				p->starts[b - 1] = t;
				p->shas[b - 1] = s;
			}
		if (!rc) {
			json_t *j = pull_json(p, seed, &next_id);
			char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
			fprintf(f, "%s\n", line);
			free(line);
			json_decref(j);
		}
		for (int k = 0; k < p->n; k++)
			free(p->shas[k]);
		free(p->key);
		free(p->full);
		free(p->author);
		free(p);
	}
	if (f && fclose(f) && !rc)
		rc = err_set(e, ERR_IO, "cannot write %s (disk full?)", path);
	free(path);
	free(order);
	strmap_clear(&index, NULL);
	return rc;
}

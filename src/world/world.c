/*
 * The world generator's entry point (world.h): checks the options, lays out
 * the archive folder, simulates each repository in turn (world_sim.c) and
 * writes the archive's index files — repos.json, runs.jsonl in run-id order,
 * builds.csv, pulls.jsonl (world_pulls.c), archive.json — then renames the finished folder into place.
 */
#include "world/world_internal.h"
#include "core/fs.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const py_repo_names[] = { "inventory-service", "payments-api", "data-pipeline", "report-builder",
					     "search-indexer", "notification-hub", "feature-store", "image-resizer" };
static const char *const java_repo_names[] = { "billing-core", "order-router", "auth-gateway", "catalog-sync",
					       "ledger-service", "config-server", "metrics-collector", "scheduler-engine" };
static const char *const owners[] = { "acme-labs", "northwind", "globex-oss", "initech", "umbrella-dev", "hooli-eng" };

void world_opts_init(struct world_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->repos = WORLD_DEMO_REPOS;
	o->builds = WORLD_DEMO_BUILDS;
	o->seed = 1;
}

static int check_opts(const struct world_opts *o, struct err *e)
{
	if (!o->out_dir || !*o->out_dir)
		return err_set(e, ERR_INPUT, "no output folder given; pass --out DIR");
	if (o->repos < 1 || o->repos > WORLD_MAX_REPOS)
		return err_set(e, ERR_INPUT, "--repos %d is out of range; use 1 to %d", o->repos, WORLD_MAX_REPOS);
	if (o->builds < o->repos || o->builds > WORLD_MAX_BUILDS)
		return err_set(e, ERR_INPUT, "--builds %d is out of range; use at least one per repository (%d) and at most %d",
			       o->builds, o->repos, WORLD_MAX_BUILDS);
	if (o->start && o->start < WORLD_ID_EPOCH * USEC_PER_SEC)
		return err_set(e, ERR_INPUT, "the start time is before 2020-01-01; pick a later one");
	if (fs_exists(o->out_dir) && !o->overwrite)
		return err_set(e, ERR_INPUT, "%s already exists; remove it or pass --force to replace it", o->out_dir);
	return 0;
}

/* Names, language, matrix and timeline of repository i. */
static void repo_setup(struct wrepo *r, const struct world_opts *o, int i, int target)
{
	const char *base = i % 2 ? java_repo_names[(i / 2) % 8] : py_repo_names[(i / 2) % 8];
	int64_t t0 = o->start ? o->start : utc_days_from_civil(2023, 1, 2) * USEC_PER_DAY;
	char first[32];
	r->idx = i;
	r->opts = o;
	rng_init(&r->rng, rng_mix(o->seed) ^ (0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1)));
	r->lang = i % 2 ? WL_JAVA : WL_PYTHON;
	r->owner = xstrdup(owners[(i / 2) % 6]);
	r->name = i >= 16 ? xasprintf("%s-%d", base, i / 16 + 1) : xstrdup(base);
	r->full = xasprintf("%s/%s", r->owner, r->name);
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(base, "-"), base);
	first[0] = (char)toupper((unsigned char)first[0]);
	r->domain = xstrdup(first);
	first[0] = (char)tolower((unsigned char)first[0]);
	if (r->lang == WL_PYTHON) {
		r->pkg = xstrdup(r->name);
		for (char *p = r->pkg; *p; p++)
			if (*p == '-')
				*p = '_';
		r->jpkg_path = xstrdup("");
	} else {
		char owner[64];
		size_t k = 0;
		for (const char *p = r->owner; *p && k + 1 < sizeof(owner); p++)
			if (*p != '-')
				owner[k++] = *p;
		owner[k] = 0;
		r->pkg = xasprintf("com.%s.%s", owner, first);
		r->jpkg_path = xasprintf("com/%s/%s", owner, first);
	}
	r->gh_id = 300000000 + (int64_t)i * 1013;
	r->default_branch = i % 5 == 4 ? "master" : "main";
	r->base = 0.3 * wr_normal(&r->rng);
	r->n_jobs = i % 3 == 2 ? 1 : 2;
	r->versions[0] = r->lang == WL_PYTHON ? (r->n_jobs == 1 ? "3.11" : "3.10") : "17";
	r->versions[1] = r->lang == WL_PYTHON ? "3.11" : "21";
	r->target_builds = target;
	r->start = t0 + (int64_t)i * 2 * USEC_PER_DAY + 9 * 3600 * USEC_PER_SEC +
		   (int64_t)(wr_unit(&r->rng) * 5 * (double)USEC_PER_DAY);
	{
		double days = target * 0.9;
		r->span = (int64_t)((days < 90 ? 90 : days > 540 ? 540 : days) * (double)USEC_PER_DAY);
	}
	r->next_unit = 1000;
}

static void repo_release(struct wrepo *r)
{
	for (size_t i = 0; i < r->npaths; i++)
		free(r->paths[i].path);
	free(r->paths);
	strvec_clear(&r->modules);
	strvec_clear(&r->deps);
	world_people_free(r);
	world_model_release(&r->main.m);
	free(r->owner);
	free(r->name);
	free(r->full);
	free(r->pkg);
	free(r->domain);
	free(r->jpkg_path);
	free(r->runs);
}

static json_t *repo_json(const struct wrepo *r)
{
	char t[UTC_FMT_MAX];
	json_t *o = json_object(), *owner = json_object();
	char *s;
	json_object_set_new(o, "id", json_integer(r->gh_id));
	s = xasprintf("R_kgDO%08llx", (unsigned long long)r->gh_id);
	json_object_set_new(o, "node_id", json_string(s));
	free(s);
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "full_name", json_string(r->full));
	json_object_set_new(o, "private", json_false());
	json_object_set_new(owner, "login", json_string(r->owner));
	json_object_set_new(owner, "id", json_integer(r->gh_id / 7));
	json_object_set_new(owner, "type", json_string("Organization"));
	json_object_set_new(o, "owner", owner);
	s = xasprintf("https://github.com/%s", r->full);
	json_object_set_new(o, "html_url", json_string(s));
	free(s);
	s = xasprintf("The %s service of %s (generated by ciminer generate-world)", r->domain, r->owner);
	json_object_set_new(o, "description", json_string(s));
	free(s);
	json_object_set_new(o, "fork", json_false());
	json_object_set_new(o, "created_at", json_string(utc_format(r->start / USEC_PER_SEC * USEC_PER_SEC, t)));
	json_object_set_new(o, "pushed_at", json_string(utc_format(r->last_created / USEC_PER_SEC * USEC_PER_SEC, t)));
	json_object_set_new(o, "default_branch", json_string(r->default_branch));
	json_object_set_new(o, "language", json_string(r->lang == WL_PYTHON ? "Python" : "Java"));
	json_object_set_new(o, "visibility", json_string("public"));
	s = xasprintf("repos/%s.git", r->full);
	json_object_set_new(o, "git_url", json_string(s));
	free(s);
	return o;
}

static int cmp_run(const void *a, const void *b)
{
	const struct wrun_line *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int write_text(const char *dir, const char *name, const char *text, struct err *e)
{
	char *path = fs_join(dir, name);
	int rc = fs_write_atomic(path, text, strlen(text), e);
	free(path);
	return rc;
}

/* runs.jsonl and builds.csv, streamed: they can be tens of megabytes. */
static int write_runs(const char *dir, struct wrun_line *runs, size_t n, struct err *e)
{
	char *rp = fs_join(dir, "runs.jsonl"), *cp = fs_join(dir, "builds.csv");
	FILE *rf = fopen(rp, "w"), *cf = fopen(cp, "w");
	int rc = 0;
	if (!rf || !cf)
		rc = err_set(e, ERR_IO, "cannot write %s", !rf ? rp : cp);
	if (!rc) {
		qsort(runs, n, sizeof(*runs), cmp_run);
		fputs("build_id,repo_name,ci_provider\n", cf);
		for (size_t i = 0; i < n; i++) {
			fputs(runs[i].json, rf);
			fputc('\n', rf);
			fputs(runs[i].csv, cf);
			fputc('\n', cf);
		}
	}
	if ((rf && fclose(rf)) || (cf && fclose(cf)))
		rc = rc ? rc : err_set(e, ERR_IO, "cannot write %s (disk full?)", rp);
	free(rp);
	free(cp);
	return rc;
}

static int write_index(const struct world_opts *o, const char *tmp, json_t *repos, struct err *e)
{
	char *text = json_dumps(repos, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_t *meta = json_pack("{s:s, s:i, s:{s:s, s:I, s:i, s:i}}", "format", "ciminer-local-archive", "version", 1,
				 "generator", "name", "ciminer generate-world", "seed", (json_int_t)o->seed, "repos",
				 o->repos, "builds", o->builds);
	char *mtext = json_dumps(meta, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	int rc = write_text(tmp, "repos.json", text, e);
	if (!rc)
		rc = write_text(tmp, "archive.json", mtext, e);
	free(text);
	free(mtext);
	json_decref(meta);
	return rc;
}

/* Simulates repository i into tmp; its runs are appended to *all. */
static int one_repo(const struct world_opts *o, const char *tmp, int i, int target, struct world_summary *sum,
		    struct wrun_line **all, size_t *nall, json_t *repos, struct err *e)
{
	struct wrepo r = { 0 };
	char *rel, *path;
	int rc;
	repo_setup(&r, o, i, target);
	r.tmp_dir = tmp;
	r.sum = sum;
	world_people_make(&r);
	world_code_init(&r);
	rel = xasprintf("repos/%s.git", r.full);
	path = fs_join(tmp, rel);
	rc = git_writer_open(&r.git, path, r.default_branch, "generated by ciminer generate-world", r.full, e);
	if (!rc)
		rc = world_sim_repo(&r, e);
	if (r.git) {
		int crc = git_writer_close(r.git, e);
		rc = rc ? rc : crc;
	}
	*all = xrealloc(*all, (*nall + r.nruns + 1) * sizeof(**all));
	memcpy(*all + *nall, r.runs, r.nruns * sizeof(*r.runs));
	*nall += r.nruns;
	for (size_t k = 0; k < r.npeople; k++) {
		sum->commits += r.people[k].commits;
		sum->authors += !r.people[k].bot && r.people[k].commits > 0;
	}
	/* Merge commits and squashes are committed by the web flow but authored by people: counted above. */
	json_array_append_new(repos, repo_json(&r));
	sum->repos++;
	free(rel);
	free(path);
	repo_release(&r);
	return rc;
}

int world_generate(const struct world_opts *o, struct world_summary *out, struct err *e)
{
	struct world_summary sum = { 0 };
	struct wrun_line *runs = NULL;
	size_t nruns = 0;
	struct rng g;
	double *w, wsum = 0;
	int rc, given = 0;
	char *tmp, *logs;
	json_t *repos;
	if ((rc = check_opts(o, e)))
		return rc;
	tmp = xasprintf("%s.partial", o->out_dir);
	logs = fs_join(tmp, "logs");
	if ((rc = fs_remove_tree(tmp, e)) || (rc = fs_mkdirs(logs, e))) {
		free(tmp);
		free(logs);
		return rc;
	}
	/* Repositories get unequal shares of the builds, as real ones do. */
	rng_init(&g, o->seed);
	w = xcalloc((size_t)o->repos, sizeof(*w));
	for (int i = 0; i < o->repos; i++)
		wsum += (w[i] = 0.6 + 0.8 * rng_double(&g));
	repos = json_array();
	for (int i = 0; i < o->repos && !rc; i++) {
		int target = i + 1 == o->repos ? o->builds - given : (int)(o->builds * w[i] / wsum);
		if (target < 1)
			target = 1;
		if (o->builds - given - target < o->repos - i - 1)
			target = o->builds - given - (o->repos - i - 1);
		given += target;
		rc = one_repo(o, tmp, i, target, &sum, &runs, &nruns, repos, e);
		if (o->progress)
			o->progress(o->progress_ctx, i + 1, o->repos);
	}
	if (!rc)
		rc = write_runs(tmp, runs, nruns, e);
	if (!rc)
		rc = world_pulls_write(tmp, runs, nruns, o->seed, e);
	if (!rc)
		rc = write_index(o, tmp, repos, e);
	if (!rc && o->overwrite && fs_exists(o->out_dir))
		rc = fs_remove_tree(o->out_dir, e);
	if (!rc && rename(tmp, o->out_dir))
		rc = err_set(e, ERR_IO, "cannot rename %s to %s: %s", tmp, o->out_dir, strerror(errno));
	if (rc) {
		struct err ignore = ERR_INIT;
		fs_remove_tree(tmp, &ignore);
	}
	for (size_t i = 0; i < nruns; i++) {
		free(runs[i].json);
		free(runs[i].csv);
	}
	free(runs);
	free(w);
	json_decref(repos);
	free(tmp);
	free(logs);
	if (!rc && out)
		*out = sum;
	return rc;
}

/*
 * The world generator (src/world/world.c): the same seed writes the same
 * bytes, a different seed a different world, bad options leave nothing
 * behind, and the archive reads back through the local provider and libgit2
 * with the counts the summary promised. The outcomes and logs are checked in
 * test_world_outcomes.c.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ci/http.h"
#include "ci/provider.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "world/world.h"
#include "testsupport.h"
#include "world_test.h"

static json_t *load_repos(const char *dir)
{
	char *path = fs_join(dir, "repos.json");
	json_error_t je;
	json_t *r = json_load_file(path, 0, &je);
	cr_assert(json_is_array(r), "repos.json: %s", je.text);
	free(path);
	return r;
}

/* ---- byte comparison of two folders ---- */

/* Relative paths of the files below root/rel, recursively. */
static void list_files(const char *root, const char *rel, struct strvec *out)
{
	char *path = xasprintf("%s%s", root, rel);
	DIR *d = opendir(path);
	struct dirent *de;
	cr_assert(d, "cannot list %s", path);
	while ((de = readdir(d))) {
		char *sub;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = xasprintf("%s/%s", rel, de->d_name);
		if (de->d_type == DT_DIR)
			list_files(root, sub, out);
		else
			strvec_push(out, sub);
		free(sub);
	}
	closedir(d);
	free(path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Returns the first relative path whose bytes differ (or that only one side has), or NULL. */
static char *first_difference(const char *a, const char *b)
{
	struct strvec fa = STRVEC_INIT, fb = STRVEC_INIT;
	char *diff = NULL;
	list_files(a, "", &fa);
	list_files(b, "", &fb);
	qsort(fa.v, fa.n, sizeof(char *), cmp_str);
	qsort(fb.v, fb.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < fa.n && i < fb.n && !diff; i++) {
		struct buf x = BUF_INIT, y = BUF_INIT;
		char *pa = xasprintf("%s%s", a, fa.v[i]), *pb = xasprintf("%s%s", b, fb.v[i]);
		struct err e = ERR_INIT;
		if (strcmp(fa.v[i], fb.v[i]) || fs_read_file(pa, &x, 0, &e) || fs_read_file(pb, &y, 0, &e) ||
		    x.len != y.len || (x.len && memcmp(x.data, y.data, x.len)))
			diff = xstrdup(fa.v[i]);
		buf_release(&x);
		buf_release(&y);
		free(pa);
		free(pb);
	}
	if (!diff && fa.n != fb.n)
		diff = xasprintf("(%zu files against %zu)", fa.n, fb.n);
	cr_assert(fa.n > 10, "the archive has only %zu files", fa.n);
	strvec_clear(&fa);
	strvec_clear(&fb);
	return diff;
}

static char *main_tip(const char *archive, const char *git_url, const char *branch)
{
	char *path = fs_join(archive, git_url), *ref = xasprintf("refs/heads/%s", branch);
	git_repository *repo = NULL;
	git_oid oid;
	char hex[GIT_OID_HEXSZ + 1];
	git_libgit2_init();
	cr_assert_eq(git_repository_open_bare(&repo, path), 0, "%s is not a git repository", path);
	cr_assert_eq(git_reference_name_to_id(&oid, repo, ref), 0, "%s has no %s", path, ref);
	git_oid_tostr(hex, sizeof(hex), &oid);
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(path);
	free(ref);
	return xstrdup(hex);
}

Test(world, same_seed_writes_byte_identical_archives_and_commit_ids)
{
	struct world_summary s1, s2;
	char *a = wt_generate("world-det-a", 2, 60, 7, &s1), *b = wt_generate("world-det-b", 2, 60, 7, &s2);
	char *diff = first_difference(a, b);
	json_t *repos = load_repos(a);
	cr_assert_null(diff, "the two archives differ at %s", diff ? diff : "");
	cr_assert_eq(s1.commits, s2.commits);
	for (size_t i = 0; i < json_array_size(repos); i++) {
		json_t *r = json_array_get(repos, i);
		const char *url = json_string_value(json_object_get(r, "git_url"));
		const char *br = json_string_value(json_object_get(r, "default_branch"));
		char *ta = main_tip(a, url, br), *tb = main_tip(b, url, br);
		cr_assert_str_eq(ta, tb);
		free(ta);
		free(tb);
	}
	json_decref(repos);
	free(a);
	free(b);
}

Test(world, different_seeds_write_different_worlds)
{
	struct world_summary s1, s2;
	char *a = wt_generate("world-seed-a", 2, 60, 1, &s1), *b = wt_generate("world-seed-b", 2, 60, 2, &s2);
	json_t *ra = wt_load_runs(a), *rb = wt_load_runs(b), *repos = load_repos(a);
	json_t *r0 = json_array_get(repos, 0);
	const char *url = json_string_value(json_object_get(r0, "git_url"));
	const char *br = json_string_value(json_object_get(r0, "default_branch"));
	char *ta = main_tip(a, url, br), *tb = main_tip(b, url, br);
	cr_assert_eq(json_array_size(ra), 60);
	cr_assert_eq(json_array_size(rb), 60);
	cr_assert_str_neq(ta, tb, "seeds 1 and 2 gave the same history");
	cr_assert_str_neq(json_string_value(json_object_get(json_array_get(ra, 5), "head_sha")),
			  json_string_value(json_object_get(json_array_get(rb, 5), "head_sha")));
	free(ta);
	free(tb);
	json_decref(ra);
	json_decref(rb);
	json_decref(repos);
	free(a);
	free(b);
}

Test(world, refuses_bad_options_and_an_existing_folder_without_writing)
{
	char *dir = ts_tempdir("world-bad"), *out = fs_join(dir, "w"), *partial = xasprintf("%s.partial", out);
	struct world_opts o;
	struct err e = ERR_INIT;
	world_opts_init(&o);
	o.out_dir = out;
	o.repos = 0;
	cr_assert_eq(world_generate(&o, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "--repos 0"), "message: %s", e.msg);
	o.repos = 5;
	o.builds = 3;
	cr_assert_eq(world_generate(&o, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "--builds 3"), "message: %s", e.msg);
	cr_assert_not(fs_exists(out));
	cr_assert_not(fs_exists(partial));
	o.builds = 10;
	cr_assert_eq(fs_mkdirs(out, &e), 0);
	cr_assert_eq(world_generate(&o, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "already exists") && strstr(e.msg, "--force"), "message: %s", e.msg);
	o.overwrite = 1;
	cr_assert_eq(world_generate(&o, NULL, &e), 0, "%s", e.msg);
	cr_assert(fs_exists(out) && !fs_exists(partial));
	free(dir);
	free(out);
	free(partial);
}

static int collect_sink(void *ctx, const void *data, size_t n)
{
	return buf_add(ctx, data, n);
}

static void reset_sink(void *ctx)
{
	buf_reset(ctx);
}

Test(world, reads_back_through_the_local_provider_with_the_promised_counts)
{
	struct world_summary s;
	char *dir = wt_generate("world-local", 4, 120, 3, &s);
	json_t *runs = wt_load_runs(dir), *repos = load_repos(dir), *run;
	struct ci_options o;
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	long long jobs = 0, logs = 0, missing = 0, langs[2] = { 0, 0 };
	size_t i;
	cr_assert_eq(s.builds, 120);
	cr_assert_eq(json_array_size(runs), 120);
	ci_options_init(&o);
	o.archive_dir = dir;
	cr_assert_eq(ci_provider_open(&p, CI_LOCAL, &o, &e), 0, "%s", e.msg);
	json_array_foreach(repos, i, run) {
		struct ci_repo r = CI_REPO_INIT;
		const char *full = json_string_value(json_object_get(run, "full_name"));
		cr_assert_eq(ci_repo_get(p, &r, full, &e), 0, "%s", e.msg);
		cr_assert(r.language && (!strcmp(r.language, "Python") || !strcmp(r.language, "Java")));
		langs[!strcmp(r.language, "Java")]++;
		cr_assert(fs_is_dir(r.git_url), "%s: git_url %s is not a folder", full, r.git_url);
		ci_repo_release(&r);
	}
	cr_assert(langs[0] == 2 && langs[1] == 2, "languages alternate: %lld Python, %lld Java", langs[0], langs[1]);
	json_array_foreach(runs, i, run) {
		char id[32];
		const char *repo = json_string_value(json_object_get(json_object_get(run, "repository"), "full_name"));
		struct ci_lookup item = { .run_id = id };
		struct ci_job *js = NULL;
		size_t nj = 0;
		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(run, "id")));
		cr_assert_eq(ci_runs_lookup(p, repo, &item, 1, &e), 0, "%s", e.msg);
		cr_assert_eq(item.rc, 0, "run %s: %s", id, item.err.msg);
		cr_assert_str_eq(item.run.commit_sha, json_string_value(json_object_get(run, "head_sha")));
		cr_assert(item.run.completed_at > item.run.started_at, "run %s has no duration", id);
		cr_assert_eq(ci_jobs_list(p, &js, &nj, repo, id, &e), 0, "%s", e.msg);
		cr_assert(nj >= 1);
		for (size_t k = 0; k < nj; k++) {
			struct buf log = BUF_INIT;
			struct ci_sink sink = { collect_sink, reset_sink, &log };
			size_t bytes = 0;
			int trunc = 0, rc = ci_log_fetch(p, repo, js[k].id, &sink, 0, &bytes, &trunc, &e);
			cr_assert(rc == 0 || rc == CI_ERR_NOT_FOUND, "log %s: %s", js[k].id, e.msg);
			if (rc == 0) {
				logs++;
				cr_assert(bytes > 1000 && log.data && log.data[27] == 'Z' && log.data[28] == ' ' && log.data[10] == 'T',
					  "log %s does not start with a timestamp", js[k].id);
			} else
				missing++;
			buf_release(&log);
		}
		jobs += (long long)nj;
		ci_jobs_free(js, nj);
		ci_run_release(&item.run);
	}
	cr_assert_eq(jobs, s.jobs);
	cr_assert_eq(logs, s.logs);
	cr_assert_eq(missing, s.logs_expired);
	cr_assert_eq(s.success + s.failure + s.cancelled + s.timed_out, 120);
	ci_provider_free(p);
	json_decref(runs);
	json_decref(repos);
	free(dir);
}

/* 1 when oid is reachable from any refs/heads/ branch. */
static int on_a_branch(git_repository *repo, const git_oid *oid)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int found = 0;
	cr_assert_eq(git_reference_iterator_glob_new(&it, repo, "refs/heads/*"), 0);
	while (!found && git_reference_next(&ref, it) == 0) {
		const git_oid *tip = git_reference_target(ref);
		found = git_oid_equal(tip, oid) || git_graph_descendant_of(repo, tip, oid) == 1;
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	return found;
}

Test(world, repositories_hold_every_head_commit_with_merges_forks_and_several_authors)
{
	struct world_summary s;
	char *dir = wt_generate("world-git", 2, 200, 5, &s);
	json_t *runs = wt_load_runs(dir), *repos = load_repos(dir), *r;
	size_t i;
	int fork_only = 0;
	git_libgit2_init();
	json_array_foreach(repos, i, r) {
		const char *full = json_string_value(json_object_get(r, "full_name"));
		char *path = fs_join(dir, json_string_value(json_object_get(r, "git_url")));
		git_repository *repo = NULL;
		git_revwalk *walk = NULL;
		git_oid oid;
		struct strvec authors = STRVEC_INIT;
		int merges = 0, prs = 0;
		size_t k;
		json_t *run;
		cr_assert_eq(git_repository_open_bare(&repo, path), 0, "%s", path);
		json_array_foreach(runs, k, run) {
			git_commit *c = NULL;
			const char *sha = json_string_value(json_object_get(run, "head_sha"));
			json_t *prl = json_object_get(run, "pull_requests");
			if (strcmp(json_string_value(json_object_get(json_object_get(run, "repository"), "full_name")), full))
				continue;
			cr_assert_eq(git_oid_fromstr(&oid, sha), 0);
			cr_assert_eq(git_commit_lookup(&c, repo, &oid), 0, "%s: head commit %s of run %lld is missing", full,
				     sha, (long long)json_integer_value(json_object_get(run, "id")));
			git_commit_free(c);
			if (json_array_size(prl)) {
				char ref[64];
				git_oid pr_head;
				long long n = json_integer_value(json_object_get(json_array_get(prl, 0), "number"));
				snprintf(ref, sizeof(ref), "refs/pull/%lld/head", n);
				cr_assert_eq(git_reference_name_to_id(&pr_head, repo, ref), 0, "%s has no %s", full, ref);
				prs++;
				if (strcmp(json_string_value(json_object_get(json_object_get(run, "head_repository"), "full_name")),
					   full) && !on_a_branch(repo, &oid))
					fork_only++;
			}
		}
		cr_assert_eq(git_revwalk_new(&walk, repo), 0);
		cr_assert_eq(git_revwalk_push_glob(walk, "refs/*"), 0);
		while (git_revwalk_next(&oid, walk) == 0) {
			git_commit *c = NULL;
			cr_assert_eq(git_commit_lookup(&c, repo, &oid), 0);
			merges += git_commit_parentcount(c) == 2;
			if (!strstr(git_commit_author(c)->name, "[bot]") && strvec_find(&authors, git_commit_author(c)->email) < 0)
				strvec_push(&authors, git_commit_author(c)->email);
			git_commit_free(c);
		}
		cr_assert(prs > 10, "%s: only %d pull-request builds", full, prs);
		cr_assert(merges > 0, "%s has no merge commit", full);
		cr_assert(authors.n >= 5 && authors.n <= 12, "%s has %zu human authors", full, authors.n);
		strvec_clear(&authors);
		git_revwalk_free(walk);
		git_repository_free(repo);
		free(path);
	}
	cr_assert(fork_only > 0, "no fork pull-request commit is reachable only through refs/pull/<N>/head");
	git_libgit2_shutdown();
	json_decref(runs);
	json_decref(repos);
	free(dir);
}

Test(world, generate_world_command_checks_its_options_and_prints_a_summary)
{
	const char *bin = ts_ciminer_bin();
	char *dir = ts_tempdir("world-cli"), *out = NULL;
	json_error_t je;
	json_t *sum;
	int rc;
	if (!bin || !fs_exists(bin))
		cr_skip_test("the ciminer binary (CIMINER_BIN) is not built");
	rc = ts_run(&out, "%s generate-world --help", bin);
	cr_assert_eq(rc, 0);
	cr_assert(strstr(out, "--repos N") && strstr(out, "--seed S") && strstr(out, "builds.csv"), "%s", out);
	free(out);
	rc = ts_run(&out, "%s generate-world --out %s/w --repos zero 2>&1", bin, dir);
	cr_assert_eq(rc, 2, "bad --repos: exit %d", rc);
	cr_assert(strstr(out, "--repos 'zero'"), "%s", out);
	free(out);
	rc = ts_run(&out, "%s generate-world --repos 2 2>&1", bin);
	cr_assert_eq(rc, 2);
	cr_assert(strstr(out, "--out"), "%s", out);
	free(out);
	rc = ts_run(&out, "%s --json generate-world --out %s/w --repos 2 --builds 30 --seed 9", bin, dir);
	cr_assert_eq(rc, 0, "%s", out);
	sum = json_loads(out, 0, &je);
	cr_assert(sum, "not JSON: %s", out);
	cr_assert_eq(json_integer_value(json_object_get(sum, "builds")), 30);
	cr_assert_eq(json_integer_value(json_object_get(sum, "repos")), 2);
	json_decref(sum);
	free(out);
	rc = ts_run(&out, "%s generate-world --out %s/w --repos 2 --builds 30 2>&1", bin, dir);
	cr_assert_eq(rc, 2, "an existing folder must be refused");
	cr_assert(strstr(out, "--force"), "%s", out);
	free(out);
	free(dir);
}

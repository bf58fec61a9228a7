/*
 * git_*: the commits a build brought in and what they changed, from the
 * history index (git/history.h).
 *
 * Built commits follow TravisTorrent: walk back from the trigger commit until
 * a commit an earlier build of the repository built (build_found), a merge
 * (merge_found) or the root (no_previous_build). "Earlier build" means a
 * warehouse build of the same repository that STARTED before this one: its
 * commit was known to be built at this build's start, finished or not (see
 * cache.h, feat_cache_walk). The diff features sum each built commit's diff
 * against its first parent: file counts are unique paths, churn is lines
 * added plus deleted.
 */
#include "features/families_internal.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static void hex_of(char out[GIT_OID_HEXSZ + 1], const struct git_history *h, uint32_t c)
{
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, &git_history_commit(h, c)->oid);
}

/* --- git_commit --- */

static const struct feat_def commit_defs[] = {
	{ "git_trigger_sha", FEAT_STRING, "id", "The commit the git features describe (the build's commit, found in the mirror).",
	  FEAT_PRE_BUILD, 0, NULL, "git_trigger_commit", NULL },
	{ "git_trigger_is_merge", FEAT_BOOL, "", "Whether the trigger commit is a merge commit.", FEAT_PRE_BUILD, 0,
	  NULL, NULL, NULL },
};

static int commit_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	char hex[GIT_OID_HEXSZ + 1];
	hex_of(hex, r->in->git, r->trigger);
	feat_set_str(&out[0], hex);
	feat_set_bool(&out[1], git_history_commit(r->in->git, r->trigger)->nparents > 1);
	return 0;
}

const struct feat_node feat_node_git_commit = {
	"git_commit", "git", FEAT_IN_GIT, NULL, commit_defs, FEAT_N(commit_defs), 0, NULL, commit_compute,
};

/* --- git_built --- */

static const struct feat_def built_defs[] = {
	{ "git_prev_commit_sha", FEAT_STRING, "id",
	  "The commit that stopped the walk because an earlier build built it (null unless build_found).",
	  FEAT_PRE_BUILD, 1, NULL, "git_prev_built_commit", NULL },
	{ "git_prev_commit_status", FEAT_STRING, "",
	  "How the built-commits walk ended: build_found, merge_found or no_previous_build.", FEAT_PRE_BUILD, 1, NULL,
	  "git_prev_commit_resolution_status", NULL },
	{ "git_built_commits", FEAT_STRLIST, "id", "The commits the build brought in, the trigger commit first.",
	  FEAT_PRE_BUILD, 1, NULL, "git_all_built_commits", NULL },
	{ "git_built_commits_count", FEAT_INT, "count", "Number of built commits.", FEAT_PRE_BUILD, 1, NULL,
	  "git_num_all_built_commits", NULL },
};

static int built_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	struct feat_st_built *st = state;
	size_t n = feat_cache_walk(r->cache, r->trigger, r->start, &st->status, &st->prev);
	xgrow((void **)&st->commits, &st->cap, n, sizeof(uint32_t));
	memcpy(st->commits, r->cache->walk, n * sizeof(uint32_t));
	st->n = n;
	char hex[GIT_OID_HEXSZ + 1];
	if (st->prev != GIT_HISTORY_NONE) {
		hex_of(hex, r->in->git, st->prev);
		feat_set_str(&out[0], hex);
	}
	feat_set_str(&out[1], git_history_prev_status_name(st->status));
	struct strvec *l = feat_set_list(&out[2]);
	for (size_t i = 0; i < n; i++) {
		hex_of(hex, r->in->git, st->commits[i]);
		strvec_push(l, hex);
	}
	feat_set_int(&out[3], (int64_t)n);
	return 0;
}

static void built_release(void *state)
{
	free(((struct feat_st_built *)state)->commits);
}

static const char *const built_deps[] = { "git_commit", NULL };

const struct feat_node feat_node_git_built = {
	"git_built", "git", FEAT_IN_GIT | FEAT_IN_HISTORY, built_deps, built_defs, FEAT_N(built_defs),
	sizeof(struct feat_st_built), built_release, built_compute,
};

/* --- git_diff --- */

static const struct feat_def diff_defs[] = {
	{ "git_diff_files_added", FEAT_INT, "count", "Unique paths added by the built commits.", FEAT_PRE_BUILD, 1,
	  NULL, "gh_diff_files_added", NULL },
	{ "git_diff_files_deleted", FEAT_INT, "count", "Unique paths deleted by the built commits.", FEAT_PRE_BUILD, 1,
	  NULL, "gh_diff_files_deleted", NULL },
	{ "git_diff_files_modified", FEAT_INT, "count", "Unique paths modified in place by the built commits.",
	  FEAT_PRE_BUILD, 1, NULL, "gh_diff_files_modified", NULL },
	{ "git_diff_files_renamed", FEAT_INT, "count", "Unique paths that are the new name of a rename.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "git_diff_files_touched", FEAT_INT, "count", "Unique paths changed by the built commits (renames once).",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "git_diff_src_files", FEAT_INT, "count", "Unique non-test source files changed.", FEAT_PRE_BUILD, 1, NULL,
	  "gh_diff_src_files",
	  "Under `travistorrent` naming the column has TravisTorrent's meaning: unique files of GitHub Linguist type "
	  "`programming` whatever the project's language, test files included, and Markdown too (Linguist's first "
	  "language for `.md` is GCC Machine Description). Native: non-test source files of the configured "
	  "languages, tests in git_diff_test_files and Markdown in git_diff_doc_files, because a model should see "
	  "production code, tests and documentation apart." },
	{ "git_diff_test_files", FEAT_INT, "count", "Unique test files changed (by each language's test conventions).",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "git_diff_doc_files", FEAT_INT, "count", "Unique documentation files changed (by extension and folder).",
	  FEAT_PRE_BUILD, 1, NULL, "gh_diff_doc_files",
	  "Under `travistorrent` naming: unique files of Linguist type `markup` (HTML, CSS, ERB, ...), as "
	  "TravisTorrent's extraction counted; `prose` files (Text, reStructuredText, RDoc, AsciiDoc) count in none "
	  "of the three columns there. Native: documentation by extension and folder (docs/, *.md, *.rst, README), "
	  "which is what a reader calls documentation." },
	{ "git_diff_other_files", FEAT_INT, "count",
	  "Unique changed files that are neither source, test nor documentation (CI files included).", FEAT_PRE_BUILD,
	  1, NULL, "gh_diff_other_files",
	  "Under `travistorrent` naming: unique files of Linguist type `data` (YAML, JSON, XML, ...) or unknown to "
	  "Linguist. Native: files of no source, test or documentation class, CI and build files included." },
	{ "git_diff_binary_files", FEAT_INT, "count", "Unique binary files changed.", FEAT_PRE_BUILD, 1, NULL, NULL,
	  NULL },
	{ "git_diff_lines_added", FEAT_INT, "lines", "Lines added by the built commits, all files.", FEAT_PRE_BUILD, 1,
	  NULL, NULL, NULL },
	{ "git_diff_lines_deleted", FEAT_INT, "lines", "Lines deleted by the built commits, all files.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "git_diff_src_churn", FEAT_INT, "lines", "Lines added plus deleted in non-test source files.",
	  FEAT_PRE_BUILD, 1, NULL, "git_diff_src_churn",
	  "Under `travistorrent` naming: lines of every Linguist `programming` file (Markdown included) that is not a "
	  "test by the project language's TravisTorrent rule, so another language's tests count here. Native: non-test "
	  "source files by each file's own language." },
	{ "git_diff_test_churn", FEAT_INT, "lines", "Lines added plus deleted in test files.", FEAT_PRE_BUILD, 1, NULL,
	  "git_diff_test_churn",
	  "Under `travistorrent` naming: test files by the project language's TravisTorrent rule only (Ruby: `*.rb` "
	  "with `test/`, `tests/` or `spec/` and no `lib/` in the path). Native: each language's own test "
	  "conventions." },
	{ "git_diff_tests_added", FEAT_INT, "count", "Test-case definitions on added lines of test files.",
	  FEAT_PRE_BUILD, 1, NULL, "gh_diff_tests_added",
	  "The published TravisTorrent dump has 0 here for every build (its filter never matched diff lines); "
	  "ciminer counts the definitions, under `travistorrent` naming in the test files of the project language's "
	  "TravisTorrent rule." },
	{ "git_diff_tests_deleted", FEAT_INT, "count", "Test-case definitions on deleted lines of test files.",
	  FEAT_PRE_BUILD, 1, NULL, "gh_diff_tests_deleted",
	  "0 for every build in the published TravisTorrent dump; ciminer counts the definitions." },
	{ "git_change_entropy", FEAT_FLOAT, "bits",
	  "Shannon entropy of the churn's distribution over the changed files (0 when one file or no churn).",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "git_files_modified_ratio", FEAT_FLOAT, "ratio",
	  "Unique changed files over the files in the repository at the trigger commit.", FEAT_PRE_BUILD, 1, NULL,
	  NULL, NULL },
};

/* The project language TravisTorrent's test rule follows: the provider's
 * main language (TravisTorrent's gh_lang), else the one with the most source
 * lines at the trigger commit. */
static int project_language(const struct feat_run *r)
{
	int lang = GIT_LANG_NONE;
	if (r->in->repo && r->in->repo->main_language)
		lang = git_classify_lang_from_name(r->in->repo->main_language);
	return lang != GIT_LANG_NONE ? lang : git_history_main_language(r->in->git, r->trigger);
}

static int diff_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_st_built *b = r->deps[0];
	struct feat_st_diff *st = state;
	struct git_history_diffsum *d = &st->sum;
	git_history_diff_sum(d, r->view, b->commits, b->n, r->cfg->lang_mask);
	/* Columns under TravisTorrent names take TravisTorrent's file semantics;
	 * the state keeps ciminer's sum for the features that read it. */
	const struct git_history_diffsum *t = d;
	if (r->cfg->travistorrent) {
		git_history_diff_sum_tt(&st->tt, r->view, b->commits, b->n, project_language(r));
		t = &st->tt;
	}
	feat_set_int(&out[0], d->files_added);
	feat_set_int(&out[1], d->files_deleted);
	feat_set_int(&out[2], d->files_modified);
	feat_set_int(&out[3], d->files_renamed);
	feat_set_int(&out[4], d->files_touched);
	feat_set_int(&out[5], t->src_files);
	feat_set_int(&out[6], d->test_files);
	feat_set_int(&out[7], t->doc_files);
	feat_set_int(&out[8], (int64_t)t->other_files + t->ci_files);
	feat_set_int(&out[9], d->binary_files);
	feat_set_int(&out[10], (int64_t)d->lines_added);
	feat_set_int(&out[11], (int64_t)d->lines_deleted);
	feat_set_int(&out[12], (int64_t)t->src_churn);
	feat_set_int(&out[13], (int64_t)t->test_churn);
	feat_set_int(&out[14], t->tests_added);
	feat_set_int(&out[15], t->tests_deleted);
	feat_set_float(&out[16], d->entropy);
	uint64_t files = feat_files_at(r->in->git, r->trigger);
	if (files)
		feat_set_float(&out[17], (double)d->files_touched / (double)files);
	return 0;
}

static void diff_release(void *state)
{
	git_history_diffsum_release(&((struct feat_st_diff *)state)->sum);
	git_history_diffsum_release(&((struct feat_st_diff *)state)->tt);
}

static const char *const diff_deps[] = { "git_built", NULL };

const struct feat_node feat_node_git_diff = {
	"git_diff", "git", FEAT_IN_GIT | FEAT_IN_HISTORY, diff_deps, diff_defs, FEAT_N(diff_defs),
	sizeof(struct feat_st_diff), diff_release, diff_compute,
};

/* --- git_density --- */

static const struct feat_def density_defs[] = {
	{ "git_file_commit_density", FEAT_INT, "count",
	  "Unique commits in the lookback window before the build's start that touched the files the built commits "
	  "touch, the built commits excluded.",
	  FEAT_PRE_BUILD, 1, NULL, "gh_num_commits_on_files_touched", NULL },
};

static int density_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_st_built *b = r->deps[0];
	const struct feat_st_diff *d = r->deps[1];
	uint32_t n = git_history_file_commits(r->view, d->sum.paths, d->sum.npaths, feat_lookback_from(r), r->start,
					      b->commits, b->n, GIT_HISTORY_NONE, NULL);
	feat_set_int(&out[0], n);
	return 0;
}

static const char *const density_deps[] = { "git_built", "git_diff", NULL };

const struct feat_node feat_node_git_density = {
	"git_density", "git", FEAT_IN_GIT | FEAT_IN_HISTORY, density_deps, density_defs, FEAT_N(density_defs), 0,
	NULL, density_compute,
};

/* --- git_churn_trend --- */

static const struct feat_def trend_defs[] = {
	{ "git_churn_vs_prev5", FEAT_FLOAT, "ratio",
	  "Code churn (source plus test lines changed) of the built commits over the mean code churn of the last five "
	  "builds finished before this one started (null without such builds or when their mean is 0).",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

static int trend_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_st_diff *d = r->deps[0];
	const struct feat_st_prev *p = r->deps[1];
	struct feat_cache *c = r->cache;
	uint64_t sum = 0;
	int n = 0;
	for (size_t k = p->ndone; k-- > 0 && n < 5;) {
		int64_t churn = feat_cache_code_churn(c, r->view, c->done[k], r->cfg->lang_mask);
		if (churn < 0)
			continue; /* its commit is not in the mirror */
		sum += (uint64_t)churn;
		n++;
	}
	if (n > 0 && sum > 0)
		feat_set_float(&out[0], (double)(d->sum.src_churn + d->sum.test_churn) / ((double)sum / n));
	return 0;
}

static const char *const trend_deps[] = { "git_diff", "history_prev", NULL };

const struct feat_node feat_node_git_churn_trend = {
	"git_churn_trend", "git", FEAT_IN_GIT | FEAT_IN_HISTORY, trend_deps, trend_defs, FEAT_N(trend_defs), 0, NULL,
	trend_compute,
};

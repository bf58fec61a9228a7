/*
 * repo_*: the repository as it was at the build's commit — its name and
 * language from the provider, and from the history index its age, number of
 * commits, source lines and test density at the trigger commit (never its
 * later state). Source and test lines are code lines (no blank or
 * comment-only lines) of the languages in extractor_configs.source_languages.
 */
#include "features/families_internal.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "core/xalloc.h"

static const struct feat_def info_defs[] = {
	{ "repo_full_name", FEAT_STRING, "name", "The repository's owner/name.", FEAT_PRE_BUILD, 0, NULL, "gh_project_name",
	  NULL },
	{ "repo_language", FEAT_STRING, "", "The repository's main language as its provider reports it, lower-case.",
	  FEAT_PRE_BUILD, 0, NULL, "gh_lang", NULL },
};

static int info_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_repo *rp = r->in->repo;
	feat_set_str(&out[0], rp->full_name);
	if (rp->main_language && *rp->main_language) {
		char *l = xstrdup(rp->main_language);
		for (char *p = l; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		feat_set_str(&out[1], l);
		free(l);
	}
	return 0;
}

const struct feat_node feat_node_repo_info = {
	"repo_info", "repo", FEAT_IN_REPO, NULL, info_defs, FEAT_N(info_defs), 0, NULL, info_compute,
};

static const struct feat_def git_defs[] = {
	{ "repo_age_days", FEAT_FLOAT, "days",
	  "Days from the earliest authored commit in the trigger commit's history to the trigger commit.",
	  FEAT_PRE_BUILD, 1, NULL, "gh_repo_age", NULL },
	{ "repo_total_commits", FEAT_INT, "count", "Commits in the trigger commit's history, itself included.",
	  FEAT_PRE_BUILD, 1, NULL, "gh_repo_num_commits", NULL },
	{ "repo_sloc", FEAT_INT, "lines", "Code lines of non-test source files at the trigger commit (blank and "
					  "comment-only lines excluded).",
	  FEAT_PRE_BUILD, 1, NULL, "gh_sloc", NULL },
	{ "repo_test_sloc", FEAT_INT, "lines", "Code lines of test files at the trigger commit.", FEAT_PRE_BUILD, 1,
	  NULL, NULL, NULL },
	{ "repo_test_lines_per_kloc", FEAT_FLOAT, "lines/kloc",
	  "Test code lines per 1,000 source code lines at the trigger commit (null without source lines).",
	  FEAT_PRE_BUILD, 1, NULL, "gh_test_lines_per_kloc", NULL },
	{ "repo_test_cases_per_kloc", FEAT_FLOAT, "cases/kloc",
	  "Test-case definitions in test files per 1,000 source code lines at the trigger commit.", FEAT_PRE_BUILD, 1,
	  NULL, "gh_test_cases_per_kloc", NULL },
	{ "repo_asserts_per_kloc", FEAT_FLOAT, "asserts/kloc",
	  "Assertions in test files per 1,000 source code lines at the trigger commit.", FEAT_PRE_BUILD, 1, NULL,
	  "gh_asserts_cases_per_kloc", NULL },
	{ "repo_src_files", FEAT_INT, "count", "Non-test source files at the trigger commit.", FEAT_PRE_BUILD, 1, NULL,
	  NULL, NULL },
	{ "repo_test_files", FEAT_INT, "count", "Test files at the trigger commit.", FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "repo_files", FEAT_INT, "count", "All files at the trigger commit, of every class and language.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "repo_code_language", FEAT_STRING, "",
	  "The language with the most source code lines at the trigger commit (null when there is no source).",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

static void per_kloc(struct feat_value *out, uint32_t n, uint32_t sloc)
{
	if (sloc)
		feat_set_float(out, (double)n * 1000.0 / (double)sloc);
}

uint64_t feat_files_at(const struct git_history *h, uint32_t c)
{
	struct git_history_totals all;
	git_history_totals_at(&all, h, c, 0);
	return (uint64_t)all.sum.src_files + all.sum.test_files + all.doc_files + all.ci_files + all.other_files;
}

static int git_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct git_history *h = r->in->git;
	const struct git_history_commit *tc = git_history_commit(h, r->trigger);
	feat_set_float(&out[0], feat_days(tc->first_time, tc->commit_time));
	feat_set_int(&out[1], git_history_view_size(r->view));
	struct git_history_totals t;
	git_history_totals_at(&t, h, r->trigger, r->cfg->lang_mask);
	feat_set_int(&out[2], t.sum.src_sloc);
	feat_set_int(&out[3], t.sum.test_sloc);
	per_kloc(&out[4], t.sum.test_sloc, t.sum.src_sloc);
	per_kloc(&out[5], t.sum.test_cases, t.sum.src_sloc);
	per_kloc(&out[6], t.sum.test_asserts, t.sum.src_sloc);
	feat_set_int(&out[7], t.sum.src_files);
	feat_set_int(&out[8], t.sum.test_files);
	feat_set_int(&out[9], (int64_t)feat_files_at(h, r->trigger));
	int lang = git_history_main_language(h, r->trigger);
	if (lang != GIT_LANG_NONE)
		feat_set_str(&out[10], git_classify_lang_name(lang));
	return 0;
}

const struct feat_node feat_node_repo_git = {
	"repo_git", "repo", FEAT_IN_GIT, NULL, git_defs, FEAT_N(git_defs), 0, NULL, git_compute,
};

/*
 * devops_*: changes to the build's own machinery — CI workflows, Dockerfiles,
 * build scripts, infrastructure as code — among the built commits, and the
 * CI/infrastructure files of the repository at the trigger commit. Which
 * paths count and which tool each belongs to is git/classify.h's rule
 * (GIT_CLASS_CI and enum git_tool).
 */
#include "features/families_internal.h"

static void tool_list(struct feat_value *out, uint32_t tools)
{
	struct strvec *l = feat_set_list(out);
	for (int b = 0; b < GIT_TOOL_COUNT_BITS; b++)
		if (tools & (1u << b))
			strvec_push(l, git_classify_tool_name(1u << b));
}

static const struct feat_def diff_defs[] = {
	{ "devops_files_changed", FEAT_INT, "count",
	  "Unique CI, build, container and infrastructure files changed by the built commits.", FEAT_PRE_BUILD, 1,
	  NULL, NULL, NULL },
	{ "devops_lines_changed", FEAT_INT, "lines", "Lines added plus deleted in those files.", FEAT_PRE_BUILD, 1,
	  NULL, NULL, NULL },
	{ "devops_changed", FEAT_BOOL, "", "Whether the built commits change any CI/infrastructure file.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "devops_tools_changed", FEAT_STRLIST, "",
	  "The tools whose files the built commits change (github_actions, docker, maven, terraform, ...), in a fixed "
	  "order.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

static int diff_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_st_diff *d = r->deps[0];
	feat_set_int(&out[0], d->sum.ci_files);
	feat_set_int(&out[1], (int64_t)d->sum.ci_churn);
	feat_set_bool(&out[2], d->sum.ci_files > 0);
	tool_list(&out[3], d->sum.tools);
	return 0;
}

static const char *const diff_deps[] = { "git_diff", NULL };

const struct feat_node feat_node_devops_diff = {
	"devops_diff", "devops", FEAT_IN_GIT | FEAT_IN_HISTORY, diff_deps, diff_defs, FEAT_N(diff_defs), 0, NULL,
	diff_compute,
};

static const struct feat_def repo_defs[] = {
	{ "devops_files_in_repo", FEAT_INT, "count", "CI, build, container and infrastructure files at the trigger commit.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

static int repo_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	struct git_history_totals t;
	git_history_totals_at(&t, r->in->git, r->trigger, 0);
	feat_set_int(&out[0], t.ci_files);
	return 0;
}

const struct feat_node feat_node_devops_repo = {
	"devops_repo", "devops", FEAT_IN_GIT, NULL, repo_defs, FEAT_N(repo_defs), 0, NULL, repo_compute,
};

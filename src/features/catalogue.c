/*
 * ciminer's feature catalogue: every node of every family, in the order the
 * features are listed and output (build, repo, git, team, devops, pr,
 * history, author, log, prev_log). Adding a node is one line here plus its
 * definition in its family's file; `ciminer features --markdown` then
 * regenerates docs/features.md.
 */
#include "features/engine.h"
#include "features/families_internal.h"

/* Bumped when a definition changes meaning, so stored vectors can be told apart. */
#define FEAT_CATALOGUE_VERSION "3" /* 2: TravisTorrent file semantics under naming: travistorrent; 3: build_id and
				   * history_prev_build_id are the provider's ids */

static const struct feat_node *const nodes[] = {
	&feat_node_build_info,
	&feat_node_build_time,
	&feat_node_build_post,
	&feat_node_build_labels,
	&feat_node_repo_info,
	&feat_node_repo_git,
	&feat_node_git_commit,
	&feat_node_git_built,
	&feat_node_git_diff,
	&feat_node_git_density,
	&feat_node_git_churn_trend,
	&feat_node_team_window,
	&feat_node_team_built,
	&feat_node_devops_diff,
	&feat_node_devops_repo,
	&feat_node_pr_info,
	&feat_node_pr_data,
	&feat_node_pr_comments,
	&feat_node_pr_text,
	&feat_node_history_prev,
	&feat_node_history_rates,
	&feat_node_author_history,
	&feat_node_author_git,
	&feat_node_author_ownership,
	&feat_node_log,
	&feat_node_prev_log,
};

static const struct feat_catalogue catalogue = { nodes, sizeof(nodes) / sizeof(nodes[0]) };

const struct feat_catalogue *feat_catalogue_default(void)
{
	return &catalogue;
}

const char *feat_catalogue_version(void)
{
	return FEAT_CATALOGUE_VERSION;
}

/*
 * The catalogue's nodes (one file per family, feat_<family>.c) and the node
 * states that nodes of other families read through their dependencies.
 * Internal to src/features/; catalogue.c lists the nodes in catalogue order.
 */
#ifndef FEATURES_FAMILIES_INTERNAL_H
#define FEATURES_FAMILIES_INTERNAL_H
#include "features/cache.h"
#include "features/feature.h"
#include "git/history.h"

#define FEAT_N(a) (sizeof(a) / sizeof((a)[0]))

/* State of git_built: the built commits (trigger first). */
struct feat_st_built {
	uint32_t *commits;
	size_t n, cap;
	int status;    /* enum git_history_prev_status */
	uint32_t prev; /* previously built commit, or GIT_HISTORY_NONE */
};

/* State of git_diff: the diff sum over the built commits (ciminer's
 * classes; tt: TravisTorrent's, filled only under `naming: travistorrent`). */
struct feat_st_diff {
	struct git_history_diffsum sum;
	struct git_history_diffsum tt;
};

/* State of history_prev: what had finished before the build started. */
struct feat_st_prev {
	size_t ndone;  /* done builds (cache.h) that completed before the start: done[0..ndone) */
	uint32_t prev; /* history index of the previous finished build, or FEAT_NONE */
};

extern const struct feat_node feat_node_build_info, feat_node_build_time, feat_node_build_post,
	feat_node_build_labels;
extern const struct feat_node feat_node_repo_info, feat_node_repo_git;
extern const struct feat_node feat_node_git_commit, feat_node_git_built, feat_node_git_diff, feat_node_git_density,
	feat_node_git_churn_trend;
extern const struct feat_node feat_node_team_window, feat_node_team_built;
extern const struct feat_node feat_node_devops_diff, feat_node_devops_repo;
extern const struct feat_node feat_node_pr_info, feat_node_pr_data, feat_node_pr_comments, feat_node_pr_text;
extern const struct feat_node feat_node_history_prev, feat_node_history_rates;
extern const struct feat_node feat_node_author_history, feat_node_author_git, feat_node_author_ownership;
extern const struct feat_node feat_node_log, feat_node_prev_log;

/* Seconds between two usec times as days. */
double feat_days(int64_t from, int64_t to);
/* Lookback window start: start minus cfg->lookback_days. */
int64_t feat_lookback_from(const struct feat_run *r);
/* A run's seconds: duration_sec when known (>= 0), else completed - started, else -1. */
double feat_run_seconds(double duration_sec, int64_t started, int64_t completed);
/* Files of every class and language in commit c's tree (feat_repo.c). */
uint64_t feat_files_at(const struct git_history *h, uint32_t c);

#endif

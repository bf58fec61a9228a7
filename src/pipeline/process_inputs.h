/*
 * Phase 2 inputs: everything the feature engine reads about one repository,
 * loaded from the warehouse, the mirror and the blob store into the plain
 * structs of features/input.h. One struct repo_inputs lives for one
 * process_repo job; its strings and arrays are owned here.
 */
#ifndef PIPELINE_PROCESS_INPUTS_H
#define PIPELINE_PROCESS_INPUTS_H
#include <stdint.h>
#include "features/input.h"
#include "git/history.h"
#include "git/mirror.h"
#include "logs/logs.h"
#include "store/store.h"

struct run_row {
	struct feat_build b;
	struct feat_hist_build h;
	int64_t raw_run_id;
	char *strs[10];             /* owned strings behind b/h */
	int64_t *prs;
	char **job_ids;
	size_t njobs;
	struct logs_result log;     /* aggregated job logs when loaded */
	int log_state;              /* 0 not loaded, 1 present, -1 missing */
};

struct repo_inputs {
	int64_t repo_id;
	struct feat_repo repo;
	char *repo_strs[5];  /* full_name, main_lang, default_branch, provider, clone_url */
	struct run_row *runs;       /* every warehouse build of the repository, by started_at, id */
	size_t nruns;
	struct feat_hist_build *hist; /* parallel to runs, for struct feat_history */
	struct feat_history history;
	struct git_mirror *mirror;  /* NULL when the repository has no mirror */
	struct git_history *git;    /* NULL when no mirror */
	char *git_error;
};

/* Loads the repository, all its warehouse builds, and (when want_git) its mirror and history index. */
int repo_inputs_load(struct repo_inputs *ri, struct store *s, const char *data_dir, int64_t repo_id, int want_git,
		     struct err *e);
/* Index of raw run id in ri->runs, or -1. */
long repo_inputs_find(const struct repo_inputs *ri, int64_t raw_run_id);
/*
 * Parses (once) the job logs of run i from the blob store; *out (may be NULL)
 * gets the aggregate, or NULL when a job's log is missing (expired at the
 * provider, or absent from the blob store). A database error or a corrupt
 * blob is an error, never a silently partial vector.
 */
int repo_inputs_log(struct repo_inputs *ri, struct store *s, const char *data_dir, size_t i,
		    const struct logs_result **out, struct err *e);
void repo_inputs_release(struct repo_inputs *ri);

#endif

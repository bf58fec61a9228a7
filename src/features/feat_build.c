/*
 * build_*: what the CI provider says about the build itself — ids, commit,
 * branch, trigger, time of day — plus its duration (post_build) and the
 * labels (build_status, build_status_num, outcome), which are catalogued so
 * that users see them but can never be selected as features.
 */
#include "features/families_internal.h"
#include "core/utc.h"
#include <math.h>
#include <string.h>

double feat_days(int64_t from, int64_t to)
{
	return (double)(to - from) / (double)USEC_PER_DAY;
}

int64_t feat_lookback_from(const struct feat_run *r)
{
	return r->start - (int64_t)r->cfg->lookback_days * USEC_PER_DAY;
}

double feat_run_seconds(double duration_sec, int64_t started, int64_t completed)
{
	if (duration_sec >= 0)
		return duration_sec;
	if (completed != FEAT_TIME_UNKNOWN && started != FEAT_TIME_UNKNOWN)
		return (double)(completed - started) / USEC_PER_SEC;
	return -1;
}

static const struct feat_def info_defs[] = {
	{ "build_id", FEAT_STRING, "id", "The CI provider's id of the build, as the imported CSV names it.",
	  FEAT_PRE_BUILD, 0, "build_ci_run_id", "tr_build_id", NULL },
	{ "build_number", FEAT_INT, "", "The run's number at the provider (null when unknown).", FEAT_PRE_BUILD, 0, NULL,
	  "tr_build_number", NULL },
	{ "build_trigger_sha", FEAT_STRING, "id", "The commit the CI reports the build ran on.", FEAT_PRE_BUILD, 0, NULL,
	  "tr_original_commit", NULL },
	{ "build_branch", FEAT_STRING, "name", "The branch the build ran on.", FEAT_PRE_BUILD, 0, "git_branch", "git_branch",
	  NULL },
	{ "build_event", FEAT_STRING, "", "What triggered the build (push, pull_request, schedule, ...).", FEAT_PRE_BUILD,
	  0, NULL, NULL, NULL },
	{ "build_provider", FEAT_STRING, "", "The CI provider (github_actions, circleci, travis, local).", FEAT_PRE_BUILD,
	  0, NULL, NULL, NULL },
	{ "build_actor_is_bot", FEAT_BOOL, "", "Whether the account that triggered the build is a bot.", FEAT_PRE_BUILD,
	  0, NULL, NULL, NULL },
	{ "build_run_attempt", FEAT_INT, "count", "The attempt number of the run (1 for the first, more for re-runs).",
	  FEAT_PRE_BUILD, 0, NULL, NULL, NULL },
	{ "build_jobs_count", FEAT_INT, "count", "Number of jobs in the build.", FEAT_PRE_BUILD, 0, NULL, NULL, NULL },
	{ "build_job_ids", FEAT_STRLIST, "id", "The provider's ids of the build's jobs.", FEAT_PRE_BUILD, 0, "log_job_ids",
	  "tr_jobs", NULL },
};

static int info_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_build *b = r->in->build;
	feat_set_str(&out[0], b->ci_run_id);
	if (b->build_number > 0)
		feat_set_int(&out[1], b->build_number);
	feat_set_str(&out[2], b->commit_sha);
	feat_set_str(&out[3], b->branch);
	feat_set_str(&out[4], b->event);
	feat_set_str(&out[5], b->provider);
	feat_set_bool(&out[6], b->actor_is_bot);
	if (b->run_attempt > 0)
		feat_set_int(&out[7], b->run_attempt);
	feat_set_int(&out[8], b->jobs_count);
	struct strvec *ids = feat_set_list(&out[9]);
	for (size_t i = 0; b->job_ids && i < b->n_job_ids; i++)
		strvec_push(ids, b->job_ids[i]);
	return 0;
}

const struct feat_node feat_node_build_info = {
	"build_info", "build", FEAT_IN_BUILD, NULL, info_defs, FEAT_N(info_defs), 0, NULL, info_compute,
};

static const struct feat_def time_defs[] = {
	{ "build_started_at", FEAT_TIMESTAMP, "", "When the build started (UTC; its creation time when the start is unknown).",
	  FEAT_PRE_BUILD, 0, NULL, "gh_build_started_at", NULL },
	{ "build_day_of_week", FEAT_INT, "", "Day of the week the build started, 0 = Monday ... 6 = Sunday (UTC).",
	  FEAT_PRE_BUILD, 0, NULL, NULL, NULL },
	{ "build_hour_utc", FEAT_INT, "hour", "Hour of the day the build started, 0-23 (UTC).", FEAT_PRE_BUILD, 0, NULL,
	  NULL, NULL },
	{ "build_hour_sin", FEAT_FLOAT, "", "sin(2*pi*hour/24) of the start hour, so that 23h and 0h are close.",
	  FEAT_PRE_BUILD, 0, NULL, NULL, NULL },
	{ "build_hour_cos", FEAT_FLOAT, "", "cos(2*pi*hour/24) of the start hour.", FEAT_PRE_BUILD, 0, NULL, NULL, NULL },
};

static int time_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	int hour = utc_hour(r->start);
	feat_set_time(&out[0], r->start);
	feat_set_int(&out[1], utc_weekday(r->start));
	feat_set_int(&out[2], hour);
	feat_set_float(&out[3], sin(2 * M_PI * hour / 24.0));
	feat_set_float(&out[4], cos(2 * M_PI * hour / 24.0));
	return 0;
}

const struct feat_node feat_node_build_time = {
	"build_time", "build", FEAT_IN_BUILD, NULL, time_defs, FEAT_N(time_defs), 0, NULL, time_compute,
};

static const struct feat_def post_defs[] = {
	{ "build_duration_sec", FEAT_FLOAT, "seconds", "How long the build ran (known only after it ends).",
	  FEAT_POST_BUILD, 0, NULL, "tr_duration", NULL },
};

static int post_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_build *b = r->in->build;
	double sec = feat_run_seconds(b->duration_sec, b->started_at, b->completed_at);
	if (sec >= 0)
		feat_set_float(&out[0], sec);
	return 0;
}

const struct feat_node feat_node_build_post = {
	"build_post", "build", FEAT_IN_BUILD, NULL, post_defs, FEAT_N(post_defs), 0, NULL, post_compute,
};

static const struct feat_def label_defs[] = {
	{ "build_status", FEAT_STRING, "", "The build's conclusion (success, failure, ...): the outcome itself.",
	  FEAT_LABEL, 0, NULL, "tr_status", NULL },
	{ "build_status_num", FEAT_INT, "", "1 when the build failed, 0 when it passed, null for other conclusions.",
	  FEAT_LABEL, 0, NULL, NULL, NULL },
	{ "outcome", FEAT_INT, "", "The dataset label: 1 when the build failed, 0 when it succeeded (validation keeps "
				   "success and failure runs only; timed_out and startup_failure runs are filtered there).",
	  FEAT_LABEL, 0, NULL, NULL, NULL },
};

static int label_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const char *c = r->in->build->conclusion;
	int o = feat_outcome_of(c);
	feat_set_str(&out[0], c);
	if (o >= 0) {
		feat_set_int(&out[1], o);
		feat_set_int(&out[2], o);
	}
	return 0;
}

const struct feat_node feat_node_build_labels = {
	"build_labels", "build", FEAT_IN_BUILD, NULL, label_defs, FEAT_N(label_defs), 0, NULL, label_compute,
};

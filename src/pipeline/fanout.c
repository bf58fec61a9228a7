/* Per-repository fan-out with a fan-in finish step (see fanout.h). */
#include "pipeline/fanout.h"
#include "core/utc.h"
#include "store/jobs.h"
#include "pipeline/scenario.h"
#include "store/events.h"
#include "store/status.h"
#include "store/scenarios.h"
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

int fanout_enqueue(struct store *s, const struct fanout_spec *f, int64_t scenario_id, struct err *e)
{
	char payload[64];
	snprintf(payload, sizeof(payload), "{\"scenario_id\":%lld}", (long long)scenario_id);
	int64_t finish = 0;
	struct jobs_enqueue_opts fo = { .queue = f->queue, .kind = f->finish_kind, .payload = payload, .waiting = 1 };
	int rc = jobs_enqueue(s, &fo, &finish, e);
	int64_t *repos = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = builds_pending_repos(s, &repos, &n, f->builds, scenario_id, e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char pl[96], key[64];
		snprintf(pl, sizeof(pl), "{\"raw_repo_id\":%lld,\"scenario_id\":%lld}", (long long)repos[i],
			 (long long)scenario_id);
		if (f->key_per_scenario)
			snprintf(key, sizeof(key), "%s%lld:%lld", f->key_prefix, (long long)scenario_id, (long long)repos[i]);
		else
			snprintf(key, sizeof(key), "%s%lld", f->key_prefix, (long long)repos[i]);
		struct jobs_enqueue_opts o = { .queue = f->queue, .kind = f->repo_kind, .payload = pl,
					       .concurrency_key = key, .parent_id = finish };
		rc = jobs_enqueue(s, &o, NULL, e);
	}
	free(repos);
	if (rc == 0)
		rc = jobs_release(s, finish, e);
	return rc;
}

int fanout_scenario_in(struct store *s, int64_t scenario_id, const char *phase, struct err *e)
{
	char *status = NULL;
	int rc = store_status_get(s, ENT_SCENARIO, scenario_id, &status, e);
	if (rc == ERR_NOT_FOUND)
		return 0; /* deleted meanwhile: nothing to finish */
	if (rc < 0)
		return rc;
	int in = strcmp(status, phase) == 0;
	free(status);
	return in;
}

int fanout_fail_if_last(struct job_ctx *ctx, int64_t scenario_id, const char *phase, int rc, struct err *e)
{
	if (rc >= 0 || ctx->attempt < ctx->max_attempts)
		return rc;
	struct err fe = ERR_INIT;
	char reason[ERR_MSG_MAX + 64];
	snprintf(reason, sizeof(reason), "%s: %s", phase, e->msg);
	if (store_in_tx(ctx->store))
		store_rollback(ctx->store);
	if (store_begin(ctx->store, &fe) == 0) {
		int in = fanout_scenario_in(ctx->store, scenario_id, phase, &fe);
		store_tx_end(ctx->store, in == 1 ? scenarios_fail(ctx->store, scenario_id, reason, &fe) : in, &fe);
	}
	return rc;
}

int fanout_finish(struct store *s, const struct fanout_spec *f, int64_t id, struct err *e)
{
	int rc = store_begin(s, e);
	int in = rc == 0 ? fanout_scenario_in(s, id, f->running, e) : rc;
	if (in <= 0) /* already finished (the step ran before its worker died) or the scenario moved on */
		return store_tx_end(s, in, e);
	char msg[128];
	/* Builds whose repository job died (attempts exhausted) are failed with that job's error. */
	rc = builds_fail_leftovers(s, f->builds, id, f->open_states, f->repo_kind, e);
	snprintf(msg, sizeof(msg), "%s finished", f->running);
	if (rc == 0)
		rc = f->refresh(s, id, msg, e);
	struct scenarios_counters counters;
	if (rc == 0)
		rc = scenarios_counters(s, &counters, id, e);
	if (rc == 0 && f->usable(&counters) == 0) {
		rc = scenarios_fail(s, id, f->nothing_msg, e);
	} else if (rc == 0) {
		rc = store_status_set(s, ENT_SCENARIO, id, f->running, f->done, e);
		if (rc == 0)
			rc = scenarios_phase_completed(s, id, f->phase, e);
		snprintf(msg, sizeof(msg), "scenario is %s", f->done);
		if (rc == 0)
			rc = events_scenario_update(s, id, msg, e);
	}
	return store_tx_end(s, rc, e);
}

/*
 * Build-source operations besides import: starting validation (the
 * specification's orchestrator: group pending rows by repository, one job
 * each, fan-in to validate_finish, all enqueued in one transaction), stats,
 * the validation's open jobs and its first cause.
 */
#include "pipeline/source.h"
#include "store/events.h"
#include "core/buf.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "store/jobs.h"
#include "store/sources.h"
#include "store/status.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

int source_validation_open(struct store *s, int64_t id, int64_t *open, struct err *e)
{
	char payload[64];
	snprintf(payload, sizeof(payload), "{\"source_id\":%lld}", (long long)id);
	return jobs_count_open_kind(s, open, "validate_finish", payload, e);
}

int source_validation_cause(struct store *s, int64_t id, char **reason, char **repo, int64_t *rows, struct err *e)
{
	*reason = *repo = NULL;
	*rows = 0;
	/* validate_repo payloads are {"provider", "repo", "source_id"} with sorted keys. */
	char tail[64], *payload = NULL;
	snprintf(tail, sizeof(tail), "\"source_id\":%lld}", (long long)id);
	int rc = jobs_last_error_of(s, reason, &payload, "validate_repo", tail, e);
	if (rc < 0)
		return rc;
	if (payload) {
		json_t *pl = json_loads(payload, 0, NULL);
		const char *r = pl ? json_string_value(json_object_get(pl, "repo")) : NULL;
		*repo = r ? xstrdup(r) : NULL;
		json_decref(pl);
		free(payload);
	}
	if (*repo)
		rc = source_builds_count(s, rows, id, *repo, "pending", e);
	return rc < 0 ? rc : 0;
}

int source_validate_start(struct store *s, int64_t id, struct err *e)
{
	int rc = store_begin(s, e);
	if (rc < 0)
		return rc;
	int64_t open = 0;
	char *status = NULL, payload[64];
	snprintf(payload, sizeof(payload), "{\"source_id\":%lld}", (long long)id);
	rc = store_status_get(s, ENT_SOURCE_VALIDATION, id, &status, e);
	if (rc == 0)
		rc = jobs_count_open_kind(s, &open, "validate_finish", payload, e);
	if (rc == 0 && open > 0)
		rc = err_set(e, ERR_CONFLICT,
			     "build source %lld is already being validated; run 'ciminer worker' (or wait for the"
			     " running workers) to finish it",
			     (long long)id);
	if (rc == 0 && strcmp(status, "in_progress") != 0)
		rc = sources_set_status(s, id, "in_progress", e);
	free(status);

	int64_t finish = 0;
	struct jobs_enqueue_opts fo = { .queue = "validation", .kind = "validate_finish", .payload = payload,
					.waiting = 1 };
	if (rc == 0)
		rc = jobs_enqueue(s, &fo, &finish, e);
	struct strvec prov = STRVEC_INIT, repos = STRVEC_INIT;
	if (rc == 0)
		rc = source_builds_pending_repos(s, &prov, &repos, id, e);
	for (size_t i = 0; rc == 0 && i < repos.n; i++) {
		json_t *pl = json_pack("{s:I, s:s, s:s}", "source_id", (json_int_t)id, "provider", prov.v[i], "repo",
				       repos.v[i]);
		char *txt = json_dumps(pl, JSON_COMPACT | JSON_SORT_KEYS);
		struct jobs_enqueue_opts o = { .queue = "validation", .kind = "validate_repo", .payload = txt,
					       .parent_id = finish, .max_attempts = 5 };
		rc = jobs_enqueue(s, &o, NULL, e);
		free(txt);
		json_decref(pl);
	}
	if (rc == 0)
		rc = jobs_release(s, finish, e);
	if (rc == 0)
		rc = events_source_update(s, id, "validation started", e);
	strvec_clear(&prov);
	strvec_clear(&repos);
	return store_tx_end(s, rc, e);
}

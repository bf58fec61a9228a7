/*
 * Helpers shared by the provider implementations (ci_github.c, ci_circleci.c,
 * ci_travis.c, ci_local.c): JSON GETs with the status-to-error mapping of
 * provider.h, field copies out of payloads, and the batch log download over
 * HTTP. Not part of the public interface; callers outside src/ci/ use provider.h.
 */
#ifndef CI_COMMON_H
#define CI_COMMON_H
#include <jansson.h>
#include "ci/provider.h"

/*
 * GETs url through the provider's client and parses a 2xx JSON body into
 * *out (caller decrefs). link_next (may be NULL) receives the Link rel="next"
 * URL (caller frees; NULL on the last page). Status mapping: 404 ->
 * CI_ERR_NOT_FOUND, 410 -> CI_ERR_GONE, 401/403/other 4xx -> CI_ERR_PERMANENT,
 * transport/5xx -> CI_ERR_TRANSIENT (or ERR_TIMEOUT / CI_ERR_RATE_LIMITED).
 */
int ci_common_get_json(struct ci_provider *p, json_t **out, char **link_next, const char *url,
		       const char *const *headers, unsigned flags, struct err *e);
/* One JSON GET of a batch (ci_common_get_json_many). */
struct ci_json_get {
	const char *url;   /* in, borrowed */
	json_t *json;      /* out: the parsed 2xx body (caller decrefs); NULL on failure */
	char *next;        /* out: the Link rel="next" URL (caller frees); NULL on the last page */
	int rc;            /* out: 0 or a code mapped as ci_common_get_json() maps it */
	struct err err;    /* out: why, when rc != 0 */
};
/*
 * Runs n GETs concurrently (cfg.max_in_flight at a time) through the
 * provider's client, each with its own outcome. Returns 0, or the first
 * CI_ERR_RATE_LIMITED of the batch (every credential exhausted: the caller
 * should stop) — the items carry their codes either way.
 */
int ci_common_get_json_many(struct ci_provider *p, struct ci_json_get *gets, size_t n, const char *const *headers,
			    unsigned flags, struct err *e);

/* Maps a final HTTP status that is not 2xx to a named code with a message ("GET url: ..."). */
int ci_common_status_err(struct err *e, const char *method, long status, const char *url, const char *body);
/* Converts a finished request's outcome into a code (0 for 2xx). */
int ci_common_req_err(struct err *e, const struct ci_http_req *r);

/* A copy of the string at dotted path (NULL when absent or not a string). */
char *ci_common_str(const json_t *obj, const char *path);
/* The time at dotted path, CI_TIME_UNKNOWN when absent or unparsable. */
int64_t ci_common_time(const json_t *obj, const char *path);
/* Compact JSON text of v (caller frees). */
char *ci_common_dump(const json_t *v);
/* "%s/%s" percent-encoding '/' in name's owner/repo for path segments (caller frees). */
char *ci_common_escape(const char *s);
/* duration = completed - started when both known, else CI_TIME_UNKNOWN. */
int64_t ci_common_duration(int64_t started, int64_t completed);

/*
 * Batch log download over HTTP: url_of(p, repo, job_id) gives each log's URL
 * (caller-side strings are freed here); the requests follow redirects and
 * send headers. Fills each ci_log_req.
 */
int ci_common_logs_http(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
			char *(*url_of)(struct ci_provider *p, const char *repo, const char *job_id),
			const char *const *headers, struct err *e);

/*
 * Each provider's mapping of its JSON payloads to struct ci_run / ci_job
 * (GitHub's are in ci_github.h). They never fail: an absent or mistyped field
 * becomes NULL / CI_TIME_UNKNOWN / 0. Exposed here, rather than static, so
 * that the fuzz targets (tests/fuzz/fuzz_providers.c) feed them hostile JSON.
 *   ci_circleci_map_run   a pipeline and its workflows (a JSON array) into r
 *   ci_circleci_map_job   one /workflow/{id}/job item of run run_id into job
 *   ci_travis_map_run     a /build/{id} answer into r
 *   ci_travis_take_jobs   a /build/{id}/jobs answer into run->jobs (replaced)
 *   ci_github_take_suite  a GraphQL CheckSuite node into run->jobs; 0 when the
 *                         node held every job, 1 when REST must list them
 */
void ci_circleci_map_run(struct ci_run *r, json_t *pl, json_t *wfs);
void ci_circleci_map_job(struct ci_job *job, const json_t *j, const char *run_id);
void ci_travis_map_run(struct ci_run *r, const json_t *j);
void ci_travis_take_jobs(struct ci_run *run, const json_t *j);
int ci_github_take_suite(struct ci_run *run, const json_t *node);

#endif

/*
 * Internals of the HTTP client shared by http.c (lifecycle), http_xfer.c (the
 * transfer loop), http_policy.c (judging each attempt) and http_pool.c (token
 * pools and the ETag cache). Not for use outside src/ci/http*.c.
 */
#ifndef CI_HTTP_INTERNAL_H
#define CI_HTTP_INTERNAL_H
#include <curl/curl.h>
#include "ci/http.h"

/* One credential of a pool; header is NULL for the anonymous entry. */
struct ci_http_token {
	char *header;
	int known;          /* remaining/reset were seen in a response */
	long remaining;
	int64_t reset_usec; /* UTC */
	int in_flight;
};

/* The credentials used for one host, with their rate-limit view. */
struct ci_http_pool {
	char *host;
	struct ci_http_token *tok;
	size_t n, cap;
	size_t cur;
	int64_t announced_until; /* last wait reported, so a batch reports it once */
};

struct ci_http_cache_entry {
	char *etag;
	char *body;
	size_t len;
	char *link_next;
};

struct ci_http_client {
	struct ci_http_config cfg;
	char *user_agent;
	CURLM *multi;
	struct strmap pools; /* host -> struct ci_http_pool * */
	struct strmap cache; /* url -> struct ci_http_cache_entry * */
	size_t cache_bytes;
	struct ci_http_stats stats;
	CURL **idle;
	size_t nidle, idle_cap;
	unsigned rng;
};

/* The pool for host, created with one anonymous entry when none was registered. */
struct ci_http_pool *ci_http_pool_for(struct ci_http_client *c, const char *host);
/* Index of the token to use now, or -1 with *wait_until (UTC usec) set to the earliest reset. */
int ci_http_pool_pick(struct ci_http_client *c, struct ci_http_pool *p, int64_t now_utc, int64_t *wait_until);
/* Records the rate-limit headers of a response made with token i. */
void ci_http_pool_update(struct ci_http_pool *p, int i, long remaining, int64_t reset_usec);
void ci_http_pools_free(struct ci_http_client *c);

const struct ci_http_cache_entry *ci_http_cache_get(const struct ci_http_client *c, const char *url);
void ci_http_cache_put(struct ci_http_client *c, const char *url, const char *etag,
		       const char *body, size_t len, const char *link_next);
void ci_http_cache_free(struct ci_http_client *c);

#define ERRBODY_MAX (64 * 1024)
#define MAX_REDIRECTS 5
#define MAX_PRIMARY_HITS 8

/* One request of a batch, through its attempts (redirects and retries included). */
enum ci_http_xstate { X_WAIT, X_RUN, X_DONE };

struct ci_http_xfer {
	struct ci_http_client *c;
	struct ci_http_req *req;
	CURL *easy;
	struct curl_slist *hdrs;
	char *url;
	struct ci_http_pool *pool;
	int tok;
	enum ci_http_xstate state;
	int64_t not_before; /* mono usec */
	int tries, secondary, redirects, primary_hits;
	/* per attempt */
	long status;
	int have_remaining, have_reset;
	int other_resource;  /* X-RateLimit-Resource names a budget other than "core" (graphql, search) */
	long rl_remaining;
	int64_t rl_reset;
	int64_t retry_after; /* usec, -1 when absent */
	char *etag, *link_next;
	const struct ci_http_cache_entry *cached;
	int mode; /* 0 unknown, 1 sink, 2 body, 3 error body */
	int cap_hit, sink_failed, body_toobig;
	size_t sink_bytes;
	char curl_err[CURL_ERROR_SIZE];
};

/* http_xfer.c */
void ci_http_attempt_reset(struct ci_http_xfer *x);
void ci_http_easy_put(struct ci_http_client *c, CURL *h);
/* http_policy.c */
void ci_http_finish_attempt(struct ci_http_xfer *x, CURLcode code);
/* Fails x with the message fmt % ("<METHOD> <url>", detail): fmt has two %s. */
void ci_http_fail(struct ci_http_xfer *x, int code, const char *fmt, const char *detail);
void ci_http_announce_wait(struct ci_http_client *c, const char *why, int64_t until_utc);

#endif

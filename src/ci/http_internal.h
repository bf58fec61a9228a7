/*
 * Internals of the HTTP client shared by http.c (the transfer loop) and
 * http_pool.c (token pools and the ETag cache). Not for use outside src/ci/http*.c.
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

#endif

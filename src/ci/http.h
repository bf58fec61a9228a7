/*
 * The HTTP client policy shared by every CI provider (docs/ci.md).
 *
 * One struct ci_http_client wraps a libcurl multi handle: connections are
 * reused across requests (and multiplexed over HTTP/2 where the server offers
 * it), and a batch of requests runs with at most cfg.max_in_flight transfers
 * at once. Around every transfer the client applies one policy:
 *
 *  - credentials: a pool of tokens per host (ci_http_add_tokens). Each
 *    token's X-RateLimit-Remaining / X-RateLimit-Reset are tracked; the
 *    client switches to another token *before* the current one runs dry
 *    (remaining minus requests in flight <= cfg.token_reserve) and, when all
 *    are dry, waits until the earliest reset. Waits are logged with log_warn
 *    and reported through cfg.on_wait so that a caller can show them as
 *    progress. A wait longer than cfg.max_rate_wait_ms fails the request with
 *    ERR_RATE_LIMITED instead.
 *  - primary limit hit anyway (403/429 with X-RateLimit-Remaining: 0): the
 *    token is marked dry and the request goes again with another token or
 *    after the reset; this does not count as an attempt.
 *  - secondary limits (403/429 with Retry-After, or a 403 whose body says
 *    "secondary rate limit"): wait Retry-After (else cfg.secondary_wait_ms,
 *    doubling) and try again, bounded by cfg.max_attempts.
 *  - 5xx and transport errors (connection refused/reset, timeouts): retried
 *    with exponential backoff and full jitter (cfg.backoff_base_ms * 2^n,
 *    capped by cfg.backoff_max_ms), at most cfg.max_attempts attempts.
 *  - conditional requests (CI_HTTP_CACHE): a 200 with an ETag is kept in an
 *    in-memory cache (bounded by cfg.cache_max_bytes); the next request for
 *    the same URL sends If-None-Match and a 304 is answered from the cache
 *    (GitHub does not charge a 304 against the rate limit).
 *  - redirects (CI_HTTP_FOLLOW) are followed by the client itself so that the
 *    302 of a log download is charged to the token that made it and the
 *    credentials are never sent to the redirect's host (log storage refuses
 *    them) unless a pool is registered for that host too.
 *  - bodies kept in memory are capped (cfg.max_body); bodies streamed to a
 *    sink are capped per request (req.max_bytes) and the truncation recorded.
 *
 * Threading: a client is used by one thread at a time (one per worker). Time
 * spent waiting is real sleeping inside ci_http_run(); tests shrink it with
 * cfg.backoff_base_ms / CIMINER_HTTP_BACKOFF_MS and short resets.
 */
#ifndef CI_HTTP_H
#define CI_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"

struct ci_http_config {
	int max_in_flight;         /* concurrent transfers in a batch; default 8 (CIMINER_HTTP_CONCURRENCY) */
	int max_attempts;          /* attempts for 5xx/network/secondary-limit failures; default 5 */
	int backoff_base_ms;       /* first backoff; default 500 (CIMINER_HTTP_BACKOFF_MS) */
	int backoff_max_ms;        /* backoff cap; default 60000 */
	int secondary_wait_ms;     /* wait after a secondary limit without Retry-After; default 60000 */
	int reset_margin_ms;       /* added to a rate-limit reset to absorb clock skew; default 1000 */
	int64_t max_rate_wait_ms;  /* longest single rate-limit wait before failing; default 3600000 */
	long connect_timeout_ms;   /* default 10000 */
	long timeout_ms;           /* whole-transfer timeout per attempt; default 300000 (CIMINER_HTTP_TIMEOUT_MS) */
	size_t max_body;           /* cap of a body kept in memory; default 32 MiB */
	size_t cache_max_bytes;    /* cap of the ETag cache; default 64 MiB */
	int token_reserve;         /* switch tokens when remaining - in flight <= this; default 10 */
	const char *user_agent;    /* default "ciminer/<version>" */
	/* Called (may be NULL) each time the client decides to sleep for a rate
	 * limit: why is a one-line reason, until_usec the UTC time it resumes. */
	void (*on_wait)(void *ctx, const char *why, int64_t until_usec);
	void *on_wait_ctx;
};

/* Fills cfg with the defaults above, then applies the environment overrides
 * CIMINER_HTTP_BACKOFF_MS, CIMINER_HTTP_CONCURRENCY, CIMINER_HTTP_TIMEOUT_MS. */
void ci_http_config_init(struct ci_http_config *cfg);

/*
 * Where a streamed body goes (a log download). write() returns 0, or a
 * negative value to abort the transfer (the request then fails with ERR_IO).
 * reset() discards what was written so far; the client calls it before
 * retrying a transfer that already wrote bytes. A sink without reset() is
 * not retried once bytes were written.
 */
struct ci_sink {
	int (*write)(void *ctx, const void *data, size_t n);
	void (*reset)(void *ctx);
	void *ctx;
};
/* A sink appending to a struct buf (ctx is the struct buf *). */
struct ci_sink ci_sink_buf(struct buf *b);

enum ci_http_flags {
	CI_HTTP_FOLLOW = 1 << 0, /* follow 301/302/303/307/308 (at most 5) */
	CI_HTTP_CACHE = 1 << 1,  /* conditional request through the ETag cache */
};

/*
 * One request. The caller fills the "in" part (zero the rest, e.g. with
 * CI_HTTP_REQ_INIT) and releases it with ci_http_req_release().
 *
 * Outcome: rc == 0 means a final HTTP answer was obtained and is in status
 * (any status the policy does not retry: 2xx, 3xx without FOLLOW, 4xx).
 * Otherwise rc is ERR_NETWORK (transport failure or 5xx after the last
 * attempt; status holds the last status or 0), ERR_TIMEOUT, ERR_RATE_LIMITED
 * (a rate-limit wait would exceed max_rate_wait_ms, or secondary limits
 * persisted), ERR_TOOBIG (an in-memory body over cfg.max_body) or ERR_IO (the
 * sink refused data), with a message in err.
 */
struct ci_http_req {
	/* in */
	const char *url;
	const char *const *headers; /* NULL-terminated "Name: value" list, or NULL */
	unsigned flags;             /* enum ci_http_flags */
	struct ci_sink *sink;       /* NULL: a 2xx body is kept in body */
	size_t max_bytes;           /* sink only: bytes beyond are dropped, truncated = 1; 0 = no cap */
	const char *post;           /* non-NULL: POST this body (borrowed; never cached, never redirected) */
	void *user;                 /* for the caller */
	/* Called (may be NULL) once, as soon as this request has its final outcome
	 * and before ci_http_run() returns, so the caller can hand the result on
	 * while other transfers run. It must not use the client. */
	void (*done)(struct ci_http_req *r);
	/* out */
	int rc;
	struct err err;
	long status;
	struct buf body;            /* 2xx body without sink; error bodies (first 64 KiB) always */
	char *etag;                 /* owned; NULL when absent */
	char *link_next;            /* owned; the Link header's rel="next" URL */
	char *final_url;            /* owned; URL of the final answer (after redirects) */
	int from_cache;             /* answered from the ETag cache after a 304 */
	int truncated;              /* the sink cap was reached */
	size_t bytes;               /* body bytes delivered (to sink or body) */
	int attempts;               /* wire requests made for this request, redirects included */
};
#define CI_HTTP_REQ_INIT { 0 }
void ci_http_req_release(struct ci_http_req *r);

struct ci_http_stats {
	uint64_t requests;       /* requests sent over the wire (retries and redirects included) */
	uint64_t not_modified;   /* 304 answers served from the cache */
	uint64_t retries;        /* requests sent again after a failure or limit */
	uint64_t rate_waits;     /* times the client slept for a rate limit */
	int64_t waited_usec;     /* total time slept for limits and backoff */
	uint64_t token_switches; /* times the pool moved to another token */
	uint64_t bytes;          /* body bytes received */
	int max_in_flight_seen;  /* highest number of concurrent transfers */
};

struct ci_http_client;

/* Creates a client (cfg NULL: defaults). The caller frees it with ci_http_client_free(). */
struct ci_http_client *ci_http_client_new(const struct ci_http_config *cfg);
void ci_http_client_free(struct ci_http_client *c);

/*
 * Registers credentials for requests whose URL host (with port, e.g.
 * "api.github.com" or "127.0.0.1:8080") is host. header_fmt is a header
 * with one %s for the token ("Authorization: Bearer %s"); tokens is a
 * comma-separated list (spaces trimmed, empty pieces skipped). Calling it
 * again for the same host adds to its pool.
 */
void ci_http_add_tokens(struct ci_http_client *c, const char *host, const char *header_fmt, const char *tokens);

/*
 * Runs n requests concurrently (at most cfg.max_in_flight at a time), each
 * under the policy above. Returns 0 when every request has its outcome in its
 * own rc (check each); a negative code only when the batch itself could not
 * run (curl failed to initialise).
 */
int ci_http_run(struct ci_http_client *c, struct ci_http_req *reqs, size_t n, struct err *e);
/* One request; returns req->rc (with req->err copied into e). */
int ci_http_get(struct ci_http_client *c, struct ci_http_req *req, struct err *e);

void ci_http_stats_get(const struct ci_http_client *c, struct ci_http_stats *out);
const struct ci_http_config *ci_http_client_config(const struct ci_http_client *c);

/* "host[:port]" of url into out (size n); returns 0, or -1 when url has no host. */
int ci_http_url_host(const char *url, char *out, size_t n);

#endif

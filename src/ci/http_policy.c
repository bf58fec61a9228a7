/*
 * The policy of http.h applied to one finished attempt: follow a redirect,
 * answer a 304 from the cache, switch tokens or wait on rate limits, back off
 * on 5xx and transport errors, or settle the request.
 */
#include "ci/http_internal.h"
#include "core/log.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int64_t backoff_usec(struct ci_http_client *c, int tries)
{
	int64_t d = (int64_t)c->cfg.backoff_base_ms * 1000;
	for (int i = 1; i < tries && d < (int64_t)c->cfg.backoff_max_ms * 1000; i++)
		d *= 2;
	if (d > (int64_t)c->cfg.backoff_max_ms * 1000)
		d = (int64_t)c->cfg.backoff_max_ms * 1000;
	/* "Equal jitter": half fixed, half random, so retries of a burst spread out. */
	return d / 2 + (d > 1 ? (int64_t)(rand_r(&c->rng) % (unsigned)(d / 2 + 1)) : 0);
}

static void settle(struct ci_http_xfer *x, int rc)
{
	struct ci_http_req *r = x->req;
	r->rc = rc;
	r->status = x->status;
	if (!rc) {
		r->err.code = 0;
		r->err.msg[0] = '\0';
	}
	r->bytes = r->sink ? x->sink_bytes : r->body.len;
	r->etag = x->etag;
	r->link_next = x->link_next;
	x->etag = x->link_next = NULL;
	r->final_url = x->url;
	x->url = NULL;
	x->state = X_DONE;
	if (r->done)
		r->done(r);
}

void ci_http_fail(struct ci_http_xfer *x, int code, const char *fmt, const char *detail)
{
	char *what = xasprintf("%s %s", x->req->post ? "POST" : "GET", x->url);
	err_set(&x->req->err, code, fmt, what, detail);
	free(what);
	settle(x, code);
}

/* Schedules another attempt in delay usec; returns 0, or fails the request
 * when the sink cannot be rewound. */
static void again(struct ci_http_xfer *x, int64_t delay)
{
	struct ci_http_req *r = x->req;
	if (x->sink_bytes) {
		if (!r->sink->reset) {
			ci_http_fail(x, ERR_NETWORK, "%s: %s", "the transfer broke after data was written and the sink cannot be rewound");
			return;
		}
		r->sink->reset(r->sink->ctx);
		x->sink_bytes = 0;
	}
	buf_reset(&r->body);
	x->c->stats.retries++;
	x->not_before = mono_now() + delay;
	x->state = X_WAIT;
}

void ci_http_announce_wait(struct ci_http_client *c, const char *why, int64_t until_utc)
{
	char when[UTC_FMT_MAX];
	log_warn("http: %s; waiting until %s", why, utc_format(until_utc, when));
	c->stats.rate_waits++;
	if (c->cfg.on_wait)
		c->cfg.on_wait(c->cfg.on_wait_ctx, why, until_utc);
}

static int is_redirect(long st)
{
	return st == 301 || st == 302 || st == 303 || st == 307 || st == 308;
}

/*
 * Hands the finished attempt's handle back to the client and tells the token
 * pool what the answer said of its budget. Returns the Location of a 3xx
 * answer (the caller frees it), or NULL.
 */
static char *release_attempt(struct ci_http_xfer *x)
{
	struct ci_http_client *c = x->c;
	char *redirect = NULL;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->status);
	if (is_redirect(x->status)) {
		char *loc = NULL;
		curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc);
		if (loc)
			redirect = xstrdup(loc);
	}
	curl_multi_remove_handle(c->multi, x->easy);
	ci_http_easy_put(c, x->easy);
	x->easy = NULL;
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	x->pool->tok[x->tok].in_flight--;
	/* Only the REST ("core") budget steers the token pool: GraphQL and search
	 * have budgets of their own, and mixing them would misjudge a token. */
	if (x->have_remaining && !x->other_resource)
		ci_http_pool_update(x->pool, x->tok, x->rl_remaining,
				    x->have_reset ? x->rl_reset : utc_now() + 60 * USEC_PER_SEC);
	return redirect;
}

/* The transfer itself failed (no complete answer): fail with the cause, or retry with backoff. */
static void on_transport_error(struct ci_http_xfer *x, CURLcode code)
{
	const struct ci_http_config *cfg = &x->c->cfg;
	char detail[CURL_ERROR_SIZE + 64];
	if (x->sink_failed)
		ci_http_fail(x, ERR_IO, "%s: %s", "the destination refused the data");
	else if (x->body_toobig) {
		snprintf(detail, sizeof(detail), "the answer is larger than the %zu-byte cap", cfg->max_body);
		ci_http_fail(x, ERR_TOOBIG, "%s: %s", detail);
	} else if (++x->tries < cfg->max_attempts) {
		log_debug("http: %s %s: %s; retrying (attempt %d)", x->req->post ? "POST" : "GET", x->url, x->curl_err,
			  x->tries + 1);
		again(x, backoff_usec(x->c, x->tries));
	} else {
		snprintf(detail, sizeof(detail), "%s (after %d attempts); check the network and retry",
			 x->curl_err[0] ? x->curl_err : curl_easy_strerror(code), x->tries);
		ci_http_fail(x, code == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT : ERR_NETWORK, "%s: %s", detail);
	}
}

/* A 304 to a conditional request: the cached answer is the answer. */
static void answer_from_cache(struct ci_http_xfer *x)
{
	struct ci_http_req *r = x->req;
	buf_reset(&r->body);
	buf_add(&r->body, x->cached->body, x->cached->len);
	free(x->link_next);
	x->link_next = x->cached->link_next ? xstrdup(x->cached->link_next) : NULL;
	r->from_cache = 1;
	x->c->stats.not_modified++;
	x->status = 200; /* answered from the cache: what done() and the caller see */
	settle(x, 0);
}

/* Another attempt at redirect (taken over), unless there were too many. */
static void follow_redirect(struct ci_http_xfer *x, char *redirect)
{
	if (++x->redirects > MAX_REDIRECTS) {
		free(redirect);
		ci_http_fail(x, ERR_NETWORK, "%s: %s", "too many redirects");
		return;
	}
	free(x->url);
	x->url = redirect;
	buf_reset(&x->req->body);
	x->state = X_WAIT;
	x->not_before = 0;
}

/*
 * A 403 or 429: a spent budget the pool does not track fails at once; a
 * spent primary budget picks another token; a secondary limit waits
 * (Retry-After, or a doubling wait) up to the configured bounds. Returns 1
 * when the request was settled or rescheduled, 0 for a plain 403.
 */
static int on_rate_limit(struct ci_http_xfer *x)
{
	struct ci_http_client *c = x->c;
	const struct ci_http_config *cfg = &c->cfg;
	const char *body = buf_cstr(&x->req->body);
	int secondary = x->retry_after >= 0 || x->status == 429 || strcasestr(body, "secondary rate limit");
	char detail[CURL_ERROR_SIZE + 64], why[512];
	int64_t wait;
	if (x->have_remaining && x->rl_remaining == 0 && x->retry_after < 0 && x->other_resource) {
		/* A budget the pool does not track (GraphQL): the caller has another way. */
		ci_http_fail(x, ERR_RATE_LIMITED, "%s: %s", "the GraphQL/search rate limit is exhausted");
		return 1;
	}
	if (x->have_remaining && x->rl_remaining == 0 && x->retry_after < 0) {
		/* Primary limit: the pool now knows this token is dry; pick again. */
		if (++x->primary_hits > MAX_PRIMARY_HITS) {
			ci_http_fail(x, ERR_RATE_LIMITED, "%s: %s", "the rate limit is still exhausted after its reset");
			return 1;
		}
		buf_reset(&x->req->body);
		x->state = X_WAIT;
		x->not_before = 0;
		c->stats.retries++;
		return 1;
	}
	if (!secondary)
		return 0;
	wait = x->retry_after >= 0 ? x->retry_after
		: (int64_t)cfg->secondary_wait_ms * 1000 * (1LL << (x->secondary < 6 ? x->secondary : 6));
	x->secondary++;
	if (++x->tries >= cfg->max_attempts || wait > cfg->max_rate_wait_ms * 1000) {
		snprintf(detail, sizeof(detail), "secondary rate limit (HTTP %ld) persisted after %d attempts; retry later",
			 x->status, x->tries);
		ci_http_fail(x, ERR_RATE_LIMITED, "%s: %s", detail);
		return 1;
	}
	snprintf(why, sizeof(why), "secondary rate limit (HTTP %ld%s) on %s", x->status,
		 x->retry_after >= 0 ? " with Retry-After" : "", x->pool->host);
	ci_http_announce_wait(c, why, utc_now() + wait);
	again(x, wait);
	return 1;
}

/* A 5xx: retry with backoff, or fail after the last attempt. */
static void on_server_error(struct ci_http_xfer *x)
{
	const struct ci_http_config *cfg = &x->c->cfg;
	char detail[CURL_ERROR_SIZE + 64];
	if (++x->tries < cfg->max_attempts) {
		log_debug("http: %s %s: HTTP %ld; retrying (attempt %d)", x->req->post ? "POST" : "GET", x->url, x->status,
			  x->tries + 1);
		again(x, backoff_usec(x->c, x->tries));
		return;
	}
	snprintf(detail, sizeof(detail), "HTTP %ld after %d attempts; the server is failing, retry later", x->status,
		 x->tries);
	ci_http_fail(x, ERR_NETWORK, "%s: %s", detail);
}

/* Judges a finished attempt: settles the request or schedules another. */
void ci_http_finish_attempt(struct ci_http_xfer *x, CURLcode code)
{
	struct ci_http_req *r = x->req;
	char *redirect = release_attempt(x);

	if (code != CURLE_OK && !(x->cap_hit && code == CURLE_WRITE_ERROR)) {
		free(redirect);
		on_transport_error(x, code);
		return;
	}
	if (x->status == 304 && x->cached) {
		free(redirect);
		answer_from_cache(x);
		return;
	}
	if (redirect && (r->flags & CI_HTTP_FOLLOW) && !r->post) {
		follow_redirect(x, redirect);
		return;
	}
	free(redirect);
	if ((x->status == 403 || x->status == 429) && on_rate_limit(x))
		return;
	if (x->status >= 500) {
		on_server_error(x);
		return;
	}
	r->truncated = x->cap_hit;
	if (x->status == 200 && (r->flags & CI_HTTP_CACHE) && !r->sink && !r->post && x->etag)
		ci_http_cache_put(x->c, x->url, x->etag, r->body.data ? r->body.data : "", r->body.len, x->link_next);
	settle(x, 0);
}

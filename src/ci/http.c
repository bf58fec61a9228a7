/*
 * The HTTP client's transfer loop: a batch of requests over one curl multi
 * handle, each attempt judged by one policy routine (finish_attempt) that
 * either settles the request or schedules it again (another token, a
 * redirect, a backoff). See http.h for the policy itself.
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

#define ERRBODY_MAX (64 * 1024)
#define MAX_REDIRECTS 5
#define MAX_PRIMARY_HITS 8

enum xstate { X_WAIT, X_RUN, X_DONE };

struct xfer {
	struct ci_http_client *c;
	struct ci_http_req *req;
	CURL *easy;
	struct curl_slist *hdrs;
	char *url;
	struct ci_http_pool *pool;
	int tok;
	enum xstate state;
	int64_t not_before; /* mono usec */
	int tries, secondary, redirects, primary_hits;
	/* per attempt */
	long status;
	int have_remaining, have_reset;
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

static char *env_or(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? (char *)v : NULL;
}

void ci_http_config_init(struct ci_http_config *cfg)
{
	const char *v;
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_in_flight = 8;
	cfg->max_attempts = 5;
	cfg->backoff_base_ms = 500;
	cfg->backoff_max_ms = 60000;
	cfg->secondary_wait_ms = 60000;
	cfg->reset_margin_ms = 1000;
	cfg->max_rate_wait_ms = 3600000;
	cfg->connect_timeout_ms = 10000;
	cfg->timeout_ms = 300000;
	cfg->max_body = 32u << 20;
	cfg->cache_max_bytes = 64u << 20;
	cfg->token_reserve = 10;
	if ((v = env_or("CIMINER_HTTP_BACKOFF_MS"))) {
		/* Tests shrink every wait of the policy together. */
		cfg->backoff_base_ms = atoi(v);
		cfg->secondary_wait_ms = cfg->backoff_base_ms * 4;
		cfg->reset_margin_ms = cfg->backoff_base_ms < 1000 ? cfg->backoff_base_ms : 1000;
	}
	if ((v = env_or("CIMINER_HTTP_CONCURRENCY")) && atoi(v) > 0)
		cfg->max_in_flight = atoi(v);
	if ((v = env_or("CIMINER_HTTP_TIMEOUT_MS")) && atol(v) > 0)
		cfg->timeout_ms = atol(v);
}

struct ci_http_client *ci_http_client_new(const struct ci_http_config *cfg)
{
	struct ci_http_client *c = xcalloc(1, sizeof(*c));
	if (cfg)
		c->cfg = *cfg;
	else
		ci_http_config_init(&c->cfg);
	if (c->cfg.max_in_flight < 1)
		c->cfg.max_in_flight = 1;
	if (c->cfg.max_attempts < 1)
		c->cfg.max_attempts = 1;
	c->user_agent = xstrdup(c->cfg.user_agent ? c->cfg.user_agent : "ciminer/" CIMINER_VERSION);
	c->cfg.user_agent = c->user_agent;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	c->multi = curl_multi_init();
	if (!c->multi)
		abort(); /* only on out-of-memory, the xmalloc policy */
	curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->cfg.max_in_flight);
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->cfg.max_in_flight * 2);
	c->rng = (unsigned)(mono_now() ^ getpid());
	return c;
}

void ci_http_client_free(struct ci_http_client *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nidle; i++)
		curl_easy_cleanup(c->idle[i]);
	free(c->idle);
	curl_multi_cleanup(c->multi);
	ci_http_pools_free(c);
	ci_http_cache_free(c);
	free(c->user_agent);
	free(c);
}

const struct ci_http_config *ci_http_client_config(const struct ci_http_client *c)
{
	return &c->cfg;
}

void ci_http_stats_get(const struct ci_http_client *c, struct ci_http_stats *out)
{
	*out = c->stats;
}

void ci_http_req_release(struct ci_http_req *r)
{
	buf_release(&r->body);
	free(r->etag);
	free(r->link_next);
	free(r->final_url);
	r->etag = r->link_next = r->final_url = NULL;
}

static int sink_buf_write(void *ctx, const void *data, size_t n)
{
	return buf_add(ctx, data, n) ? -1 : 0;
}

static void sink_buf_reset(void *ctx)
{
	buf_reset(ctx);
}

struct ci_sink ci_sink_buf(struct buf *b)
{
	struct ci_sink s = { sink_buf_write, sink_buf_reset, b };
	return s;
}

int ci_http_url_host(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://");
	size_t len;
	if (!p)
		return -1;
	p += 3;
	len = strcspn(p, "/?#");
	if (!len || len >= n)
		return -1;
	/* Drop user info. */
	for (size_t i = 0; i < len; i++)
		if (p[i] == '@') {
			p += i + 1;
			len -= i + 1;
			i = 0;
		}
	memcpy(out, p, len);
	out[len] = '\0';
	for (char *q = out; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return 0;
}

/* ---- callbacks ---- */

static int header_is(const char *line, size_t n, const char *name, const char **val)
{
	size_t k = strlen(name);
	if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
		return 0;
	*val = line + k + 1;
	while (**val == ' ' || **val == '\t')
		(*val)++;
	return 1;
}

static char *header_value(const char *v, const char *end)
{
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	return xstrndup(v, (size_t)(end - v));
}

/* The URL of the rel="next" part of a Link header, or NULL. */
static char *link_next_of(const char *v)
{
	const char *p = v;
	while ((p = strchr(p, '<'))) {
		const char *close = strchr(p, '>');
		const char *next_part;
		if (!close)
			return NULL;
		next_part = strchr(close, ',');
		const char *rel = strstr(close, "rel=\"next\"");
		if (rel && (!next_part || rel < next_part))
			return xstrndup(p + 1, (size_t)(close - p - 1));
		p = close;
	}
	return NULL;
}

static void attempt_reset(struct xfer *x)
{
	x->status = 0;
	x->have_remaining = x->have_reset = 0;
	x->retry_after = -1;
	free(x->etag);
	free(x->link_next);
	x->etag = x->link_next = NULL;
	x->mode = 0;
	x->cap_hit = x->sink_failed = x->body_toobig = 0;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nitems;
	const char *v, *end = line + n;
	if (n > 5 && !strncmp(line, "HTTP/", 5)) {
		attempt_reset(x);
		return n;
	}
	if (header_is(line, n, "x-ratelimit-remaining", &v)) {
		x->rl_remaining = strtol(v, NULL, 10);
		x->have_remaining = 1;
	} else if (header_is(line, n, "x-ratelimit-reset", &v)) {
		x->rl_reset = strtoll(v, NULL, 10) * USEC_PER_SEC;
		x->have_reset = 1;
	} else if (header_is(line, n, "retry-after", &v)) {
		char *s = header_value(v, end);
		if (isdigit((unsigned char)s[0]))
			x->retry_after = strtoll(s, NULL, 10) * USEC_PER_SEC;
		else if (curl_getdate(s, NULL) > 0)
			x->retry_after = ((int64_t)curl_getdate(s, NULL)) * USEC_PER_SEC - utc_now();
		if (x->retry_after < 0 && s[0])
			x->retry_after = 0;
		free(s);
	} else if (header_is(line, n, "etag", &v)) {
		free(x->etag);
		x->etag = header_value(v, end);
	} else if (header_is(line, n, "link", &v)) {
		char *s = header_value(v, end);
		free(x->link_next);
		x->link_next = link_next_of(s);
		free(s);
	}
	return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	struct ci_http_req *r = x->req;
	size_t n = size * nmemb;
	if (!x->mode) {
		long st = 0;
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &st);
		x->mode = st >= 200 && st < 300 ? (r->sink ? 1 : 2) : 3;
		if (x->mode == 3)
			buf_reset(&r->body);
	}
	x->c->stats.bytes += n;
	if (x->mode == 1) {
		size_t take = n;
		if (r->max_bytes && x->sink_bytes + n > r->max_bytes) {
			take = r->max_bytes - x->sink_bytes;
			x->cap_hit = 1;
		}
		if (take && r->sink->write(r->sink->ctx, data, take) < 0) {
			x->sink_failed = 1;
			return 0;
		}
		x->sink_bytes += take;
		return x->cap_hit ? 0 : n; /* 0 stops the transfer at the cap */
	}
	if (x->mode == 2) {
		if (buf_add(&r->body, data, n)) {
			x->body_toobig = 1;
			return 0;
		}
		return n;
	}
	if (r->body.len < ERRBODY_MAX)
		buf_add(&r->body, data, n < ERRBODY_MAX - r->body.len ? n : ERRBODY_MAX - r->body.len);
	return n;
}

/* ---- scheduling ---- */

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

static void settle(struct xfer *x, int rc)
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
}

static void fail(struct xfer *x, int code, const char *fmt, const char *detail)
{
	err_set(&x->req->err, code, fmt, x->url, detail);
	settle(x, code);
}

/* Schedules another attempt in delay usec; returns 0, or fails the request
 * when the sink cannot be rewound. */
static void again(struct xfer *x, int64_t delay)
{
	struct ci_http_req *r = x->req;
	if (x->sink_bytes) {
		if (!r->sink->reset) {
			fail(x, ERR_NETWORK, "GET %s: %s", "the transfer broke after data was written and the sink cannot be rewound");
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

static void announce_wait(struct ci_http_client *c, const char *why, int64_t until_utc)
{
	char when[UTC_FMT_MAX];
	log_warn("http: %s; waiting until %s", why, utc_format(until_utc, when));
	c->stats.rate_waits++;
	if (c->cfg.on_wait)
		c->cfg.on_wait(c->cfg.on_wait_ctx, why, until_utc);
}

static CURL *easy_get(struct ci_http_client *c)
{
	CURL *h;
	if (c->nidle) {
		h = c->idle[--c->nidle];
		curl_easy_reset(h);
		return h;
	}
	h = curl_easy_init();
	if (!h)
		abort();
	return h;
}

static void easy_put(struct ci_http_client *c, CURL *h)
{
	xgrow((void **)&c->idle, &c->idle_cap, c->nidle + 1, sizeof(*c->idle));
	c->idle[c->nidle++] = h;
}

/* Starts the next attempt of x; returns 1 when it is now running. */
static int start(struct xfer *x)
{
	struct ci_http_client *c = x->c;
	struct ci_http_req *r = x->req;
	char host[256];
	int64_t until = 0, now = utc_now();

	if (ci_http_url_host(x->url, host, sizeof(host))) {
		fail(x, ERR_INPUT, "GET %s: %s", "not an http(s) URL");
		return 0;
	}
	x->pool = ci_http_pool_for(c, host);
	x->tok = ci_http_pool_pick(c, x->pool, now, &until);
	if (x->tok < 0) {
		int64_t wait = until - now + (int64_t)c->cfg.reset_margin_ms * 1000;
		if (wait < 20000)
			wait = 20000; /* only requests in flight hold the tokens: look again soon */
		if (wait > c->cfg.max_rate_wait_ms * 1000) {
			char why[512];
			snprintf(why, sizeof(why), "every token for %s is exhausted until a reset %lld s away",
				 host, (long long)(wait / USEC_PER_SEC));
			fail(x, ERR_RATE_LIMITED, "GET %s: %s; add tokens (CIMINER_GITHUB_TOKENS) or retry later", why);
			return 0;
		}
		if (until > now && x->pool->announced_until != until) {
			char why[512];
			x->pool->announced_until = until;
			snprintf(why, sizeof(why), "rate limit: all %zu token(s) for %s are exhausted", x->pool->n, host);
			announce_wait(c, why, now + wait);
		}
		x->not_before = mono_now() + wait;
		return 0;
	}
	x->pool->tok[x->tok].in_flight++;

	x->hdrs = NULL;
	for (const char *const *h = r->headers; h && *h; h++)
		x->hdrs = curl_slist_append(x->hdrs, *h);
	if (x->pool->tok[x->tok].header)
		x->hdrs = curl_slist_append(x->hdrs, x->pool->tok[x->tok].header);
	x->cached = NULL;
	if ((r->flags & CI_HTTP_CACHE) && !r->sink && (x->cached = ci_http_cache_get(c, x->url))) {
		char *inm = xasprintf("If-None-Match: %s", x->cached->etag);
		x->hdrs = curl_slist_append(x->hdrs, inm);
		free(inm);
	}
	attempt_reset(x);
	x->curl_err[0] = '\0';
	x->easy = easy_get(c);
	curl_easy_setopt(x->easy, CURLOPT_URL, x->url);
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->curl_err);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(x->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(x->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(x->easy, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(x->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, c->cfg.connect_timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, c->cfg.timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_multi_add_handle(c->multi, x->easy);
	x->state = X_RUN;
	r->attempts++;
	c->stats.requests++;
	return 1;
}

static int is_redirect(long st)
{
	return st == 301 || st == 302 || st == 303 || st == 307 || st == 308;
}

/* Judges a finished attempt: settles the request or schedules another. */
static void finish_attempt(struct xfer *x, CURLcode code)
{
	struct ci_http_client *c = x->c;
	struct ci_http_req *r = x->req;
	const struct ci_http_config *cfg = &c->cfg;
	char *redirect = NULL;
	char detail[CURL_ERROR_SIZE + 64];

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->status);
	if (is_redirect(x->status)) {
		char *loc = NULL;
		curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc);
		if (loc)
			redirect = xstrdup(loc);
	}
	curl_multi_remove_handle(c->multi, x->easy);
	easy_put(c, x->easy);
	x->easy = NULL;
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	x->pool->tok[x->tok].in_flight--;
	if (x->have_remaining)
		ci_http_pool_update(x->pool, x->tok, x->rl_remaining,
				    x->have_reset ? x->rl_reset : utc_now() + 60 * USEC_PER_SEC);

	if (code != CURLE_OK && !(x->cap_hit && code == CURLE_WRITE_ERROR)) {
		if (x->sink_failed)
			fail(x, ERR_IO, "GET %s: %s", "the destination refused the data");
		else if (x->body_toobig) {
			snprintf(detail, sizeof(detail), "the answer is larger than the %zu-byte cap", cfg->max_body);
			fail(x, ERR_TOOBIG, "GET %s: %s", detail);
		} else if (++x->tries < cfg->max_attempts) {
			log_debug("http: GET %s: %s; retrying (attempt %d)", x->url, x->curl_err, x->tries + 1);
			again(x, backoff_usec(c, x->tries));
		} else {
			snprintf(detail, sizeof(detail), "%s (after %d attempts); check the network and retry",
				 x->curl_err[0] ? x->curl_err : curl_easy_strerror(code), x->tries);
			fail(x, code == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT : ERR_NETWORK, "GET %s: %s", detail);
		}
		free(redirect);
		return;
	}
	if (x->status == 304 && x->cached) {
		buf_reset(&r->body);
		buf_add(&r->body, x->cached->body, x->cached->len);
		free(x->link_next);
		x->link_next = x->cached->link_next ? xstrdup(x->cached->link_next) : NULL;
		r->from_cache = 1;
		c->stats.not_modified++;
		settle(x, 0);
		r->status = 200;
		return;
	}
	if (redirect && (r->flags & CI_HTTP_FOLLOW)) {
		if (++x->redirects > MAX_REDIRECTS) {
			free(redirect);
			fail(x, ERR_NETWORK, "GET %s: %s", "too many redirects");
			return;
		}
		free(x->url);
		x->url = redirect;
		buf_reset(&r->body);
		x->state = X_WAIT;
		x->not_before = 0;
		return;
	}
	free(redirect);
	if (x->status == 403 || x->status == 429) {
		const char *body = buf_cstr(&r->body);
		int secondary = x->retry_after >= 0 || x->status == 429 || strcasestr(body, "secondary rate limit");
		if (x->have_remaining && x->rl_remaining == 0 && x->retry_after < 0) {
			/* Primary limit: the pool now knows this token is dry; pick again. */
			if (++x->primary_hits > MAX_PRIMARY_HITS) {
				fail(x, ERR_RATE_LIMITED, "GET %s: %s", "the rate limit is still exhausted after its reset");
				return;
			}
			buf_reset(&r->body);
			x->state = X_WAIT;
			x->not_before = 0;
			c->stats.retries++;
			return;
		}
		if (secondary) {
			int64_t wait = x->retry_after >= 0 ? x->retry_after
				: (int64_t)cfg->secondary_wait_ms * 1000 * (1LL << (x->secondary < 6 ? x->secondary : 6));
			char why[512];
			x->secondary++;
			if (++x->tries >= cfg->max_attempts || wait > cfg->max_rate_wait_ms * 1000) {
				snprintf(detail, sizeof(detail), "secondary rate limit (HTTP %ld) persisted after %d attempts; retry later",
					 x->status, x->tries);
				fail(x, ERR_RATE_LIMITED, "GET %s: %s", detail);
				return;
			}
			snprintf(why, sizeof(why), "secondary rate limit (HTTP %ld%s) on %s", x->status,
				 x->retry_after >= 0 ? " with Retry-After" : "", x->pool->host);
			announce_wait(c, why, utc_now() + wait);
			again(x, wait);
			return;
		}
	}
	if (x->status >= 500) {
		if (++x->tries < cfg->max_attempts) {
			log_debug("http: GET %s: HTTP %ld; retrying (attempt %d)", x->url, x->status, x->tries + 1);
			again(x, backoff_usec(c, x->tries));
			return;
		}
		snprintf(detail, sizeof(detail), "HTTP %ld after %d attempts; the server is failing, retry later",
			 x->status, x->tries);
		fail(x, ERR_NETWORK, "GET %s: %s", detail);
		return;
	}
	r->truncated = x->cap_hit;
	if (x->status == 200 && (r->flags & CI_HTTP_CACHE) && !r->sink && x->etag)
		ci_http_cache_put(c, x->url, x->etag, r->body.data ? r->body.data : "", r->body.len, x->link_next);
	settle(x, 0);
}

static void drain(struct ci_http_client *c, int *running, size_t *left)
{
	CURLMsg *m;
	int q;
	while ((m = curl_multi_info_read(c->multi, &q))) {
		struct xfer *x = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		(*running)--;
		finish_attempt(x, m->data.result);
		if (x->state == X_DONE)
			(*left)--;
	}
}

int ci_http_run(struct ci_http_client *c, struct ci_http_req *reqs, size_t n, struct err *e)
{
	struct xfer *xs = xcalloc(n ? n : 1, sizeof(*xs));
	size_t left = n, first = 0;
	int running = 0;

	for (size_t i = 0; i < n; i++) {
		ci_http_req_release(&reqs[i]);
		buf_init(&reqs[i].body, reqs[i].sink ? ERRBODY_MAX : c->cfg.max_body);
		reqs[i].rc = 0;
		err_clear(&reqs[i].err);
		reqs[i].status = 0;
		reqs[i].from_cache = reqs[i].truncated = reqs[i].attempts = 0;
		reqs[i].bytes = 0;
		xs[i].c = c;
		xs[i].req = &reqs[i];
		xs[i].url = xstrdup(reqs[i].url);
		xs[i].retry_after = -1;
		xs[i].state = X_WAIT;
	}
	while (left > 0) {
		int64_t now = mono_now(), next = INT64_MAX;
		/* Start what may start, oldest first; settled requests at the front are skipped for good. */
		while (first < n && xs[first].state == X_DONE)
			first++;
		for (size_t i = first; i < n && running < c->cfg.max_in_flight; i++) {
			struct xfer *x = &xs[i];
			if (x->state != X_WAIT)
				continue;
			if (x->not_before <= now) {
				if (start(x))
					running++;
				else if (x->state == X_DONE)
					left--;
			}
			if (x->state == X_WAIT && x->not_before < next)
				next = x->not_before;
		}
		if (running > c->stats.max_in_flight_seen)
			c->stats.max_in_flight_seen = running;
		if (!left)
			break;
		if (running) {
			int still = 0, numfds = 0;
			size_t before = left;
			int run_before = running;
			curl_multi_perform(c->multi, &still);
			drain(c, &running, &left);
			if (running == run_before && left == before) {
				int64_t t = next == INT64_MAX ? 1000 : (next - mono_now()) / 1000;
				if (t > 1000)
					t = 1000;
				if (t < 0)
					t = 0;
				curl_multi_poll(c->multi, NULL, 0, (int)t, &numfds);
			}
		} else if (next != INT64_MAX) {
			int64_t wait = next - mono_now();
			if (wait > 0) {
				usleep((useconds_t)(wait > 1000000 ? 1000000 : wait));
				c->stats.waited_usec += wait > 1000000 ? 1000000 : wait;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(xs[i].url);
		free(xs[i].etag);
		free(xs[i].link_next);
	}
	free(xs);
	(void)e;
	return 0;
}

int ci_http_get(struct ci_http_client *c, struct ci_http_req *req, struct err *e)
{
	ci_http_run(c, req, 1, e);
	if (req->rc)
		err_copy(e, &req->err);
	return req->rc;
}

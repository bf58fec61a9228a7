/*
 * The HTTP client's transfer loop: a batch of requests over one curl multi
 * handle, at most cfg.max_in_flight at a time. start() picks a token and sets
 * up an attempt; each finished attempt goes to ci_http_finish_attempt()
 * (http_policy.c), which settles the request or schedules it again.
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

void ci_http_attempt_reset(struct ci_http_xfer *x)
{
	x->status = 0;
	x->have_remaining = x->have_reset = x->other_resource = 0;
	x->retry_after = -1;
	free(x->etag);
	free(x->link_next);
	x->etag = x->link_next = NULL;
	x->mode = 0;
	x->cap_hit = x->sink_failed = x->body_toobig = 0;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *ud)
{
	struct ci_http_xfer *x = ud;
	size_t n = size * nitems;
	const char *v, *end = line + n;
	if (n > 5 && !strncmp(line, "HTTP/", 5)) {
		ci_http_attempt_reset(x);
		return n;
	}
	if (header_is(line, n, "x-ratelimit-remaining", &v)) {
		x->rl_remaining = strtol(v, NULL, 10);
		x->have_remaining = 1;
	} else if (header_is(line, n, "x-ratelimit-resource", &v)) {
		char *s = header_value(v, end);
		x->other_resource = strcmp(s, "core") != 0;
		free(s);
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
	struct ci_http_xfer *x = ud;
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

void ci_http_easy_put(struct ci_http_client *c, CURL *h)
{
	xgrow((void **)&c->idle, &c->idle_cap, c->nidle + 1, sizeof(*c->idle));
	c->idle[c->nidle++] = h;
}

/* Starts the next attempt of x; returns 1 when it is now running. */
static int start(struct ci_http_xfer *x)
{
	struct ci_http_client *c = x->c;
	struct ci_http_req *r = x->req;
	char host[256];
	int64_t until = 0, now = utc_now();

	if (ci_http_url_host(x->url, host, sizeof(host))) {
		ci_http_fail(x, ERR_INPUT, "%s: %s", "not an http(s) URL");
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
			ci_http_fail(x, ERR_RATE_LIMITED, "%s: %s; add tokens (CIMINER_GITHUB_TOKENS) or retry later", why);
			return 0;
		}
		if (until > now && x->pool->announced_until != until) {
			char why[512];
			x->pool->announced_until = until;
			snprintf(why, sizeof(why), "rate limit: all %zu token(s) for %s are exhausted", x->pool->n, host);
			ci_http_announce_wait(c, why, now + wait);
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
	if ((r->flags & CI_HTTP_CACHE) && !r->sink && !r->post && (x->cached = ci_http_cache_get(c, x->url))) {
		char *inm = xasprintf("If-None-Match: %s", x->cached->etag);
		x->hdrs = curl_slist_append(x->hdrs, inm);
		free(inm);
	}
	ci_http_attempt_reset(x);
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
	if (r->post) {
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(r->post));
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, r->post);
	} else {
		curl_easy_setopt(x->easy, CURLOPT_HTTPGET, 1L); /* the pooled handle may have posted before */
	}
	curl_multi_add_handle(c->multi, x->easy);
	x->state = X_RUN;
	r->attempts++;
	c->stats.requests++;
	return 1;
}

static void drain(struct ci_http_client *c, int *running, size_t *left)
{
	CURLMsg *m;
	int q;
	while ((m = curl_multi_info_read(c->multi, &q))) {
		struct ci_http_xfer *x = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		(*running)--;
		ci_http_finish_attempt(x, m->data.result);
		if (x->state == X_DONE)
			(*left)--;
	}
}

int ci_http_run(struct ci_http_client *c, struct ci_http_req *reqs, size_t n, struct err *e)
{
	struct ci_http_xfer *xs = xcalloc(n ? n : 1, sizeof(*xs));
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
			struct ci_http_xfer *x = &xs[i];
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


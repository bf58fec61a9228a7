/*
 * The HTTP client's lifecycle: configuration and its environment overrides,
 * creating and freeing a client, statistics, request release, buffer sinks.
 * The transfer loop is in http_xfer.c, the judgement of each attempt (the
 * policy of http.h) in http_policy.c.
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

int ci_http_get(struct ci_http_client *c, struct ci_http_req *req, struct err *e)
{
	ci_http_run(c, req, 1, e);
	if (req->rc)
		err_copy(e, &req->err);
	return req->rc;
}


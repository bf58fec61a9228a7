/*
 * Token pools (per host) and the ETag cache of the HTTP client.
 *
 * A pool keeps each token's last seen X-RateLimit-Remaining/Reset and the
 * number of its requests still in flight, so that the next token is chosen
 * before the current one runs dry even while a batch keeps 8 requests going.
 */
#include "ci/http_internal.h"
#include "core/log.h"
#include "core/xalloc.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

static struct ci_http_pool *pool_new(const char *host)
{
	struct ci_http_pool *p = xcalloc(1, sizeof(*p));
	p->host = xstrdup(host);
	return p;
}

static void pool_push(struct ci_http_pool *p, char *header)
{
	xgrow((void **)&p->tok, &p->cap, p->n + 1, sizeof(*p->tok));
	memset(&p->tok[p->n], 0, sizeof(p->tok[p->n]));
	p->tok[p->n++].header = header;
}

void ci_http_add_tokens(struct ci_http_client *c, const char *host, const char *header_fmt, const char *tokens)
{
	struct ci_http_pool *p = strmap_get(&c->pools, host);
	struct strvec sv = STRVEC_INIT;
	if (!p) {
		p = pool_new(host);
		strmap_put(&c->pools, host, p);
	}
	/* An anonymous entry made before credentials arrived is replaced. */
	if (p->n == 1 && !p->tok[0].header)
		p->n = 0;
	strvec_split(&sv, tokens ? tokens : "", ',');
	for (size_t i = 0; i < sv.n; i++) {
		/* The format is the caller's constant with one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		pool_push(p, xasprintf(header_fmt, sv.v[i]));
#pragma GCC diagnostic pop
	}
	strvec_clear(&sv);
	if (!p->n)
		pool_push(p, NULL);
}

struct ci_http_pool *ci_http_pool_for(struct ci_http_client *c, const char *host)
{
	struct ci_http_pool *p = strmap_get(&c->pools, host);
	if (!p) {
		p = pool_new(host);
		pool_push(p, NULL);
		strmap_put(&c->pools, host, p);
	}
	return p;
}

static long headroom(const struct ci_http_token *t)
{
	return t->known ? t->remaining - t->in_flight : LONG_MAX;
}

int ci_http_pool_pick(struct ci_http_client *c, struct ci_http_pool *p, int64_t now_utc, int64_t *wait_until)
{
	long reserve = c->cfg.token_reserve;
	long best_room = LONG_MIN;
	int best = -1;
	int64_t earliest = INT64_MAX;

	for (size_t i = 0; i < p->n; i++) {
		struct ci_http_token *t = &p->tok[i];
		/* Past its reset a token is full again; the next answer tells by how much. */
		if (t->known && t->reset_usec <= now_utc)
			t->known = 0;
	}
	if (headroom(&p->tok[p->cur]) > reserve)
		return (int)p->cur;
	for (size_t i = 0; i < p->n; i++) {
		long room = headroom(&p->tok[i]);
		if (room > reserve && room > best_room) {
			best_room = room;
			best = (int)i;
		}
		if (p->tok[i].known && p->tok[i].reset_usec < earliest)
			earliest = p->tok[i].reset_usec;
	}
	if (best >= 0) {
		if ((size_t)best != p->cur) {
			c->stats.token_switches++;
			log_debug("http: %s: token %zu has %ld requests left, switching to token %d",
				  p->host, p->cur + 1, headroom(&p->tok[p->cur]), best + 1);
		}
		p->cur = (size_t)best;
		return best;
	}
	/* Every token is at its reserve only because of requests in flight:
	 * wait for those to answer rather than for a reset. */
	if (earliest == INT64_MAX)
		earliest = now_utc;
	*wait_until = earliest;
	return -1;
}

void ci_http_pool_update(struct ci_http_pool *p, int i, long remaining, int64_t reset_usec)
{
	struct ci_http_token *t = &p->tok[i];
	/* Answers arrive out of order in a batch: keep the lowest remaining seen
	 * for the current window, and take a new window's figure as is. */
	if (t->known && reset_usec == t->reset_usec && remaining > t->remaining)
		return;
	t->known = 1;
	t->remaining = remaining;
	t->reset_usec = reset_usec;
}

static void pool_free(void *v)
{
	struct ci_http_pool *p = v;
	for (size_t i = 0; i < p->n; i++)
		free(p->tok[i].header);
	free(p->tok);
	free(p->host);
	free(p);
}

void ci_http_pools_free(struct ci_http_client *c)
{
	strmap_clear(&c->pools, pool_free);
}

/* ---- ETag cache ---- */

static void entry_free(void *v)
{
	struct ci_http_cache_entry *ce = v;
	free(ce->etag);
	free(ce->body);
	free(ce->link_next);
	free(ce);
}

const struct ci_http_cache_entry *ci_http_cache_get(const struct ci_http_client *c, const char *url)
{
	return strmap_get(&c->cache, url);
}

void ci_http_cache_put(struct ci_http_client *c, const char *url, const char *etag,
		       const char *body, size_t len, const char *link_next)
{
	struct ci_http_cache_entry *ce, *old;
	if (len > c->cfg.cache_max_bytes / 4)
		return;
	/* The map has no removal; when full, start over. Repeat look-ups come in
	 * bursts (one repository at a time), so a fresh cache loses little. */
	if (c->cache_bytes + len > c->cfg.cache_max_bytes) {
		strmap_clear(&c->cache, entry_free);
		c->cache_bytes = 0;
	}
	ce = xcalloc(1, sizeof(*ce));
	ce->etag = xstrdup(etag);
	ce->body = xmalloc(len + 1);
	memcpy(ce->body, body, len);
	ce->body[len] = '\0';
	ce->len = len;
	ce->link_next = link_next ? xstrdup(link_next) : NULL;
	old = strmap_put(&c->cache, url, ce);
	if (old) {
		c->cache_bytes -= old->len;
		entry_free(old);
	}
	c->cache_bytes += len;
}

void ci_http_cache_free(struct ci_http_client *c)
{
	strmap_clear(&c->cache, entry_free);
	c->cache_bytes = 0;
}

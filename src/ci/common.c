/* Shared pieces of the provider implementations (see common.h). */
#include "ci/common.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <string.h>

int ci_common_status_err(struct err *e, const char *method, long status, const char *url, const char *body)
{
	char msg[200] = "";
	json_t *j = body && *body == '{' ? json_loads(body, 0, NULL) : NULL;
	if (j && core_json_str(j, "message", NULL))
		snprintf(msg, sizeof(msg), " (%s)", core_json_str(j, "message", ""));
	json_decref(j);
	switch (status) {
	case 404:
		return err_set(e, CI_ERR_NOT_FOUND, "%s %s: not found (HTTP 404)%s", method, url, msg);
	case 410:
		return err_set(e, CI_ERR_GONE, "%s %s: gone (HTTP 410, expired)%s", method, url, msg);
	case 401:
		return err_set(e, CI_ERR_PERMANENT, "%s %s: HTTP 401%s; check the token", method, url, msg);
	case 403:
		return err_set(e, CI_ERR_PERMANENT, "%s %s: forbidden (HTTP 403)%s; check the token's access", method, url,
			       msg);
	default:
		return err_set(e, status >= 500 ? CI_ERR_TRANSIENT : CI_ERR_PERMANENT, "%s %s: unexpected HTTP %ld%s",
			       method, url, status, msg);
	}
}

int ci_common_req_err(struct err *e, const struct ci_http_req *r)
{
	if (r->rc)
		return err_copy(e, &r->err);
	if (r->status >= 200 && r->status < 300)
		return 0;
	return ci_common_status_err(e, r->post ? "POST" : "GET", r->status, r->final_url ? r->final_url : r->url,
				    buf_cstr(&r->body));
}

int ci_common_get_json_many(struct ci_provider *p, struct ci_json_get *gets, size_t n, const char *const *headers,
			    unsigned flags, struct err *e)
{
	struct ci_http_req *rs = xcalloc(n ? n : 1, sizeof(*rs));
	int fatal = 0;
	for (size_t i = 0; i < n; i++) {
		rs[i].url = gets[i].url;
		rs[i].headers = headers;
		rs[i].flags = flags;
	}
	int rc_all = ci_http_run(p->http, rs, n, e);
	for (size_t i = 0; i < n; i++) {
		struct ci_json_get *g = &gets[i];
		g->json = NULL;
		g->next = NULL;
		err_clear(&g->err);
		g->rc = rc_all ? err_copy(&g->err, e) : ci_common_req_err(&g->err, &rs[i]);
		/* "<url>: invalid JSON at line L, column C: why"; retrying would get the same answer. */
		if (!g->rc && !(g->json = core_json_parse(rs[i].body.data ? rs[i].body.data : "", rs[i].body.len, g->url,
							   &g->err)))
			g->rc = g->err.code = CI_ERR_PERMANENT;
		if (!g->rc) {
			g->next = rs[i].link_next;
			rs[i].link_next = NULL;
		}
		if (g->rc == CI_ERR_RATE_LIMITED && !fatal)
			fatal = err_copy(e, &g->err);
		ci_http_req_release(&rs[i]);
	}
	free(rs);
	return fatal;
}

int ci_common_get_json(struct ci_provider *p, json_t **out, char **link_next, const char *url,
		       const char *const *headers, unsigned flags, struct err *e)
{
	struct ci_json_get g = { .url = url };
	ci_common_get_json_many(p, &g, 1, headers, flags, e);
	*out = g.json;
	if (link_next)
		*link_next = g.next;
	else
		free(g.next);
	if (g.rc)
		err_copy(e, &g.err);
	return g.rc;
}

char *ci_common_str(const json_t *obj, const char *path)
{
	json_t *v = core_json_path(obj, path);
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

int64_t ci_common_time(const json_t *obj, const char *path)
{
	json_t *v = core_json_path(obj, path);
	struct err e = ERR_INIT;
	int64_t t;
	if (!json_is_string(v) || utc_parse(&t, json_string_value(v), &e))
		return CI_TIME_UNKNOWN;
	return t;
}

char *ci_common_dump(const json_t *v)
{
	/* The provider's key order, not sorted: sorting every run of a page cost
	 * a fifth of a batch look-up's CPU, and the order received is stable. */
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	return s ? s : xstrdup("null");
}

char *ci_common_escape(const char *s)
{
	struct buf b = BUF_INIT;
	for (; *s; s++) {
		if (*s == '/')
			buf_addstr(&b, "%2F");
		else
			buf_addch(&b, *s);
	}
	return buf_detach(&b, NULL);
}

int64_t ci_common_duration(int64_t started, int64_t completed)
{
	if (started == CI_TIME_UNKNOWN || completed == CI_TIME_UNKNOWN || completed < started)
		return CI_TIME_UNKNOWN;
	return completed - started;
}

/* A log request's outcome into its ci_log_req, then its caller's done(). */
static void log_done(struct ci_http_req *r)
{
	struct ci_log_req *lr = r->user;
	if (lr->notified)
		return;
	err_clear(&lr->err);
	lr->rc = ci_common_req_err(&lr->err, r);
	lr->bytes = r->bytes;
	lr->truncated = r->truncated;
	ci_log_req_notify(lr);
}

int ci_common_logs_http(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
			char *(*url_of)(struct ci_provider *p, const char *repo, const char *job_id),
			const char *const *headers, struct err *e)
{
	struct ci_http_req *rs = xcalloc(n ? n : 1, sizeof(*rs));
	char **urls = xcalloc(n ? n : 1, sizeof(*urls));
	for (size_t i = 0; i < n; i++) {
		urls[i] = url_of(p, repo, reqs[i].job_id);
		rs[i].url = urls[i];
		rs[i].headers = headers;
		rs[i].flags = CI_HTTP_FOLLOW;
		rs[i].sink = &reqs[i].sink;
		rs[i].max_bytes = cap;
		rs[i].user = &reqs[i];
		rs[i].done = log_done;
	}
	ci_http_run(p->http, rs, n, e);
	for (size_t i = 0; i < n; i++) {
		log_done(&rs[i]); /* a no-op for those already done */
		ci_http_req_release(&rs[i]);
		free(urls[i]);
	}
	free(rs);
	free(urls);
	return 0;
}

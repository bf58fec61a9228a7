/*
 * The provider-neutral part of src/ci/: opening a provider by kind, the
 * dispatch through its vtable, the owned structs' release, and the checks the
 * importer runs without the network (id forms, repository names, bots).
 */
#include "ci/provider.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <jansson.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ci_err_is_transient(int code)
{
	return code == CI_ERR_TRANSIENT || code == ERR_TIMEOUT || code == CI_ERR_RATE_LIMITED;
}

int ci_err_is_missing(int code)
{
	return code == CI_ERR_NOT_FOUND || code == CI_ERR_GONE;
}

const char *ci_err_name(int code)
{
	return code == CI_ERR_GONE ? "gone" : err_code_name(code);
}

/* The registration table (provider.h): one line per provider kind. */
const struct ci_kind ci_kinds[] = {
	{ CI_GITHUB, &ci_github_ops, CI_ID_DECIMAL, "CIMINER_GITHUB_API_URL GITHUB_TOKEN CIMINER_GITHUB_TOKENS" },
	{ CI_CIRCLECI, &ci_circleci_ops, CI_ID_UUID, "CIMINER_CIRCLECI_API_URL CIRCLECI_TOKEN CIMINER_CIRCLECI_VCS" },
	{ CI_TRAVIS, &ci_travis_ops, CI_ID_DECIMAL, "CIMINER_TRAVIS_API_URL TRAVIS_TOKEN" },
	{ CI_LOCAL, &ci_local_ops, CI_ID_DECIMAL, "CIMINER_LOCAL_ARCHIVE" },
};
const size_t ci_nkinds = sizeof(ci_kinds) / sizeof(ci_kinds[0]);

const struct ci_kind *ci_kind_find(const char *kind)
{
	for (size_t i = 0; kind && i < ci_nkinds; i++)
		if (!strcmp(kind, ci_kinds[i].kind))
			return &ci_kinds[i];
	return NULL;
}

int ci_kind_valid(const char *kind)
{
	return ci_kind_find(kind) != NULL;
}

char *ci_kinds_join(const char *sep, const char *last_sep)
{
	return str_join_names(ci_kinds, ci_nkinds, sizeof(ci_kinds[0]), sep, last_sep);
}

const char *ci_id_form_doc(enum ci_id_form form)
{
	return form == CI_ID_UUID ? "a pipeline UUID" : "a positive whole number";
}

int ci_provider_has_prs(const struct ci_provider *p)
{
	return p->ops->prs_get != NULL;
}

static int positive_decimal(const char *s)
{
	size_t n = 0;
	if (!s || !*s || *s == '0')
		return 0;
	for (; s[n]; n++)
		if (!isdigit((unsigned char)s[n]))
			return 0;
	/* 19 digits fit int64 only up to 9223372036854775807. */
	return n < 19 || (n == 19 && strcmp(s, "9223372036854775807") <= 0);
}

static int uuid_form(const char *s)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	if (!s)
		return 0;
	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, s++)
			if (!isxdigit((unsigned char)*s))
				return 0;
		if (g < 4 && *s++ != '-')
			return 0;
	}
	return *s == '\0';
}

int ci_build_id_valid(const char *kind, const char *id)
{
	const struct ci_kind *k = ci_kind_find(kind);
	if (!k)
		return 0;
	return k->id_form == CI_ID_UUID ? uuid_form(id) : positive_decimal(id);
}

int ci_repo_name_valid(const char *name, const char **why)
{
	const char *slash, *repo, *reason = NULL;
	size_t olen, rlen;
	if (!name || !*name)
		reason = "the repository name is empty";
	else if (!(slash = strchr(name, '/')) || strchr(slash + 1, '/'))
		reason = "a repository name is owner/name with exactly one '/'";
	else {
		olen = (size_t)(slash - name);
		repo = slash + 1;
		rlen = strlen(repo);
		if (olen < 1 || olen > 39)
			reason = "the owner must have 1 to 39 characters";
		else if (name[0] == '-' || name[olen - 1] == '-')
			reason = "the owner cannot start or end with '-'";
		else if (rlen < 1 || rlen > 100)
			reason = "the name must have 1 to 100 characters";
		else if (!strcmp(repo, ".") || !strcmp(repo, ".."))
			reason = "the name cannot be '.' or '..'";
		for (size_t i = 0; !reason && i < olen; i++)
			if (!isalnum((unsigned char)name[i]) && name[i] != '-')
				reason = "the owner has a character GitHub does not allow (letters, digits and '-' only)";
		for (size_t i = 0; !reason && i < rlen; i++)
			if (!isalnum((unsigned char)repo[i]) && !strchr("._-", repo[i]))
				reason = "the name has a character GitHub does not allow (letters, digits, '.', '_' and '-' only)";
	}
	if (why)
		*why = reason;
	return reason == NULL;
}

static int ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcasecmp(s + n - k, suffix);
}

int ci_is_bot(const char *login, const char *type)
{
	static const char *const accounts[] = {
		"dependabot", "dependabot-preview", "renovate", "renovate-bot", "renovatebot", "github-actions",
		"greenkeeper", "greenkeeperio-bot", "snyk-bot", "pyup-bot", "imgbot", "allcontributors",
		"mergify", "codecov-io", "semantic-release-bot", "depfu", "whitesource-bolt-for-github",
		"dependabot-bot", "travis-ci", "circleci", "web-flow-bot", "scala-steward", "pre-commit-ci",
		NULL,
	};
	if (type && !strcasecmp(type, "Bot"))
		return 1;
	if (!login || !*login)
		return 0;
	if (ends_with_ci(login, "[bot]") || ends_with_ci(login, "-bot") || ends_with_ci(login, "_bot"))
		return 1;
	for (size_t i = 0; accounts[i]; i++)
		if (!strcasecmp(login, accounts[i]))
			return 1;
	return 0;
}

void ci_repo_release(struct ci_repo *r)
{
	free(r->full_name);
	free(r->default_branch);
	free(r->language);
	free(r->git_url);
	free(r->raw_json);
	memset(r, 0, sizeof(*r));
}

void ci_job_release(struct ci_job *j)
{
	free(j->id);
	free(j->run_id);
	free(j->name);
	free(j->status);
	free(j->conclusion);
	free(j->runner);
	free(j->steps_json);
	free(j->raw_json);
	memset(j, 0, sizeof(*j));
	j->started_at = j->completed_at = CI_TIME_UNKNOWN;
}

void ci_jobs_free(struct ci_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ci_job_release(&jobs[i]);
	free(jobs);
}

void ci_run_init(struct ci_run *r)
{
	memset(r, 0, sizeof(*r));
	r->created_at = r->started_at = r->completed_at = CI_TIME_UNKNOWN;
	r->duration_usec = CI_TIME_UNKNOWN;
	r->run_attempt = 1;
}

void ci_run_release(struct ci_run *r)
{
	char **strs[] = { &r->ci_run_id, &r->repo_full_name, &r->workflow_name, &r->branch, &r->commit_sha,
			  &r->commit_message, &r->author_name, &r->author_email, &r->event, &r->actor_login,
			  &r->status, &r->conclusion, &r->web_url, &r->raw_json, &r->jobs_ref };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	free(r->pr_numbers);
	ci_jobs_free(r->jobs, r->n_jobs);
	ci_run_init(r);
}

int ci_run_is_labelled(const struct ci_run *r)
{
	return r->status && !strcmp(r->status, "completed") && r->conclusion &&
	       (!strcmp(r->conclusion, "success") || !strcmp(r->conclusion, "failure")) && !r->actor_is_bot;
}

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

void ci_options_init(struct ci_options *o)
{
	memset(o, 0, sizeof(*o));
	ci_http_config_init(&o->http);
}

static char *trim_slash(const char *s)
{
	char *t = xstrdup(s);
	size_t n = strlen(t);
	while (n > 0 && t[n - 1] == '/')
		t[--n] = '\0';
	return t;
}

int ci_provider_open(struct ci_provider **out, const char *kind, const struct ci_options *o, struct err *e)
{
	struct ci_provider *p;
	struct ci_options dflt;
	const char *git;
	int rc;
	*out = NULL;
	if (!o) {
		ci_options_init(&dflt);
		o = &dflt;
	}
	const struct ci_kind *k = ci_kind_find(kind);
	if (!k) {
		char *kinds = ci_kinds_join(", ", " or ");
		rc = err_set(e, ERR_INPUT, "unknown CI provider '%s'; use %s", kind ? kind : "", kinds);
		free(kinds);
		return rc;
	}
	p = xcalloc(1, sizeof(*p));
	git = o->git_url ? o->git_url : env_nonempty("CIMINER_GIT_URL");
	p->git_url = trim_slash(git ? git : "https://github.com");
	p->ops = k->ops;
	if (k->ops->http)
		p->http = ci_http_client_new(&o->http);
	rc = k->ops->setup(p, o, e);
	if (rc) {
		ci_provider_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void ci_provider_free(struct ci_provider *p)
{
	if (!p)
		return;
	if (p->impl && p->ops && p->ops->free_impl)
		p->ops->free_impl(p->impl);
	ci_http_client_free(p->http);
	free(p->api_url);
	free(p->git_url);
	free(p);
}

const char *ci_provider_kind(const struct ci_provider *p)
{
	return p->ops->kind;
}

struct ci_http_client *ci_provider_http(struct ci_provider *p)
{
	return p->http;
}

int ci_repo_get(struct ci_provider *p, struct ci_repo *out, const char *full_name, struct err *e)
{
	memset(out, 0, sizeof(*out));
	return p->ops->repo_get(p, out, full_name, e);
}

int ci_run_get(struct ci_provider *p, struct ci_run *out, const char *repo, const char *run_id, struct err *e)
{
	ci_run_init(out);
	int rc;
	if (!ci_build_id_valid(p->ops->kind, run_id))
		return err_set(e, ERR_INPUT, "'%s' is not a %s build id", run_id ? run_id : "", p->ops->kind);
	rc = p->ops->run_get(p, out, repo, run_id, e);
	if (!rc && !out->repo_full_name)
		out->repo_full_name = xstrdup(repo);
	return rc;
}

int ci_runs_lookup(struct ci_provider *p, const char *repo, struct ci_lookup *items, size_t n, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		items[i].rc = CI_ERR_NOT_FOUND;
		err_clear(&items[i].err);
		ci_run_init(&items[i].run);
	}
	if (p->ops->runs_lookup)
		return p->ops->runs_lookup(p, repo, items, n, e);
	for (size_t i = 0; i < n; i++) {
		items[i].rc = ci_run_get(p, &items[i].run, repo, items[i].run_id, &items[i].err);
		if (items[i].rc == CI_ERR_RATE_LIMITED) {
			/* The rest would wait as long: stop and let the caller retry later. */
			for (size_t k = i + 1; k < n; k++)
				items[k].rc = err_copy(&items[k].err, &items[i].err);
			return err_copy(e, &items[i].err);
		}
	}
	return 0;
}

int ci_jobs_list(struct ci_provider *p, struct ci_job **out, size_t *n, const char *repo, const char *run_id,
		 struct err *e)
{
	*out = NULL;
	*n = 0;
	return p->ops->jobs_list(p, out, n, repo, run_id, e);
}

int ci_jobs_fill(struct ci_provider *p, const char *repo, struct ci_run *const *runs, size_t n, struct err *e)
{
	int first = 0;
	if (p->ops->jobs_fill)
		return p->ops->jobs_fill(p, repo, runs, n, e);
	for (size_t i = 0; i < n; i++) {
		struct err re = ERR_INIT;
		struct ci_run *r = runs[i];
		if (r->jobs_known)
			continue;
		int rc = ci_jobs_list(p, &r->jobs, &r->n_jobs, repo, r->ci_run_id, &re);
		r->jobs_rc = rc;
		if (rc == 0)
			r->jobs_known = 1;
		else if (!first)
			first = err_copy(e, &re);
	}
	return first;
}

char *ci_run_jobs_ref(const char *kind, const char *raw_json)
{
	const struct ci_kind *k = ci_kind_find(kind);
	return k && k->ops->jobs_ref && raw_json ? k->ops->jobs_ref(raw_json) : NULL;
}

int ci_logs_fetch(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
		  struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		reqs[i].rc = 0;
		reqs[i].bytes = 0;
		reqs[i].truncated = 0;
		reqs[i].notified = 0;
		err_clear(&reqs[i].err);
	}
	int rc = p->ops->logs_fetch(p, repo, reqs, n, cap, e);
	for (size_t i = 0; i < n; i++) {
		if (rc && !reqs[i].notified && reqs[i].rc == 0)
			reqs[i].rc = err_copy(&reqs[i].err, e); /* the batch failed as a whole */
		ci_log_req_notify(&reqs[i]);
	}
	return rc;
}

void ci_log_req_notify(struct ci_log_req *r)
{
	if (r->done && !r->notified) {
		r->notified = 1;
		r->done(r, r->done_arg);
	}
}

int ci_log_fetch(struct ci_provider *p, const char *repo, const char *job_id, struct ci_sink *sink, size_t cap,
		 size_t *bytes, int *truncated, struct err *e)
{
	struct ci_log_req r;
	memset(&r, 0, sizeof(r));
	r.job_id = job_id;
	r.sink = *sink;
	ci_logs_fetch(p, repo, &r, 1, cap, e);
	if (bytes)
		*bytes = r.bytes;
	if (truncated)
		*truncated = r.truncated;
	if (r.rc)
		err_copy(e, &r.err);
	return r.rc;
}

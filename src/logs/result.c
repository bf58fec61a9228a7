/*
 * struct logs_result: lifecycle, the accumulator parsers report into,
 * aggregation of a build's job logs, and the JSON form.
 */
#include "logs/logs_internal.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <math.h>
#include <string.h>

void logs_result_init(struct logs_result *r)
{
	memset(r, 0, sizeof(*r));
	r->test_duration_sec = -1;
	r->setup_time_sec = -1;
	r->build_duration_sec = -1;
	r->status = LOGS_STATUS_UNKNOWN;
	r->analyzer = "plain";
	r->provider = "plain";
}

void logs_result_release(struct logs_result *r)
{
	strvec_clear(&r->frameworks);
	strvec_clear(&r->failed_names);
	free(r->failure.text);
	logs_result_init(r);
}

const char *logs_status_name(enum logs_status s)
{
	switch (s) {
	case LOGS_STATUS_OK: return "ok";
	case LOGS_STATUS_BROKEN: return "broken";
	case LOGS_STATUS_CANCELLED: return "cancelled";
	case LOGS_STATUS_TIMEOUT: return "timeout";
	case LOGS_STATUS_TERMINATED: return "terminated";
	default: return "unknown";
	}
}

void logs_acc_framework(struct logs_acc *a, const char *fw)
{
	if (strvec_find(&a->res->frameworks, fw) < 0)
		strvec_push(&a->res->frameworks, fw);
}

/* Counts saturate here: no log has 10^15 tests, and a hostile one must not overflow a sum. */
#define COUNT_MAX 1000000000000000LL

static void add_count(long long *to, long long v)
{
	if (v > 0)
		*to = v > COUNT_MAX - *to ? COUNT_MAX : *to + v;
}

void logs_acc_counts(struct logs_acc *a, const char *fw, long long run, long long failed,
		     long long skipped)
{
	struct logs_result *r = a->res;
	logs_acc_framework(a, fw);
	r->tests_recognised = 1;
	add_count(&r->tests_run, run);
	add_count(&r->tests_failed, failed);
	add_count(&r->tests_skipped, skipped);
}

/* No job runs a year; a larger figure is a misread (found by fuzzing) and would overflow sums. */
#define DURATION_MAX (365.0 * 86400)

void logs_acc_duration(struct logs_acc *a, double sec)
{
	if (!(sec >= 0 && sec <= DURATION_MAX))
		return;
	a->duration = (a->duration < 0 ? 0 : a->duration) + sec;
}

/* Names are bounded: count and total bytes, so that a log of a million failures stays small. */
#define FAILED_NAME_LEN_MAX 512
#define FAILED_BYTES_MAX (256 * 1024)

void logs_acc_failed_name(struct logs_acc *a, const char *name, size_t len)
{
	while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t' || name[len - 1] == ':'))
		len--;
	while (len > 0 && (*name == ' ' || *name == '\t')) {
		name++;
		len--;
	}
	if (len == 0 || a->res->failed_names.n >= LOGS_FAILED_NAMES_MAX || a->failed_bytes > FAILED_BYTES_MAX)
		return;
	if (len > FAILED_NAME_LEN_MAX)
		len = FAILED_NAME_LEN_MAX;
	char *s = xstrndup(name, len);
	for (char *p = s; *p; p++)
		if (*p == '#') /* '#' joins names in tr_log_tests_failed: Class#test becomes Class.test */
			*p = '.';
	if (!strmap_has(&a->failed_seen, s)) {
		strmap_put(&a->failed_seen, s, NULL);
		strvec_push(&a->res->failed_names, s);
		a->failed_bytes += len;
	}
	free(s);
}

static int status_rank(enum logs_status s)
{
	switch (s) {
	case LOGS_STATUS_OK: return 1;
	case LOGS_STATUS_BROKEN: return 2;
	case LOGS_STATUS_UNKNOWN: return 0;
	default: return 3;
	}
}

void logs_result_merge(struct logs_result *into, const struct logs_result *job)
{
	for (size_t i = 0; i < job->frameworks.n; i++)
		if (strvec_find(&into->frameworks, job->frameworks.v[i]) < 0)
			strvec_push(&into->frameworks, job->frameworks.v[i]);
	for (size_t i = 0; i < job->failed_names.n && into->failed_names.n < LOGS_FAILED_NAMES_MAX; i++)
		if (strvec_find(&into->failed_names, job->failed_names.v[i]) < 0)
			strvec_push(&into->failed_names, job->failed_names.v[i]);
	into->tests_recognised |= job->tests_recognised;
	add_count(&into->tests_run, job->tests_run);
	add_count(&into->tests_ok, job->tests_ok);
	add_count(&into->tests_failed, job->tests_failed);
	add_count(&into->tests_skipped, job->tests_skipped);
	double *dst[3] = { &into->test_duration_sec, &into->setup_time_sec, &into->build_duration_sec };
	const double src[3] = { job->test_duration_sec, job->setup_time_sec, job->build_duration_sec };
	for (int i = 0; i < 3; i++)
		if (src[i] >= 0)
			*dst[i] = (*dst[i] < 0 ? 0 : *dst[i]) + src[i];
	if (status_rank(job->status) > status_rank(into->status))
		into->status = job->status;
	if (strcmp(into->analyzer, "plain") == 0)
		into->analyzer = job->analyzer;
	if (strcmp(into->provider, "plain") == 0)
		into->provider = job->provider;
	if (!into->failure.present && job->failure.present) {
		into->failure = job->failure;
		into->failure.text = xstrdup(job->failure.text ? job->failure.text : "");
	}
	into->bytes += job->bytes;
	into->lines += job->lines;
	into->lines_truncated += job->lines_truncated;
}

/* JSON strings must be UTF-8: invalid bytes (logs are not always UTF-8) become '?'; keep_nl keeps LF. */
static char *utf8_clean_as(const char *s, int keep_nl)
{
	size_t n = strlen(s);
	char *o = xmalloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		int ok = k > 0 && i + k <= n;
		for (size_t m = 1; ok && m < k; m++)
			ok = ((unsigned char)s[i + m] >> 6) == 2;
		if (ok && k == 2 && c < 0xc2)
			ok = 0;
		if (!ok) {
			o[j++] = '?';
			i++;
			continue;
		}
		if (c < 0x20 && c != '\t' && !(keep_nl && c == '\n')) {
			o[j++] = ' ';
			i++;
			continue;
		}
		memcpy(o + j, s + i, k);
		j += k;
		i += k;
	}
	o[j] = 0;
	return o;
}

static char *utf8_clean(const char *s)
{
	return utf8_clean_as(s, 0);
}

static char *utf8_clean_lines(const char *s)
{
	return utf8_clean_as(s, 1);
}

static json_t *num_or_null(double v)
{
	if (!(v >= 0) || v > 1e12)
		return json_null();
	return json_real(round(v * 1000) / 1000);
}

json_t *logs_failure_to_json(const struct logs_failure *f)
{
	if (!f->present)
		return json_null();
	json_t *o = json_object();
	json_object_set_new(o, "start_line", json_integer((json_int_t)f->start_line));
	json_object_set_new(o, "end_line", json_integer((json_int_t)f->end_line));
	char *clean = utf8_clean_lines(f->text ? f->text : "");
	json_object_set_new(o, "text", json_string(clean));
	free(clean);
	json_object_set_new(o, "kind", json_string(f->kind ? f->kind : "other"));
	return o;
}

json_t *logs_result_to_json(const struct logs_result *r)
{
	json_t *o = json_object();
	json_t *fw = json_array();
	for (size_t i = 0; i < r->frameworks.n; i++)
		json_array_append_new(fw, json_string(r->frameworks.v[i]));
	json_object_set_new(o, "frameworks", fw);
	json_object_set_new(o, "tests_recognised", json_boolean(r->tests_recognised));
	json_object_set_new(o, "tests_run", json_integer(r->tests_run));
	json_object_set_new(o, "tests_ok", json_integer(r->tests_ok));
	json_object_set_new(o, "tests_failed", json_integer(r->tests_failed));
	json_object_set_new(o, "tests_skipped", json_integer(r->tests_skipped));
	char *names = strvec_join(&r->failed_names, "#");
	char *clean = utf8_clean(names ? names : "");
	json_object_set_new(o, "tests_failed_names", json_string(clean));
	free(clean);
	free(names);
	json_object_set_new(o, "test_duration_sec", num_or_null(r->test_duration_sec));
	json_object_set_new(o, "setup_time_sec", num_or_null(r->setup_time_sec));
	json_object_set_new(o, "build_duration_sec", num_or_null(r->build_duration_sec));
	json_object_set_new(o, "status", json_string(logs_status_name(r->status)));
	json_object_set_new(o, "analyzer", json_string(r->analyzer));
	json_object_set_new(o, "provider", json_string(r->provider));
	json_object_set_new(o, "failure", logs_failure_to_json(&r->failure));
	return o;
}

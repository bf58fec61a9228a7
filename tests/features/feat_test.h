/*
 * Helpers of the feature tests: plans from a list of names, builds and
 * warehouse histories with fixed times, and typed look-ups of a vector's
 * values that fail the test loudly (naming the feature) when a value is
 * absent or of another type. Header-only (static functions) so each test
 * executable of tests/features/ can use it.
 */
#ifndef TESTS_FEATURES_FEAT_TEST_H
#define TESTS_FEATURES_FEAT_TEST_H
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "features/engine.h"

#define FT_N(a) (sizeof(a) / sizeof((a)[0]))
#define FT_MIN (60LL * 1000000LL)
#define FT_HOUR (60 * FT_MIN)
#define FT_DAY (24 * FT_HOUR)

/*
 * A plan over cat into *out; names NULL-terminated (NULL: the default
 * selection); exclude may be NULL. Returns feat_plan_new()'s code, e filled
 * on refusal.
 */
static inline int ft_plan_try(struct feat_plan **out, const struct feat_catalogue *cat, const char *const *names,
			      const char *const *exclude, int naming, int lookback_days, struct err *e)
{
	struct feat_plan_config pc;
	feat_plan_config_init(&pc);
	for (size_t i = 0; names && names[i]; i++)
		strvec_push(&pc.features, names[i]);
	for (size_t i = 0; exclude && exclude[i]; i++)
		strvec_push(&pc.exclude, exclude[i]);
	pc.naming = naming;
	pc.allow_post_build = 1; /* these plans test computations; the leakage refusal has its own tests */
	if (lookback_days > 0)
		pc.extract.lookback_days = lookback_days;
	int rc = feat_plan_new(out, cat, &pc, e);
	feat_plan_config_release(&pc);
	return rc;
}

/* ft_plan_try() over the default catalogue, failing the test when the plan is refused. */
static inline struct feat_plan *ft_plan_x(const char *const *names, const char *const *exclude, int naming,
					  int lookback_days)
{
	struct feat_plan *p = NULL;
	struct err e = ERR_INIT;
	int rc = ft_plan_try(&p, feat_catalogue_default(), names, exclude, naming, lookback_days, &e);
	cr_assert_eq(rc, 0, "plan: %s", e.msg);
	return p;
}

static inline struct feat_plan *ft_plan(const char *const *names)
{
	return ft_plan_x(names, NULL, FEAT_NAMING_NATIVE, 0);
}

/* The provider's run id the tests give warehouse build id: the id in decimal (ids below 4096). */
static inline const char *ft_run_id(int64_t id)
{
	static char ids[4096][12];
	cr_assert(id >= 0 && id < 4096, "test build ids are below 4096");
	snprintf(ids[id], sizeof(ids[id]), "%lld", (long long)id);
	return ids[id];
}

/* A build with the fields the tests vary; everything else empty. */
static inline struct feat_build ft_build(int64_t id, const char *sha, int64_t started, const char *conclusion,
					 const char *email)
{
	struct feat_build b;
	memset(&b, 0, sizeof(b));
	b.id = id;
	b.ci_run_id = ft_run_id(id);
	b.commit_sha = sha;
	b.provider = "github_actions";
	b.event = "push";
	b.branch = "main";
	b.status = "completed";
	b.conclusion = conclusion;
	b.author_email = email;
	b.created_at = started;
	b.started_at = started;
	b.completed_at = FEAT_TIME_UNKNOWN;
	b.duration_sec = -1;
	b.run_attempt = 1;
	b.jobs_count = 1;
	return b;
}

static inline struct feat_hist_build ft_hist(int64_t id, const char *sha, int64_t started, int64_t completed,
					     const char *conclusion, const char *email)
{
	struct feat_hist_build h;
	memset(&h, 0, sizeof(h));
	h.id = id;
	h.ci_run_id = ft_run_id(id);
	h.commit_sha = sha;
	h.branch = "main";
	h.started_at = started;
	h.created_at = started;
	h.completed_at = completed;
	h.conclusion = conclusion;
	h.duration_sec = completed == FEAT_TIME_UNKNOWN ? -1 : (double)(completed - started) / 1e6;
	h.author_email = email;
	return h;
}

static inline struct feat_vector ft_compute(struct feat_session *s, const struct feat_input *in)
{
	struct feat_vector v = FEAT_VECTOR_INIT;
	struct err e = ERR_INIT;
	int rc = feat_compute(&v, s, in, &e);
	cr_assert_eq(rc, 0, "feat_compute: %s", e.msg);
	return v;
}

static inline const struct feat_value *ft_get(const struct feat_vector *v, const char *name)
{
	const struct feat_value *x = feat_vector_get(v, name);
	cr_assert_not_null(x, "the vector has no feature %s", name);
	return x;
}

static inline int ft_is_null(const struct feat_vector *v, const char *name)
{
	return !ft_get(v, name)->set;
}

static inline int64_t ft_int(const struct feat_vector *v, const char *name)
{
	const struct feat_value *x = ft_get(v, name);
	cr_assert(x->set, "%s is null", name);
	cr_assert(x->type == FEAT_INT || x->type == FEAT_BOOL || x->type == FEAT_TIMESTAMP, "%s is not an integer",
		  name);
	return x->v.i;
}

static inline double ft_float(const struct feat_vector *v, const char *name)
{
	const struct feat_value *x = ft_get(v, name);
	cr_assert(x->set, "%s is null", name);
	cr_assert_eq(x->type, FEAT_FLOAT, "%s is not a float", name);
	return x->v.f;
}

static inline const char *ft_str(const struct feat_vector *v, const char *name)
{
	const struct feat_value *x = ft_get(v, name);
	cr_assert(x->set, "%s is null", name);
	cr_assert_eq(x->type, FEAT_STRING, "%s is not a string", name);
	return x->v.s;
}

static inline const struct strvec *ft_list(const struct feat_vector *v, const char *name)
{
	const struct feat_value *x = ft_get(v, name);
	cr_assert(x->set, "%s is null", name);
	cr_assert_eq(x->type, FEAT_STRLIST, "%s is not a list", name);
	return &x->v.l;
}

#define ft_assert_float(v, name, want) \
	cr_assert(fabs(ft_float((v), (name)) - (want)) < 1e-9, "%s = %.12g, want %.12g", (name), \
		  ft_float((v), (name)), (double)(want))
#define ft_assert_int(v, name, want) \
	cr_assert_eq(ft_int((v), (name)), (int64_t)(want), "%s = %lld, want %lld", (name), \
		     (long long)ft_int((v), (name)), (long long)(want))
#define ft_assert_str(v, name, want) \
	cr_assert_str_eq(ft_str((v), (name)), (want), "%s = '%s', want '%s'", (name), ft_str((v), (name)), (want))

#endif

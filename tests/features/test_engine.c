/*
 * The feature engine: resolution of selections (names, aliases, wildcards,
 * exclude, labels), start-up checks of broken node tables (cycles, dangling
 * dependencies, duplicates), evaluation order and once-per-build, partial
 * vectors when inputs are missing, naming profiles, configuration parsing,
 * and byte-identical serialisation.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/json.h"
#include "core/xalloc.h"
#include "feat_test.h"

static int plan_has(const struct feat_plan *p, const char *name)
{
	for (size_t i = 0; i < feat_plan_count(p); i++)
		if (!strcmp(feat_plan_name(p, i), name))
			return 1;
	return 0;
}

static int plan_has_node(const struct feat_plan *p, const char *name)
{
	for (size_t i = 0; i < feat_plan_node_count(p); i++)
		if (!strcmp(feat_plan_node_name(p, i), name))
			return 1;
	return 0;
}

/* The code of planning names minus exclude over cat; the plan is not kept. */
static int plan_rc(const struct feat_catalogue *cat, const char *const *names, const char *const *exclude,
		   struct err *e)
{
	struct feat_plan *p = NULL;
	int rc = ft_plan_try(&p, cat, names, exclude, FEAT_NAMING_NATIVE, 0, e);
	feat_plan_free(p);
	return rc;
}

static int plan_error(const char *const *names, const char *const *exclude, struct err *e)
{
	return plan_rc(feat_catalogue_default(), names, exclude, e);
}

Test(engine, default_catalogue_passes_its_start_up_checks)
{
	struct err e = ERR_INIT;
	cr_assert_eq(feat_catalogue_check(feat_catalogue_default(), &e), 0, "%s", e.msg);
}

Test(engine, resolves_names_aliases_and_wildcards_in_catalogue_order)
{
	const char *names[] = { "history_fail_rate_*", "gh_team_size", "git_diff_src_churn", NULL };
	struct feat_plan *p = ft_plan(names);
	const char *want[] = { "git_diff_src_churn", "team_size", "history_fail_rate_5", "history_fail_rate_10" };
	/* history_fail_rate itself does not match "history_fail_rate_*". */
	cr_assert_eq(feat_plan_count(p), FT_N(want));
	for (size_t i = 0; i < FT_N(want); i++)
		cr_assert_str_eq(feat_plan_name(p, i), want[i]);
	/* Ancestors only: the nodes that make these features and what they read. */
	const char *nodes[] = { "git_commit", "git_built", "git_diff", "team_window", "history_prev", "history_rates" };
	cr_assert_eq(feat_plan_node_count(p), FT_N(nodes));
	for (size_t i = 0; i < FT_N(nodes); i++)
		cr_assert(plan_has_node(p, nodes[i]), "node %s missing", nodes[i]);
	cr_assert(!plan_has_node(p, "log"));
	/* Topological: every node after the nodes it depends on. */
	size_t pos_commit = 0, pos_built = 0, pos_diff = 0;
	for (size_t i = 0; i < feat_plan_node_count(p); i++) {
		if (!strcmp(feat_plan_node_name(p, i), "git_commit"))
			pos_commit = i;
		if (!strcmp(feat_plan_node_name(p, i), "git_built"))
			pos_built = i;
		if (!strcmp(feat_plan_node_name(p, i), "git_diff"))
			pos_diff = i;
	}
	cr_assert(pos_commit < pos_built && pos_built < pos_diff);
	cr_assert(feat_plan_inputs(p) & FEAT_IN_GIT);
	cr_assert(!(feat_plan_inputs(p) & FEAT_IN_LOGS));
	feat_plan_free(p);
}

Test(engine, wildcards_match_aliases_too)
{
	const char *names[] = { "tr_*", NULL };
	struct feat_plan *p = ft_plan(names);
	cr_assert(plan_has(p, "history_prev_build_duration_sec"), "alias tr_prev_build_duration");
	cr_assert(plan_has(p, "history_success_rate_5"), "alias tr_success_rate_last_5");
	cr_assert(plan_has(p, "build_id"), "TravisTorrent columns are names too: tr_build_id");
	cr_assert(plan_has(p, "log_tests_run"), "tr_log_num_tests_run");
	cr_assert(!plan_has(p, "team_size"), "gh_team_size does not match tr_*");
	feat_plan_free(p);
}

Test(engine, exclude_removes_names_and_wildcards)
{
	const char *names[] = { "git_*", NULL };
	const char *exclude[] = { "git_diff_*", "git_built_commits", "git_branch", NULL };
	struct feat_plan *p = ft_plan_x(names, exclude, FEAT_NAMING_NATIVE, 0);
	cr_assert(!plan_has(p, "git_diff_src_churn"));
	cr_assert(!plan_has(p, "git_built_commits"));
	cr_assert(!plan_has(p, "build_branch"), "excluded through its alias git_branch");
	cr_assert(plan_has(p, "git_built_commits_count"));
	cr_assert(plan_has(p, "git_file_commit_density"));
	/* git_diff is still computed: the density reads its touched paths. */
	cr_assert(plan_has_node(p, "git_diff"));
	feat_plan_free(p);
}

Test(engine, refuses_label_features_named_explicitly)
{
	const char *labels[] = { "build_status", "build_status_num", "outcome" };
	for (size_t i = 0; i < FT_N(labels); i++) {
		const char *names[] = { "build_id", labels[i], NULL };
		struct err e = ERR_INIT;
		cr_assert_eq(plan_error(names, NULL, &e), ERR_INPUT, "%s accepted", labels[i]);
		cr_assert(strstr(e.msg, labels[i]) && strstr(e.msg, "label"), "message: %s", e.msg);
	}
}

Test(engine, wildcards_never_select_labels)
{
	const char *names2[] = { "build_*", NULL };
	struct feat_plan *p = ft_plan(names2); /* allow_post_build: labels are skipped even then */
	cr_assert(plan_has(p, "build_id"));
	cr_assert(plan_has(p, "build_duration_sec"));
	cr_assert(!plan_has(p, "build_status"));
	cr_assert(!plan_has(p, "build_status_num"));
	feat_plan_free(p);
}

/* A plan of the default catalogue without allow_post_build, as a scenario file gives it. */
static int strict_plan(const char *const *names, const char *const *exclude, struct err *e)
{
	struct feat_plan_config pc;
	feat_plan_config_init(&pc);
	for (size_t i = 0; names && names[i]; i++)
		strvec_push(&pc.features, names[i]);
	for (size_t i = 0; exclude && exclude[i]; i++)
		strvec_push(&pc.exclude, exclude[i]);
	struct feat_plan *p = NULL;
	int rc = feat_plan_new(&p, feat_catalogue_default(), &pc, e);
	feat_plan_free(p);
	feat_plan_config_release(&pc);
	return rc;
}

Test(engine, refuses_post_build_and_label_features_by_name_or_wildcard_unless_allowed)
{
	struct err e = ERR_INIT;
	const char *byname[] = { "git_diff_src_churn", "log_status", NULL };
	cr_assert_eq(strict_plan(byname, NULL, &e), ERR_INPUT, "a post-build feature by name was accepted");
	cr_assert(strstr(e.msg, "log_status") && strstr(e.msg, "allow_post_build"), "%s", e.msg);
	const char *wild[] = { "log_*", NULL };
	cr_assert_eq(strict_plan(wild, NULL, &e), ERR_INPUT, "log_* was accepted");
	cr_assert(strstr(e.msg, "log_tests_run") && strstr(e.msg, "15 post-build"), "%s", e.msg);
	/* build_* matches build_duration_sec (post-build) and the labels build_status, build_status_num. */
	const char *build[] = { "build_*", NULL };
	cr_assert_eq(strict_plan(build, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "build_duration_sec") && strstr(e.msg, "build_status_num"), "%s", e.msg);
	/* Excluded, they are no longer selected: the rest of build_* is accepted. */
	const char *ex[] = { "build_duration_sec", "build_status", "build_status_num", NULL };
	cr_assert_eq(strict_plan(build, ex, &e), 0, "%s", e.msg);
	/* out* matches only the label outcome. */
	const char *out[] = { "out*", NULL };
	cr_assert_eq(strict_plan(out, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "outcome"), "%s", e.msg);
	/* Opted in, post-build features are selected (labels never: see wildcards_never_select_labels). */
	struct feat_plan *p = ft_plan(wild);
	cr_assert(plan_has(p, "log_status"));
	feat_plan_free(p);
}

Test(engine, allow_post_build_is_read_from_feature_config)
{
	struct feat_plan_config pc;
	feat_plan_config_init(&pc);
	struct err e = ERR_INIT;
	json_t *fc = json_loads("{\"dag_features\": [\"log_*\"], \"allow_post_build\": true}", 0, NULL);
	cr_assert_eq(feat_plan_config_from_json(&pc, fc, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(pc.allow_post_build, 1);
	feat_plan_config_release(&pc);
	json_decref(fc);
	fc = json_loads("{\"allow_post_build\": \"yes\"}", 0, NULL);
	cr_assert_eq(feat_plan_config_from_json(&pc, fc, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "allow_post_build"), "%s", e.msg);
	feat_plan_config_release(&pc);
	json_decref(fc);
}

Test(engine, refuses_scan_metrics_until_the_scans_layer_exists)
{
	struct feat_plan_config pc;
	feat_plan_config_init(&pc);
	struct err e = ERR_INIT;
	json_t *fc = json_loads("{\"scan_metrics\": {\"trivy\": [\"vuln_total\"], \"sonarqube\": []}}", 0, NULL);
	cr_assert_eq(feat_plan_config_from_json(&pc, fc, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "scan_metrics.trivy") && strstr(e.msg, "scans layer"), "%s", e.msg);
	json_decref(fc);
	fc = json_loads("{\"scan_metrics\": {\"trivy\": [], \"sonarqube\": []}}", 0, NULL);
	cr_assert_eq(feat_plan_config_from_json(&pc, fc, NULL, &e), 0, "empty lists are the default: %s", e.msg);
	json_decref(fc);
	feat_plan_config_release(&pc);
}

Test(engine, refuses_unknown_names_and_empty_wildcards_naming_them)
{
	struct err e = ERR_INIT;
	const char *a[] = { "git_diff_src_chrun", NULL };
	cr_assert_eq(plan_error(a, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "'git_diff_src_chrun'") && strstr(e.msg, "dag_features"), "%s", e.msg);
	const char *b[] = { "sonar_*", NULL };
	cr_assert_eq(plan_error(b, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "'sonar_*'") && strstr(e.msg, "matches no feature"), "%s", e.msg);
	const char *c[] = { "build_id", NULL };
	const char *x[] = { "no_such_thing", NULL };
	cr_assert_eq(plan_error(c, x, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "exclude"), "%s", e.msg);
	const char *d[] = { "build_id", NULL };
	const char *y[] = { "build_*", NULL };
	cr_assert_eq(plan_error(d, y, &e), ERR_INPUT, "an empty selection must be refused");
}

Test(engine, empty_selection_means_every_pre_build_feature_except_metadata)
{
	struct feat_plan *p = ft_plan(NULL);
	cr_assert(plan_has(p, "git_diff_src_churn"));
	cr_assert(plan_has(p, "prev_log_tests_failed"));
	cr_assert(plan_has(p, "history_prev_outcome"));
	cr_assert(!plan_has(p, "log_tests_failed"), "post_build");
	cr_assert(!plan_has(p, "build_duration_sec"), "post_build");
	cr_assert(!plan_has(p, "outcome"), "label");
	static const char *const meta[] = { "build_id", "build_trigger_sha", "build_job_ids", "build_branch",
					    "build_started_at", "repo_full_name", "git_built_commits",
					    "history_prev_build_id", "pr_created_at", "pr_number" };
	for (size_t i = 0; i < FT_N(meta); i++)
		cr_assert(!plan_has(p, meta[i]), "%s is metadata", meta[i]);
	for (size_t i = 0; i < feat_plan_count(p); i++) {
		cr_assert_eq(feat_plan_feature(p, i)->avail, FEAT_PRE_BUILD, "%s", feat_plan_name(p, i));
		cr_assert(!feat_def_is_metadata(feat_plan_feature(p, i)), "%s", feat_plan_name(p, i));
	}
	feat_plan_free(p);
}

/* --- broken node tables --- */

static int noop(struct feat_run *r, void *state, struct feat_value *out)
{
	return 0;
}

static const struct feat_def da[] = { { "t_a", FEAT_INT, "", "a", FEAT_PRE_BUILD, 0, NULL, NULL, NULL } };
static const struct feat_def db[] = { { "t_b", FEAT_INT, "", "b", FEAT_PRE_BUILD, 0, NULL, NULL, NULL } };
static const struct feat_def dc[] = { { "t_c", FEAT_INT, "", "c", FEAT_PRE_BUILD, 0, "t_x", NULL, NULL } };
static const struct feat_def dd[] = { { "t_d", FEAT_INT, "", "d", FEAT_PRE_BUILD, 0, NULL, NULL, NULL } };
static const char *const on_a[] = { "a", NULL };
static const char *const on_b[] = { "b", NULL };
static const char *const on_c[] = { "c", NULL };
static const char *const on_ghost[] = { "ghost", NULL };

static int check_table(const struct feat_node *const *nodes, size_t n, struct err *e)
{
	struct feat_catalogue cat = { nodes, n };
	return plan_rc(&cat, NULL, NULL, e);
}

Test(engine, refuses_a_dependency_cycle_at_start_up)
{
	const struct feat_node a = { "a", "t", FEAT_IN_BUILD, on_c, da, 1, 0, NULL, noop };
	const struct feat_node b = { "b", "t", FEAT_IN_BUILD, on_a, db, 1, 0, NULL, noop };
	const struct feat_node c = { "c", "t", FEAT_IN_BUILD, on_b, dc, 1, 0, NULL, noop };
	const struct feat_node *nodes[] = { &a, &b, &c };
	struct err e = ERR_INIT;
	cr_assert_eq(check_table(nodes, 3, &e), ERR_INTERNAL);
	cr_assert(strstr(e.msg, "cycle a -> c -> b -> a"), "message: %s", e.msg);
}

Test(engine, refuses_a_self_dependency)
{
	const struct feat_node a = { "a", "t", FEAT_IN_BUILD, on_a, da, 1, 0, NULL, noop };
	const struct feat_node *nodes[] = { &a };
	struct err e = ERR_INIT;
	cr_assert_eq(check_table(nodes, 1, &e), ERR_INTERNAL);
	cr_assert(strstr(e.msg, "cycle a -> a"), "message: %s", e.msg);
}

Test(engine, refuses_a_dangling_dependency_at_start_up)
{
	const struct feat_node a = { "a", "t", FEAT_IN_BUILD, NULL, da, 1, 0, NULL, noop };
	const struct feat_node b = { "b", "t", FEAT_IN_BUILD, on_ghost, db, 1, 0, NULL, noop };
	const struct feat_node *nodes[] = { &a, &b };
	struct err e = ERR_INIT;
	cr_assert_eq(check_table(nodes, 2, &e), ERR_INTERNAL);
	cr_assert(strstr(e.msg, "'b' depends on 'ghost'"), "message: %s", e.msg);
}

Test(engine, refuses_duplicate_names_and_aliases)
{
	const struct feat_def dup[] = { { "t_a", FEAT_INT, "", "again", FEAT_PRE_BUILD, 0, NULL, NULL, NULL } };
	const struct feat_def alias_clash[] = { { "t_e", FEAT_INT, "", "e", FEAT_PRE_BUILD, 0, "t_b", NULL, NULL } };
	const struct feat_node a = { "a", "t", FEAT_IN_BUILD, NULL, da, 1, 0, NULL, noop };
	const struct feat_node a2 = { "a2", "t", FEAT_IN_BUILD, NULL, dup, 1, 0, NULL, noop };
	const struct feat_node b = { "b", "t", FEAT_IN_BUILD, NULL, db, 1, 0, NULL, noop };
	const struct feat_node e2 = { "e", "t", FEAT_IN_BUILD, NULL, alias_clash, 1, 0, NULL, noop };
	const struct feat_node same_name = { "a", "t", FEAT_IN_BUILD, NULL, dd, 1, 0, NULL, noop };
	struct err e = ERR_INIT;
	const struct feat_node *t1[] = { &a, &a2 };
	cr_assert_eq(check_table(t1, 2, &e), ERR_INTERNAL);
	cr_assert(strstr(e.msg, "'t_a' is defined twice"), "%s", e.msg);
	const struct feat_node *t2[] = { &b, &e2 };
	cr_assert_eq(check_table(t2, 2, &e), ERR_INTERNAL);
	cr_assert(strstr(e.msg, "feature 't_b' is also an alias or column of 't_e'"), "%s", e.msg);
	const struct feat_node *t3[] = { &a, &same_name };
	cr_assert_eq(check_table(t3, 2, &e), ERR_INTERNAL);
	cr_assert(strstr(e.msg, "two nodes are named 'a'"), "%s", e.msg);
}

/*
 * A diamond a -> (b, c) -> d. a counts its runs in its state; b and c read
 * a's state, d reads both. If any node ran twice or before its dependencies,
 * the values would show it.
 */
struct counter {
	int64_t runs;
	int64_t value;
};

static int run_a(struct feat_run *r, void *state, struct feat_value *out)
{
	struct counter *c = state;
	c->runs++;
	c->value = c->runs;
	feat_set_int(&out[0], c->value);
	return 0;
}

static int run_b(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct counter *a = r->deps[0];
	struct counter *c = state;
	c->runs++;
	c->value = a->value + 10;
	feat_set_int(&out[0], c->value);
	return 0;
}

static int run_c(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct counter *a = r->deps[0];
	struct counter *c = state;
	c->runs++;
	c->value = a->value + 100;
	feat_set_int(&out[0], c->runs);
	return 0;
}

static int run_d(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct counter *b = r->deps[0], *c = r->deps[1];
	feat_set_int(&out[0], b->value + c->value);
	return 0;
}

static const char *const on_b_c[] = { "b", "c", NULL };

Test(engine, runs_each_node_once_per_build_after_its_dependencies)
{
	/* Listed out of order on purpose: d first. */
	const struct feat_node d = { "d", "t", FEAT_IN_BUILD, on_b_c, dd, 1, 0, NULL, run_d };
	const struct feat_node a = { "a", "t", FEAT_IN_BUILD, NULL, da, 1, sizeof(struct counter), NULL, run_a };
	const struct feat_node b = { "b", "t", FEAT_IN_BUILD, on_a, db, 1, sizeof(struct counter), NULL, run_b };
	const struct feat_node c = { "c", "t", FEAT_IN_BUILD, on_a, dc, 1, sizeof(struct counter), NULL, run_c };
	const struct feat_node *nodes[] = { &d, &a, &b, &c };
	struct feat_catalogue cat = { nodes, 4 };
	const char *const names[] = { "t_d", "t_x" /* alias of t_c */, NULL };
	struct feat_plan *p = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(ft_plan_try(&p, &cat, names, NULL, FEAT_NAMING_NATIVE, 0, &e), 0, "%s", e.msg);
	const char *order[] = { "a", "b", "c", "d" };
	cr_assert_eq(feat_plan_node_count(p), 4);
	for (size_t i = 0; i < 4; i++)
		cr_assert_str_eq(feat_plan_node_name(p, i), order[i]);
	/* Output order is catalogue order: t_d before t_c. */
	cr_assert_str_eq(feat_plan_name(p, 0), "t_d");
	cr_assert_str_eq(feat_plan_name(p, 1), "t_c");
	struct feat_session *s = feat_session_new(p);
	struct feat_build bb = ft_build(1, NULL, 1000, "success", NULL);
	struct feat_input in = { .build = &bb };
	for (int64_t run = 1; run <= 3; run++) {
		struct feat_vector v = ft_compute(s, &in);
		/* d = (a + 10) + (a + 100) with a = run; c reports its own run count. */
		ft_assert_int(&v, "t_d", 2 * run + 110);
		ft_assert_int(&v, "t_c", run);
		feat_vector_release(&v);
	}
	feat_session_free(s);
	feat_plan_free(p);
}

static int run_missing(struct feat_run *r, void *state, struct feat_value *out)
{
	feat_set_int(&out[0], 7); /* must not leak out: the node reports a missing input */
	return FEAT_IN_PREV_LOGS;
}

Test(engine, a_node_that_finds_an_input_missing_is_skipped_with_its_dependents)
{
	const struct feat_node a = { "a", "t", FEAT_IN_BUILD, NULL, da, 1, 0, NULL, run_missing };
	const struct feat_node b = { "b", "t", FEAT_IN_BUILD, on_a, db, 1, 0, NULL, noop };
	const struct feat_node c = { "c", "t", FEAT_IN_BUILD, NULL, dc, 1, sizeof(struct counter), NULL, run_a };
	const struct feat_node *nodes[] = { &a, &b, &c };
	struct feat_catalogue cat = { nodes, 3 };
	struct feat_plan *p = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(ft_plan_try(&p, &cat, NULL, NULL, FEAT_NAMING_NATIVE, 0, &e), 0, "%s", e.msg);
	struct feat_session *s = feat_session_new(p);
	struct feat_build bb = ft_build(1, NULL, 1000, "success", NULL);
	struct feat_input in = { .build = &bb };
	struct feat_vector v = ft_compute(s, &in);
	cr_assert(ft_is_null(&v, "t_a"));
	cr_assert(ft_is_null(&v, "t_b"));
	ft_assert_int(&v, "t_c", 1);
	cr_assert(v.partial);
	cr_assert_eq(v.skipped_features.n, 2);
	cr_assert_str_eq(v.skipped_features.v[0], "t_a");
	cr_assert_str_eq(v.skipped_features.v[1], "t_b");
	cr_assert_eq(v.missing_resources.n, 1);
	cr_assert_str_eq(v.missing_resources.v[0], "prev_logs");
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}

/* --- the default catalogue without git, logs or history --- */

Test(engine, missing_mirror_and_logs_give_a_partial_vector_with_the_rest_computed)
{
	const char *names[] = { "build_id", "git_diff_src_churn", "team_size", "log_tests_run", "repo_full_name",
				"history_builds_count", NULL };
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(42, "0123456789012345678901234567890123456789", 5 * FT_DAY, "failure",
				       "a@x.org");
	struct feat_repo repo = { "o/r", "Python", "main", "github_actions" };
	struct feat_hist_build hb[] = { ft_hist(41, NULL, FT_DAY, FT_DAY + FT_HOUR, "success", "a@x.org") };
	struct feat_history hist = { hb, 1 };
	struct feat_input in = { .build = &b, .repo = &repo, .history = &hist };
	struct feat_vector v = ft_compute(s, &in);
	ft_assert_str(&v, "build_id", "42");
	ft_assert_str(&v, "repo_full_name", "o/r");
	ft_assert_int(&v, "history_builds_count", 1);
	cr_assert(ft_is_null(&v, "git_diff_src_churn"));
	cr_assert(ft_is_null(&v, "team_size"));
	cr_assert(ft_is_null(&v, "log_tests_run"));
	cr_assert(v.partial);
	cr_assert_str_eq(feat_vector_status(&v), "partial");
	cr_assert_eq(v.missing_resources.n, 2);
	cr_assert_str_eq(v.missing_resources.v[0], "git_mirror");
	cr_assert_str_eq(v.missing_resources.v[1], "logs");
	cr_assert_eq(v.skipped_features.n, 3);
	cr_assert_str_eq(v.skipped_features.v[0], "git_diff_src_churn");
	cr_assert_str_eq(v.skipped_features.v[1], "team_size");
	cr_assert_str_eq(v.skipped_features.v[2], "log_tests_run");
	feat_vector_release(&v);

	/* Without history and repository too: those are listed, build_id still computed. */
	struct feat_input bare = { .build = &b };
	v = ft_compute(s, &bare);
	ft_assert_str(&v, "build_id", "42");
	cr_assert_eq(v.missing_resources.n, 4);
	cr_assert_str_eq(v.missing_resources.v[0], "repository");
	cr_assert_str_eq(v.missing_resources.v[3], "history");
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}

Test(engine, a_vector_with_every_input_present_is_completed)
{
	const char *names[] = { "build_*", "pr_is_triggered", NULL };
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(1, "abc", 0, "success", NULL);
	struct feat_input in = { .build = &b };
	struct feat_vector v = ft_compute(s, &in);
	cr_assert(!v.partial);
	cr_assert_str_eq(feat_vector_status(&v), "completed");
	cr_assert_eq(v.missing_resources.n, 0);
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}

Test(engine, refuses_a_build_without_any_start_time)
{
	struct feat_plan *p = ft_plan(NULL);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(9, "abc", FEAT_TIME_UNKNOWN, "success", NULL);
	struct feat_input in = { .build = &b };
	struct feat_vector v = FEAT_VECTOR_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(feat_compute(&v, s, &in, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "build 9"), "%s", e.msg);
	cr_assert_eq(v.n, 0);
	feat_session_free(s);
	feat_plan_free(p);
}

/* --- build features, serialisation, naming --- */

Test(engine, build_features_describe_the_build_row)
{
	const char *names[] = { "build_*", "pr_*", NULL };
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	/* 2022-06-06T06:52:18Z is a Monday. */
	int64_t t = 1654498338LL * 1000000LL;
	struct feat_build b = ft_build(5, "abc", t, "failure", NULL);
	int64_t prs[] = { 17 };
	const char *jobs[] = { "j1", "j2" };
	b.event = "pull_request";
	b.pr_numbers = prs;
	b.n_pr_numbers = 1;
	b.build_number = 12;
	b.job_ids = jobs;
	b.n_job_ids = 2;
	b.jobs_count = 2;
	b.completed_at = t + 90 * 1000000LL;
	struct feat_history h = { NULL, 0 };
	struct feat_input in = { .build = &b, .history = &h };
	struct feat_vector v = ft_compute(s, &in);
	ft_assert_int(&v, "build_number", 12);
	ft_assert_int(&v, "build_day_of_week", 0);
	ft_assert_int(&v, "build_hour_utc", 6);
	ft_assert_float(&v, "build_hour_sin", 1.0);
	cr_assert(fabs(ft_float(&v, "build_hour_cos")) < 1e-12);
	ft_assert_float(&v, "build_duration_sec", 90.0);
	ft_assert_int(&v, "pr_is_triggered", 1);
	ft_assert_int(&v, "pr_number", 17);
	cr_assert_eq(ft_list(&v, "build_job_ids")->n, 2);
	/* A PR build without PR data: pr_created_at is skipped, the vector partial. */
	cr_assert(ft_is_null(&v, "pr_created_at"));
	cr_assert(v.partial);
	cr_assert_str_eq(v.missing_resources.v[0], "pull_request");
	feat_vector_release(&v);
	/* A push build has no PR to miss. */
	b.event = "push";
	b.n_pr_numbers = 0;
	v = ft_compute(s, &in);
	ft_assert_int(&v, "pr_is_triggered", 0);
	cr_assert(ft_is_null(&v, "pr_number"));
	cr_assert(ft_is_null(&v, "pr_created_at"));
	cr_assert(!v.partial, "missing: %s", v.missing_resources.n ? v.missing_resources.v[0] : "");
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}

Test(engine, serialises_a_vector_in_output_order_byte_for_byte)
{
	const char *names[] = { "build_started_at", "build_hour_utc", "build_id", "build_branch", "build_job_ids",
				"history_fail_rate", "history_prev_build_result", NULL };
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(3, "abc", 1654498338LL * 1000000LL, "success", NULL);
	struct feat_hist_build hb[] = {
		ft_hist(1, NULL, FT_DAY, FT_DAY + FT_MIN, "failure", NULL),
		ft_hist(2, NULL, 2 * FT_DAY, 2 * FT_DAY + FT_MIN, "success", NULL),
		ft_hist(4, NULL, 3 * FT_DAY, 3 * FT_DAY + FT_MIN, "success", NULL),
	};
	struct feat_history h = { hb, 3 };
	struct feat_input in = { .build = &b, .history = &h };
	struct feat_vector v = ft_compute(s, &in);
	char *json = feat_vector_dumps(&v);
	cr_assert_str_eq(json, "{\"status\":\"completed\",\"features\":{\"build_id\":\"3\",\"build_branch\":\"main\","
			       "\"build_job_ids\":[],\"build_started_at\":\"2022-06-06T06:52:18Z\",\"build_hour_utc\":6,"
			       "\"history_prev_build_result\":\"success\",\"history_fail_rate\":0.33333333333333331},"
			       "\"missing_resources\":[],\"skipped_features\":[]}");
	free(json);
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}

Test(engine, travistorrent_naming_renames_columns_and_joins_lists)
{
	const char *names[] = { "build_id", "build_job_ids", "history_success_rate_5", "team_size", NULL };
	struct feat_plan *p = ft_plan_x(names, NULL, FEAT_NAMING_TRAVISTORRENT, 0);
	cr_assert_str_eq(feat_plan_name(p, 0), "tr_build_id");
	cr_assert_str_eq(feat_plan_name(p, 1), "tr_jobs");
	cr_assert_eq(feat_plan_type(p, 1), FEAT_STRING);
	cr_assert_str_eq(feat_plan_name(p, 2), "gh_team_size");
	/* No TravisTorrent column: the native name stays. */
	cr_assert_str_eq(feat_plan_name(p, 3), "history_success_rate_5");
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(3, "abc", FT_DAY, "success", NULL);
	const char *jobs[] = { "11", "12" };
	b.job_ids = jobs;
	b.n_job_ids = 2;
	struct feat_input in = { .build = &b };
	struct feat_vector v = ft_compute(s, &in);
	ft_assert_str(&v, "tr_jobs", "11#12");
	ft_assert_str(&v, "tr_build_id", "3");
	json_t *m = feat_plan_manifest(p);
	cr_assert_str_eq(core_json_str(json_array_get(m, 1), "name", ""), "tr_jobs");
	cr_assert_str_eq(core_json_str(json_array_get(m, 1), "native_name", ""), "build_job_ids");
	cr_assert_str_eq(core_json_str(json_array_get(m, 1), "type", ""), "string");
	cr_assert_str_eq(core_json_str(json_array_get(m, 1), "availability", ""), "pre_build");
	json_decref(m);
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}

Test(engine, manifest_describes_each_selected_feature)
{
	const char *names[] = { "log_tests_run", "history_fail_rate", NULL };
	struct feat_plan *p = ft_plan(names);
	json_t *m = feat_plan_manifest(p);
	cr_assert_eq(json_array_size(m), 2);
	json_t *h = json_array_get(m, 0), *l = json_array_get(m, 1);
	cr_assert_str_eq(core_json_str(h, "name", ""), "history_fail_rate");
	cr_assert_str_eq(core_json_str(h, "family", ""), "history");
	cr_assert_str_eq(core_json_str(h, "type", ""), "float");
	cr_assert(core_json_bool(h, "temporal", 0));
	cr_assert(strlen(core_json_str(h, "description", "")) > 20);
	cr_assert_str_eq(core_json_str(l, "availability", ""), "post_build");
	json_decref(m);
	feat_plan_free(p);
}

Test(engine, reads_feature_and_output_config_from_json)
{
	struct err e = ERR_INIT;
	static const char good[] =
		"{\"dag_features\": [\"git_*\", \"build_id\"], \"exclude\": [\"git_diff_*\"],"
		" \"extractor_configs\": {\"lookback_days\": 30, \"test_frameworks\": [\"PyTest\"],"
		" \"source_languages\": [\"Python\", \"C++\"]}}";
	static const char tt[] = "{\"naming\": \"travistorrent\"}";
	static const char kaggle[] = "{\"naming\": \"kaggle\"}";
	json_t *fc = core_json_parse(good, strlen(good), "fc", &e);
	cr_assert_not_null(fc, "%s", e.msg);
	json_t *oc = core_json_parse(tt, strlen(tt), "oc", &e);
	struct feat_plan_config pc;
	feat_plan_config_init(&pc);
	cr_assert_eq(feat_plan_config_from_json(&pc, fc, oc, &e), 0, "%s", e.msg);
	cr_assert_eq(pc.features.n, 2);
	cr_assert_eq(pc.exclude.n, 1);
	cr_assert_eq(pc.extract.lookback_days, 30);
	cr_assert_str_eq(pc.extract.test_frameworks.v[0], "pytest");
	cr_assert_str_eq(pc.extract.source_languages.v[1], "c++");
	cr_assert_neq(pc.extract.lang_mask, 0);
	cr_assert_eq(pc.naming, FEAT_NAMING_TRAVISTORRENT);
	feat_plan_config_release(&pc);
	json_decref(fc);
	json_decref(oc);

	const char *bad[] = {
		"{\"extractor_configs\": {\"lookback_days\": 0}}",
		"{\"extractor_configs\": {\"source_languages\": [\"klingon\"]}}",
		"{\"dag_features\": [3]}",
		"{\"dag_features\": \"git_*\", \"exclude\": {}}",
	};
	const char *want[] = { "lookback_days", "klingon", "dag_features[0]", "exclude" };
	for (size_t i = 0; i < FT_N(bad); i++) {
		fc = core_json_parse(bad[i], strlen(bad[i]), "fc", &e);
		feat_plan_config_init(&pc);
		cr_assert_eq(feat_plan_config_from_json(&pc, fc, NULL, &e), ERR_INPUT, "%s accepted", bad[i]);
		cr_assert(strstr(e.msg, want[i]), "%s: %s", bad[i], e.msg);
		feat_plan_config_release(&pc);
		json_decref(fc);
	}
	oc = core_json_parse(kaggle, strlen(kaggle), "oc", &e);
	feat_plan_config_init(&pc);
	cr_assert_eq(feat_plan_config_from_json(&pc, NULL, oc, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "kaggle"), "%s", e.msg);
	feat_plan_config_release(&pc);
	json_decref(oc);
}

Test(engine, catalogue_printers_list_every_feature)
{
	const struct feat_catalogue *cat = feat_catalogue_default();
	struct buf md = BUF_INIT, dot = BUF_INIT, table = BUF_INIT;
	feat_print_markdown(&md, cat);
	feat_print_dot(&dot, cat);
	feat_print_table(&table, cat);
	json_t *j = feat_catalogue_json(cat);
	size_t nfeat = json_array_size(json_object_get(j, "features"));
	cr_assert_gt(nfeat, 80);
	for (size_t i = 0; i < cat->n; i++)
		for (size_t k = 0; k < cat->nodes[i]->ndefs; k++) {
			char needle[128];
			snprintf(needle, sizeof(needle), "`%s`", cat->nodes[i]->defs[k].name);
			cr_assert(strstr(buf_cstr(&md), needle), "markdown lacks %s", needle);
			cr_assert(strstr(buf_cstr(&table), cat->nodes[i]->defs[k].name));
		}
	cr_assert(strstr(buf_cstr(&dot), "\"git_built\" -> \"git_diff\";"));
	cr_assert(strstr(buf_cstr(&dot), "\"in:logs\" -> \"log\";"));
	cr_assert(strstr(buf_cstr(&md), "| `pr_commit_comments` | `gh_num_commit_comments` |"));
	buf_release(&md);
	buf_release(&dot);
	buf_release(&table);
	json_decref(j);
}

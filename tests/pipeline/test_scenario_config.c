/*
 * Scenario configuration (src/pipeline/scenario_config.c): one test per
 * refusal, each checking the JSON path and wording of the message; YAML and
 * JSON giving the same effective configuration; defaults written back; and
 * languages compared case-insensitively when the warehouse is filtered.
 */
#include "ptest.h"
#include "core/json.h"
#include "pipeline/scenario.h"
#include "pipeline/scenario_config.h"
#include <jansson.h>

static char *dir;

static void setup(void)
{
	dir = ts_tempdir("scfg");
}

static void teardown(void)
{
	free(dir);
}

TestSuite(scenario_config, .init = setup, .fini = teardown);

/* Loads text saved as name, with the real feature catalogue check. */
static int load(const char *name, const char *text, json_t **out, struct err *e)
{
	char *path = pt_write(dir, name, text, 0);
	int rc = scenario_config_load(out, path, scenario_features_check, e);
	free(path);
	return rc;
}

static json_t *load_ok(const char *name, const char *text)
{
	json_t *doc = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(load(name, text, &doc, &e), 0, "%s refused: %s", name, e.msg);
	cr_assert_not_null(doc);
	return doc;
}

/* The refusal message of a JSON document (ERR_INPUT asserted); static storage. */
static const char *refusal(const char *json)
{
	static struct err e;
	err_clear(&e);
	json_t *doc = NULL;
	int rc = load("refused.json", json, &doc, &e);
	cr_assert_eq(rc, ERR_INPUT, "want ERR_INPUT, got %d (%s) for %s", rc, e.msg, json);
	cr_assert_null(doc, "a refused file gave a document");
	cr_assert(!strchr(e.msg, '\n'), "not one line: %s", e.msg);
	return e.msg;
}

static void refused_with(const char *json, const char *want)
{
	const char *msg = refusal(json);
	cr_assert_str_eq(msg, want, "\n got: %s\nwant: %s", msg, want);
}

static void refused_containing(const char *json, const char *a, const char *b)
{
	const char *msg = refusal(json);
	cr_assert(strstr(msg, a), "'%s' lacks '%s'", msg, a);
	if (b)
		cr_assert(strstr(msg, b), "'%s' lacks '%s'", msg, b);
}

/* ---- refusals ---- */

Test(scenario_config, an_unknown_key_is_refused_with_the_nearest_known_key)
{
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"filterby\": \"all\"}}",
		     "data_source_config.filterby: unknown key; did you mean filter_by?");
	refused_with("{\"name\": \"s\", \"splitting_config\": {\"ratios\": {\"trian\": 0.7}}}",
		     "splitting_config.ratios.trian: unknown key; did you mean train?");
	refused_with("{\"name\": \"s\", \"data_source_confg\": {}}",
		     "data_source_confg: unknown key; did you mean data_source_config?");
}

Test(scenario_config, missing_indicators_are_refused_without_fill)
{
	refused_containing("{\"name\": \"s\", \"preprocessing_config\": {\"missing_values_strategy\": \"drop_row\","
			   " \"missing_indicators\": true}}",
			   "preprocessing_config.missing_indicators", "needs missing_values_strategy: fill");
	json_t *doc = load_ok("ok.json", "{\"name\": \"s\", \"preprocessing_config\": {\"missing_indicators\": true}}");
	cr_assert(json_is_true(json_object_get(json_object_get(doc, "preprocessing_config"), "missing_indicators")));
	json_decref(doc);
}

Test(scenario_config, an_unknown_key_far_from_every_key_gets_no_suggestion)
{
	refused_with("{\"name\": \"s\", \"colour\": \"blue\"}", "colour: unknown key");
}

Test(scenario_config, a_wrong_type_is_refused_naming_the_type_found)
{
	refused_with("{\"name\": \"s\", \"splitting_config\": {\"seed\": \"abc\"}}",
		     "splitting_config.seed: must be a whole number, not a string");
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"exclude_bots\": \"yes\"}}",
		     "data_source_config.exclude_bots: must be true or false, not a string");
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"languages\": \"Python\"}}",
		     "data_source_config.languages: must be a list, not a string");
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"source_ids\": [1, \"2\"]}}",
		     "data_source_config.source_ids[1]: must be a whole number, not a string");
	refused_with("{\"name\": \"s\", \"splitting_config\": {\"ratios\": {\"train\": \"most\"}}}",
		     "splitting_config.ratios.train: must be a number, not a string");
	refused_with("{\"name\": \"s\", \"feature_config\": []}", "feature_config: must be an object, not a list");
	refused_with("{\"name\": [\"a\"]}", "name: must be a string, not a list");
}

Test(scenario_config, ratios_that_do_not_sum_to_one_are_refused_with_the_sum)
{
	refused_with("{\"name\": \"s\", \"splitting_config\": {\"ratios\": {\"train\": 0.7, \"val\": 0.2, \"test\": 0.15}}}",
		     "splitting_config.ratios: sum is 1.05, must be 1");
	refused_with("{\"name\": \"s\", \"splitting_config\": {\"ratios\": {\"train\": 0.7, \"val\": 0.2, \"test\": 0.0999999}}}",
		     "splitting_config.ratios: sum is 0.9999999, must be 1");
	/* Only train given: the defaults of val and test (0.15 each) are added before the sum. */
	refused_with("{\"name\": \"s\", \"splitting_config\": {\"ratios\": {\"train\": 0.8}}}",
		     "splitting_config.ratios: sum is 1.1, must be 1");
}

Test(scenario_config, ratios_within_one_billionth_of_one_are_accepted)
{
	/* 0.7 + 0.2 + 0.1 is 0.9999999999999999 in binary floating point. */
	json_decref(load_ok("a.json", "{\"name\": \"s\", \"splitting_config\": {\"ratios\": {\"train\": 0.7, \"val\": 0.2, \"test\": 0.1}}}"));
	json_decref(load_ok("b.json", "{\"name\": \"s\", \"splitting_config\": {\"ratios\": {\"train\": 0.3333333333, \"val\": 0.3333333333, \"test\": 0.3333333334}}}"));
	json_decref(load_ok("c.json", "{\"name\": \"s\", \"splitting_config\": {\"ratios\": {\"train\": 1, \"val\": 0, \"test\": 0}}}"));
}

Test(scenario_config, a_ratio_outside_zero_and_one_is_refused)
{
	refused_with("{\"name\": \"s\", \"splitting_config\": {\"ratios\": {\"train\": 1.2, \"val\": -0.1, \"test\": -0.1}}}",
		     "splitting_config.ratios.train: 1.2 must be between 0 and 1");
}

Test(scenario_config, an_unknown_strategy_is_refused_listing_the_strategies)
{
	refused_with("{\"name\": \"s\", \"splitting_config\": {\"strategy\": \"kfold\"}}",
		     "splitting_config.strategy: 'kfold' is not one of stratified_within_group, leave_one_out,"
		     " time_series_split, random_split");
	refused_with("{\"name\": \"s\", \"splitting_config\": {\"group_by\": \"author\"}}",
		     "splitting_config.group_by: 'author' is not one of repo_name, language, ci_provider");
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"filter_by\": \"by_date\"}}",
		     "data_source_config.filter_by: 'by_date' is not one of all, by_language, by_name, by_owner");
	refused_with("{\"name\": \"s\", \"output_config\": {\"formats\": [\"csv\", \"xlsx\"]}}",
		     "output_config.formats[1]: 'xlsx' is not one of parquet, csv, pickle");
}

Test(scenario_config, a_feature_pattern_that_matches_nothing_is_refused)
{
	refused_containing("{\"name\": \"s\", \"feature_config\": {\"dag_features\": [\"git_*\", \"nosuch_*\"]}}",
			   "feature_config", "pattern 'nosuch_*' matches no feature");
	refused_containing("{\"name\": \"s\", \"feature_config\": {\"dag_features\": [\"git_no_such_feature\"]}}",
			   "feature 'git_no_such_feature' is unknown", NULL);
	refused_containing("{\"name\": \"s\", \"feature_config\": {\"exclude\": [\"zzz_*\"]}}", "feature_config",
			   "pattern 'zzz_*' matches no feature");
}

Test(scenario_config, a_date_range_with_start_after_end_is_refused)
{
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"date_start\": \"2024-02-01\", \"date_end\": \"2024-01-31\"}}",
		     "data_source_config.date_start: 2024-02-01 is after date_end 2024-01-31");
	/* The same day is a one-day range. */
	json_decref(load_ok("day.json", "{\"name\": \"s\", \"data_source_config\": {\"date_start\": \"2024-02-01\", \"date_end\": \"2024-02-01\"}}"));
}

Test(scenario_config, a_date_that_is_not_yyyy_mm_dd_is_refused)
{
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"date_start\": \"2024/01/01\"}}",
		     "data_source_config.date_start: '2024/01/01' is not a date; write YYYY-MM-DD or null");
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"date_end\": 20240101}}",
		     "data_source_config.date_end: 'a whole number' is not a date; write YYYY-MM-DD or null");
}

Test(scenario_config, a_filter_without_its_list_is_refused)
{
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"filter_by\": \"by_language\"}}",
		     "data_source_config.languages: filter_by is by_language, so this list must name at least one");
	refused_with("{\"name\": \"s\", \"data_source_config\": {\"filter_by\": \"by_owner\", \"owners\": []}}",
		     "data_source_config.owners: filter_by is by_owner, so this list must name at least one");
}

Test(scenario_config, a_missing_or_empty_name_is_refused)
{
	refused_with("{\"description\": \"no name\"}", "name: is required");
	refused_with("{\"name\": \"\"}", "name: must not be empty");
}

Test(scenario_config, a_document_that_is_not_an_object_is_refused)
{
	refusal("[1, 2, 3]");
}

Test(scenario_config, a_missing_file_is_refused_naming_it)
{
	json_t *doc = NULL;
	struct err e = ERR_INIT;
	char *path = xasprintf("%s/absent.yaml", dir);
	cr_assert_eq(scenario_config_load(&doc, path, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "absent.yaml"), "the message does not name the file: '%s'", e.msg);
	free(path);
}

Test(scenario_config, broken_yaml_and_json_are_refused_with_the_file_and_line)
{
	json_t *doc = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(load("bad.yaml", "name: s\ndata_source_config:\n  filter_by: [all\n", &doc, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "bad.yaml") && strstr(e.msg, "line"), "%s", e.msg);
	cr_assert_eq(load("bad.json", "{\"name\": \"s\",,}", &doc, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "bad.json"), "%s", e.msg);
	cr_assert_eq(load("dup.yaml", "name: a\nname: b\n", &doc, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "'name' appears twice"), "%s", e.msg);
}

/* ---- YAML, JSON and defaults ---- */

static const char yaml_doc[] =
	"# a scenario as a researcher writes it\n"
	"name: flaky builds\n"
	"description: python projects in 2023\n"
	"version: 2\n"
	"data_source_config:\n"
	"  filter_by: by_language\n"
	"  languages: [Python, go]\n"
	"  source_ids:\n"
	"    - 1\n"
	"    - 3\n"
	"  date_start: 2023-01-01\n"
	"  date_end: \"2023-12-31\"\n"
	"  conclusions: [failure]\n"
	"  ci_provider: github_actions\n"
	"  exclude_bots: false\n"
	"feature_config:\n"
	"  dag_features: ['git_*', build_duration_sec]\n"
	"  allow_post_build: true\n"
	"splitting_config:\n"
	"  strategy: time_series_split\n"
	"  ratios: {train: 0.8, val: 0.1, test: 0.1}\n"
	"  seed: 7\n"
	"  gap_days: 1.5\n"
	"preprocessing_config:\n"
	"  missing_values_strategy: drop_row\n"
	"  fill_value: 0\n"
	"output_config:\n"
	"  formats: [csv, parquet]\n"
	"  naming: native\n";

static const char json_doc[] =
	"{\"name\": \"flaky builds\", \"description\": \"python projects in 2023\", \"version\": \"2\","
	" \"data_source_config\": {\"filter_by\": \"by_language\", \"languages\": [\"Python\", \"go\"],"
	"   \"source_ids\": [1, 3], \"date_start\": \"2023-01-01\", \"date_end\": \"2023-12-31\","
	"   \"conclusions\": [\"failure\"], \"ci_provider\": \"github_actions\", \"exclude_bots\": false},"
	" \"feature_config\": {\"dag_features\": [\"git_*\", \"build_duration_sec\"], \"allow_post_build\": true},"
	" \"splitting_config\": {\"strategy\": \"time_series_split\", \"ratios\": {\"train\": 0.8, \"val\": 0.1, \"test\": 0.1},"
	"   \"seed\": 7, \"gap_days\": 1.5},"
	" \"preprocessing_config\": {\"missing_values_strategy\": \"drop_row\", \"fill_value\": 0},"
	" \"output_config\": {\"formats\": [\"csv\", \"parquet\"], \"naming\": \"native\"}}";

Test(scenario_config, yaml_and_json_of_the_same_scenario_give_the_same_configuration)
{
	json_t *y = load_ok("s.yaml", yaml_doc);
	json_t *j = load_ok("s.json", json_doc);
	json_t *yml = load_ok("s.yml", yaml_doc);
	json_t *noext = load_ok("scenario", yaml_doc);
	json_t *noext_json = load_ok("scenario2", json_doc);
	char *ys = json_dumps(y, JSON_SORT_KEYS), *js = json_dumps(j, JSON_SORT_KEYS);
	cr_assert(json_equal(y, j), "YAML and JSON differ:\n%s\n%s", ys, js);
	cr_assert(json_equal(y, yml));
	cr_assert(json_equal(y, noext), "a YAML file without extension is read as YAML");
	cr_assert(json_equal(y, noext_json), "a JSON file without extension is read as JSON");
	free(ys);
	free(js);
	/* Types came through: a YAML integer version became the string "2", dates stayed strings. */
	cr_assert_str_eq(core_json_str(y, "version", ""), "2");
	cr_assert_str_eq(json_string_value(core_json_path(y, "data_source_config.date_start")), "2023-01-01");
	cr_assert(json_is_false(core_json_path(y, "data_source_config.exclude_bots")));
	cr_assert_float_eq(json_real_value(core_json_path(y, "splitting_config.gap_days")), 1.5, 1e-12);
	json_decref(y);
	json_decref(j);
	json_decref(yml);
	json_decref(noext);
	json_decref(noext_json);
}

Test(scenario_config, defaults_are_written_back_into_the_configuration)
{
	json_t *d = load_ok("min.json", "{\"name\": \"minimal\"}");
	struct { const char *path, *json; } want[] = {
		{ "description", "\"\"" },
		{ "version", "\"1\"" },
		{ "data_source_config.filter_by", "\"all\"" },
		{ "data_source_config.languages", "[]" },
		{ "data_source_config.repo_names", "[]" },
		{ "data_source_config.owners", "[]" },
		{ "data_source_config.source_ids", "[]" },
		{ "data_source_config.date_start", "null" },
		{ "data_source_config.date_end", "null" },
		{ "data_source_config.conclusions", "[\"success\", \"failure\"]" },
		{ "data_source_config.ci_provider", "\"all\"" },
		{ "data_source_config.exclude_bots", "true" },
		{ "feature_config.dag_features", "[]" },
		{ "feature_config.exclude", "[]" },
		{ "feature_config.scan_metrics", "{\"trivy\": [], \"sonarqube\": []}" },
		{ "feature_config.extractor_configs",
		  "{\"lookback_days\": 90, \"test_frameworks\": [], \"source_languages\": []}" },
		{ "splitting_config.strategy", "\"stratified_within_group\"" },
		{ "splitting_config.group_by", "\"repo_name\"" },
		{ "splitting_config.stratify_by", "\"outcome\"" },
		{ "splitting_config.ratios", "{\"train\": 0.7, \"val\": 0.15, \"test\": 0.15}" },
		{ "splitting_config.temporal_ordering", "true" },
		{ "splitting_config.seed", "42" },
		{ "splitting_config.gap_days", "0" },
		{ "preprocessing_config.missing_values_strategy", "\"fill\"" },
		{ "preprocessing_config.fill_value", "\"median\"" },
		{ "preprocessing_config.normalization_method", "\"z_score\"" },
		{ "preprocessing_config.strict_mode", "false" },
		{ "output_config.formats", "[\"parquet\"]" },
		{ "output_config.include_metadata", "true" },
		{ "output_config.naming", "\"native\"" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		json_t *have = core_json_path(d, want[i].path);
		json_t *exp = json_loads(want[i].json, JSON_DECODE_ANY, NULL);
		cr_assert_not_null(have, "%s was not written back", want[i].path);
		char *hs = json_dumps(have, JSON_ENCODE_ANY | JSON_SORT_KEYS);
		cr_assert(json_equal(have, exp), "%s is %s, want %s", want[i].path, hs, want[i].json);
		free(hs);
		json_decref(exp);
	}
	/* The effective configuration validates again to itself (what `scenario show` prints is loadable). */
	json_t *again = json_deep_copy(d);
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_config_validate(again, scenario_features_check, &e), 0, "%s", e.msg);
	cr_assert(json_equal(again, d));
	json_decref(again);
	json_decref(d);
}

Test(scenario_config, a_given_value_is_kept_and_only_the_missing_ones_are_filled)
{
	json_t *d = load_ok("part.yaml", "name: p\nsplitting_config:\n  ratios:\n    train: 0.5\n    val: 0.25\n    test: 0.25\n  seed: 1\n");
	cr_assert_float_eq(json_number_value(core_json_path(d, "splitting_config.ratios.train")), 0.5, 1e-12);
	cr_assert_eq(json_integer_value(core_json_path(d, "splitting_config.seed")), 1);
	cr_assert_str_eq(json_string_value(core_json_path(d, "splitting_config.strategy")), "stratified_within_group");
	json_decref(d);
}

/* ---- languages compare case-insensitively when filtering ---- */

Test(scenario_config, languages_match_the_warehouse_whatever_their_case)
{
	struct store *s = pt_open(NULL);
	int64_t now = 1700000000LL * 1000000;
	static const char *const langs[] = { "Python", "PYTHON", "python", "Go", NULL };
	for (int i = 0; i < 5; i++) {
		if (langs[i])
			pt_exec(s,
				"INSERT INTO raw_repositories (ci_provider, full_name, main_lang, created_at, updated_at)"
				" VALUES ('github_actions', 'o/r%d', '%s', %lld, %lld)",
				i, langs[i], (long long)now, (long long)now);
		else
			pt_exec(s,
				"INSERT INTO raw_repositories (ci_provider, full_name, created_at, updated_at)"
				" VALUES ('github_actions', 'o/r%d', %lld, %lld)",
				i, (long long)now, (long long)now);
		int64_t repo = pt_int(s, "SELECT id FROM raw_repositories WHERE full_name = 'o/r%d'", i);
		pt_exec(s,
			"INSERT INTO raw_build_runs (raw_repo_id, ci_provider, ci_run_id, status, conclusion, created_at,"
			" fetched_at) VALUES (%lld, 'github_actions', '%d', 'completed', 'success', %lld, %lld)",
			(long long)repo, 100 + i, (long long)now, (long long)now);
	}
	static const struct { const char *langs; int64_t want; } cases[] = {
		{ "[\"python\"]", 3 }, { "[\"Python\"]", 3 }, { "[\"pYtHoN\"]", 3 },
		{ "[\"GO\", \"python\"]", 4 }, { "[\"Rust\"]", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *txt = xasprintf("{\"name\": \"l\", \"data_source_config\": {\"filter_by\": \"by_language\","
				      " \"languages\": %s}}",
				      cases[i].langs);
		json_t *doc = load_ok("lang.json", txt);
		struct err e = ERR_INIT;
		json_t *pv = scenario_preview(s, doc, &e);
		cr_assert_not_null(pv, "%s", e.msg);
		cr_assert_eq(core_json_int(pv, "total_builds", -1), cases[i].want, "languages %s: %lld builds, want %lld",
			     cases[i].langs, (long long)core_json_int(pv, "total_builds", -1), (long long)cases[i].want);
		json_decref(pv);
		json_decref(doc);
		free(txt);
	}
	store_close(s);
}

/* ---- hostile input (issue 20) ---- */

Test(scenario_config, a_gap_too_large_to_measure_in_microseconds_is_refused)
{
	/* 200,000,000 days overflowed llround(gap * USEC_PER_DAY) and switched the gap off silently. */
	refused_containing("{\"name\": \"g\", \"splitting_config\": {\"strategy\": \"time_series_split\","
			   " \"gap_days\": 200000000}}",
			   "splitting_config.gap_days", "36500");
	json_decref(load_ok("gap.json", "{\"name\": \"g\", \"splitting_config\": {\"gap_days\": 36500}}"));
}

Test(scenario_config, a_lookback_or_seed_out_of_range_is_refused)
{
	refused_containing("{\"name\": \"l\", \"feature_config\": {\"extractor_configs\": {\"lookback_days\":"
			   " 9223372036854775807}}}",
			   "lookback_days", "36500");
	refused_containing("{\"name\": \"s\", \"splitting_config\": {\"seed\": -1}}", "splitting_config.seed", NULL);
	refused_containing("{\"name\": \"s\", \"data_source_config\": {\"source_ids\": [0]}}", "source_ids", NULL);
}

Test(scenario_config, an_empty_or_repeated_format_list_is_refused_at_create)
{
	refused_containing("{\"name\": \"f\", \"output_config\": {\"formats\": []}}", "output_config.formats",
			   "at least one");
	refused_containing("{\"name\": \"f\", \"output_config\": {\"formats\": [\"csv\", \"csv\"]}}",
			   "output_config.formats", "twice");
}

Test(scenario_config, a_json_key_given_twice_is_refused_as_in_yaml)
{
	refused_containing("{\"name\": \"a\", \"name\": \"b\"}", "duplicate", "name");
	json_t *doc = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(load("twice.yaml", "name: a\nname: b\n", &doc, &e), ERR_INPUT);
	cr_expect(strstr(e.msg, "twice"), "%s", e.msg);
}

Test(scenario_config, yaml_nested_fifty_thousand_deep_is_refused_not_a_crash)
{
	size_t depth = 50000;
	char *text = xmalloc(64 + 2 * depth);
	size_t n = (size_t)sprintf(text, "name: d\ndescription: ");
	memset(text + n, '[', depth);
	memset(text + n + depth, ']', depth);
	text[n + 2 * depth] = '\n';
	text[n + 2 * depth + 1] = '\0';
	json_t *doc = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(load("deep.yaml", text, &doc, &e), ERR_INPUT, "%s", e.msg);
	cr_expect(strstr(e.msg, "deeper than 64"), "%s", e.msg);
	free(text);
}

Test(scenario_config, a_file_over_sixteen_mebibytes_is_bad_input)
{
	char *path = xasprintf("%s/huge.yaml", dir);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs("name: big\ndescription: \"", f);
	for (int i = 0; i < (17 << 10); i++)
		fprintf(f, "%01023d", 0);
	fputs("\"\n", f);
	fclose(f);
	json_t *doc = NULL;
	struct err e = ERR_INIT;
	cr_expect_eq(scenario_config_load(&doc, path, NULL, &e), ERR_INPUT, "%s", e.msg);
	cr_expect(strstr(e.msg, "huge.yaml"), "%s", e.msg);
	unlink(path);
	free(path);
}

Test(scenario_config, a_directory_given_as_the_file_is_named_as_one)
{
	json_t *doc = NULL;
	struct err e = ERR_INIT;
	cr_expect_eq(scenario_config_load(&doc, dir, NULL, &e), ERR_INPUT, "%s", e.msg);
	cr_expect(strstr(e.msg, "is a directory"), "%s", e.msg);
}

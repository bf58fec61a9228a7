/* CIMINER_TEST_BOTH_DRIVERS
 * Filtering the warehouse (warehouse_filter_where, scenario_preview,
 * scenario_ingest_start's FILTERING step) on SQLite and PostgreSQL, over a
 * generated warehouse inserted directly: every data_source_config filter
 * alone and combined, with exact expected counts worked out by hand from the
 * data below, then a matrix of combinations checked against an independent
 * in-test oracle; and retries that never duplicate ingestion builds.
 *
 * The warehouse: 7 repositories x 12 runs. Run i of every repository:
 *   conclusion  i%6: 0 success, 1 failure, 2 success, 3 cancelled, 4 failure,
 *               5 none (status in_progress)
 *   bot         i%4 == 3  (i = 3 cancelled, 7 failure, 11 in progress)
 *   created     2023-01-01 + i days, at 00:00:00 (i even) or 23:59:59 (i odd)
 * so every repository has 7 usable non-bot runs (4 success, 3 failure) and 1
 * bot failure. Source 1 links runs i < 6 of R0, R1, R3; source 2 runs i >= 4
 * of R0 and all runs of R4.
 */
#include "ptest.h"
#include "core/json.h"
#include "core/utc.h"
#include "pipeline/scenario.h"
#include "pipeline/scenario_config.h"
#include "store/scenarios.h"
#include <ctype.h>
#include <jansson.h>

#define NREPO 7
#define NRUN 12

static const struct {
	const char *prov, *name, *lang;
} repos[NREPO] = {
	{ "github_actions", "alice/alpha", "Python" }, /* R0 */
	{ "github_actions", "alice/beta", "Java" },    /* R1 */
	{ "github_actions", "Bob/gamma", "python" },   /* R2 */
	{ "travis", "bob/delta", "Go" },               /* R3 */
	{ "circleci", "carol/epsilon", NULL },         /* R4 */
	{ "github_actions", "alicex/zeta", "Python" }, /* R5: an owner that starts like "alice" */
	{ "travis", "alice/alpha", "Python" },         /* R6: R0's name at another provider */
};
static const char *const concl[6] = { "success", "failure", "success", "cancelled", "failure", NULL };

static struct store *s;
static int64_t repo_id[NREPO], t0;

static int run_bot(int i) { return i % 4 == 3; }
static int64_t run_created(int i) { return t0 + i * USEC_PER_DAY + (i % 2 ? 86399 * USEC_PER_SEC : 0); }
/* Bit 1: source 1; bit 2: source 2. */
static int run_sources(int r, int i)
{
	int m = 0;
	if (i < 6 && (r == 0 || r == 1 || r == 3))
		m |= 1;
	if ((r == 0 && i >= 4) || r == 4)
		m |= 2;
	return m;
}

static void fill_warehouse(void)
{
	struct err e = ERR_INIT;
	cr_assert_eq(utc_parse(&t0, "2023-01-01", &e), 0);
	int64_t now = utc_now();
	for (int sid = 1; sid <= 2; sid++)
		pt_exec(s, "INSERT INTO build_sources (name, file_name, created_at, updated_at) VALUES ('s%d', 's%d.csv', %lld, %lld)",
			sid, sid, (long long)now, (long long)now);
	for (int r = 0; r < NREPO; r++) {
		char lang[32];
		snprintf(lang, sizeof(lang), repos[r].lang ? "'%s'" : "NULL", repos[r].lang);
		pt_exec(s,
			"INSERT INTO raw_repositories (ci_provider, full_name, main_lang, clone_url, created_at, updated_at)"
			" VALUES ('%s', '%s', %s, 'file:///nowhere/%d.git', %lld, %lld)",
			repos[r].prov, repos[r].name, lang, r, (long long)now, (long long)now);
		repo_id[r] = pt_int(s, "SELECT id FROM raw_repositories WHERE ci_provider = '%s' AND full_name = '%s'",
				    repos[r].prov, repos[r].name);
		for (int i = 0; i < NRUN; i++) {
			const char *c = concl[i % 6];
			char cq[32];
			snprintf(cq, sizeof(cq), c ? "'%s'" : "NULL", c);
			/* started_at is NULL on odd runs: ingestion builds then take created_at. */
			char started[32];
			snprintf(started, sizeof(started), i % 2 ? "NULL" : "%lld", (long long)(run_created(i) + 5 * USEC_PER_SEC));
			pt_exec(s,
				"INSERT INTO raw_build_runs (raw_repo_id, ci_provider, ci_run_id, commit_sha, actor_login, is_bot,"
				" status, conclusion, created_at, started_at, fetched_at) VALUES (%lld, '%s', '%d', '%040d', '%s',"
				" %d, '%s', %s, %lld, %s, %lld)",
				(long long)repo_id[r], repos[r].prov, 1000 * (r + 1) + i, 1000 * (r + 1) + i,
				run_bot(i) ? "dependabot[bot]" : "dev", run_bot(i), c ? "completed" : "in_progress", cq,
				(long long)run_created(i), started, (long long)now);
			int m = run_sources(r, i);
			for (int sid = 1; sid <= 2; sid++) {
				if (!(m & (1 << (sid - 1))))
					continue;
				int64_t run = pt_int(s, "SELECT id FROM raw_build_runs WHERE raw_repo_id = %lld AND ci_run_id = '%d'",
						     (long long)repo_id[r], 1000 * (r + 1) + i);
				pt_exec(s,
					"INSERT INTO source_builds (source_id, line_no, ci_provider, build_id_from_source,"
					" repo_name_from_source, status, raw_repo_id, raw_run_id) VALUES (%d, %d, '%s', '%d', '%s',"
					" 'found', %lld, %lld)",
					sid, 2 + i, repos[r].prov, 1000 * (r + 1) + i, repos[r].name, (long long)repo_id[r],
					(long long)run);
			}
		}
	}
	/* A build source row that points at nothing in the warehouse (not_found) changes nothing. */
	pt_exec(s, "INSERT INTO source_builds (source_id, line_no, ci_provider, build_id_from_source, repo_name_from_source,"
		   " status) VALUES (1, 99, 'github_actions', '424242', 'alice/alpha', 'not_found')");
}

static void setup(void)
{
	s = pt_open(NULL);
	fill_warehouse();
}

static void teardown(void)
{
	if (s)
		store_close(s);
}

TestSuite(filter, .init = setup, .fini = teardown);

/* A validated scenario document with data_source_config ds (JSON text of the object's members). */
static json_t *config(const char *ds)
{
	char *txt = xasprintf("{\"name\": \"filter test\", \"data_source_config\": {%s}}", ds);
	json_error_t je;
	json_t *doc = json_loads(txt, 0, &je);
	cr_assert_not_null(doc, "test bug: %s: %s", txt, je.text);
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_config_validate(doc, NULL, &e), 0, "%s: %s", txt, e.msg);
	free(txt);
	return doc;
}

static int64_t preview_total(json_t *doc, json_t **pv_out)
{
	struct err e = ERR_INIT;
	json_t *pv = scenario_preview(s, doc, &e);
	cr_assert_not_null(pv, "preview: %s", e.msg);
	int64_t n = core_json_int(pv, "total_builds", -1);
	if (pv_out)
		*pv_out = pv;
	else
		json_decref(pv);
	return n;
}

/* Creates the scenario and runs its FILTERING step; returns builds_total (and the id). */
static int64_t ingest_total(json_t *doc, int64_t *id_out, int *rc_out)
{
	struct err e = ERR_INIT;
	int64_t id = 0;
	cr_assert_eq(scenarios_create(s, doc, &id, &e), 0, "%s", e.msg);
	int rc = scenario_ingest_start(s, id, &e);
	if (rc_out)
		*rc_out = rc;
	else
		cr_assert_eq(rc, 0, "ingest_start: %s", e.msg);
	if (id_out)
		*id_out = id;
	int64_t total = pt_int(s, "SELECT builds_total FROM training_scenarios WHERE id = %lld", (long long)id);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = %lld", (long long)id),
		     total, "builds_total differs from the ingestion builds made");
	return total;
}

static void expect(const char *ds, int64_t want)
{
	json_t *doc = config(ds);
	int64_t pv = preview_total(doc, NULL);
	cr_assert_eq(pv, want, "{%s}: preview counts %lld, want %lld", ds, (long long)pv, (long long)want);
	int rc = 0;
	int64_t id = 0;
	int64_t in = ingest_total(doc, &id, &rc);
	cr_assert_eq(in, want, "{%s}: ingestion made %lld builds, want %lld", ds, (long long)in, (long long)want);
	if (want > 0) {
		cr_assert_eq(rc, 0);
		char *st = pt_text(s, "SELECT status FROM training_scenarios WHERE id = %lld", (long long)id);
		cr_assert_str_eq(st, "ingesting");
		free(st);
	}
	json_decref(doc);
}

/* ---- each filter alone ---- */

Test(filter, the_defaults_take_completed_success_and_failure_builds_without_bots)
{
	expect("", 49);
}

Test(filter, exclude_bots_false_keeps_the_bot_builds)
{
	expect("\"exclude_bots\": false", 56);
	expect("\"exclude_bots\": true", 49);
}

Test(filter, conclusions_select_success_or_failure)
{
	expect("\"conclusions\": [\"success\"]", 28);
	expect("\"conclusions\": [\"failure\"]", 21);
	expect("\"conclusions\": [\"failure\"], \"exclude_bots\": false", 28);
}

Test(filter, by_language_compares_case_insensitively)
{
	expect("\"filter_by\": \"by_language\", \"languages\": [\"python\"]", 28);
	expect("\"filter_by\": \"by_language\", \"languages\": [\"PYTHON\", \"go\"]", 35);
	expect("\"filter_by\": \"by_language\", \"languages\": [\"Rust\"]", 0);
}

Test(filter, by_name_matches_full_names_case_insensitively_at_every_provider)
{
	expect("\"filter_by\": \"by_name\", \"repo_names\": [\"alice/alpha\"]", 14);
	expect("\"filter_by\": \"by_name\", \"repo_names\": [\"ALICE/ALPHA\", \"bob/gamma\"]", 21);
	expect("\"filter_by\": \"by_name\", \"repo_names\": [\"alice\"]", 0);
}

Test(filter, by_owner_matches_the_whole_owner_only)
{
	/* alice: R0, R1, R6, not alicex/zeta. */
	expect("\"filter_by\": \"by_owner\", \"owners\": [\"alice\"]", 21);
	expect("\"filter_by\": \"by_owner\", \"owners\": [\"BOB\"]", 14);
	expect("\"filter_by\": \"by_owner\", \"owners\": [\"alic\"]", 0);
	expect("\"filter_by\": \"by_owner\", \"owners\": [\"alice\", \"carol\"]", 28);
}

Test(filter, ci_provider_selects_one_provider)
{
	expect("\"ci_provider\": \"github_actions\"", 28);
	expect("\"ci_provider\": \"travis\"", 14);
	expect("\"ci_provider\": \"circleci\"", 7);
	expect("\"ci_provider\": \"local\"", 0);
	expect("\"ci_provider\": \"all\"", 49);
}

Test(filter, source_ids_keep_the_builds_those_sources_found)
{
	expect("\"source_ids\": [1]", 12);
	expect("\"source_ids\": [2]", 11);
	expect("\"source_ids\": [1, 2]", 22);
	expect("\"source_ids\": [3]", 0);
}

Test(filter, dates_are_inclusive_whole_days_in_utc)
{
	/* Runs 2..5: Jan 3 00:00:00 .. Jan 6 23:59:59. */
	expect("\"date_start\": \"2023-01-03\", \"date_end\": \"2023-01-06\"", 14);
	/* One day: run 1 at 23:59:59. */
	expect("\"date_start\": \"2023-01-02\", \"date_end\": \"2023-01-02\"", 7);
	/* The day before run 2's midnight keeps runs 0 and 1 only. */
	expect("\"date_end\": \"2023-01-02\"", 14);
	expect("\"date_start\": \"2023-01-11\"", 7);
	expect("\"date_start\": \"2023-01-12\"", 0);
	expect("\"date_start\": null, \"date_end\": null", 49);
}

/* ---- combinations ---- */

Test(filter, filters_combine_with_and)
{
	/* alice at github_actions (R0, R1), failures of Jan 1-8 (runs 1, 4; run 7 is a bot). */
	expect("\"filter_by\": \"by_owner\", \"owners\": [\"alice\"], \"ci_provider\": \"github_actions\","
	       " \"conclusions\": [\"failure\"], \"date_start\": \"2023-01-01\", \"date_end\": \"2023-01-08\"",
	       4);
	expect("\"filter_by\": \"by_owner\", \"owners\": [\"alice\"], \"ci_provider\": \"github_actions\","
	       " \"conclusions\": [\"failure\"], \"date_start\": \"2023-01-01\", \"date_end\": \"2023-01-08\","
	       " \"exclude_bots\": false",
	       6);
	/* Python repositories of source 2: R0's runs 4, 6, 8, 10 (R4 has no language). */
	expect("\"filter_by\": \"by_language\", \"languages\": [\"python\"], \"source_ids\": [2]", 4);
	expect("\"filter_by\": \"by_name\", \"repo_names\": [\"alice/alpha\"], \"ci_provider\": \"travis\","
	       " \"conclusions\": [\"success\"]",
	       4);
}

/* ---- the preview's other numbers ---- */

Test(filter, preview_reports_repositories_outcomes_and_the_date_span)
{
	json_t *doc = config("");
	json_t *pv = NULL;
	cr_assert_eq(preview_total(doc, &pv), 49);
	/* alice/alpha exists at two providers: two repositories, as ingestion sees them. */
	cr_assert_eq(core_json_int(pv, "repositories", -1), 7);
	cr_assert_eq(core_json_int(pv, "success", -1), 28);
	cr_assert_eq(core_json_int(pv, "failure", -1), 21);
	cr_assert_float_eq(core_json_real(pv, "success_pct", -1), 100.0 * 28 / 49, 1e-9);
	cr_assert_float_eq(core_json_real(pv, "failure_pct", -1), 100.0 * 21 / 49, 1e-9);
	cr_assert_str_eq(core_json_str(pv, "date_start", ""), "2023-01-01");
	cr_assert_str_eq(core_json_str(pv, "date_end", ""), "2023-01-11");
	json_t *per = json_object_get(pv, "per_repository");
	cr_assert_eq(json_array_size(per), 7);
	int64_t sum = 0;
	size_t i;
	json_t *it;
	json_array_foreach(per, i, it) {
		cr_assert_eq(core_json_int(it, "builds", -1), 7, "%s", core_json_str(it, "repo_name", "?"));
		cr_assert_eq(core_json_int(it, "success", -1), 4);
		cr_assert_eq(core_json_int(it, "failure", -1), 3);
		sum += core_json_int(it, "builds", 0);
	}
	cr_assert_eq(sum, 49);
	int alpha = 0;
	json_array_foreach(per, i, it) {
		if (strcmp(core_json_str(it, "repo_name", ""), "alice/alpha") == 0)
			alpha |= strcmp(core_json_str(it, "ci_provider", ""), "github_actions") == 0 ? 1
				 : strcmp(core_json_str(it, "ci_provider", ""), "travis") == 0	   ? 2
													   : 4;
	}
	cr_assert_eq(alpha, 3, "alice/alpha appears once per provider");
	json_decref(pv);

	/* Nothing matches: zeros and no dates. */
	json_t *none = config("\"filter_by\": \"by_name\", \"repo_names\": [\"nobody/none\"]");
	cr_assert_eq(preview_total(none, &pv), 0);
	cr_assert_eq(core_json_int(pv, "repositories", -1), 0);
	cr_assert_float_eq(core_json_real(pv, "success_pct", -1), 0.0, 1e-12);
	cr_assert(json_is_null(json_object_get(pv, "date_start")));
	json_decref(pv);
	json_decref(none);
	json_decref(doc);
	/* A preview creates nothing. */
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_scenarios"), 0);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs"), 0);
}

/* ---- a matrix of combinations against an oracle ---- */

static int ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

struct combo {
	int by;          /* 0 all, 1 language python+go, 2 name alice/alpha+Bob/gamma, 3 owner alice+carol */
	int prov;        /* 0 all, 1 github_actions, 2 travis, 3 circleci */
	int concl;       /* 0 both, 1 success, 2 failure */
	int bots;        /* exclude_bots */
	int dates;       /* 0 none, 1 Jan 3-6, 2 from Jan 8 */
	int sources;     /* 0 none, 1 [1], 2 [2], 3 [1, 2] */
};

static int oracle(const struct combo *c)
{
	static const char *const provs[] = { NULL, "github_actions", "travis", "circleci" };
	int n = 0;
	for (int r = 0; r < NREPO; r++) {
		const char *lang = repos[r].lang ? repos[r].lang : "";
		char owner[64];
		snprintf(owner, sizeof(owner), "%.*s", (int)(strchr(repos[r].name, '/') - repos[r].name), repos[r].name);
		if (c->by == 1 && !ieq(lang, "python") && !ieq(lang, "go"))
			continue;
		if (c->by == 2 && !ieq(repos[r].name, "alice/alpha") && !ieq(repos[r].name, "bob/gamma"))
			continue;
		if (c->by == 3 && !ieq(owner, "alice") && !ieq(owner, "carol"))
			continue;
		if (c->prov && strcmp(repos[r].prov, provs[c->prov]) != 0)
			continue;
		for (int i = 0; i < NRUN; i++) {
			const char *k = concl[i % 6];
			if (!k || (strcmp(k, "success") != 0 && strcmp(k, "failure") != 0))
				continue;
			if (c->concl == 1 && strcmp(k, "success") != 0)
				continue;
			if (c->concl == 2 && strcmp(k, "failure") != 0)
				continue;
			if (c->bots && run_bot(i))
				continue;
			int day = i + 1; /* January day of run i */
			if (c->dates == 1 && (day < 3 || day > 6))
				continue;
			if (c->dates == 2 && day < 8)
				continue;
			if (c->sources && !(run_sources(r, i) & c->sources))
				continue;
			n++;
		}
	}
	return n;
}

static char *combo_json(const struct combo *c)
{
	static const char *const by[] = {
		"\"filter_by\": \"all\"",
		"\"filter_by\": \"by_language\", \"languages\": [\"python\", \"GO\"]",
		"\"filter_by\": \"by_name\", \"repo_names\": [\"alice/alpha\", \"BOB/GAMMA\"]",
		"\"filter_by\": \"by_owner\", \"owners\": [\"Alice\", \"carol\"]",
	};
	static const char *const provs[] = { "all", "github_actions", "travis", "circleci" };
	static const char *const concls[] = { "[\"success\", \"failure\"]", "[\"success\"]", "[\"failure\"]" };
	static const char *const dates[] = { "\"date_start\": null", "\"date_start\": \"2023-01-03\", \"date_end\": \"2023-01-06\"",
					     "\"date_start\": \"2023-01-08\"" };
	static const char *const sources[] = { "[]", "[1]", "[2]", "[1, 2]" };
	return xasprintf("%s, \"ci_provider\": \"%s\", \"conclusions\": %s, \"exclude_bots\": %s, %s, \"source_ids\": %s",
			 by[c->by], provs[c->prov], concls[c->concl], c->bots ? "true" : "false", dates[c->dates],
			 sources[c->sources]);
}

Test(filter, every_combination_of_filters_counts_what_the_oracle_counts)
{
	int checked = 0, nonzero = 0;
	struct combo c;
	for (c.by = 0; c.by < 4; c.by++)
		for (c.prov = 0; c.prov < 4; c.prov++)
			for (c.concl = 0; c.concl < 3; c.concl++)
				for (c.bots = 0; c.bots < 2; c.bots++)
					for (c.dates = 0; c.dates < 3; c.dates++)
						for (c.sources = 0; c.sources < 4; c.sources++) {
							char *ds = combo_json(&c);
							json_t *doc = config(ds);
							int64_t got = preview_total(doc, NULL), want = oracle(&c);
							cr_assert_eq(got, want, "{%s}: %lld builds, the oracle says %lld", ds,
								     (long long)got, (long long)want);
							json_decref(doc);
							free(ds);
							checked++;
							nonzero += want > 0;
						}
	cr_assert_eq(checked, 4 * 4 * 3 * 2 * 3 * 4);
	cr_assert_gt(nonzero, checked / 4, "the matrix should mostly select something (%d of %d)", nonzero, checked);
}

/* ---- ingestion builds and retries ---- */

Test(filter, ingestion_builds_carry_repository_commit_and_start_time)
{
	json_t *doc = config("\"filter_by\": \"by_name\", \"repo_names\": [\"alice/beta\"]");
	int64_t id = 0;
	cr_assert_eq(ingest_total(doc, &id, NULL), 7);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds b JOIN raw_build_runs r ON r.id = b.raw_run_id"
			       " WHERE b.scenario_id = %lld AND b.raw_repo_id = r.raw_repo_id AND b.commit_sha = r.commit_sha"
			       " AND b.started_at = COALESCE(r.started_at, r.created_at) AND b.status = 'pending'",
			    (long long)id),
		     7);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'ingest_repo' AND state = 'queued'"), 1,
		     "one ingestion job per repository");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'ingest_finish' AND state = 'waiting'"), 1);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM events WHERE scenario_id = %lld AND kind = 'SCENARIO_UPDATE'",
			    (long long)id) >= 2,
		     1, "filtering and ingesting emit progress events");
	json_decref(doc);
}

Test(filter, a_default_scenario_queues_one_job_per_repository)
{
	json_t *doc = config("");
	cr_assert_eq(ingest_total(doc, NULL, NULL), 49);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'ingest_repo'"), NREPO);
	json_decref(doc);
}

Test(filter, a_scenario_matching_nothing_fails_with_its_reason)
{
	json_t *doc = config("\"filter_by\": \"by_owner\", \"owners\": [\"nobody\"]");
	int rc = 0;
	int64_t id = 0;
	cr_assert_eq(ingest_total(doc, &id, &rc), 0);
	cr_assert_eq(rc, ERR_PERMANENT);
	char *st = pt_text(s, "SELECT status FROM training_scenarios WHERE id = %lld", (long long)id);
	char *msg = pt_text(s, "SELECT error_message FROM training_scenarios WHERE id = %lld", (long long)id);
	cr_assert_str_eq(st, "failed");
	cr_assert(msg && strstr(msg, "no build of the warehouse matches"), "%s", msg ? msg : "(null)");
	free(st);
	free(msg);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs"), 0, "nothing is queued for an empty scenario");
	json_decref(doc);
}

Test(filter, restarting_a_failed_ingestion_never_duplicates_its_builds)
{
	json_t *doc = config("\"ci_provider\": \"github_actions\"");
	int64_t id = 0;
	cr_assert_eq(ingest_total(doc, &id, NULL), 28);
	struct err e = ERR_INIT;
	/* A second start while ingesting is refused. */
	cr_assert_eq(scenario_ingest_start(s, id, &e), ERR_CONFLICT);
	/* The phase fails; a new start filters again into the same rows. */
	cr_assert_eq(store_begin(s, &e), 0);
	cr_assert_eq(scenarios_fail(s, id, "worker lost", &e), 0, "%s", e.msg);
	cr_assert_eq(store_commit(s, &e), 0);
	pt_exec(s, "UPDATE training_ingestion_builds SET status = 'ingested' WHERE scenario_id = %lld AND id %% 2 = 0",
		(long long)id);
	pt_exec(s, "UPDATE training_ingestion_builds SET status = 'failed' WHERE scenario_id = %lld AND id %% 2 = 1",
		(long long)id);
	int64_t ingested = pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = %lld AND status = 'ingested'",
				  (long long)id);
	cr_assert_eq(scenario_ingest_start(s, id, &e), 0, "%s", e.msg);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = %lld", (long long)id), 28);
	cr_assert_eq(pt_int(s, "SELECT builds_total FROM training_scenarios WHERE id = %lld", (long long)id), 28);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = %lld AND status = 'ingested'",
			    (long long)id),
		     ingested, "builds already ingested stay ingested");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = %lld AND status = 'pending'",
			    (long long)id),
		     28 - ingested, "failed builds are pending again");

	/* retry-ingestion of an ingested scenario with failed builds: the same rows again. */
	pt_exec(s, "UPDATE training_ingestion_builds SET status = 'failed' WHERE scenario_id = %lld AND status = 'pending'",
		(long long)id);
	pt_exec(s, "UPDATE training_scenarios SET status = 'ingested' WHERE id = %lld", (long long)id);
	cr_assert_eq(scenario_retry_ingestion(s, id, &e), 0, "%s", e.msg);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = %lld", (long long)id), 28);
	cr_assert_eq(pt_int(s, "SELECT builds_failed FROM training_scenarios WHERE id = %lld", (long long)id), 0);
	char *st = pt_text(s, "SELECT status FROM training_scenarios WHERE id = %lld", (long long)id);
	cr_assert_str_eq(st, "ingesting");
	free(st);
	/* Nothing failed any more: a second retry has nothing to do. */
	pt_exec(s, "UPDATE training_ingestion_builds SET status = 'ingested' WHERE scenario_id = %lld", (long long)id);
	pt_exec(s, "UPDATE training_scenarios SET status = 'ingested' WHERE id = %lld", (long long)id);
	cr_assert_eq(scenario_retry_ingestion(s, id, &e), ERR_CONFLICT);
	cr_assert(strstr(e.msg, "no failed ingestion build"), "%s", e.msg);
	json_decref(doc);
}

Test(filter, two_scenarios_over_the_same_builds_each_get_their_own_rows)
{
	json_t *doc = config("");
	int64_t a = 0, b = 0;
	cr_assert_eq(ingest_total(doc, &a, NULL), 49);
	cr_assert_eq(ingest_total(doc, &b, NULL), 49);
	cr_assert_neq(a, b);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds"), 98);
	/* Deleting one scenario keeps the warehouse and the other scenario. */
	char *data = ts_tempdir("filter-data");
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_delete(s, data, a, &e), 0, "%s", e.msg);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds"), 49);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs"), NREPO * NRUN);
	free(data);
	json_decref(doc);
}

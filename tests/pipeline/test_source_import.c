/* CIMINER_TEST_BOTH_DRIVERS
 * CSV import of build sources (src/pipeline/source_import.c) on SQLite and
 * PostgreSQL: RFC 4180 quoting, embedded commas and newlines, CRLF, a UTF-8
 * byte-order mark, header guessing for every alias, --map, the provider
 * column, row hygiene (invalid rows with their row number and reason),
 * duplicates, refused files that leave nothing behind, and the exact stats.
 */
#include "ptest.h"
#include "core/buf.h"
#include "core/json.h"
#include "pipeline/source.h"
#include "store/sources.h"
#include <jansson.h>

static struct store *s;
static char *dir;

static void setup(void)
{
	s = pt_open(NULL);
	dir = ts_tempdir("import");
}

static void teardown(void)
{
	if (s)
		store_close(s);
	free(dir);
}

TestSuite(source_import, .init = setup, .fini = teardown);

/* Imports content (len 0: strlen) as file name with the given options; returns the code. */
static int import_text(const char *name, const char *content, size_t len, struct source_import_opts *o,
		       struct source_import_result *res, struct err *e)
{
	struct source_import_opts dflt = { 0 };
	if (!o)
		o = &dflt;
	char *path = pt_write(dir, name, content, len);
	o->path = path;
	memset(res, 0, sizeof(*res));
	int rc = source_import(s, o, res, e);
	o->path = NULL;
	free(path);
	return rc;
}

static void import_ok(const char *name, const char *content, struct source_import_opts *o,
		      struct source_import_result *res)
{
	struct err e = ERR_INIT;
	int rc = import_text(name, content, 0, o, res, &e);
	cr_assert_eq(rc, 0, "%s: import failed: %s", name, e.msg);
	cr_assert_gt(res->source_id, 0);
}

/* Status and reason of the source row at CSV row line (caller frees reason). */
static char *row_field(int64_t src, int64_t line, const char *col)
{
	return pt_text(s, "SELECT %s FROM source_builds WHERE source_id = %lld AND line_no = %lld", col, (long long)src,
		       (long long)line);
}

static void assert_row(int64_t src, int64_t line, const char *status, const char *repo, const char *build)
{
	char *st = row_field(src, line, "status");
	char *r = row_field(src, line, "repo_name_from_source");
	char *b = row_field(src, line, "build_id_from_source");
	cr_assert_str_eq(st, status, "row %lld: status %s, want %s", (long long)line, st, status);
	cr_assert_str_eq(r, repo, "row %lld: repo '%s', want '%s'", (long long)line, r, repo);
	cr_assert_str_eq(b, build, "row %lld: build '%s', want '%s'", (long long)line, b, build);
	free(st);
	free(r);
	free(b);
}

static void assert_reason(int64_t src, int64_t line, const char *needle)
{
	char *st = row_field(src, line, "status");
	char *why = row_field(src, line, "reason");
	cr_assert_str_eq(st, "invalid", "row %lld should be invalid, is %s", (long long)line, st);
	cr_assert(why && strstr(why, needle), "row %lld: reason '%s' lacks '%s'", (long long)line, why ? why : "(null)",
		  needle);
	free(st);
	free(why);
}

static json_t *source_json(int64_t src, const char *col)
{
	char *txt = pt_text(s, "SELECT %s FROM build_sources WHERE id = %lld", col, (long long)src);
	json_t *j = json_loads(txt, 0, NULL);
	cr_assert_not_null(j, "%s is not JSON: %s", col, txt);
	free(txt);
	return j;
}

static void assert_mapped(int64_t src, const char *build, const char *repo, const char *prov)
{
	json_t *m = source_json(src, "mapped_fields");
	cr_assert_str_eq(core_json_str(m, "build_id", "(none)"), build);
	cr_assert_str_eq(core_json_str(m, "repo_name", "(none)"), repo);
	if (prov)
		cr_assert_str_eq(core_json_str(m, "ci_provider", "(none)"), prov);
	else
		cr_assert(json_is_null(json_object_get(m, "ci_provider")), "no provider column was expected");
	json_decref(m);
}

static void assert_nothing_stored(void)
{
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM build_sources"), 0, "a refused file left a build source");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM source_builds"), 0, "a refused file left source rows");
}

static void refused(const char *name, const char *content, size_t len, struct source_import_opts *o,
		    const char *needle)
{
	struct source_import_result res;
	struct err e = ERR_INIT;
	int rc = import_text(name, content, len, o, &res, &e);
	cr_assert_eq(rc, ERR_INPUT, "%s: rc %d (%s), want ERR_INPUT", name, rc, e.msg);
	cr_assert(strstr(e.msg, needle), "%s: message '%s' lacks '%s'", name, e.msg, needle);
	cr_assert(!strchr(e.msg, '\n'), "%s: the message is not one line: %s", name, e.msg);
	assert_nothing_stored();
}

/* ---- RFC 4180 ---- */

Test(source_import, reads_quoted_fields_with_commas_quotes_and_newlines)
{
	struct source_import_result r;
	import_ok("quoted.csv",
		  "build_id,repo_name,note\n"
		  "\"101\",\"acme/widget\",\"plain, with a comma\"\n"
		  "102,acme/widget,\"two\nlines, and \"\"quotes\"\"\"\n"
		  "\"103\",\"acme/gadget\",x\n",
		  NULL, &r);
	cr_assert_eq(r.rows, 3);
	cr_assert_eq(r.accepted, 3);
	cr_assert_eq(r.invalid, 0);
	cr_assert_eq(r.duplicates, 0);
	assert_row(r.source_id, 2, "pending", "acme/widget", "101");
	assert_row(r.source_id, 3, "pending", "acme/widget", "102");
	/* Rows are identified by their physical line: the quoted newline moves the next record to line 5. */
	assert_row(r.source_id, 5, "pending", "acme/gadget", "103");
	json_t *pv = source_json(r.source_id, "preview");
	json_t *row2 = json_array_get(json_object_get(pv, "rows"), 1);
	cr_assert_str_eq(json_string_value(json_array_get(row2, 2)), "two\nlines, and \"quotes\"");
	cr_assert_eq(json_array_size(json_object_get(pv, "columns")), 3);
	json_decref(pv);
}

Test(source_import, strips_crlf_line_ends)
{
	struct source_import_result r;
	import_ok("crlf.csv", "build_id,repo\r\n1,a/b\r\n2,a/b\r\n\"3\",\"c/d\"\r\n", NULL, &r);
	cr_assert_eq(r.rows, 3);
	cr_assert_eq(r.accepted, 3);
	assert_row(r.source_id, 2, "pending", "a/b", "1");
	assert_row(r.source_id, 3, "pending", "a/b", "2");
	assert_row(r.source_id, 4, "pending", "c/d", "3");
	/* assert_row compares exactly: no carriage return was kept in a value. */
	assert_mapped(r.source_id, "build_id", "repo", NULL);
}

Test(source_import, skips_a_utf8_byte_order_mark_before_the_header)
{
	struct source_import_result r;
	import_ok("bom.csv", "\xEF\xBB\xBF" "build_id,repo\r\n7,o/r\r\n", NULL, &r);
	cr_assert_eq(r.accepted, 1);
	assert_mapped(r.source_id, "build_id", "repo", NULL);
	assert_row(r.source_id, 2, "pending", "o/r", "7");
}

Test(source_import, skips_a_byte_order_mark_before_a_quoted_header)
{
	/* What spreadsheet programs write for "CSV UTF-8" with quoted headers. */
	struct source_import_result r;
	struct err e = ERR_INIT;
	int rc = import_text("bomq.csv", "\xEF\xBB\xBF\"build_id\",\"repo\"\r\n8,o/r\r\n", 0, NULL, &r, &e);
	cr_assert_eq(rc, 0, "a BOM before a quoted header was refused: %s", e.msg);
	assert_mapped(r.source_id, "build_id", "repo", NULL);
	assert_row(r.source_id, 2, "pending", "o/r", "8");
}

Test(source_import, skips_blank_lines_and_accepts_a_last_line_without_newline)
{
	struct source_import_result r;
	import_ok("blank.csv", "build_id,repo\n\n1,a/b\n\n\n2,a/b", NULL, &r);
	cr_assert_eq(r.rows, 2);
	cr_assert_eq(r.accepted, 2);
	/* Physical lines: blank lines count. */
	assert_row(r.source_id, 3, "pending", "a/b", "1");
	assert_row(r.source_id, 6, "pending", "a/b", "2");
}

Test(source_import, trims_spaces_around_values)
{
	struct source_import_result r;
	import_ok("spaces.csv", "build_id , repo\n  11 ,  a/b  \n", NULL, &r);
	cr_assert_eq(r.accepted, 1);
	assert_row(r.source_id, 2, "pending", "a/b", "11");
}

/* ---- header guessing and --map ---- */

Test(source_import, guesses_every_build_id_and_repository_alias_case_insensitively)
{
	static const char *const builds[] = { "build_id", "Build ID", "ID", "ci_run_id", "Run_Id", "TR_BUILD_ID" };
	static const char *const repos[] = { "REPO", "Repository", "repo_name", "Full_Name", "project", "GH_Project_Name" };
	for (size_t i = 0; i < 6; i++) {
		for (size_t k = 0; k < 6; k++) {
			char csv[256], name[32];
			/* An unrelated column first, so the guess is by name, not position. */
			snprintf(csv, sizeof(csv), "comment,%s,%s\nhello,owner%zu/repo,%zu\n", repos[k], builds[i], k, i + 1);
			snprintf(name, sizeof(name), "alias-%zu-%zu.csv", i, k);
			struct source_import_result r;
			import_ok(name, csv, NULL, &r);
			cr_assert_eq(r.accepted, 1, "%s + %s: %lld accepted", builds[i], repos[k], (long long)r.accepted);
			assert_mapped(r.source_id, builds[i], repos[k], NULL);
			char want_b[8], want_r[32];
			snprintf(want_b, sizeof(want_b), "%zu", i + 1);
			snprintf(want_r, sizeof(want_r), "owner%zu/repo", k);
			assert_row(r.source_id, 2, "pending", want_r, want_b);
		}
	}
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM build_sources"), 36);
}

Test(source_import, guesses_the_provider_column)
{
	static const char *const provs[] = { "ci_provider", "Provider", "CI" };
	for (size_t i = 0; i < 3; i++) {
		char csv[128], name[32];
		snprintf(csv, sizeof(csv), "repo,id,%s\na/b,5,travis\n", provs[i]);
		snprintf(name, sizeof(name), "prov-%zu.csv", i);
		struct source_import_result r;
		import_ok(name, csv, NULL, &r);
		assert_mapped(r.source_id, "id", "repo", provs[i]);
		char *p = row_field(r.source_id, 2, "ci_provider");
		cr_assert_str_eq(p, "travis");
		free(p);
	}
}

Test(source_import, map_names_columns_the_header_would_not_guess)
{
	struct source_import_opts o = { .map_build_id = "the run", .map_repo_name = "slug", .map_ci_provider = "where" };
	struct source_import_result r;
	/* "id" and "repo" are present too: --map wins over the guess. */
	import_ok("map.csv", "id,repo,slug,the run,where\n1,x/y,acme/widget,42,travis\n", &o, &r);
	assert_mapped(r.source_id, "the run", "slug", "where");
	assert_row(r.source_id, 2, "pending", "acme/widget", "42");
	char *p = row_field(r.source_id, 2, "ci_provider");
	cr_assert_str_eq(p, "travis");
	free(p);
}

Test(source_import, map_of_a_column_that_is_absent_is_refused_naming_the_columns)
{
	struct source_import_opts o = { .map_build_id = "run" };
	refused("map-missing.csv", "build_id,repo\n1,a/b\n", 0, &o, "(build_id, repo)");
	struct source_import_opts o2 = { .map_repo_name = "slug" };
	refused("map-missing2.csv", "build_id,repo\n1,a/b\n", 0, &o2, "--map repo_name=COLUMN");
}

/* ---- providers ---- */

Test(source_import, provider_column_decides_each_rows_provider_and_id_form)
{
	struct source_import_result r;
	import_ok("providers.csv",
		  "build_id,repo_name,ci_provider\n"
		  "100,a/b,github_actions\n"                          /* 2 */
		  "6f1c2e3a-0b4d-4c5e-8f90-a1b2c3d4e5f6,a/b,circleci\n" /* 3 */
		  "200,a/b,travis\n"                                  /* 4 */
		  "300,a/b,\n"                                        /* 5: empty -> the default */
		  "400,a/b,jenkins\n"                                 /* 6: unknown */
		  "500,a/b,circleci\n"                                /* 7: not a UUID */
		  "6f1c2e3a-0b4d-4c5e-8f90-a1b2c3d4e5f6,a/b,travis\n" /* 8: not a number */
		  "6F1C2E3A-0B4D-4C5E-8F90-A1B2C3D4E5F7,a/b,circleci\n", /* 9: upper-case hex is a UUID */
		  NULL, &r);
	cr_assert_eq(r.rows, 8);
	cr_assert_eq(r.accepted, 5);
	cr_assert_eq(r.invalid, 3);
	static const char *const want[] = { "github_actions", "circleci", "travis", "github_actions" };
	for (int i = 0; i < 4; i++) {
		char *p = row_field(r.source_id, 2 + i, "ci_provider");
		cr_assert_str_eq(p, want[i], "row %d", 2 + i);
		free(p);
	}
	assert_reason(r.source_id, 6, "unknown provider 'jenkins'");
	assert_reason(r.source_id, 7, "not a circleci id (a pipeline UUID)");
	assert_reason(r.source_id, 8, "not a travis id");
	char *st = row_field(r.source_id, 9, "status");
	cr_assert_str_eq(st, "pending");
	free(st);
}

Test(source_import, one_provider_for_the_whole_file)
{
	struct source_import_opts o = { .provider = "circleci" };
	struct source_import_result r;
	import_ok("circle.csv", "build_id,repo\n6f1c2e3a-0b4d-4c5e-8f90-a1b2c3d4e5f6,a/b\n123,a/b\n", &o, &r);
	cr_assert_eq(r.accepted, 1);
	cr_assert_eq(r.invalid, 1);
	assert_reason(r.source_id, 3, "pipeline UUID");
	char *p = pt_text(s, "SELECT ci_provider FROM build_sources WHERE id = %lld", (long long)r.source_id);
	cr_assert_str_eq(p, "circleci");
	free(p);
}

Test(source_import, unknown_default_provider_is_a_usage_error)
{
	struct source_import_opts o = { .provider = "jenkins" };
	struct source_import_result r;
	struct err e = ERR_INIT;
	cr_assert_eq(import_text("x.csv", "build_id,repo\n1,a/b\n", 0, &o, &r, &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "'jenkins'"), "%s", e.msg);
	assert_nothing_stored();
}

/* ---- row hygiene ---- */

Test(source_import, invalid_rows_are_kept_with_their_row_number_and_reason)
{
	struct source_import_result r;
	import_ok("invalid.csv",
		  "build_id,repo\n"
		  ",a/b\n"                 /* 2 empty id */
		  "  ,a/b\n"               /* 3 blank id */
		  "5,noslash\n"            /* 4 */
		  "6,a/b/c\n"              /* 5 */
		  "7,-lead/x\n"            /* 6 */
		  "8,o/na me\n"            /* 7 */
		  "9,\n"                   /* 8 empty repository */
		  "abc,a/b\n"              /* 9 not a number */
		  "0123,a/b\n"             /* 10 leading zero */
		  "-5,a/b\n"               /* 11 sign */
		  "99999999999999999999,a/b\n" /* 12 does not fit 64 bits */
		  "10\n"                   /* 13 short row: no repository */
		  "11,ok/fine\n",          /* 14 valid */
		  NULL, &r);
	cr_assert_eq(r.rows, 13);
	cr_assert_eq(r.invalid, 12);
	cr_assert_eq(r.accepted, 1);
	assert_reason(r.source_id, 2, "empty build id");
	assert_reason(r.source_id, 3, "empty build id");
	assert_reason(r.source_id, 4, "'noslash' is not owner/name");
	assert_reason(r.source_id, 5, "'a/b/c' is not owner/name");
	assert_reason(r.source_id, 6, "cannot start or end with '-'");
	assert_reason(r.source_id, 7, "character GitHub does not allow");
	assert_reason(r.source_id, 8, "repository '' is not owner/name");
	assert_reason(r.source_id, 9, "build id 'abc' is not a github_actions id");
	assert_reason(r.source_id, 10, "'0123'");
	assert_reason(r.source_id, 11, "'-5'");
	assert_reason(r.source_id, 12, "'99999999999999999999'");
	assert_reason(r.source_id, 13, "is not owner/name");
	assert_row(r.source_id, 14, "pending", "ok/fine", "11");
	cr_assert_eq(pt_int(s, "SELECT stat_invalid FROM build_sources WHERE id = %lld", (long long)r.source_id), 12);
}

Test(source_import, a_repeated_build_is_stored_once_and_counted_as_a_duplicate)
{
	struct source_import_result r;
	import_ok("dups.csv",
		  "build_id,repo,ci_provider\n"
		  "1,a/b,github_actions\n" /* 2 */
		  "1,a/b,github_actions\n" /* 3 duplicate */
		  " 1 , a/b ,\n"           /* 4 duplicate after trimming, default provider */
		  "1,a/c,github_actions\n" /* 5 other repository: not a duplicate */
		  "1,a/b,travis\n"         /* 6 other provider: not a duplicate */
		  "x,a/b,github_actions\n" /* 7 invalid */
		  "x,a/b,github_actions\n" /* 8 invalid again: invalid, not duplicate */
		  "2,a/b,github_actions\n" /* 9 */
		  "1,a/b,github_actions\n", /* 10 duplicate */
		  NULL, &r);
	cr_assert_eq(r.rows, 9);
	cr_assert_eq(r.accepted, 4);
	cr_assert_eq(r.duplicates, 3);
	cr_assert_eq(r.invalid, 2);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld", (long long)r.source_id), 6,
		     "accepted + invalid rows are stored, duplicates are not");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld AND build_id_from_source = '1'"
			       " AND repo_name_from_source = 'a/b' AND ci_provider = 'github_actions'",
			    (long long)r.source_id),
		     1);
	cr_assert_eq(pt_int(s, "SELECT stat_duplicates FROM build_sources WHERE id = %lld", (long long)r.source_id), 3);

	/* The same rows in a second source are that source's own, not duplicates. */
	struct source_import_result r2;
	import_ok("dups2.csv", "build_id,repo\n1,a/b\n", NULL, &r2);
	cr_assert_eq(r2.accepted, 1);
	cr_assert_eq(r2.duplicates, 0);
}

/* ---- refused files ---- */

Test(source_import, an_empty_file_is_refused)
{
	refused("empty.csv", "", 0, NULL, "is empty");
	refused("blank.csv", "\n\n\r\n", 0, NULL, "is empty");
}

Test(source_import, a_binary_file_is_refused)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
	refused("image.csv", png, sizeof(png) - 1, NULL, "binary");
}

Test(source_import, json_is_not_csv)
{
	refused("data.csv", "{\"build_id\": 1, \"repo\": \"a/b\"}\n", 0, NULL, "data.csv");
}

Test(source_import, an_unclosed_quote_is_refused_and_nothing_of_the_file_stays)
{
	refused("unclosed.csv", "build_id,repo\n1,a/b\n2,a/b\n3,\"a/b\n4,a/b\n", 0, NULL, "unclosed.csv");
}

Test(source_import, a_stray_quote_in_the_middle_is_refused_and_nothing_stays)
{
	refused("stray.csv", "build_id,repo\n1,a/b\n2,a\"b\"c/d\n3,a/b\n", 0, NULL, "not valid CSV");
}

Test(source_import, a_file_without_a_build_id_column_is_refused_naming_the_columns_found)
{
	refused("nobuild.csv", "job,repo,when\n1,a/b,today\n", 0, NULL, "no build-id column among the columns found (job, repo, when)");
}

Test(source_import, a_file_without_a_repository_column_is_refused_naming_the_columns_found)
{
	refused("norepo.csv", "build_id,owner\n1,a\n", 0, NULL, "no repository column among the columns found (build_id, owner)");
}

Test(source_import, a_file_without_a_header_is_refused)
{
	/* The first record is data, so no column has a known name. */
	refused("noheader.csv", "12345,acme/widget\n12346,acme/widget\n", 0, NULL, "(12345, acme/widget)");
}

Test(source_import, a_semicolon_separated_file_is_refused_naming_its_one_column)
{
	refused("semi.csv", "build_id;repo\n1;a/b\n", 0, NULL, "(build_id;repo)");
}

Test(source_import, a_giant_field_is_refused)
{
	size_t n = 70 * 1024;
	char *big = xmalloc(n + 64);
	memcpy(big, "build_id,repo\n1,", 16);
	memset(big + 16, 'a', n);
	memcpy(big + 16 + n, "\n", 2);
	refused("giant.csv", big, 0, NULL, "is this really a CSV file?");
	free(big);
}

Test(source_import, a_missing_file_is_refused)
{
	struct source_import_opts o = { 0 };
	char *path = xasprintf("%s/nope.csv", dir);
	o.path = path;
	struct source_import_result r;
	struct err e = ERR_INIT;
	cr_assert_eq(source_import(s, &o, &r, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "nope.csv"), "%s", e.msg);
	free(path);
	assert_nothing_stored();
}

Test(source_import, a_header_alone_is_refused_like_an_empty_file)
{
	/* Issue 20: a header without rows used to make an empty source while an empty file was refused. */
	refused("header.csv", "build_id,repo_name\r\n", 0, NULL, "has a header but no rows");
}

Test(source_import, a_column_named_twice_is_refused_naming_it_and_both_positions)
{
	refused("twice.csv", "build_id,repo,build_id\n1,a/b,2\n", 0, NULL,
		"column 'build_id' appears twice in the header (columns 1 and 3)");
}

Test(source_import, non_utf8_bytes_are_refused_naming_the_line_and_byte_offset)
{
	/* A Latin-1 name (0xE9 = e acute) would be stored as is and vanish from JSON output. */
	refused("latin1.csv", "build_id,repo\n1,a/b\n2,caf\xe9/x\n", 0, NULL, "line 3 is not UTF-8 (byte 0xE9 at byte offset 25)");
	refused("overlong.csv", "build_id,repo\n1,a\xc0\xaf/b\n", 0, NULL, "line 2 is not UTF-8");
	refused("cut.csv", "build_id,repo\n1,a/b\xc3", 0, NULL, "ends inside a character");
	struct source_import_result r;
	import_ok("utf8.csv", "build_id,repo\n1,caf\xc3\xa9/x\n", NULL, &r);
	cr_expect_eq(r.rows, 1);
}

Test(source_import, cr_only_line_ends_give_each_row_its_own_line)
{
	struct source_import_result r;
	import_ok("mac.csv", "build_id,repo\r1,a/b\r2,a/c\r\r3,a/d\r", NULL, &r);
	cr_assert_eq(r.rows, 3);
	assert_row(r.source_id, 2, "pending", "a/b", "1");
	assert_row(r.source_id, 3, "pending", "a/c", "2");
	assert_row(r.source_id, 5, "pending", "a/d", "3");
}

/* ---- the source row ---- */

Test(source_import, records_name_file_mapping_preview_and_exact_stats)
{
	struct source_import_opts o = { .name = "paper replication", .description = "from the replication package" };
	struct buf csv = BUF_INIT;
	buf_addstr(&csv, "tr_build_id,gh_project_name,extra\n");
	for (int i = 1; i <= 40; i++)
		buf_addf(&csv, "%d,owner%d/repo,e%d\n", 1000 + i, i % 3, i);
	buf_addstr(&csv, "1001,owner1/repo,again\n"); /* duplicate of row 2 */
	buf_addstr(&csv, "1002,owner2/repo,again\n"); /* duplicate of row 3 */
	buf_addstr(&csv, ",owner2/repo,no id\n");    /* invalid */
	struct source_import_result r;
	import_ok("builds.csv", buf_cstr(&csv), &o, &r);
	buf_release(&csv);
	cr_assert_eq(r.rows, 43);
	cr_assert_eq(r.accepted, 40);
	cr_assert_eq(r.duplicates, 2);
	cr_assert_eq(r.invalid, 1);
	int64_t id = r.source_id;
	char *name = pt_text(s, "SELECT name FROM build_sources WHERE id = %lld", (long long)id);
	char *desc = pt_text(s, "SELECT description FROM build_sources WHERE id = %lld", (long long)id);
	char *file = pt_text(s, "SELECT file_name FROM build_sources WHERE id = %lld", (long long)id);
	char *status = pt_text(s, "SELECT validation_status FROM build_sources WHERE id = %lld", (long long)id);
	cr_assert_str_eq(name, "paper replication");
	cr_assert_str_eq(desc, "from the replication package");
	cr_assert_str_eq(file, "builds.csv");
	cr_assert_str_eq(status, "pending");
	free(name);
	free(desc);
	free(file);
	free(status);
	cr_assert_eq(pt_int(s, "SELECT rows FROM build_sources WHERE id = %lld", (long long)id), 43);
	cr_assert_eq(pt_int(s, "SELECT stat_total FROM build_sources WHERE id = %lld", (long long)id), 43);
	cr_assert_eq(pt_int(s, "SELECT stat_invalid FROM build_sources WHERE id = %lld", (long long)id), 1);
	cr_assert_eq(pt_int(s, "SELECT stat_duplicates FROM build_sources WHERE id = %lld", (long long)id), 2);
	cr_assert_eq(pt_int(s, "SELECT stat_found + stat_not_found + stat_filtered FROM build_sources WHERE id = %lld",
			    (long long)id),
		     0);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld AND status = 'pending'",
			    (long long)id),
		     40);
	assert_mapped(id, "tr_build_id", "gh_project_name", NULL);
	json_t *pv = source_json(id, "preview");
	json_t *rows = json_object_get(pv, "rows");
	cr_assert_eq(json_array_size(rows), 5, "the preview keeps the first 5 rows");
	cr_assert_str_eq(json_string_value(json_array_get(json_array_get(rows, 0), 0)), "1001");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(pv, "columns"), 2)), "extra");
	json_decref(pv);

	/* Without a name the file's base name is the source's name. */
	struct source_import_result r2;
	import_ok("second.csv", "build_id,repo\n1,a/b\n", NULL, &r2);
	char *n2 = pt_text(s, "SELECT name FROM build_sources WHERE id = %lld", (long long)r2.source_id);
	cr_assert_str_eq(n2, "second.csv");
	free(n2);
}

Test(source_import, delete_removes_the_source_and_its_rows_only)
{
	struct source_import_result a, b;
	import_ok("a.csv", "build_id,repo\n1,a/b\n2,a/b\n", NULL, &a);
	import_ok("b.csv", "build_id,repo\n1,a/b\n", NULL, &b);
	struct err e = ERR_INIT;
	cr_assert_eq(sources_delete(s, a.source_id, &e), 0, "%s", e.msg);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld", (long long)a.source_id), 0);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld", (long long)b.source_id), 1);
	cr_assert_eq(sources_delete(s, a.source_id, &e), ERR_NOT_FOUND);
}

Test(source_import, counts_repository_names_differing_only_in_case_as_duplicates)
{
	/* GitHub names are case-insensitive: Acme/Widget and acme/widget are one repository. */
	struct source_import_result r;
	import_ok("case.csv", "build_id,repo_name,ci_provider\n5,Acme/Widget,github_actions\n5,acme/widget,GitHub_Actions\n",
		  NULL, &r);
	cr_assert_eq(r.accepted, 1);
	cr_assert_eq(r.duplicates, 1);
	cr_assert_eq(r.invalid, 0, "a provider value in another case is the same provider");
}

/* `ciminer source ...`: Phase 0, build sources and their validation. */
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/wait.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "pipeline/source.h"
#include "store/status.h"
#include "store/store.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: ciminer source import FILE.csv [--name N] [--description D] [--provider P]\n"
	"                             [--archive DIR] [--map build_id=COL] [--map repo_name=COL]\n"
	"                             [--map ci_provider=COL] [--wait]\n"
	"       ciminer source list\n"
	"       ciminer source show ID\n"
	"       ciminer source builds ID [--status pending|found|not_found|filtered|invalid] [--limit N]\n"
	"       ciminer source repos ID\n"
	"       ciminer source validate ID [--wait]\n"
	"       ciminer source delete ID\n"
	"\n"
	"A build source is an uploaded CSV of CI build ids and repositories (owner/name).\n"
	"Columns are guessed from the header (build_id, id, run_id, tr_build_id...;\n"
	"repo, repository, repo_name, full_name, gh_project_name...) unless --map names\n"
	"them. --provider is github_actions (default), circleci, travis or local (an\n"
	"archive folder given with --archive); a ci_provider column overrides it per row.\n"
	"Import stores the rows; validation looks every repository and build up at the\n"
	"provider and fills the warehouse. --wait runs validation here with a progress bar.\n";

static const char *const validation_queue[] = { "validation" };

static int progress_source(struct store *s, void *arg, int64_t *done, int64_t *total, struct err *e)
{
	int64_t id = *(int64_t *)arg;
	struct store_val p[] = { sv_int(id) };
	int rc = store_query_int(s, total, e, "SELECT COUNT(*) FROM source_builds WHERE source_id = ?", 1, p);
	if (rc == 0)
		rc = store_query_int(s, done, e,
				     "SELECT COUNT(*) FROM source_builds WHERE source_id = ? AND status <> 'pending'", 1, p);
	return rc;
}

static const struct out_col source_cols[] = {
	{ "id", 'i' }, { "name", 's' }, { "description", 's' }, { "file_name", 's' }, { "ci_provider", 's' },
	{ "archive_dir", 's' }, { "rows", 'i' }, { "validation_status", 's' }, { "total", 'i' }, { "found", 'i' },
	{ "not_found", 'i' }, { "filtered", 'i' }, { "invalid", 'i' }, { "duplicates", 'i' }, { "pending", 'i' },
	{ "mapped_fields", 'j' }, { "preview", 'j' }, { "progress", 's' }, { "error_message", 's' }, { "created_at", 't' },
	{ "validation_started_at", 't' }, { "validation_completed_at", 't' },
};
#define SOURCE_SELECT                                                                                              \
	"SELECT id, name, description, file_name, ci_provider, archive_dir, rows, validation_status, stat_total,"  \
	" stat_found, stat_not_found, stat_filtered, stat_invalid, stat_duplicates,"                               \
	" (SELECT COUNT(*) FROM source_builds b WHERE b.source_id = build_sources.id AND b.status = 'pending'),"   \
	" mapped_fields, preview, progress, error_message, created_at, validation_started_at, validation_completed_at"       \
	" FROM build_sources"

static json_t *load_source(struct store *s, int64_t id, struct err *e)
{
	struct store_cursor *c;
	struct store_val p[] = { sv_int(id) };
	if (store_query(s, &c, e, SOURCE_SELECT " WHERE id = ?", 1, p) < 0)
		return NULL;
	json_t *o = NULL;
	int rc = store_next(c, e);
	if (rc == 1)
		o = out_row_json(c, source_cols, sizeof(source_cols) / sizeof(source_cols[0]));
	else if (rc == 0)
		err_set(e, ERR_NOT_FOUND, "build source %lld does not exist; 'ciminer source list' shows them", (long long)id);
	store_cursor_free(c);
	return o;
}

static void print_summary(struct cli_ctx *ctx, json_t *src)
{
	if (ctx->json) {
		out_print_json(src);
		return;
	}
	printf("source %lld (%s): %s\n", (long long)json_integer_value(json_object_get(src, "id")),
	       json_string_value(json_object_get(src, "name")),
	       json_string_value(json_object_get(src, "validation_status")));
	printf("  total %lld  found %lld  not_found %lld  filtered %lld  invalid %lld  duplicates %lld  pending %lld\n",
	       (long long)json_integer_value(json_object_get(src, "total")),
	       (long long)json_integer_value(json_object_get(src, "found")),
	       (long long)json_integer_value(json_object_get(src, "not_found")),
	       (long long)json_integer_value(json_object_get(src, "filtered")),
	       (long long)json_integer_value(json_object_get(src, "invalid")),
	       (long long)json_integer_value(json_object_get(src, "duplicates")),
	       (long long)json_integer_value(json_object_get(src, "pending")));
	const char *msg = json_string_value(json_object_get(src, "error_message"));
	if (msg)
		printf("  %s\n", msg);
}

static int validate_and_wait(struct cli_ctx *ctx, struct store *s, int64_t id, int wait, struct err *e)
{
	int rc = source_validate_start(s, id, e);
	if (rc < 0 || !wait)
		return rc;
	struct cli_wait_spec w = { "validation", validation_queue, 1, progress_source, &id };
	return cli_wait(ctx, &w, e);
}

static int parse_map(struct source_import_opts *o, const char *arg, struct err *e)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1])
		return err_set(e, ERR_USAGE, "--map '%s' must be FIELD=COLUMN (build_id, repo_name or ci_provider)", arg);
	size_t n = (size_t)(eq - arg);
	if (n == 8 && strncmp(arg, "build_id", n) == 0)
		o->map_build_id = eq + 1;
	else if (n == 9 && strncmp(arg, "repo_name", n) == 0)
		o->map_repo_name = eq + 1;
	else if (n == 11 && strncmp(arg, "ci_provider", n) == 0)
		o->map_ci_provider = eq + 1;
	else
		return err_set(e, ERR_USAGE, "--map field '%.*s' is not build_id, repo_name or ci_provider", (int)n, arg);
	return 0;
}

static int cmd_import(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	static const struct option opts[] = { { "name", 1, 0, 'n' }, { "description", 1, 0, 'd' },
					      { "provider", 1, 0, 'p' }, { "archive", 1, 0, 'a' },
					      { "map", 1, 0, 'm' },      { "wait", 0, 0, 'w' },
					      { 0, 0, 0, 0 } };
	struct source_import_opts o = { 0 };
	int wait = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': o.name = optarg; break;
		case 'd': o.description = optarg; break;
		case 'p': o.provider = optarg; break;
		case 'a': o.archive_dir = optarg; break;
		case 'm':
			if (parse_map(&o, optarg, e) < 0)
				return ERR_USAGE;
			break;
		case 'w': wait = 1; break;
		default:
			return err_set(e, ERR_USAGE, "unknown option '%s' for source import; run 'ciminer source --help'",
				       argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return err_set(e, ERR_USAGE, "source import takes one CSV file; run 'ciminer source --help'");
	o.path = argv[optind];
	/* Checked before the database is opened: a refused file must not create the data dir or its database. */
	if (strcmp(o.path, "-") != 0 && (access(o.path, R_OK) != 0 || fs_is_dir(o.path)))
		return err_set(e, ERR_INPUT, "cannot read %s: %s", o.path,
			       fs_is_dir(o.path) ? "it is a folder, not a CSV file" : strerror(errno));
	char *abs_archive = NULL;
	if (o.archive_dir) {
		abs_archive = realpath(o.archive_dir, NULL);
		if (!abs_archive)
			return err_set(e, ERR_USAGE, "--archive '%s' is not a folder that exists", o.archive_dir);
		o.archive_dir = abs_archive;
	} else if (o.provider && strcmp(o.provider, "local") == 0) {
		const char *env = getenv("CIMINER_LOCAL_ARCHIVE");
		if (!env)
			return err_set(e, ERR_USAGE, "--provider local needs --archive DIR (or CIMINER_LOCAL_ARCHIVE)");
		abs_archive = realpath(env, NULL);
		o.archive_dir = abs_archive ? abs_archive : env;
	}
	struct store *s;
	int rc = cli_store(ctx, &s, e);
	struct source_import_result res = { 0 };
	if (rc == 0)
		rc = source_import(s, &o, &res, e);
	free(abs_archive);
	if (rc < 0)
		return rc;
	if (!ctx->json)
		printf("imported source %lld: %lld rows, %lld to validate, %lld invalid, %lld duplicates\n",
		       (long long)res.source_id, (long long)res.rows, (long long)res.accepted, (long long)res.invalid,
		       (long long)res.duplicates);
	if (wait && (rc = validate_and_wait(ctx, s, res.source_id, 1, e)) < 0)
		return rc;
	json_t *src = load_source(s, res.source_id, e);
	if (!src)
		return e->code;
	if (ctx->json || wait)
		print_summary(ctx, src);
	json_decref(src);
	return 0;
}

static int take_id(int argc, char **argv, const char *sub, int64_t *id, struct err *e)
{
	if (argc < 2)
		return err_set(e, ERR_USAGE, "source %s needs a source id", sub);
	return cli_parse_id(argv[1], "source", id, e);
}

/* The id argument, the database, and the source's row (*src, caller frees; NULL when !src). */
static int open_source(struct cli_ctx *ctx, int argc, char **argv, const char *sub, struct store **s, int64_t *id,
		       json_t **src, struct err *e)
{
	int rc = take_id(argc, argv, sub, id, e);
	if (rc == 0)
		rc = cli_store(ctx, s, e);
	if (rc < 0)
		return rc;
	json_t *row = load_source(*s, *id, e);
	if (!row)
		return e->code;
	if (src)
		*src = row;
	else
		json_decref(row);
	return 0;
}

static int cmd_list(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	if (argc > 1)
		return err_set(e, ERR_USAGE, "source list takes no argument, got '%s'", argv[1]);
	struct store *s;
	int rc = cli_store(ctx, &s, e);
	if (rc < 0)
		return rc;
	/* The table shows the first eleven columns of source_cols' order below. */
	static const struct out_col cols[] = {
		{ "id", 'i' },        { "name", 's' },      { "ci_provider", 's' }, { "validation_status", 's' },
		{ "total", 'i' },     { "found", 'i' },     { "not_found", 'i' },   { "filtered", 'i' },
		{ "invalid", 'i' },   { "duplicates", 'i' }, { "pending", 'i' },    { "description", 's' },
		{ "file_name", 's' }, { "archive_dir", 's' }, { "rows", 'i' },      { "created_at", 't' },
	};
	return out_query(s, ctx->json,
			 "SELECT id, name, ci_provider, validation_status, stat_total, stat_found, stat_not_found,"
			 " stat_filtered, stat_invalid, stat_duplicates, (SELECT COUNT(*) FROM source_builds b"
			 " WHERE b.source_id = build_sources.id AND b.status = 'pending'), description, file_name,"
			 " archive_dir, rows, created_at FROM build_sources ORDER BY id",
			 0, NULL, cols, sizeof(cols) / sizeof(cols[0]), 11, e);
}

static int cmd_show(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int64_t id;
	struct store *s;
	json_t *src = NULL;
	int rc = open_source(ctx, argc, argv, "show", &s, &id, &src, e);
	if (rc < 0)
		return rc;
	out_print_doc(ctx->json, src);
	json_decref(src);
	return 0;
}

static int cmd_builds(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	static const struct option opts[] = { { "status", 1, 0, 's' }, { "limit", 1, 0, 'l' }, { 0, 0, 0, 0 } };
	const char *status = NULL;
	long limit = -1;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			status = optarg;
		else if (c == 'l') {
			if (cli_parse_limit(optarg, &limit, e) < 0)
				return ERR_USAGE;
		} else
			return err_set(e, ERR_USAGE, "unknown option '%s' for source builds", argv[optind - 1]);
	}
	if (status && !status_is_valid(ENT_SOURCE_BUILD, status))
		return err_set(e, ERR_USAGE, "--status '%s' is not pending, found, not_found, filtered or invalid", status);
	int64_t id;
	if (optind >= argc)
		return err_set(e, ERR_USAGE, "source builds needs a source id");
	int rc = cli_parse_id(argv[optind], "source", &id, e);
	struct store *s;
	if (rc == 0)
		rc = cli_store(ctx, &s, e);
	if (rc < 0)
		return rc;
	json_t *src = load_source(s, id, e);
	if (!src)
		return e->code;
	json_decref(src);
	static const struct out_col cols[] = { { "row", 'i' },    { "ci_provider", 's' }, { "repo_name", 's' },
					       { "build_id", 's' }, { "status", 's' },    { "reason", 's' },
					       { "raw_run_id", 'i' } };
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT line_no, ci_provider, repo_name_from_source, build_id_from_source, status, reason, raw_run_id"
		 " FROM source_builds WHERE source_id = ?%s ORDER BY line_no LIMIT %ld",
		 status ? " AND status = ?" : "", limit >= 0 ? limit : -1L);
	if (store_dialect(s) == STORE_PG && limit < 0)
		strcpy(strstr(sql, " LIMIT"), "");
	struct store_val p[] = { sv_int(id), sv_text(status) };
	return out_query(s, ctx->json, sql, status ? 2 : 1, p, cols, sizeof(cols) / sizeof(cols[0]), 0, e);
}

static int cmd_repos(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int64_t id;
	struct store *s;
	int rc = open_source(ctx, argc, argv, "repos", &s, &id, NULL, e);
	if (rc < 0)
		return rc;
	static const struct out_col cols[] = { { "repo_name", 's' }, { "ci_provider", 's' }, { "total", 'i' },
					       { "found", 'i' },     { "not_found", 'i' },   { "filtered", 'i' },
					       { "invalid", 'i' },   { "pending", 'i' } };
	struct store_val p[] = { sv_int(id) };
	return out_query(s, ctx->json,
			 "SELECT repo_name_from_source, ci_provider, COUNT(*),"
			 " SUM(CASE WHEN status = 'found' THEN 1 ELSE 0 END),"
			 " SUM(CASE WHEN status = 'not_found' THEN 1 ELSE 0 END),"
			 " SUM(CASE WHEN status = 'filtered' THEN 1 ELSE 0 END),"
			 " SUM(CASE WHEN status = 'invalid' THEN 1 ELSE 0 END),"
			 " SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END)"
			 " FROM source_builds WHERE source_id = ? GROUP BY repo_name_from_source, ci_provider ORDER BY 1, 2",
			 1, p, cols, sizeof(cols) / sizeof(cols[0]), 0, e);
}

static int cmd_validate(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int wait = 0;
	int64_t id = 0;
	int have = 0, rc = 0;
	for (int i = 1; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "--wait") == 0)
			wait = 1;
		else if (!have && (rc = cli_parse_id(argv[i], "source", &id, e)) == 0)
			have = 1;
		else if (rc == 0)
			rc = err_set(e, ERR_USAGE, "unexpected argument '%s' for source validate", argv[i]);
	}
	if (rc == 0 && !have)
		rc = err_set(e, ERR_USAGE, "source validate needs a source id");
	struct store *s;
	if (rc == 0)
		rc = cli_store(ctx, &s, e);
	if (rc == 0)
		rc = validate_and_wait(ctx, s, id, wait, e);
	if (rc < 0)
		return rc;
	json_t *src = load_source(s, id, e);
	if (!src)
		return e->code;
	print_summary(ctx, src);
	json_decref(src);
	return 0;
}

static int cmd_delete(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int64_t id;
	struct store *s;
	int rc = take_id(argc, argv, "delete", &id, e);
	if (rc == 0)
		rc = cli_store(ctx, &s, e);
	if (rc == 0)
		rc = source_delete(s, id, e);
	if (rc < 0)
		return rc;
	if (ctx->json)
		printf("{\"deleted\":%lld}\n", (long long)id);
	else
		printf("deleted build source %lld (warehouse rows kept)\n", (long long)id);
	return 0;
}

static const struct cli_sub subs[] = {
	{ "import", cmd_import }, { "list", cmd_list },         { "show", cmd_show },     { "builds", cmd_builds },
	{ "repos", cmd_repos },   { "validate", cmd_validate }, { "delete", cmd_delete }, { NULL, NULL },
};

static int run(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	return cli_dispatch(ctx, "source", usage, subs, argc, argv, e);
}

const struct cli_command cmd_source = { "source", "import and validate build sources (Phase 0)", usage, run };

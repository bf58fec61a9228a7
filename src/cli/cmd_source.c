/* `ciminer source ...`: Phase 0, build sources and their validation. */
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/wait.h"
#include "cli/watch.h"
#include "jobs/worker.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "pipeline/source.h"
#include "store/sources.h"
#include "store/status.h"
#include "store/store.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"A build source is an uploaded CSV of CI build ids and repositories (owner/name).\n"
	"Columns are guessed from the header (build_id, id, run_id, tr_build_id...;\n"
	"repo, repository, repo_name, full_name, gh_project_name...) unless --map names\n"
	"them. --provider is one of @providers@\n"
	"(default github_actions; local reads an archive folder given with --archive);\n"
	"a ci_provider column overrides it per row.\n"
	"Import stores the rows; validation looks every repository and build up at the\n"
	"provider and fills the warehouse. --wait runs validation here with a progress bar;\n"
	"run again after a crash, it resumes the validation that is still open. watch\n"
	"follows a running validation (from any terminal) until it ends. Exit status 1\n"
	"when rows are left pending, with the first cause on stderr.\n";
static const char *const validation_queue[] = { "validation" };

static int progress_source(struct store *s, void *arg, int64_t *done, int64_t *total, struct err *e)
{
	int64_t id = *(int64_t *)arg;
	int64_t pending = 0;
	int rc = source_builds_count(s, total, id, NULL, NULL, e);
	if (rc == 0)
		rc = source_builds_count(s, &pending, id, NULL, "pending", e);
	*done = *total - pending;
	return rc;
}

static const struct out_col source_cols[] = {
	{ "id", 'i' }, { "name", 's' }, { "description", 's' }, { "file_name", 's' }, { "ci_provider", 's' },
	{ "archive_dir", 's' }, { "rows", 'i' }, { "validation_status", 's' }, { "total", 'i' }, { "found", 'i' },
	{ "not_found", 'i' }, { "filtered", 'i' }, { "invalid", 'i' }, { "duplicates", 'i' }, { "pending", 'i' },
	{ "mapped_fields", 'j' }, { "preview", 'j' }, { "progress", 's' }, { "error_message", 's' }, { "created_at", 't' },
	{ "validation_started_at", 't' }, { "validation_completed_at", 't' },
};
static json_t *load_source(struct store *s, int64_t id, struct err *e)
{
	struct store_cursor *c;
	if (sources_get(s, &c, id, e) < 0)
		return NULL;
	json_t *o = NULL;
	int rc = store_next(c, e);
	if (rc == 1)
		o = out_row_json(c, source_cols, NULL, sizeof(source_cols) / sizeof(source_cols[0]));
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

/*
 * Starts validation, or attaches to the one already running (a killed
 * --wait, a second terminal): with --wait, jobs held by a process of this
 * machine that is gone are released and this process runs what is pending
 * until the validation ends; without, it says how to follow it.
 */
static int validate_and_wait(struct cli_ctx *ctx, struct store *s, int64_t id, int wait, struct err *e)
{
	int64_t open = 0, released = 0;
	int rc = source_validation_open(s, id, &open, e);
	if (rc == 0 && open > 0 && wait)
		rc = worker_release_dead_leases(s, validation_queue, 1, &released, e);
	if (rc == 0 && open > 0 && !ctx->json) {
		if (wait)
			printf("source %lld is already being validated: resuming it here (%lld jobs held by a process that"
			       " is gone)\n", (long long)id, (long long)released);
		else
			printf("source %lld is already being validated; follow it with 'ciminer source watch %lld', or run"
			       " its jobs here with 'ciminer source validate %lld --wait'\n",
			       (long long)id, (long long)id, (long long)id);
		fflush(stdout);
	}
	if (rc == 0 && open == 0)
		rc = source_validate_start(s, id, e);
	if (rc < 0 || !wait)
		return rc;
	struct cli_wait_spec w = { "validation", validation_queue, 1, progress_source, &id };
	return cli_wait(ctx, &w, e);
}

/*
 * After --wait or watch: the summary on stdout, and exit status 1 with the
 * cause on stderr when rows are left pending or the validation failed.
 */
static int validation_outcome(struct cli_ctx *ctx, struct store *s, int64_t id, struct err *e)
{
	json_t *src = load_source(s, id, e);
	if (!src)
		return e->code;
	print_summary(ctx, src);
	const char *status = core_json_str(src, "validation_status", "?");
	int64_t pending = core_json_int(src, "pending", 0);
	int rc = 0;
	if (strcmp(status, "completed") != 0 || pending > 0) {
		char *reason = NULL, *repo = NULL;
		int64_t rows = 0;
		if (source_validation_cause(s, id, &reason, &repo, &rows, e) < 0)
			reason = xstrdup(e->msg);
		if (reason && repo)
			rc = err_set(e, ERR_PERMANENT,
				     "validation of source %lld left %lld rows pending (status %s); first cause (%s, %lld rows):"
				     " %s; fix it and run 'ciminer source validate %lld --wait'",
				     (long long)id, (long long)pending, status, repo, (long long)rows, reason, (long long)id);
		else
			rc = err_set(e, ERR_PERMANENT, "validation of source %lld left %lld rows pending (status %s): %s",
				     (long long)id, (long long)pending, status,
				     core_json_str(src, "error_message", "see 'ciminer source show' and 'ciminer -v'"));
		free(reason);
		free(repo);
	}
	json_decref(src);
	return rc;
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

/* The newest source imported from the same file name (and --name) whose validation is still open, or 0. */
static int running_import(struct store *s, const struct source_import_opts *o, int64_t *id, struct err *e)
{
	const char *base = strrchr(o->path, '/');
	base = base ? base + 1 : o->path;
	int rc = sources_find_validating(s, id, base, o->name ? o->name : base, e);
	int64_t open = 0;
	if (rc == 0 && *id)
		rc = source_validation_open(s, *id, &open, e);
	if (rc == 0 && !open)
		*id = 0;
	return rc;
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
			return cli_unknown_option(e, "source", "import", argv[optind - 1]);
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
	int64_t running = 0;
	if (rc == 0 && wait)
		rc = running_import(s, &o, &running, e);
	if (rc == 0 && running && !ctx->json)
		printf("source %lld was imported from this file and is still being validated; pass --name to import it"
		       " again as a new source\n", (long long)running);
	if (rc == 0 && !running)
		rc = source_import(s, &o, &res, e);
	free(abs_archive);
	if (rc < 0)
		return rc;
	if (running)
		res.source_id = running;
	else if (!ctx->json)
		printf("imported source %lld: %lld rows, %lld to validate, %lld invalid, %lld duplicates\n",
		       (long long)res.source_id, (long long)res.rows, (long long)res.accepted, (long long)res.invalid,
		       (long long)res.duplicates);
	if (wait) {
		rc = validate_and_wait(ctx, s, res.source_id, 1, e);
		return rc < 0 ? rc : validation_outcome(ctx, s, res.source_id, e);
	}
	json_t *src = load_source(s, res.source_id, e);
	if (!src)
		return e->code;
	if (ctx->json)
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
		rc = cli_store_existing(ctx, s, e);
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
	int rc = cli_store_existing(ctx, &s, e);
	if (rc < 0)
		return rc;
	/* The table shows the first eleven; from[] are their columns in sources_list() (store/sources.h). */
	static const struct out_col cols[] = {
		{ "id", 'i' },        { "name", 's' },      { "ci_provider", 's' }, { "validation_status", 's' },
		{ "total", 'i' },     { "found", 'i' },     { "not_found", 'i' },   { "filtered", 'i' },
		{ "invalid", 'i' },   { "duplicates", 'i' }, { "pending", 'i' },    { "description", 's' },
		{ "file_name", 's' }, { "archive_dir", 's' }, { "rows", 'i' },      { "created_at", 't' },
	};
	static const int from[] = { 0, 1, 4, 7, 8, 9, 10, 11, 12, 13, 14, 2, 3, 5, 6, 19 };
	struct store_page pg = STORE_PAGE_INIT;
	struct store_cursor *c;
	rc = sources_list(s, &c, &pg, e);
	return rc < 0 ? rc : out_cursor_pick(c, ctx->json, cols, from, sizeof(cols) / sizeof(cols[0]), 11, e);
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
			return cli_unknown_option(e, "source", "builds", argv[optind - 1]);
	}
	if (status && !status_is_valid(ENT_SOURCE_BUILD, status))
		return err_set(e, ERR_USAGE, "--status '%s' is not pending, found, not_found, filtered or invalid", status);
	int64_t id;
	if (optind >= argc)
		return err_set(e, ERR_USAGE, "source builds needs a source id");
	int rc = cli_parse_id(argv[optind], "source", &id, e);
	struct store *s;
	if (rc == 0)
		rc = cli_store_existing(ctx, &s, e);
	if (rc < 0)
		return rc;
	json_t *src = load_source(s, id, e);
	if (!src)
		return e->code;
	json_decref(src);
	static const struct out_col cols[] = { { "row", 'i' },    { "ci_provider", 's' }, { "repo_name", 's' },
					       { "build_id", 's' }, { "status", 's' },    { "reason", 's' },
					       { "raw_run_id", 'i' } };
	struct store_page pg = { .limit = limit, .status = status };
	struct store_cursor *cur;
	rc = source_builds_list(s, &cur, id, &pg, e);
	return rc < 0 ? rc : out_cursor(cur, ctx->json, cols, sizeof(cols) / sizeof(cols[0]), 0, e);
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
	struct store_cursor *c;
	rc = source_builds_repos(s, &c, id, e);
	return rc < 0 ? rc : out_cursor(c, ctx->json, cols, sizeof(cols) / sizeof(cols[0]), 0, e);
}

static int cmd_validate(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int wait = 0;
	int64_t id = 0;
	int have = 0, rc = 0;
	for (int i = 1; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "--wait") == 0)
			wait = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			rc = cli_unknown_option(e, "source", "validate", argv[i]);
		else if (!have && (rc = cli_parse_id(argv[i], "source", &id, e)) == 0)
			have = 1;
		else if (rc == 0)
			rc = err_set(e, ERR_USAGE, "unexpected argument '%s' for source validate", argv[i]);
	}
	if (rc == 0 && !have)
		rc = err_set(e, ERR_USAGE, "source validate needs a source id");
	struct store *s;
	if (rc == 0)
		rc = cli_store_existing(ctx, &s, e);
	if (rc == 0)
		rc = validate_and_wait(ctx, s, id, wait, e);
	if (rc < 0)
		return rc;
	if (wait)
		return validation_outcome(ctx, s, id, e);
	json_t *src = load_source(s, id, e);
	if (!src)
		return e->code;
	print_summary(ctx, src);
	json_decref(src);
	return 0;
}

static int poll_source(struct store *s, void *arg, int *running, int64_t *done, int64_t *total, struct err *e)
{
	int64_t open = 0;
	int rc = source_validation_open(s, *(int64_t *)arg, &open, e);
	*running = open > 0;
	return rc < 0 ? rc : progress_source(s, arg, done, total, e);
}

static int cmd_watch(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int64_t id;
	struct store *s;
	int rc = open_source(ctx, argc, argv, "watch", &s, &id, NULL, e);
	int64_t open = 0;
	if (rc == 0)
		rc = source_validation_open(s, id, &open, e);
	if (rc < 0)
		return rc;
	if (!open && !ctx->json)
		printf("source %lld is not being validated; its last state:\n", (long long)id);
	struct cli_follow f = { "validation", EVENTS_OF_SOURCE, id, poll_source, &id };
	if (open && (rc = cli_follow(ctx, s, &f, e)) < 0)
		return rc;
	return validation_outcome(ctx, s, id, e);
}

static int cmd_delete(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int64_t id;
	struct store *s;
	int rc = take_id(argc, argv, "delete", &id, e);
	if (rc == 0)
		rc = cli_store_existing(ctx, &s, e);
	if (rc == 0)
		rc = sources_delete(s, id, e);
	if (rc < 0)
		return rc;
	if (ctx->json)
		printf("{\"deleted\":%lld}\n", (long long)id);
	else
		printf("deleted build source %lld (warehouse rows kept)\n", (long long)id);
	return 0;
}

static const struct cli_sub subs[] = {
	{ "import", cmd_import,
	  "FILE.csv [--name N] [--description D] [--provider P] [--archive DIR] [--map FIELD=COL]... [--wait]",
	  "import a CSV of build ids and repositories as a new build source (--wait: validate it here)",
	  "--name= --description= --provider= --archive= --map= --wait" },
	{ "list", cmd_list, "", "list the build sources with their validation counts", "" },
	{ "show", cmd_show, "ID", "one build source: status, counts, mapped columns, preview, errors", "" },
	{ "builds", cmd_builds, "ID [--status pending|found|not_found|filtered|invalid] [--limit N]",
	  "the rows of a build source with their status and reason", "--status= --limit=" },
	{ "repos", cmd_repos, "ID", "per repository: rows found, not found, filtered, invalid, pending", "" },
	{ "validate", cmd_validate, "ID [--wait]",
	  "look the pending rows up at their provider (again); re-run it to resume a validation that is open",
	  "--wait" },
	{ "watch", cmd_watch, "ID", "follow a running validation until it ends (exit 1 when rows are left pending)", "" },
	{ "delete", cmd_delete, "ID", "delete a build source and its rows (the warehouse keeps the runs)", "" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static int run(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	return cli_dispatch(ctx, &cmd_source, argc, argv, e);
}

const struct cli_command cmd_source = { "source", "import and validate build sources (Phase 0)", usage, run, subs,
					NULL };

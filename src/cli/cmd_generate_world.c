/*
 * `ciminer generate-world`: writes a generated, reproducible CI world as a
 * `local`-provider archive (git repositories, workflow runs with jobs, job
 * logs), the same one `ciminer demo`, the end-to-end tests and the
 * benchmarks use. The generator is src/world/world.c; the model it
 * follows is docs/world.md.
 */
#include "cli/cli.h"
#include "core/utc.h"
#include "world/world.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: ciminer generate-world --out DIR [--repos N] [--builds M] [--seed S]\n"
	"                              [--start YYYY-MM-DD] [--compress-logs] [--force]\n"
	"\n"
	"Writes a generated CI world as a local archive (docs/local-archive.md) that\n"
	"`ciminer source import DIR/builds.csv --provider local --archive DIR` imports:\n"
	"bare git repositories (Python and Java, several\n"
	"authors, pull requests, merges, months of history), GitHub Actions workflow runs\n"
	"with jobs, and job logs with pytest or Maven output. Builds fail the way real\n"
	"ones do: more often after large changes, after a failed build, for new authors,\n"
	"when tests or dependencies changed, from forks (docs/world.md).\n"
	"\n"
	"The same options give byte-identical files, git commit ids included.\n"
	"\n"
	"  --out DIR         the archive folder to create (must not exist, unless --force)\n"
	"  --repos N         repositories, 1 to 1000; languages alternate Python, Java (default 4)\n"
	"  --builds M        workflow runs in total, spread over the repositories (default 400)\n"
	"  --seed S          random seed, a whole number (default 1)\n"
	"  --start DATE      day of the first commit (default 2023-01-02)\n"
	"  --compress-logs   write logs/<job id>.log.zst instead of plain .log files\n"
	"  --force           replace DIR when it exists\n"
	"\n"
	"Writes DIR/archive.json, repos.json, runs.jsonl, builds.csv, logs/ and\n"
	"repos/<owner>/<name>.git; prints a summary (--json: one JSON object).\n";

static int parse_args(struct world_opts *o, int argc, char **argv, struct err *e)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long long x = 0;
		int rc = 0;
		if (!strcmp(a, "--compress-logs")) {
			o->compress_logs = 1;
			continue;
		}
		if (!strcmp(a, "--force")) {
			o->overwrite = 1;
			continue;
		}
		if (!strcmp(a, "--out")) {
			if (!v)
				return err_set(e, ERR_USAGE, "--out needs a folder");
			o->out_dir = v;
		} else if (!strcmp(a, "--repos")) {
			if (!(rc = cli_parse_num(a, v, 1, WORLD_MAX_REPOS, &x, e)))
				o->repos = (int)x;
		} else if (!strcmp(a, "--builds")) {
			if (!(rc = cli_parse_num(a, v, 1, WORLD_MAX_BUILDS, &x, e)))
				o->builds = (int)x;
		} else if (!strcmp(a, "--seed")) {
			if (!(rc = cli_parse_num(a, v, 0, INT64_MAX, &x, e)))
				o->seed = (uint64_t)x;
		} else if (!strcmp(a, "--start")) {
			struct err pe = ERR_INIT;
			if (!v || utc_parse(&o->start, v, &pe))
				return err_set(e, ERR_USAGE, "--start '%s' is not a date; use YYYY-MM-DD", v ? v : "");
		} else
			return cli_unknown_option(e, "generate-world", NULL, a);
		if (rc)
			return rc;
		i++;
	}
	if (!o->out_dir)
		return err_set(e, ERR_USAGE, "generate-world needs --out DIR; see 'ciminer generate-world --help'");
	return 0;
}

static void progress(void *ctx, int done, int total)
{
	(void)ctx;
	fprintf(stderr, "\rgenerating repositories: %d/%d", done, total);
	if (done == total)
		fputc('\n', stderr);
}

static int run(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	struct world_opts o;
	struct world_summary s;
	char a[UTC_FMT_MAX], b[UTC_FMT_MAX];
	int rc;
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	world_opts_init(&o);
	if ((rc = parse_args(&o, argc, argv, e)))
		return rc;
	if (!ctx->json && ctx->verbose >= 0)
		o.progress = progress;
	if ((rc = world_generate(&o, &s, e)))
		return rc;
	utc_format(s.first_created, a);
	utc_format(s.last_created, b);
	if (ctx->json) {
		/* Built with jansson so that the --out folder name is escaped (its bytes kept as given). */
		json_t *j = json_pack("{s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:s}",
				      "out", json_string_nocheck(o.out_dir), "repos", s.repos, "builds", (json_int_t)s.builds, "jobs",
				      (json_int_t)s.jobs, "logs", (json_int_t)s.logs, "logs_expired", (json_int_t)s.logs_expired,
				      "commits", (json_int_t)s.commits, "pull_requests", (json_int_t)s.pull_requests, "authors",
				      (json_int_t)s.authors, "success", (json_int_t)s.success, "failure", (json_int_t)s.failure,
				      "cancelled", (json_int_t)s.cancelled, "timed_out", (json_int_t)s.timed_out, "bot_builds",
				      (json_int_t)s.bot_builds, "test_failures", (json_int_t)s.test_failures, "first_created", a,
				      "last_created", b);
		char *txt = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(txt);
		free(txt);
		json_decref(j);
		return 0;
	}
	printf("world written to %s\n", o.out_dir);
	printf("  repositories:   %d (%lld commits, %lld pull requests, %lld authors)\n", s.repos, s.commits,
	       s.pull_requests, s.authors);
	printf("  builds:         %lld from %s to %s (%lld by bots)\n", s.builds, a, b, s.bot_builds);
	printf("  conclusions:    %lld success, %lld failure (%lld in tests), %lld cancelled, %lld timed out\n",
	       s.success, s.failure, s.test_failures, s.cancelled, s.timed_out);
	printf("  jobs and logs:  %lld jobs, %lld logs, %lld expired\n", s.jobs, s.logs, s.logs_expired);
	printf("  import with:    ciminer source import %s/builds.csv --provider local --archive %s\n", o.out_dir,
	       o.out_dir);
	return 0;
}

const struct cli_command cmd_generate_world = { "generate-world", "write a generated CI world as a local archive",
						usage, run, NULL,
						"--out= --repos= --builds= --seed= --start= --compress-logs --force" };

/* Shared command-line plumbing: the database, help, sub-command dispatch. */
#include "cli/cli.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_store(struct cli_ctx *ctx, struct store **out, struct err *e)
{
	if (ctx->store) {
		*out = ctx->store;
		return 0;
	}
	/*
	 * With an explicit --db the database is opened first, so a malformed or
	 * unreachable URL leaves no data dir behind; the default SQLite database
	 * lives in the data dir, which must exist first.
	 */
	int rc = 0;
	if (!ctx->db_url && fs_check_writable_dir(ctx->data_dir, e) < 0)
		rc = e->code = ERR_USAGE; /* a data dir that cannot be used is the user's to fix: exit 2 */
	char *url = ctx->db_url ? xstrdup(ctx->db_url) : store_default_url(ctx->data_dir);
	if (rc == 0)
		rc = store_open(&ctx->store, url, e);
	if (rc == 0 && ctx->db_url && fs_check_writable_dir(ctx->data_dir, e) < 0) {
		store_close(ctx->store);
		ctx->store = NULL;
		rc = e->code = ERR_USAGE;
	}
	if (rc == 0 && !ctx->db_url)
		ctx->db_url = url; /* lives until exit: main's ctx outlives every command */
	else
		free(url);
	*out = ctx->store;
	return rc;
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int cli_unknown(const char *group, const char *sub, const char *usage, struct err *e)
{
	(void)usage;
	if (!sub)
		return err_set(e, ERR_USAGE, "'ciminer %s' needs a sub-command; run 'ciminer %s --help'", group, group);
	return err_set(e, ERR_USAGE, "unknown sub-command '%s %s'; run 'ciminer %s --help'", group, sub, group);
}

int cli_dispatch(struct cli_ctx *ctx, const char *group, const char *usage, const struct cli_sub *subs, int argc,
		 char **argv, struct err *e)
{
	if (argc < 2)
		return cli_unknown(group, NULL, usage, e);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	for (const struct cli_sub *s = subs; s->name; s++) {
		if (strcmp(s->name, argv[1]) == 0) {
			if (cli_wants_help(argc - 1, argv + 1)) {
				fputs(usage, stdout);
				return 0;
			}
			return s->run(ctx, argc - 1, argv + 1, e);
		}
	}
	return cli_unknown(group, argv[1], usage, e);
}

int cli_parse_id(const char *arg, const char *what, int64_t *out, struct err *e)
{
	char *end = NULL;
	if (!arg)
		return err_set(e, ERR_USAGE, "missing %s id", what);
	long long v = strtoll(arg, &end, 10);
	if (!*arg || *end || v <= 0)
		return err_set(e, ERR_USAGE, "'%s' is not a %s id (a positive whole number)", arg, what);
	*out = v;
	return 0;
}

int cli_parse_limit(const char *arg, long *out, struct err *e)
{
	char *end = NULL;
	long v = strtol(arg, &end, 10);
	if (!*arg || *end || v <= 0)
		return err_set(e, ERR_USAGE, "--limit '%s' must be a positive whole number", arg);
	*out = v;
	return 0;
}

/* Shared command-line plumbing: the database, help, sub-command dispatch. */
#include "cli/cli.h"
#include "core/fs.h"
#include "core/suggest.h"
#include "core/xalloc.h"
#include "store/store.h"
#include <stdio.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* An explicit --db for a read-only command: opened as is, the data dir left alone. */
static int open_url(struct cli_ctx *ctx, struct store **out, struct err *e)
{
	int rc = store_open(&ctx->store, ctx->db_url, e);
	*out = ctx->store;
	return rc;
}

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
		ctx->db_url = ctx->own_db_url = url; /* main's ctx outlives every command; main frees it */
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

int cli_store_existing(struct cli_ctx *ctx, struct store **out, struct err *e)
{
	if (ctx->store)
		return cli_store(ctx, out, e);
	if (ctx->db_url)
		return open_url(ctx, out, e);
	char *db = fs_join(ctx->data_dir, "ciminer.db");
	int there = fs_exists(db);
	free(db);
	if (!there) {
		*out = NULL;
		err_set(e, ERR_USAGE, "no ciminer data in %s; run 'ciminer init' or pass --data-dir", ctx->data_dir);
		return err_field(e, "--data-dir");
	}
	return cli_store(ctx, out, e);
}

int cli_dispatch(struct cli_ctx *ctx, const struct cli_command *c, int argc, char **argv, struct err *e)
{
	if (argc < 2) {
		err_set(e, ERR_USAGE, "'ciminer %s' needs a sub-command; run 'ciminer help %s'", c->name, c->name);
		return err_field(e, "command");
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_help_command(stdout, c);
		return 0;
	}
	const struct cli_sub *s = cli_sub_find(c, argv[1]);
	if (!s) {
		const char *names[64];
		size_t n = 0;
		for (const struct cli_sub *t = c->subs; t->name && n < 64; t++)
			names[n++] = t->name;
		const char *near = suggest_closest(argv[1], names, n);
		if (near)
			err_set(e, ERR_USAGE, "unknown sub-command '%s %s'; did you mean '%s %s'? run 'ciminer help %s'",
				c->name, argv[1], c->name, near, c->name);
		else
			err_set(e, ERR_USAGE, "unknown sub-command '%s %s'; run 'ciminer help %s'", c->name, argv[1], c->name);
		return err_field(e, "command");
	}
	if (cli_wants_help(argc - 1, argv + 1)) {
		cli_help_sub(stdout, c, s);
		return 0;
	}
	return s->run(ctx, argc - 1, argv + 1, e);
}

int cli_parse_num(const char *opt, const char *v, long long lo, long long hi, long long *out, struct err *e)
{
	char *end = NULL;
	if (!v)
		return err_set(e, ERR_USAGE, "%s needs a value", opt);
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (!*v || *end || errno || x < lo || x > hi)
		return err_set(e, ERR_USAGE, "%s '%s' is not a whole number from %lld to %lld", opt, v, lo, hi);
	*out = x;
	return 0;
}

int cli_parse_id(const char *arg, const char *what, int64_t *out, struct err *e)
{
	char *end = NULL;
	if (!arg)
		return err_set(e, ERR_USAGE, "missing %s id", what);
	errno = 0;
	long long v = strtoll(arg, &end, 10);
	/* errno: an id past INT64_MAX is refused, not clamped to INT64_MAX */
	if (!*arg || *end || errno || v <= 0)
		return err_set(e, ERR_USAGE, "'%s' is not a %s id (a whole number from 1 to %lld)", arg, what,
			       (long long)INT64_MAX);
	*out = v;
	return 0;
}

int cli_parse_limit(const char *arg, long *out, struct err *e)
{
	long long v = 0;
	int rc = cli_parse_num("--limit", arg, 1, LONG_MAX, &v, e);
	if (rc == 0)
		*out = (long)v;
	return rc;
}

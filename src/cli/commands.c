/*
 * The command table (git's commands[]): dispatch in main.c, `ciminer help`,
 * suggestions, shell completion and the man page all read it, so that a
 * command added here is documented and completed everywhere at once.
 */
#include "cli/cli.h"
#include <string.h>

const struct cli_command *const cli_commands[] = {
	&cmd_init, &cmd_worker, &cmd_source, &cmd_scenario, &cmd_demo, &cmd_logs, &cmd_features, &cmd_generate_world,
	NULL,
};

const char cli_global_options[] = "--data-dir= --db= --json --verbose --quiet --help --version";

const struct cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; cli_commands[i]; i++)
		if (strcmp(cli_commands[i]->name, name) == 0)
			return cli_commands[i];
	return NULL;
}

const struct cli_sub *cli_sub_find(const struct cli_command *c, const char *name)
{
	for (const struct cli_sub *s = c->subs; s && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/*
 * --wait: runs the jobs of a phase in this process (a worker pool in --once
 * mode over the phase's queues) while the main thread draws a progress bar
 * from the database, until the queues are drained.
 */
#ifndef CLI_WAIT_H
#define CLI_WAIT_H
#include "cli/cli.h"
#include <stddef.h>
#include <stdint.h>

struct cli_wait_spec {
	const char *label;
	const char *const *queues;
	size_t nqueues;
	/* Fills done/total for the bar; may be NULL. */
	int (*progress)(struct store *s, void *arg, int64_t *done, int64_t *total, struct err *e);
	void *arg;
};

int cli_wait(struct cli_ctx *ctx, const struct cli_wait_spec *w, struct err *e);

#endif

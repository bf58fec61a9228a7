/*
 * `scenario watch ID` and `source watch ID`: follow a running phase from any
 * terminal (the one that started it may be gone) by reading the database —
 * the events table for messages, the rows for progress — until the phase
 * ends. Runs no job itself.
 */
#ifndef CLI_WATCH_H
#define CLI_WATCH_H
#include "cli/cli.h"
#include "store/events.h"
#include <stdint.h>

struct cli_follow {
	const char *label;       /* "ingestion" */
	enum events_about about; /* whose events: a scenario's or a source's */
	int64_t id;
	/* Current state: *running 1 while the phase runs; done/total for the bar (0/0 when unknown). */
	int (*poll)(struct store *s, void *arg, int *running, int64_t *done, int64_t *total, struct err *e);
	void *arg;
};

/* Follows until poll says the phase is no longer running; event messages go above the bar. */
int cli_follow(struct cli_ctx *ctx, struct store *s, const struct cli_follow *f, struct err *e);

#endif

/*
 * Progress bars for --wait: drawn on stderr when it is a terminal (and --json
 * is off), silent otherwise so that logs and pipes stay clean.
 */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H
#include <stdint.h>

struct progress {
	const char *label;
	int64_t total, done;
	int enabled;
	int64_t last_draw_usec;
};

void progress_start(struct progress *p, const char *label, int64_t total, int enabled);
/* Redraws at most ten times a second. */
void progress_update(struct progress *p, int64_t done, int64_t total);
/* Final draw and newline. */
void progress_finish(struct progress *p);

#endif

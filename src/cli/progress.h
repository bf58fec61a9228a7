/*
 * Progress of --wait and `watch`, on stderr, so that stdout keeps the
 * command's result (and --json its one document):
 *  - on a terminal, a bar redrawn in place at most ten times a second:
 *    label, bar, percent, done/total, rate and estimated time left;
 *  - otherwise (a pipe, a log file), one plain line each time another 10%
 *    is done or 10 s passed, and a last line with the total time;
 *  - nothing when disabled (--json, --quiet).
 * A total of 0 means "unknown": the count and the elapsed time are shown.
 */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H
#include <stdint.h>

enum progress_mode { PROGRESS_OFF, PROGRESS_TERMINAL, PROGRESS_LINES };

struct progress {
	const char *label;
	int64_t total, done;
	enum progress_mode mode;
	int64_t start_usec, last_draw_usec, last_line_usec;
	int last_decile;
	int drawn; /* a terminal bar is on the current line */
};

/* enabled 0 silences it; otherwise the mode follows whether stderr is a terminal. */
void progress_start(struct progress *p, const char *label, int64_t total, int enabled);
void progress_update(struct progress *p, int64_t done, int64_t total);
/* A message line (an event) above the bar, or as its own line. */
void progress_note(struct progress *p, const char *msg);
/* Final draw (terminal: newline; lines: "label: done N/T in S s"). */
void progress_finish(struct progress *p);

#endif

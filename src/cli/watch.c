/* Following a running phase from the database (see watch.h). */
#include "cli/watch.h"
#include "cli/progress.h"
#include "core/json.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Prints the messages of events newer than *last (at most 100 a round); moves *last. */
static int new_events(struct store *s, const struct cli_follow *f, int64_t *last, struct progress *bar, char *prev,
		      size_t prevsz, struct err *e)
{
	struct store_cursor *c;
	int rc = events_after(s, &c, f->about, f->id, *last, e);
	if (rc < 0)
		return rc;
	while ((rc = store_next(c, e)) == 1) {
		*last = store_col_int(c, 0);
		const char *txt = store_col_text(c, 1);
		json_t *j = txt ? json_loads(txt, 0, NULL) : NULL;
		const char *msg = j ? core_json_str(j, "message", NULL) : NULL;
		/* Counters refresh with the same message many times: say each message once. */
		if (msg && *msg && strcmp(msg, prev) != 0) {
			progress_note(bar, msg);
			snprintf(prev, prevsz, "%s", msg);
		}
		json_decref(j);
	}
	store_cursor_free(c);
	return rc;
}

int cli_follow(struct cli_ctx *ctx, struct store *s, const struct cli_follow *f, struct err *e)
{
	struct progress bar;
	int running = 1, rc = 0;
	int64_t done = 0, total = 0, last = 0;
	char prev[512] = "";
	/* Start from the newest event: what happened before is history, not news. */
	rc = events_last_id(s, &last, f->about, f->id, e);
	progress_start(&bar, f->label, 0, !ctx->json && !ctx->quiet);
	while (rc == 0) {
		int64_t d = 0, t = 0;
		rc = f->poll(s, f->arg, &running, &d, &t, e);
		if (rc == 0 && running) /* the last counts of the phase stay on the final line */
			done = d, total = t;
		if (rc == 0)
			rc = new_events(s, f, &last, &bar, prev, sizeof(prev), e);
		if (rc == ERR_CONFLICT) { /* the database busy with the workers' writes: look again */
			err_clear(e);
			rc = 0;
			running = 1;
		}
		if (rc < 0 || !running)
			break;
		progress_update(&bar, done, total);
		struct timespec ts = { 0, 250 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	progress_update(&bar, done, total);
	progress_finish(&bar);
	return rc < 0 ? rc : 0;
}

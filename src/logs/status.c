/*
 * The status a job log ends with, read from the CI's own closing lines.
 *
 * GitHub Actions (as BugSwarm): "##[error]The operation was canceled."
 * anywhere means cancelled (unless the job first "exceeded the maximum
 * execution time": timeout); otherwise the last "##[error]Process completed
 * with exit code N." or "##[error]... failed" line outside groups decides
 * (N == 0 ok, else broken); a log without such a line is ok.
 *
 * Travis (as BugSwarm and TravisTorrent): "Done. Your build exited with N."
 * (or "Build script exited with N") decides; otherwise "Done: Job
 * Cancelled" or "Your build has been stopped" means cancelled, "The job
 * exceeded the maximum time limit" timeout, "The build has been terminated"
 * terminated; otherwise the last line, when it is "The command "..." exited
 * with N.", decides; otherwise unknown.
 *
 * CircleCI step output: "Exited with code exit status N" / "Too long with no
 * output" (timeout). A plain log ends unknown.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "##[error]", "Done. Your build exited with ", "Done. Build script exited with ",
				       "Done: Job Cancelled", "Your build has been stopped", "The build has been terminated",
				       "exceeded the maximum time limit", "has exceeded the maximum execution time",
				       "The command \"", "Exited with code", "Too long with no output", NULL };
enum { N_GHA_ERROR, N_DONE, N_DONE_SCRIPT, N_CANCELLED, N_STOPPED, N_TERMINATED, N_TRAVIS_TIMEOUT,
       N_GHA_TIMEOUT, N_COMMAND, N_CIRCLE_EXIT, N_CIRCLE_TIMEOUT };

struct state {
	enum logs_status gha_last;  /* from the last decisive ##[error] line */
	int gha_cancelled, gha_timeout;
	enum logs_status travis_done;
	int travis_cancelled, travis_timeout, travis_terminated;
	enum logs_status last_command; /* from "The command ... exited with N." when it is the last line */
	enum logs_status circle;
	uint64_t last_command_line;
};

static enum logs_status from_code(const char *s, const char *end)
{
	const char *p = s;
	long long n = logs_read_int(&p, end);
	if (n < 0)
		return LOGS_STATUS_UNKNOWN;
	return n == 0 ? LOGS_STATUS_OK : LOGS_STATUS_BROKEN;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	size_t len = ln->len;
	if (hits & (1u << N_GHA_ERROR) && logs_starts(s, len, "##[error]")) {
		const char *m = s + 9;
		size_t ml = len - 9;
		if (logs_starts(m, ml, "The operation was canceled."))
			st->gha_cancelled = 1;
		else if (hits & (1u << N_GHA_TIMEOUT))
			st->gha_timeout = 1;
		else if (logs_starts(m, ml, "Process completed with exit code ")) /* the runner's own, even in an unclosed group */
			st->gha_last = from_code(m + strlen("Process completed with exit code "), end);
		else if (!ln->in_group && logs_find(m, ml, "failed"))
			st->gha_last = LOGS_STATUS_BROKEN;
	}
	if (hits & ((1u << N_DONE) | (1u << N_DONE_SCRIPT))) {
		const char *p = logs_find(s, len, "exited with ");
		if (p && (logs_starts(s, len, "Done. ")))
			st->travis_done = from_code(p + 12, end);
	}
	if (hits & (1u << N_CANCELLED) || hits & (1u << N_STOPPED))
		st->travis_cancelled = 1;
	if (hits & (1u << N_TRAVIS_TIMEOUT) && logs_starts(s, len, "The job exceeded the maximum time limit"))
		st->travis_timeout = 1;
	if (hits & (1u << N_TERMINATED))
		st->travis_terminated = 1;
	if (hits & (1u << N_COMMAND) && !ln->in_fold && logs_starts(s, len, "The command \"")) {
		const char *p = NULL;
		for (const char *q = logs_find(s, len, "\" exited with "); q; q = logs_find(q + 1, (size_t)(end - q - 1), "\" exited with "))
			p = q;
		if (p) {
			st->last_command = from_code(p + 14, end);
			st->last_command_line = a->res->lines;
		}
	}
	if (hits & (1u << N_CIRCLE_EXIT)) {
		const char *p = logs_find(s, len, "Exited with code ");
		if (p) {
			p += 17;
			if (logs_starts(p, (size_t)(end - p), "exit status "))
				p += 12;
			enum logs_status c = from_code(p, end);
			if (c != LOGS_STATUS_UNKNOWN)
				st->circle = c;
		}
	}
	if (hits & (1u << N_CIRCLE_TIMEOUT))
		st->circle = LOGS_STATUS_TIMEOUT;
	return 0;
}

static void finish(void *stp, const void *sh, struct logs_acc *a)
{
	struct state *st = stp;
	struct logs_result *r = a->res;
	if (a->provider == LOGS_PROV_GHA) {
		if (st->gha_timeout)
			r->status = LOGS_STATUS_TIMEOUT;
		else if (st->gha_cancelled)
			r->status = LOGS_STATUS_CANCELLED;
		else if (st->gha_last != LOGS_STATUS_UNKNOWN)
			r->status = st->gha_last;
		else
			r->status = LOGS_STATUS_OK;
		return;
	}
	if (st->travis_done != LOGS_STATUS_UNKNOWN)
		r->status = st->travis_done;
	else if (st->travis_timeout)
		r->status = LOGS_STATUS_TIMEOUT;
	else if (st->travis_cancelled)
		r->status = LOGS_STATUS_CANCELLED;
	else if (st->travis_terminated)
		r->status = LOGS_STATUS_TERMINATED;
	else if (st->circle != LOGS_STATUS_UNKNOWN)
		r->status = st->circle;
	else if (st->last_command != LOGS_STATUS_UNKNOWN && st->last_command_line == r->lines)
		r->status = st->last_command;
}

const struct logs_parser_def logs_parse_status = {
	.name = "status",
	.needles = needles,
	.sees_folds = 1,
	.state_size = sizeof(struct state),
	.line = line,
	.finish = finish,
};

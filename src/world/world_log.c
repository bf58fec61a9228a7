/*
 * GitHub Actions job logs, as `GET /repos/{o}/{r}/actions/jobs/{id}/logs`
 * returns them: every line prefixed with a 7-digit-fraction timestamp, the
 * runner's "Set up job" preamble, one ##[group]Run ... block per step, the
 * post-job clean-up. The language files (world_log_python.c,
 * world_log_java.c) write the set-up, install and test steps in between.
 *
 * The log's clock is the job's: it starts at the job's started_at and moves
 * forward by what each line plausibly took, so the steps' times in the job
 * JSON are read off the log that was written.
 */
#include "world/world_internal.h"
#include "core/utc.h"
#include <stdarg.h>
#include <string.h>
#include <time.h>

void wclock_line(struct wclock *c, const char *fmt, ...)
{
	int64_t sec = c->ticks / 10000000, frac = c->ticks % 10000000;
	va_list ap;
	/* Formatting the date is the costly part: most lines share their second. */
	if (sec != c->stamp_sec || !c->stamp[0]) {
		time_t tt = (time_t)sec;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(c->stamp, sizeof(c->stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		c->stamp_sec = sec;
	}
	buf_addf(c->out, "%s.%07lldZ ", c->stamp, (long long)frac);
	va_start(ap, fmt);
	buf_vaddf(c->out, fmt, ap);
	va_end(ap);
	buf_addch(c->out, '\n');
	/* Consecutive lines are tens to hundreds of microseconds apart. */
	c->ticks += 200 + (int64_t)rng_below(c->rng, 3000);
}

void wclock_wait(struct wclock *c, double seconds)
{
	if (seconds > 0)
		c->ticks += (int64_t)(seconds * 1e7);
}

int64_t wclock_usec(const struct wclock *c)
{
	return c->ticks / 10;
}

void world_log_step_begin(struct wjob *j, struct wclock *c, const char *name)
{
	if (j->nsteps >= WSTEPS_MAX)
		return;
	j->steps[j->nsteps] = (struct wstep){ name, wclock_usec(c), wclock_usec(c), NULL };
	j->nsteps++;
}

void world_log_step_end(struct wjob *j, struct wclock *c, const char *conclusion)
{
	if (!j->nsteps)
		return;
	j->steps[j->nsteps - 1].end = wclock_usec(c);
	j->steps[j->nsteps - 1].conclusion = conclusion;
}

void world_log_step_skip(struct wjob *j, struct wclock *c, const char *name)
{
	world_log_step_begin(j, c, name);
	world_log_step_end(j, c, "skipped");
}

void world_log_run_group(struct wjob *j, struct wclock *c, const char *name, const char *const *cmd, size_t ncmd,
			 const char *env)
{
	world_log_step_begin(j, c, name);
	wclock_line(c, "##[group]Run %s", cmd[0]);
	for (size_t i = 0; i < ncmd; i++)
		wclock_line(c, "\x1b[36;1m%s\x1b[0m", cmd[i]);
	wclock_line(c, "shell: /usr/bin/bash -e {0}");
	if (env) {
		wclock_line(c, "env:");
		wclock_line(c, "  %s", env);
	}
	wclock_line(c, "##[endgroup]");
}

void world_log_stop(struct wjob *j, struct wclock *c)
{
	if (j->stop == 2) {
		/* The clock runs on to the job's timeout-minutes; the runner says so. */
		c->ticks = (j->start + 30 * 60 * 1000000LL) * 10 + (int64_t)rng_below(c->rng, 10000000);
		wclock_line(c, "##[error]The job running on runner GitHub Actions %d has exceeded the maximum execution time of 30 minutes.",
			    j->runner);
	} else {
		wclock_wait(c, 5 + 60 * wr_unit(c->rng)); /* cancelled a little later */
	}
	wclock_line(c, "##[error]The operation was canceled.");
	world_log_step_end(j, c, "cancelled");
	j->conclusion = j->stop == 2 ? "timed_out" : "cancelled";
}

void world_log_exit(struct wjob *j, struct wclock *c, int code)
{
	wclock_line(c, "##[error]Process completed with exit code %d.", code);
	world_log_step_end(j, c, "failure");
	j->conclusion = "failure";
}

void world_log_failing_values(uint32_t unit, int *want, int *got, int *line)
{
	uint64_t h = rng_mix(unit * 977u + 13);
	*want = (int)(h % 1000);
	*got = *want + 1 + (int)((h >> 12) % 9);
	*line = 5 + (int)((h >> 24) % 200);
}

static void preamble(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c)
{
	int py = r->lang == WL_PYTHON;
	world_log_step_begin(j, c, "Set up job");
	wclock_line(c, "Current runner version: '2.311.0'");
	wclock_line(c, "##[group]Operating System");
	wclock_line(c, "Ubuntu");
	wclock_line(c, "22.04.3");
	wclock_line(c, "LTS");
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "##[group]Runner Image");
	wclock_line(c, "Image: ubuntu-22.04");
	wclock_line(c, "Version: 20231115.7.0");
	wclock_line(c, "Included Software: https://github.com/actions/runner-images/blob/ubuntu22/20231115.7/images/ubuntu/Ubuntu2204-Readme.md");
	wclock_line(c, "Image Release: https://github.com/actions/runner-images/releases/tag/ubuntu22%%2F20231115.7");
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "##[group]Runner Image Provisioner");
	wclock_line(c, "2.0.321.1");
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "##[group]GITHUB_TOKEN Permissions");
	wclock_line(c, "Contents: read");
	wclock_line(c, "Metadata: read");
	if (!b->pr_branch_repo)
		wclock_line(c, "PullRequests: write");
	wclock_line(c, "##[endgroup]");
	/* Workflows of pull requests from forks get no secrets. */
	wclock_line(c, "Secret source: %s", b->pr_branch_repo ? "None" : "Actions");
	wclock_line(c, "Prepare workflow directory");
	wclock_line(c, "Prepare all required actions");
	wclock_line(c, "Getting action download info");
	wclock_wait(c, 0.2 + 0.6 * wr_unit(c->rng));
	wclock_line(c, "Download action repository 'actions/checkout@v4' (SHA:b4ffde65f46336ab88eb53be808477a3936bae11)");
	if (py)
		wclock_line(c, "Download action repository 'actions/setup-python@v5' (SHA:0a5c61591373683505ea898e09a3ea4f39ef2b9c)");
	else
		wclock_line(c, "Download action repository 'actions/setup-java@v4' (SHA:387ac29b308b003ca37ba93a6cab5eb57c8f5f93)");
	wclock_line(c, "Complete job name: %s", j->name);
	world_log_step_end(j, c, "success");
}

static void checkout(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c)
{
	char sha[GIT_OID_HEXSZ + 1];
	char target[128];
	int objs = 40 + (int)(r->npaths * 3);
	git_oid_tostr(sha, sizeof(sha), &b->head);
	if (b->pr)
		snprintf(target, sizeof(target), "refs/remotes/pull/%d/merge", b->pr);
	else
		snprintf(target, sizeof(target), "refs/remotes/origin/%s", b->branch);
	wclock_wait(c, 0.3 + wr_unit(c->rng));
	world_log_step_begin(j, c, "Run actions/checkout@v4");
	wclock_line(c, "##[group]Run actions/checkout@v4");
	wclock_line(c, "with:");
	wclock_line(c, "  repository: %s", r->full);
	wclock_line(c, "  token: ***");
	wclock_line(c, "  ssh-strict: true");
	wclock_line(c, "  persist-credentials: true");
	wclock_line(c, "  clean: true");
	wclock_line(c, "  fetch-depth: 1");
	wclock_line(c, "  lfs: false");
	wclock_line(c, "  submodules: false");
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "Syncing repository: %s", r->full);
	wclock_line(c, "##[group]Getting Git version info");
	wclock_line(c, "Working directory is '/home/runner/work/%s/%s'", r->name, r->name);
	wclock_line(c, "[command]/usr/bin/git version");
	wclock_line(c, "git version 2.42.0");
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "##[group]Initializing the repository");
	wclock_line(c, "[command]/usr/bin/git init /home/runner/work/%s/%s", r->name, r->name);
	wclock_line(c, "Initialized empty Git repository in /home/runner/work/%s/%s/.git/", r->name, r->name);
	wclock_line(c, "[command]/usr/bin/git remote add origin https://github.com/%s", r->full);
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "##[group]Fetching the repository");
	wclock_line(c, "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --progress --no-recurse-submodules --depth=1 origin +%s:%s",
		    sha, target);
	wclock_wait(c, 0.2 + 0.5 * wr_unit(c->rng));
	wclock_line(c, "remote: Enumerating objects: %d, done.        ", objs);
	wclock_line(c, "remote: Counting objects: 100%% (%d/%d), done.        ", objs, objs);
	wclock_line(c, "remote: Compressing objects: 100%% (%d/%d), done.        ", objs * 2 / 3, objs * 2 / 3);
	wclock_line(c, "remote: Total %d (delta 3), reused %d (delta 0), pack-reused 0        ", objs, objs / 4);
	wclock_line(c, "From https://github.com/%s", r->full);
	wclock_line(c, " * [new ref]         %s -> %s", sha, target + 13);
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "##[group]Checking out the ref");
	if (b->pr)
		wclock_line(c, "[command]/usr/bin/git checkout --progress --force %s", target);
	else
		wclock_line(c, "[command]/usr/bin/git checkout --progress --force -B %s %s", b->branch, target);
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "[command]/usr/bin/git log -1 --format='%%H'");
	wclock_line(c, "'%s'", sha);
	world_log_step_end(j, c, "success");
}

static void post(struct wrepo *r, struct wjob *j, struct wclock *c)
{
	snprintf(j->post_setup_name, sizeof(j->post_setup_name), "Post %s", j->setup_name);
	world_log_step_begin(j, c, j->post_setup_name);
	if (r->lang == WL_JAVA) {
		wclock_line(c, "Post job cleanup.");
		wclock_wait(c, 0.2 + 1.5 * wr_unit(c->rng));
		wclock_line(c, "Cache hit occurred on the primary key setup-java-Linux-maven-%016llx, not saving cache.",
			    (unsigned long long)rng_mix((uint64_t)r->gh_id));
	}
	world_log_step_end(j, c, "success");
	world_log_step_begin(j, c, "Post Run actions/checkout@v4");
	wclock_line(c, "Post job cleanup.");
	wclock_line(c, "[command]/usr/bin/git version");
	wclock_line(c, "git version 2.42.0");
	wclock_line(c, "[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand");
	wclock_line(c, "[command]/usr/bin/git config --local --unset-all http.https://github.com/.extraheader");
	world_log_step_end(j, c, "success");
	world_log_step_begin(j, c, "Complete job");
	wclock_line(c, "Cleaning up orphan processes");
	world_log_step_end(j, c, "success");
}

void world_log_job(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct buf *log)
{
	struct wclock c = { j->start * 10 + (int64_t)rng_below(&r->rng, 10), &r->rng, log, 0, { 0 } };
	j->nsteps = 0;
	j->conclusion = "success";
	snprintf(j->setup_name, sizeof(j->setup_name), "Set up %s %s", r->lang == WL_PYTHON ? "Python" : "JDK",
		 j->version);
	preamble(r, b, j, &c);
	checkout(r, b, j, &c);
	if (r->lang == WL_PYTHON)
		world_log_python(r, b, j, &c);
	else
		world_log_java(r, b, j, &c);
	if (j->stop) {
		/* A cancelled job runs no post steps; its end is the cancellation. */
		j->end = wclock_usec(&c);
		return;
	}
	post(r, j, &c);
	j->end = wclock_usec(&c);
}

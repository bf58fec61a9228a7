/*
 * libFuzzer target for the local archive provider (src/ci/ci_local.c;
 * format: docs/local-archive.md). An input is an archive: the bytes before
 * the first NUL are runs.jsonl, those after it (if any) pulls.jsonl. The
 * archive is opened as ciminer opens it, then every line that is a JSON
 * object is asked for as a run of its repository: the repository, the run,
 * its jobs, their logs (logs/ is empty: each must fail as "not found";
 * outside.log beside it must never be read) and pull requests 1-3. A run that is found must
 * be the one asked for.
 */
#include "fuzz_support.h"
#include "ci/pr.h"
#include "ci/provider.h"
#include "core/buf.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void ask(struct ci_provider *p, const json_t *line)
{
	const char *repo = json_string_value(json_object_get(json_object_get(line, "repository"), "full_name"));
	json_t *idv = json_object_get(line, "id");
	char id[64];
	struct err e = ERR_INIT;
	if (!repo || !json_is_integer(idv))
		return;
	snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(idv));

	struct ci_repo r = CI_REPO_INIT;
	ci_repo_get(p, &r, repo, &e);
	ci_repo_release(&r);

	struct ci_run run;
	ci_run_init(&run);
	if (ci_run_get(p, &run, repo, id, &e) == 0) {
		if (!run.ci_run_id || strcmp(run.ci_run_id, id) != 0)
			abort(); /* another run than the one asked for */
		for (size_t i = 0; i < run.n_jobs && i < 4; i++) {
			struct buf b = BUF_INIT;
			struct ci_sink sink = ci_sink_buf(&b);
			size_t bytes = 0;
			int trunc = 0;
			if (!run.jobs[i].id)
				continue;
			int rc = ci_log_fetch(p, repo, run.jobs[i].id, &sink, 1 << 16, &bytes, &trunc, &e);
			if (rc != CI_ERR_NOT_FOUND) {
				fprintf(stderr, "fuzz_local: the log of job %s was found (%d %s)\n", run.jobs[i].id, rc,
					e.msg);
				abort(); /* logs/ is empty: any log found came from outside it */
			} /* logs/ is empty: any log found came from outside it */
			buf_release(&b);
		}
	}
	ci_run_release(&run);

	struct ci_job *jobs = NULL;
	size_t n = 0;
	ci_jobs_list(p, &jobs, &n, repo, id, &e);
	ci_jobs_free(jobs, n);

	struct ci_pr_req reqs[3] = { { .number = 1 }, { .number = 2 }, { .number = 3 } };
	struct ci_pr_ctx ctx = CI_PR_CTX_INIT;
	if (ci_prs_get(p, repo, reqs, 3, &ctx, &e) == 0)
		for (size_t i = 0; i < 3; i++)
			if (reqs[i].rc == 0)
				ci_pr_release(&reqs[i].pr);
	ci_pr_ctx_release(&ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		char logs[4200];
		snprintf(logs, sizeof(logs), "%s/logs", fuzz_dir());
		mkdir(logs, 0700);
		fuzz_write("outside.log", "not a log of the archive\n", 25);
		ready = 1;
	}
	const uint8_t *nul = memchr(data, 0, size);
	size_t nruns = nul ? (size_t)(nul - data) : size;
	char pulls[4200];
	fuzz_write("runs.jsonl", data, nruns);
	snprintf(pulls, sizeof(pulls), "%s/pulls.jsonl", fuzz_dir());
	if (nul)
		fuzz_write("pulls.jsonl", nul + 1, size - nruns - 1);
	else
		remove(pulls);

	struct ci_options o;
	ci_options_init(&o);
	o.archive_dir = fuzz_dir();
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	if (ci_provider_open(&p, CI_LOCAL, &o, &e) != 0) {
		if (!e.msg[0])
			abort();
		ci_provider_free(p);
		return 0;
	}
	const char *at = (const char *)data, *end = at + nruns;
	for (int lines = 0; at < end && lines < 64; lines++) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		size_t len = nl ? (size_t)(nl - at) : (size_t)(end - at);
		json_t *line = json_loadb(at, len, 0, NULL);
		if (json_is_object(line))
			ask(p, line);
		json_decref(line);
		at += len + 1;
	}
	ci_provider_free(p);
	return 0;
}

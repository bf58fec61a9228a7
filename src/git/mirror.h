/*
 * Bare mirrors of repositories: <data-dir>/repos/<owner>/<name>.git, cloned
 * once and fetched when a build needs commits the mirror lacks. Shared by
 * every scenario.
 *
 * Fetched (forced, never pruned, so a commit once fetched stays reachable):
 * every branch, every tag, and refs/pull/<N>/head and refs/pull/<N>/merge
 * (the fork commits that pull-request builds test), as mirror.c's refspecs.
 * ciminer's own refs live under refs/ciminer/ (pinned commits).
 *
 * Concurrency: cloning and fetching take an exclusive flock() on
 * <data-dir>/repos/<owner>/<name>.git.lock, so threads and processes that
 * share a data dir never clone or fetch the same repository at once (a
 * second caller waits, then finds the work done). Reading objects needs no
 * lock. A clone is made in a temporary folder beside the mirror and renamed
 * into place only when complete: a crash mid-clone leaves no folder that looks
 * like a mirror (the temporary one is removed by the next clone).
 *
 * The URL is https://, http://, file://, or an absolute local path. HTTP(S)
 * credentials are not handled here (public repositories).
 *
 * A struct git_mirror wraps one open libgit2 repository; use it from one
 * thread at a time (libgit2 repositories are not thread-safe).
 */
#ifndef GIT_MIRROR_H
#define GIT_MIRROR_H
#include <stddef.h>
#include <stdint.h>
#include <git2.h>
#include "core/err.h"

struct git_mirror;

/*
 * Opens the mirror of full_name ("owner/name") under data_dir, cloning it from
 * url when it does not exist yet. *cloned (may be NULL) is set to 1 when this
 * call cloned. Errors: ERR_INPUT for a malformed name or URL (message names
 * it), ERR_NETWORK when the clone failed (retryable), ERR_IO for the disk.
 * The caller frees *out with git_mirror_free().
 */
int git_mirror_open(struct git_mirror **out, int *cloned, const char *data_dir, const char *full_name,
		    const char *url, struct err *e);
void git_mirror_free(struct git_mirror *m);

/* Fetches all refspecs from the mirror's URL (under the lock). */
int git_mirror_fetch(struct git_mirror *m, struct err *e);

/*
 * Makes sure the given commits (40-hex ids) are in the mirror: when any is
 * absent, fetches all refs once; commits still absent are then asked for by
 * id (servers that allow it serve commits force-pushed away from every ref).
 * present_out[i] is 1 when shas[i] is a commit in the mirror afterwards, 0
 * when it is missing (the caller's missing_resource: not retryable). Every
 * present commit is pinned by refs/ciminer/keep/<id>, so it stays reachable
 * from a ref (and so in the history index) whatever happens upstream.
 * *fetched (may be NULL) tells whether a fetch ran. Returns ERR_INPUT for a
 * malformed id (nothing fetched), ERR_NETWORK when the fetch failed
 * (retryable; present_out then holds the state before the fetch).
 */
int git_mirror_ensure_commits(struct git_mirror *m, const char *const *shas, size_t n, uint8_t *present_out,
			      int *fetched, struct err *e);

/* 1 when the commit is in the mirror (no fetch). */
int git_mirror_has_commit(struct git_mirror *m, const git_oid *oid);

/* The open repository (borrowed, owned by the mirror). */
git_repository *git_mirror_repo(const struct git_mirror *m);
/* The mirror's folder (borrowed). */
const char *git_mirror_path(const struct git_mirror *m);

/* Checks an "owner/name" repository name; ERR_INPUT naming it otherwise. */
int git_mirror_check_name(const char *full_name, struct err *e);

#endif

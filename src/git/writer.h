/*
 * Writing a new bare repository from objects made in memory: blobs, trees
 * updated from a base tree, commits and refs. The world generator
 * (src/world/) writes its repositories through this, so that libgit2's
 * object writing is used in one place of the tree (docs/architecture.md,
 * "Layers").
 *
 * Objects go to an in-memory mempack backend while they are written (no
 * loose-object file per blob, which is what makes thousands of commits take
 * seconds) and are written as one pack by git_writer_close(); refs are
 * written loose and then packed into packed-refs. The repository is bare: no
 * working tree, no index and no reflog, so nothing in it depends on the wall
 * clock, and the same calls give byte-identical files.
 *
 * Errors: ERR_INTERNAL when libgit2 refuses something; the message starts
 * with the label given to git_writer_open() (a repository's name).
 *
 * One writer is used from one thread at a time. Opening one initialises
 * libgit2 (git_libgit2_init) and closing it shuts it down again.
 */
#ifndef GIT_WRITER_H
#define GIT_WRITER_H
#include <stddef.h>
#include <stdint.h>
#include <git2.h>
#include "core/err.h"

struct git_writer;

/* An author or committer: the time is usec UTC, the zone minutes east of UTC. */
struct git_writer_sig {
	const char *name, *email;
	int64_t usec;
	int tz_min;
};

/* One path's change in git_writer_tree(): a blob put at path, or path removed. */
struct git_writer_update {
	const char *path;
	int remove;     /* 1: remove path (blob is ignored) */
	git_oid blob;
};

/*
 * Creates the bare repository at path (its folders too; an existing
 * repository is refused) with HEAD naming initial_head. label names the
 * repository in error messages and is copied.
 */
int git_writer_open(struct git_writer **out, const char *path, const char *initial_head, const char *description,
		    const char *label, struct err *e);
/* The empty tree's id (written by git_writer_open). */
const git_oid *git_writer_empty_tree(const struct git_writer *w);
int git_writer_blob(git_oid *out, struct git_writer *w, const void *data, size_t len, struct err *e);
/* Writes the tree base with ups applied (base NULL: the empty tree). */
int git_writer_tree(git_oid *out, struct git_writer *w, const git_oid *base, const struct git_writer_update *ups,
		    size_t n, struct err *e);
int git_writer_commit(git_oid *out, struct git_writer *w, const git_oid *tree, const git_oid *const *parents,
		      size_t nparents, const struct git_writer_sig *author, const struct git_writer_sig *committer,
		      const char *message, struct err *e);
/* Creates or moves ref name (refs/heads/..., refs/tags/..., refs/pull/<N>/head) to oid. */
int git_writer_ref(struct git_writer *w, const char *name, const git_oid *oid, struct err *e);
/* Deletes ref name; a missing ref is fine. */
void git_writer_unref(struct git_writer *w, const char *name);
/*
 * Writes everything reachable from the refs as one pack, packs the refs and
 * frees w (also on failure; NULL is fine). Objects no ref reaches are dropped.
 */
int git_writer_close(struct git_writer *w, struct err *e);

#endif

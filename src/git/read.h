/*
 * Reading a repository without a checkout: commits by id, blobs by path at a
 * commit, and tree listings. Feature extraction and scanners read files
 * straight from the mirror's object database through these.
 *
 * Errors: ERR_NOT_FOUND when the commit or path does not exist (message names
 * it), ERR_INPUT for a malformed id, ERR_TOOBIG when a blob exceeds the cap,
 * ERR_IO for a libgit2 failure.
 */
#ifndef GIT_READ_H
#define GIT_READ_H
#include <stddef.h>
#include <stdint.h>
#include <git2.h>
#include "core/buf.h"
#include "core/err.h"

/* Parses 40 hex digits (ERR_INPUT otherwise). */
int git_read_parse_oid(git_oid *out, const char *hex, struct err *e);

/* Looks a commit up; the caller frees *out with git_commit_free(). */
int git_read_commit(git_commit **out, git_repository *repo, const git_oid *commit, struct err *e);

/*
 * Appends the content of path at commit to out (out's own cap applies too);
 * max > 0 refuses larger blobs with ERR_TOOBIG. path is repository-relative
 * ("src/main.c"); a folder is ERR_NOT_FOUND ("is a folder").
 */
int git_read_blob_at(struct buf *out, git_repository *repo, const git_oid *commit, const char *path, size_t max,
		     struct err *e);

struct git_read_entry {
	char *path;       /* repository-relative */
	git_oid oid;
	uint32_t mode;    /* git_filemode_t */
	uint8_t is_tree;  /* 1 for folders (listed only when not recursive) */
};
struct git_read_entries {
	struct git_read_entry *v;
	size_t n, cap;
};
#define GIT_READ_ENTRIES_INIT { NULL, 0, 0 }

/*
 * Lists the folder dir ("" or NULL for the root) of commit's tree into out
 * (appending). recursive: every file below dir, folders not listed; otherwise
 * the folder's direct entries, folders included. Submodules are listed as
 * entries with mode GIT_FILEMODE_COMMIT. Order is git's tree order.
 */
int git_read_tree_list(struct git_read_entries *out, git_repository *repo, const git_oid *commit, const char *dir,
		       int recursive, struct err *e);
void git_read_entries_release(struct git_read_entries *l);

#endif

/*
 * Private layout of struct git_history, shared by history.c (life cycle,
 * look-ups, built commits), history_build.c (the indexing pass) and
 * history_query.c (views and window queries). Not for other modules.
 */
#ifndef GIT_HISTORY_INTERNAL_H
#define GIT_HISTORY_INTERNAL_H
#include "git/history.h"
#include "git/oidtab.h"
#include "core/buf.h"

/* Line and test counts of one blob, read once by its id. */
struct git_history_blob {
	uint32_t total, code;
	uint32_t cases, asserts;
	uint8_t lang;
	uint8_t binary;
	uint8_t tests_done;   /* cases/asserts are filled */
	uint8_t use_fallback; /* cases counted with the language's fallback pattern */
};

struct git_history {
	git_repository *repo; /* borrowed */
	struct git_classify_ctx *cls;

	struct git_history_commit *commits;
	size_t ncommits, commits_cap;
	uint32_t *parents;
	size_t nparents, parents_cap;
	struct git_history_change *changes;
	size_t nchanges, changes_cap;
	struct git_history_langtotals *totals;
	size_t ntotals, totals_cap;
	uint32_t *by_time; /* commit indexes ordered by commit time (stable) */
	uint32_t nby_time, by_time_cap;
	uint8_t *has_child; /* per commit: 1 when an indexed commit has it as a parent */
	size_t has_child_cap;
	struct git_oidtab commit_ids;

	struct git_history_path *paths;
	size_t npaths, paths_cap;
	struct strmap path_ids; /* path -> (id + 1) */

	struct git_history_ident *idents;
	size_t nidents, idents_cap;
	struct strmap ident_ids; /* lower-case e-mail -> (id + 1) */

	struct git_history_blob *blobs;
	size_t nblobs, blobs_cap;
	struct git_oidtab blob_ids;
};

/* Frees every table (not the classify context, not the struct). */
void git_history_release_tables(struct git_history *h);
/* Interns a path (computing its class once); returns its id. */
uint32_t git_history_intern_path(struct git_history *h, const char *path);
/* Interns an identity by e-mail (name when the e-mail is empty). */
uint32_t git_history_intern_ident(struct git_history *h, const char *name, const char *email);
/* Enters commit c (already in h->commits, parents and changes stored) into
 * the look-up tables: id table, child marks, time order, author and path
 * commit lists. Used by the indexing pass and by the cache loader. */
void git_history_link_commit(struct git_history *h, uint32_t c);
/* Inserts c into a list of commit indexes kept sorted by key(c) (stable:
 * equal keys keep insertion order). by_author selects author_time. */
void git_history_sorted_insert(const struct git_history *h, uint32_t **list, uint32_t *n, uint32_t *cap,
			       uint32_t c, int by_author);

/*
 * history_blobs.c. Line and test counts of a blob for a language, from the
 * cache or by reading it (loaded may pass an already loaded blob). Counts of
 * a blob under another language than the cached one are computed and not
 * cached (the cache holds one language per blob id).
 */
int git_history_blob_stat(struct git_history *h, struct git_history_update_stats *st, const git_oid *oid, int lang,
			  int need_tests, const git_blob *loaded, struct git_history_blob *out, struct err *e);
/* Sets a "reading blob <id>: <libgit2 message>" error. */
int git_history_blob_fail(struct err *e, const git_oid *oid);
/* Fills ch->added/deleted/tests_added/tests_deleted from the line diff of two
 * loaded text blobs (libgit2's xdiff, no context lines). old_fb/new_fb: the
 * test-case pattern choice of each side (git_history_blob.use_fallback). */
int git_history_blob_diff(struct git_history *h, const struct git_history_path *op, const git_blob *ob, int old_fb,
			  const struct git_history_path *np, const git_blob *nb, int new_fb,
			  struct git_history_change *ch, struct err *e);

/* --- the indexing pass (history_build.c, history_diff.c) --- */

/* One changed path found by the tree diff, before line counts. */
struct git_history_raw {
	uint32_t path, old_path;
	git_oid old_oid, new_oid;
	uint8_t status;
	uint8_t paired; /* deleted side already consumed by a rename */
};

struct git_history_pass {
	struct git_history *h;
	struct git_history_update_stats *st;
	struct err *e;
	struct git_history_raw *raw;
	size_t nraw, raw_cap;
	struct buf prefix;
	int64_t tot[GIT_LANG_COUNT][6]; /* working per-language totals (history_build.c) */
	int64_t doc, ci, other;
};

/* Fills p->raw with the changed files between two trees (old NULL: the
 * empty tree), renames paired. */
int git_history_diff_commit(struct git_history_pass *p, const git_oid *old_tree, const git_oid *new_tree);

#endif

/*
 * The per-repository history index: one chronological pass over every commit
 * reachable from any ref of a mirror (branches, tags, refs/pull/N/head and
 * refs/pull/N/merge), after which every git feature of a build is a look-up or
 * a window sum instead of a fresh walk or diff.
 *
 * (The module is called "history" rather than "index" because libgit2 owns
 * the git_index_* names.)
 *
 * What the pass records, per commit: parents, author and committer identity
 * and times, and per-file changes against the FIRST parent (the empty tree for
 * a root): status (added / deleted / modified / renamed), lines added and
 * deleted, a binary flag, and test-case definitions on added/deleted lines of
 * test files. Derived: per-path commit lists, per-identity commit lists, blob
 * line counts (each blob read once, by id), and per-commit repository totals
 * (source SLOC, test SLOC, test cases, assertions, files per class) carried
 * from the first parent plus the commit's own changes, so that "SLOC at a
 * commit" is an O(1) look-up.
 *
 * Invariants:
 *  - Commit indexes are dense (0..count-1) and topological: every parent has
 *    a smaller index than its children. git_history_update() only appends.
 *  - Times are int64 microseconds UTC (core/utc.h).
 *  - Path ids and identity ids are dense and stable for the life of the index.
 *  - Identities are keyed by lower-cased e-mail (the name when the e-mail is
 *    empty); no .mailmap is applied.
 *
 * Threads: an index may be queried from several threads at once, each with
 * its own struct git_history_view; git_history_update() must not run while any
 * query does. The git_repository given to git_history_new() is borrowed and
 * used only by git_history_update().
 *
 * Point-in-time queries ("history up to the build's commit") go through a
 * view: git_history_view_set(v, c) marks the ancestors of c (c included);
 * window queries then see only those commits, never later history nor other
 * branches. Windows are half-open [from, to) over commit (committer) time.
 */
#ifndef GIT_HISTORY_H
#define GIT_HISTORY_H
#include <stddef.h>
#include <stdint.h>
#include <git2.h>
#include "core/err.h"
#include "git/classify.h"

#define GIT_HISTORY_NONE UINT32_MAX

enum git_history_status {
	GIT_HISTORY_ADDED = 1,
	GIT_HISTORY_DELETED = 2,
	GIT_HISTORY_MODIFIED = 3,
	GIT_HISTORY_RENAMED = 4, /* old_path -> path; lines are the diff of the two blobs */
};

#define GIT_HISTORY_F_BINARY 0x01

/* One file changed by a commit against its first parent. */
struct git_history_change {
	uint32_t path;      /* path id (the new path of a rename) */
	uint32_t old_path;  /* renames: the old path id; GIT_HISTORY_NONE otherwise */
	uint32_t added;     /* lines added (0 for binary files) */
	uint32_t deleted;   /* lines deleted (0 for binary files) */
	uint16_t tests_added;   /* test-case definitions on added lines (test files only) */
	uint16_t tests_deleted; /* test-case definitions on deleted lines (test files only) */
	uint8_t status;     /* enum git_history_status */
	uint8_t flags;      /* GIT_HISTORY_F_* */
};

struct git_history_commit {
	git_oid oid;
	git_oid tree;
	uint32_t author, committer;   /* identity ids */
	int64_t author_time;          /* usec */
	int64_t commit_time;          /* usec */
	int64_t first_time;           /* earliest author time among the commit's ancestors (itself included) */
	uint32_t parents_off, nparents;
	uint32_t changes_off, nchanges;
	uint32_t totals_off, ntotals; /* per-language totals of the commit's tree */
	uint32_t doc_files, ci_files, other_files; /* files of those classes in the tree */
};

/* Repository totals of one language in a commit's tree. */
struct git_history_langtotals {
	uint8_t lang;          /* enum git_lang */
	uint32_t src_files;    /* non-test source files */
	uint32_t src_sloc;     /* their code lines (no blank, no comment-only lines) */
	uint32_t test_files;
	uint32_t test_sloc;
	uint32_t test_cases;   /* test-case definitions in test files */
	uint32_t test_asserts; /* assertions in test files */
};

struct git_history_path {
	char *path;
	struct git_classification cls;
	uint32_t *commits; /* commits that changed this path (as path or rename source), by commit time */
	uint32_t ncommits, cap;
};

struct git_history_ident {
	char *name;  /* as first seen */
	char *email; /* as first seen */
	uint32_t *commits; /* commits authored, by author time */
	uint32_t ncommits, cap;
};

struct git_history;

/* Counters of one git_history_update() call. */
struct git_history_update_stats {
	uint32_t commits_added;
	uint32_t blobs_counted;
	uint32_t blob_diffs;
	uint32_t renames;
	int64_t usec;
};

/* An empty index over repo (borrowed; must outlive the index). Call
 * git_history_update() to fill it. Side effect: switches off libgit2's
 * process-wide re-hashing of objects on read (see docs/git.md). */
int git_history_new(struct git_history **out, git_repository *repo, struct err *e);
void git_history_free(struct git_history *h);

/*
 * Indexes every commit reachable from any ref (peeled; refs that do not peel
 * to a commit are skipped) that is not yet in the index, parents first. On
 * error the commits indexed before it stay and the index stays consistent.
 * stats may be NULL.
 */
int git_history_update(struct git_history *h, struct git_history_update_stats *stats, struct err *e);

/*
 * A cache file, so that a restarted worker indexes only what was fetched
 * since (default place: "<mirror>/ciminer-history.idx"). The file is keyed by
 * its format, record layout and the classification rules' fingerprint; a
 * stale or damaged file is ignored, never trusted.
 *
 * git_history_open(): a new index, loaded from cache_path when it holds a
 * usable file (NULL: no cache), updated from the refs, and saved back when
 * the update added commits (or nothing was loaded). A cache whose commits the
 * repository cannot walk is dropped and the index rebuilt. stats may be NULL.
 * git_history_load() fills an EMPTY index (*loaded = 0 when the file is
 * missing or unusable: not an error). git_history_save() writes atomically.
 */
int git_history_open(struct git_history **out, git_repository *repo, const char *cache_path,
		     struct git_history_update_stats *stats, struct err *e);
int git_history_load(struct git_history *h, const char *path, int *loaded, struct err *e);
int git_history_save(const struct git_history *h, const char *path, struct err *e);

/* --- look-ups (borrowed pointers; valid until the next update or free) --- */
uint32_t git_history_count(const struct git_history *h);
/* Bytes held by the index itself (not libgit2's object cache). */
size_t git_history_memory(const struct git_history *h);
/* Commit index of an id, or GIT_HISTORY_NONE when not indexed. */
uint32_t git_history_find(const struct git_history *h, const git_oid *oid);
/* Same from 40 hex digits; GIT_HISTORY_NONE also for a malformed string. */
uint32_t git_history_find_hex(const struct git_history *h, const char *hex);
const struct git_history_commit *git_history_commit(const struct git_history *h, uint32_t c);
const uint32_t *git_history_parents(const struct git_history *h, uint32_t c, uint32_t *n);
const struct git_history_change *git_history_changes(const struct git_history *h, uint32_t c, uint32_t *n);
uint32_t git_history_path_count(const struct git_history *h);
const struct git_history_path *git_history_path(const struct git_history *h, uint32_t id);
/* Path id of a path string, or GIT_HISTORY_NONE. */
uint32_t git_history_path_find(const struct git_history *h, const char *path);
uint32_t git_history_ident_count(const struct git_history *h);
const struct git_history_ident *git_history_ident(const struct git_history *h, uint32_t id);
/* Identity id of an e-mail (case-insensitive), or GIT_HISTORY_NONE. */
uint32_t git_history_ident_find(const struct git_history *h, const char *email);

/* --- previously built commits: a set of commit indexes --- */
struct git_history_marks {
	uint8_t *bits;
	size_t nbytes;
};
#define GIT_HISTORY_MARKS_INIT { NULL, 0 }
void git_history_marks_add(struct git_history_marks *m, uint32_t c);
int git_history_marks_has(const struct git_history_marks *m, uint32_t c);
void git_history_marks_release(struct git_history_marks *m);

/*
 * Built commits of a build (TravisTorrent's rule): start at trigger and walk
 * back along parents. The trigger is always included; if it is a merge the
 * walk stops (merge_found). Each further commit: if it is in `built` (built by
 * an earlier build), stop without including it and report it as prev
 * (build_found); otherwise include it and stop after it if it is a merge
 * (merge_found). Reaching a root gives no_previous_build. Because the walk
 * stops at the first merge, it only ever follows single-parent commits, so
 * topological order is simply parent order. `built` may be NULL (empty set).
 */
enum git_history_prev_status {
	GIT_HISTORY_BUILD_FOUND = 1,
	GIT_HISTORY_MERGE_FOUND = 2,
	GIT_HISTORY_NO_PREVIOUS_BUILD = 3,
};
struct git_history_built {
	uint32_t *commits; /* trigger first, then its ancestors */
	size_t n, cap;
	int status;        /* enum git_history_prev_status */
	uint32_t prev;     /* the previously built commit (build_found), else GIT_HISTORY_NONE */
};
#define GIT_HISTORY_BUILT_INIT { NULL, 0, 0, 0, GIT_HISTORY_NONE }
void git_history_built_commits(struct git_history_built *out, const struct git_history *h, uint32_t trigger,
			       const struct git_history_marks *built);
void git_history_built_release(struct git_history_built *b);
/* "build_found", "merge_found", "no_previous_build" */
const char *git_history_prev_status_name(int status);

/* --- views: the history up to one commit, plus per-thread scratch --- */
struct git_history_view;
struct git_history_view *git_history_view_new(const struct git_history *h);
void git_history_view_free(struct git_history_view *v);
/* Makes the view the ancestors of c (c included). O(c) over flat arrays. */
void git_history_view_set(struct git_history_view *v, uint32_t c);
/* The commit the view was set to (GIT_HISTORY_NONE before the first set). */
uint32_t git_history_view_commit(const struct git_history_view *v);
/* Number of commits up to the view's commit, itself included. */
uint32_t git_history_view_size(const struct git_history_view *v);
int git_history_view_contains(const struct git_history_view *v, uint32_t c);

/*
 * Diff statistics summed over a set of commits (each against its first
 * parent). Counts of files are of unique paths; a path counted under several
 * statuses across the commits is counted under each. lang_mask selects the
 * languages whose files count as source/test (bit 1u << GIT_LANG_x; 0 means
 * all); files of other languages then count as other. Uses v as scratch only
 * (the view's commit does not matter).
 */
struct git_history_diffsum {
	uint32_t commits;
	uint32_t files_added, files_deleted, files_modified, files_renamed;
	uint32_t files_touched; /* unique paths (renames: old and new) */
	uint32_t src_files, test_files, doc_files, ci_files, other_files; /* unique touched paths per class */
	uint32_t binary_files;
	uint64_t lines_added, lines_deleted;
	uint64_t src_churn;  /* added + deleted lines in source files */
	uint64_t test_churn; /* added + deleted lines in test files */
	uint64_t doc_churn, ci_churn, other_churn;
	uint32_t tests_added, tests_deleted; /* test-case definitions */
	uint32_t tools;      /* enum git_tool bits of the CI files touched */
	double entropy;      /* -sum p log2 p over the per-path share of churn; 0 when no churn */
	uint32_t *paths;     /* the unique touched path ids, ascending */
	size_t npaths, cap;
};
#define GIT_HISTORY_DIFFSUM_INIT { 0 }
void git_history_diff_sum(struct git_history_diffsum *out, struct git_history_view *v, const uint32_t *commits,
			  size_t n, uint64_t lang_mask);
/*
 * The same sum with TravisTorrent's semantics (`naming: travistorrent`):
 * src_files = files of Linguist type programming (tests included; Markdown is
 * one: see git_linguist_type), doc_files = markup, other_files = data or
 * unknown to Linguist; prose files count in none of the three. src_churn and
 * test_churn split the programming files' lines by project_lang's test rule
 * (git_classify_tt_is_test), so another language's tests are source; tests
 * added/deleted are the test-case definitions of those test files.
 * test_files = the test files among src_files; ci_files = 0.
 */
void git_history_diff_sum_tt(struct git_history_diffsum *out, struct git_history_view *v, const uint32_t *commits,
			     size_t n, int project_lang);
void git_history_diffsum_release(struct git_history_diffsum *d);

/*
 * Unique commits among the view's history with commit time in [from, to)
 * that changed any of paths, other than the commits in exclude. When author
 * is not GIT_HISTORY_NONE, *by_author receives how many of them that identity
 * authored (by_author may be NULL). Use INT64_MIN / INT64_MAX for no bound.
 *   file commit density: paths = the built commits' paths, window = lookback,
 *                        exclude = the built commits;
 *   revisions of touched files: no window; ownership: with author.
 */
uint32_t git_history_file_commits(struct git_history_view *v, const uint32_t *paths, size_t npaths, int64_t from,
				  int64_t to, const uint32_t *exclude, size_t nexclude, uint32_t author,
				  uint32_t *by_author);

/*
 * Distinct identities among the view's commits with commit time in [from, to):
 * as authors, as committers (which includes whoever merged pull requests), or
 * either. When ids is non-NULL the ids are stored there (ascending; caller
 * frees *ids). Returns the count.
 */
enum git_history_role { GIT_HISTORY_AUTHORS = 1, GIT_HISTORY_COMMITTERS = 2, GIT_HISTORY_EITHER = 3 };
uint32_t git_history_idents_in_window(struct git_history_view *v, int64_t from, int64_t to, int role,
				      uint32_t **ids);

/* Author time of the identity's first authored commit in the view's history,
 * or INT64_MIN when it authored none there (never looks at later history). */
int64_t git_history_author_first_time(const struct git_history_view *v, uint32_t ident);
/* Commits the identity authored in the view's history with author time in [from, to). */
uint32_t git_history_author_commits(const struct git_history_view *v, uint32_t ident, int64_t from, int64_t to);

/*
 * Repository totals of commit c's tree, summed over the languages in lang_mask
 * (0: all). lang is set to GIT_LANG_NONE in the sum.
 */
struct git_history_totals {
	struct git_history_langtotals sum;
	uint32_t doc_files, ci_files, other_files;
};
void git_history_totals_at(struct git_history_totals *out, const struct git_history *h, uint32_t c, uint64_t lang_mask);
/* The per-language rows of c (borrowed); *n receives how many. */
const struct git_history_langtotals *git_history_lang_totals(const struct git_history *h, uint32_t c, uint32_t *n);
/* The language with the most source SLOC at c (ties: the lower enum value), GIT_LANG_NONE when none. */
int git_history_main_language(const struct git_history *h, uint32_t c);

#endif

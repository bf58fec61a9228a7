/*
 * Builds git repositories for the git tests with libgit2: commits with fixed
 * authors and times, made from the first parent's tree plus file edits
 * (git_tree_create_updated), on any ref. Header-only (static functions) so
 * each test executable of tests/git/ can use it; every test fails loudly
 * through Criterion's cr_assert when libgit2 refuses something.
 */
#ifndef TESTS_GIT_REPO_BUILDER_H
#define TESTS_GIT_REPO_BUILDER_H
#include <criterion/criterion.h>
#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One file edit: content NULL removes the path; len 0 with content means strlen. */
struct rb_file {
	const char *path;
	const char *content;
	size_t len;
};

struct rb_person {
	const char *name;
	const char *email;
};

static inline git_repository *rb_init(const char *path, int bare)
{
	git_libgit2_init();
	git_repository *repo = NULL;
	cr_assert_eq(git_repository_init(&repo, path, (unsigned)bare), 0, "init %s", path);
	return repo;
}

static inline int rb_update_cmp(const void *a, const void *b)
{
	return strcmp(((const git_tree_update *)a)->path, ((const git_tree_update *)b)->path);
}

/*
 * Creates a commit whose tree is the first parent's (or empty) with the edits
 * applied, by author at time (seconds since the epoch, UTC), committed by
 * committer (author when NULL) at the same time. ref (may be NULL) is set to it.
 */
static inline git_oid rb_commit_by(git_repository *repo, const char *ref, const git_oid *parents, size_t nparents,
				   const struct rb_file *files, size_t nfiles, struct rb_person author,
				   const struct rb_person *committer, int64_t time, const char *message)
{
	git_tree *base = NULL;
	git_commit *pc[4] = { NULL, NULL, NULL, NULL };
	cr_assert(nparents <= 4);
	for (size_t i = 0; i < nparents; i++)
		cr_assert_eq(git_commit_lookup(&pc[i], repo, &parents[i]), 0);
	if (nparents)
		cr_assert_eq(git_commit_tree(&base, pc[0]), 0);
	git_tree_update *ups = calloc(nfiles ? nfiles : 1, sizeof(*ups));
	for (size_t i = 0; i < nfiles; i++) {
		ups[i].path = files[i].path;
		if (!files[i].content) {
			ups[i].action = GIT_TREE_UPDATE_REMOVE;
			continue;
		}
		size_t len = files[i].len ? files[i].len : strlen(files[i].content);
		ups[i].action = GIT_TREE_UPDATE_UPSERT;
		ups[i].filemode = GIT_FILEMODE_BLOB;
		cr_assert_eq(git_blob_create_from_buffer(&ups[i].id, repo, files[i].content, len), 0);
	}
	/* git_tree_create_updated() walks folders in the order given: group them */
	qsort(ups, nfiles, sizeof(*ups), rb_update_cmp);
	git_oid tree_id;
	if (base) {
		cr_assert_eq(git_tree_create_updated(&tree_id, repo, base, nfiles, ups), 0, "tree update: %s", git_error_last() ? git_error_last()->message : "?");
	} else {
		git_treebuilder *tb = NULL;
		cr_assert_eq(git_treebuilder_new(&tb, repo, NULL), 0);
		git_oid empty;
		cr_assert_eq(git_treebuilder_write(&empty, tb), 0);
		git_treebuilder_free(tb);
		git_tree *et = NULL;
		cr_assert_eq(git_tree_lookup(&et, repo, &empty), 0);
		cr_assert_eq(git_tree_create_updated(&tree_id, repo, et, nfiles, ups), 0, "tree update: %s",
			     git_error_last() ? git_error_last()->message : "?");
		git_tree_free(et);
	}
	free(ups);
	git_tree *tree = NULL;
	cr_assert_eq(git_tree_lookup(&tree, repo, &tree_id), 0);
	git_signature *as = NULL, *cs = NULL;
	cr_assert_eq(git_signature_new(&as, author.name, author.email, (git_time_t)time, 0), 0);
	const struct rb_person *cp = committer ? committer : &author;
	cr_assert_eq(git_signature_new(&cs, cp->name, cp->email, (git_time_t)time, 0), 0);
	git_oid out;
	cr_assert_eq(git_commit_create(&out, repo, NULL, as, cs, NULL, message ? message : "change", tree, nparents,
				       (const git_commit **)pc),
		     0, "commit");
	if (ref) {
		git_reference *r = NULL;
		cr_assert_eq(git_reference_create(&r, repo, ref, &out, 1, "test"), 0, "ref %s", ref);
		git_reference_free(r);
	}
	git_signature_free(as);
	git_signature_free(cs);
	git_tree_free(tree);
	git_tree_free(base);
	for (size_t i = 0; i < nparents; i++)
		git_commit_free(pc[i]);
	return out;
}

static inline git_oid rb_commit(git_repository *repo, const char *ref, const git_oid *parent,
				const struct rb_file *files, size_t nfiles, struct rb_person author, int64_t time)
{
	return rb_commit_by(repo, ref, parent, parent ? 1 : 0, files, nfiles, author, NULL, time, NULL);
}

static inline void rb_hex(char out[GIT_OID_HEXSZ + 1], const git_oid *oid)
{
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, oid);
}

#define RB_N(a) (sizeof(a) / sizeof((a)[0]))

#endif

/* Reading blobs and trees at a commit without a checkout. */
#include <criterion/criterion.h>
#include "git/read.h"
#include "testsupport.h"
#include "repo_builder.h"

static const struct rb_person alice = { "Alice", "alice@x.org" };

static git_repository *make(git_oid *c1, git_oid *c2)
{
	char *dir = ts_tempdir("read");
	git_repository *repo = rb_init(dir, 1);
	free(dir);
	struct rb_file f1[] = { { "README.md", "v1\n", 0 }, { "src/lib/a.c", "int a;\n", 0 }, { "src/b.c", "int b;\n", 0 } };
	*c1 = rb_commit(repo, "refs/heads/main", NULL, f1, RB_N(f1), alice, 1600000000);
	struct rb_file f2[] = { { "README.md", "v2\n", 0 } };
	*c2 = rb_commit(repo, "refs/heads/main", c1, f2, 1, alice, 1600000100);
	return repo;
}

Test(read, reads_a_blob_by_path_at_each_commit)
{
	git_oid c1, c2;
	git_repository *repo = make(&c1, &c2);
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	cr_assert_eq(git_read_blob_at(&b, repo, &c1, "README.md", 0, &e), 0, "%s", e.msg);
	cr_assert_str_eq(buf_cstr(&b), "v1\n");
	buf_reset(&b);
	cr_assert_eq(git_read_blob_at(&b, repo, &c2, "README.md", 0, &e), 0, "%s", e.msg);
	cr_assert_str_eq(buf_cstr(&b), "v2\n");
	buf_reset(&b);
	cr_assert_eq(git_read_blob_at(&b, repo, &c2, "src/lib/a.c", 0, &e), 0, "%s", e.msg);
	cr_assert_str_eq(buf_cstr(&b), "int a;\n");
	buf_release(&b);
	git_repository_free(repo);
}

Test(read, names_missing_paths_folders_and_oversized_blobs)
{
	git_oid c1, c2;
	git_repository *repo = make(&c1, &c2);
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	cr_assert_eq(git_read_blob_at(&b, repo, &c1, "nope.txt", 0, &e), ERR_NOT_FOUND);
	cr_assert(strstr(e.msg, "nope.txt"), "%s", e.msg);
	cr_assert_eq(git_read_blob_at(&b, repo, &c1, "src", 0, &e), ERR_NOT_FOUND);
	cr_assert(strstr(e.msg, "folder"), "%s", e.msg);
	cr_assert_eq(git_read_blob_at(&b, repo, &c1, "README.md", 2, &e), ERR_TOOBIG);
	git_oid absent;
	cr_assert_eq(git_read_parse_oid(&absent, "0123456789abcdef0123456789abcdef01234567", &e), 0);
	cr_assert_eq(git_read_blob_at(&b, repo, &absent, "README.md", 0, &e), ERR_NOT_FOUND);
	cr_assert_eq(git_read_parse_oid(&absent, "xyz", &e), ERR_INPUT);
	buf_release(&b);
	git_repository_free(repo);
}

Test(read, lists_a_tree_flat_and_recursively)
{
	git_oid c1, c2;
	git_repository *repo = make(&c1, &c2);
	struct err e = ERR_INIT;
	struct git_read_entries l = GIT_READ_ENTRIES_INIT;
	cr_assert_eq(git_read_tree_list(&l, repo, &c1, NULL, 1, &e), 0, "%s", e.msg);
	cr_assert_eq(l.n, 3);
	cr_assert_str_eq(l.v[0].path, "README.md");
	cr_assert_str_eq(l.v[1].path, "src/b.c");
	cr_assert_str_eq(l.v[2].path, "src/lib/a.c");
	git_read_entries_release(&l);
	cr_assert_eq(git_read_tree_list(&l, repo, &c1, "src", 0, &e), 0, "%s", e.msg);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.v[0].path, "src/b.c");
	cr_assert_str_eq(l.v[1].path, "src/lib");
	cr_assert(l.v[1].is_tree);
	git_read_entries_release(&l);
	cr_assert_eq(git_read_tree_list(&l, repo, &c1, "docs", 0, &e), ERR_NOT_FOUND);
	git_repository_free(repo);
}

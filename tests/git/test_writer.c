/*
 * Writing a new bare repository through git/writer.h: what it writes reads
 * back with libgit2 and git/read.h, lands in one pack with packed refs, and
 * the same calls write the same bytes.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include "core/buf.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "git/read.h"
#include "git/writer.h"
#include "testsupport.h"

static const struct git_writer_sig ann = { "Ann", "ann@example.org", 1700000000000000LL, 60 };

/* Two commits on main (the second removes b.txt), a tag, and a branch deleted again. */
static void write_history(const char *path, git_oid *c1, git_oid *c2)
{
	struct err e = ERR_INIT;
	struct git_writer *w = NULL;
	git_oid t1, t2;
	struct git_writer_update ups[2] = { { "a.txt", 0, { { 0 } } }, { "dir/b.txt", 0, { { 0 } } } };
	cr_assert_eq(git_writer_open(&w, path, "main", "a test", "owner/name", &e), 0, "%s", e.msg);
	cr_assert_eq(git_writer_blob(&ups[0].blob, w, "one\n", 4, &e), 0, "%s", e.msg);
	cr_assert_eq(git_writer_blob(&ups[1].blob, w, "two\n", 4, &e), 0, "%s", e.msg);
	cr_assert_eq(git_writer_tree(&t1, w, NULL, ups, 2, &e), 0, "%s", e.msg);
	cr_assert_eq(git_writer_commit(c1, w, &t1, NULL, 0, &ann, &ann, "first\n", &e), 0, "%s", e.msg);
	struct git_writer_update rm = { "dir/b.txt", 1, { { 0 } } };
	cr_assert_eq(git_writer_tree(&t2, w, &t1, &rm, 1, &e), 0, "%s", e.msg);
	const git_oid *parents[] = { c1 };
	cr_assert_eq(git_writer_commit(c2, w, &t2, parents, 1, &ann, &ann, "second\n", &e), 0, "%s", e.msg);
	cr_assert_eq(git_writer_ref(w, "refs/heads/main", c2, &e), 0, "%s", e.msg);
	cr_assert_eq(git_writer_ref(w, "refs/tags/v1", c1, &e), 0, "%s", e.msg);
	cr_assert_eq(git_writer_ref(w, "refs/heads/gone", c1, &e), 0, "%s", e.msg);
	git_writer_unref(w, "refs/heads/gone");
	git_writer_unref(w, "refs/heads/never-made");
	cr_assert_eq(git_writer_close(w, &e), 0, "%s", e.msg);
}

/* The one file name in dir/objects/pack ending in ext (NULL when none or several). */
static char *only_file(const char *dir, const char *ext)
{
	char *pack = fs_join(dir, "objects/pack");
	DIR *d = opendir(pack);
	struct dirent *de;
	char *found = NULL;
	int n = 0;
	cr_assert(d, "no %s", pack);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name), el = strlen(ext);
		if (l > el && strcmp(de->d_name + l - el, ext) == 0 && n++ == 0)
			found = xstrdup(de->d_name);
	}
	closedir(d);
	free(pack);
	if (n != 1) {
		free(found);
		return NULL;
	}
	return found;
}

Test(writer, writes_a_bare_history_that_reads_back)
{
	char *dir = ts_tempdir("writer");
	char *path = fs_join(dir, "owner/name.git");
	git_oid c1, c2;
	write_history(path, &c1, &c2);

	git_libgit2_init();
	git_repository *repo = NULL;
	cr_assert_eq(git_repository_open_bare(&repo, path), 0);
	git_reference *head = NULL;
	cr_assert_eq(git_repository_head(&head, repo), 0);
	cr_assert_str_eq(git_reference_name(head), "refs/heads/main");
	cr_assert(git_oid_equal(git_reference_target(head), &c2));
	git_reference_free(head);
	git_oid tag;
	cr_assert_eq(git_reference_name_to_id(&tag, repo, "refs/tags/v1"), 0);
	cr_assert(git_oid_equal(&tag, &c1));
	cr_assert_neq(git_reference_name_to_id(&tag, repo, "refs/heads/gone"), 0, "an unref'd branch is still there");

	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	cr_assert_eq(git_read_blob_at(&b, repo, &c1, "dir/b.txt", 0, &e), 0, "%s", e.msg);
	cr_assert_str_eq(buf_cstr(&b), "two\n");
	buf_reset(&b);
	cr_assert_eq(git_read_blob_at(&b, repo, &c2, "dir/b.txt", 0, &e), ERR_NOT_FOUND, "the removed file is at c2");
	cr_assert_eq(git_read_blob_at(&b, repo, &c2, "a.txt", 0, &e), 0, "%s", e.msg);
	cr_assert_str_eq(buf_cstr(&b), "one\n");
	buf_release(&b);

	git_commit *c = NULL;
	cr_assert_eq(git_commit_lookup(&c, repo, &c2), 0);
	cr_assert_eq(git_commit_parentcount(c), 1);
	cr_assert(git_oid_equal(git_commit_parent_id(c, 0), &c1));
	cr_assert_str_eq(git_commit_author(c)->name, "Ann");
	cr_assert_eq(git_commit_author(c)->when.time, 1700000000);
	cr_assert_eq(git_commit_author(c)->when.offset, 60);
	git_commit_free(c);
	git_repository_free(repo);
	git_libgit2_shutdown();

	/* One pack, packed refs, no loose objects or refs. */
	char *pack = only_file(path, ".pack");
	cr_assert(pack, "not exactly one pack in %s", path);
	free(pack);
	char *packed = fs_join(path, "packed-refs"), *loose = fs_join(path, "refs/heads/main");
	cr_assert(fs_exists(packed));
	cr_assert(!fs_exists(loose), "refs/heads/main is still loose");
	free(packed);
	free(loose);
	free(path);
	free(dir);
}

Test(writer, writes_the_same_pack_for_the_same_calls)
{
	char *dir = ts_tempdir("writer");
	char *p1 = fs_join(dir, "one.git"), *p2 = fs_join(dir, "two.git");
	git_oid a1, a2, b1, b2;
	write_history(p1, &a1, &a2);
	write_history(p2, &b1, &b2);
	cr_assert(git_oid_equal(&a2, &b2));
	char *k1 = only_file(p1, ".pack"), *k2 = only_file(p2, ".pack");
	cr_assert(k1 && k2);
	cr_assert_str_eq(k1, k2, "the packs differ (their names are their checksums)");
	free(k1);
	free(k2);
	free(p1);
	free(p2);
	free(dir);
}

Test(writer, refuses_an_existing_repository_naming_it)
{
	char *dir = ts_tempdir("writer");
	char *path = fs_join(dir, "x.git");
	git_oid c1, c2;
	write_history(path, &c1, &c2);
	struct err e = ERR_INIT;
	struct git_writer *w = (struct git_writer *)1;
	cr_assert_eq(git_writer_open(&w, path, "main", "again", "owner/x", &e), ERR_INTERNAL);
	cr_assert_null(w);
	cr_assert(strstr(e.msg, "owner/x: git init failed"), "%s", e.msg);
	cr_assert_eq(git_writer_close(NULL, &e), 0);
	free(path);
	free(dir);
}

/* Commits, blobs by path and tree listings read from the object database. */
#include "git/read.h"
#include "core/xalloc.h"
#include <string.h>

static int lg_fail(struct err *e, int code, const char *what)
{
	const git_error *ge = git_error_last();
	return err_set(e, code, "%s: %s", what, ge && ge->message ? ge->message : "libgit2 error");
}

int git_read_parse_oid(git_oid *out, const char *hex, struct err *e)
{
	if (!hex || strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(out, hex) < 0)
		return err_set(e, ERR_INPUT, "commit id '%s' is not 40 hexadecimal digits", hex ? hex : "");
	return 0;
}

int git_read_commit(git_commit **out, git_repository *repo, const git_oid *commit, struct err *e)
{
	int rc = git_commit_lookup(out, repo, commit);
	if (rc == GIT_ENOTFOUND)
		return err_set(e, ERR_NOT_FOUND, "commit %s is not in the repository; fetch it first",
			       git_oid_tostr_s(commit));
	if (rc < 0)
		return lg_fail(e, ERR_IO, git_oid_tostr_s(commit));
	return 0;
}

static int commit_tree(git_tree **out, git_repository *repo, const git_oid *commit, struct err *e)
{
	git_commit *c = NULL;
	int rc = git_read_commit(&c, repo, commit, e);
	if (rc < 0)
		return rc;
	if (git_commit_tree(out, c) < 0)
		rc = lg_fail(e, ERR_IO, "reading the commit's tree");
	git_commit_free(c);
	return rc;
}

int git_read_blob_at(struct buf *out, git_repository *repo, const git_oid *commit, const char *path, size_t max,
		     struct err *e)
{
	git_tree *tree = NULL;
	git_tree_entry *en = NULL;
	git_blob *blob = NULL;
	int rc = commit_tree(&tree, repo, commit, e);
	if (rc < 0)
		return rc;
	int lr = git_tree_entry_bypath(&en, tree, path);
	if (lr == GIT_ENOTFOUND) {
		rc = err_set(e, ERR_NOT_FOUND, "%s does not exist at commit %s", path, git_oid_tostr_s(commit));
		goto out;
	}
	if (lr < 0) {
		rc = lg_fail(e, ERR_IO, path);
		goto out;
	}
	if (git_tree_entry_type(en) != GIT_OBJECT_BLOB) {
		rc = err_set(e, ERR_NOT_FOUND, "%s is a folder at commit %s, not a file", path, git_oid_tostr_s(commit));
		goto out;
	}
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(en)) < 0) {
		rc = lg_fail(e, ERR_IO, path);
		goto out;
	}
	size_t size = (size_t)git_blob_rawsize(blob);
	if ((max && size > max) || buf_add(out, git_blob_rawcontent(blob), size) < 0)
		rc = err_set(e, ERR_TOOBIG, "%s is %zu bytes, over the limit of %zu", path, size, max ? max : out->max);
out:
	git_blob_free(blob);
	git_tree_entry_free(en);
	git_tree_free(tree);
	return rc;
}

static void push_entry(struct git_read_entries *out, const char *path, const git_tree_entry *en)
{
	xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	struct git_read_entry *r = &out->v[out->n++];
	r->path = xstrdup(path);
	git_oid_cpy(&r->oid, git_tree_entry_id(en));
	r->mode = (uint32_t)git_tree_entry_filemode(en);
	r->is_tree = git_tree_entry_type(en) == GIT_OBJECT_TREE;
}

static int list_tree(struct git_read_entries *out, git_repository *repo, const git_tree *tree, struct buf *prefix,
		     int recursive, struct err *e)
{
	size_t n = git_tree_entrycount(tree);
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *en = git_tree_entry_byindex(tree, i);
		size_t mark = prefix->len;
		buf_addstr(prefix, git_tree_entry_name(en));
		int rc = 0;
		if (recursive && git_tree_entry_type(en) == GIT_OBJECT_TREE) {
			git_tree *sub = NULL;
			if (git_tree_lookup(&sub, repo, git_tree_entry_id(en)) < 0)
				return lg_fail(e, ERR_IO, buf_cstr(prefix));
			buf_addch(prefix, '/');
			rc = list_tree(out, repo, sub, prefix, recursive, e);
			git_tree_free(sub);
		} else {
			push_entry(out, buf_cstr(prefix), en);
		}
		buf_truncate(prefix, mark);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int git_read_tree_list(struct git_read_entries *out, git_repository *repo, const git_oid *commit, const char *dir,
		       int recursive, struct err *e)
{
	git_tree *root = NULL, *sub = NULL;
	git_tree_entry *en = NULL;
	struct buf prefix = BUF_INIT;
	int rc = commit_tree(&root, repo, commit, e);
	if (rc < 0)
		return rc;
	const git_tree *tree = root;
	if (dir && *dir) {
		int lr = git_tree_entry_bypath(&en, root, dir);
		if (lr == GIT_ENOTFOUND || (lr == 0 && git_tree_entry_type(en) != GIT_OBJECT_TREE)) {
			rc = err_set(e, ERR_NOT_FOUND, "folder %s does not exist at commit %s", dir, git_oid_tostr_s(commit));
			goto out;
		}
		if (lr < 0 || git_tree_lookup(&sub, repo, git_tree_entry_id(en)) < 0) {
			rc = lg_fail(e, ERR_IO, dir);
			goto out;
		}
		tree = sub;
		buf_addstr(&prefix, dir);
		if (prefix.len && prefix.data[prefix.len - 1] != '/')
			buf_addch(&prefix, '/');
	}
	rc = list_tree(out, repo, tree, &prefix, recursive, e);
out:
	buf_release(&prefix);
	git_tree_entry_free(en);
	git_tree_free(sub);
	git_tree_free(root);
	return rc;
}

void git_read_entries_release(struct git_read_entries *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

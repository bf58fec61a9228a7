/*
 * The changed files of a commit against its first parent.
 *
 * Why a hand-written tree diff instead of git_diff_tree_to_tree(): the pass
 * needs only the changed paths and blob ids, and walking two sorted trees in
 * step (descending only into subtrees whose ids differ) avoids libgit2's
 * per-delta bookkeeping; it is the same walk git's own tree diff makes.
 * Renames are paired exactly by blob id first, and only the leftovers of a
 * commit that both adds and deletes files go through libgit2's similarity
 * detection (git_diff_find_similar), as git does.
 */
#include "git/history_internal.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static int git_fail(struct err *e, const char *what)
{
	const git_error *ge = git_error_last();
	return err_set(e, ERR_IO, "%s: %s", what, ge && ge->message ? ge->message : "libgit2 error");
}

static void raw_push(struct git_history_pass *p, uint32_t path, const git_oid *old_oid, const git_oid *new_oid, uint8_t status)
{
	xgrow((void **)&p->raw, &p->raw_cap, p->nraw + 1, sizeof(*p->raw));
	struct git_history_raw *r = &p->raw[p->nraw++];
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->old_path = GIT_HISTORY_NONE;
	if (old_oid)
		git_oid_cpy(&r->old_oid, old_oid);
	if (new_oid)
		git_oid_cpy(&r->new_oid, new_oid);
	r->status = status;
}

/* git's tree order: a tree's name compares as if it ended in '/'. */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *an = git_tree_entry_name(a), *bn = git_tree_entry_name(b);
	size_t al = strlen(an), bl = strlen(bn), n = al < bl ? al : bl;
	int c = memcmp(an, bn, n);
	if (c)
		return c;
	unsigned char ac = al > n ? (unsigned char)an[n] : (git_tree_entry_type(a) == GIT_OBJECT_TREE ? '/' : 0);
	unsigned char bc = bl > n ? (unsigned char)bn[n] : (git_tree_entry_type(b) == GIT_OBJECT_TREE ? '/' : 0);
	return (int)ac - (int)bc;
}

static int diff_trees(struct git_history_pass *p, const git_oid *a, const git_oid *b);

/* A path appears (new) or disappears (old) with everything below it. */
static int one_side(struct git_history_pass *p, const git_tree_entry *en, int added)
{
	git_object_t t = git_tree_entry_type(en);
	size_t mark = p->prefix.len;
	buf_addstr(&p->prefix, git_tree_entry_name(en));
	int rc = 0;
	if (t == GIT_OBJECT_TREE) {
		buf_addch(&p->prefix, '/');
		rc = added ? diff_trees(p, NULL, git_tree_entry_id(en)) : diff_trees(p, git_tree_entry_id(en), NULL);
	} else if (t == GIT_OBJECT_BLOB) {
		uint32_t id = git_history_intern_path(p->h, buf_cstr(&p->prefix));
		if (added)
			raw_push(p, id, NULL, git_tree_entry_id(en), GIT_HISTORY_ADDED);
		else
			raw_push(p, id, git_tree_entry_id(en), NULL, GIT_HISTORY_DELETED);
	} /* submodules (commit entries) are not files of this repository */
	buf_truncate(&p->prefix, mark);
	return rc;
}

static int both_sides(struct git_history_pass *p, const git_tree_entry *x, const git_tree_entry *y)
{
	if (git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)))
		return 0; /* same content; a mode-only change has no lines */
	git_object_t tx = git_tree_entry_type(x), ty = git_tree_entry_type(y);
	if (tx == GIT_OBJECT_TREE && ty == GIT_OBJECT_TREE) {
		size_t mark = p->prefix.len;
		buf_addstr(&p->prefix, git_tree_entry_name(x));
		buf_addch(&p->prefix, '/');
		int rc = diff_trees(p, git_tree_entry_id(x), git_tree_entry_id(y));
		buf_truncate(&p->prefix, mark);
		return rc;
	}
	if (tx == GIT_OBJECT_BLOB && ty == GIT_OBJECT_BLOB) {
		size_t mark = p->prefix.len;
		buf_addstr(&p->prefix, git_tree_entry_name(x));
		uint32_t id = git_history_intern_path(p->h, buf_cstr(&p->prefix));
		buf_truncate(&p->prefix, mark);
		raw_push(p, id, git_tree_entry_id(x), git_tree_entry_id(y), GIT_HISTORY_MODIFIED);
		return 0;
	}
	/* blob <-> submodule: only the blob side is a file */
	if (tx == GIT_OBJECT_BLOB)
		return one_side(p, x, 0);
	if (ty == GIT_OBJECT_BLOB)
		return one_side(p, y, 1);
	return 0;
}

static int diff_trees(struct git_history_pass *p, const git_oid *a, const git_oid *b)
{
	if (a && b && git_oid_equal(a, b))
		return 0;
	git_tree *ta = NULL, *tb = NULL;
	if (a && git_tree_lookup(&ta, p->h->repo, a) < 0)
		return git_fail(p->e, "reading a tree");
	if (b && git_tree_lookup(&tb, p->h->repo, b) < 0) {
		git_tree_free(ta);
		return git_fail(p->e, "reading a tree");
	}
	size_t na = ta ? git_tree_entrycount(ta) : 0, nb = tb ? git_tree_entrycount(tb) : 0;
	size_t i = 0, j = 0;
	int rc = 0;
	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *x = i < na ? git_tree_entry_byindex(ta, i) : NULL;
		const git_tree_entry *y = j < nb ? git_tree_entry_byindex(tb, j) : NULL;
		int c = !x ? 1 : !y ? -1 : entry_cmp(x, y);
		if (c < 0) {
			rc = one_side(p, x, 0);
			i++;
		} else if (c > 0) {
			rc = one_side(p, y, 1);
			j++;
		} else {
			rc = both_sides(p, x, y);
			i++;
			j++;
		}
	}
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

/* --- renames --- */

static int is_empty_blob(const git_oid *oid)
{
	static const char empty[] = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), oid);
	return strcmp(hex, empty) == 0;
}

static void make_rename(struct git_history_raw *add, struct git_history_raw *del)
{
	add->status = GIT_HISTORY_RENAMED;
	add->old_path = del->path;
	git_oid_cpy(&add->old_oid, &del->old_oid);
	del->paired = 1;
}

/* Similarity pairing of the leftovers through libgit2 (git's own rule: 50%). */
static int similar_renames(struct git_history_pass *p, const git_oid *old_tree, const git_oid *new_tree)
{
	size_t nadd = 0, ndel = 0;
	for (size_t i = 0; i < p->nraw; i++) {
		if (p->raw[i].status == GIT_HISTORY_ADDED)
			nadd++;
		else if (p->raw[i].status == GIT_HISTORY_DELETED && !p->raw[i].paired)
			ndel++;
	}
	/* git gives up on inexact renames past diff.renameLimit (1000) per side */
	if (!nadd || !ndel || nadd > 1000 || ndel > 1000)
		return 0;
	char **specs = xcalloc(nadd + ndel, sizeof(char *));
	size_t ns = 0;
	for (size_t i = 0; i < p->nraw; i++)
		if (p->raw[i].status == GIT_HISTORY_ADDED || (p->raw[i].status == GIT_HISTORY_DELETED && !p->raw[i].paired))
			specs[ns++] = p->h->paths[p->raw[i].path].path;
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	int rc = 0;
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	o.pathspec.strings = specs;
	o.pathspec.count = ns;
	git_diff_find_options fo;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if ((old_tree && git_tree_lookup(&ta, p->h->repo, old_tree) < 0) || git_tree_lookup(&tb, p->h->repo, new_tree) < 0 ||
	    git_diff_tree_to_tree(&diff, p->h->repo, ta, tb, &o) < 0 || git_diff_find_similar(diff, &fo) < 0) {
		rc = git_fail(p->e, "detecting renames");
		goto out;
	}
	for (size_t d = 0; d < git_diff_num_deltas(diff); d++) {
		const git_diff_delta *dl = git_diff_get_delta(diff, d);
		if (dl->status != GIT_DELTA_RENAMED)
			continue;
		uint32_t from = git_history_path_find(p->h, dl->old_file.path);
		uint32_t to = git_history_path_find(p->h, dl->new_file.path);
		struct git_history_raw *add = NULL, *del = NULL;
		for (size_t i = 0; i < p->nraw; i++) {
			if (p->raw[i].status == GIT_HISTORY_ADDED && p->raw[i].path == to)
				add = &p->raw[i];
			if (p->raw[i].status == GIT_HISTORY_DELETED && !p->raw[i].paired && p->raw[i].path == from)
				del = &p->raw[i];
		}
		if (add && del) {
			make_rename(add, del);
			p->st->renames++;
		}
	}
out:
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
	free(specs);
	return rc;
}

static int pair_renames(struct git_history_pass *p, const git_oid *old_tree, const git_oid *new_tree)
{
	int any_del = 0, any_add = 0;
	for (size_t i = 0; i < p->nraw; i++) {
		any_del |= p->raw[i].status == GIT_HISTORY_DELETED;
		any_add |= p->raw[i].status == GIT_HISTORY_ADDED;
	}
	if (!any_del || !any_add)
		return 0;
	/* Exact renames: same blob id on both sides (empty files are never
	 * rename sources, as in git). */
	for (size_t i = 0; i < p->nraw; i++) {
		struct git_history_raw *del = &p->raw[i];
		if (del->status != GIT_HISTORY_DELETED || is_empty_blob(&del->old_oid))
			continue;
		for (size_t j = 0; j < p->nraw; j++) {
			struct git_history_raw *add = &p->raw[j];
			if (add->status == GIT_HISTORY_ADDED && git_oid_equal(&add->new_oid, &del->old_oid)) {
				make_rename(add, del);
				p->st->renames++;
				break;
			}
		}
	}
	return similar_renames(p, old_tree, new_tree);
}

int git_history_diff_commit(struct git_history_pass *p, const git_oid *old_tree, const git_oid *new_tree)
{
	int rc = diff_trees(p, old_tree, new_tree);
	return rc < 0 ? rc : pair_renames(p, old_tree, new_tree);
}

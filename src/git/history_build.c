/*
 * The indexing pass: every commit not yet indexed, parents first, diffed
 * against its first parent.
 *
 * Why a hand-written tree diff instead of git_diff_tree_to_tree(): the pass
 * needs only the changed paths and blob ids, and walking two sorted trees in
 * step (descending only into subtrees whose ids differ) avoids libgit2's
 * per-delta bookkeeping; it is the same walk git's own tree diff makes. Line
 * counts of modified files come from libgit2's xdiff (git_diff_blobs), the
 * engine git uses; renames are paired exactly by blob id first, and only the
 * leftovers of a commit that both adds and deletes files go through libgit2's
 * similarity detection (git_diff_find_similar), as git does.
 */
#include "git/history_int.h"
#include "core/xalloc.h"
#include "core/utc.h"
#include <stdlib.h>
#include <string.h>

/* One changed path found by the tree diff, before line counts. */
struct raw_change {
	uint32_t path, old_path;
	git_oid old_oid, new_oid;
	uint8_t status;
	uint8_t paired; /* deleted side already consumed by a rename */
};

struct pass {
	struct git_history *h;
	struct git_history_update_stats *st;
	struct err *e;
	struct raw_change *raw;
	size_t nraw, raw_cap;
	struct buf prefix;
	int64_t tot[GIT_LANG_COUNT][6]; /* working per-language totals, see apply_blob() */
	int64_t doc, ci, other;
};

enum { T_SRC_FILES, T_SRC_SLOC, T_TEST_FILES, T_TEST_SLOC, T_CASES, T_ASSERTS };

static int git_fail(struct err *e, const char *what)
{
	const git_error *ge = git_error_last();
	return err_set(e, ERR_IO, "%s: %s", what, ge && ge->message ? ge->message : "libgit2 error");
}

static void raw_push(struct pass *p, uint32_t path, const git_oid *old_oid, const git_oid *new_oid, uint8_t status)
{
	xgrow((void **)&p->raw, &p->raw_cap, p->nraw + 1, sizeof(*p->raw));
	struct raw_change *r = &p->raw[p->nraw++];
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

static int diff_trees(struct pass *p, const git_oid *a, const git_oid *b);

/* A path appears (new) or disappears (old) with everything below it. */
static int one_side(struct pass *p, const git_tree_entry *en, int added)
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

static int both_sides(struct pass *p, const git_tree_entry *x, const git_tree_entry *y)
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

static int diff_trees(struct pass *p, const git_oid *a, const git_oid *b)
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

static void make_rename(struct raw_change *add, struct raw_change *del)
{
	add->status = GIT_HISTORY_RENAMED;
	add->old_path = del->path;
	git_oid_cpy(&add->old_oid, &del->old_oid);
	del->paired = 1;
}

/* Similarity pairing of the leftovers through libgit2 (git's own rule: 50%). */
static int similar_renames(struct pass *p, const git_oid *old_tree, const git_oid *new_tree)
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
		struct raw_change *add = NULL, *del = NULL;
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

static int pair_renames(struct pass *p, const git_oid *old_tree, const git_oid *new_tree)
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
		struct raw_change *del = &p->raw[i];
		if (del->status != GIT_HISTORY_DELETED || is_empty_blob(&del->old_oid))
			continue;
		for (size_t j = 0; j < p->nraw; j++) {
			struct raw_change *add = &p->raw[j];
			if (add->status == GIT_HISTORY_ADDED && git_oid_equal(&add->new_oid, &del->old_oid)) {
				make_rename(add, del);
				p->st->renames++;
				break;
			}
		}
	}
	return similar_renames(p, old_tree, new_tree);
}

/* Adds (sign +1) or removes (-1) one file's contribution to the totals. */
static void apply_blob(struct pass *p, const struct git_history_path *path, const struct git_history_blob *b, int sign)
{
	int l = path->cls.lang;
	switch (path->cls.cls) {
	case GIT_CLASS_SOURCE:
		p->tot[l][T_SRC_FILES] += sign;
		p->tot[l][T_SRC_SLOC] += sign * (int64_t)b->code;
		break;
	case GIT_CLASS_TEST:
		p->tot[l][T_TEST_FILES] += sign;
		p->tot[l][T_TEST_SLOC] += sign * (int64_t)b->code;
		p->tot[l][T_CASES] += sign * (int64_t)b->cases;
		p->tot[l][T_ASSERTS] += sign * (int64_t)b->asserts;
		break;
	case GIT_CLASS_DOC: p->doc += sign; break;
	case GIT_CLASS_CI: p->ci += sign; break;
	default: p->other += sign; break;
	}
}

static int side_stat(struct pass *p, const struct git_history_path *path, const git_oid *oid, struct git_history_blob *b)
{
	return git_history_blob_stat(p->h, p->st, oid, path->cls.lang, path->cls.cls == GIT_CLASS_TEST, NULL, b, p->e);
}

/* Line counts of one change, and its effect on the totals. */
static int count_change(struct pass *p, const struct raw_change *r, struct git_history_change *ch)
{
	struct git_history *h = p->h;
	const struct git_history_path *np = &h->paths[r->path];
	const struct git_history_path *op = r->old_path != GIT_HISTORY_NONE ? &h->paths[r->old_path] : np;
	struct git_history_blob ob, nb;
	int rc = 0;
	memset(ch, 0, sizeof(*ch));
	ch->path = r->path;
	ch->old_path = r->old_path;
	ch->status = r->status;
	if (r->status == GIT_HISTORY_ADDED) {
		if ((rc = side_stat(p, np, &r->new_oid, &nb)) < 0)
			return rc;
		ch->added = nb.total;
		ch->tests_added = np->cls.cls == GIT_CLASS_TEST ? (uint16_t)(nb.cases > 65535 ? 65535 : nb.cases) : 0;
		ch->flags = nb.binary ? GIT_HISTORY_F_BINARY : 0;
		apply_blob(p, np, &nb, +1);
		return 0;
	}
	if ((rc = side_stat(p, op, &r->old_oid, &ob)) < 0)
		return rc;
	if (r->status == GIT_HISTORY_DELETED) {
		ch->deleted = ob.total;
		ch->tests_deleted = op->cls.cls == GIT_CLASS_TEST ? (uint16_t)(ob.cases > 65535 ? 65535 : ob.cases) : 0;
		ch->flags = ob.binary ? GIT_HISTORY_F_BINARY : 0;
		apply_blob(p, op, &ob, -1);
		return 0;
	}
	if (git_oid_equal(&r->old_oid, &r->new_oid)) { /* a pure rename */
		nb = ob;
		if (op->cls.lang != np->cls.lang || op->cls.cls != np->cls.cls)
			if ((rc = side_stat(p, np, &r->new_oid, &nb)) < 0)
				return rc;
		apply_blob(p, op, &ob, -1);
		apply_blob(p, np, &nb, +1);
		ch->flags = (ob.binary || nb.binary) ? GIT_HISTORY_F_BINARY : 0;
		return 0;
	}
	/* Blobs are not in libgit2's object cache: load the new side once for
	 * both its counts and the diff. */
	git_blob *oblob = NULL, *nblob = NULL;
	if (git_blob_lookup(&nblob, h->repo, &r->new_oid) < 0)
		return git_history_blob_fail(p->e, &r->new_oid);
	rc = git_history_blob_stat(h, p->st, &r->new_oid, np->cls.lang, np->cls.cls == GIT_CLASS_TEST, nblob, &nb, p->e);
	if (rc == 0) {
		apply_blob(p, op, &ob, -1);
		apply_blob(p, np, &nb, +1);
		if (ob.binary || nb.binary) {
			ch->flags = GIT_HISTORY_F_BINARY;
		} else if (git_blob_lookup(&oblob, h->repo, &r->old_oid) < 0) {
			rc = git_history_blob_fail(p->e, &r->old_oid);
		} else {
			rc = git_history_blob_diff(h, op, oblob, ob.use_fallback, np, nblob, nb.use_fallback, ch, p->e);
			p->st->blob_diffs++;
		}
	}
	git_blob_free(oblob);
	git_blob_free(nblob);
	return rc;
}

static void store_totals(struct pass *p, struct git_history_commit *cm)
{
	struct git_history *h = p->h;
	cm->totals_off = (uint32_t)h->ntotals;
	cm->ntotals = 0;
	for (int l = 0; l < GIT_LANG_COUNT; l++) {
		int64_t *t = p->tot[l];
		if (!t[T_SRC_FILES] && !t[T_TEST_FILES])
			continue;
		xgrow((void **)&h->totals, &h->totals_cap, h->ntotals + 1, sizeof(*h->totals));
		struct git_history_langtotals *lt = &h->totals[h->ntotals++];
		memset(lt, 0, sizeof(*lt)); /* padding too: the cache file writes it */
		lt->lang = (uint8_t)l;
		lt->src_files = (uint32_t)(t[T_SRC_FILES] > 0 ? t[T_SRC_FILES] : 0);
		lt->src_sloc = (uint32_t)(t[T_SRC_SLOC] > 0 ? t[T_SRC_SLOC] : 0);
		lt->test_files = (uint32_t)(t[T_TEST_FILES] > 0 ? t[T_TEST_FILES] : 0);
		lt->test_sloc = (uint32_t)(t[T_TEST_SLOC] > 0 ? t[T_TEST_SLOC] : 0);
		lt->test_cases = (uint32_t)(t[T_CASES] > 0 ? t[T_CASES] : 0);
		lt->test_asserts = (uint32_t)(t[T_ASSERTS] > 0 ? t[T_ASSERTS] : 0);
		cm->ntotals++;
	}
	cm->doc_files = (uint32_t)(p->doc > 0 ? p->doc : 0);
	cm->ci_files = (uint32_t)(p->ci > 0 ? p->ci : 0);
	cm->other_files = (uint32_t)(p->other > 0 ? p->other : 0);
}

static void load_totals(struct pass *p, const struct git_history_commit *parent)
{
	memset(p->tot, 0, sizeof(p->tot));
	p->doc = p->ci = p->other = 0;
	if (!parent)
		return;
	for (uint32_t i = 0; i < parent->ntotals; i++) {
		const struct git_history_langtotals *lt = &p->h->totals[parent->totals_off + i];
		int64_t *t = p->tot[lt->lang];
		t[T_SRC_FILES] = lt->src_files;
		t[T_SRC_SLOC] = lt->src_sloc;
		t[T_TEST_FILES] = lt->test_files;
		t[T_TEST_SLOC] = lt->test_sloc;
		t[T_CASES] = lt->test_cases;
		t[T_ASSERTS] = lt->test_asserts;
	}
	p->doc = parent->doc_files;
	p->ci = parent->ci_files;
	p->other = parent->other_files;
}

static int64_t sig_usec(const git_signature *s)
{
	return s ? (int64_t)s->when.time * USEC_PER_SEC : 0;
}

/* Indexes one commit whose indexed parents are all present. */
static int index_commit(struct pass *p, const git_oid *oid)
{
	struct git_history *h = p->h;
	git_commit *commit = NULL;
	if (git_commit_lookup(&commit, h->repo, oid) < 0)
		return git_fail(p->e, "reading a commit");
	xgrow((void **)&h->commits, &h->commits_cap, h->ncommits + 1, sizeof(*h->commits));
	uint32_t c = (uint32_t)h->ncommits;
	struct git_history_commit *cm = &h->commits[c];
	memset(cm, 0, sizeof(*cm));
	git_oid_cpy(&cm->oid, oid);
	git_oid_cpy(&cm->tree, git_commit_tree_id(commit));
	const git_signature *a = git_commit_author(commit), *m = git_commit_committer(commit);
	cm->author = git_history_intern_ident(h, a ? a->name : "", a ? a->email : "");
	cm->committer = git_history_intern_ident(h, m ? m->name : "", m ? m->email : "");
	cm->author_time = sig_usec(a);
	cm->commit_time = sig_usec(m);
	cm->first_time = cm->author_time;
	cm->parents_off = (uint32_t)h->nparents;
	unsigned np = git_commit_parentcount(commit);
	for (unsigned i = 0; i < np; i++) {
		uint32_t pi = git_history_find(h, git_commit_parent_id(commit, i));
		if (pi == GIT_HISTORY_NONE)
			continue; /* a parent outside the repository (shallow history) */
		xgrow((void **)&h->parents, &h->parents_cap, h->nparents + 1, sizeof(uint32_t));
		h->parents[h->nparents++] = pi;
		cm->nparents++;
		if (h->commits[pi].first_time < cm->first_time)
			cm->first_time = h->commits[pi].first_time;
	}
	git_commit_free(commit);

	const struct git_history_commit *first = cm->nparents ? &h->commits[h->parents[cm->parents_off]] : NULL;
	git_oid parent_tree;
	if (first)
		git_oid_cpy(&parent_tree, &first->tree);
	p->nraw = 0;
	buf_reset(&p->prefix);
	int rc = diff_trees(p, first ? &parent_tree : NULL, &cm->tree);
	if (rc == 0)
		rc = pair_renames(p, first ? &parent_tree : NULL, &cm->tree);
	if (rc < 0)
		return err_prefix(p->e, "commit %s", git_oid_tostr_s(oid));
	load_totals(p, first);
	cm->changes_off = (uint32_t)h->nchanges;
	for (size_t i = 0; i < p->nraw; i++) {
		if (p->raw[i].paired)
			continue;
		xgrow((void **)&h->changes, &h->changes_cap, h->nchanges + 1, sizeof(*h->changes));
		struct git_history_change *ch = &h->changes[h->nchanges];
		if ((rc = count_change(p, &p->raw[i], ch)) < 0) {
			h->nchanges = cm->changes_off;
			return err_prefix(p->e, "commit %s", git_oid_tostr_s(oid));
		}
		h->nchanges++;
		cm->nchanges++;
	}
	store_totals(p, cm);

	/* Everything below only appends: the commit now becomes visible. */
	h->ncommits++;
	git_history_link_commit(h, c);
	p->st->commits_added++;
	return 0;
}

/* Pushes every ref tip not yet indexed, and hides the indexed tips so the
 * walk stops at what is already known. Returns the number pushed. */
static int push_tips(struct pass *p, git_revwalk *walk, size_t *pushed)
{
	struct git_history *h = p->h;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	*pushed = 0;
	if (git_reference_iterator_new(&it, h->repo) < 0)
		return git_fail(p->e, "listing refs");
	int rc;
	while ((rc = git_reference_next(&ref, it)) == 0) {
		git_object *obj = NULL;
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			const git_oid *oid = git_object_id(obj);
			if (git_history_find(h, oid) == GIT_HISTORY_NONE && git_revwalk_push(walk, oid) == 0)
				(*pushed)++;
			git_object_free(obj);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (rc != GIT_ITEROVER)
		return git_fail(p->e, "listing refs");
	for (size_t c = 0; c < h->ncommits && *pushed; c++)
		if (!h->has_child[c] && git_revwalk_hide(walk, &h->commits[c].oid) < 0)
			return git_fail(p->e, "walking history");
	return 0;
}

int git_history_update(struct git_history *h, struct git_history_update_stats *stats, struct err *e)
{
	struct git_history_update_stats local;
	struct git_history_update_stats *st = stats ? stats : &local;
	memset(st, 0, sizeof(*st));
	int64_t t0 = mono_now();
	struct pass p;
	memset(&p, 0, sizeof(p));
	p.h = h;
	p.st = st;
	p.e = e;
	buf_init(&p.prefix, 0);
	git_revwalk *walk = NULL;
	size_t pushed = 0;
	int rc = 0;
	if (git_revwalk_new(&walk, h->repo) < 0) {
		rc = git_fail(e, "walking history");
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE);
	if ((rc = push_tips(&p, walk, &pushed)) < 0 || !pushed)
		goto out;
	git_oid oid;
	int wr;
	while ((wr = git_revwalk_next(&oid, walk)) == 0) {
		if (git_history_find(h, &oid) != GIT_HISTORY_NONE)
			continue;
		if ((rc = index_commit(&p, &oid)) < 0)
			goto out;
	}
	if (wr != GIT_ITEROVER)
		rc = git_fail(e, "walking history");
out:
	git_revwalk_free(walk);
	free(p.raw);
	buf_release(&p.prefix);
	st->usec = mono_now() - t0;
	return rc;
}

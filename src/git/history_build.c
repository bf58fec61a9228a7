/*
 * The indexing pass: every commit not yet indexed, parents first, diffed
 * against its first parent (history_diff.c finds the changed paths and
 * renames), each change counted (lines, tests; history_blobs.c keeps blob
 * counts), the repository totals carried from the first parent, and the
 * commit linked into the look-up tables.
 */
#include "git/history_internal.h"
#include "core/xalloc.h"
#include "core/utc.h"
#include <stdlib.h>
#include <string.h>

enum { T_SRC_FILES, T_SRC_SLOC, T_TEST_FILES, T_TEST_SLOC, T_CASES, T_ASSERTS };

static int git_fail(struct err *e, const char *what)
{
	const git_error *ge = git_error_last();
	return err_set(e, ERR_IO, "%s: %s", what, ge && ge->message ? ge->message : "libgit2 error");
}

/* Adds (sign +1) or removes (-1) one file's contribution to the totals. */
static void apply_blob(struct git_history_pass *p, const struct git_history_path *path, const struct git_history_blob *b, int sign)
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

static int side_stat(struct git_history_pass *p, const struct git_history_path *path, const git_oid *oid, struct git_history_blob *b)
{
	return git_history_blob_stat(p->h, p->st, oid, path->cls.lang, path->cls.cls == GIT_CLASS_TEST, NULL, b, p->e);
}

/* Line counts of one change, and its effect on the totals. */
static int count_change(struct git_history_pass *p, const struct git_history_raw *r, struct git_history_change *ch)
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

static void store_totals(struct git_history_pass *p, struct git_history_commit *cm)
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

static void load_totals(struct git_history_pass *p, const struct git_history_commit *parent)
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
static int index_commit(struct git_history_pass *p, const git_oid *oid)
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
	int rc = git_history_diff_commit(p, first ? &parent_tree : NULL, &cm->tree);
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
static int push_tips(struct git_history_pass *p, git_revwalk *walk, size_t *pushed)
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
	struct git_history_pass p;
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

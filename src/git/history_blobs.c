/*
 * Blob statistics for the indexing pass: each blob's line counts (and, for
 * test files, test-case and assertion counts) are computed once, by blob id,
 * and kept in the index; line diffs of modified files run libgit2's xdiff.
 */
#include "git/history_internal.h"
#include "core/xalloc.h"
#include <string.h>

int git_history_blob_fail(struct err *e, const git_oid *oid)
{
	const git_error *ge = git_error_last();
	return err_set(e, ERR_IO, "reading blob %s: %s", git_oid_tostr_s(oid),
		       ge && ge->message ? ge->message : "libgit2 error");
}

static void count_blob(struct git_history *h, const git_blob *blob, int lang, int need_tests,
		       struct git_history_blob *b)
{
	const char *data = git_blob_rawcontent(blob);
	size_t len = (size_t)git_blob_rawsize(blob);
	struct git_line_counts lc;
	git_classify_count_lines(&lc, lang, data, len);
	memset(b, 0, sizeof(*b));
	b->total = lc.total;
	b->code = lc.code;
	b->binary = lc.binary;
	b->lang = (uint8_t)lang;
	if (need_tests && !lc.binary) {
		struct git_test_counts tc;
		git_classify_tests_in_blob(&tc, h->cls, lang, data, len);
		b->cases = tc.cases;
		b->asserts = tc.asserts;
		b->use_fallback = tc.use_fallback;
	}
	b->tests_done = (uint8_t)(need_tests != 0);
}

int git_history_blob_stat(struct git_history *h, struct git_history_update_stats *st, const git_oid *oid, int lang,
			  int need_tests, const git_blob *loaded, struct git_history_blob *out, struct err *e)
{
	uint32_t slot;
	int cached = git_oidtab_get(&h->blob_ids, oid, &slot);
	if (cached && h->blobs[slot].lang == lang && (h->blobs[slot].tests_done || !need_tests)) {
		*out = h->blobs[slot];
		return 0;
	}
	git_blob *mine = NULL;
	if (!loaded) {
		if (git_blob_lookup(&mine, h->repo, oid) < 0)
			return git_history_blob_fail(e, oid);
		loaded = mine;
	}
	count_blob(h, loaded, lang, need_tests, out);
	st->blobs_counted++;
	git_blob_free(mine);
	if (!cached) {
		xgrow((void **)&h->blobs, &h->blobs_cap, h->nblobs + 1, sizeof(*h->blobs));
		h->blobs[h->nblobs] = *out;
		git_oidtab_put(&h->blob_ids, oid, (uint32_t)h->nblobs);
		h->nblobs++;
	} else if (h->blobs[slot].lang == lang) {
		h->blobs[slot] = *out; /* now with test counts */
	}
	return 0;
}

struct line_ctx {
	struct git_history *h;
	struct git_history_change *ch;
	int old_test, new_test;
	int old_lang, new_lang;
	int old_fb, new_fb;
	uint32_t tests_added, tests_deleted;
};

static int on_line(const git_diff_delta *d, const git_diff_hunk *hk, const git_diff_line *l, void *payload)
{
	(void)d;
	(void)hk;
	struct line_ctx *x = payload;
	if (l->origin == GIT_DIFF_LINE_ADDITION) {
		x->ch->added++;
		if (x->new_test && git_classify_line_is_case(x->h->cls, x->new_lang, x->new_fb, l->content, l->content_len))
			x->tests_added++;
	} else if (l->origin == GIT_DIFF_LINE_DELETION) {
		x->ch->deleted++;
		if (x->old_test && git_classify_line_is_case(x->h->cls, x->old_lang, x->old_fb, l->content, l->content_len))
			x->tests_deleted++;
	}
	return 0;
}

int git_history_blob_diff(struct git_history *h, const struct git_history_path *op, const git_blob *ob, int old_fb,
			  const struct git_history_path *np, const git_blob *nb, int new_fb,
			  struct git_history_change *ch, struct err *e)
{
	struct line_ctx x;
	memset(&x, 0, sizeof(x));
	x.h = h;
	x.ch = ch;
	x.old_test = op->cls.cls == GIT_CLASS_TEST;
	x.new_test = np->cls.cls == GIT_CLASS_TEST;
	x.old_lang = op->cls.lang;
	x.new_lang = np->cls.lang;
	x.old_fb = old_fb;
	x.new_fb = new_fb;
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	o.interhunk_lines = 0;
	o.flags = GIT_DIFF_FORCE_TEXT; /* binary blobs never get here (count_change) */
	if (git_diff_blobs(ob, NULL, nb, NULL, &o, NULL, NULL, NULL, on_line, &x) < 0) {
		const git_error *ge = git_error_last();
		return err_set(e, ERR_IO, "diffing %s: %s", np->path, ge && ge->message ? ge->message : "libgit2 error");
	}
	ch->tests_added = (uint16_t)(x.tests_added > 65535 ? 65535 : x.tests_added);
	ch->tests_deleted = (uint16_t)(x.tests_deleted > 65535 ? 65535 : x.tests_deleted);
	return 0;
}

/* Writing a new bare repository through an in-memory object store (see writer.h). */
#include "git/writer.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <git2/sys/commit.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdlib.h>
#include <string.h>

struct git_writer {
	git_repository *repo;
	git_odb_backend *mempack; /* owned and freed by the repository's odb */
	git_oid empty_tree;
	char *label;
};

static int git_fail(struct err *e, const char *what, const char *label)
{
	const git_error *ge = git_error_last();
	return err_set(e, ERR_INTERNAL, "%s: %s failed: %s", label, what, ge && ge->message ? ge->message : "unknown error");
}

static void writer_free(struct git_writer *w)
{
	git_repository_free(w->repo);
	free(w->label);
	free(w);
	git_libgit2_shutdown();
}

static int open_store(struct git_writer *w, const char *path, const char *initial_head, const char *description,
		      struct err *e)
{
	git_repository_init_options io;
	git_odb *odb = NULL;
	git_treebuilder *tb = NULL;
	git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	io.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	io.initial_head = initial_head;
	io.description = description;
	if (git_repository_init_ext(&w->repo, path, &io))
		return git_fail(e, "git init", w->label);
	if (git_repository_odb(&odb, w->repo) || git_mempack_new(&w->mempack) ||
	    git_odb_add_backend(odb, w->mempack, 999)) {
		git_odb_free(odb);
		return git_fail(e, "setting up the in-memory object store", w->label);
	}
	git_odb_free(odb);
	if (git_treebuilder_new(&tb, w->repo, NULL) || git_treebuilder_write(&w->empty_tree, tb)) {
		git_treebuilder_free(tb);
		return git_fail(e, "writing the empty tree", w->label);
	}
	git_treebuilder_free(tb);
	return 0;
}

int git_writer_open(struct git_writer **out, const char *path, const char *initial_head, const char *description,
		    const char *label, struct err *e)
{
	struct git_writer *w = xcalloc(1, sizeof(*w));
	int rc;
	git_libgit2_init();
	w->label = xstrdup(label);
	if ((rc = open_store(w, path, initial_head, description, e))) {
		writer_free(w);
		*out = NULL;
		return rc;
	}
	*out = w;
	return 0;
}

const git_oid *git_writer_empty_tree(const struct git_writer *w)
{
	return &w->empty_tree;
}

int git_writer_blob(git_oid *out, struct git_writer *w, const void *data, size_t len, struct err *e)
{
	if (git_blob_create_from_buffer(out, w->repo, data ? data : "", len))
		return git_fail(e, "writing a blob", w->label);
	return 0;
}

int git_writer_tree(git_oid *out, struct git_writer *w, const git_oid *base, const struct git_writer_update *ups,
		    size_t n, struct err *e)
{
	git_tree_update *gu = xcalloc(n ? n : 1, sizeof(*gu));
	git_tree *bt = NULL;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		gu[i].path = ups[i].path;
		if (ups[i].remove) {
			gu[i].action = GIT_TREE_UPDATE_REMOVE;
			continue;
		}
		gu[i].action = GIT_TREE_UPDATE_UPSERT;
		gu[i].filemode = GIT_FILEMODE_BLOB;
		gu[i].id = ups[i].blob;
	}
	if (git_tree_lookup(&bt, w->repo, base ? base : &w->empty_tree))
		rc = git_fail(e, "reading a tree", w->label);
	if (!rc && git_tree_create_updated(out, w->repo, bt, n, gu))
		rc = git_fail(e, "writing a tree", w->label);
	git_tree_free(bt);
	free(gu);
	return rc;
}

static int signature(git_signature **out, const struct git_writer_sig *s)
{
	return git_signature_new(out, s->name, s->email, (git_time_t)(s->usec / USEC_PER_SEC), s->tz_min);
}

int git_writer_commit(git_oid *out, struct git_writer *w, const git_oid *tree, const git_oid *const *parents,
		      size_t nparents, const struct git_writer_sig *author, const struct git_writer_sig *committer,
		      const char *message, struct err *e)
{
	git_signature *as = NULL, *cs = NULL;
	int rc = 0;
	if (signature(&as, author) || signature(&cs, committer))
		rc = git_fail(e, "making a signature", w->label);
	if (!rc && git_commit_create_from_ids(out, w->repo, NULL, as, cs, NULL, message, tree, nparents,
					      (const git_oid **)parents))
		rc = git_fail(e, "writing a commit", w->label);
	git_signature_free(as);
	git_signature_free(cs);
	return rc;
}

int git_writer_ref(struct git_writer *w, const char *name, const git_oid *oid, struct err *e)
{
	git_reference *ref = NULL;
	if (git_reference_create(&ref, w->repo, name, oid, 1, NULL))
		return git_fail(e, name, w->label);
	git_reference_free(ref);
	return 0;
}

void git_writer_unref(struct git_writer *w, const char *name)
{
	git_reference *ref = NULL;
	if (git_reference_lookup(&ref, w->repo, name) == 0) {
		git_reference_delete(ref);
		git_reference_free(ref);
	}
}

/*
 * Everything reachable from the refs as one pack. Not git_mempack_dump(): it
 * lets the packbuilder use one thread per CPU, and threaded delta search picks
 * different deltas from run to run; one thread keeps the pack byte-identical.
 */
static int pack_objects(git_buf *out, struct git_writer *w)
{
	git_packbuilder *pb = NULL;
	git_revwalk *walk = NULL;
	int rc = git_packbuilder_new(&pb, w->repo);
	if (!rc) {
		git_packbuilder_set_threads(pb, 1);
		rc = git_revwalk_new(&walk, w->repo);
	}
	if (!rc)
		rc = git_revwalk_push_glob(walk, "refs/*");
	if (!rc)
		rc = git_packbuilder_insert_walk(pb, walk);
	if (!rc)
		rc = git_packbuilder_write_buf(out, pb);
	git_revwalk_free(walk);
	git_packbuilder_free(pb);
	return rc;
}

int git_writer_close(struct git_writer *w, struct err *e)
{
	git_buf pack = GIT_BUF_INIT;
	git_odb *odb = NULL;
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats = { 0 };
	git_refdb *refdb = NULL;
	int rc = 0;
	if (!w)
		return 0;
	if (pack_objects(&pack, w))
		rc = git_fail(e, "packing the objects", w->label);
	if (!rc && (git_repository_odb(&odb, w->repo) || git_odb_write_pack(&wp, odb, NULL, NULL)))
		rc = git_fail(e, "opening the pack writer", w->label);
	if (!rc && (wp->append(wp, pack.ptr, pack.size, &stats) || wp->commit(wp, &stats)))
		rc = git_fail(e, "writing the pack", w->label);
	if (wp)
		wp->free(wp);
	git_mempack_reset(w->mempack);
	if (!rc && (git_repository_refdb(&refdb, w->repo) || git_refdb_compress(refdb)))
		rc = git_fail(e, "packing the refs", w->label);
	git_refdb_free(refdb);
	git_odb_free(odb);
	git_buf_dispose(&pack);
	writer_free(w);
	return rc;
}

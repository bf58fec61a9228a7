/*
 * Bare mirrors: clone once into a temporary folder and rename into place,
 * fetch with explicit refspecs (branches, tags, pull-request heads and merges)
 * whenever a requested commit is absent, all under a per-repository flock.
 * Fetches use an anonymous remote with the URL the caller gives, so a changed
 * clone base (CIMINER_GIT_URL) takes effect without editing the mirror's
 * config; "origin" is still recorded at clone time for people who inspect it.
 */
#include "git/mirror.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "core/log.h"
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

struct git_mirror {
	char *path;
	char *lock_path;
	char *url;
	git_repository *repo;
};

static const char *const refspecs[] = {
	"+refs/heads/*:refs/heads/*",
	"+refs/tags/*:refs/tags/*",
	"+refs/pull/*/head:refs/pull/*/head",
	"+refs/pull/*/merge:refs/pull/*/merge",
};
#define NREFSPECS (sizeof(refspecs) / sizeof(refspecs[0]))

static int lg_fail(struct err *e, int code, const char *what, const char *arg)
{
	const git_error *ge = git_error_last();
	return err_set(e, code, "%s %s: %s", what, arg, ge && ge->message ? ge->message : "libgit2 error");
}

static int name_part_ok(const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_'))
			return 0;
	}
	return 1;
}

int git_mirror_check_name(const char *full_name, struct err *e)
{
	const char *slash = full_name ? strchr(full_name, '/') : NULL;
	if (!slash || strchr(slash + 1, '/') || !name_part_ok(full_name, (size_t)(slash - full_name)) ||
	    !name_part_ok(slash + 1, strlen(slash + 1)))
		return err_set(e, ERR_INPUT, "repository name '%s' is not owner/name (letters, digits, '.', '-', '_')",
			       full_name ? full_name : "");
	return 0;
}

static int check_url(const char *url, struct err *e)
{
	if (url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0 ||
		    strncmp(url, "file://", 7) == 0 || url[0] == '/'))
		return 0;
	return err_set(e, ERR_INPUT, "repository URL '%s' is not https://, http://, file:// or an absolute path",
		       url ? url : "");
}

static int remove_lock_file(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t n = strlen(p);
	if (flag == FTW_F && n > 5 && strcmp(p + n - 5, ".lock") == 0)
		unlink(p);
	return 0;
}

/*
 * libgit2 writes a ref, packed-refs or config through "<file>.lock", which a
 * process killed mid-write leaves behind; libgit2 then refuses that file
 * forever. Whoever holds the mirror's flock is the only ciminer process that
 * may write the mirror, so every such lock file found then is stale.
 */
static void clear_stale_locks(const char *lock_path)
{
	size_t n = strlen(lock_path);
	if (n <= 5)
		return;
	char *repo = xstrndup(lock_path, n - 5); /* "<mirror>.git.lock" -> "<mirror>.git" */
	static const char *files[] = { "packed-refs.lock", "HEAD.lock", "config.lock", "FETCH_HEAD.lock",
				       "shallow.lock" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *f = xasprintf("%s/%s", repo, files[i]);
		unlink(f);
		free(f);
	}
	char *refs = xasprintf("%s/refs", repo);
	if (access(refs, F_OK) == 0)
		nftw(refs, remove_lock_file, 16, FTW_PHYS);
	free(refs);
	free(repo);
}

/* Takes the repository's lock; returns the descriptor (close to unlock). */
static int lock_take(const char *lock_path, struct err *e)
{
	int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(e, ERR_IO, "opening lock %s: %s", lock_path, strerror(errno));
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int rc = err_set(e, ERR_IO, "locking %s: %s", lock_path, strerror(errno));
			close(fd);
			return rc;
		}
	}
	clear_stale_locks(lock_path);
	return fd;
}

static void lock_release(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the flock */
}

static int fetch_into(git_repository *repo, const char *url, struct err *e)
{
	git_remote *remote = NULL;
	if (git_remote_create_anonymous(&remote, repo, url) < 0)
		return lg_fail(e, ERR_NETWORK, "fetching", url);
	git_fetch_options fo;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.prune = GIT_FETCH_NO_PRUNE; /* keep every commit a build may name */
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE; /* tags come through the refspec */
	git_strarray specs = { (char **)refspecs, NREFSPECS };
	int rc = 0;
	if (git_remote_fetch(remote, &specs, &fo, "ciminer fetch") < 0)
		rc = lg_fail(e, ERR_NETWORK, "fetching", url);
	git_remote_free(remote);
	return rc;
}

/* HEAD follows the remote's default branch when the remote tells it,
 * otherwise main, master, or the first branch. */
static void set_head(git_repository *repo)
{
	static const char *const guesses[] = { "refs/heads/main", "refs/heads/master" };
	git_reference *ref = NULL;
	for (size_t i = 0; i < 2; i++) {
		if (git_reference_lookup(&ref, repo, guesses[i]) == 0) {
			git_repository_set_head(repo, guesses[i]);
			git_reference_free(ref);
			return;
		}
	}
	git_reference_iterator *it = NULL;
	if (git_reference_iterator_glob_new(&it, repo, "refs/heads/*") == 0) {
		if (git_reference_next(&ref, it) == 0) {
			git_repository_set_head(repo, git_reference_name(ref));
			git_reference_free(ref);
		}
		git_reference_iterator_free(it);
	}
}

/* Removes temporary clones left by a crash (we hold the lock, so any is stale). */
static void remove_stale(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char *prefix = xasprintf("%s.tmp-", base);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		char *p = fs_join(dir, de->d_name);
		log_info("removing an interrupted clone: %s", p);
		fs_remove_tree(p, NULL);
		free(p);
	}
	free(prefix);
	closedir(d);
}

static int clone_into_place(struct git_mirror *m, const char *dir, const char *base, struct err *e)
{
	remove_stale(dir, base);
	char *tmp = xasprintf("%s.tmp-%ld-%lld", m->path, (long)getpid(), (long long)time(NULL));
	git_repository *repo = NULL;
	git_remote *origin = NULL;
	int rc = 0;
	if (git_repository_init(&repo, tmp, 1) < 0) {
		rc = lg_fail(e, ERR_IO, "creating", tmp);
		goto out;
	}
	if (git_remote_create_with_fetchspec(&origin, repo, "origin", m->url, refspecs[0]) < 0) {
		rc = lg_fail(e, ERR_IO, "configuring", tmp);
		goto out;
	}
	for (size_t i = 1; i < NREFSPECS; i++)
		git_remote_add_fetch(repo, "origin", refspecs[i]);
	if ((rc = fetch_into(repo, m->url, e)) < 0)
		goto out;
	set_head(repo);
	git_repository_free(repo);
	repo = NULL;
	if (rename(tmp, m->path) < 0)
		rc = err_set(e, ERR_IO, "moving the clone to %s: %s", m->path, strerror(errno));
out:
	git_remote_free(origin);
	git_repository_free(repo);
	if (rc < 0)
		fs_remove_tree(tmp, NULL);
	free(tmp);
	return rc;
}

int git_mirror_open(struct git_mirror **out, int *cloned, const char *data_dir, const char *full_name,
		    const char *url, struct err *e)
{
	int rc;
	if (cloned)
		*cloned = 0;
	if ((rc = git_mirror_check_name(full_name, e)) < 0 || (rc = check_url(url, e)) < 0)
		return rc;
	git_libgit2_init();
	struct git_mirror *m = xcalloc(1, sizeof(*m));
	const char *slash = strchr(full_name, '/');
	char *owner = xstrndup(full_name, (size_t)(slash - full_name));
	char *repos = fs_join(data_dir, "repos");
	char *dir = fs_join(repos, owner);
	char *base = xasprintf("%s.git", slash + 1);
	m->path = fs_join(dir, base);
	m->lock_path = xasprintf("%s.lock", m->path);
	m->url = xstrdup(url);
	int fd = -1;
	if (!fs_is_dir(m->path)) {
		if ((rc = fs_mkdirs(dir, e)) < 0 || (rc = fd = lock_take(m->lock_path, e)) < 0)
			goto out;
		/* Someone may have finished the clone while we waited. */
		if (!fs_is_dir(m->path)) {
			if ((rc = clone_into_place(m, dir, base, e)) < 0)
				goto out;
			if (cloned)
				*cloned = 1;
		}
	}
	if (git_repository_open_bare(&m->repo, m->path) < 0)
		rc = lg_fail(e, ERR_IO, "opening mirror", m->path);
out:
	lock_release(fd);
	free(owner);
	free(repos);
	free(dir);
	free(base);
	if (rc < 0) {
		err_prefix(e, "%s", full_name);
		git_mirror_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void git_mirror_free(struct git_mirror *m)
{
	if (!m)
		return;
	if (m->repo) {
		git_repository_free(m->repo);
	}
	free(m->path);
	free(m->lock_path);
	free(m->url);
	free(m);
	git_libgit2_shutdown();
}

git_repository *git_mirror_repo(const struct git_mirror *m)
{
	return m->repo;
}

const char *git_mirror_path(const struct git_mirror *m)
{
	return m->path;
}

int git_mirror_fetch(struct git_mirror *m, struct err *e)
{
	int fd = lock_take(m->lock_path, e);
	if (fd < 0)
		return fd;
	int rc = fetch_into(m->repo, m->url, e);
	lock_release(fd);
	git_odb *odb = NULL;
	if (rc == 0 && git_repository_odb(&odb, m->repo) == 0) {
		git_odb_refresh(odb);
		git_odb_free(odb);
	}
	return rc;
}

int git_mirror_has_commit(struct git_mirror *m, const git_oid *oid)
{
	git_odb *odb = NULL;
	if (git_repository_odb(&odb, m->repo) < 0)
		return 0;
	size_t len;
	git_object_t type;
	int ok = git_odb_read_header(&len, &type, odb, oid) == 0 && type == GIT_OBJECT_COMMIT;
	git_odb_free(odb);
	return ok;
}

/* Fills present[] and returns how many are missing. */
static size_t check_all(struct git_mirror *m, const git_oid *oids, size_t n, uint8_t *present)
{
	size_t missing = 0;
	for (size_t i = 0; i < n; i++) {
		present[i] = (uint8_t)git_mirror_has_commit(m, &oids[i]);
		missing += !present[i];
	}
	return missing;
}

static void refresh(struct git_mirror *m)
{
	git_odb *odb = NULL;
	if (git_repository_odb(&odb, m->repo) == 0) {
		git_odb_refresh(odb);
		git_odb_free(odb);
	}
}

/*
 * Asks the server for the still-missing commits by id (a commit force-pushed
 * away upstream is no longer under any ref, but servers that advertise
 * allow-reachable-sha1-in-want, as GitHub's smart HTTP does, still serve it).
 * A refusal is not an error: those commits stay missing. libgit2's local
 * transport (file:// and paths) serves only advertised refs, so there this
 * never finds anything.
 */
static void fetch_by_id(struct git_mirror *m, const git_oid *oids, size_t n, const uint8_t *present)
{
	struct strvec specs = STRVEC_INIT;
	for (size_t i = 0; i < n; i++)
		if (!present[i]) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof(hex), &oids[i]);
			strvec_pushf(&specs, "+%s:refs/ciminer/keep/%s", hex, hex);
		}
	git_remote *remote = NULL;
	git_fetch_options fo;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.prune = GIT_FETCH_NO_PRUNE;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	git_strarray arr = { specs.v, specs.n };
	if (git_remote_create_anonymous(&remote, m->repo, m->url) < 0 ||
	    git_remote_fetch(remote, &arr, &fo, "ciminer fetch by id") < 0) {
		const git_error *ge = git_error_last();
		log_debug("fetching %zu commit(s) by id from %s: %s", specs.n, m->url, ge ? ge->message : "?");
	}
	git_remote_free(remote);
	strvec_clear(&specs);
}

/*
 * Pins each present commit with refs/ciminer/keep/<id>: the history index
 * walks refs, and a later force-push upstream (which moves refs/heads/...)
 * must not make a commit a build names disappear from it.
 */
static int pin(struct git_mirror *m, const git_oid *oids, size_t n, const uint8_t *present, struct err *e)
{
	size_t made = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!present[i])
			continue;
		char name[64];
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &oids[i]);
		snprintf(name, sizeof(name), "refs/ciminer/keep/%s", hex);
		git_reference *ref = NULL;
		if (git_reference_lookup(&ref, m->repo, name) == 0) {
			git_reference_free(ref);
			continue;
		}
		int cr = git_reference_create(&ref, m->repo, name, &oids[i], 0, "ciminer: a build names this commit");
		if (cr == 0)
			made++;
		else if (cr != GIT_EEXISTS)
			rc = lg_fail(e, ERR_IO, "pinning commit", hex);
		git_reference_free(ref);
	}
	if (made) { /* thousands of loose ref files would slow every ref walk */
		git_refdb *db = NULL;
		if (git_repository_refdb(&db, m->repo) == 0) {
			git_refdb_compress(db);
			git_refdb_free(db);
		}
	}
	return rc;
}

int git_mirror_ensure_commits(struct git_mirror *m, const char *const *shas, size_t n, uint8_t *present_out,
			      int *fetched, struct err *e)
{
	if (fetched)
		*fetched = 0;
	git_oid *oids = xcalloc(n ? n : 1, sizeof(git_oid));
	for (size_t i = 0; i < n; i++) {
		if (!shas[i] || strlen(shas[i]) != GIT_OID_HEXSZ || git_oid_fromstr(&oids[i], shas[i]) < 0) {
			free(oids);
			return err_set(e, ERR_INPUT, "commit id '%s' is not 40 hexadecimal digits",
				       shas[i] ? shas[i] : "");
		}
	}
	int rc = 0;
	if (check_all(m, oids, n, present_out) > 0) {
		int fd = lock_take(m->lock_path, e);
		if (fd < 0) {
			free(oids);
			return fd;
		}
		/* another process may have fetched while we waited */
		refresh(m);
		if (check_all(m, oids, n, present_out) > 0) {
			rc = fetch_into(m->repo, m->url, e);
			if (fetched)
				*fetched = rc == 0;
			refresh(m);
			if (rc == 0 && check_all(m, oids, n, present_out) > 0) {
				fetch_by_id(m, oids, n, present_out);
				refresh(m);
				check_all(m, oids, n, present_out);
			}
		}
		lock_release(fd);
	}
	if (rc == 0) { /* pinning writes refs: under the lock, like every other write to the mirror */
		int fd = lock_take(m->lock_path, e);
		rc = fd < 0 ? fd : pin(m, oids, n, present_out, e);
		lock_release(fd);
	}
	free(oids);
	return rc;
}

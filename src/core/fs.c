/* Folder creation, atomic writes, capped reads, recursive removal. */
#include "core/fs.h"
#include "core/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_mkdirs(const char *path, struct err *e)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			err_set(e, ERR_IO, "cannot create folder %s: %s", p, strerror(errno));
			free(p);
			return ERR_IO;
		}
		*s = '/';
	}
	int rc = 0;
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		rc = err_set(e, ERR_IO, "cannot create folder %s: %s", p, strerror(errno));
	else if (!fs_is_dir(p))
		rc = err_set(e, ERR_IO, "%s exists and is not a folder", p);
	free(p);
	return rc;
}

int fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

long long fs_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

int fs_check_writable_dir(const char *dir, struct err *e)
{
	if (fs_mkdirs(dir, e) < 0)
		return err_prefix(e, "the data dir cannot be used (choose another with --data-dir)");
	if (access(dir, W_OK | X_OK) < 0)
		return err_set(e, ERR_USAGE, "the data dir %s is not writable: %s (choose another with --data-dir)",
			       dir, strerror(errno));
	return 0;
}

int fs_write_atomic(const char *path, const void *data, size_t len, struct err *e)
{
	/* A unique name: threads of one process may write the same path at once (the same log twice). */
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd >= 0)
		fchmod(fd, 0644);
	if (fd < 0) {
		err_set(e, ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
		free(tmp);
		return ERR_IO;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			err_set(e, ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			free(tmp);
			return ERR_IO;
		}
		p += w;
		left -= (size_t)w;
	}
	fsync(fd);
	close(fd);
	if (rename(tmp, path) < 0) {
		err_set(e, ERR_IO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return ERR_IO;
	}
	free(tmp);
	return 0;
}

int fs_read_file(const char *path, struct buf *out, size_t max, struct err *e)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot read %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (f != stdin)
			fclose(f);
		return err_set(e, ERR_INPUT, "%s is a directory; give the path of a file", path);
	}
	char blk[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(blk, 1, sizeof(blk), f)) > 0) {
		if (max && out->len + n > max) {
			rc = err_set(e, ERR_TOOBIG, "%s is larger than %zu bytes", path, max);
			break;
		}
		buf_add(out, blk, n);
	}
	if (!rc && ferror(f))
		rc = err_set(e, ERR_IO, "error reading %s: %s", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	return rc;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

int fs_remove_tree(const char *path, struct err *e)
{
	if (!fs_exists(path))
		return 0;
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) < 0)
		return err_set(e, ERR_IO, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}

char *fs_join(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n && a[n - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

/* Atomic, hashed output files for the dataset writers (sink.h). */
#include "dataset/sink.h"
#include "core/xalloc.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SINK_BUFFER (1u << 20)

int dataset_sink_open(struct dataset_sink *s, const char *path, struct err *e)
{
	memset(s, 0, sizeof(*s));
	s->path = xstrdup(path);
	s->tmp = xasprintf("%s.tmp-XXXXXX", path);
	int fd = mkstemp(s->tmp);
	if (fd < 0) {
		err_set(e, ERR_IO, "cannot create %s: %s; check that the folder exists and is writable", s->tmp, strerror(errno));
		free(s->path);
		free(s->tmp);
		return e->code;
	}
	/* mkstemp makes the file 0600; dataset files are meant to be read by others. */
	fchmod(fd, 0644);
	s->fp = fdopen(fd, "wb");
	s->vbuf = xmalloc(SINK_BUFFER);
	setvbuf(s->fp, s->vbuf, _IOFBF, SINK_BUFFER);
	s->hash = sha256_new();
	return 0;
}

int dataset_sink_write(struct dataset_sink *s, const void *p, size_t n)
{
	if (s->err.code)
		return s->err.code;
	if (n && fwrite(p, 1, n, s->fp) != n)
		return err_set(&s->err, ERR_IO, "cannot write %s: %s", s->path, strerror(errno));
	sha256_update(s->hash, p, n);
	s->offset += n;
	return 0;
}

static void sink_free(struct dataset_sink *s)
{
	free(s->path);
	free(s->tmp);
	free(s->vbuf);
	s->path = s->tmp = s->vbuf = NULL;
}

int dataset_sink_commit(struct dataset_sink *s, int do_fsync, char sha[SHA256_HEX_LEN], uint64_t *bytes,
			struct err *e)
{
	if (!s->err.code && fflush(s->fp) != 0)
		err_set(&s->err, ERR_IO, "cannot write %s: %s", s->path, strerror(errno));
	if (!s->err.code && do_fsync && fsync(fileno(s->fp)) != 0)
		err_set(&s->err, ERR_IO, "cannot sync %s: %s", s->path, strerror(errno));
	if (fclose(s->fp) != 0 && !s->err.code)
		err_set(&s->err, ERR_IO, "cannot close %s: %s", s->path, strerror(errno));
	s->fp = NULL;
	if (!s->err.code && rename(s->tmp, s->path) != 0)
		err_set(&s->err, ERR_IO, "cannot rename %s to %s: %s", s->tmp, s->path, strerror(errno));
	char hex[SHA256_HEX_LEN];
	sha256_finish(s->hash, hex);
	s->hash = NULL;
	if (s->err.code) {
		unlink(s->tmp);
		int rc = err_copy(e, &s->err);
		sink_free(s);
		return rc;
	}
	if (sha)
		memcpy(sha, hex, SHA256_HEX_LEN);
	if (bytes)
		*bytes = s->offset;
	sink_free(s);
	return 0;
}

void dataset_sink_abort(struct dataset_sink *s)
{
	if (s->fp)
		fclose(s->fp);
	s->fp = NULL;
	if (s->hash) {
		char hex[SHA256_HEX_LEN];
		sha256_finish(s->hash, hex);
		s->hash = NULL;
	}
	if (s->tmp)
		unlink(s->tmp);
	sink_free(s);
}

/* Content-addressed, zstd-compressed blobs on disk (see blobs.h). */
#include "store/blobs.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <string.h>
#include <zstd.h>

char *blob_path(const char *data_dir, const char *hex)
{
	return xasprintf("%s/blobs/%.2s/%s.zst", data_dir, hex, hex);
}

int blob_put(const char *data_dir, const void *data, size_t len, char hex[SHA256_HEX_LEN], size_t *stored,
	     struct err *e)
{
	sha256_hex(data, len, hex);
	char *path = blob_path(data_dir, hex);
	long long have = fs_size(path);
	if (have >= 0) {
		if (stored)
			*stored = (size_t)have;
		free(path);
		return 0;
	}
	char *dir = xasprintf("%s/blobs/%.2s", data_dir, hex);
	int rc = fs_mkdirs(dir, e);
	free(dir);
	if (rc == 0) {
		size_t bound = ZSTD_compressBound(len);
		void *z = xmalloc(bound);
		/* Level 6: logs are written once and read at processing; ratio matters more than speed here. */
		size_t n = ZSTD_compress(z, bound, data, len, 6);
		if (ZSTD_isError(n))
			rc = err_set(e, ERR_INTERNAL, "zstd: %s", ZSTD_getErrorName(n));
		else
			rc = fs_write_atomic(path, z, n, e);
		if (rc == 0 && stored)
			*stored = n;
		free(z);
	}
	free(path);
	return rc;
}

int blob_get(const char *data_dir, const char *hex, struct buf *out, size_t max, struct err *e)
{
	char *path = blob_path(data_dir, hex);
	struct buf z = BUF_INIT;
	int rc = fs_read_file(path, &z, 0, e);
	free(path);
	if (rc < 0) {
		buf_release(&z);
		return rc == ERR_NOT_FOUND ? err_set(e, ERR_NOT_FOUND, "log blob %s is missing from the blob store", hex)
					   : rc;
	}
	ZSTD_DStream *ds = ZSTD_createDStream();
	ZSTD_inBuffer in = { z.data, z.len, 0 };
	char blk[1 << 16];
	while (rc == 0 && in.pos < in.size) {
		ZSTD_outBuffer o = { blk, sizeof(blk), 0 };
		size_t r = ZSTD_decompressStream(ds, &o, &in);
		if (ZSTD_isError(r)) {
			rc = err_set(e, ERR_IO, "blob %s is corrupt: %s", hex, ZSTD_getErrorName(r));
			break;
		}
		if (max && out->len + o.pos > max) {
			buf_add(out, blk, max - out->len);
			break;
		}
		buf_add(out, blk, o.pos);
		if (r == 0 && in.pos == in.size)
			break;
	}
	ZSTD_freeDStream(ds);
	buf_release(&z);
	return rc;
}

/*
 * The blob store for build logs: <data-dir>/blobs/<aa>/<sha256>.zst, content
 * addressed by the sha256 of the raw bytes and zstd-compressed. Writing a
 * blob that exists is a no-op (the same log is stored once, whoever fetches
 * it); a blob appears only complete (temporary file + rename).
 */
#ifndef STORE_BLOBS_H
#define STORE_BLOBS_H
#include <stddef.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/hash.h"

/* Stores data; hex gets its address, *stored (optional) the compressed size on disk. */
int blob_put(const char *data_dir, const void *data, size_t len, char hex[SHA256_HEX_LEN], size_t *stored,
	     struct err *e);
/* Appends the decompressed blob to out (at most max bytes, 0: no cap). ERR_NOT_FOUND when absent. */
int blob_get(const char *data_dir, const char *hex, struct buf *out, size_t max, struct err *e);
/* The blob's path; the caller frees. */
char *blob_path(const char *data_dir, const char *hex);

#endif

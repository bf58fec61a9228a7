/*
 * An output file of the dataset writers: written under a temporary name in
 * the target folder, hashed (sha256) as the bytes go by, and renamed into
 * place by dataset_sink_commit(), so a reader never sees half a file and the
 * checksum costs no second read. Errors are sticky: after a failed write the
 * next writes do nothing and commit reports the first error.
 */
#ifndef DATASET_SINK_H
#define DATASET_SINK_H
#include <stdint.h>
#include <stdio.h>
#include "core/err.h"
#include "core/hash.h"

struct dataset_sink {
	char *path, *tmp;
	FILE *fp;
	char *vbuf;
	struct sha256_ctx *hash;
	uint64_t offset;   /* bytes written so far */
	struct err err;    /* first error */
};

/* Opens a temporary file beside path; ERR_IO names the folder when it cannot. */
int dataset_sink_open(struct dataset_sink *s, const char *path, struct err *e);
/* Appends n bytes (sticky errors, see above); returns 0 or the first error's code. */
int dataset_sink_write(struct dataset_sink *s, const void *p, size_t n);
/* Flushes, optionally fsyncs, renames into place; fills the digest and size. Frees the sink. */
int dataset_sink_commit(struct dataset_sink *s, int do_fsync, char sha[SHA256_HEX_LEN], uint64_t *bytes,
			struct err *e);
/* Removes the temporary file and frees the sink (after any failure). */
void dataset_sink_abort(struct dataset_sink *s);

#endif

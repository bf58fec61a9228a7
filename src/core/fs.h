/*
 * File-system helpers. Writes that must never be seen half-done go through
 * fs_write_atomic(): a temporary file in the same folder, fsync, rename.
 */
#ifndef CORE_FS_H
#define CORE_FS_H
#include <stddef.h>
#include "core/buf.h"
#include "core/err.h"

/* mkdir -p with mode 0755; an existing folder is fine. */
int fs_mkdirs(const char *path, struct err *e);
/* 1 when path exists and is a folder, 0 otherwise. */
int fs_is_dir(const char *path);
int fs_exists(const char *path);
/* Checks that dir can be created and written (creates it). */
int fs_check_writable_dir(const char *dir, struct err *e);
int fs_write_atomic(const char *path, const void *data, size_t len, struct err *e);
/* Reads a whole file into out, refusing files over max bytes (0: no cap). */
int fs_read_file(const char *path, struct buf *out, size_t max, struct err *e);
/* rm -rf; a missing path is fine. */
int fs_remove_tree(const char *path, struct err *e);
/* Joins two path parts with one '/'; the caller frees. */
char *fs_join(const char *a, const char *b);
/* Size in bytes, or -1. */
long long fs_size(const char *path);

#endif

/*
 * SHA-256 for content addressing (blob store, dataset checksums), computed by
 * OpenSSL's libcrypto (never hand-written). Hex digests are 64 characters
 * plus a NUL.
 */
#ifndef CORE_HASH_H
#define CORE_HASH_H
#include <stddef.h>
#include "core/err.h"

#define SHA256_HEX_LEN 65

struct sha256_ctx;
struct sha256_ctx *sha256_new(void);
void sha256_update(struct sha256_ctx *c, const void *p, size_t n);
/* Writes the hex digest and frees the context. */
void sha256_finish(struct sha256_ctx *c, char hex[SHA256_HEX_LEN]);
void sha256_hex(const void *p, size_t n, char hex[SHA256_HEX_LEN]);
int sha256_file(const char *path, char hex[SHA256_HEX_LEN], struct err *e);

#endif

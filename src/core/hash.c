/* SHA-256 through OpenSSL's EVP interface. */
#include "core/hash.h"
#include "core/xalloc.h"
#include <errno.h>
#include <stdlib.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

struct sha256_ctx {
	EVP_MD_CTX *md;
};

struct sha256_ctx *sha256_new(void)
{
	struct sha256_ctx *c = xmalloc(sizeof(*c));
	c->md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(c->md, EVP_sha256(), NULL);
	return c;
}

void sha256_update(struct sha256_ctx *c, const void *p, size_t n)
{
	EVP_DigestUpdate(c->md, p, n);
}

void sha256_finish(struct sha256_ctx *c, char hex[SHA256_HEX_LEN])
{
	unsigned char d[32];
	unsigned int n = 0;
	EVP_DigestFinal_ex(c->md, d, &n);
	EVP_MD_CTX_free(c->md);
	free(c);
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

void sha256_hex(const void *p, size_t n, char hex[SHA256_HEX_LEN])
{
	struct sha256_ctx *c = sha256_new();
	sha256_update(c, p, n);
	sha256_finish(c, hex);
}

int sha256_file(const char *path, char hex[SHA256_HEX_LEN], struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "cannot read %s: %s", path, strerror(errno));
	struct sha256_ctx *c = sha256_new();
	char blk[65536];
	size_t n;
	while ((n = fread(blk, 1, sizeof(blk), f)) > 0)
		sha256_update(c, blk, n);
	int bad = ferror(f);
	fclose(f);
	sha256_finish(c, hex);
	if (bad)
		return err_set(e, ERR_IO, "error reading %s", path);
	return 0;
}

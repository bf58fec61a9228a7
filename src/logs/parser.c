/*
 * struct logs_parser: the normaliser, the dispatcher with every framework
 * parser, and the per-log accumulator, plus reading files (plain, zstd, gzip
 * or standard input) in fixed-size chunks so that a log of any size is parsed
 * in bounded memory.
 */
#include "logs/logs_internal.h"
#include "core/xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define CHUNK (256 * 1024)

struct logs_parser {
	struct logs_dispatch *d;
	struct logs_norm *n;
	struct logs_fail *fail;
	struct logs_acc acc;
	struct logs_result work;
};

struct logs_parser *logs_parser_new(void)
{
	struct logs_parser *p = xcalloc(1, sizeof(*p));
	p->d = logs_dispatch_new();
	p->n = logs_norm_new(p->d);
	p->fail = logs_fail_new();
	logs_result_init(&p->work);
	return p;
}

void logs_parser_free(struct logs_parser *p)
{
	if (!p)
		return;
	logs_norm_free(p->n);
	logs_dispatch_free(p->d);
	logs_fail_free(p->fail);
	strmap_clear(&p->acc.failed_seen, NULL);
	logs_result_release(&p->work);
	free(p);
}

void logs_parser_begin(struct logs_parser *p)
{
	logs_result_release(&p->work);
	strmap_clear(&p->acc.failed_seen, NULL);
	memset(&p->acc, 0, sizeof(p->acc));
	p->acc.res = &p->work;
	p->acc.duration = -1;
	p->acc.fail = p->fail;
	logs_fail_begin(p->fail);
	logs_dispatch_begin(p->d, &p->acc);
	logs_norm_begin(p->n, &p->acc);
}

void logs_parser_feed(struct logs_parser *p, const void *data, size_t len)
{
	logs_norm_feed(p->n, data, len);
}

/* The ecosystem a framework belongs to, for "analyzer" when no build tool was seen. */
static const struct {
	const char *fw, *analyzer;
} ecosystems[] = {
	{ "pytest", "python" },	    { "unittest", "python" },  { "JUnit", "java-other" },
	{ "testng", "java-other" }, { "scalatest", "java-sbt" }, { "rspec", "ruby" },
	{ "testunit", "ruby" },	    { "minitest", "ruby" },    { "cucumber", "ruby" },
	{ "jest", "javascript" },   { "mocha", "javascript" }, { "jasmine", "javascript" },
	{ "vitest", "javascript" }, { "karma", "javascript" }, { "gotest", "go" },
	{ "cargo", "rust" },	    { "nextest", "rust" },     { "gtest", "cpp" },
	{ "catch2", "cpp" },	    { "ctest", "cpp" },	       { "phpunit", "php" },
	{ "dotnet", "dotnet" },
};

static const char *analyzer_of(const struct logs_acc *a)
{
	const char *tool = a->tool;
	if (tool && strcmp(tool, "maven") == 0)
		return "java-maven";
	if (tool && strcmp(tool, "gradle") == 0)
		return "java-gradle";
	if (tool && strcmp(tool, "ant") == 0)
		return "java-ant";
	if (tool && strcmp(tool, "sbt") == 0)
		return "java-sbt";
	if (a->res->frameworks.n == 0)
		return "plain";
	for (size_t i = 0; i < sizeof(ecosystems) / sizeof(ecosystems[0]); i++)
		if (strcmp(ecosystems[i].fw, a->res->frameworks.v[0]) == 0)
			return ecosystems[i].analyzer;
	return "plain";
}

void logs_parser_end(struct logs_parser *p, struct logs_result *out)
{
	logs_norm_end(p->n);
	logs_dispatch_end(p->d);
	struct logs_result *r = &p->work;
	if (r->tests_failed > r->tests_run) /* a tool that reports failures without a total */
		r->tests_run = r->tests_failed;
	r->tests_ok = r->tests_run - r->tests_failed;
	if (p->acc.duration >= 0)
		r->test_duration_sec = p->acc.duration;
	r->analyzer = analyzer_of(&p->acc);
	r->provider = p->acc.provider == LOGS_PROV_GHA ? "github_actions"
		      : p->acc.provider == LOGS_PROV_TRAVIS ? "travis"
							  : "plain";
	if (r->build_duration_sec >= 0 && r->test_duration_sec > r->build_duration_sec)
		r->build_duration_sec = -1; /* as the reference analyzers: a build cannot be shorter than its tests */
	logs_fail_end(p->fail, r);
	logs_result_release(out);
	*out = *r;
	logs_result_init(r); /* ownership of the vectors moved to out */
	strmap_clear(&p->acc.failed_seen, NULL);
}

void logs_parser_parse_buffer(struct logs_parser *p, struct logs_result *out, const void *data,
			      size_t len)
{
	logs_parser_begin(p);
	logs_parser_feed(p, data, len);
	logs_parser_end(p, out);
}

static int feed_zstd(struct logs_parser *p, FILE *f, unsigned char *in, size_t have, const char *path,
		     struct err *e)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	unsigned char *out = xmalloc(CHUNK);
	int rc = 0;
	size_t last = 1;
	ZSTD_initDStream(z);
	for (;;) {
		ZSTD_inBuffer ib = { in, have, 0 };
		while (ib.pos < ib.size) {
			ZSTD_outBuffer ob = { out, CHUNK, 0 };
			last = ZSTD_decompressStream(z, &ob, &ib);
			if (ZSTD_isError(last)) {
				rc = err_set(e, ERR_INPUT, "%s: corrupt zstd data (%s); check the file or decompress it by hand",
					     path, ZSTD_getErrorName(last));
				goto out;
			}
			logs_parser_feed(p, out, ob.pos);
		}
		have = fread(in, 1, CHUNK, f);
		if (have == 0)
			break;
	}
	if (ferror(f))
		rc = err_set(e, ERR_IO, "%s: read error: %s", path, strerror(errno));
	else if (last != 0)
		rc = err_set(e, ERR_INPUT, "%s: truncated zstd data; the file ends mid-frame", path);
out:
	ZSTD_freeDStream(z);
	free(out);
	return rc;
}

static int feed_gzip(struct logs_parser *p, FILE *f, unsigned char *in, size_t have, const char *path,
		     struct err *e)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return err_set(e, ERR_INTERNAL, "%s: zlib initialisation failed", path);
	unsigned char *out = xmalloc(CHUNK);
	int rc = 0, zr = Z_OK, at_end = 0;
	for (;;) {
		z.next_in = in;
		z.avail_in = (uInt)have;
		while (z.avail_in > 0) {
			z.next_out = out;
			z.avail_out = CHUNK;
			zr = inflate(&z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
				rc = err_set(e, ERR_INPUT, "%s: corrupt gzip data (%s); check the file", path,
					     z.msg ? z.msg : "inflate failed");
				goto out;
			}
			logs_parser_feed(p, out, CHUNK - z.avail_out);
			if (zr == Z_STREAM_END) { /* concatenated gzip members may follow */
				at_end = 1;
				inflateReset(&z);
			} else if (zr == Z_BUF_ERROR && z.avail_out != 0) {
				break;
			} else {
				at_end = 0;
			}
		}
		have = fread(in, 1, CHUNK, f);
		if (have == 0)
			break;
	}
	if (ferror(f))
		rc = err_set(e, ERR_IO, "%s: read error: %s", path, strerror(errno));
	else if (!at_end)
		rc = err_set(e, ERR_INPUT, "%s: truncated gzip data; the file ends mid-stream", path);
out:
	inflateEnd(&z);
	free(out);
	return rc;
}

int logs_parser_parse_file(struct logs_parser *p, struct logs_result *out, const char *path,
			   struct err *e)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
			       "cannot open log %s: %s; check the path", path, strerror(errno));
	unsigned char *in = xmalloc(CHUNK);
	size_t have = fread(in, 1, CHUNK, f);
	int rc = 0;
	logs_parser_begin(p);
	if (have >= 4 && in[0] == 0x28 && in[1] == 0xb5 && in[2] == 0x2f && in[3] == 0xfd) {
		rc = feed_zstd(p, f, in, have, path, e);
	} else if (have >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
		rc = feed_gzip(p, f, in, have, path, e);
	} else {
		while (have > 0) {
			logs_parser_feed(p, in, have);
			have = fread(in, 1, CHUNK, f);
		}
		if (ferror(f))
			rc = err_set(e, ERR_IO, "%s: read error: %s", path, strerror(errno));
	}
	free(in);
	if (!is_stdin)
		fclose(f);
	struct logs_result tmp;
	logs_result_init(&tmp);
	logs_parser_end(p, &tmp);
	if (rc < 0) {
		logs_result_release(&tmp);
		return rc;
	}
	logs_result_release(out);
	*out = tmp;
	return 0;
}

void logs_parse_buffer(struct logs_result *out, const void *data, size_t len)
{
	struct logs_parser *p = logs_parser_new();
	logs_parser_parse_buffer(p, out, data, len);
	logs_parser_free(p);
}

int logs_parse_file(struct logs_result *out, const char *path, struct err *e)
{
	struct logs_parser *p = logs_parser_new();
	int rc = logs_parser_parse_file(p, out, path, e);
	logs_parser_free(p);
	return rc;
}

/*
 * libFuzzer target for the compressed log readers: logs_parser_parse_file()
 * (src/logs/parser.c: plain, zstd or gzip by magic number, streamed) and the
 * local archive's log download (src/ci/ci_local.c: logs/<job>.log.zst,
 * streamed into a sink with a byte cap). Each input is written once as a
 * file and read by both. Where both readers accept a zstd input, the parse
 * of the archive's decompressed bytes must equal the parse of the file: the
 * two decoders must agree byte for byte. The archive's cap must hold.
 */
#include "fuzz_support.h"
#include "ci/provider.h"
#include "core/buf.h"
#include "logs/logs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CAP (1 << 20)

static struct logs_parser *parser;
static struct ci_provider *archive;

static void setup(void)
{
	static const char run[] = "{\"id\": 1, \"repository\": {\"full_name\": \"o/r\"}, \"jobs\": [{\"id\": 1}]}\n";
	char logs[4200];
	struct err e = ERR_INIT;
	struct ci_options o;
	parser = logs_parser_new();
	fuzz_write("runs.jsonl", run, strlen(run));
	snprintf(logs, sizeof(logs), "%s/logs", fuzz_dir());
	mkdir(logs, 0700);
	ci_options_init(&o);
	o.archive_dir = fuzz_dir();
	if (ci_provider_open(&archive, CI_LOCAL, &o, &e) != 0) {
		fprintf(stderr, "fuzz_log_files: %s\n", e.msg);
		abort();
	}
}

static char *result_json(struct logs_result *r)
{
	json_t *j = logs_result_to_json(r);
	char *s = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	if (!s)
		abort(); /* the result holds bytes JSON cannot carry */
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!parser)
		setup();
	struct err e = ERR_INIT;
	struct logs_result file;
	logs_result_init(&file);
	int frc = logs_parser_parse_file(parser, &file, fuzz_write("job.log", data, size), &e);
	if (frc != 0 && !e.msg[0])
		abort();

	struct buf got = BUF_INIT;
	struct ci_sink sink = ci_sink_buf(&got);
	size_t bytes = 0;
	int truncated = 0;
	fuzz_write("logs/1.log.zst", data, size);
	int arc = ci_log_fetch(archive, "o/r", "1", &sink, CAP, &bytes, &truncated, &e);
	if (bytes != got.len || bytes > CAP || (truncated && bytes != CAP))
		abort(); /* the sink and the count disagree, or the cap did not hold */

	int zstd = size >= 4 && data[0] == 0x28 && data[1] == 0xb5 && data[2] == 0x2f && data[3] == 0xfd;
	if (zstd && frc == 0 && arc == 0 && !truncated) {
		struct logs_result mem;
		logs_result_init(&mem);
		logs_parser_parse_buffer(parser, &mem, got.data, got.len);
		char *a = result_json(&file), *b = result_json(&mem);
		if (strcmp(a, b) != 0) {
			fprintf(stderr, "fuzz_log_files: the two zstd readers disagree:\n%s\n%s\n", a, b);
			abort();
		}
		free(a);
		free(b);
		logs_result_release(&mem);
	}
	buf_release(&got);
	logs_result_release(&file);
	return 0;
}

/*
 * libFuzzer target for the log normaliser and every parser: the input is
 * fed in chunks whose sizes come from the input itself (so line splits
 * across chunks are exercised), then the result is merged and serialised.
 * Built with clang by tests/fuzz/CMakeLists.txt; run briefly by ctest
 * (fuzz_logs_smoke) and for longer by hand:
 *   build/tests/fuzz/fuzz_logs -max_total_time=600 build/fuzz-corpus-logs tests/logs/data
 */
#include "logs/logs.h"
#include <stdint.h>
#include <stdlib.h>

/* One parser for the whole run: creating it compiles its tables, and reuse
 * across inputs is what production does (a harness may keep state). */
static struct logs_parser *parser;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!parser)
		parser = logs_parser_new();
	size_t step = size > 0 ? (size_t)data[0] % 97 + 1 : 1;
	struct logs_result r, build;
	logs_result_init(&r);
	logs_result_init(&build);
	logs_parser_begin(parser);
	for (size_t i = 0; i < size; i += step)
		logs_parser_feed(parser, data + i, size - i < step ? size - i : step);
	logs_parser_end(parser, &r);
	if (r.tests_ok != r.tests_run - r.tests_failed || r.tests_run < 0 || r.tests_failed < 0 || r.tests_skipped < 0)
		abort(); /* an invariant of struct logs_result */
	logs_result_merge(&build, &r);
	logs_result_merge(&build, &r);
	json_t *j = logs_result_to_json(&build);
	char *s = json_dumps(j, 0);
	if (!s)
		abort(); /* invalid UTF-8 reached jansson */
	free(s);
	json_decref(j);
	logs_result_release(&r);
	logs_result_release(&build);
	return 0;
}

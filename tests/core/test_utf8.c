/* UTF-8 checking and repair (src/core/utf8.c). */
#include <criterion/criterion.h>
#include "core/utf8.h"
#include <stdlib.h>
#include <string.h>

Test(utf8, accepts_valid_text_and_refuses_latin1_overlong_and_surrogates)
{
	cr_expect(utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
	cr_expect(!utf8_valid("caf\xe9"));
	cr_expect(!utf8_valid("\xc0\xaf"));         /* overlong '/' */
	cr_expect(!utf8_valid("\xed\xa0\x80"));     /* surrogate */
	cr_expect(!utf8_valid("\xf4\x90\x80\x80")); /* past U+10FFFF */
}

Test(utf8, a_scan_across_blocks_reports_the_line_and_offset_of_the_bad_character)
{
	struct utf8_scan s = UTF8_SCAN_INIT;
	const char *a = "ab\r\ncd\xc3", *b = "\xa9\rx\xe9y";
	cr_expect_eq(utf8_scan_block(&s, (const unsigned char *)a, strlen(a), 0), 0);
	cr_expect(utf8_scan_unfinished(&s));
	cr_expect_eq(utf8_scan_block(&s, (const unsigned char *)b, strlen(b), (int64_t)strlen(a)), -1);
	cr_expect_eq(s.line, 3);
	cr_expect_eq(s.lead, 0xe9);
	cr_expect_eq(s.lead_at, 10);
}

Test(utf8, repair_replaces_each_bad_byte_and_keeps_the_rest)
{
	char *r = utf8_repair("caf\xe9 ok \xc3\xa9");
	cr_expect_str_eq(r, "caf\xef\xbf\xbd ok \xc3\xa9");
	free(r);
}

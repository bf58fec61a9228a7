/* Tests of the container kit, errors, timestamps, JSON helpers and hashing. */
#include <criterion/criterion.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "testsupport.h"
#include <string.h>

Test(buf, grows_and_stays_nul_terminated)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(buf_addf(&b, "%d,", i), 0);
	cr_assert_eq(b.data[b.len], '\0');
	cr_assert(strncmp(b.data, "0,1,2,", 6) == 0);
	cr_assert(strstr(b.data, "999,") != NULL);
	buf_release(&b);
}

Test(buf, refuses_to_pass_its_cap_and_keeps_contents)
{
	struct buf b;
	buf_init(&b, 8);
	cr_assert_eq(buf_addstr(&b, "abcdef"), 0);
	cr_assert_eq(buf_addstr(&b, "ghi"), ERR_TOOBIG);
	cr_assert_str_eq(buf_cstr(&b), "abcdef");
	size_t n;
	char *p = buf_detach(&b, &n);
	cr_assert_eq(n, 6);
	cr_assert_eq(b.len, 0);
	free(p);
}

Test(strvec, splits_trims_and_joins)
{
	struct strvec v = STRVEC_INIT;
	strvec_split(&v, " a, b ,,c ", ',');
	cr_assert_eq(v.n, 3);
	cr_assert_str_eq(v.v[1], "b");
	char *j = strvec_join(&v, "|");
	cr_assert_str_eq(j, "a|b|c");
	cr_assert_eq(strvec_find(&v, "c"), 2);
	cr_assert_eq(strvec_find(&v, "z"), -1);
	free(j);
	strvec_clear(&v);
}

Test(strmap, stores_many_keys_and_replaces_values)
{
	struct strmap m = STRMAP_INIT;
	char key[32];
	for (long i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%ld", i);
		strmap_put(&m, key, (void *)(i + 1));
	}
	cr_assert_eq(m.n, 5000);
	cr_assert_eq((long)strmap_get(&m, "k4321"), 4322);
	cr_assert_eq((long)strmap_put(&m, "k7", (void *)99L), 8);
	cr_assert_eq((long)strmap_get(&m, "k7"), 99);
	cr_assert_null(strmap_get(&m, "nope"));
	strmap_clear(&m, NULL);
}

Test(err, composes_context_and_maps_exit_status)
{
	struct err e = ERR_INIT;
	cr_assert_eq(err_set(&e, ERR_INPUT, "bad value '%s'", "x"), ERR_INPUT);
	err_prefix(&e, "row %d", 17);
	cr_assert_str_eq(e.msg, "row 17: bad value 'x'");
	cr_assert_eq(err_exit_status(ERR_INPUT), 2);
	cr_assert_eq(err_exit_status(ERR_USAGE), 2);
	cr_assert_eq(err_exit_status(ERR_DB), 1);
	cr_assert_eq(err_exit_status(0), 0);
}

Test(utc, parses_github_timestamps_with_fractions)
{
	int64_t t;
	cr_assert_eq(utc_parse(&t, "2022-06-06T06:52:18.9945789Z", NULL), 0);
	char out[UTC_FMT_MAX];
	cr_assert_str_eq(utc_format(t, out), "2022-06-06T06:52:18.994578Z");
	cr_assert_eq(utc_parse(&t, "2023-03-14T15:09:26Z", NULL), 0);
	cr_assert_eq(t, 1678806566LL * USEC_PER_SEC);
	cr_assert_str_eq(utc_format(t, out), "2023-03-14T15:09:26Z");
}

Test(utc, applies_offsets_and_accepts_bare_dates)
{
	int64_t a, b;
	cr_assert_eq(utc_parse(&a, "2024-01-01 02:00:00+02:00", NULL), 0);
	cr_assert_eq(utc_parse(&b, "2024-01-01", NULL), 0);
	cr_assert_eq(a, b);
	cr_assert_eq(utc_parse(&a, "1969-12-31T23:59:59Z", NULL), 0);
	cr_assert_eq(a, -USEC_PER_SEC);
	char out[UTC_FMT_MAX];
	cr_assert_str_eq(utc_format(a, out), "1969-12-31T23:59:59Z");
}

Test(utc, refuses_invalid_dates_with_the_value_in_the_message)
{
	int64_t t;
	struct err e = ERR_INIT;
	cr_assert_eq(utc_parse(&t, "2023-02-29", &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "2023-02-29") != NULL);
	cr_assert_eq(utc_parse(&t, "2024-02-29", NULL), 0);
	cr_assert_lt(utc_parse(&t, "yesterday", NULL), 0);
	cr_assert_lt(utc_parse(&t, "2024-13-01", NULL), 0);
	cr_assert_lt(utc_parse(&t, "2024-01-01T25:00:00Z", NULL), 0);
}

Test(utc, knows_weekday_and_hour)
{
	int64_t t;
	utc_parse(&t, "2026-11-27T04:23:02Z", NULL); /* a Friday */
	cr_assert_eq(utc_weekday(t), 4);
	cr_assert_eq(utc_hour(t), 4);
}

Test(json, reads_paths_with_defaults)
{
	struct err e = ERR_INIT;
	const char *txt = "{\"a\":{\"b\":{\"c\":\"x\"}},\"n\":42,\"f\":1.5,\"t\":true}";
	json_t *j = core_json_parse(txt, strlen(txt), "test", &e);
	cr_assert_not_null(j);
	cr_assert_str_eq(json_string_value(core_json_path(j, "a.b.c")), "x");
	cr_assert_null(core_json_path(j, "a.x.c"));
	cr_assert_eq(core_json_int(j, "n", 0), 42);
	cr_assert_float_eq(core_json_real(j, "f", 0), 1.5, 1e-12);
	cr_assert_eq(core_json_bool(j, "t", 0), 1);
	cr_assert_str_eq(core_json_str(j, "missing", "dflt"), "dflt");
	json_decref(j);
	cr_assert_null(core_json_parse("{bad", 4, "config.json", &e));
	cr_assert(strstr(e.msg, "config.json") != NULL);
}

Test(hash, computes_known_sha256)
{
	char hex[SHA256_HEX_LEN];
	sha256_hex("abc", 3, hex);
	cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	char *dir = ts_tempdir("hash");
	char *path = fs_join(dir, "f");
	struct err e = ERR_INIT;
	cr_assert_eq(fs_write_atomic(path, "abc", 3, &e), 0);
	char hex2[SHA256_HEX_LEN];
	cr_assert_eq(sha256_file(path, hex2, &e), 0);
	cr_assert_str_eq(hex, hex2);
	fs_remove_tree(dir, &e);
	cr_assert(!fs_exists(dir));
	free(path);
	free(dir);
}

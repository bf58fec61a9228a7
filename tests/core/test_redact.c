/* Secret redaction (src/core/redact.c) and its use by every error message and log line. */
#include <criterion/criterion.h>
#include "core/err.h"
#include "core/redact.h"
#include <stdlib.h>
#include <string.h>

static void expect_redacted(const char *in, const char *want)
{
	char *got = redact_secrets(in);
	cr_expect_str_eq(got, want, "redact(%s)", in);
	free(got);
}

Test(redact, hides_the_password_of_a_database_url_and_keeps_the_user)
{
	expect_redacted("postgresql://alice:S3cret@host/db", "postgresql://alice:***@host/db");
	expect_redacted("cannot connect to postgres://bob:p%40ss@10.0.0.1:5432/x: refused",
			"cannot connect to postgres://bob:***@10.0.0.1:5432/x: refused");
	expect_redacted("https://x-access-token:ghs_abc123@github.com/o/r.git",
			"https://x-access-token:***@github.com/o/r.git");
}

Test(redact, hides_password_and_token_parameters)
{
	expect_redacted("host=h password=S3cret dbname=d", "host=h password=*** dbname=d");
	expect_redacted("host=h password='a b' dbname=d", "host=h password=*** dbname=d");
	expect_redacted("postgresql://alice@h/db?sslmode=disable&password=S3cret", "postgresql://alice@h/db?sslmode=disable&password=***");
	expect_redacted("GET https://api/x?access_token=abc&page=2", "GET https://api/x?access_token=***&page=2");
}

Test(redact, leaves_text_without_secrets_alone)
{
	const char *plain[] = { "postgresql://alice@host/db", "sqlite:///tmp/a.db", "time 12:30:01 at x@y",
				"splitting_config.ratios: sum is 1.05, must be 1", "a=b c:d", "mailto:someone@example.com",
				"" };
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		expect_redacted(plain[i], plain[i]);
}

Test(redact, every_error_message_is_redacted)
{
	struct err e = ERR_INIT;
	err_set(&e, ERR_DB, "cannot connect to %s", "postgresql://alice:S3cret@h/db");
	cr_expect_null(strstr(e.msg, "S3cret"), "%s", e.msg);
	err_set(&e, ERR_DB, "refused");
	err_prefix(&e, "database %s", "postgresql://alice:Other1@h/db");
	cr_expect_null(strstr(e.msg, "Other1"), "%s", e.msg);
}

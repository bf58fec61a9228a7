/* The provider-neutral checks of src/ci/provider.c: id forms, names, bots, error classes. */
#include <criterion/criterion.h>
#include <string.h>
#include "ci/provider.h"

Test(provider, accepts_github_and_travis_ids_that_are_positive_integers)
{
	cr_assert(ci_build_id_valid(CI_GITHUB, "3881497935"));
	cr_assert(ci_build_id_valid(CI_TRAVIS, "366635873"));
	cr_assert(ci_build_id_valid(CI_LOCAL, "1"));
	cr_assert(ci_build_id_valid(CI_GITHUB, "9223372036854775807"));
	cr_assert_not(ci_build_id_valid(CI_GITHUB, "9223372036854775808"), "beyond int64");
	cr_assert_not(ci_build_id_valid(CI_GITHUB, "0"));
	cr_assert_not(ci_build_id_valid(CI_GITHUB, "0123"));
	cr_assert_not(ci_build_id_valid(CI_GITHUB, "-5"));
	cr_assert_not(ci_build_id_valid(CI_GITHUB, "12a"));
	cr_assert_not(ci_build_id_valid(CI_GITHUB, ""));
	cr_assert_not(ci_build_id_valid(CI_GITHUB, NULL));
	cr_assert_not(ci_build_id_valid(CI_TRAVIS, "5b8a1b4e-2c1d-4f33-9e3a-0d2f3b4c5d6e"));
}

Test(provider, accepts_circleci_ids_that_are_uuids)
{
	cr_assert(ci_build_id_valid(CI_CIRCLECI, "5b8a1b4e-2c1d-4f33-9e3a-0d2f3b4c5d6e"));
	cr_assert(ci_build_id_valid(CI_CIRCLECI, "5B8A1B4E-2C1D-4F33-9E3A-0D2F3B4C5D6E"));
	cr_assert_not(ci_build_id_valid(CI_CIRCLECI, "12345"));
	cr_assert_not(ci_build_id_valid(CI_CIRCLECI, "5b8a1b4e-2c1d-4f33-9e3a-0d2f3b4c5d6"));
	cr_assert_not(ci_build_id_valid(CI_CIRCLECI, "5b8a1b4e2c1d4f339e3a0d2f3b4c5d6e"));
	cr_assert_not(ci_build_id_valid(CI_CIRCLECI, "zb8a1b4e-2c1d-4f33-9e3a-0d2f3b4c5d6e"));
	cr_assert_not(ci_build_id_valid("jenkins", "1"), "unknown providers have no valid ids");
}

Test(provider, checks_repository_names_with_githubs_characters)
{
	const char *why = NULL;
	cr_assert(ci_repo_name_valid("PyGithub/PyGithub", &why));
	cr_assert_null(why);
	cr_assert(ci_repo_name_valid("a-b/c.d_e-f", NULL));
	cr_assert(ci_repo_name_valid("o/.github", NULL));
	cr_assert_not(ci_repo_name_valid("noslash", &why));
	cr_assert(strstr(why, "exactly one '/'"), "%s", why);
	cr_assert_not(ci_repo_name_valid("a/b/c", NULL));
	cr_assert_not(ci_repo_name_valid("/b", NULL));
	cr_assert_not(ci_repo_name_valid("a/", NULL));
	cr_assert_not(ci_repo_name_valid("-a/b", &why));
	cr_assert(strstr(why, "start or end"), "%s", why);
	cr_assert_not(ci_repo_name_valid("a_b/c", &why), "owners have no underscore");
	cr_assert(strstr(why, "owner has a character"), "%s", why);
	cr_assert_not(ci_repo_name_valid("a/b c", &why));
	cr_assert(strstr(why, "name has a character"), "%s", why);
	cr_assert_not(ci_repo_name_valid("a/..", NULL));
	cr_assert_not(ci_repo_name_valid("", NULL));
	cr_assert_not(ci_repo_name_valid("0123456789012345678901234567890123456789/x", NULL), "owner over 39");
}

Test(provider, detects_bots_by_type_suffix_and_known_accounts)
{
	cr_assert(ci_is_bot("anyone", "Bot"));
	cr_assert(ci_is_bot("dependabot[bot]", "User"));
	cr_assert(ci_is_bot("Renovate[BOT]", NULL));
	cr_assert(ci_is_bot("renovate", NULL));
	cr_assert(ci_is_bot("github-actions", NULL));
	cr_assert(ci_is_bot("greenkeeperio-bot", NULL));
	cr_assert(ci_is_bot("my-release-bot", NULL));
	cr_assert(ci_is_bot("Dependabot", NULL));
	cr_assert_not(ci_is_bot("nuang-ee", "User"));
	cr_assert_not(ci_is_bot("robotics-dev", NULL), "'bot' inside a name is not a bot");
	cr_assert_not(ci_is_bot("abbot", NULL));
	cr_assert_not(ci_is_bot(NULL, NULL));
}

Test(provider, classifies_error_codes_for_the_caller)
{
	cr_assert(ci_err_is_missing(CI_ERR_NOT_FOUND));
	cr_assert(ci_err_is_missing(CI_ERR_GONE));
	cr_assert_not(ci_err_is_missing(CI_ERR_TRANSIENT));
	cr_assert(ci_err_is_transient(CI_ERR_TRANSIENT));
	cr_assert(ci_err_is_transient(ERR_TIMEOUT));
	cr_assert(ci_err_is_transient(CI_ERR_RATE_LIMITED));
	cr_assert_not(ci_err_is_transient(CI_ERR_NOT_FOUND));
	cr_assert_not(ci_err_is_transient(CI_ERR_PERMANENT));
	cr_assert_str_eq(ci_err_name(CI_ERR_GONE), "gone");
	cr_assert_str_eq(ci_err_name(CI_ERR_NOT_FOUND), "not_found");
}

Test(provider, refuses_an_unknown_kind_with_the_choices)
{
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_provider_open(&p, "jenkins", NULL, &e), ERR_INPUT);
	cr_assert_null(p);
	cr_assert(strstr(e.msg, "'jenkins'") && strstr(e.msg, "github_actions"), "%s", e.msg);
	cr_assert(ci_kind_valid("circleci"));
	cr_assert_not(ci_kind_valid("GitHub"));
}

Test(provider, names_every_registered_kind_when_refusing_one_and_checks_ids_by_the_kinds_form)
{
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_provider_open(&p, "jenkins", NULL, &e), ERR_INPUT);
	cr_assert_geq(ci_nkinds, 4);
	for (size_t i = 0; i < ci_nkinds; i++) {
		cr_assert(strstr(e.msg, ci_kinds[i].kind), "%s lacks %s", e.msg, ci_kinds[i].kind);
		cr_assert_eq(ci_kind_find(ci_kinds[i].kind), &ci_kinds[i]);
		cr_assert_str_eq(ci_kinds[i].ops->kind, ci_kinds[i].kind, "line %zu's ops are another kind's", i);
		cr_assert_not_null(ci_kinds[i].ops->setup);
		const char *id = ci_kinds[i].id_form == CI_ID_UUID ? "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9" : "12345";
		cr_assert(ci_build_id_valid(ci_kinds[i].kind, id), "%s refuses %s", ci_kinds[i].kind, id);
		cr_assert_not(ci_build_id_valid(ci_kinds[i].kind, "12x"), "%s accepts 12x", ci_kinds[i].kind);
	}
	cr_assert_null(ci_kind_find("jenkins"));
}

Test(provider, labels_only_completed_human_success_or_failure_runs)
{
	struct ci_run r;
	ci_run_init(&r);
	r.status = strdup("completed");
	r.conclusion = strdup("failure");
	cr_assert(ci_run_is_labelled(&r));
	r.actor_is_bot = 1;
	cr_assert_not(ci_run_is_labelled(&r));
	r.actor_is_bot = 0;
	free(r.conclusion);
	r.conclusion = strdup("cancelled");
	cr_assert_not(ci_run_is_labelled(&r));
	free(r.status);
	r.status = strdup("in_progress");
	cr_assert_not(ci_run_is_labelled(&r));
	ci_run_release(&r);
	cr_assert_null(r.status);
	cr_assert_eq(r.created_at, CI_TIME_UNKNOWN);
}

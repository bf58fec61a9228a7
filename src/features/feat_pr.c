/*
 * pr_*: the pull request a build belongs to. The flag and number come from
 * the build row; age and comments need the PR's data from the provider
 * (input.h struct feat_pr), and are null for builds that are not PR builds.
 *
 * Comment counts are bounded by time: comments made in [start of the
 * previous build of the same PR, start of this build), or since the PR was
 * opened when this is its first build. TravisTorrent's gh_num_commit_comments
 * had no upper bound and counted comments made after the build; these never
 * do. A review comment's time is when its review was submitted (ci/pr.h).
 *
 * A build that started before its PR was opened (GitHub fills a push run's
 * pull_requests when the run is fetched, not when it ran) knew nothing of
 * the PR: its PR data features (created_at, age, comments, description) are
 * null. pr_is_triggered and pr_number still come from the run as stored
 * (its event and pull_requests): they say which PR the commit belongs to
 * now, as GitHub reports it, and are documented as such.
 */
#include "features/families_internal.h"
#include <ctype.h>

static const struct feat_def info_defs[] = {
	{ "pr_is_triggered", FEAT_BOOL, "", "Whether the build ran for a pull request.", FEAT_PRE_BUILD, 0,
	  "build_is_pull_request", "gh_is_pr", NULL },
	{ "pr_number", FEAT_INT, "id",
	  "The pull request's number (null for other builds), as the run names it; for a push run GitHub may name "
	  "a PR opened after the build, whose data features are then null.",
	  FEAT_PRE_BUILD, 0,
	  "build_pr_number", "gh_pull_req_num", NULL },
};

static int info_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	feat_set_bool(&out[0], r->is_pr);
	if (r->is_pr && r->pr_number > 0)
		feat_set_int(&out[1], r->pr_number);
	return 0;
}

const struct feat_node feat_node_pr_info = {
	"pr_info", "pr", FEAT_IN_BUILD, NULL, info_defs, FEAT_N(info_defs), 0, NULL, info_compute,
};

static const struct feat_def data_defs[] = {
	{ "pr_created_at", FEAT_TIMESTAMP, "", "When the pull request was opened (null for a build that started before that).",
	  FEAT_PRE_BUILD, 0, NULL,
	  "gh_pr_created_at", NULL },
	{ "pr_age_days", FEAT_FLOAT, "days", "Days from the pull request's opening to the build's start.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

/* The build's PR when the build may know it: not opened after the build started. */
static const struct feat_pr *known_pr(const struct feat_run *r)
{
	const struct feat_pr *pr = r->in->pr;
	if (!r->is_pr || !pr)
		return NULL;
	return pr->created_at != FEAT_TIME_UNKNOWN && pr->created_at > r->start ? NULL : pr;
}

static int data_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_pr *pr = known_pr(r);
	if (!pr || pr->created_at == FEAT_TIME_UNKNOWN)
		return 0;
	feat_set_time(&out[0], pr->created_at);
	feat_set_float(&out[1], feat_days(pr->created_at, r->start));
	return 0;
}

const struct feat_node feat_node_pr_data = {
	"pr_data", "pr", FEAT_IN_PR, NULL, data_defs, FEAT_N(data_defs), 0, NULL, data_compute,
};

static const struct feat_def comment_defs[] = {
	{ "pr_issue_comments", FEAT_INT, "count",
	  "Discussion comments on the pull request made since the previous build of the PR started (or since it was "
	  "opened) and before this build started.",
	  FEAT_PRE_BUILD, 1, NULL, "gh_num_issue_comments", NULL },
	{ "pr_review_comments", FEAT_INT, "count", "Review comments on the PR's diff in the same window.",
	  FEAT_PRE_BUILD, 1, NULL, "gh_num_pr_comments", NULL },
	{ "pr_commit_comments", FEAT_INT, "count", "Comments on the PR's commits in the same window.", FEAT_PRE_BUILD,
	  1, NULL, "gh_num_commit_comments",
	  "TravisTorrent's gh_num_commit_comments had no upper time bound and counted comments made after the "
	  "build (future leakage); ciminer counts only comments made before the build started." },
};

/* Start of the latest warehouse build of the same PR that started before start, or FEAT_TIME_UNKNOWN. */
static int64_t prev_pr_build_start(const struct feat_history *h, int64_t pr, int64_t start)
{
	int64_t best = FEAT_TIME_UNKNOWN;
	for (size_t i = 0; i < h->n; i++) {
		int64_t s = feat_hist_start(&h->builds[i]);
		if (h->builds[i].pr_number == pr && s != FEAT_TIME_UNKNOWN && s < start && s > best)
			best = s;
	}
	return best;
}

static int comment_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_pr *pr = known_pr(r);
	if (!pr)
		return 0;
	/* Since the previous build of the PR, or since the PR was opened (a previous build that started before
	 * the opening does not widen the window). */
	int64_t from = prev_pr_build_start(r->in->history, r->pr_number, r->start);
	if (pr->created_at != FEAT_TIME_UNKNOWN && (from == FEAT_TIME_UNKNOWN || from < pr->created_at))
		from = pr->created_at;
	int64_t n[4] = { 0, 0, 0, 0 };
	for (size_t i = 0; i < pr->n_comments; i++) {
		const struct feat_pr_comment *c = &pr->comments[i];
		if (c->created_at >= r->start || (from != FEAT_TIME_UNKNOWN && c->created_at < from))
			continue;
		if (c->kind >= FEAT_COMMENT_ISSUE && c->kind <= FEAT_COMMENT_COMMIT)
			n[c->kind]++;
	}
	feat_set_int(&out[0], n[FEAT_COMMENT_ISSUE]);
	feat_set_int(&out[1], n[FEAT_COMMENT_REVIEW]);
	feat_set_int(&out[2], n[FEAT_COMMENT_COMMIT]);
	return 0;
}

const struct feat_node feat_node_pr_comments = {
	"pr_comments", "pr", FEAT_IN_PR_COMMENTS | FEAT_IN_HISTORY, NULL, comment_defs, FEAT_N(comment_defs), 0, NULL,
	comment_compute,
};

static const struct feat_def text_defs[] = {
	{ "pr_description_words", FEAT_INT, "words",
	  "Words in the pull request's description as fetched; post_build because GitHub keeps no history "
	  "of edits, so the text may postdate the build.",
	  FEAT_POST_BUILD, 0, NULL, "gh_description_complexity",
	  "TravisTorrent read the description at mining time too (future leakage); ciminer marks it post_build so "
	  "that datasets warn about it." },
};

static int text_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_pr *pr = known_pr(r);
	if (!pr || !pr->body)
		return 0;
	int64_t words = 0;
	int in_word = 0;
	for (const unsigned char *p = (const unsigned char *)pr->body; *p; p++) {
		int sp = isspace(*p);
		words += !sp && !in_word;
		in_word = !sp;
	}
	feat_set_int(&out[0], words);
	return 0;
}

const struct feat_node feat_node_pr_text = {
	"pr_text", "pr", FEAT_IN_PR, NULL, text_defs, FEAT_N(text_defs), 0, NULL, text_compute,
};

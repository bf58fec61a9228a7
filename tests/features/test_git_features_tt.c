/*
 * The git_diff_* columns under `naming: travistorrent` on a Ruby +
 * JavaScript repository built here with libgit2, every value worked out by
 * hand from TravisTorrent's rules (docs/features.md): src / doc / other by
 * GitHub Linguist type of every file (programming / markup / data, Markdown
 * and the JavaScript spec counted as programming, prose in none), churn split
 * by the Ruby test-file rule, tests added from the Ruby test files only. The
 * same builds under native naming show where ciminer's own classes differ.
 *
 *   C0 alice T0     lib/shop.rb (4 lines), spec/shop_spec.rb (5, one `it`),
 *                   app/assets/javascripts/cart.js (3), README.md (1),
 *                   .travis.yml (1), Gemfile (1)
 *   C1 bob   T0+1d  lib/shop.rb +1; spec/shop_spec.rb +4 (one more `it`);
 *                   add spec/javascripts/cart_spec.js (5, one `it(`);
 *                   README.md +2; add docs/guide.txt (1),
 *                   app/views/index.html.erb (1), config/db.yml (1),
 *                   app/contest/entry.rb (2)
 *   C2 carol T0+2d  lib/shop.rb +1 -1; add app/assets/stylesheets/app.css (1);
 *                   .travis.yml +1; delete Gemfile (-1)
 *
 * Builds: B1 at C0 (built commits: C0), B2 at C2 (built commits: C2, C1).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "feat_test.h"
#include "testsupport.h"
#include "../git/repo_builder.h"
#include "git/history.h"

#define T0 1500000000LL
#define DAY 86400LL
#define US 1000000LL

static const struct rb_person alice = { "Alice", "alice@x.org" };
static const struct rb_person bob = { "Bob", "bob@x.org" };
static const struct rb_person carol = { "Carol", "carol@x.org" };

struct world {
	git_repository *repo;
	char hex[3][GIT_OID_HEXSZ + 1];
	struct git_history *h;
	struct feat_hist_build hb[2];
	struct feat_history hist;
	struct feat_build b[2];
	struct feat_repo repo_row;
};

static void build_world(struct world *w, const char *language)
{
	memset(w, 0, sizeof(*w));
	char *dir = ts_tempdir("features-git-tt");
	w->repo = rb_init(dir, 1);
	free(dir);
	const struct rb_file f0[] = {
		{ "lib/shop.rb", "class Shop\n  def total\n  end\nend\n", 0 },
		{ "spec/shop_spec.rb", "describe Shop do\n  it \"totals\" do\n    expect(1).to eq 1\n  end\nend\n", 0 },
		{ "app/assets/javascripts/cart.js", "function cart() {\n  return 1;\n}\n", 0 },
		{ "README.md", "# Shop\n", 0 },
		{ ".travis.yml", "language: ruby\n", 0 },
		{ "Gemfile", "source 'https://rubygems.org'\n", 0 },
	};
	git_oid c0 = rb_commit(w->repo, NULL, NULL, f0, RB_N(f0), alice, T0);
	const struct rb_file f1[] = {
		{ "lib/shop.rb", "class Shop\n  def total\n    0\n  end\nend\n", 0 },
		{ "spec/shop_spec.rb",
		  "describe Shop do\n  it \"totals\" do\n    expect(1).to eq 1\n  end\n\n  it \"empties\" do\n"
		  "    expect(0).to eq 0\n  end\nend\n",
		  0 },
		{ "spec/javascripts/cart_spec.js",
		  "describe('cart', function () {\n  it('is one', function () {\n    expect(cart()).toBe(1);\n  });\n});\n",
		  0 },
		{ "README.md", "# Shop\n\nA shop.\n", 0 },
		{ "docs/guide.txt", "Read me.\n", 0 },
		{ "app/views/index.html.erb", "<h1><%= @shop %></h1>\n", 0 },
		{ "config/db.yml", "adapter: sqlite3\n", 0 },
		{ "app/contest/entry.rb", "class Entry\nend\n", 0 },
	};
	git_oid c1 = rb_commit(w->repo, NULL, &c0, f1, RB_N(f1), bob, T0 + DAY);
	const struct rb_file f2[] = {
		{ "lib/shop.rb", "class Shop\n  def total\n    42\n  end\nend\n", 0 },
		{ "app/assets/stylesheets/app.css", "body { margin: 0; }\n", 0 },
		{ ".travis.yml", "language: ruby\nrvm: 2.3\n", 0 },
		{ "Gemfile", NULL, 0 },
	};
	git_oid c2 = rb_commit(w->repo, "refs/heads/main", &c1, f2, RB_N(f2), carol, T0 + 2 * DAY);
	rb_hex(w->hex[0], &c0);
	rb_hex(w->hex[1], &c1);
	rb_hex(w->hex[2], &c2);
	struct err e = ERR_INIT;
	cr_assert_eq(git_history_new(&w->h, w->repo, &e), 0, "%s", e.msg);
	cr_assert_eq(git_history_update(w->h, NULL, &e), 0, "%s", e.msg);
	const int commit_of[2] = { 0, 2 };
	const char *email[2] = { "alice@x.org", "carol@x.org" };
	for (int i = 0; i < 2; i++) {
		int64_t start = (T0 + commit_of[i] * DAY + 3600) * US;
		w->hb[i] = ft_hist(i + 1, w->hex[commit_of[i]], start, start + 10 * FT_MIN, "success", email[i]);
		w->b[i] = ft_build(i + 1, w->hex[commit_of[i]], start, "success", email[i]);
		w->b[i].completed_at = start + 10 * FT_MIN;
	}
	w->hist.builds = w->hb;
	w->hist.n = 2;
	w->repo_row = (struct feat_repo){ "o/shop", language, "main", "github_actions" };
}

static void free_world(struct world *w)
{
	git_history_free(w->h);
	git_repository_free(w->repo);
}

/* Vectors of B1 and B2 under a naming. */
static void compute(struct world *w, int naming, struct feat_vector v[2])
{
	const char *names[] = { "git_diff_*", "git_built_commits_count", NULL };
	struct feat_plan *p = ft_plan_x(names, NULL, naming, 0);
	struct feat_session *s = feat_session_new(p);
	for (int i = 0; i < 2; i++) {
		struct feat_input in = { .build = &w->b[i], .repo = &w->repo_row, .history = &w->hist, .git = w->h };
		v[i] = ft_compute(s, &in);
	}
	feat_session_free(s);
	feat_plan_free(p);
}

/* The world with the provider's language `language` and its two vectors under a naming. */
static void open_world(struct world *w, const char *language, int naming, struct feat_vector v[2])
{
	build_world(w, language);
	compute(w, naming, v);
}

static void close_world(struct world *w, struct feat_vector v[2])
{
	feat_vector_release(&v[0]);
	feat_vector_release(&v[1]);
	free_world(w);
}

Test(git_features_tt, counts_files_by_linguist_type_of_every_language)
{
	struct world w;
	struct feat_vector v[2];
	open_world(&w, "Ruby", FEAT_NAMING_TRAVISTORRENT, v);
	const struct feat_vector *b2 = &v[1];
	ft_assert_int(b2, "git_num_all_built_commits", 2);
	ft_assert_int(b2, "gh_diff_files_added", 6);
	ft_assert_int(b2, "gh_diff_files_modified", 4);
	ft_assert_int(b2, "gh_diff_files_deleted", 1);
	/* programming: shop.rb, shop_spec.rb, cart_spec.js, README.md (GCC Machine
	 * Description), entry.rb, the deleted Gemfile (a Ruby file name) */
	ft_assert_int(b2, "gh_diff_src_files", 6);
	/* markup: index.html.erb, app.css */
	ft_assert_int(b2, "gh_diff_doc_files", 2);
	/* data: db.yml, .travis.yml; guide.txt is prose and counts nowhere */
	ft_assert_int(b2, "gh_diff_other_files", 2);
	/* B1, the root commit: shop.rb, shop_spec.rb, cart.js, README.md, Gemfile / .travis.yml */
	ft_assert_int(&v[0], "gh_diff_src_files", 5);
	ft_assert_int(&v[0], "gh_diff_doc_files", 0);
	ft_assert_int(&v[0], "gh_diff_other_files", 1);
	close_world(&w, v);
}

Test(git_features_tt, splits_churn_by_the_project_languages_test_rule)
{
	struct world w;
	struct feat_vector v[2];
	open_world(&w, "Ruby", FEAT_NAMING_TRAVISTORRENT, v);
	const struct feat_vector *b2 = &v[1];
	/* source: shop.rb 1 + 2, cart_spec.js 5 (JavaScript: not a Ruby test),
	 * README.md 2, Gemfile 1 */
	ft_assert_int(b2, "git_diff_src_churn", 11);
	/* tests: shop_spec.rb 4, app/contest/entry.rb 2 ("test/" is in the path) */
	ft_assert_int(b2, "git_diff_test_churn", 6);
	/* one `it "empties" do` in shop_spec.rb; the JavaScript `it(` is not a Ruby test */
	ft_assert_int(b2, "gh_diff_tests_added", 1);
	ft_assert_int(b2, "gh_diff_tests_deleted", 0);
	/* B1: shop.rb 4 + cart.js 3 + README.md 1 + Gemfile 1; shop_spec.rb 5 */
	ft_assert_int(&v[0], "git_diff_src_churn", 9);
	ft_assert_int(&v[0], "git_diff_test_churn", 5);
	ft_assert_int(&v[0], "gh_diff_tests_added", 1);
	close_world(&w, v);
}

Test(git_features_tt, native_naming_keeps_ciminers_own_classes)
{
	struct world w;
	struct feat_vector v[2];
	open_world(&w, "Ruby", FEAT_NAMING_NATIVE, v);
	const struct feat_vector *b2 = &v[1];
	ft_assert_int(b2, "git_diff_src_files", 2);   /* shop.rb, entry.rb */
	ft_assert_int(b2, "git_diff_test_files", 2);  /* shop_spec.rb, cart_spec.js */
	ft_assert_int(b2, "git_diff_doc_files", 2);   /* README.md, docs/guide.txt */
	ft_assert_int(b2, "git_diff_other_files", 5); /* erb, css, db.yml, .travis.yml, Gemfile */
	ft_assert_int(b2, "git_diff_src_churn", 5);
	ft_assert_int(b2, "git_diff_test_churn", 9);
	ft_assert_int(b2, "git_diff_tests_added", 2);
	close_world(&w, v);
}

Test(git_features_tt, follows_the_main_language_by_source_lines_when_the_provider_names_none)
{
	struct world w;
	struct feat_vector v[2];
	open_world(&w, NULL, FEAT_NAMING_TRAVISTORRENT, v);
	/* Ruby has the most source lines at C2, so the Ruby rule applies as above. */
	ft_assert_int(&v[1], "git_diff_src_churn", 11);
	ft_assert_int(&v[1], "git_diff_test_churn", 6);
	close_world(&w, v);
}

Test(git_features_tt, a_javascript_project_counts_its_own_tests)
{
	struct world w;
	struct feat_vector v[2];
	open_world(&w, "JavaScript", FEAT_NAMING_TRAVISTORRENT, v);
	/* The file counts do not depend on the language; the churn split does:
	 * now cart_spec.js (5) is the test and every Ruby file is source. */
	ft_assert_int(&v[1], "gh_diff_src_files", 6);
	ft_assert_int(&v[1], "git_diff_src_churn", 12);
	ft_assert_int(&v[1], "git_diff_test_churn", 5);
	ft_assert_int(&v[1], "gh_diff_tests_added", 1);
	close_world(&w, v);
}

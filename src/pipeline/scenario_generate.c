/*
 * Phase 3: dataset generation. `scenario generate` moves the scenario to
 * SPLITTING and queues one generate_dataset job, which builds the frame from
 * the stored feature vectors, hands it to the dataset layer (preprocessing
 * fitted on train only, leakage-safe splits, writers, baselines), writes
 * manifest.json, and records one TrainingDatasetSplit row per file.
 *
 * Files are written into a fresh temporary folder beside the final one and
 * moved into place only when everything succeeded, so a crash never leaves a
 * half-written dataset under <data-dir>/datasets/<id>/.
 */
#include "pipeline/scenario.h"
#include "store/events.h"
#include "pipeline/fanout.h"
#include "store/warehouse.h"
#include "pipeline/jobs_phase3.h"
#include "pipeline/registry.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/log.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "dataset/generate.h"
#include "features/engine.h"
#include "store/jobs.h"
#include "store/status.h"
#include "store/enrichment.h"
#include "store/ingestion.h"
#include "store/scenarios.h"
#include "store/splits.h"
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int scenario_generate_start(struct store *s, int64_t id, struct err *e)
{
	int rc = store_begin(s, e);
	char *status = NULL;
	if (rc == 0)
		rc = store_status_get(s, ENT_SCENARIO, id, &status, e);
	if (rc == 0 && !str_has_word("processed completed failed", status))
		rc = err_set(e, ERR_CONFLICT, "scenario %lld is %s; generation starts once it is processed", (long long)id,
			     status);
	free(status);
	int64_t vectors = 0;
	if (rc == 0)
		rc = feature_vectors_count(s, &vectors, id, e);
	if (rc == 0 && vectors == 0)
		rc = err_set(e, ERR_CONFLICT, "scenario %lld has no feature vectors; run 'ciminer scenario process %lld'",
			     (long long)id, (long long)id);
	if (rc == 0)
		rc = store_status_set(s, ENT_SCENARIO, id, NULL, "splitting", e);
	if (rc == 0)
		rc = scenarios_phase_started(s, id, "generation", e);
	if (rc == 0)
		rc = events_scenario_update(s, id, "generating the dataset", e);
	char payload[64];
	snprintf(payload, sizeof(payload), "{\"scenario_id\":%lld}", (long long)id);
	struct jobs_enqueue_opts o = { .queue = "processing", .kind = "generate_dataset", .payload = payload,
				       .max_attempts = 3 };
	if (rc == 0)
		rc = jobs_enqueue(s, &o, NULL, e);
	return store_tx_end(s, rc, e);
}

static enum dataset_type frame_type(enum feat_type t)
{
	switch (t) {
	case FEAT_INT: return DATASET_INT64;
	case FEAT_FLOAT: return DATASET_FLOAT64;
	case FEAT_BOOL: return DATASET_BOOL;
	case FEAT_TIMESTAMP: return DATASET_TIMESTAMP;
	default: return DATASET_STRING;
	}
}

static void set_value(struct dataset_frame *f, size_t col, size_t r, enum dataset_type t, json_t *v)
{
	if (!v || json_is_null(v))
		return; /* rows start null */
	switch (t) {
	case DATASET_INT64:
		if (json_is_number(v))
			dataset_frame_set_i64(f, col, r, (int64_t)json_number_value(v));
		break;
	case DATASET_FLOAT64:
		if (json_is_number(v))
			dataset_frame_set_f64(f, col, r, json_number_value(v));
		break;
	case DATASET_BOOL:
		dataset_frame_set_bool(f, col, r, json_is_true(v) || (json_is_integer(v) && json_integer_value(v)));
		break;
	case DATASET_TIMESTAMP: {
		int64_t t;
		if (json_is_string(v) && utc_parse(&t, json_string_value(v), NULL) == 0)
			dataset_frame_set_time(f, col, r, t);
		else if (json_is_integer(v))
			dataset_frame_set_time(f, col, r, json_integer_value(v));
		break;
	}
	default:
		if (json_is_string(v)) {
			dataset_frame_set_str(f, col, r, json_string_value(v));
		} else if (json_is_array(v) && json_array_size(v) > 0) {
			/* A string list: '#'-joined as TravisTorrent does. An empty list stays null: CSV cannot tell an
			 * empty string from a null, and the three formats must hold the same values. */
			struct buf b = BUF_INIT;
			size_t i;
			json_t *it;
			json_array_foreach(v, i, it) {
				if (i)
					buf_addch(&b, '#');
				buf_addstr(&b, json_is_string(it) ? json_string_value(it) : "");
			}
			dataset_frame_set_str(f, col, r, buf_cstr(&b));
			buf_release(&b);
		}
	}
}

struct frame_build {
	struct dataset_frame *f;
	const struct feat_plan *plan;
	size_t nfeat;
	int cols_meta[6], col_outcome, col_prev, col_rate, col_concl;
	int64_t unlabelled;
	json_t *by_resource; /* {resource: rows} over the rows of the frame whose vector lacked it */
	const struct job_ctx *ctx; /* checked between rows: a SIGTERM or lost lease stops the job */
};

/*
 * The feature that holds the split's group key (group_by repo_name, language
 * or ci_provider): a model that sees it learns the group, not the build; and
 * under leave_one_out the test group's value never occurs in train.
 */
static const char *group_key_feature(const char *group_by)
{
	if (!group_by || !strcmp(group_by, "repo_name"))
		return "repo_full_name";
	if (!strcmp(group_by, "language"))
		return "repo_language";
	if (!strcmp(group_by, "ci_provider"))
		return "build_provider";
	return NULL;
}

/* Role of selected feature i: metadata for identifiers, timestamps, names and the group key. */
static enum dataset_role feature_role(const struct feat_plan *plan, size_t i, const char *group_by)
{
	const struct feat_def *d = feat_plan_feature(plan, i);
	const char *key = group_key_feature(group_by);
	if (feat_def_is_metadata(d) || (key && !strcmp(d->name, key)))
		return DATASET_ROLE_META;
	return DATASET_ROLE_FEATURE;
}

static int add_columns(struct frame_build *fb, int tt_naming, const char *group_by, struct err *e)
{
	int rc = 0;
	for (size_t i = 0; rc >= 0 && i < fb->nfeat; i++) {
		rc = dataset_frame_add_column(fb->f, feat_plan_name(fb->plan, i), frame_type(feat_plan_type(fb->plan, i)),
					      feature_role(fb->plan, i, group_by), e);
		/* Its nulls mean "does not apply" unless the vector lists the feature as skipped (missing input). */
		if (rc >= 0)
			dataset_frame_track_missing(fb->f, (size_t)rc);
	}
	if (rc >= 0)
		rc = fb->col_outcome = dataset_frame_add_column(fb->f, "outcome", DATASET_INT64, DATASET_ROLE_LABEL, e);
	static const char *meta[] = { "build_id", "repo_name", "commit_sha", "ci_provider", "started_at", "language" };
	for (int i = 0; rc >= 0 && i < 6; i++) {
		const char *name = i == 0 && tt_naming ? "tr_build_id" : meta[i];
		if (dataset_frame_find(fb->f, name) >= 0) {
			/* A selected feature already has this name (build_id is also a feature): it stays, the metadata
			 * column is not written twice. */
			fb->cols_meta[i] = -1;
			continue;
		}
		rc = fb->cols_meta[i] = dataset_frame_add_column(fb->f, name, i == 4 ? DATASET_TIMESTAMP : DATASET_STRING,
								DATASET_ROLE_META, e);
	}
	if (rc >= 0)
		rc = fb->col_prev = dataset_frame_add_column(fb->f, "prev_outcome", DATASET_INT64, DATASET_ROLE_KEY, e);
	if (rc >= 0)
		rc = fb->col_rate = dataset_frame_add_column(fb->f, "repo_fail_rate", DATASET_FLOAT64, DATASET_ROLE_KEY, e);
	if (rc >= 0)
		rc = fb->col_concl = dataset_frame_add_column(fb->f, "conclusion", DATASET_STRING, DATASET_ROLE_KEY, e);
	return rc < 0 ? rc : 0;
}

/*
 * The Parrot and fail-rate-so-far keys, point in time like the features: the
 * previous build of the repository that had finished before this one started,
 * and the failure rate of all those builds.
 *
 * Rows arrive grouped by repository and in start order, so the keys are
 * carried forward in one walk per repository over its finished builds in
 * completion order (as the feature engine carries history), instead of a query
 * over every earlier build for each row, which made generation quadratic in
 * the builds of a repository. Memory: one repository's completion times.
 * (Two repositories of one name at different providers interleave in that
 * order; each switch reloads, which is correct, only slower.)
 */
struct history_walk {
	int64_t repo_id, last_start;
	int64_t *done_at;    /* completion times, ascending */
	signed char *failed; /* 1 when that build failed */
	size_t n, cap, pos;  /* builds [0, pos) finished before last_start */
	int64_t nfailed;     /* failures among them */
};

static void history_walk_release(struct history_walk *w)
{
	free(w->done_at);
	free(w->failed);
}

static int history_walk_load(struct history_walk *w, struct store *s, int64_t repo_id, struct err *e)
{
	struct store_cursor *c;
	int rc = warehouse_repo_finished(s, &c, repo_id, e);
	if (rc < 0)
		return rc;
	w->repo_id = repo_id;
	w->n = w->pos = 0;
	w->nfailed = 0;
	w->last_start = INT64_MIN;
	while ((rc = store_next(c, e)) == 1) {
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 256;
			w->done_at = xrealloc(w->done_at, w->cap * sizeof(*w->done_at));
			w->failed = xrealloc(w->failed, w->cap * sizeof(*w->failed));
		}
		w->done_at[w->n] = store_col_int(c, 0);
		w->failed[w->n] = feat_outcome_of(store_col_text(c, 1)) == 1;
		w->n++;
	}
	store_cursor_free(c);
	return rc;
}

static int history_keys(struct frame_build *fb, size_t r, struct history_walk *w, struct store *s, int64_t repo_id,
			int64_t start, struct err *e)
{
	if (repo_id != w->repo_id) {
		int rc = history_walk_load(w, s, repo_id, e);
		if (rc < 0)
			return rc;
	} else if (start < w->last_start) { /* not in start order (cannot happen with fill_rows' ORDER BY): rewind */
		w->pos = 0;
		w->nfailed = 0;
	}
	w->last_start = start;
	while (w->pos < w->n && w->done_at[w->pos] < start)
		w->nfailed += w->failed[w->pos++];
	if (w->pos > 0) {
		dataset_frame_set_i64(fb->f, (size_t)fb->col_prev, r, w->failed[w->pos - 1]);
		dataset_frame_set_f64(fb->f, (size_t)fb->col_rate, r, (double)w->nfailed / (double)w->pos);
	}
	return 0;
}

/* The vector's skipped features (an input was missing) are missing in the frame, not "not applicable". */
static void mark_missing(struct frame_build *fb, size_t r, const char *skipped_json, const char *resources_json)
{
	json_t *mr = resources_json ? json_loads(resources_json, 0, NULL) : NULL;
	size_t k;
	json_t *res;
	json_array_foreach(mr, k, res) {
		const char *name = json_string_value(res);
		if (name)
			json_object_set_new(fb->by_resource, name,
					    json_integer(json_integer_value(json_object_get(fb->by_resource, name)) + 1));
	}
	json_decref(mr);
	json_t *sk = skipped_json ? json_loads(skipped_json, 0, NULL) : NULL;
	size_t i;
	json_t *it;
	json_array_foreach(sk, i, it) {
		int col = json_is_string(it) ? dataset_frame_find(fb->f, json_string_value(it)) : -1;
		if (col >= 0 && (size_t)col < fb->nfeat)
			dataset_frame_set_missing(fb->f, (size_t)col, r);
	}
	json_decref(sk);
}

static int fill_rows(struct frame_build *fb, struct store *s, int64_t sid, int strict, struct err *e)
{
	struct store_cursor *c;
	int rc = enrichment_dataset_rows(s, &c, sid, strict, e);
	if (rc < 0)
		return rc;
	struct history_walk walk = { .repo_id = -1 };
	while ((rc = store_next(c, e)) == 1) {
		if (fb->ctx && job_ctx_cancelled(fb->ctx)) {
			rc = err_set(e, ERR_CANCELLED, "generation of scenario %lld stopped (timeout, lost lease or SIGTERM)",
				     (long long)sid);
			break;
		}
		int outcome = feat_outcome_of(store_col_text(c, 7));
		if (outcome < 0) {
			fb->unlabelled++;
			continue;
		}
		json_t *vals = json_loads(store_col_text(c, 0), 0, NULL);
		size_t r = dataset_frame_add_row(fb->f);
		for (size_t i = 0; i < fb->nfeat; i++)
			set_value(fb->f, i, r, frame_type(feat_plan_type(fb->plan, i)),
				  json_object_get(vals, feat_plan_name(fb->plan, i)));
		json_decref(vals);
		mark_missing(fb, r, store_col_text(c, 9), store_col_text(c, 10));
		dataset_frame_set_i64(fb->f, (size_t)fb->col_outcome, r, outcome);
		for (int m = 0; m < 6; m++) {
			int col = m < 4 ? m + 1 : (m == 4 ? 5 : 6);
			if (store_col_isnull(c, col) || fb->cols_meta[m] < 0)
				continue;
			if (m == 4)
				dataset_frame_set_time(fb->f, (size_t)fb->cols_meta[m], r, store_col_int(c, col));
			else if (m == 5) { /* language lower-case, as the scenario filters compare it */
				char *l = xstrdup(store_col_text(c, col));
				for (char *q = l; *q; q++)
					*q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
				dataset_frame_set_str(fb->f, (size_t)fb->cols_meta[m], r, l);
				free(l);
			} else
				dataset_frame_set_str(fb->f, (size_t)fb->cols_meta[m], r, store_col_text(c, col));
		}
		dataset_frame_set_str(fb->f, (size_t)fb->col_concl, r, store_col_text(c, 7));
		int hrc = history_keys(fb, r, &walk, s, store_col_int(c, 8), store_col_int(c, 5), e);
		if (hrc < 0) {
			store_cursor_free(c);
			history_walk_release(&walk);
			return hrc;
		}
	}
	store_cursor_free(c);
	history_walk_release(&walk);
	return rc < 0 ? rc : dataset_frame_check(fb->f, e);
}

/* One warning naming every post_build feature among the inputs. */
static json_t *warnings_for(const struct feat_plan *plan)
{
	json_t *w = json_array();
	struct strvec post = STRVEC_INIT;
	for (size_t i = 0; i < feat_plan_count(plan); i++)
		if (feat_plan_feature(plan, i)->avail == FEAT_POST_BUILD)
			strvec_push(&post, feat_plan_name(plan, i));
	if (post.n) {
		char *names = strvec_join(&post, ", ");
		char *msg = xasprintf("feature_config.allow_post_build: %zu post_build feature%s among the inputs (%s): known only after the build ran;"
				      " fine for failure diagnosis, label leakage for failure prediction",
				      post.n, post.n == 1 ? "" : "s", names);
		json_array_append_new(w, json_string(msg));
		free(msg);
		free(names);
	}
	strvec_clear(&post);
	return w;
}

static int write_manifest(const char *dir, json_t *m, struct err *e)
{
	char *txt = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *path = fs_join(dir, "manifest.json");
	int rc = fs_write_atomic(path, txt, strlen(txt), e);
	free(txt);
	free(path);
	return rc;
}

/* Descriptions of the metadata columns the dataset adds itself. */
static const char *meta_description(const char *name)
{
	static const char *const d[][2] = {
		{ "build_id", "The CI provider's id of the build, as the imported CSV names it." },
		{ "tr_build_id", "The CI provider's id of the build, as the imported CSV names it." },
		{ "repo_name", "The repository's owner/name." },
		{ "commit_sha", "The commit the CI reports the build ran on." },
		{ "ci_provider", "The CI provider (github_actions, circleci, travis, local)." },
		{ "started_at", "When the build started (UTC; its creation time when the start is unknown)." },
		{ "language", "The repository's main language, lower-case." },
	};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (!strcmp(d[i][0], name))
			return d[i][1];
	return "";
}

/*
 * Every column of the files, in file order, with its role (feature, label,
 * metadata), type, unit and availability: `X = df[manifest["feature_columns"]]`,
 * `y = df[manifest["label_column"]]`. f is the frame as written (a single
 * dataset's columns are transformed in place; folds share the original types).
 */
static const struct feat_def *plan_feature(const struct feat_plan *plan, const char *name)
{
	for (size_t k = 0; k < feat_plan_count(plan); k++)
		if (!strcmp(feat_plan_name(plan, k), name))
			return feat_plan_feature(plan, k);
	return NULL;
}

static json_t *columns_manifest(const struct dataset_frame *f, const struct feat_plan *plan, int include_metadata,
				const json_t *indicators, json_t **feature_names)
{
	json_t *cols = json_array();
	*feature_names = json_array();
	for (size_t i = 0; i < f->ncols; i++) {
		const struct dataset_col *c = f->cols[i];
		if (c->role == DATASET_ROLE_KEY || (c->role == DATASET_ROLE_META && !include_metadata))
			continue;
		const struct feat_def *d = plan_feature(plan, c->name);
		/* A <feature>_missing indicator (preprocessing_config.missing_indicators) is known when its feature is. */
		const char *of = json_string_value(json_object_get(indicators, c->name));
		const struct feat_def *base = of ? plan_feature(plan, of) : NULL;
		char *ind_desc = of ? xasprintf("true when the input of %s was missing, so its value there is imputed;"
						" false otherwise (also where %s does not apply)", of, of)
				    : NULL;
		const char *avail = c->role == DATASET_ROLE_LABEL ? "label"
				    : d			     ? feat_avail_name(d->avail)
				    : base		     ? feat_avail_name(base->avail)
							     : "pre_build";
		const char *desc = c->role == DATASET_ROLE_LABEL ? "1 = the build failed, 0 = it passed"
				   : d                          ? d->description
				   : ind_desc			? ind_desc
								: meta_description(c->name);
		json_array_append_new(cols, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", c->name, "role",
						      dataset_role_name(c->role), "type", dataset_type_name(c->type),
						      "unit", d && d->unit ? d->unit : "", "availability", avail,
						      "description", desc));
		free(ind_desc);
		if (c->role == DATASET_ROLE_FEATURE)
			json_array_append_new(*feature_names, json_string(c->name));
	}
	return cols;
}

/*
 * The scenario's builds that are not rows of the dataset because Phase 1 or 2
 * could not give them a vector: [{"reason": "missing_resource", "count",
 * "by_resource": {resource: builds}, "why"}, {"reason": "processing_failed", ...}].
 */
static int excluded_builds(struct store *s, int64_t sid, const json_t *scenario, json_t **out, struct err *e)
{
	*out = json_array();
	json_int_t mr = (json_int_t)core_json_int(scenario, "builds_missing_resource", 0),
		   pf = (json_int_t)core_json_int(scenario, "builds_processing_failed", 0);
	if (mr > 0) {
		json_t *by = json_object();
		struct store_cursor *c;
		int rc = ingestion_builds_resources(s, &c, sid, "missing_resource", e);
		if (rc < 0) {
			json_decref(by);
			return rc;
		}
		while ((rc = store_next(c, e)) == 1) {
			json_t *rs = json_loads(store_col_text(c, 0) ? store_col_text(c, 0) : "{}", 0, NULL);
			const char *k;
			json_t *v;
			json_object_foreach(rs, k, v)
				if (!strcmp(core_json_str(v, "status", ""), "missing"))
					json_object_set_new(by, k, json_integer(json_integer_value(json_object_get(by, k)) + 1));
			json_decref(rs);
		}
		store_cursor_free(c);
		if (rc < 0) {
			json_decref(by);
			return rc;
		}
		json_array_append_new(*out, json_pack("{s:s, s:I, s:o, s:s}", "reason", "missing_resource", "count", mr,
						      "by_resource", by, "why",
						      "an input the features need could not be fetched at ingestion (an expired"
						      " or absent job log, a commit absent from the mirror, an unknown pull"
						      " request); feature extraction takes ingested builds only"));
	}
	if (pf > 0)
		json_array_append_new(*out, json_pack("{s:s, s:I, s:s}", "reason", "processing_failed", "count", pf, "why",
						      "feature extraction failed ('ciminer scenario builds ID --status"
						      " processing_failed' lists the errors)"));
	return 0;
}

static char *excluded_warning(const json_t *excluded, const json_t *scenario)
{
	const json_t *x = json_array_get(excluded, 0);
	if (!x)
		return NULL;
	struct buf b = BUF_INIT;
	size_t i;
	json_int_t n = 0;
	json_array_foreach(excluded, i, x) n += json_integer_value(json_object_get(x, "count"));
	buf_addf(&b, "%lld of %lld builds are not in the dataset: ", (long long)n,
		 (long long)core_json_int(scenario, "builds_total", 0));
	json_array_foreach(excluded, i, x) {
		buf_addf(&b, "%s%lld %s", i ? ", " : "", (long long)json_integer_value(json_object_get(x, "count")),
			 core_json_str(x, "reason", "?"));
		const json_t *by = json_object_get(x, "by_resource");
		const char *k;
		const json_t *v;
		int first = 1;
		json_object_foreach((json_t *)by, k, v) {
			buf_addf(&b, "%s%s %lld", first ? " (missing: " : ", ", k, (long long)json_integer_value(v));
			first = 0;
		}
		if (!first)
			buf_addch(&b, ')');
	}
	buf_addstr(&b, "; manifest.json excluded_builds says why");
	return buf_detach(&b, NULL);
}

static json_t *build_manifest(json_t *scenario, const struct feat_plan *plan, struct dataset_generate_result *res,
			      int64_t unlabelled, const struct dataset_generate_config *cfg, const struct dataset_frame *f,
			      const json_t *excluded)
{
	json_t *m = json_object();
	json_object_set_new(m, "ciminer_version", json_string(CIMINER_VERSION));
	json_object_set_new(m, "scenario_id", json_incref(json_object_get(scenario, "id")));
	json_object_set_new(m, "scenario_name", json_incref(json_object_get(scenario, "name")));
	json_object_set_new(m, "feature_catalogue_version", json_string(feat_catalogue_version()));
	json_object_set_new(m, "seed", json_integer((json_int_t)cfg->split.seed));
	json_t *conf = json_object();
	static const char *secs[] = { "data_source_config", "feature_config", "splitting_config", "preprocessing_config",
				      "output_config" };
	for (int i = 0; i < 5; i++)
		json_object_set(conf, secs[i], json_object_get(scenario, secs[i]));
	json_object_set_new(m, "configuration", conf);
	json_t *feats = feat_plan_manifest(plan);
	size_t i;
	json_t *ft;
	json_array_foreach(feats, i, ft) {
		json_object_set_new(ft, "selected", json_true());
		json_object_set_new(ft, "role", json_string(dataset_role_name(feature_role(plan, i, cfg->split.group_by))));
	}
	json_object_set_new(m, "features", feats);
	json_t *names;
	json_t *cols = columns_manifest(f, plan, cfg->write.include_metadata,
					json_object_get(json_object_get(res->manifest, "missing_values"), "indicators"), &names);
	json_object_set_new(m, "feature_columns", names);
	json_object_set_new(m, "label_column", json_string("outcome"));
	json_object_set_new(m, "columns", cols);
	json_object_set_new(m, "label", json_pack("{s:s, s:s}", "name", "outcome", "meaning", "1 = the build failed, 0 = it passed"));
	json_object_set_new(m, "rows_without_outcome", json_integer(unlabelled));
	json_object_set(m, "excluded_builds", (json_t *)excluded);
	const char *k;
	json_t *v;
	json_object_foreach(res->manifest, k, v)
		json_object_set(m, k, v);
	json_t *warn = json_object_get(m, "warnings");
	json_t *mine = warnings_for(plan);
	char *xw = excluded_warning(excluded, scenario);
	if (xw)
		json_array_insert_new(mine, 0, json_string(xw));
	free(xw);
	if (!json_is_array(warn)) {
		json_object_set(m, "warnings", mine);
	} else {
		json_t *all = json_copy(warn);
		json_array_extend(all, mine);
		json_object_set_new(m, "warnings", all);
	}
	json_decref(mine);
	json_t *files = json_array();
	for (size_t n = 0; n < res->nfiles; n++) {
		struct dataset_output_file *of = &res->files[n];
		json_array_append_new(files, json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "path", of->relpath, "split",
						       dataset_split_names[of->split], "format",
						       dataset_format_name(of->format), "rows", (json_int_t)of->info.rows,
						       "bytes", (json_int_t)of->info.bytes, "sha256", of->info.sha256));
	}
	json_object_set_new(m, "files", files);
	return m;
}

static int record_splits(struct store *s, int64_t sid, const char *final_dir, struct dataset_generate_result *res,
			 struct err *e)
{
	int rc = splits_delete_scenario(s, sid, e);
	for (size_t n = 0; rc == 0 && n < res->nfiles; n++) {
		struct dataset_output_file *of = &res->files[n];
		char *path = fs_join(final_dir, of->relpath);
		char *cd = json_dumps(of->class_distribution, JSON_COMPACT | JSON_SORT_KEYS);
		char *gd = of->group_distribution ? json_dumps(of->group_distribution, JSON_COMPACT | JSON_SORT_KEYS)
						  : xstrdup("{}");
		struct splits_row row = { .scenario_id = sid, .fold = of->fold ? of->fold : "",
					  .split_type = dataset_split_names[of->split],
					  .file_format = dataset_format_name(of->format), .file_path = path,
					  .file_size_bytes = (int64_t)of->info.bytes, .record_count = (int64_t)of->info.rows,
					  .feature_count = (int64_t)of->feature_count, .class_distribution = cd,
					  .group_distribution = gd, .sha256 = of->info.sha256, .generated_at = utc_now(),
					  .duration_ms = of->duration_usec / 1000 };
		rc = splits_insert(s, &row, e);
		free(path);
		free(cd);
		free(gd);
	}
	return rc;
}

static int generate_into(struct store *s, const struct job_ctx *ctx, int64_t sid, json_t *scenario,
			 const char *tmp, struct dataset_generate_result *res, json_t **manifest, struct err *e)
{
	struct feat_plan_config pc;
	struct feat_plan *plan = NULL;
	struct dataset_generate_config cfg;
	feat_plan_config_init(&pc);
	dataset_generate_config_init(&cfg);
	struct frame_build fb = { .f = dataset_frame_new(), .ctx = ctx, .by_resource = json_object() };
	json_t *excluded = NULL;
	int rc = feat_plan_config_from_json(&pc, json_object_get(scenario, "feature_config"),
					    json_object_get(scenario, "output_config"), e);
	if (rc == 0)
		rc = feat_plan_new(&plan, feat_catalogue_default(), &pc, e);
	if (rc == 0)
		rc = dataset_generate_config_from_json(&cfg, scenario, e);
	int tt = pc.naming == FEAT_NAMING_TRAVISTORRENT;
	if (rc == 0 && tt) {
		free(cfg.split.id_col);
		cfg.split.id_col = xstrdup("tr_build_id");
	}
	if (rc == 0) {
		fb.plan = plan;
		fb.nfeat = feat_plan_count(plan);
		rc = add_columns(&fb, tt, cfg.split.group_by, e);
	}
	int strict = core_json_bool(json_object_get(scenario, "preprocessing_config"), "strict_mode", 0);
	if (rc == 0)
		rc = fill_rows(&fb, s, sid, strict, e);
	if (rc == 0 && fb.f->nrows == 0)
		rc = err_set(e, ERR_INPUT, "scenario %lld has no labelled feature vector to write (builds with a success or"
			     " failure conclusion)", (long long)sid);
	if (rc == 0)
		rc = excluded_builds(s, sid, scenario, &excluded, e);
	if (rc == 0)
		rc = fs_mkdirs(tmp, e);
	cfg.missing_by_resource = fb.by_resource;
	size_t rows_before = fb.f ? fb.f->nrows : 0;
	/* The features with missing values, to name them if drop_row empties the frame. */
	struct strvec allnull = STRVEC_INIT;
	for (size_t i = 0; fb.f && i < fb.f->ncols && allnull.n < 8; i++)
		if (fb.f->cols[i]->role == DATASET_ROLE_FEATURE && fb.f->cols[i]->null_count > 0)
			strvec_push(&allnull, fb.f->cols[i]->name);
	if (rc == 0)
		rc = dataset_generate(res, fb.f, &cfg, tmp, e);
	if (rc < 0 && cfg.prep.missing == DATASET_MISSING_DROP_ROW && fb.f->nrows == 0 && rows_before > 0) {
		char *names = strvec_join(&allnull, ", ");
		rc = err_set(e, ERR_INPUT,
			     "preprocessing_config.missing_values_strategy: drop_row removed all %zu rows (features with"
			     " missing values include %s); use fill or skip_feature, or exclude those features",
			     rows_before, names);
		free(names);
	}
	strvec_clear(&allnull);
	if (rc == 0) {
		*manifest = build_manifest(scenario, plan, res, fb.unlabelled, &cfg, fb.f, excluded);
		rc = write_manifest(tmp, *manifest, e);
	}
	dataset_frame_free(fb.f);
	json_decref(fb.by_resource);
	json_decref(excluded);
	feat_plan_free(plan);
	feat_plan_config_release(&pc);
	dataset_generate_config_release(&cfg);
	return rc;
}

/*
 * A worker killed while generating leaves its "<id>.tmp-*" folder (or, between
 * the two renames, its "<id>.old-*" one) behind. One generate_dataset job of a
 * scenario runs at a time (the scenario is 'splitting' and the job holds its
 * lease), so any such folder of this scenario is stale: remove them before
 * writing, or every crash would leak a dataset's worth of disk.
 */
static void remove_stale_dirs(const char *data_dir, int64_t sid)
{
	char *parent = xasprintf("%s/datasets", data_dir);
	char tmp_prefix[40], old_prefix[40];
	snprintf(tmp_prefix, sizeof(tmp_prefix), "%lld.tmp-", (long long)sid);
	snprintf(old_prefix, sizeof(old_prefix), "%lld.old-", (long long)sid);
	struct strvec stale = STRVEC_INIT;
	DIR *d = opendir(parent);
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		if (strncmp(de->d_name, tmp_prefix, strlen(tmp_prefix)) == 0 ||
		    strncmp(de->d_name, old_prefix, strlen(old_prefix)) == 0)
			strvec_pushf(&stale, "%s/%s", parent, de->d_name);
	if (d)
		closedir(d);
	for (size_t i = 0; i < stale.n; i++) {
		struct err ignore = ERR_INIT;
		log_info("removing %s, left by an interrupted generation", stale.v[i]);
		fs_remove_tree(stale.v[i], &ignore);
	}
	strvec_clear(&stale);
	free(parent);
}

static int generate_dataset_once(struct job_ctx *ctx, struct err *e)
{
	struct store *s = ctx->store;
	const struct pipeline_app *app = ctx->app;
	int64_t sid = core_json_int(ctx->payload, "scenario_id", 0);
	int in = fanout_scenario_in(s, sid, "splitting", e);
	if (in <= 0) /* already generated (the job ran before its worker died) or the scenario moved on */
		return in;
	json_t *scenario = scenarios_load(s, sid, e);
	if (!scenario)
		return e->code == ERR_NOT_FOUND ? ERR_PERMANENT : e->code;
	char *final_dir = xasprintf("%s/datasets/%lld", app->data_dir, (long long)sid);
	char *tmp = xasprintf("%s.tmp-%d-%lld", final_dir, (int)getpid(), (long long)ctx->id);
	char *old = xasprintf("%s.old-%d", final_dir, (int)getpid());
	struct dataset_generate_result res = DATASET_GENERATE_RESULT_INIT;
	json_t *manifest = NULL;
	struct err ignore = ERR_INIT;
	remove_stale_dirs(app->data_dir, sid);
	int rc = generate_into(s, ctx, sid, scenario, tmp, &res, &manifest, e);
	/* Swap the new folder in; the old one goes only after the rename succeeded. */
	if (rc == 0 && fs_exists(final_dir) && rename(final_dir, old) != 0)
		rc = err_set(e, ERR_IO, "cannot move the previous dataset %s aside: %s", final_dir, strerror(errno));
	if (rc == 0 && rename(tmp, final_dir) != 0)
		rc = err_set(e, ERR_IO, "cannot move the new dataset into %s: %s", final_dir, strerror(errno));
	fs_remove_tree(old, &ignore);
	if (rc < 0)
		fs_remove_tree(tmp, &ignore);
	int64_t sid_ok = rc;
	if (rc == 0) {
		rc = store_begin(s, e);
		if (rc == 0)
			rc = record_splits(s, sid, final_dir, &res, e);
		if (rc == 0)
			rc = store_status_set(s, ENT_SCENARIO, sid, "splitting", "completed", e);
		if (rc == 0)
			rc = scenarios_phase_completed(s, sid, "generation", e);
		if (rc == 0)
			rc = events_scenario_update(s, sid, "dataset generated", e);
		rc = store_tx_end(s, rc, e);
	} else if (sid_ok == ERR_INPUT || sid_ok == ERR_PERMANENT) {
		/* A configuration or data problem: retrying cannot help, the scenario fails with the reason. */
		struct err fe = ERR_INIT;
		if (store_begin(s, &fe) == 0)
			store_tx_end(s, scenarios_fail(s, sid, e->msg, &fe), &fe);
		rc = ERR_PERMANENT;
	}
	json_decref(manifest);
	json_decref(scenario);
	dataset_generate_result_release(&res);
	free(final_dir);
	free(tmp);
	free(old);
	return rc;
}

static int generate_dataset(struct job_ctx *ctx, struct err *e)
{
	int64_t sid = core_json_int(ctx->payload, "scenario_id", 0);
	return fanout_fail_if_last(ctx, sid, "splitting", generate_dataset_once(ctx, e), e);
}

const struct job_kind job_kind_generate_dataset = { "generate_dataset", "processing", 3600, 3, generate_dataset };

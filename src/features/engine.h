/*
 * The feature DAG engine: resolve a selection of features once per scenario
 * (a plan), then compute a feature vector per build.
 *
 *   struct feat_plan_config pc;  feat_plan_config_init(&pc);
 *   feat_plan_config_from_json(&pc, feature_config, output_config, &e);
 *   feat_plan_new(&plan, feat_catalogue_default(), &pc, &e);    start-up errors here
 *   struct feat_session *s = feat_session_new(plan);            one per repository job (and thread)
 *   for each build of the repository, oldest to newest:
 *       feat_compute(&vec, s, &input, &e);  store feat_vector_dumps(&vec);  feat_vector_release(&vec);
 *   feat_session_free(s);  feat_plan_free(plan);
 *
 * Resolution: dag_features holds feature names, aliases (other names, e.g.
 * TravisTorrent columns) and shell wildcards (`git_*`) matched against names
 * and aliases; an empty list means every pre_build feature except metadata
 * (feat_def_is_metadata: identifiers, raw timestamps, free-text and
 * high-cardinality names; selected by a name or wildcard, a dataset writes them
 * as metadata columns, never as model inputs). exclude removes names, aliases and wildcards from that. An unknown name, a
 * wildcard that matches nothing, or a label feature named explicitly
 * (build_status, build_status_num, outcome) is ERR_INPUT naming it. Leakage is
 * opt-in: a post_build feature or a label left in the selection (by name or
 * wildcard, after exclude) is ERR_INPUT naming them unless allow_post_build;
 * labels are never selected.
 * The plan holds the nodes of the selected features and their ancestors, in
 * topological order (ties in catalogue order), each computed once per build.
 *
 * Catalogue checks (feat_catalogue_check, run by feat_plan_new): duplicate node
 * or feature names or aliases, a dependency on a node that does not exist,
 * and dependency cycles are ERR_INTERNAL naming the nodes involved.
 *
 * Missing inputs: a node whose inputs are absent (or a dependency of which
 * was skipped) is skipped: its selected features are null and listed in the
 * vector's skipped_features, the absent inputs in missing_resources, and the
 * vector is partial. Everything else is still computed.
 *
 * Determinism: the same plan and the same inputs give byte-identical
 * feat_vector_dumps() output, whatever was computed before in the session.
 *
 * Threads: a plan is immutable and may be shared; a session is used by one
 * thread at a time. A session caches data derived from input->history and
 * input->git (keyed by those pointers and their sizes); call
 * feat_session_reset() if either is changed in place.
 */
#ifndef FEATURES_ENGINE_H
#define FEATURES_ENGINE_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/buf.h"
#include "core/err.h"
#include "features/feature.h"
#include "features/input.h"

struct feat_catalogue {
	const struct feat_node *const *nodes;
	size_t n;
};

/* ciminer's catalogue (all families). */
const struct feat_catalogue *feat_catalogue_default(void);
/* The version string stored with each vector (feature_vectors.catalogue_version). */
const char *feat_catalogue_version(void);
/* Start-up checks of a node table (see above); 0 or ERR_INTERNAL. */
int feat_catalogue_check(const struct feat_catalogue *cat, struct err *e);
/* The feature or alias `name` in cat: the def and (optional) its node; NULL when unknown. */
const struct feat_def *feat_catalogue_find(const struct feat_catalogue *cat, const char *name,
					   const struct feat_node **node);

enum feat_naming { FEAT_NAMING_NATIVE = 0, FEAT_NAMING_TRAVISTORRENT = 1 };

struct feat_plan_config {
	struct strvec features; /* feature_config.dag_features */
	struct strvec exclude;  /* feature_config.exclude */
	int naming;             /* enum feat_naming (output_config.naming) */
	int allow_post_build;   /* feature_config.allow_post_build: post_build features may be selected */
	struct feat_config extract;
};
void feat_plan_config_init(struct feat_plan_config *c); /* lookback 90, everything else empty */
void feat_plan_config_release(struct feat_plan_config *c);
/*
 * Reads dag_features, exclude and extractor_configs {lookback_days,
 * test_frameworks, source_languages} from feature_config and naming from
 * output_config (either may be NULL). ERR_INPUT names the offending key or
 * value (an unknown language, lookback_days out of 1..3650, a naming other
 * than native|travistorrent).
 */
int feat_plan_config_from_json(struct feat_plan_config *c, const json_t *feature_config,
			       const json_t *output_config, struct err *e);

struct feat_plan;
/* Resolves cfg over cat (borrowed; must outlive the plan). The plan copies cfg. */
int feat_plan_new(struct feat_plan **out, const struct feat_catalogue *cat, const struct feat_plan_config *cfg,
		  struct err *e);
void feat_plan_free(struct feat_plan *p);

/* The selected features, in output order (catalogue order). */
size_t feat_plan_count(const struct feat_plan *p);
const struct feat_def *feat_plan_feature(const struct feat_plan *p, size_t i);
/* Output name of feature i under the plan's naming. */
const char *feat_plan_name(const struct feat_plan *p, size_t i);
/* Output type of feature i: lists are '#'-joined strings under travistorrent naming. */
enum feat_type feat_plan_type(const struct feat_plan *p, size_t i);
/* FEAT_IN_* bits the plan's nodes read (so the pipeline loads logs or PR data only when needed). */
uint32_t feat_plan_inputs(const struct feat_plan *p);
/* Names of the plan's nodes in evaluation order (borrowed). */
size_t feat_plan_node_count(const struct feat_plan *p);
const char *feat_plan_node_name(const struct feat_plan *p, size_t i);
/*
 * The selected features for the dataset manifest, a new array:
 * [{"name", "native_name", "family", "type", "unit", "description",
 *   "availability", "temporal"}] in output order.
 */
json_t *feat_plan_manifest(const struct feat_plan *p);

/* --- per build --- */

struct feat_vector {
	size_t n;
	const char **names;        /* output names, borrowed from the catalogue */
	struct feat_value *values; /* owned */
	struct strvec missing_resources; /* FEAT_IN_* names, in bit order */
	struct strvec skipped_features;  /* output names, in output order */
	int partial;               /* 1 when any selected feature was skipped */
};
#define FEAT_VECTOR_INIT { 0, NULL, NULL, STRVEC_INIT, STRVEC_INIT, 0 }
void feat_vector_release(struct feat_vector *v);
/* "completed" or "partial" (the extraction status of the spec). */
const char *feat_vector_status(const struct feat_vector *v);
/* The value of an output name, or NULL when the vector has no such feature. */
const struct feat_value *feat_vector_get(const struct feat_vector *v, const char *name);
/* {"name": value, ...} in output order (a new object). Timestamps are ISO 8601 strings. */
json_t *feat_vector_values_json(const struct feat_vector *v);
/* JSON of one value (a new reference; json null for null). */
json_t *feat_value_to_json(const struct feat_value *v);
/* {"status", "features": {...}, "missing_resources": [...], "skipped_features": [...]},
 * compact, keys of "features" in output order; the caller frees. */
char *feat_vector_dumps(const struct feat_vector *v);

struct feat_session;
struct feat_session *feat_session_new(const struct feat_plan *p);
void feat_session_free(struct feat_session *s);
/* Drops the cache derived from history and git. */
void feat_session_reset(struct feat_session *s);
/* Microseconds spent in plan node i (feat_plan_node_name) over the session's builds. */
uint64_t feat_session_node_usec(const struct feat_session *s, size_t i);

/*
 * Computes the plan's features for one build into out (initialised with
 * FEAT_VECTOR_INIT or released). Missing inputs give a partial vector, not an
 * error (a build without a commit sha, or whose commit is not in the index,
 * misses "git_commit"). Errors: ERR_INPUT when the build has neither
 * started_at nor created_at (the message names the build); a node's own
 * failure. On error out is empty.
 */
int feat_compute(struct feat_vector *out, struct feat_session *s, const struct feat_input *in, struct err *e);

/* --- catalogue printers (ciminer features, docs/features.md) --- */
void feat_print_table(struct buf *out, const struct feat_catalogue *cat);
json_t *feat_catalogue_json(const struct feat_catalogue *cat);
void feat_print_dot(struct buf *out, const struct feat_catalogue *cat);
void feat_print_markdown(struct buf *out, const struct feat_catalogue *cat);

#endif

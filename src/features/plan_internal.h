/*
 * Private layout of a plan, shared by plan.c (resolution) and engine.c
 * (evaluation). Not for other modules.
 */
#ifndef FEATURES_PLAN_INTERNAL_H
#define FEATURES_PLAN_INTERNAL_H
#include "features/engine.h"

#define FEAT_MAX_DEPS 8

struct feat_plan_node {
	const struct feat_node *node;
	size_t cat_index;
	size_t dep_pos[FEAT_MAX_DEPS]; /* plan positions of node->deps, in that order */
	size_t ndeps;
	size_t value_off;              /* first of its values in the session's value array */
};

struct feat_plan_feat {
	const struct feat_def *def;
	const char *name;  /* output name */
	size_t node_cat;   /* catalogue index of its node */
	size_t plan_node;  /* position of its node in the plan */
	size_t def_index;  /* index in node->defs */
	int join_list;     /* travistorrent naming: a list becomes a '#'-joined string */
};

struct feat_plan {
	const struct feat_catalogue *cat;
	struct feat_plan_config cfg;
	struct feat_plan_feat *feats;
	size_t nfeats;
	struct feat_plan_node *nodes; /* topological order */
	size_t nnodes;
	size_t nvalues;               /* sum of ndefs over the plan's nodes */
	uint32_t inputs;
};

/* print.c: a node's inputs as "build,git,history" (caller frees); used by markdown.c. */
char *feat_inputs_text(uint32_t inputs);

#endif

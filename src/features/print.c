/*
 * `ciminer features` output: the catalogue as a table, as JSON, and as a
 * Graphviz DOT graph of the nodes, their inputs and their dependencies.
 * (The Markdown page is markdown.c.) Everything is printed in catalogue
 * order so that the output is stable.
 */
#include "features/plan_internal.h"
#include "core/xalloc.h"
#include <string.h>

static const char *inputs_text(uint32_t inputs, struct buf *b)
{
	buf_reset(b);
	for (uint32_t k = 0; k < FEAT_IN_COUNT; k++)
		if (inputs & (1u << k))
			buf_addf(b, "%s%s", b->len ? "," : "", (1u << k) == FEAT_IN_GIT ? "git" : feat_input_name(1u << k));
	return buf_cstr(b);
}

void feat_print_table(struct buf *out, const struct feat_catalogue *cat)
{
	buf_addf(out, "%-34s %-11s %-10s %-8s %s\n", "FEATURE", "TYPE", "AVAIL", "FAMILY", "DESCRIPTION");
	for (size_t i = 0; i < cat->n; i++) {
		const struct feat_node *nd = cat->nodes[i];
		for (size_t k = 0; k < nd->ndefs; k++) {
			const struct feat_def *d = &nd->defs[k];
			buf_addf(out, "%-34s %-11s %-10s %-8s %s\n", d->name, feat_type_name(d->type),
				 feat_avail_name(d->avail), nd->family, d->description);
		}
	}
}

static json_t *aliases_json(const char *aliases)
{
	json_t *a = json_array();
	struct strvec sv = STRVEC_INIT;
	if (aliases)
		strvec_split(&sv, aliases, '|');
	for (size_t i = 0; i < sv.n; i++)
		json_array_append_new(a, json_string(sv.v[i]));
	strvec_clear(&sv);
	return a;
}

json_t *feat_catalogue_json(const struct feat_catalogue *cat)
{
	json_t *feats = json_array();
	json_t *nodes = json_array();
	for (size_t i = 0; i < cat->n; i++) {
		const struct feat_node *nd = cat->nodes[i];
		json_t *deps = json_array(), *names = json_array(), *ins = json_array();
		for (size_t d = 0; nd->deps && nd->deps[d]; d++)
			json_array_append_new(deps, json_string(nd->deps[d]));
		for (uint32_t k = 0; k < FEAT_IN_COUNT; k++)
			if (nd->inputs & (1u << k))
				json_array_append_new(ins, json_string((1u << k) == FEAT_IN_GIT ? "git"
											: feat_input_name(1u << k)));
		for (size_t k = 0; k < nd->ndefs; k++) {
			const struct feat_def *d = &nd->defs[k];
			json_array_append_new(names, json_string(d->name));
			json_t *o = json_object();
			json_object_set_new(o, "name", json_string(d->name));
			json_object_set_new(o, "family", json_string(nd->family));
			json_object_set_new(o, "node", json_string(nd->name));
			json_object_set_new(o, "type", json_string(feat_type_name(d->type)));
			json_object_set_new(o, "unit", json_string(d->unit ? d->unit : ""));
			json_object_set_new(o, "description", json_string(d->description));
			json_object_set_new(o, "availability", json_string(feat_avail_name(d->avail)));
			json_object_set_new(o, "temporal", json_boolean(d->temporal));
			json_object_set_new(o, "aliases", aliases_json(d->aliases));
			json_object_set_new(o, "travistorrent", d->tt_name ? json_string(d->tt_name) : json_null());
			json_object_set_new(o, "inputs", json_deep_copy(ins));
			json_array_append_new(feats, o);
		}
		json_t *n = json_object();
		json_object_set_new(n, "name", json_string(nd->name));
		json_object_set_new(n, "family", json_string(nd->family));
		json_object_set_new(n, "inputs", ins);
		json_object_set_new(n, "depends_on", deps);
		json_object_set_new(n, "features", names);
		json_array_append_new(nodes, n);
	}
	json_t *o = json_object();
	json_object_set_new(o, "version", json_string(feat_catalogue_version()));
	json_object_set_new(o, "features", feats);
	json_object_set_new(o, "nodes", nodes);
	return o;
}

void feat_print_dot(struct buf *out, const struct feat_catalogue *cat)
{
	buf_addstr(out, "digraph features {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
	for (uint32_t k = 0; k < FEAT_IN_COUNT; k++) {
		const char *in = (1u << k) == FEAT_IN_GIT ? "git" : feat_input_name(1u << k);
		buf_addf(out, "  \"in:%s\" [shape=ellipse, style=filled, fillcolor=\"#e8f0fe\", label=\"%s\"];\n", in, in);
	}
	for (size_t i = 0; i < cat->n; i++) {
		const struct feat_node *nd = cat->nodes[i];
		buf_addf(out, "  \"%s\" [shape=record, label=\"{%s|", nd->name, nd->name);
		for (size_t k = 0; k < nd->ndefs; k++)
			buf_addf(out, "%s%s", k ? "\\l" : "", nd->defs[k].name);
		buf_addstr(out, "\\l}\"];\n");
		for (uint32_t k = 0; k < FEAT_IN_COUNT; k++)
			if (nd->inputs & (1u << k))
				buf_addf(out, "  \"in:%s\" -> \"%s\";\n",
					 (1u << k) == FEAT_IN_GIT ? "git" : feat_input_name(1u << k), nd->name);
		for (size_t d = 0; nd->deps && nd->deps[d]; d++)
			buf_addf(out, "  \"%s\" -> \"%s\";\n", nd->deps[d], nd->name);
	}
	buf_addstr(out, "}\n");
}

char *feat_inputs_text(uint32_t inputs)
{
	struct buf b = BUF_INIT;
	inputs_text(inputs, &b);
	return buf_detach(&b, NULL);
}

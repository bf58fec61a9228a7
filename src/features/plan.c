/*
 * Plans: the start-up checks of a node table, and the resolution of a
 * feature selection (names, aliases, wildcards, excludes) into the selected
 * features and the nodes that compute them, in topological order.
 *
 * Nothing here is per build; a plan is made once per scenario, so clarity
 * wins over speed (linear look-ups over a catalogue of ~30 nodes).
 */
#include "features/plan_internal.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* Calls fn for each '|'-separated item of list (NULL: none); stops at a non-zero return. */
static int each_alias(const char *list, int (*fn)(const char *a, size_t n, void *arg), void *arg)
{
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, '|');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		int rc = fn(p, n, arg);
		if (rc)
			return rc;
		p = end ? end + 1 : p + n;
	}
	return 0;
}

struct name_probe {
	const char *name;
	size_t len;
};

static int alias_equals(const char *a, size_t n, void *arg)
{
	const struct name_probe *p = arg;
	return n == p->len && strncmp(a, p->name, n) == 0;
}

/* A feature answers to its name, its aliases and its TravisTorrent column. */
static int def_has_name(const struct feat_def *d, const char *name)
{
	if (!strcmp(d->name, name) || (d->tt_name && !strcmp(d->tt_name, name)))
		return 1;
	struct name_probe p = { name, strlen(name) };
	return each_alias(d->aliases, alias_equals, &p);
}

/* The def other than skip (may be NULL) that answers to name, and its node; NULL when none. */
static const struct feat_def *find_def(const struct feat_catalogue *cat, const struct feat_def *skip,
				       const char *name, const struct feat_node **node)
{
	for (size_t i = 0; i < cat->n; i++)
		for (size_t k = 0; k < cat->nodes[i]->ndefs; k++) {
			const struct feat_def *d = &cat->nodes[i]->defs[k];
			if (d != skip && def_has_name(d, name)) {
				if (node)
					*node = cat->nodes[i];
				return d;
			}
		}
	return NULL;
}

const struct feat_def *feat_catalogue_find(const struct feat_catalogue *cat, const char *name,
					   const struct feat_node **node)
{
	return find_def(cat, NULL, name, node);
}

static long node_index(const struct feat_catalogue *cat, const char *name)
{
	for (size_t i = 0; i < cat->n; i++)
		if (!strcmp(cat->nodes[i]->name, name))
			return (long)i;
	return -1;
}

struct dup_check {
	const struct feat_catalogue *cat;
	const struct feat_def *owner;
	struct err *e;
};

/* Refuses a name of owner (its name, an alias or its column) that another feature answers to. */
static int check_unique(struct dup_check *c, const char *name)
{
	const struct feat_def *other = find_def(c->cat, c->owner, name, NULL);
	if (!other)
		return 0;
	if (!strcmp(other->name, c->owner->name))
		return err_set(c->e, ERR_INTERNAL, "feature catalogue: feature '%s' is defined twice", name);
	if (!strcmp(name, c->owner->name))
		return err_set(c->e, ERR_INTERNAL, "feature catalogue: feature '%s' is also an alias or column of '%s'",
			       name, other->name);
	return err_set(c->e, ERR_INTERNAL,
		       "feature catalogue: '%s', an alias or column of '%s', is also a name of '%s'", name,
		       c->owner->name, other->name);
}

static int check_alias(const char *a, size_t n, void *arg)
{
	char *name = xstrndup(a, n);
	int rc = check_unique(arg, name);
	free(name);
	return rc;
}

/* Depth-first search for a cycle; colour 0 new, 1 on the stack, 2 done. */
static int visit_cycle(const struct feat_catalogue *cat, size_t i, uint8_t *colour, size_t *stack, size_t depth,
		       struct err *e)
{
	colour[i] = 1;
	stack[depth] = i;
	const struct feat_node *nd = cat->nodes[i];
	for (size_t d = 0; nd->deps && nd->deps[d]; d++) {
		long j = node_index(cat, nd->deps[d]);
		if (j < 0)
			continue; /* reported as dangling */
		if (colour[j] == 1) {
			struct buf b = BUF_INIT;
			size_t from = 0;
			while (stack[from] != (size_t)j)
				from++;
			for (size_t k = from; k <= depth; k++)
				buf_addf(&b, "%s -> ", cat->nodes[stack[k]]->name);
			buf_addstr(&b, cat->nodes[j]->name);
			err_set(e, ERR_INTERNAL, "feature catalogue: dependency cycle %s", buf_cstr(&b));
			buf_release(&b);
			return ERR_INTERNAL;
		}
		if (colour[j] == 0) {
			int rc = visit_cycle(cat, (size_t)j, colour, stack, depth + 1, e);
			if (rc)
				return rc;
		}
	}
	colour[i] = 2;
	return 0;
}

int feat_catalogue_check(const struct feat_catalogue *cat, struct err *e)
{
	for (size_t i = 0; i < cat->n; i++) {
		const struct feat_node *nd = cat->nodes[i];
		if (!nd->name || !nd->compute)
			return err_set(e, ERR_INTERNAL, "feature catalogue: node %zu has no name or no compute function", i);
		if (node_index(cat, nd->name) != (long)i)
			return err_set(e, ERR_INTERNAL, "feature catalogue: two nodes are named '%s'", nd->name);
		for (size_t d = 0; nd->deps && nd->deps[d]; d++) {
			if (d >= FEAT_MAX_DEPS)
				return err_set(e, ERR_INTERNAL, "feature catalogue: node '%s' has more than %d dependencies",
					       nd->name, FEAT_MAX_DEPS);
			if (node_index(cat, nd->deps[d]) < 0)
				return err_set(e, ERR_INTERNAL,
					       "feature catalogue: node '%s' depends on '%s', which no node provides",
					       nd->name, nd->deps[d]);
		}
		for (size_t k = 0; k < nd->ndefs; k++) {
			const struct feat_def *d = &nd->defs[k];
			struct dup_check c = { cat, d, e };
			if (check_unique(&c, d->name) || (d->tt_name && check_unique(&c, d->tt_name)) ||
			    each_alias(d->aliases, check_alias, &c))
				return ERR_INTERNAL;
		}
	}
	uint8_t *colour = xcalloc(cat->n ? cat->n : 1, 1);
	size_t *stack = xcalloc(cat->n ? cat->n : 1, sizeof(size_t));
	int rc = 0;
	for (size_t i = 0; i < cat->n && rc == 0; i++)
		if (colour[i] == 0)
			rc = visit_cycle(cat, i, colour, stack, 0, e);
	free(colour);
	free(stack);
	return rc;
}

/* --- resolution --- */

static int is_pattern(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

struct glob_probe {
	const char *pattern;
};

static int alias_matches(const char *a, size_t n, void *arg)
{
	const struct glob_probe *g = arg;
	char *name = xstrndup(a, n);
	int m = fnmatch(g->pattern, name, 0) == 0;
	free(name);
	return m;
}

static int def_matches(const struct feat_def *d, const char *pattern)
{
	if (fnmatch(pattern, d->name, 0) == 0 || (d->tt_name && fnmatch(pattern, d->tt_name, 0) == 0))
		return 1;
	struct glob_probe g = { pattern };
	return each_alias(d->aliases, alias_matches, &g);
}

/*
 * Identifiers (unit "id": provider ids, commit shas, job id lists), raw
 * timestamps and free-text or high-cardinality names (unit "name": a branch,
 * the repository's name) say which build a row is, not anything a model can
 * generalise from: the default selection leaves them out, and a dataset writes
 * a selected one as a metadata column, never as a model input.
 */
int feat_def_is_metadata(const struct feat_def *d)
{
	return (d->unit && (strcmp(d->unit, "id") == 0 || strcmp(d->unit, "name") == 0)) || d->type == FEAT_TIMESTAMP;
}

/* sel[] values: what the selection holds for each def (flat index). */
enum { SEL_NO = 0, SEL_YES = 1, SEL_LABEL = 2 /* a label a wildcard matched: refused, never selected */ };

/*
 * Sets sel[f] for the defs (flat index f) that item names: SEL_YES when
 * selecting, SEL_NO when excluding. A label named explicitly is refused at
 * once; one that a wildcard matches is marked SEL_LABEL, refused later unless
 * excluded.
 */
static int apply_item(const struct feat_catalogue *cat, uint8_t *sel, const char *item, int select,
		      const char *key, struct err *e)
{
	size_t f = 0, hits = 0;
	int pattern = is_pattern(item);
	for (size_t i = 0; i < cat->n; i++)
		for (size_t k = 0; k < cat->nodes[i]->ndefs; k++, f++) {
			const struct feat_def *d = &cat->nodes[i]->defs[k];
			if (!(pattern ? def_matches(d, item) : def_has_name(d, item)))
				continue;
			if (d->avail == FEAT_LABEL && select) {
				if (!pattern)
					return err_set(e, ERR_INPUT,
						       "%s: '%s' is a label (derived from the build's outcome) and can never be "
						       "a feature (the dataset writes its label column `outcome` itself); remove it",
						       key, item);
				sel[f] = SEL_LABEL;
				hits++;
				continue;
			}
			sel[f] = select ? SEL_YES : SEL_NO;
			hits++;
		}
	/* Excluding a label by name matches nothing and is harmless; anything else that matches nothing is a typo. */
	int known = !pattern && !select && feat_catalogue_find(cat, item, NULL);
	if (hits == 0 && !known)
		return err_set(e, ERR_INPUT, "%s: %s '%s' %s; run 'ciminer features' for the catalogue", key,
			       pattern ? "pattern" : "feature", item, pattern ? "matches no feature" : "is unknown");
	return 0;
}

/*
 * Leakage is opt-in: a post_build feature (known only after the build ran) or
 * a label left in the selection is refused, naming them, unless
 * allow_post_build; labels are never selected even then.
 */
static int check_leakage(const struct feat_catalogue *cat, uint8_t *sel, int allow, struct err *e)
{
	struct strvec names = STRVEC_INIT;
	size_t f = 0;
	for (size_t i = 0; i < cat->n; i++)
		for (size_t k = 0; k < cat->nodes[i]->ndefs; k++, f++) {
			const struct feat_def *d = &cat->nodes[i]->defs[k];
			if (sel[f] == SEL_LABEL || (sel[f] == SEL_YES && d->avail != FEAT_PRE_BUILD && !allow))
				strvec_push(&names, d->name);
			if (sel[f] == SEL_LABEL)
				sel[f] = SEL_NO;
		}
	int rc = 0;
	if (names.n && !allow) {
		struct strvec shown = STRVEC_INIT;
		for (size_t i = 0; i < names.n && i < 12; i++)
			strvec_push(&shown, names.v[i]);
		if (names.n > 12)
			strvec_pushf(&shown, "and %zu more", names.n - 12);
		char *list = strvec_join(&shown, ", ");
		rc = err_set(e, ERR_INPUT,
			     "feature_config.dag_features selects %zu post-build or label feature%s (%s): known only after "
			     "the build ran, they leak the outcome into failure prediction; list them in "
			     "feature_config.exclude, or set feature_config.allow_post_build: true (failure diagnosis)",
			     names.n, names.n == 1 ? "" : "s", list);
		free(list);
		strvec_clear(&shown);
	}
	strvec_clear(&names);
	return rc;
}

static void add_node(struct feat_plan *p, const struct feat_catalogue *cat, size_t i, uint8_t *placed)
{
	if (placed[i])
		return;
	placed[i] = 1;
	const struct feat_node *nd = cat->nodes[i];
	for (size_t d = 0; nd->deps && nd->deps[d]; d++)
		add_node(p, cat, (size_t)node_index(cat, nd->deps[d]), placed);
	struct feat_plan_node *pn = &p->nodes[p->nnodes++];
	pn->node = nd;
	pn->cat_index = i;
}

static void push_all(struct strvec *dst, const struct strvec *src)
{
	for (size_t i = 0; i < src->n; i++)
		strvec_push(dst, src->v[i]);
}

static void copy_config(struct feat_plan_config *dst, const struct feat_plan_config *src)
{
	feat_plan_config_init(dst);
	push_all(&dst->features, &src->features);
	push_all(&dst->exclude, &src->exclude);
	dst->naming = src->naming;
	dst->allow_post_build = src->allow_post_build;
	dst->extract.lookback_days = src->extract.lookback_days;
	push_all(&dst->extract.test_frameworks, &src->extract.test_frameworks);
	push_all(&dst->extract.source_languages, &src->extract.source_languages);
	dst->extract.lang_mask = src->extract.lang_mask;
	dst->extract.travistorrent = src->naming == FEAT_NAMING_TRAVISTORRENT;
}

int feat_plan_new(struct feat_plan **out, const struct feat_catalogue *cat, const struct feat_plan_config *cfg,
		  struct err *e)
{
	*out = NULL;
	int rc = feat_catalogue_check(cat, e);
	if (rc)
		return rc;
	size_t ndefs = 0;
	for (size_t i = 0; i < cat->n; i++)
		ndefs += cat->nodes[i]->ndefs;
	uint8_t *sel = xcalloc(ndefs ? ndefs : 1, 1);
	if (cfg->features.n == 0) {
		size_t f = 0;
		for (size_t i = 0; i < cat->n; i++)
			for (size_t k = 0; k < cat->nodes[i]->ndefs; k++, f++)
				sel[f] = cat->nodes[i]->defs[k].avail == FEAT_PRE_BUILD &&
					 !feat_def_is_metadata(&cat->nodes[i]->defs[k]);
	}
	for (size_t i = 0; i < cfg->features.n && rc == 0; i++)
		rc = apply_item(cat, sel, cfg->features.v[i], 1, "feature_config.dag_features", e);
	for (size_t i = 0; i < cfg->exclude.n && rc == 0; i++)
		rc = apply_item(cat, sel, cfg->exclude.v[i], 0, "feature_config.exclude", e);
	if (rc == 0)
		rc = check_leakage(cat, sel, cfg->allow_post_build, e);
	size_t nsel = 0;
	for (size_t f = 0; f < ndefs; f++)
		nsel += sel[f];
	if (rc == 0 && nsel == 0)
		rc = err_set(e, ERR_INPUT, "feature_config: the selection minus exclude leaves no feature; "
					   "name at least one feature in dag_features");
	if (rc) {
		free(sel);
		return rc;
	}

	struct feat_plan *p = xcalloc(1, sizeof(*p));
	p->cat = cat;
	copy_config(&p->cfg, cfg);
	p->feats = xcalloc(nsel, sizeof(*p->feats));
	p->nodes = xcalloc(cat->n ? cat->n : 1, sizeof(*p->nodes));
	uint8_t *placed = xcalloc(cat->n ? cat->n : 1, 1);
	size_t f = 0;
	for (size_t i = 0; i < cat->n; i++)
		for (size_t k = 0; k < cat->nodes[i]->ndefs; k++, f++) {
			if (!sel[f])
				continue;
			add_node(p, cat, i, placed);
			struct feat_plan_feat *pf = &p->feats[p->nfeats++];
			pf->def = &cat->nodes[i]->defs[k];
			pf->node_cat = i;
			pf->def_index = k;
			pf->name = (cfg->naming == FEAT_NAMING_TRAVISTORRENT && pf->def->tt_name) ? pf->def->tt_name
												   : pf->def->name;
			pf->join_list = cfg->naming == FEAT_NAMING_TRAVISTORRENT && pf->def->tt_name &&
					pf->def->type == FEAT_STRLIST;
		}
	/* Map each selected feature to its node's position in the plan, and
	 * each node's dependencies to plan positions. */
	for (size_t i = 0; i < p->nfeats; i++)
		for (size_t j = 0; j < p->nnodes; j++)
			if (p->nodes[j].cat_index == p->feats[i].node_cat)
				p->feats[i].plan_node = j;
	for (size_t j = 0; j < p->nnodes; j++) {
		struct feat_plan_node *pn = &p->nodes[j];
		p->inputs |= pn->node->inputs;
		for (size_t d = 0; pn->node->deps && pn->node->deps[d]; d++) {
			size_t ci = (size_t)node_index(cat, pn->node->deps[d]);
			for (size_t q = 0; q < j; q++)
				if (p->nodes[q].cat_index == ci)
					pn->dep_pos[pn->ndeps++] = q;
		}
		pn->value_off = p->nvalues;
		p->nvalues += pn->node->ndefs;
	}
	free(placed);
	free(sel);
	*out = p;
	return 0;
}

void feat_plan_free(struct feat_plan *p)
{
	if (!p)
		return;
	feat_plan_config_release(&p->cfg);
	free(p->feats);
	free(p->nodes);
	free(p);
}

size_t feat_plan_count(const struct feat_plan *p)
{
	return p->nfeats;
}

const struct feat_def *feat_plan_feature(const struct feat_plan *p, size_t i)
{
	return i < p->nfeats ? p->feats[i].def : NULL;
}

const char *feat_plan_name(const struct feat_plan *p, size_t i)
{
	return i < p->nfeats ? p->feats[i].name : NULL;
}

enum feat_type feat_plan_type(const struct feat_plan *p, size_t i)
{
	return p->feats[i].join_list ? FEAT_STRING : p->feats[i].def->type;
}

uint32_t feat_plan_inputs(const struct feat_plan *p)
{
	return p->inputs;
}

size_t feat_plan_node_count(const struct feat_plan *p)
{
	return p->nnodes;
}

const char *feat_plan_node_name(const struct feat_plan *p, size_t i)
{
	return i < p->nnodes ? p->nodes[i].node->name : NULL;
}

json_t *feat_plan_manifest(const struct feat_plan *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->nfeats; i++) {
		const struct feat_def *d = p->feats[i].def;
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(p->feats[i].name));
		json_object_set_new(o, "native_name", json_string(d->name));
		json_object_set_new(o, "family", json_string(p->cat->nodes[p->feats[i].node_cat]->family));
		json_object_set_new(o, "type", json_string(feat_type_name(feat_plan_type(p, i))));
		json_object_set_new(o, "unit", json_string(d->unit ? d->unit : ""));
		json_object_set_new(o, "description", json_string(d->description));
		json_object_set_new(o, "availability", json_string(feat_avail_name(d->avail)));
		json_object_set_new(o, "temporal", json_boolean(d->temporal));
		json_array_append_new(a, o);
	}
	return a;
}

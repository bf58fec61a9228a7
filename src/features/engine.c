/*
 * Evaluation of a plan for one build: work out which inputs are present, run
 * the plan's nodes in topological order (each once), skip the ones whose
 * inputs or dependencies are missing, and copy the selected features into a
 * vector. Node states and the values array live in the session and are
 * reused from build to build, so the steady state allocates only the
 * vector's own copies.
 */
#include "features/cache.h"
#include "features/plan_internal.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "git/history.h"
#include <stdlib.h>
#include <string.h>

struct feat_session {
	const struct feat_plan *p;
	void **states;              /* per plan node */
	struct feat_value *values;  /* p->nvalues, node by node */
	uint32_t *missing;          /* per plan node: FEAT_IN_* bits that made it skip; 0 = computed */
	uint64_t *usec;             /* per plan node: time spent computing, summed over builds */
	struct feat_cache cache;
	struct git_history_view *view;
	const struct git_history *view_git;
};

struct feat_session *feat_session_new(const struct feat_plan *p)
{
	struct feat_session *s = xcalloc(1, sizeof(*s));
	s->p = p;
	s->states = xcalloc(p->nnodes ? p->nnodes : 1, sizeof(void *));
	s->values = xcalloc(p->nvalues ? p->nvalues : 1, sizeof(struct feat_value));
	s->missing = xcalloc(p->nnodes ? p->nnodes : 1, sizeof(uint32_t));
	s->usec = xcalloc(p->nnodes ? p->nnodes : 1, sizeof(uint64_t));
	for (size_t j = 0; j < p->nnodes; j++) {
		const struct feat_plan_node *pn = &p->nodes[j];
		if (pn->node->state_size)
			s->states[j] = xcalloc(1, pn->node->state_size);
		for (size_t k = 0; k < pn->node->ndefs; k++)
			s->values[pn->value_off + k].type = (uint8_t)pn->node->defs[k].type;
	}
	feat_cache_init(&s->cache);
	return s;
}

void feat_session_reset(struct feat_session *s)
{
	feat_cache_release(&s->cache);
	feat_cache_init(&s->cache);
	git_history_view_free(s->view);
	s->view = NULL;
	s->view_git = NULL;
}

void feat_session_free(struct feat_session *s)
{
	if (!s)
		return;
	for (size_t j = 0; j < s->p->nnodes; j++) {
		const struct feat_node *nd = s->p->nodes[j].node;
		if (s->states[j] && nd->state_release)
			nd->state_release(s->states[j]);
		free(s->states[j]);
	}
	for (size_t i = 0; i < s->p->nvalues; i++)
		feat_value_clear(&s->values[i]);
	free(s->states);
	free(s->values);
	free(s->missing);
	free(s->usec);
	feat_session_reset(s);
	free(s);
}

static int is_pr_event(const char *ev)
{
	return ev && (!strcmp(ev, "pull_request") || !strcmp(ev, "pull_request_target"));
}

/* Inputs present for this build; *git_commit_missing tells which git name to report. */
static uint32_t present_inputs(struct feat_session *s, struct feat_run *r, const struct feat_input *in,
			       int *git_commit_missing)
{
	uint32_t have = FEAT_IN_BUILD | FEAT_IN_PREV_LOGS;
	if (in->repo)
		have |= FEAT_IN_REPO;
	if (in->history)
		have |= FEAT_IN_HISTORY;
	if (in->log)
		have |= FEAT_IN_LOGS;
	/* A push build has no pull request to miss. */
	if (!r->is_pr || in->pr)
		have |= FEAT_IN_PR;
	if (!r->is_pr || (in->pr && in->pr->has_comments))
		have |= FEAT_IN_PR_COMMENTS;
	*git_commit_missing = 0;
	if ((s->p->inputs & FEAT_IN_GIT) && in->git) {
		uint32_t c = in->build->commit_sha ? git_history_find_hex(in->git, in->build->commit_sha)
						   : GIT_HISTORY_NONE;
		if (c == GIT_HISTORY_NONE) {
			*git_commit_missing = 1;
		} else {
			have |= FEAT_IN_GIT;
			r->trigger = c;
		}
	}
	return have;
}

static void add_missing_names(struct strvec *out, uint32_t bits, int git_commit_missing)
{
	for (uint32_t b = 0; b < FEAT_IN_COUNT; b++) {
		uint32_t bit = 1u << b;
		if (!(bits & bit))
			continue;
		strvec_push(out, bit == FEAT_IN_GIT && git_commit_missing ? "git_commit" : feat_input_name(bit));
	}
}

/* Runs one plan node; returns the missing bits (0 when computed) or a negative error. */
static int run_node(struct feat_session *s, struct feat_run *r, size_t j, uint32_t have)
{
	const struct feat_plan_node *pn = &s->p->nodes[j];
	const struct feat_node *nd = pn->node;
	struct feat_value *out = &s->values[pn->value_off];
	for (size_t k = 0; k < nd->ndefs; k++)
		feat_value_clear(&out[k]);
	uint32_t miss = nd->inputs & ~have;
	void *deps[FEAT_MAX_DEPS];
	for (size_t d = 0; d < pn->ndeps; d++) {
		miss |= s->missing[pn->dep_pos[d]];
		deps[d] = s->states[pn->dep_pos[d]];
	}
	if (miss)
		return (int)miss;
	r->deps = deps;
	int64_t t0 = mono_now();
	int rc = nd->compute(r, s->states[j], out);
	s->usec[j] += (uint64_t)(mono_now() - t0);
	r->deps = NULL;
	if (rc > 0) {
		for (size_t k = 0; k < nd->ndefs; k++)
			feat_value_clear(&out[k]);
	} else if (rc < 0) {
		err_prefix(r->e, "feature node %s", nd->name);
	}
	return rc;
}

static void fill_vector(struct feat_vector *out, struct feat_session *s, int git_commit_missing)
{
	const struct feat_plan *p = s->p;
	out->n = p->nfeats;
	out->names = xcalloc(p->nfeats ? p->nfeats : 1, sizeof(char *));
	out->values = xcalloc(p->nfeats ? p->nfeats : 1, sizeof(struct feat_value));
	uint32_t missing = 0;
	for (size_t i = 0; i < p->nfeats; i++) {
		const struct feat_plan_feat *pf = &p->feats[i];
		const struct feat_plan_node *pn = &p->nodes[pf->plan_node];
		const struct feat_value *v = &s->values[pn->value_off + pf->def_index];
		out->names[i] = pf->name;
		if (s->missing[pf->plan_node]) {
			out->values[i].type = (uint8_t)feat_plan_type(p, i);
			missing |= s->missing[pf->plan_node];
			strvec_push(&out->skipped_features, pf->name);
			continue;
		}
		if (pf->join_list) {
			out->values[i].type = FEAT_STRING;
			if (v->set) {
				char *j = strvec_join(&v->v.l, "#");
				feat_set_str(&out->values[i], j);
				free(j);
			}
			continue;
		}
		feat_value_copy(&out->values[i], v);
	}
	add_missing_names(&out->missing_resources, missing, git_commit_missing);
	out->partial = out->skipped_features.n > 0;
}

int feat_compute(struct feat_vector *out, struct feat_session *s, const struct feat_input *in, struct err *e)
{
	const struct feat_plan *p = s->p;
	memset(out, 0, sizeof(*out));
	const struct feat_build *b = in->build;
	if (!b)
		return err_set(e, ERR_INPUT, "feature extraction: no build given");
	struct feat_run r;
	memset(&r, 0, sizeof(r));
	r.in = in;
	r.cfg = &p->cfg.extract;
	r.e = e;
	r.cache = &s->cache;
	r.trigger = GIT_HISTORY_NONE;
	r.start = b->started_at != FEAT_TIME_UNKNOWN ? b->started_at : b->created_at;
	if (r.start == FEAT_TIME_UNKNOWN)
		return err_set(e, ERR_INPUT,
			       "build %lld (run %s) has neither started_at nor created_at; point-in-time features need "
			       "one: re-validate the build",
			       (long long)b->id, b->ci_run_id ? b->ci_run_id : "?");
	r.is_pr = is_pr_event(b->event) || b->n_pr_numbers > 0;
	r.pr_number = b->n_pr_numbers ? b->pr_numbers[0] : (in->pr && r.is_pr ? in->pr->number : 0);

	int git_commit_missing = 0;
	uint32_t have = present_inputs(s, &r, in, &git_commit_missing);
	if (have & FEAT_IN_HISTORY)
		feat_cache_sync_history(&s->cache, in->history);
	if (have & FEAT_IN_GIT) {
		if (s->view_git != in->git) {
			git_history_view_free(s->view);
			s->view = git_history_view_new(in->git);
			s->view_git = in->git;
		}
		git_history_view_set(s->view, r.trigger);
		r.view = s->view;
		if (have & FEAT_IN_HISTORY)
			feat_cache_sync_git(&s->cache, in->git);
	}

	for (size_t j = 0; j < p->nnodes; j++) {
		int rc = run_node(s, &r, j, have);
		if (rc < 0) {
			for (size_t q = 0; q < p->nnodes; q++)
				s->missing[q] = 0;
			return rc;
		}
		s->missing[j] = (uint32_t)rc;
	}
	fill_vector(out, s, git_commit_missing);
	return 0;
}

uint64_t feat_session_node_usec(const struct feat_session *s, size_t i)
{
	return i < s->p->nnodes ? s->usec[i] : 0;
}

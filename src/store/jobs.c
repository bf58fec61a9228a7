/* The jobs table: the queue's transactions (enqueue, claim, renew, finish, fan-in; jobs.h). */
#include "store/jobs.h"
#include "core/buf.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs f inside a transaction unless the caller already opened one. */
static int tx_open(struct store *s, int *mine, struct err *e)
{
	*mine = !store_in_tx(s);
	return *mine ? store_begin(s, e) : 0;
}

static int tx_close(struct store *s, int mine, int rc, struct err *e)
{
	return mine ? store_tx_end(s, rc, e) : rc;
}

int jobs_enqueue(struct store *s, const struct jobs_enqueue_opts *o, int64_t *id_out, struct err *e)
{
	int mine, rc = tx_open(s, &mine, e);
	if (rc < 0)
		return rc;
	int64_t now = utc_now(), id = 0;
	struct store_val p[] = {
		sv_text(o->queue), sv_text(o->kind), sv_text(o->payload ? o->payload : "{}"),
		sv_text(o->waiting ? "waiting" : "queued"), sv_int(o->priority),
		sv_int(o->max_attempts > 0 ? o->max_attempts : 5), sv_int(o->run_after > 0 ? o->run_after : now),
		sv_int(o->timeout_sec > 0 ? o->timeout_sec : 0), sv_text(o->concurrency_key),
		o->parent_id > 0 ? sv_int(o->parent_id) : sv_null(), sv_int(now),
	};
	rc = store_insert_id(s, &id, e,
			     "INSERT INTO jobs (queue, kind, payload, state, priority, max_attempts, run_after, timeout_sec,"
			     " concurrency_key, parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			     11, p);
	if (rc == 0 && o->parent_id > 0) {
		struct store_val q[] = { sv_int(o->parent_id) };
		int64_t n = 0;
		rc = store_exec(s, e, &n, "UPDATE jobs SET open_children = open_children + 1 WHERE id = ?", 1, q);
		if (rc == 0 && n != 1)
			rc = err_set(e, ERR_NOT_FOUND, "parent job %lld does not exist", (long long)o->parent_id);
	}
	if (rc == 0 && id_out)
		*id_out = id;
	return tx_close(s, mine, rc, e);
}

int jobs_release(struct store *s, int64_t id, struct err *e)
{
	struct store_val p[] = { sv_int(utc_now()), sv_int(id) };
	return store_exec(s, e, NULL,
			  "UPDATE jobs SET state = 'queued', run_after = ? WHERE id = ? AND state = 'waiting'"
			  " AND open_children = 0",
			  2, p);
}

/* A job reached a final state: close it in its parent, queueing the parent when it was the last. */
static int fan_in(struct store *s, int64_t parent_id, struct err *e)
{
	if (parent_id <= 0)
		return 0;
	struct store_val p[] = { sv_int(parent_id) };
	int rc = store_exec(s, e, NULL, "UPDATE jobs SET open_children = open_children - 1 WHERE id = ?", 1, p);
	if (rc == 0)
		rc = jobs_release(s, parent_id, e);
	return rc;
}

void jobs_claimed_release(struct jobs_claimed *c)
{
	free(c->payload);
	free(c->concurrency_key);
	c->payload = c->concurrency_key = NULL;
}

/* Jobs whose lease expired with no attempts left are dead (the worker died on its last try). */
static int reap_expired(struct store *s, int64_t now, struct err *e)
{
	struct store_cursor *c;
	struct store_val p[] = { sv_int(now) };
	int rc = store_query(s, &c, e,
			     "SELECT id, COALESCE(parent_id, 0) FROM jobs WHERE state = 'running' AND lease_expires_at < ?"
			     " AND attempts >= max_attempts",
			     1, p);
	if (rc < 0)
		return rc;
	int64_t ids[64], parents[64];
	int n = 0;
	while (n < 64 && (rc = store_next(c, e)) == 1) {
		ids[n] = store_col_int(c, 0);
		parents[n++] = store_col_int(c, 1);
	}
	store_cursor_free(c);
	for (int i = 0; rc >= 0 && i < n; i++) {
		struct store_val q[] = { sv_int(now), sv_int(ids[i]) };
		rc = store_exec(s, e, NULL,
				"UPDATE jobs SET state = 'dead', finished_at = ?, lease_owner = NULL,"
				" last_error = COALESCE(last_error, 'lease expired: the worker was lost') WHERE id = ?",
				2, q);
		if (rc == 0)
			rc = fan_in(s, parents[i], e);
	}
	return rc < 0 ? rc : 0;
}

#define RETURNING_COLS \
	" RETURNING id, COALESCE(parent_id, 0), queue, kind, payload, concurrency_key, attempts, max_attempts," \
	" timeout_sec"

static const char *claim_sql_queued =
	"SELECT id, concurrency_key FROM jobs j WHERE state = 'queued' AND queue = ? AND run_after <= ?"
	" AND (concurrency_key IS NULL OR NOT EXISTS (SELECT 1 FROM jobs k WHERE k.concurrency_key = j.concurrency_key"
	" AND k.state = 'running' AND k.id <> j.id))"
	" ORDER BY priority DESC, run_after, id LIMIT 4";
static const char *claim_sql_expired =
	"SELECT id, concurrency_key FROM jobs j WHERE state = 'running' AND queue = ? AND lease_expires_at < ?"
	" AND attempts < max_attempts ORDER BY id LIMIT 4";

/* Candidates of one queue; on PostgreSQL rows are locked and others skip them. */
static int candidates(struct store *s, const char *sql, const char *queue, int64_t now, int64_t ids[4],
		      char *keys[4], int *n, struct err *e)
{
	char full[1024];
	snprintf(full, sizeof(full), "%s%s", sql, store_dialect(s) == STORE_PG ? " FOR UPDATE SKIP LOCKED" : "");
	struct store_cursor *c;
	struct store_val p[] = { sv_text(queue), sv_int(now) };
	int rc = store_query(s, &c, e, full, 2, p);
	*n = 0;
	if (rc < 0)
		return rc;
	while (*n < 4 && (rc = store_next(c, e)) == 1) {
		ids[*n] = store_col_int(c, 0);
		const char *k = store_col_text(c, 1);
		keys[(*n)++] = k ? xstrdup(k) : NULL;
	}
	store_cursor_free(c);
	return rc < 0 ? rc : 0;
}

/*
 * On PostgreSQL two transactions may both see no running job with key K and
 * pick different K jobs; the advisory lock serialises them, and the re-check
 * (a new statement, so a new READ COMMITTED snapshot) sees the winner's claim.
 * On SQLite the write lock already serialises claims.
 */
static int key_free(struct store *s, const char *key, int64_t id, struct err *e)
{
	if (!key)
		return 1;
	int64_t v = 0;
	if (store_dialect(s) == STORE_PG) {
		struct store_val p[] = { sv_text(key) };
		if (store_query_int(s, &v, e, "SELECT CASE WHEN pg_try_advisory_xact_lock(hashtext(?)) THEN 1 ELSE 0 END",
				    1, p) < 0)
			return -1;
		if (!v)
			return 0;
	}
	struct store_val q[] = { sv_text(key), sv_int(id) };
	if (store_query_int(s, &v, e,
			    "SELECT COUNT(*) FROM jobs WHERE concurrency_key = ? AND state = 'running' AND id <> ?", 2,
			    q) < 0)
		return -1;
	return v == 0;
}

/* Runs a claiming UPDATE ... RETURNING; 1 with *out filled when it claimed a row. */
static int claim_stmt(struct store *s, const char *sql, size_t n, const struct store_val *p,
		      struct jobs_claimed *out, struct err *e)
{
	struct store_cursor *c;
	int rc = store_update_rows(s, &c, e, sql, n, p);
	if (rc < 0)
		return rc;
	if ((rc = store_next(c, e)) == 1) {
		memset(out, 0, sizeof(*out));
		out->id = store_col_int(c, 0);
		out->parent_id = store_col_int(c, 1);
		snprintf(out->queue, sizeof(out->queue), "%s", store_col_text(c, 2));
		snprintf(out->kind, sizeof(out->kind), "%s", store_col_text(c, 3));
		out->payload = xstrdup(store_col_text(c, 4));
		const char *k = store_col_text(c, 5);
		out->concurrency_key = k ? xstrdup(k) : NULL;
		out->attempts = (int)store_col_int(c, 6);
		out->max_attempts = (int)store_col_int(c, 7);
		out->timeout_sec = (int)store_col_int(c, 8);
	}
	store_cursor_free(c);
	return rc;
}

static int take(struct store *s, int64_t id, const struct jobs_claimer *cl, int64_t now,
		struct jobs_claimed *out, struct err *e)
{
	struct store_val p[] = { sv_text(cl->owner), sv_int(now + cl->lease_usec), sv_int(now), sv_int(id) };
	return claim_stmt(s,
			  "UPDATE jobs SET state = 'running', lease_owner = ?, lease_expires_at = ?, started_at = ?,"
			  " attempts = attempts + 1 WHERE id = ?" RETURNING_COLS,
			  4, p, out, e);
}

/*
 * The fast path: one autocommit statement that claims the head of a queue
 * when it has no concurrency key. When the head is keyed it claims nothing,
 * and the transaction path below decides.
 */
static int claim_head(struct store *s, const struct jobs_claimer *cl, const char *queue, int64_t now,
		      struct jobs_claimed *out, struct err *e)
{
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "UPDATE jobs SET state = 'running', lease_owner = ?, lease_expires_at = ?, started_at = ?,"
		 " attempts = attempts + 1 WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND queue = ?"
		 " AND run_after <= ? ORDER BY priority DESC, run_after, id LIMIT 1%s) AND concurrency_key IS NULL"
		 RETURNING_COLS,
		 store_dialect(s) == STORE_PG ? " FOR UPDATE SKIP LOCKED" : "");
	struct store_val p[] = { sv_text(cl->owner), sv_int(now + cl->lease_usec), sv_int(now), sv_text(queue),
				 sv_int(now) };
	return claim_stmt(s, sql, 5, p, out, e);
}

static int claim_pass(struct store *s, const struct jobs_claimer *cl, const char *sql, int64_t now,
		      struct jobs_claimed *out, struct err *e)
{
	int rc = 0;
	for (size_t qi = 0; rc == 0 && qi < cl->nq; qi++) {
		int64_t ids[4];
		char *keys[4];
		int n = 0;
		rc = candidates(s, sql, cl->queues[qi], now, ids, keys, &n, e);
		for (int i = 0; i < n; i++) {
			if (rc == 0) {
				int ok = key_free(s, keys[i], ids[i], e);
				if (ok < 0)
					rc = e->code;
				else if (ok)
					rc = take(s, ids[i], cl, now, out, e);
			}
			free(keys[i]);
		}
	}
	return rc;
}

static int claim_tx(struct store *s, struct jobs_claimer *cl, int sweep, struct jobs_claimed *out,
		    struct err *e)
{
	int64_t now = utc_now();
	int rc = store_begin(s, e);
	if (rc < 0)
		return rc;
	if (sweep) {
		cl->last_sweep = now;
		rc = reap_expired(s, now, e);
		if (rc == 0)
			rc = claim_pass(s, cl, claim_sql_expired, now, out, e);
	}
	if (rc == 0)
		rc = claim_pass(s, cl, claim_sql_queued, now, out, e);
	int end = store_tx_end(s, rc < 0 ? rc : 0, e);
	if (end < 0 && rc == 1)
		jobs_claimed_release(out);
	return end < 0 ? end : rc;
}

int jobs_claim(struct store *s, struct jobs_claimer *cl, struct jobs_claimed *out, struct err *e)
{
	int64_t now = utc_now();
	int rc = 0;
	if (now - cl->last_sweep > USEC_PER_SEC)
		return claim_tx(s, cl, 1, out, e);
	for (size_t qi = 0; rc == 0 && qi < cl->nq; qi++)
		rc = claim_head(s, cl, cl->queues[qi], now, out, e);
	if (rc != 0)
		return rc;
	rc = claim_tx(s, cl, 0, out, e);
	if (rc == 0) /* nothing runnable: look for expired leases now rather than in a second */
		rc = claim_tx(s, cl, 1, out, e);
	return rc;
}

int jobs_renew(struct store *s, int64_t id, const char *owner, int64_t lease_usec, struct err *e)
{
	int64_t n = 0;
	struct store_val p[] = { sv_int(utc_now() + lease_usec), sv_int(id), sv_text(owner) };
	int rc = store_exec(s, e, &n,
			    "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
			    3, p);
	if (rc == 0 && n != 1)
		rc = err_set(e, ERR_CONFLICT, "job %lld: the lease of %s was lost", (long long)id, owner);
	return rc;
}

/*
 * Moves a running job owned by owner to a final or retry state. A final state
 * of a child closes it in its parent in the same transaction; without a
 * parent the update is a single autocommit statement.
 */
static int finish(struct store *s, const struct jobs_claimed *job, const char *owner, const char *state,
		  int64_t run_after, const char *message, struct err *e)
{
	int final = strcmp(state, "queued") != 0;
	int fan = final && job->parent_id > 0;
	int rc = fan ? store_begin(s, e) : 0;
	if (rc < 0)
		return rc;
	int64_t now = utc_now(), n = 0;
	struct store_val p[] = { sv_text(state), final ? sv_int(now) : sv_null(), sv_int(run_after ? run_after : now),
				 sv_text(message), sv_int(job->id), sv_text(owner) };
	rc = store_exec(s, e, &n,
			"UPDATE jobs SET state = ?, finished_at = ?, run_after = ?, last_error = COALESCE(?, last_error),"
			" lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND state = 'running' AND lease_owner = ?",
			6, p);
	if (rc == 0 && n != 1)
		rc = err_set(e, ERR_CONFLICT, "job %lld: the lease of %s was lost before it finished", (long long)job->id,
			     owner);
	if (rc == 0 && fan)
		rc = fan_in(s, job->parent_id, e);
	return fan ? store_tx_end(s, rc, e) : rc;
}

int jobs_complete(struct store *s, const struct jobs_claimed *job, const char *owner, struct err *e)
{
	return finish(s, job, owner, "succeeded", 0, NULL, e);
}

int jobs_hand_back(struct store *s, const struct jobs_claimed *job, const char *owner, struct err *e)
{
	int64_t n = 0;
	struct store_val p[] = { sv_int(utc_now()), sv_int(job->id), sv_text(owner) };
	int rc = store_exec(s, e, &n,
			    "UPDATE jobs SET state = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,"
			    " run_after = ?, lease_owner = NULL, lease_expires_at = NULL"
			    " WHERE id = ? AND state = 'running' AND lease_owner = ?",
			    3, p);
	if (rc == 0 && n != 1)
		rc = err_set(e, ERR_CONFLICT, "job %lld: the lease of %s was lost before it was handed back",
			     (long long)job->id, owner);
	return rc;
}

int jobs_fail(struct store *s, const struct jobs_claimed *job, const char *owner, int permanent,
	      const char *message, int64_t backoff_base_usec, struct err *e)
{
	if (permanent)
		return finish(s, job, owner, "failed", 0, message, e);
	if (job->attempts >= job->max_attempts)
		return finish(s, job, owner, "dead", 0, message, e);
	int64_t delay = backoff_base_usec;
	for (int i = 1; i < job->attempts && delay < 3600 * USEC_PER_SEC; i++)
		delay *= 2;
	if (delay > 3600 * USEC_PER_SEC)
		delay = 3600 * USEC_PER_SEC;
	/* +-25% jitter so that jobs failing together do not retry together. */
	uint64_t h = hash_fnv1a(&job->id, sizeof(job->id)) ^ (uint64_t)utc_now();
	delay = delay * 3 / 4 + (int64_t)(h % (uint64_t)(delay / 2 + 1));
	return finish(s, job, owner, "queued", utc_now() + delay, message, e);
}

static char *in_list(size_t nq)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < nq; i++)
		buf_addstr(&b, i ? ", ?" : "?");
	return buf_detach(&b, NULL);
}

static int count_query(struct store *s, const char *fmt, const char *const *queues, size_t nq, int64_t *out,
		       struct err *e)
{
	char *list = in_list(nq);
	char *sql = xasprintf(fmt, list);
	struct store_val *p = xcalloc(nq ? nq : 1, sizeof(*p));
	for (size_t i = 0; i < nq; i++)
		p[i] = sv_text(queues[i]);
	int rc = store_query_int(s, out, e, sql, nq, p);
	free(p);
	free(sql);
	free(list);
	return rc;
}

int jobs_count_open(struct store *s, const char *const *queues, size_t nq, int64_t *out, struct err *e)
{
	return count_query(s, "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running') AND queue IN (%s)", queues,
			   nq, out, e);
}

int jobs_next_run_after(struct store *s, const char *const *queues, size_t nq, int64_t *out, struct err *e)
{
	int rc = count_query(s,
			     "SELECT COALESCE(MIN(CASE WHEN state = 'queued' THEN run_after ELSE lease_expires_at END),"
			     " 9223372036854775807) FROM jobs WHERE state IN ('queued', 'running') AND queue IN (%s)",
			     queues, nq, out, e);
	return rc;
}

int jobs_running_leases(struct store *s, struct jobs_lease **out, size_t *n, const char *queue, struct err *e)
{
	*out = NULL;
	*n = 0;
	struct store_cursor *c;
	struct store_val p[] = { sv_text(queue) };
	int rc = store_query(s, &c, e, "SELECT id, lease_owner FROM jobs WHERE state = 'running' AND queue = ?", 1, p);
	if (rc < 0)
		return rc;
	size_t cap = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)out, &cap, *n + 1, sizeof(**out));
		(*out)[*n].id = store_col_int(c, 0);
		const char *owner = store_col_text(c, 1);
		(*out)[(*n)++].owner = owner ? xstrdup(owner) : NULL;
	}
	store_cursor_free(c);
	if (rc < 0) {
		jobs_leases_free(*out, *n);
		*out = NULL;
		*n = 0;
		return rc;
	}
	return 0;
}

void jobs_leases_free(struct jobs_lease *l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		free(l[i].owner);
	free(l);
}

int jobs_expire_lease(struct store *s, int64_t id, const char *owner, int64_t *changed, struct err *e)
{
	struct store_val u[] = { sv_int(utc_now() - 1), sv_int(id), sv_text(owner) };
	return store_exec(s, e, changed,
			  "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?", 3,
			  u);
}

int jobs_count_open_kind(struct store *s, int64_t *out, const char *kind, const char *payload, struct err *e)
{
	struct store_val p[] = { sv_text(kind), sv_text(payload) };
	return store_query_int(s, out, e,
			       "SELECT COUNT(*) FROM jobs WHERE kind = ? AND payload = ?"
			       " AND state IN ('waiting', 'queued', 'running')",
			       2, p);
}

int jobs_last_error_of(struct store *s, char **last_error, char **payload, const char *kind,
		       const char *payload_tail, struct err *e)
{
	*last_error = *payload = NULL;
	struct buf like = BUF_INIT;
	buf_addf(&like, "%%%s", payload_tail);
	struct store_val p[] = { sv_text(kind), sv_text(like.data) };
	struct store_cursor *c;
	int rc = store_query(s, &c, e,
			     "SELECT last_error, payload FROM jobs WHERE kind = ? AND payload LIKE ?"
			     " AND last_error IS NOT NULL AND state <> 'succeeded' ORDER BY id DESC LIMIT 1",
			     2, p);
	buf_release(&like);
	if (rc < 0)
		return rc;
	if ((rc = store_next(c, e)) == 1) {
		*last_error = xstrdup(store_col_text(c, 0));
		*payload = xstrdup(store_col_text(c, 1));
	}
	store_cursor_free(c);
	return rc < 0 ? rc : 0;
}

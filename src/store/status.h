/*
 * The status enums of the specification and their allowed transitions, in
 * one place (DESIGN.md §1). Every status change goes through
 * store_status_set(), which refuses a transition the table does not allow
 * with an error naming the entity, its id, the current and the requested
 * state; a refused transition is never a silent no-op.
 */
#ifndef STORE_STATUS_H
#define STORE_STATUS_H
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

enum status_entity {
	ENT_SCENARIO,          /* training_scenarios.status */
	ENT_INGESTION_BUILD,   /* training_ingestion_builds.status */
	ENT_EXTRACTION,        /* training_enrichment_builds.extraction_status */
	ENT_SOURCE_VALIDATION, /* build_sources.validation_status */
	ENT_SOURCE_BUILD,      /* source_builds.status */
	ENT_COUNT
};

/* Values, NULL-terminated, in specification order. */
const char *const *status_values(enum status_entity ent);
const char *status_entity_name(enum status_entity ent);
int status_is_valid(enum status_entity ent, const char *value);
/* 1 when from -> to is allowed (the same state is not a transition). */
int status_can_transition(enum status_entity ent, const char *from, const char *to);
int status_check_transition(enum status_entity ent, int64_t id, const char *from, const char *to, struct err *e);

/*
 * Checks every edge of a bulk move from the states `from` (NULL-terminated;
 * NULL: every state but `to`) to `to`; id names the scenario or source the
 * rows belong to in the message. Entity files call it before a guarded
 * UPDATE ... WHERE status IN (...), so a refused bulk move is an error.
 */
int status_check_moves(enum status_entity ent, int64_t id, const char *const *from, const char *to, struct err *e);
/* Appends the quoted states that may become `to` ("'pending', 'in_progress'") for a guarded UPDATE. */
void status_sources_sql(struct buf *sql, enum status_entity ent, const char *to);
/* Appends values (NULL-terminated) quoted and comma-separated, for an IN list. */
void status_list_sql(struct buf *sql, const char *const *values);

/*
 * Moves row id of the entity's table to `to`, checking the transition against
 * the current state, and sets updated_at (where the table has one). With
 * expect_from non-NULL, the row must currently be in that state. Fails with
 * ERR_CONFLICT when refused or when the row changed underneath, ERR_NOT_FOUND
 * when the row does not exist. Runs inside the caller's transaction if any.
 */
int store_status_set(struct store *s, enum status_entity ent, int64_t id, const char *expect_from, const char *to,
		     struct err *e);
/* Reads the current status; *out is the caller's. */
int store_status_get(struct store *s, enum status_entity ent, int64_t id, char **out, struct err *e);

#endif

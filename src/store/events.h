/*
 * Progress and status events, stored in the events table in the same
 * transaction as the change they describe; the API's WebSocket/SSE stream
 * publishes them by id order. Payloads follow the specification:
 * SCENARIO_UPDATE {event, scenario_id, status, message, stats{...}},
 * SCENARIO_BUILD_UPDATE {event, scenario_id, build_id, phase, status},
 * SOURCE_UPDATE {event, source_id, status, message, stats{...}} (ciminer's).
 */
#ifndef STORE_EVENTS_H
#define STORE_EVENTS_H
#include <jansson.h>
#include <stdint.h>
#include "store/store.h"

/* Stores payload (the caller keeps its reference) under kind. */
int events_emit(struct store *s, const char *kind, int64_t scenario_id, int64_t source_id, json_t *payload,
		struct err *e);
/* SCENARIO_UPDATE with the scenario's current status and counters. */
int events_scenario_update(struct store *s, int64_t scenario_id, const char *message, struct err *e);
/* SOURCE_UPDATE with the source's current status and stats. */
int events_source_update(struct store *s, int64_t source_id, const char *message, struct err *e);

/* Deletes a scenario's events (with the scenario). */
int events_delete_scenario(struct store *s, int64_t scenario_id, struct err *e);

/* Following one scenario's or source's events (cli/watch.c, the API's stream). */
enum events_about { EVENTS_OF_SCENARIO, EVENTS_OF_SOURCE };
/* The newest event's id about id, or 0. */
int events_last_id(struct store *s, int64_t *last, enum events_about about, int64_t id, struct err *e);
/* The next (at most 100) events about id after event `after`, oldest first. Columns: id, payload. */
int events_after(struct store *s, struct store_cursor **out, enum events_about about, int64_t id, int64_t after,
		 struct err *e);

#endif

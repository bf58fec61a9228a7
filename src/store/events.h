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

#endif

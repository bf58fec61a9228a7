/*
 * Downloaded job logs into the blob store on a thread of their own, so that
 * hashing and zstd compression (the CPU of ingestion) overlap the downloads
 * instead of stopping them: the HTTP client hands each finished log over
 * (ci_log_req.done) and goes on with the other transfers.
 *
 *   struct log_store *ls;
 *   log_store_start(&ls, data_dir, 256 << 20, &e);
 *   log_store_put(ls, &item);     // from ci_log_req.done: takes item.data
 *   log_store_drain(ls);          // every queued item stored (or failed)
 *   log_store_stop(ls);           // drains, joins the thread, frees
 *
 * Memory is bounded: log_store_put() blocks while more than max_queued
 * bytes wait to be stored. Items belong to the caller and must stay put
 * until drained; the thread fills hex/stored (or rc/err) and releases data.
 */
#ifndef PIPELINE_LOG_STORE_H
#define PIPELINE_LOG_STORE_H
#include <stddef.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/hash.h"

struct log_store_item {
	struct buf data;              /* in: the log; released once stored */
	char hex[SHA256_HEX_LEN];     /* out: the blob's address */
	size_t raw, stored;           /* out: bytes of the log, bytes on disk */
	int rc;                       /* out: 0, or why the blob could not be written */
	struct err err;
	struct log_store_item *next;  /* internal: the queue */
};

struct log_store;
int log_store_start(struct log_store **out, const char *data_dir, size_t max_queued, struct err *e);
void log_store_put(struct log_store *ls, struct log_store_item *item);
void log_store_drain(struct log_store *ls);
void log_store_stop(struct log_store *ls);

#endif

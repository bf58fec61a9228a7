/*
 * One page of a listing: how the entity files (store/sources.c,
 * store/scenarios.c, ...) take skip/limit/sort/status from the command line
 * and the REST API alike. A listing always has a total order: the sort
 * column, then the row id, so that pages never overlap or skip a row.
 *
 * Each listing names the columns it may be sorted by; an unknown sort column
 * or a status that is not one of the entity's is ERR_USAGE with a message
 * naming the allowed values.
 */
#ifndef STORE_PAGE_H
#define STORE_PAGE_H
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"
#include "store/status.h"

struct store_page {
	int64_t skip;       /* rows passed over (>= 0) */
	int64_t limit;      /* rows at most; < 0: all */
	const char *sort;   /* one of the listing's sort keys; NULL: its default order */
	int desc;           /* 1: descending */
	const char *status; /* only rows in this status; NULL: all */
};
#define STORE_PAGE_INIT { 0, -1, NULL, 0, NULL }

/*
 * A listing's sort keys: the name a caller gives and the SQL expression it
 * orders by; the first entry is the default order. NULL-terminated.
 */
struct store_sort_key {
	const char *name, *expr;
};

/*
 * Appends " ORDER BY <key> [DESC], <id_expr> [DESC] LIMIT n OFFSET m" to sql
 * (the LIMIT only when pg->limit >= 0). ERR_USAGE for an unknown sort key or
 * a negative skip.
 */
int store_page_append(struct buf *sql, const struct store_page *pg, const struct store_sort_key *keys,
		      const char *id_expr, struct err *e);

/*
 * The status filter: appends "<joiner> <col> = ?" and returns 1 when
 * pg->status is set (bind pg->status as the next parameter), 0 when not;
 * ERR_USAGE naming the allowed values when it is not one of ent's.
 */
int store_page_status(struct buf *sql, const struct store_page *pg, enum status_entity ent, const char *joiner,
		      const char *col, struct err *e);

#endif

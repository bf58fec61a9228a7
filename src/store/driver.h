/*
 * The driver vtable behind store.h (one struct of function pointers,
 * one file per backend: docs/architecture.md, Conventions: interfaces). Only store.c and the drivers include this.
 */
#ifndef STORE_DRIVER_H
#define STORE_DRIVER_H
#include "store/store.h"

struct store_driver {
	const char *name;
	enum store_dialect dialect;
	int (*open)(struct store *s, const char *url, struct err *e);
	void (*close)(struct store *s);
	int (*exec)(struct store *s, struct err *e, int64_t *changes, const char *sql, size_t n,
		    const struct store_val *p);
	int (*exec_script)(struct store *s, const char *sql, struct err *e);
	int (*query)(struct store *s, struct store_cursor **out, struct err *e, const char *sql, size_t n,
		     const struct store_val *p);
};

/* Common header of every cursor; drivers embed it first. */
struct store_cursor_ops {
	int (*next)(struct store_cursor *c, struct err *e);
	int (*ncols)(const struct store_cursor *c);
	const char *(*name)(const struct store_cursor *c, int col);
	int (*isnull)(const struct store_cursor *c, int col);
	int64_t (*get_int)(const struct store_cursor *c, int col);
	double (*get_real)(const struct store_cursor *c, int col);
	const char *(*get_text)(const struct store_cursor *c, int col);
	const void *(*get_blob)(const struct store_cursor *c, int col, size_t *n);
	void (*free)(struct store_cursor *c);
};
struct store_cursor {
	const struct store_cursor_ops *ops;
};

struct store {
	const struct store_driver *drv;
	char *url;
	int in_tx;
	int last_unique_violation;
	void *impl; /* driver state */
};

extern const struct store_driver store_driver_sqlite;
extern const struct store_driver store_driver_pg;

#endif

/*
 * Versioned schema migrations, the same on both drivers. Migration N is a
 * SQL script with one dialect token, {{PK}} (an auto-increment 64-bit primary
 * key). store_open() applies the missing ones in one transaction under the
 * write lock (SQLite) or an advisory lock (PostgreSQL), so several processes
 * opening a new database at once migrate it exactly once. A database whose
 * version is newer than this build knows is refused, never touched.
 */
#ifndef STORE_MIGRATE_H
#define STORE_MIGRATE_H
#include "store/store.h"

int store_migrate(struct store *s, struct err *e);
/* Only checks that the schema is not newer than this build. */
int store_migrate_check(struct store *s, struct err *e);

struct store_migration {
	int version;
	const char *name;
	const char *sql;
	const char *pg_sql; /* PostgreSQL-only statements run after sql (storage settings), or NULL */
};
/* The migrations, in order (migrations.c). */
extern const struct store_migration store_migrations[];
extern const int store_migrations_count;

#endif

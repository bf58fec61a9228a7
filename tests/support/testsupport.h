/*
 * Shared helpers of the C test suites: temporary folders, the shared
 * fixtures folder, and a fresh database per test for the driver the suite
 * runs under (CIMINER_TEST_DRIVER=sqlite|pg; see tests/tests.cmake).
 */
#ifndef TESTS_SUPPORT_H
#define TESTS_SUPPORT_H
#include <stddef.h>

/*
 * A fresh empty folder under $TMPDIR; the caller frees the string. The folder
 * is removed when the test process exits (also after a failed assertion).
 */
char *ts_tempdir(const char *tag);
/* Path of ../shared/fixtures/<rel>, or NULL when the fixtures are absent (skip then). */
char *ts_fixture(const char *rel);
/* "sqlite" or "pg" */
const char *ts_driver(void);
/*
 * URL of a new empty database for this test: a file in a temp folder for
 * SQLite, a freshly created database on the suite's server for PostgreSQL.
 * The caller frees it; the folder or database goes when the process exits. Returns NULL (and says why on stderr) when the pg
 * server is not available.
 */
char *ts_new_db_url(void);
/* Path of the built ciminer binary (CIMINER_BIN). */
const char *ts_ciminer_bin(void);
/* Runs a shell command, returning its exit status; output captured into *out when out != NULL (caller frees). */
int ts_run(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

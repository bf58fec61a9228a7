/*
 * libFuzzer target for the CSV import of build sources
 * (src/pipeline/source_import.c, libcsv underneath): each input is a CSV file
 * imported into a real SQLite database. Beyond "no crash, no leak, no
 * undefined behaviour" it checks the importer's promises: a refused file
 * writes nothing (all-or-nothing), and an accepted one stores exactly its
 * accepted and invalid rows, with rows = accepted + invalid + duplicates.
 * The source is deleted again so that the database stays small.
 */
#include "fuzz_support.h"
#include "pipeline/source.h"
#include "store/sources.h"
#include <stdio.h>
#include <stdlib.h>

static struct store *db;

static int64_t count(const char *sql, int64_t id)
{
	struct store_val p[] = { sv_int(id) };
	int64_t n = -1;
	struct err e = ERR_INIT;
	if (store_query_int(db, &n, &e, sql, id ? 1 : 0, p) != 0) {
		fprintf(stderr, "fuzz_csv: %s\n", e.msg);
		abort();
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = ERR_INIT;
	if (!db) {
		char url[4200];
		snprintf(url, sizeof(url), "sqlite://%s/fuzz.db", fuzz_dir());
		if (store_open(&db, url, &e) != 0 || store_exec(db, &e, NULL, "PRAGMA synchronous = OFF", 0, NULL) != 0) {
			fprintf(stderr, "fuzz_csv: %s\n", e.msg);
			abort();
		}
	}
	struct source_import_opts o = { .path = fuzz_write("builds.csv", data, size) };
	struct source_import_result res = { 0 };
	int64_t before = count("SELECT COUNT(*) FROM source_builds", 0);
	int rc = source_import(db, &o, &res, &e);
	if (rc != 0) {
		if (count("SELECT COUNT(*) FROM source_builds", 0) != before || !e.msg[0])
			abort(); /* a refused file wrote rows, or said nothing about why */
		return 0;
	}
	if (res.rows != res.accepted + res.invalid + res.duplicates ||
	    count("SELECT COUNT(*) FROM source_builds WHERE source_id = ?", res.source_id) != res.accepted + res.invalid)
		abort();
	if (sources_delete(db, res.source_id, &e) != 0) {
		fprintf(stderr, "fuzz_csv: %s\n", e.msg);
		abort();
	}
	return 0;
}

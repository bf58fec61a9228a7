/* Scratch files for the fuzz targets (see fuzz_support.h). */
#include "fuzz_support.h"
#include "core/fs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[4096];
static char path[8][4096];

static void remove_dir(void)
{
	fs_remove_tree(dir, NULL);
}

const char *fuzz_dir(void)
{
	if (dir[0])
		return dir;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/ciminer-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(remove_dir);
	return dir;
}

const char *fuzz_write(const char *name, const void *data, size_t len)
{
	static const char *names[8];
	size_t slot = 0;
	while (slot < 8 && names[slot] && strcmp(names[slot], name) != 0)
		slot++;
	if (slot == 8)
		abort(); /* more distinct names than slots: a harness bug */
	names[slot] = name;
	snprintf(path[slot], sizeof(path[slot]), "%s/%s", fuzz_dir(), name);
	FILE *f = fopen(path[slot], "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
		perror("fuzz: writing a scratch file");
		abort();
	}
	return path[slot];
}

/* Closest-word suggestions (see suggest.h). */
#include "core/suggest.h"
#include <string.h>

size_t suggest_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), prev[64], cur[64];
	if (n >= 63 || m >= 63)
		return 99;
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(size_t) * (m + 1));
	}
	return prev[m];
}

const char *suggest_closest(const char *typed, const char *const *words, size_t n)
{
	const char *best = NULL, *prefixed = NULL;
	size_t bd = 3, len = strlen(typed), nprefixed = 0;
	for (size_t i = 0; i < n; i++) {
		if (!words[i])
			continue;
		size_t d = suggest_distance(typed, words[i]);
		if (d < bd && 2 * d < len) {
			bd = d;
			best = words[i];
		}
		if (len >= 2 && strncmp(words[i], typed, len) == 0) {
			prefixed = words[i];
			nprefixed++;
		}
	}
	return best ? best : nprefixed == 1 ? prefixed : NULL;
}

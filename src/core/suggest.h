/*
 * "Did you mean ...?": the closest of a list of known words to a misspelt
 * one, for unknown commands, options and scenario keys. Pure functions, no
 * allocation; returned pointers are borrowed from the caller's list.
 */
#ifndef CORE_SUGGEST_H
#define CORE_SUGGEST_H
#include <stddef.h>

/* Levenshtein distance of a and b; a large number (99) when either is 63 bytes or longer. */
size_t suggest_distance(const char *a, const char *b);
/*
 * The word of words[0..n) (NULL entries skipped) closest to typed, when it is
 * close enough to be a likely misspelling (distance at most 2, and less than
 * half of typed's length), or a word that typed is a prefix of when only one
 * is; NULL otherwise.
 */
const char *suggest_closest(const char *typed, const char *const *words, size_t n);

#endif

/*
 * strmap.h - a string -> size_t hash map (open addressing) for name lookups
 * in readers (layer names, Keras layer names). Keys are borrowed: they must
 * outlive the map. Internal to src/.
 */
#ifndef TINYFIT_STRMAP_H
#define TINYFIT_STRMAP_H

#include <stddef.h>

struct tfit_strmap {
	const char **keys;
	size_t *vals;
	size_t cap;   /* power of two, or 0 */
	size_t n;
	int fold_case;  /* ASCII letters compare and hash case-insensitively */
};

void tfit_strmap_init(struct tfit_strmap *m);
/* An empty map whose keys are ASCII case-insensitive ("ESP32" == "esp32"). */
void tfit_strmap_init_ci(struct tfit_strmap *m);
void tfit_strmap_release(struct tfit_strmap *m);
/* Insert or replace (the value and the borrowed key pointer). 0 or -1 on OOM. */
int tfit_strmap_put(struct tfit_strmap *m, const char *key, size_t val);
/* 1 and *val when found, else 0. */
int tfit_strmap_get(const struct tfit_strmap *m, const char *key, size_t *val);

/* Levenshtein distance (capped at 99 for long strings), for "did you mean". */
size_t tfit_edit_distance(const char *a, const char *b);

#endif

/* strmap.c - string hash map and edit distance (see strmap.h). */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void tfit_strmap_init(struct tfit_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void tfit_strmap_init_ci(struct tfit_strmap *m)
{
	memset(m, 0, sizeof(*m));
	m->fold_case = 1;
}

void tfit_strmap_release(struct tfit_strmap *m)
{
	int fold = m->fold_case;
	free((void *)m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
	m->fold_case = fold;
}

static unsigned char fold(int on, unsigned char c)
{
	return on && c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* FNV-1a, 64-bit. */
static uint64_t hash_key(const struct tfit_strmap *m, const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s; s++) {
		h ^= fold(m->fold_case, (unsigned char)*s);
		h *= 1099511628211ULL;
	}
	return h;
}

static int same_key(const struct tfit_strmap *m, const char *a, const char *b)
{
	if (!m->fold_case)
		return strcmp(a, b) == 0;
	for (; *a && *b; a++, b++)
		if (fold(1, (unsigned char)*a) != fold(1, (unsigned char)*b))
			return 0;
	return *a == *b;
}

static int rehash(struct tfit_strmap *m, size_t cap)
{
	const char **keys = calloc(cap, sizeof(*keys));
	size_t *vals = calloc(cap, sizeof(*vals));
	size_t i;
	if (!keys || !vals) {
		free((void *)keys);
		free(vals);
		return -1;
	}
	for (i = 0; i < m->cap; i++) {
		size_t j;
		if (!m->keys[i])
			continue;
		j = (size_t)hash_key(m, m->keys[i]) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free((void *)m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

int tfit_strmap_put(struct tfit_strmap *m, const char *key, size_t val)
{
	size_t j;
	if ((m->n + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 64) != 0)
		return -1;
	j = (size_t)hash_key(m, key) & (m->cap - 1);
	while (m->keys[j]) {
		if (same_key(m, m->keys[j], key)) {
			m->keys[j] = key; /* the equal key given last: the old may be freed */
			m->vals[j] = val;
			return 0;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j] = key;
	m->vals[j] = val;
	m->n++;
	return 0;
}

int tfit_strmap_get(const struct tfit_strmap *m, const char *key, size_t *val)
{
	size_t j;
	if (m->cap == 0)
		return 0;
	j = (size_t)hash_key(m, key) & (m->cap - 1);
	while (m->keys[j]) {
		if (same_key(m, m->keys[j], key)) {
			*val = m->vals[j];
			return 1;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return 0;
}

size_t tfit_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[65];
	if (la > 64 || lb > 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

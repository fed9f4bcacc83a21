/* pool.c - a grow-only block pool (see pool.h). */
#include "util/pool.h"

#include <stdlib.h>
#include <string.h>

/*
 * Chunk sizes double from POOL_FIRST to POOL_MAX bytes. A request over
 * POOL_MAX / 4 gets a chunk of its own, linked behind the newest so that
 * the newest keeps filling (its unused tail is never more than a quarter
 * of a chunk lost to a large request). A chunk of POOL_MAX is a mapping
 * of its own in glibc (over its 128 KiB mmap threshold): the pages of its
 * unused tail are never touched, so they are not resident.
 */
#define POOL_FIRST 1024u
#define POOL_MAX (1024u * 1024u)

struct tfit_pool_chunk {
	struct tfit_pool_chunk *next;
	size_t used, cap;
	uint64_t data[]; /* 8-aligned; used as bytes */
};

void *tfit_pool_alloc(struct tfit_pool_chunk **pool, size_t bytes, size_t align)
{
	struct tfit_pool_chunk *c = *pool;
	size_t at, cap;
	if (bytes == 0 || align == 0 || align > 8 || (align & (align - 1)))
		return NULL;
	if (c) {
		at = (c->used + align - 1) & ~(align - 1);
		if (at <= c->cap && bytes <= c->cap - at) {
			c->used = at + bytes;
			return (char *)c->data + at;
		}
	}
	if (bytes > SIZE_MAX / 2 - sizeof(*c))
		return NULL;
	if (bytes > POOL_MAX / 4) {
		struct tfit_pool_chunk *own = malloc(sizeof(*own) + bytes);
		if (!own)
			return NULL;
		own->used = own->cap = bytes;
		if (c) {
			own->next = c->next;
			c->next = own;
		} else {
			own->next = NULL;
			*pool = own;
		}
		return own->data;
	}
	cap = c ? (c->cap >= POOL_MAX / 2 ? POOL_MAX : c->cap * 2) : POOL_FIRST;
	while (cap < bytes)
		cap *= 2;
	if (!(c = malloc(sizeof(*c) + cap)))
		return NULL;
	c->next = *pool;
	c->used = bytes;
	c->cap = cap;
	*pool = c;
	return c->data;
}

int tfit_pool_strdup(struct tfit_pool_chunk **pool, char **dst, const char *s)
{
	size_t n;
	*dst = NULL;
	if (!s)
		return 0;
	n = strlen(s);
	if (n == SIZE_MAX || !(*dst = tfit_pool_alloc(pool, n + 1, 1)))
		return -1;
	memcpy(*dst, s, n + 1);
	return 0;
}

void tfit_pool_free(struct tfit_pool_chunk **pool)
{
	struct tfit_pool_chunk *c = *pool, *next;
	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	*pool = NULL;
}

void tfit_pool_count(const struct tfit_pool_chunk *pool, uint64_t *blocks, uint64_t *bytes)
{
	for (; pool; pool = pool->next) {
		(*blocks)++;
		*bytes += sizeof(*pool) + pool->cap;
	}
}

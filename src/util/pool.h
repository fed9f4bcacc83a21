/*
 * pool.h - a grow-only block pool for many small allocations that live and
 * die together (the IR's names and index blocks, graph.c; a layer list's
 * strings, layer.c). Internal to src/.
 *
 * A pool is a list of chunks, newest first, its head a
 * `struct tfit_pool_chunk *` that starts NULL. Chunks double from 1 KiB to
 * 1 MiB, so n small allocations cost O(log n + n / 1 MiB) malloc blocks and
 * their own bytes, instead of n blocks of at least 32 bytes each (glibc's
 * smallest chunk, header included). Nothing is freed before
 * tfit_pool_free() frees the whole pool.
 */
#ifndef TINYFIT_UTIL_POOL_H
#define TINYFIT_UTIL_POOL_H

#include <stddef.h>
#include <stdint.h>

struct tfit_pool_chunk;

/* bytes (> 0) aligned to align (1, 2, 4 or 8), or NULL on OOM or when
 * bytes is absurd. */
void *tfit_pool_alloc(struct tfit_pool_chunk **pool, size_t bytes, size_t align);

/* A copy of s in the pool (NULL stays NULL). 0, or -1 on OOM (*dst NULL). */
int tfit_pool_strdup(struct tfit_pool_chunk **pool, char **dst, const char *s);

/* Free every chunk; *pool becomes NULL. */
void tfit_pool_free(struct tfit_pool_chunk **pool);

/* The pool's chunks and their bytes as requested from malloc (adds to
 * *blocks and *bytes). */
void tfit_pool_count(const struct tfit_pool_chunk *pool, uint64_t *blocks, uint64_t *bytes);

#endif

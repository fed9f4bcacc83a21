/*
 * flatbuf_write.h - writing FlatBuffers objects in front of an existing
 * buffer (internal to src/model/): the little-endian stores, the
 * references and the vectors of offsets that the two .tflite writers share,
 * tflite_writer.c (an OfflineMemoryAllocation plan) and tflite_rewrite.c
 * (a patched subgraph). Both PREPEND new objects to the original file,
 * which follows them byte for byte, so every new offset points forward:
 * either to another new object or into the original.
 *
 * Positions of new objects are distances back from the END of the new
 * prefix (the start of the original): a distance does not change when
 * more objects are put in front, and a uoffset stored at distance s to an
 * object at distance d is s - d, to the original's object at position p
 * (from the original's start) s + p. Reading the original goes through the
 * bounds-checked reader (flatbuf.h); nothing here allocates.
 */
#ifndef TINYFIT_FLATBUF_WRITE_H
#define TINYFIT_FLATBUF_WRITE_H

#include <stdint.h>

#include "model/flatbuf.h"

/* What a new offset points to: a new object at distance v from the
 * prefix's end (orig 0), or the original's object at position v (orig 1). */
struct fb_ref {
	int orig;
	uint64_t v;
};

struct fb_ref tfit_fb_new_ref(uint64_t dist);
struct fb_ref tfit_fb_orig_ref(uint64_t pos);

/* Little-endian stores. */
void tfit_fb_put_u16(uint8_t *p, uint16_t v);
void tfit_fb_put_u32(uint8_t *p, uint32_t v);

/* A uoffset to r, stored at p, which is `dist` bytes before the prefix's end. */
void tfit_fb_put_offset(uint8_t *p, uint64_t dist, struct fb_ref r);

/* A vector of n uoffsets to r[0..n) (its length, then the offsets), stored
 * at p, which is `dist` bytes before the prefix's end; 4 + 4 n bytes. */
void tfit_fb_put_offset_vec(uint8_t *p, uint64_t dist, const struct fb_ref *r, uint32_t n);

/* The original's position that the uoffset stored at pos points to; 0 when
 * pos is 0 or the offset or its target lies outside the buffer. */
uint64_t tfit_fb_offset_target(struct fb_reader *r, uint64_t pos);

#endif

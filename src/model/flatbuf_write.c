/*
 * flatbuf_write.c - the FlatBuffers stores, references and offset vectors
 * the .tflite writers share (flatbuf_write.h).
 */
#include "model/flatbuf_write.h"

struct fb_ref tfit_fb_new_ref(uint64_t dist)
{
	struct fb_ref r = { 0, dist };
	return r;
}

struct fb_ref tfit_fb_orig_ref(uint64_t pos)
{
	struct fb_ref r = { 1, pos };
	return r;
}

void tfit_fb_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void tfit_fb_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void tfit_fb_put_offset(uint8_t *p, uint64_t dist, struct fb_ref r)
{
	tfit_fb_put_u32(p, (uint32_t)(r.orig ? r.v + dist : dist - r.v));
}

void tfit_fb_put_offset_vec(uint8_t *p, uint64_t dist, const struct fb_ref *r, uint32_t n)
{
	uint32_t i;
	tfit_fb_put_u32(p, n);
	for (i = 0; i < n; i++)
		tfit_fb_put_offset(p + 4 + 4 * (uint64_t)i, dist - 4 - 4 * (uint64_t)i, r[i]);
}

uint64_t tfit_fb_offset_target(struct fb_reader *r, uint64_t pos)
{
	uint64_t t;
	if (!pos || pos + 4 > r->len)
		return 0;
	t = pos + tfit_fb_u32_at(r, pos);
	return t < r->len ? t : 0;
}

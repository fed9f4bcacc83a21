/*
 * tflite_writer.c - tfit_tflite_add_offline_plan(): a copy of a .tflite
 * with an OfflineMemoryAllocation metadata entry, every other byte of the
 * model's meaning unchanged.
 *
 * FlatBuffers offsets (uoffset32) only point forward, so new objects can be
 * PREPENDED and point into the untouched original. The output is
 *
 *   [ new header: root offset, "TFL3"
 *     new Model table (and its vtable): version copied, every other field an
 *       offset to the original's object, except
 *     buffers:  a new vector, the original's Buffer offsets + one new Buffer
 *     metadata: a new vector, the original's Metadata offsets + one new
 *       Metadata {name "OfflineMemoryAllocation", buffer = the new Buffer}
 *     the new Buffer, its data: int32 little-endian words
 *       [version 1, subgraph count, n, offset_0 ... offset_n-1]
 *       (tflite-micro 90b983c2b3f1 micro_allocation_info.cc
 *       GetOfflinePlannedOffsets; docs/memory_management.md), 16-aligned
 *     padding to a multiple of 16 ]
 *   [ the original file, byte for byte ]
 *
 * Everything in the original keeps its alignment (it moves by a multiple
 * of 16) and its meaning (its internal offsets are relative); the old root
 * Model table stays in the file, unreferenced. Buffer indices do not change
 * (the new Buffer is appended last), so tensors keep their data.
 *
 * Refused (TFIT_ERR_INPUT): a Buffer that stores its data by absolute file
 * offset (Buffer.offset > 1, the >2 GB layout: prepending would move it), a
 * Model field this schema does not know (index >= 10: it could be an offset
 * or not), an existing OfflineMemoryAllocation entry, an output of 2 GiB or
 * more. The input must already have been read successfully by
 * tfit_tflite_read_buffer() (its structure is trusted but still bounds-checked).
 */
#include "model/flatbuf.h"
#include "model/flatbuf_write.h"
#include "tinyfit/model_io.h"

#include <stdlib.h>
#include <string.h>

/* Model fields (schema.fbs, tflite-micro 90b983c2b3f1). */
enum { M_VERSION = 0, M_BUFFERS = 4, M_METADATA = 6, M_FIELDS = 10 };
enum { B_DATA = 0, B_OFFSET = 1 };
enum { MD_NAME = 0 };

static const char plan_name[] = "OfflineMemoryAllocation";

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* Where each new object goes in the prefix, in address order; every offset
 * in it points forward. */
struct prefix_layout {
	uint64_t model_vt, model, bufs, mds, buf_vt, buf, md_vt, md, name, data, plan_bytes,
		prefix;
};

static void layout(uint32_t n_bufs, uint32_t n_mds, uint32_t n_offsets, struct prefix_layout *l)
{
	l->model_vt = 8;                                          /* 4 + 2 * 10 fields */
	l->model = align_up(l->model_vt + 4 + 2 * M_FIELDS, 4);   /* soffset + 10 x 4 */
	l->bufs = l->model + 4 + 4 * M_FIELDS;
	l->mds = l->bufs + 4 + 4 * ((uint64_t)n_bufs + 1);
	l->buf_vt = l->mds + 4 + 4 * ((uint64_t)n_mds + 1);       /* 4 + 2: data */
	l->buf = align_up(l->buf_vt + 6, 4);                      /* soffset + data */
	l->md_vt = l->buf + 8;                                    /* 4 + 2 x 2 */
	l->md = l->md_vt + 8;                                     /* soffset, name, buffer */
	l->name = l->md + 12;
	l->plan_bytes = 12 + 4 * (uint64_t)n_offsets;
	l->data = align_up(l->name + 4 + sizeof(plan_name) + 4, 16); /* length before it */
	l->prefix = align_up(l->data + l->plan_bytes, 16);
}

uint64_t tfit_tflite_offline_plan_growth(uint32_t n_buffers, uint32_t n_metadata,
					 uint32_t n_offsets)
{
	struct prefix_layout l;
	layout(n_buffers, n_metadata, n_offsets, &l);
	return l.prefix;
}

/* Absolute target of the uoffset stored at pos (0 when outside the input). */
/* A vector of offsets at position at of the output: the original vector
 * v's entries, then one to the new object at position extra (positions
 * from the output's start; the original follows the prefix). refs has
 * room for v->n + 1. */
static void put_vec_plus_one(uint8_t *o, struct fb_reader *r, const struct fb_vec *v,
			     uint64_t at, uint64_t extra, uint64_t prefix, struct fb_ref *refs)
{
	uint32_t i;
	for (i = 0; i < v->n; i++)
		refs[i] = tfit_fb_orig_ref(tfit_fb_offset_target(r, v->elems + 4 * (uint64_t)i));
	refs[v->n] = tfit_fb_new_ref(prefix - extra);
	tfit_fb_put_offset_vec(o + at, prefix - at, refs, v->n + 1);
}

enum tfit_status tfit_tflite_add_offline_plan(const void *data, size_t len, const char *name,
					      const int32_t *offsets, uint32_t n_offsets,
					      uint32_t n_subgraphs, uint8_t **out,
					      size_t *out_len, struct tfit_error *err)
{
	struct fb_reader r;
	struct fb_table root;
	struct fb_vec bufs, mds;
	int has_bufs = 0, has_mds = 0;
	uint64_t field_pos[M_FIELDS], p_model_vt, p_model, p_bufs, p_mds, p_buf_vt, p_buf,
		p_md_vt, p_md, p_name, p_data, prefix, total, plan_bytes;
	unsigned f, nf;
	uint32_t i;
	uint8_t *o = NULL;
	struct fb_ref *refs = NULL;
	struct prefix_layout L;
	enum tfit_status st;

	*out = NULL;
	*out_len = 0;
	tfit_fb_reader_init(&r, data, len, name, err, 64 * (uint64_t)len + 4096);
	if ((st = tfit_fb_root(&r, "TFL3", "Model", &root)) != TFIT_OK)
		return st;
	nf = tfit_fb_field_count(&root);
	for (f = 0; f < nf; f++) {
		uint64_t pos = tfit_fb_field_pos(&r, &root, f);
		if (f >= M_FIELDS && pos)
			return tfit_fb_fail(&r, NULL, "Model field %u is not in the TFLite schema "
				       "tinyfit knows (10 fields): cannot rewrite the model", f);
		if (f < M_FIELDS)
			field_pos[f] = pos;
	}
	for (; f < M_FIELDS; f++)
		field_pos[f] = 0;
	for (f = 1; f < M_FIELDS; f++)
		if (field_pos[f] && !tfit_fb_offset_target(&r, field_pos[f]))
			return tfit_fb_fail(&r, NULL, "Model field %u points outside the file", f);
	if ((st = tfit_fb_vector_field(&r, &root, M_BUFFERS, "buffers", 4, &bufs, &has_bufs)) ||
	    (st = tfit_fb_vector_field(&r, &root, M_METADATA, "metadata", 4, &mds, &has_mds)))
		return st;
	if (!has_bufs)
		bufs.n = 0;
	if (!has_mds)
		mds.n = 0;
	for (i = 0; i < bufs.n; i++) {
		struct fb_table b;
		uint64_t off;
		size_t old = tfit_fb_path_push(&r, "buffers[%lu]", (unsigned long)i);
		if ((st = tfit_fb_vec_table(&r, &bufs, i, root.depth, "Buffer", &b)) ||
		    (st = tfit_fb_u64(&r, &b, B_OFFSET, "offset", 0, &off)))
			return st;
		if (off > 1)
			return tfit_fb_fail(&r, "offset", "the data lives at an absolute file offset "
				       "(the >2 GB layout); tinyfit cannot add metadata to it");
		tfit_fb_path_pop(&r, old);
	}
	for (i = 0; i < mds.n; i++) {
		struct fb_table t;
		struct fb_str s;
		int present;
		size_t old = tfit_fb_path_push(&r, "metadata[%lu]", (unsigned long)i);
		if ((st = tfit_fb_vec_table(&r, &mds, i, root.depth, "Metadata", &t)) ||
		    (st = tfit_fb_string_field(&r, &t, MD_NAME, "name", &s, &present)))
			return st;
		if (present && tfit_fb_str_equals(&r, &s, plan_name))
			return tfit_fb_fail(&r, "name", "the model already has an "
				       "OfflineMemoryAllocation plan");
		tfit_fb_path_pop(&r, old);
	}
	if (bufs.n >= 0x3fffffffu || mds.n >= 0x3fffffffu)
		return tfit_fb_fail(&r, NULL, "too many buffers or metadata entries");

	layout(bufs.n, mds.n, n_offsets, &L);
	p_model_vt = L.model_vt; p_model = L.model; p_bufs = L.bufs; p_mds = L.mds;
	p_buf_vt = L.buf_vt; p_buf = L.buf; p_md_vt = L.md_vt; p_md = L.md; p_name = L.name;
	p_data = L.data; plan_bytes = L.plan_bytes; prefix = L.prefix;
	total = prefix + len;
	if (total >= 0x7fffffffu)
		return tfit_fb_fail(&r, NULL, "the model with its plan would be %llu bytes "
			       "(FlatBuffers offsets stop at 2 GiB)", (unsigned long long)total);
	o = calloc(1, (size_t)total);
	refs = calloc((size_t)(bufs.n > mds.n ? bufs.n : mds.n) + 1, sizeof(*refs));
	if (!o || !refs) {
		free(o);
		free(refs);
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	}
	memcpy(o + prefix, data, len);

	tfit_fb_put_u32(o, (uint32_t)p_model);
	memcpy(o + 4, "TFL3", 4);
	/* Model vtable and table: slot f at p_model + 4 + 4f */
	tfit_fb_put_u16(o + p_model_vt, 4 + 2 * M_FIELDS);
	tfit_fb_put_u16(o + p_model_vt + 2, 4 + 4 * M_FIELDS);
	tfit_fb_put_u32(o + p_model, (uint32_t)(p_model - p_model_vt));
	for (f = 0; f < M_FIELDS; f++) {
		uint64_t slot = p_model + 4 + 4 * (uint64_t)f, target;
		if (f == M_BUFFERS)
			target = p_bufs;
		else if (f == M_METADATA)
			target = p_mds;
		else if (!field_pos[f])
			continue;
		else if (f == M_VERSION) {
			tfit_fb_put_u32(o + slot, tfit_fb_u32_at(&r, field_pos[f]));
			tfit_fb_put_u16(o + p_model_vt + 4 + 2 * f, (uint16_t)(slot - p_model));
			continue;
		} else
			target = prefix + tfit_fb_offset_target(&r, field_pos[f]);
		tfit_fb_put_u32(o + slot, (uint32_t)(target - slot));
		tfit_fb_put_u16(o + p_model_vt + 4 + 2 * f, (uint16_t)(slot - p_model));
	}
	/* buffers: the original ones, then the plan's; metadata: the original
	 * entries, then the plan's */
	put_vec_plus_one(o, &r, &bufs, p_bufs, p_buf, prefix, refs);
	put_vec_plus_one(o, &r, &mds, p_mds, p_md, prefix, refs);
	free(refs);
	/* Buffer { data } */
	tfit_fb_put_u16(o + p_buf_vt, 6);
	tfit_fb_put_u16(o + p_buf_vt + 2, 8);
	tfit_fb_put_u16(o + p_buf_vt + 4, 4);
	tfit_fb_put_u32(o + p_buf, (uint32_t)(p_buf - p_buf_vt));
	tfit_fb_put_u32(o + p_buf + 4, (uint32_t)(p_data - 4 - (p_buf + 4)));
	/* Metadata { name, buffer } */
	tfit_fb_put_u16(o + p_md_vt, 8);
	tfit_fb_put_u16(o + p_md_vt + 2, 12);
	tfit_fb_put_u16(o + p_md_vt + 4, 4);
	tfit_fb_put_u16(o + p_md_vt + 6, 8);
	tfit_fb_put_u32(o + p_md, (uint32_t)(p_md - p_md_vt));
	tfit_fb_put_u32(o + p_md + 4, (uint32_t)(p_name - (p_md + 4)));
	tfit_fb_put_u32(o + p_md + 8, bufs.n); /* the new Buffer's index */
	tfit_fb_put_u32(o + p_name, (uint32_t)(sizeof(plan_name) - 1));
	memcpy(o + p_name + 4, plan_name, sizeof(plan_name)); /* with its NUL */
	/* the plan: [version, subgraphs, n, offsets...] as a ubyte vector */
	tfit_fb_put_u32(o + p_data - 4, (uint32_t)plan_bytes);
	tfit_fb_put_u32(o + p_data, 1);
	tfit_fb_put_u32(o + p_data + 4, n_subgraphs);
	tfit_fb_put_u32(o + p_data + 8, n_offsets);
	for (i = 0; i < n_offsets; i++)
		tfit_fb_put_u32(o + p_data + 12 + 4 * (uint64_t)i, (uint32_t)offsets[i]);
	*out = o;
	*out_len = (size_t)total;
	return TFIT_OK;
}

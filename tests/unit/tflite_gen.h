/*
 * tflite_gen.h - a test helper that writes .tflite flatbuffers in memory
 * (from a small model description) and records where every structure
 * starts, so tests can truncate and corrupt them precisely.
 *
 * The builder writes front to back: a table's vtable, then the table, then
 * its children (vectors, strings, sub-tables), patching the parent's offset
 * slots as children land, so every uoffset points forwards as the format
 * requires. Alignment follows the FlatBuffers rules (tables and vectors at
 * 4, 8-byte scalars and int64 vectors at 8, buffer data at 16).
 *
 * Header-only (static inline) so that each test executable includes it.
 * Layout: field numbers are those of TFLite's schema.fbs.
 */
#ifndef TFLITE_GEN_H
#define TFLITE_GEN_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- byte builder ------------------------------------------------------ */

#define GEN_MAX_MARKS 4096

struct gen_mark {
	char what[64];
	size_t pos;
};

struct fbb {
	uint8_t *buf;
	size_t len, cap;
	struct gen_mark marks[GEN_MAX_MARKS];
	size_t n_marks;
	int oom;
};

static inline void fbb_init(struct fbb *b)
{
	memset(b, 0, sizeof(*b));
}

static inline void fbb_free(struct fbb *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

static inline void fbb_reserve(struct fbb *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	while (b->len + n > b->cap)
		b->cap = b->cap ? b->cap * 2 : 1024;
	b->buf = realloc(b->buf, b->cap);
	if (!b->buf) {
		fprintf(stderr, "tflite_gen: out of memory\n");
		abort();
	}
}

static inline size_t fbb_bytes(struct fbb *b, const void *p, size_t n)
{
	size_t pos = b->len;
	fbb_reserve(b, n);
	if (p)
		memcpy(b->buf + b->len, p, n);
	else
		memset(b->buf + b->len, 0, n);
	b->len += n;
	return pos;
}

static inline void fbb_align(struct fbb *b, size_t a)
{
	while (b->len % a)
		fbb_bytes(b, NULL, 1);
}

static inline void fbb_put16(struct fbb *b, size_t pos, uint16_t v)
{
	b->buf[pos] = (uint8_t)v;
	b->buf[pos + 1] = (uint8_t)(v >> 8);
}

static inline void fbb_put32(struct fbb *b, size_t pos, uint32_t v)
{
	int i;
	for (i = 0; i < 4; i++)
		b->buf[pos + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static inline void fbb_put64(struct fbb *b, size_t pos, uint64_t v)
{
	fbb_put32(b, pos, (uint32_t)v);
	fbb_put32(b, pos + 4, (uint32_t)(v >> 32));
}

static inline uint32_t fbb_get32(const struct fbb *b, size_t pos)
{
	return (uint32_t)b->buf[pos] | ((uint32_t)b->buf[pos + 1] << 8) |
	       ((uint32_t)b->buf[pos + 2] << 16) | ((uint32_t)b->buf[pos + 3] << 24);
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static inline void fbb_mark(struct fbb *b, size_t pos, const char *fmt, ...)
{
	va_list ap;
	if (b->n_marks >= GEN_MAX_MARKS)
		return;
	va_start(ap, fmt);
	vsnprintf(b->marks[b->n_marks].what, sizeof(b->marks[0].what), fmt, ap);
	va_end(ap);
	b->marks[b->n_marks++].pos = pos;
}

/* Position recorded for a mark name (first match), or (size_t)-1. */
static inline size_t fbb_find(const struct fbb *b, const char *what)
{
	size_t i;
	for (i = 0; i < b->n_marks; i++)
		if (strcmp(b->marks[i].what, what) == 0)
			return b->marks[i].pos;
	return (size_t)-1;
}

/* Make the uoffset slot at `slot` point at `target` (target > slot). */
static inline void fbb_patch(struct fbb *b, size_t slot, size_t target)
{
	fbb_put32(b, slot, (uint32_t)(target - slot));
}

/* A table under construction: vtable written first, then inline fields. */
#define GEN_MAX_FIELDS 16

struct gen_table {
	size_t vt;        /* vtable position */
	size_t pos;       /* table position */
	unsigned nf;
};

static inline struct gen_table fbb_table_begin(struct fbb *b, unsigned nf)
{
	struct gen_table t;
	fbb_align(b, 4);
	t.nf = nf;
	t.vt = fbb_bytes(b, NULL, 4 + 2 * (size_t)nf);
	fbb_put16(b, t.vt, (uint16_t)(4 + 2 * nf));
	fbb_align(b, 8);
	t.pos = fbb_bytes(b, NULL, 4);
	fbb_put32(b, t.pos, (uint32_t)(t.pos - t.vt)); /* soffset: table - vtable */
	return t;
}

/* Add an inline scalar field of size n (1, 2, 4, 8) holding v. */
static inline size_t fbb_field(struct fbb *b, struct gen_table *t, unsigned idx,
			       unsigned n, uint64_t v)
{
	size_t pos;
	fbb_align(b, n);
	pos = fbb_bytes(b, NULL, n);
	if (n == 1)
		b->buf[pos] = (uint8_t)v;
	else if (n == 2)
		fbb_put16(b, pos, (uint16_t)v);
	else if (n == 4)
		fbb_put32(b, pos, (uint32_t)v);
	else
		fbb_put64(b, pos, v);
	fbb_put16(b, t->vt + 4 + 2 * (size_t)idx, (uint16_t)(pos - t->pos));
	return pos;
}

/* Reserve an offset field; returns its slot for fbb_patch. */
static inline size_t fbb_field_offset(struct fbb *b, struct gen_table *t, unsigned idx)
{
	return fbb_field(b, t, idx, 4, 0);
}

static inline void fbb_table_end(struct fbb *b, struct gen_table *t)
{
	fbb_put16(b, t->vt + 2, (uint16_t)(b->len - t->pos));
}

/* A vector of n elements of size es (data may be NULL: zeros). */
static inline size_t fbb_vector(struct fbb *b, uint32_t n, unsigned es, const void *data)
{
	size_t pos;
	fbb_align(b, 4);
	if (es == 8 && b->len % 8 == 0)
		fbb_bytes(b, NULL, 4);
	if (es == 1 && n >= 16)
		while ((b->len + 4) % 16)
			fbb_bytes(b, NULL, 4); /* Buffer.data is force_align 16 */
	pos = fbb_bytes(b, NULL, 4);
	fbb_put32(b, pos, n);
	fbb_bytes(b, data, (size_t)n * es);
	return pos;
}

static inline size_t fbb_vec_i32(struct fbb *b, uint32_t n, const int32_t *v)
{
	size_t pos = fbb_vector(b, n, 4, NULL);
	uint32_t i;
	for (i = 0; i < n; i++)
		fbb_put32(b, pos + 4 + 4 * (size_t)i, (uint32_t)v[i]);
	return pos;
}

static inline size_t fbb_string(struct fbb *b, const char *s)
{
	size_t n = strlen(s), pos;
	fbb_align(b, 4);
	pos = fbb_bytes(b, NULL, 4);
	fbb_put32(b, pos, (uint32_t)n);
	fbb_bytes(b, s, n + 1);
	return pos;
}

/* ---- model description ------------------------------------------------- */

#define GEN_MAX 16

struct gen_tensor {
	const char *name;      /* NULL: no name field */
	int8_t type;           /* TensorType */
	int rank;              /* -1: no shape field */
	int32_t shape[GEN_MAX];
	uint32_t buffer;
	int n_scale, n_zero_point; /* > 0: a quantization table */
	int32_t quantized_dimension;
	int is_variable;
	int n_signature;       /* > 0: shape_signature with these first entries */
	int32_t signature[GEN_MAX];
};

struct gen_field {
	unsigned idx, size;
	uint64_t v;
};

struct gen_op {
	uint32_t opcode;
	int n_in, n_out, n_mid;
	int32_t in[GEN_MAX], out[GEN_MAX], mid[GEN_MAX];
	uint8_t options_type;          /* BuiltinOptions union tag; 0 none */
	int n_opt;
	struct gen_field opt[GEN_MAX];  /* fields of the options table */
};

struct gen_opcode {
	int8_t deprecated_builtin;
	int32_t builtin;
	const char *custom;
};

struct gen_subgraph {
	const char *name;
	int n_tensors, n_ops, n_in, n_out;
	struct gen_tensor tensors[GEN_MAX];
	struct gen_op ops[GEN_MAX];
	int32_t in[GEN_MAX], out[GEN_MAX];
};

struct gen_buffer {
	uint32_t data_len;      /* inline data bytes (pattern unless data) */
	const uint8_t *data;
	uint64_t offset, size;  /* Buffer.offset/size when size > 0 */
};

struct gen_metadata {
	const char *name;
	uint32_t buffer;
};

struct gen_model {
	uint32_t version;
	int n_codes, n_subgraphs, n_buffers, n_metadata;
	struct gen_opcode codes[GEN_MAX];
	struct gen_subgraph sg[4];
	struct gen_buffer buffers[GEN_MAX];
	struct gen_metadata metadata[4];
	int no_identifier;      /* write "XXXX" instead of "TFL3" */
};

static inline void gen_tensor(struct gen_tensor *t, const char *name, int8_t type,
			      int rank, const int32_t *shape, uint32_t buffer)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->type = type;
	t->rank = rank;
	if (rank > 0)
		memcpy(t->shape, shape, (size_t)rank * sizeof(int32_t));
	t->buffer = buffer;
}

static inline void gen_write_tensor(struct fbb *b, const struct gen_tensor *t, int si, int ti)
{
	struct gen_table tb = fbb_table_begin(b, 11);
	size_t s_shape = 0, s_name = 0, s_quant = 0, s_sig = 0, p;
	fbb_mark(b, tb.pos, "subgraphs[%d].tensors[%d]", si, ti);
	fbb_mark(b, tb.vt, "subgraphs[%d].tensors[%d].vtable", si, ti);
	if (t->rank >= 0)
		s_shape = fbb_field_offset(b, &tb, 0);
	fbb_field(b, &tb, 1, 1, (uint8_t)t->type);
	fbb_field(b, &tb, 2, 4, t->buffer);
	if (t->name)
		s_name = fbb_field_offset(b, &tb, 3);
	if (t->n_scale > 0 || t->n_zero_point > 0)
		s_quant = fbb_field_offset(b, &tb, 4);
	if (t->is_variable)
		fbb_field(b, &tb, 5, 1, 1);
	if (t->n_signature > 0)
		s_sig = fbb_field_offset(b, &tb, 7);
	fbb_table_end(b, &tb);
	if (s_shape) {
		p = fbb_vec_i32(b, (uint32_t)t->rank, t->shape);
		fbb_patch(b, s_shape, p);
		fbb_mark(b, p, "subgraphs[%d].tensors[%d].shape", si, ti);
	}
	if (s_name) {
		p = fbb_string(b, t->name);
		fbb_patch(b, s_name, p);
		fbb_mark(b, p, "subgraphs[%d].tensors[%d].name", si, ti);
	}
	if (s_quant) {
		struct gen_table q = fbb_table_begin(b, 7);
		size_t s_scale = 0, s_zp = 0;
		fbb_patch(b, s_quant, q.pos);
		fbb_mark(b, q.pos, "subgraphs[%d].tensors[%d].quantization", si, ti);
		if (t->n_scale > 0)
			s_scale = fbb_field_offset(b, &q, 2);
		if (t->n_zero_point > 0)
			s_zp = fbb_field_offset(b, &q, 3);
		if (t->quantized_dimension)
			fbb_field(b, &q, 6, 4, (uint32_t)t->quantized_dimension);
		fbb_table_end(b, &q);
		if (s_scale) {
			p = fbb_vector(b, (uint32_t)t->n_scale, 4, NULL);
			fbb_patch(b, s_scale, p);
			fbb_mark(b, p, "subgraphs[%d].tensors[%d].quantization.scale", si, ti);
		}
		if (s_zp) {
			p = fbb_vector(b, (uint32_t)t->n_zero_point, 8, NULL);
			fbb_patch(b, s_zp, p);
			fbb_mark(b, p, "subgraphs[%d].tensors[%d].quantization.zero_point", si, ti);
		}
	}
	if (s_sig) {
		p = fbb_vec_i32(b, (uint32_t)t->n_signature, t->signature);
		fbb_patch(b, s_sig, p);
	}
}

static inline void gen_write_op(struct fbb *b, const struct gen_op *o, int si, int oi)
{
	struct gen_table tb = fbb_table_begin(b, 9);
	size_t s_in, s_out, s_opt = 0, s_mid = 0, p;
	int i;
	fbb_mark(b, tb.pos, "subgraphs[%d].operators[%d]", si, oi);
	fbb_field(b, &tb, 0, 4, o->opcode);
	s_in = fbb_field_offset(b, &tb, 1);
	s_out = fbb_field_offset(b, &tb, 2);
	if (o->options_type) {
		fbb_field(b, &tb, 3, 1, o->options_type);
		s_opt = fbb_field_offset(b, &tb, 4);
	}
	if (o->n_mid > 0)
		s_mid = fbb_field_offset(b, &tb, 8);
	fbb_table_end(b, &tb);
	p = fbb_vec_i32(b, (uint32_t)o->n_in, o->in);
	fbb_patch(b, s_in, p);
	fbb_mark(b, p, "subgraphs[%d].operators[%d].inputs", si, oi);
	p = fbb_vec_i32(b, (uint32_t)o->n_out, o->out);
	fbb_patch(b, s_out, p);
	fbb_mark(b, p, "subgraphs[%d].operators[%d].outputs", si, oi);
	if (s_mid) {
		p = fbb_vec_i32(b, (uint32_t)o->n_mid, o->mid);
		fbb_patch(b, s_mid, p);
	}
	if (s_opt) {
		unsigned nf = 0;
		struct gen_table ot;
		for (i = 0; i < o->n_opt; i++)
			if (o->opt[i].idx + 1 > nf)
				nf = o->opt[i].idx + 1;
		ot = fbb_table_begin(b, nf);
		fbb_patch(b, s_opt, ot.pos);
		fbb_mark(b, ot.pos, "subgraphs[%d].operators[%d].builtin_options", si, oi);
		for (i = 0; i < o->n_opt; i++)
			fbb_field(b, &ot, o->opt[i].idx, o->opt[i].size, o->opt[i].v);
		fbb_table_end(b, &ot);
	}
}

static inline void gen_write_subgraph(struct fbb *b, const struct gen_subgraph *s, int si)
{
	struct gen_table tb = fbb_table_begin(b, 5);
	size_t s_t, s_in, s_out, s_ops, s_name = 0, vt, vo, p;
	int i;
	fbb_mark(b, tb.pos, "subgraphs[%d]", si);
	s_t = fbb_field_offset(b, &tb, 0);
	s_in = fbb_field_offset(b, &tb, 1);
	s_out = fbb_field_offset(b, &tb, 2);
	s_ops = fbb_field_offset(b, &tb, 3);
	if (s->name)
		s_name = fbb_field_offset(b, &tb, 4);
	fbb_table_end(b, &tb);
	vt = fbb_vector(b, (uint32_t)s->n_tensors, 4, NULL);
	fbb_patch(b, s_t, vt);
	fbb_mark(b, vt, "subgraphs[%d].tensors", si);
	for (i = 0; i < s->n_tensors; i++) {
		char key[64];
		gen_write_tensor(b, &s->tensors[i], si, i);
		snprintf(key, sizeof(key), "subgraphs[%d].tensors[%d]", si, i);
		fbb_patch(b, vt + 4 + 4 * (size_t)i, fbb_find(b, key));
	}
	p = fbb_vec_i32(b, (uint32_t)s->n_in, s->in);
	fbb_patch(b, s_in, p);
	fbb_mark(b, p, "subgraphs[%d].inputs", si);
	p = fbb_vec_i32(b, (uint32_t)s->n_out, s->out);
	fbb_patch(b, s_out, p);
	fbb_mark(b, p, "subgraphs[%d].outputs", si);
	vo = fbb_vector(b, (uint32_t)s->n_ops, 4, NULL);
	fbb_patch(b, s_ops, vo);
	fbb_mark(b, vo, "subgraphs[%d].operators", si);
	for (i = 0; i < s->n_ops; i++) {
		char key[64];
		gen_write_op(b, &s->ops[i], si, i);
		snprintf(key, sizeof(key), "subgraphs[%d].operators[%d]", si, i);
		fbb_patch(b, vo + 4 + 4 * (size_t)i, fbb_find(b, key));
	}
	if (s_name) {
		p = fbb_string(b, s->name);
		fbb_patch(b, s_name, p);
		fbb_mark(b, p, "subgraphs[%d].name", si);
	}
}

/* Write the model; the caller frees b with fbb_free. */
static inline void gen_build(struct fbb *b, const struct gen_model *m)
{
	struct gen_table root;
	size_t s_codes, s_sg, s_buf, s_md = 0, v, p;
	int i;

	fbb_init(b);
	fbb_bytes(b, NULL, 8);
	memcpy(b->buf + 4, m->no_identifier ? "XXXX" : "TFL3", 4);
	root = fbb_table_begin(b, 7);
	fbb_put32(b, 0, (uint32_t)root.pos);
	fbb_mark(b, root.pos, "model");
	fbb_mark(b, root.vt, "model.vtable");
	fbb_field(b, &root, 0, 4, m->version);
	s_codes = fbb_field_offset(b, &root, 1);
	s_sg = fbb_field_offset(b, &root, 2);
	s_buf = fbb_field_offset(b, &root, 4);
	if (m->n_metadata > 0)
		s_md = fbb_field_offset(b, &root, 6);
	fbb_table_end(b, &root);

	v = fbb_vector(b, (uint32_t)m->n_codes, 4, NULL);
	fbb_patch(b, s_codes, v);
	fbb_mark(b, v, "operator_codes");
	for (i = 0; i < m->n_codes; i++) {
		struct gen_table t = fbb_table_begin(b, 4);
		size_t s_custom = 0;
		fbb_patch(b, v + 4 + 4 * (size_t)i, t.pos);
		fbb_mark(b, t.pos, "operator_codes[%d]", i);
		fbb_field(b, &t, 0, 1, (uint8_t)m->codes[i].deprecated_builtin);
		if (m->codes[i].custom)
			s_custom = fbb_field_offset(b, &t, 1);
		fbb_field(b, &t, 3, 4, (uint32_t)m->codes[i].builtin);
		fbb_table_end(b, &t);
		if (s_custom) {
			p = fbb_string(b, m->codes[i].custom);
			fbb_patch(b, s_custom, p);
			fbb_mark(b, p, "operator_codes[%d].custom_code", i);
		}
	}

	v = fbb_vector(b, (uint32_t)m->n_subgraphs, 4, NULL);
	fbb_patch(b, s_sg, v);
	fbb_mark(b, v, "subgraphs");
	for (i = 0; i < m->n_subgraphs; i++) {
		char key[32];
		gen_write_subgraph(b, &m->sg[i], i);
		snprintf(key, sizeof(key), "subgraphs[%d]", i);
		fbb_patch(b, v + 4 + 4 * (size_t)i, fbb_find(b, key));
	}

	v = fbb_vector(b, (uint32_t)m->n_buffers, 4, NULL);
	fbb_patch(b, s_buf, v);
	fbb_mark(b, v, "buffers");
	for (i = 0; i < m->n_buffers; i++) {
		const struct gen_buffer *gb = &m->buffers[i];
		struct gen_table t = fbb_table_begin(b, 3);
		size_t s_data = 0;
		fbb_patch(b, v + 4 + 4 * (size_t)i, t.pos);
		fbb_mark(b, t.pos, "buffers[%d]", i);
		if (gb->data_len > 0)
			s_data = fbb_field_offset(b, &t, 0);
		if (gb->size > 0) {
			fbb_field(b, &t, 1, 8, gb->offset);
			fbb_field(b, &t, 2, 8, gb->size);
		}
		fbb_table_end(b, &t);
		if (s_data) {
			uint32_t k;
			p = fbb_vector(b, gb->data_len, 1, gb->data);
			if (!gb->data)
				for (k = 0; k < gb->data_len; k++)
					b->buf[p + 4 + k] = (uint8_t)(k * 7 + 1);
			fbb_patch(b, s_data, p);
			fbb_mark(b, p, "buffers[%d].data", i);
		}
	}

	if (s_md) {
		v = fbb_vector(b, (uint32_t)m->n_metadata, 4, NULL);
		fbb_patch(b, s_md, v);
		fbb_mark(b, v, "metadata");
		for (i = 0; i < m->n_metadata; i++) {
			struct gen_table t = fbb_table_begin(b, 2);
			size_t s_name = fbb_field_offset(b, &t, 0);
			fbb_patch(b, v + 4 + 4 * (size_t)i, t.pos);
			fbb_mark(b, t.pos, "metadata[%d]", i);
			fbb_field(b, &t, 1, 4, m->metadata[i].buffer);
			fbb_table_end(b, &t);
			p = fbb_string(b, m->metadata[i].name);
			fbb_patch(b, s_name, p);
		}
	}
	fbb_align(b, 16);
}

/*
 * A small valid model: input [1,8,8,2] int8 -> conv_2d 3x3 (4 filters,
 * stride 2, SAME, relu) -> [1,4,4,4] -> fully_connected -> [1,3] ->
 * softmax -> [1,3]. Tensors: 0 input, 1 conv weights, 2 conv bias,
 * 3 conv out, 4 fc weights, 5 fc bias, 6 fc out, 7 softmax out.
 * Buffers: 0 empty, 1..4 weights/biases, 5 empty.
 */
static inline void gen_small_model(struct gen_model *m)
{
	static const int32_t in_shape[] = { 1, 8, 8, 2 };
	static const int32_t w_shape[] = { 4, 3, 3, 2 };
	static const int32_t b_shape[] = { 4 };
	static const int32_t conv_shape[] = { 1, 4, 4, 4 };
	static const int32_t fcw_shape[] = { 3, 64 };
	static const int32_t fcb_shape[] = { 3 };
	static const int32_t fc_shape[] = { 1, 3 };
	struct gen_subgraph *s = &m->sg[0];
	struct gen_op *o;

	memset(m, 0, sizeof(*m));
	m->version = 3;
	m->n_codes = 3;
	m->codes[0].builtin = 3;   /* CONV_2D */
	m->codes[0].deprecated_builtin = 3;
	m->codes[1].builtin = 9;   /* FULLY_CONNECTED */
	m->codes[1].deprecated_builtin = 9;
	m->codes[2].builtin = 25;  /* SOFTMAX */
	m->codes[2].deprecated_builtin = 25;
	m->n_subgraphs = 1;
	s->name = "main";
	s->n_tensors = 8;
	gen_tensor(&s->tensors[0], "input", 9, 4, in_shape, 0);
	s->tensors[0].n_scale = s->tensors[0].n_zero_point = 1;
	gen_tensor(&s->tensors[1], "conv/weights", 9, 4, w_shape, 1);
	s->tensors[1].n_scale = s->tensors[1].n_zero_point = 4;
	gen_tensor(&s->tensors[2], "conv/bias", 2, 1, b_shape, 2);
	gen_tensor(&s->tensors[3], "conv/out", 9, 4, conv_shape, 0);
	gen_tensor(&s->tensors[4], "fc/weights", 9, 2, fcw_shape, 3);
	gen_tensor(&s->tensors[5], "fc/bias", 2, 1, fcb_shape, 4);
	gen_tensor(&s->tensors[6], "fc/out", 9, 2, fc_shape, 0);
	gen_tensor(&s->tensors[7], NULL, 9, 2, fc_shape, 5);
	s->n_in = 1;
	s->in[0] = 0;
	s->n_out = 1;
	s->out[0] = 7;
	s->n_ops = 3;
	o = &s->ops[0];
	o->opcode = 0;
	o->n_in = 3; o->in[0] = 0; o->in[1] = 1; o->in[2] = 2;
	o->n_out = 1; o->out[0] = 3;
	o->options_type = 1; /* Conv2DOptions: padding SAME (default), strides 2, relu */
	o->n_opt = 3;
	o->opt[0] = (struct gen_field){ 1, 4, 2 };
	o->opt[1] = (struct gen_field){ 2, 4, 2 };
	o->opt[2] = (struct gen_field){ 3, 1, 1 };
	o = &s->ops[1];
	o->opcode = 1;
	o->n_in = 3; o->in[0] = 3; o->in[1] = 4; o->in[2] = 5;
	o->n_out = 1; o->out[0] = 6;
	o->options_type = 8; /* FullyConnectedOptions: no activation */
	o = &s->ops[2];
	o->opcode = 2;
	o->n_in = 1; o->in[0] = 6;
	o->n_out = 1; o->out[0] = 7;
	m->n_buffers = 6;
	m->buffers[1].data_len = 72;
	m->buffers[2].data_len = 16;
	m->buffers[3].data_len = 192;
	m->buffers[4].data_len = 12;
}

/* ---- hand-written one-subgraph models ------------------------------- */

/* The slots gen_preamble() leaves for the rest of the model: the Model's
 * buffers vector, and the one SubGraph's tensors, inputs, outputs,
 * operators and name. */
struct gen_preamble {
	size_t s_buf, s_t, s_in, s_out, s_ops, s_name;
};

/*
 * The start of a model with one subgraph, written by hand (gen_fanin_add
 * below, and bench/bench_gen.c's chains) rather than from a gen_model: b
 * initialised, the root offset and "TFL3", the Model table (version 3),
 * its operator codes (n_codes builtin codes under 127, each as
 * deprecated_builtin_code and builtin_code) and its one SubGraph table.
 * Field numbers: Model 0 version, 1 operator_codes, 2 subgraphs, 4
 * buffers; OperatorCode 0 deprecated_builtin_code, 3 builtin_code;
 * SubGraph 0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name.
 */
static inline struct gen_preamble gen_write_preamble(struct fbb *b, const uint8_t *codes,
						     uint32_t n_codes)
{
	struct gen_preamble p;
	struct gen_table root, t;
	size_t s_codes, s_sg, v;
	uint32_t i;
	fbb_init(b);
	fbb_bytes(b, NULL, 8);
	memcpy(b->buf + 4, "TFL3", 4);
	root = fbb_table_begin(b, 5);
	fbb_put32(b, 0, (uint32_t)root.pos);
	fbb_field(b, &root, 0, 4, 3);
	s_codes = fbb_field_offset(b, &root, 1);
	s_sg = fbb_field_offset(b, &root, 2);
	p.s_buf = fbb_field_offset(b, &root, 4);
	fbb_table_end(b, &root);
	v = fbb_vector(b, n_codes, 4, NULL);
	fbb_patch(b, s_codes, v);
	for (i = 0; i < n_codes; i++) {
		t = fbb_table_begin(b, 4);
		fbb_patch(b, v + 4 + 4 * (size_t)i, t.pos);
		fbb_field(b, &t, 0, 1, codes[i]);
		fbb_field(b, &t, 3, 4, codes[i]);
		fbb_table_end(b, &t);
	}
	v = fbb_vector(b, 1, 4, NULL);
	fbb_patch(b, s_sg, v);
	t = fbb_table_begin(b, 5);
	fbb_patch(b, v + 4, t.pos);
	p.s_t = fbb_field_offset(b, &t, 0);
	p.s_in = fbb_field_offset(b, &t, 1);
	p.s_out = fbb_field_offset(b, &t, 2);
	p.s_ops = fbb_field_offset(b, &t, 3);
	p.s_name = fbb_field_offset(b, &t, 4);
	fbb_table_end(b, &t);
	return p;
}

/* ---- issue #17's .tflite fan-in ------------------------------------- */

/*
 * Issue #17's .tflite fan-in into b (initialised here; b->oom on failure):
 * n_ops ADD(x, x), every output a subgraph output, all float32 [1, 8];
 * tensor 0 is "x", tensor i + 1 "add<i>". bench/hostile_gen.c writes it
 * with 20,000 ADDs; test_hostile_models checks what tinyfit reads of it.
 * The preamble is gen_write_preamble's (one operator code, ADD 0); field
 * numbers: Tensor 0 shape, 1 type, 2 buffer, 3 name; Operator 0
 * opcode_index, 1 inputs, 2 outputs.
 */
static inline void gen_fanin_add(struct fbb *b, uint32_t n_ops)
{
	static const uint8_t add_code = 0;
	struct gen_preamble p;
	struct gen_table t;
	const uint32_t n_tensors = 1 + n_ops;
	size_t v, vt, vo;
	static const int32_t shape[2] = { 1, 8 };
	int32_t *outs, zero = 0;
	uint32_t i;
	outs = malloc((n_ops ? n_ops : 1) * sizeof(*outs));
	if (!outs) {
		fbb_init(b);
		b->oom = 1;
		return;
	}
	p = gen_write_preamble(b, &add_code, 1);
	vt = fbb_vector(b, n_tensors, 4, NULL);
	fbb_patch(b, p.s_t, vt);
	for (i = 0; i < n_tensors; i++) {
		char name[32];
		struct gen_table tt = fbb_table_begin(b, 4);
		size_t s_shape, s_tn;
		fbb_patch(b, vt + 4 + 4 * (size_t)i, tt.pos);
		s_shape = fbb_field_offset(b, &tt, 0);
		fbb_field(b, &tt, 1, 1, 0);     /* FLOAT32 */
		fbb_field(b, &tt, 2, 4, 0);     /* buffer 0: no data */
		s_tn = fbb_field_offset(b, &tt, 3);
		fbb_table_end(b, &tt);
		fbb_patch(b, s_shape, fbb_vec_i32(b, 2, shape));
		snprintf(name, sizeof(name), i ? "add%u" : "x", i - 1);
		fbb_patch(b, s_tn, fbb_string(b, name));
	}
	fbb_patch(b, p.s_in, fbb_vec_i32(b, 1, &zero));
	for (i = 0; i < n_ops; i++)
		outs[i] = (int32_t)(i + 1);
	fbb_patch(b, p.s_out, fbb_vec_i32(b, n_ops, outs));
	vo = fbb_vector(b, n_ops, 4, NULL);
	fbb_patch(b, p.s_ops, vo);
	for (i = 0; i < n_ops; i++) {
		static const int32_t in[2] = { 0, 0 };
		struct gen_table ot = fbb_table_begin(b, 3);
		size_t s_oi, s_oo;
		fbb_patch(b, vo + 4 + 4 * (size_t)i, ot.pos);
		fbb_field(b, &ot, 0, 4, 0);
		s_oi = fbb_field_offset(b, &ot, 1);
		s_oo = fbb_field_offset(b, &ot, 2);
		fbb_table_end(b, &ot);
		fbb_patch(b, s_oi, fbb_vec_i32(b, 2, in));
		fbb_patch(b, s_oo, fbb_vec_i32(b, 1, &outs[i]));
	}
	fbb_patch(b, p.s_name, fbb_string(b, "main"));
	v = fbb_vector(b, 1, 4, NULL);          /* buffers: [0] empty */
	fbb_patch(b, p.s_buf, v);
	t = fbb_table_begin(b, 1);
	fbb_patch(b, v + 4, t.pos);
	fbb_table_end(b, &t);
	fbb_align(b, 16);
	free(outs);
}

#endif

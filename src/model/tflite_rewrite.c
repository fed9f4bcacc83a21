/*
 * tflite_rewrite.c - tfit_tflite_rewrite(): a copy of a .tflite whose
 * subgraph 0 has a new tensor list and a new operator list (patch-based
 * execution, docs/optimize.md section 4).
 *
 * Like tflite_writer.c, new objects are PREPENDED and the original file
 * follows byte for byte at a 16-aligned position, so new objects can point
 * (forward) into it: a kept tensor or operator is the original table, a
 * new tensor points to its model tensor's QuantizationParameters table, a
 * copied op to its original options table. The prefix is built back to
 * front (as FlatBuffers' own builder does): every object is written before
 * the objects that point to it, so every offset points forward. Positions
 * while building are distances from the END of the prefix (the start of
 * the original), which the final prefix length does not change; the prefix
 * length is a multiple of 16, so an object whose distance is a multiple of
 * 16 is 16-aligned in the file.
 *
 * The new Model table: version copied; operator_codes = the original codes
 * plus any the rewrite needs (PAD, STRIDED_SLICE, CONCATENATION ...);
 * subgraphs = the new subgraph 0 and the original others; buffers = the
 * original Buffers plus one per new constant (int32 words, data 16-aligned);
 * every other field points to the original's object. The new SubGraph 0:
 * tensors and operators new, inputs, outputs, name and
 * debug_metadata_index the original's.
 *
 * Schema field numbers: tflite-micro 90b983c2b3f1
 * tensorflow/compiler/mlir/lite/schema/schema.fbs.
 */
#include "model/flatbuf.h"
#include "model/flatbuf_write.h"
#include "tinyfit/model_io.h"

#include <stdlib.h>
#include <string.h>

enum { M_VERSION = 0, M_OPCODES = 1, M_SUBGRAPHS = 2, M_BUFFERS = 4, M_FIELDS = 10 };
enum { SG_TENSORS = 0, SG_OPERATORS = 3, SG_DEBUG_INDEX = 5, SG_FIELDS = 6 };
enum { T_SHAPE = 0, T_TYPE = 1, T_BUFFER = 2, T_NAME = 3, T_QUANT = 4 };
enum { O_OPCODE = 0, O_INPUTS = 1, O_OUTPUTS = 2, O_OPT_TYPE = 3, O_OPT = 4 };
enum { OC_DEPRECATED = 0, OC_VERSION = 2, OC_BUILTIN = 3 };
enum { B_OFFSET = 1 };
/* TensorType values (schema.fbs). */
enum { TT_FLOAT32 = 0, TT_INT32 = 2 };
/* BuiltinOptions union tags (1-based position in the union). */
enum { OT_CONV = 1, OT_DEPTHWISE = 2, OT_CONCAT = 10, OT_ADD = 11, OT_PAD = 22,
       OT_STRIDED_SLICE = 32 };

#define MAX_FIELDS 16

void tfit_rw_release(struct tfit_rw *rw)
{
	if (!rw)
		return;
	free(rw->tensors);
	free(rw->ops);
	free(rw->words);
	memset(rw, 0, sizeof(*rw));
}

/* ---- a back-to-front builder ------------------------------------------ */

struct bb {
	uint8_t *buf;   /* the bytes occupy buf[cap - len, cap) */
	size_t cap, len;
	int oom;
};

static uint8_t *bb_reserve(struct bb *b, size_t n)
{
	if (b->oom)
		return NULL;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *nb;
		while (cap < b->len + n)
			cap *= 2;
		nb = malloc(cap);
		if (!nb) {
			b->oom = 1;
			return NULL;
		}
		memset(nb, 0, cap - b->len);
		if (b->len)
			memcpy(nb + cap - b->len, b->buf + b->cap - b->len, b->len);
		free(b->buf);
		b->buf = nb;
		b->cap = cap;
	}
	b->len += n;
	return b->buf + b->cap - b->len;
}

/* Zero bytes so that after `extra` more bytes the length is a multiple of align. */
static void bb_pad(struct bb *b, size_t extra, size_t align)
{
	size_t n = (align - (b->len + extra) % align) % align;
	uint8_t *p;
	if (n == 0) /* nothing to add; an empty builder's buf is still NULL, and
		     * NULL + 0 in bb_reserve is undefined (clang's UBSan) */
		return;
	p = bb_reserve(b, n);
	if (p)
		memset(p, 0, n);
}

static void bb_u32(struct bb *b, uint32_t v)
{
	uint8_t *p = bb_reserve(b, 4);
	if (p)
		tfit_fb_put_u32(p, v);
}

/* A uoffset to r, stored at the front (4 bytes). */
static void bb_offset(struct bb *b, struct fb_ref r)
{
	uint8_t *p = bb_reserve(b, 4);
	if (p)
		tfit_fb_put_offset(p, b->len, r);
}

static size_t bb_vec_refs(struct bb *b, const struct fb_ref *r, uint32_t n)
{
	uint8_t *p;
	bb_pad(b, 4 + 4 * (size_t)n, 4);
	p = bb_reserve(b, 4 + 4 * (size_t)n);
	if (p)
		tfit_fb_put_offset_vec(p, b->len, r, n);
	return b->len;
}

static size_t bb_vec_i32(struct bb *b, const int32_t *v, uint32_t n, size_t align)
{
	uint32_t i;
	bb_pad(b, 4 * (size_t)n, align);
	for (i = n; i-- > 0;)
		bb_u32(b, (uint32_t)v[i]);
	bb_u32(b, n);
	return b->len;
}

static size_t bb_string(struct bb *b, const char *s)
{
	size_t n = strlen(s);
	uint8_t *p;
	bb_pad(b, n + 1, 4);
	p = bb_reserve(b, n + 1);
	if (p)
		memcpy(p, s, n + 1);
	bb_u32(b, (uint32_t)n);
	return b->len;
}

/* One field of a table being written: a 4-byte scalar or an offset. */
struct field {
	unsigned idx;
	int is_ref;
	uint32_t scalar;   /* u8/i8 fields use the low byte */
	struct fb_ref ref;
};

/* A table with fields f[0..n) (indices increasing), each in a 4-byte slot;
 * its vtable right before it. Returns the table's distance. */
static size_t bb_table(struct bb *b, const struct field *f, unsigned n)
{
	unsigned i, nslots = n ? f[n - 1].idx + 1 : 0;
	size_t vt_bytes = 4 + 2 * (size_t)nslots, t;
	uint8_t *p;
	vt_bytes += vt_bytes % 4; /* keeps the table 4-aligned after it */
	bb_pad(b, 4 + 4 * (size_t)n, 4);
	for (i = n; i-- > 0;) {
		if (f[i].is_ref)
			bb_offset(b, f[i].ref);
		else
			bb_u32(b, f[i].scalar);
	}
	bb_u32(b, (uint32_t)vt_bytes); /* soffset: the vtable is vt_bytes before */
	t = b->len;
	p = bb_reserve(b, vt_bytes);
	if (!p)
		return t;
	memset(p, 0, vt_bytes);
	p[0] = (uint8_t)vt_bytes;
	p[1] = (uint8_t)(vt_bytes >> 8);
	p[2] = (uint8_t)((4 + 4 * n) & 0xff);
	p[3] = (uint8_t)((4 + 4 * n) >> 8);
	for (i = 0; i < n; i++) {
		unsigned o = 4 + 4 * i;
		p[4 + 2 * f[i].idx] = (uint8_t)o;
		p[5 + 2 * f[i].idx] = (uint8_t)(o >> 8);
	}
	return t;
}

/* ---- reading the original ---------------------------------------------- */

/* Absolute position of element i of a vector of offsets. */
static uint64_t elem_target(struct fb_reader *r, const struct fb_vec *v, uint32_t i)
{
	return tfit_fb_offset_target(r, v->elems + 4 * (uint64_t)i);
}

/* The original's objects the rewrite points to. */
struct orig {
	struct fb_table root, sg0;
	struct fb_vec codes, sgs, bufs, tensors, ops;
	int32_t *code_of;  /* builtin code of each operator code */
};

static enum tfit_status read_orig(struct fb_reader *r, struct orig *o)
{
	enum tfit_status st;
	int present;
	unsigned f;
	uint32_t i;
	if ((st = tfit_fb_root(r, "TFL3", "Model", &o->root)) != TFIT_OK)
		return st;
	for (f = M_FIELDS; f < tfit_fb_field_count(&o->root); f++)
		if (tfit_fb_field_pos(r, &o->root, f))
			return tfit_fb_fail(r, NULL, "Model field %u is not in the TFLite schema "
				       "tinyfit knows (10 fields): cannot rewrite the model", f);
	if ((st = tfit_fb_vector_field(r, &o->root, M_OPCODES, "operator_codes", 4, &o->codes,
				  &present)) != TFIT_OK)
		return st;
	if (!present)
		o->codes.n = 0;
	if ((st = tfit_fb_vector_field(r, &o->root, M_BUFFERS, "buffers", 4, &o->bufs, &present)) !=
	    TFIT_OK)
		return st;
	if (!present)
		o->bufs.n = 0;
	for (i = 0; i < o->bufs.n; i++) {
		struct fb_table b;
		uint64_t off;
		if ((st = tfit_fb_vec_table(r, &o->bufs, i, o->root.depth, "Buffer", &b)) ||
		    (st = tfit_fb_u64(r, &b, B_OFFSET, "offset", 0, &off)))
			return st;
		if (off > 1)
			return tfit_fb_fail(r, "buffers", "buffer %lu lives at an absolute file "
				       "offset (the >2 GB layout); tinyfit cannot rewrite it",
				       (unsigned long)i);
	}
	if ((st = tfit_fb_vector_field(r, &o->root, M_SUBGRAPHS, "subgraphs", 4, &o->sgs,
				  &present)) != TFIT_OK)
		return st;
	if (!present || o->sgs.n == 0)
		return tfit_fb_fail(r, "subgraphs", "no subgraph");
	if ((st = tfit_fb_vec_table(r, &o->sgs, 0, o->root.depth, "SubGraph", &o->sg0)) != TFIT_OK)
		return st;
	for (f = SG_FIELDS; f < tfit_fb_field_count(&o->sg0); f++)
		if (tfit_fb_field_pos(r, &o->sg0, f))
			return tfit_fb_fail(r, "subgraphs[0]", "SubGraph field %u is not in the "
				       "schema tinyfit knows: cannot rewrite it", f);
	if ((st = tfit_fb_vector_field(r, &o->sg0, SG_TENSORS, "tensors", 4, &o->tensors,
				  &present)) != TFIT_OK)
		return st;
	if (!present)
		o->tensors.n = 0;
	if ((st = tfit_fb_vector_field(r, &o->sg0, SG_OPERATORS, "operators", 4, &o->ops,
				  &present)) != TFIT_OK)
		return st;
	if (!present)
		o->ops.n = 0;
	o->code_of = calloc((size_t)o->codes.n + 1, sizeof(int32_t));
	if (!o->code_of)
		return tfit_error_set(r->err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	for (i = 0; i < o->codes.n; i++) {
		struct fb_table c;
		int8_t dep;
		int32_t code;
		if ((st = tfit_fb_vec_table(r, &o->codes, i, o->root.depth, "OperatorCode", &c)) ||
		    (st = tfit_fb_i8(r, &c, OC_DEPRECATED, "deprecated_builtin_code", 0, &dep)) ||
		    (st = tfit_fb_i32(r, &c, OC_BUILTIN, "builtin_code", 0, &code)))
			return st;
		o->code_of[i] = code > dep ? code : dep;
	}
	return TFIT_OK;
}

static enum tfit_status op_table(struct fb_reader *r, const struct orig *o, int32_t i,
				 struct fb_table *t)
{
	if (i < 0 || (uint32_t)i >= o->ops.n)
		return tfit_fb_fail(r, "operators", "rewrite refers to operator %ld of %lu",
			       (long)i, (unsigned long)o->ops.n);
	return tfit_fb_vec_table(r, &o->ops, (uint32_t)i, o->sg0.depth, "Operator", t);
}

/* A conv or depthwise options table copied with padding VALID. Every field
 * of these tables is a scalar: (idx, width) from the schema. */
static enum tfit_status valid_options(struct fb_reader *r, struct bb *b, const struct orig *o,
				      int32_t from, uint8_t *tag, struct fb_ref *out)
{
	static const uint8_t conv_w[] = { 1, 4, 4, 1, 4, 4, 1 };
	static const uint8_t dw_w[] = { 1, 4, 4, 4, 1, 4, 4 };
	struct fb_table op, opt;
	struct field f[MAX_FIELDS];
	const uint8_t *w;
	unsigned i, n = 0, nw;
	int present;
	enum tfit_status st;
	if ((st = op_table(r, o, from, &op)) ||
	    (st = tfit_fb_u8(r, &op, O_OPT_TYPE, "builtin_options_type", 0, tag)))
		return st;
	if (*tag != OT_CONV && *tag != OT_DEPTHWISE)
		return tfit_fb_fail(r, "operators", "operator %ld has no conv options", (long)from);
	if ((st = tfit_fb_table_field(r, &op, O_OPT, "builtin_options", "Options", &opt, &present)))
		return st;
	w = *tag == OT_CONV ? conv_w : dw_w;
	nw = *tag == OT_CONV ? sizeof(conv_w) : sizeof(dw_w);
	if (present)
		for (i = nw; i < tfit_fb_field_count(&opt); i++)
			if (tfit_fb_field_pos(r, &opt, i))
				return tfit_fb_fail(r, "operators", "operator %ld: options field %u "
					       "is not in the schema tinyfit knows", (long)from, i);
	for (i = 0; i < nw; i++) {
		uint64_t pos = present ? tfit_fb_field_pos(r, &opt, i) : 0;
		if (i == 0) {
			f[n].idx = 0;
			f[n].is_ref = 0;
			f[n++].scalar = 1; /* Padding.VALID */
			continue;
		}
		if (!pos)
			continue;
		f[n].idx = i;
		f[n].is_ref = 0;
		if (w[i] == 1) {
			uint8_t v = 0;
			tfit_fb_read(r, pos, &v, 1);
			f[n++].scalar = v;
		} else {
			f[n++].scalar = tfit_fb_u32_at(r, pos);
		}
	}
	*out = tfit_fb_new_ref(bb_table(b, f, n));
	return TFIT_OK;
}

/* ---- the rewrite ----------------------------------------------------------- */

static int32_t find_code(const struct orig *o, const int32_t *extra, uint32_t n_extra,
			 int32_t code)
{
	uint32_t i;
	for (i = 0; i < o->codes.n; i++)
		if (o->code_of[i] == code)
			return (int32_t)i;
	for (i = 0; i < n_extra; i++)
		if (extra[i] == code)
			return (int32_t)(o->codes.n + i);
	return -1;
}

static enum tfit_status write_ops(struct fb_reader *r, struct bb *b, const struct orig *o,
				  const struct tfit_rw *rw, int32_t *extra, uint32_t *n_extra,
				  struct fb_ref *op_refs)
{
	uint32_t k;
	enum tfit_status st;
	for (k = 0; k < rw->n_ops; k++) {
		const struct tfit_rw_op *x = &rw->ops[k];
		struct field f[5];
		struct fb_ref opt = tfit_fb_new_ref(0);
		uint8_t tag = 0;
		int has_opt = 0;
		int32_t code;
		uint32_t opcode_index;
		size_t vin, vout;
		if (x->orig >= 0) {
			struct fb_table t;
			if ((st = op_table(r, o, x->orig, &t)) != TFIT_OK)
				return st;
			op_refs[k] = tfit_fb_orig_ref(t.pos);
			continue;
		}
		code = find_code(o, extra, *n_extra, x->builtin);
		if (x->from >= 0) {
			struct fb_table t;
			uint32_t idx;
			if ((st = op_table(r, o, x->from, &t)) ||
			    (st = tfit_fb_u32(r, &t, O_OPCODE, "opcode_index", 0, &idx)))
				return st;
			if (idx < o->codes.n && o->code_of[idx] == x->builtin)
				code = (int32_t)idx;
		}
		if (code < 0) {
			extra[(*n_extra)++] = x->builtin;
			code = (int32_t)(o->codes.n + *n_extra - 1);
		}
		opcode_index = (uint32_t)code;
		switch (x->options) {
		case TFIT_RW_OPT_COPY: {
			struct fb_table t, ot;
			int present;
			if ((st = op_table(r, o, x->from, &t)) ||
			    (st = tfit_fb_u8(r, &t, O_OPT_TYPE, "builtin_options_type", 0, &tag)) ||
			    (st = tfit_fb_table_field(r, &t, O_OPT, "builtin_options", "Options", &ot,
						 &present)))
				return st;
			if (present) {
				opt = tfit_fb_orig_ref(ot.pos);
				has_opt = 1;
			}
			break;
		}
		case TFIT_RW_OPT_VALID:
			if ((st = valid_options(r, b, o, x->from, &tag, &opt)) != TFIT_OK)
				return st;
			has_opt = 1;
			break;
		case TFIT_RW_OPT_EMPTY:
			tag = x->builtin == TFIT_TFL_PAD ? OT_PAD
			      : x->builtin == TFIT_TFL_STRIDED_SLICE ? OT_STRIDED_SLICE : 0;
			if (!tag)
				return tfit_fb_fail(r, NULL, "rewrite: no empty options for builtin %ld",
					       (long)x->builtin);
			opt = tfit_fb_new_ref(bb_table(b, NULL, 0));
			has_opt = 1;
			break;
		case TFIT_RW_OPT_CONCAT: {
			struct field cf[1];
			cf[0].idx = 0;
			cf[0].is_ref = 0;
			cf[0].scalar = (uint32_t)x->axis;
			tag = OT_CONCAT;
			opt = tfit_fb_new_ref(bb_table(b, cf, 1));
			has_opt = 1;
			break;
		}
		}
		vout = bb_vec_i32(b, &x->output, 1, 4);
		vin = bb_vec_i32(b, x->inputs, x->n_inputs, 4);
		f[0].idx = O_OPCODE; f[0].is_ref = 0; f[0].scalar = opcode_index;
		f[1].idx = O_INPUTS; f[1].is_ref = 1; f[1].ref = tfit_fb_new_ref(vin);
		f[2].idx = O_OUTPUTS; f[2].is_ref = 1; f[2].ref = tfit_fb_new_ref(vout);
		f[3].idx = O_OPT_TYPE; f[3].is_ref = 0; f[3].scalar = tag;
		f[4].idx = O_OPT; f[4].is_ref = 1; f[4].ref = opt;
		op_refs[k] = tfit_fb_new_ref(bb_table(b, f, has_opt ? 5 : 3));
	}
	return TFIT_OK;
}

static enum tfit_status write_tensors(struct fb_reader *r, struct bb *b, const struct orig *o,
				      const struct tfit_rw *rw, struct fb_ref *t_refs)
{
	uint32_t i, nbuf = o->bufs.n;
	enum tfit_status st;
	for (i = 0; i < rw->n_tensors; i++) {
		const struct tfit_rw_tensor *x = &rw->tensors[i];
		struct field f[5];
		unsigned n = 0;
		size_t shape, nm;
		if (x->keep) {
			if (i >= o->tensors.n)
				return tfit_fb_fail(r, NULL, "rewrite keeps tensor %lu of %lu",
					       (unsigned long)i, (unsigned long)o->tensors.n);
			t_refs[i] = tfit_fb_orig_ref(elem_target(r, &o->tensors, i));
			continue;
		}
		nm = bb_string(b, x->name);
		shape = bb_vec_i32(b, x->dims, (uint32_t)x->rank, 4);
		f[n].idx = T_SHAPE; f[n].is_ref = 1; f[n++].ref = tfit_fb_new_ref(shape);
		if (x->like >= 0) {
			struct fb_table t;
			uint8_t type;
			int present;
			if ((uint32_t)x->like >= o->tensors.n)
				return tfit_fb_fail(r, NULL, "rewrite: tensor like %ld of %lu",
					       (long)x->like, (unsigned long)o->tensors.n);
			if ((st = tfit_fb_vec_table(r, &o->tensors, (uint32_t)x->like, o->sg0.depth,
					       "Tensor", &t)) ||
			    (st = tfit_fb_u8(r, &t, T_TYPE, "type", TT_FLOAT32, &type)))
				return st;
			f[n].idx = T_TYPE; f[n].is_ref = 0; f[n++].scalar = type;
			f[n].idx = T_NAME; f[n].is_ref = 1; f[n++].ref = tfit_fb_new_ref(nm);
			present = tfit_fb_field_pos(r, &t, T_QUANT) != 0;
			if (present) {
				f[n].idx = T_QUANT;
				f[n].is_ref = 1;
				f[n++].ref = tfit_fb_orig_ref(tfit_fb_offset_target(r, tfit_fb_field_pos(r, &t, T_QUANT)));
			}
		} else {
			f[n].idx = T_TYPE; f[n].is_ref = 0; f[n++].scalar = TT_INT32;
			f[n].idx = T_BUFFER; f[n].is_ref = 0; f[n++].scalar = nbuf++;
			f[n].idx = T_NAME; f[n].is_ref = 1; f[n++].ref = tfit_fb_new_ref(nm);
		}
		t_refs[i] = tfit_fb_new_ref(bb_table(b, f, n));
	}
	return TFIT_OK;
}

/* The Buffers of the new constants, in tensor order (as write_tensors numbers them). */
static void write_buffers(struct bb *b, const struct tfit_rw *rw, struct fb_ref *buf_refs)
{
	uint32_t i, k = 0;
	for (i = 0; i < rw->n_tensors; i++) {
		const struct tfit_rw_tensor *x = &rw->tensors[i];
		struct field f[1];
		size_t data;
		uint32_t j;
		if (x->keep || x->like >= 0)
			continue;
		/* a ubyte vector whose data is 16-aligned */
		bb_pad(b, 4 * (size_t)x->n_words, 16);
		for (j = x->n_words; j-- > 0;)
			bb_u32(b, (uint32_t)rw->words[x->word0 + j]);
		bb_u32(b, 4 * x->n_words);
		data = b->len;
		f[0].idx = 0;
		f[0].is_ref = 1;
		f[0].ref = tfit_fb_new_ref(data);
		buf_refs[k++] = tfit_fb_new_ref(bb_table(b, f, 1));
	}
}

static enum tfit_status check_rw(struct fb_reader *r, const struct tfit_rw *rw)
{
	uint32_t i, j;
	for (i = 0; i < rw->n_tensors; i++) {
		const struct tfit_rw_tensor *x = &rw->tensors[i];
		if (!x->keep && (x->rank < 0 || x->rank > 4 ||
				 (x->like < 0 && (uint64_t)x->word0 + x->n_words > rw->n_words)))
			return tfit_fb_fail(r, NULL, "rewrite: tensor %lu is malformed",
				       (unsigned long)i);
	}
	for (i = 0; i < rw->n_ops; i++) {
		const struct tfit_rw_op *x = &rw->ops[i];
		if (x->orig >= 0)
			continue;
		if (x->n_inputs > TFIT_RW_MAX_INPUTS || x->output < 0 ||
		    (uint32_t)x->output >= rw->n_tensors)
			return tfit_fb_fail(r, NULL, "rewrite: operator %lu is malformed",
				       (unsigned long)i);
		for (j = 0; j < x->n_inputs; j++)
			if (x->inputs[j] < -1 || x->inputs[j] >= (int32_t)rw->n_tensors)
				return tfit_fb_fail(r, NULL, "rewrite: operator %lu input %lu",
					       (unsigned long)i, (unsigned long)j);
	}
	return TFIT_OK;
}

enum tfit_status tfit_tflite_rewrite(const void *data, size_t len, const char *name,
				     const struct tfit_rw *rw, uint8_t **out, size_t *out_len,
				     struct tfit_error *err)
{
	struct fb_reader r;
	struct orig o;
	struct bb b;
	struct fb_ref *t_refs = NULL, *op_refs = NULL, *refs = NULL;
	int32_t extra[8];
	uint32_t n_extra = 0, n_new_bufs = 0, i;
	size_t sg0, model, prefix, hdr;
	enum tfit_status st;
	unsigned f;

	*out = NULL;
	*out_len = 0;
	memset(&o, 0, sizeof(o));
	memset(&b, 0, sizeof(b));
	tfit_fb_reader_init(&r, data, len, name, err, 64 * (uint64_t)len + 4096);
	if ((st = read_orig(&r, &o)) != TFIT_OK || (st = check_rw(&r, rw)) != TFIT_OK)
		goto out;
	for (i = 0; i < rw->n_tensors; i++)
		n_new_bufs += !rw->tensors[i].keep && rw->tensors[i].like < 0;
	t_refs = calloc((size_t)rw->n_tensors + 1, sizeof(*t_refs));
	op_refs = calloc((size_t)rw->n_ops + 1, sizeof(*op_refs));
	refs = calloc((size_t)o.bufs.n + n_new_bufs + o.sgs.n + o.codes.n + 16, sizeof(*refs));
	if (!t_refs || !op_refs || !refs) {
		st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	/* ops first: they may add operator codes (at most one per new builtin) */
	if ((st = write_ops(&r, &b, &o, rw, extra, &n_extra, op_refs)) != TFIT_OK ||
	    (st = write_tensors(&r, &b, &o, rw, t_refs)) != TFIT_OK)
		goto out;
	{
		struct field sf[SG_FIELDS];
		unsigned n = 0;
		size_t vt = bb_vec_refs(&b, t_refs, rw->n_tensors);
		size_t vo = bb_vec_refs(&b, op_refs, rw->n_ops);
		for (f = 0; f < SG_FIELDS; f++) {
			uint64_t pos = tfit_fb_field_pos(&r, &o.sg0, f);
			sf[n].idx = f;
			if (f == SG_TENSORS) {
				sf[n].is_ref = 1;
				sf[n++].ref = tfit_fb_new_ref(vt);
			} else if (f == SG_OPERATORS) {
				sf[n].is_ref = 1;
				sf[n++].ref = tfit_fb_new_ref(vo);
			} else if (!pos) {
				continue;
			} else if (f == SG_DEBUG_INDEX) {
				sf[n].is_ref = 0;
				sf[n++].scalar = tfit_fb_u32_at(&r, pos);
			} else {
				sf[n].is_ref = 1;
				sf[n++].ref = tfit_fb_orig_ref(tfit_fb_offset_target(&r, pos));
			}
		}
		sg0 = bb_table(&b, sf, n);
	}
	{
		struct field mf[M_FIELDS];
		unsigned n = 0;
		size_t v_sgs, v_bufs, v_codes;
		/* subgraphs */
		refs[0] = tfit_fb_new_ref(sg0);
		for (i = 1; i < o.sgs.n; i++)
			refs[i] = tfit_fb_orig_ref(elem_target(&r, &o.sgs, i));
		v_sgs = bb_vec_refs(&b, refs, o.sgs.n);
		/* buffers: the original ones, then the constants' */
		for (i = 0; i < o.bufs.n; i++)
			refs[i] = tfit_fb_orig_ref(elem_target(&r, &o.bufs, i));
		write_buffers(&b, rw, refs + o.bufs.n);
		v_bufs = bb_vec_refs(&b, refs, o.bufs.n + n_new_bufs);
		/* operator codes */
		for (i = 0; i < o.codes.n; i++)
			refs[i] = tfit_fb_orig_ref(elem_target(&r, &o.codes, i));
		for (i = 0; i < n_extra; i++) {
			struct field cf[3];
			cf[0].idx = OC_DEPRECATED; cf[0].is_ref = 0;
			cf[0].scalar = (uint32_t)(extra[i] < 127 ? extra[i] : 127);
			cf[1].idx = OC_VERSION; cf[1].is_ref = 0; cf[1].scalar = 1;
			cf[2].idx = OC_BUILTIN; cf[2].is_ref = 0; cf[2].scalar = (uint32_t)extra[i];
			refs[o.codes.n + i] = tfit_fb_new_ref(bb_table(&b, cf, 3));
		}
		v_codes = bb_vec_refs(&b, refs, o.codes.n + n_extra);
		for (f = 0; f < M_FIELDS; f++) {
			uint64_t pos = tfit_fb_field_pos(&r, &o.root, f);
			mf[n].idx = f;
			if (f == M_OPCODES) {
				mf[n].is_ref = 1;
				mf[n++].ref = tfit_fb_new_ref(v_codes);
			} else if (f == M_SUBGRAPHS) {
				mf[n].is_ref = 1;
				mf[n++].ref = tfit_fb_new_ref(v_sgs);
			} else if (f == M_BUFFERS) {
				mf[n].is_ref = 1;
				mf[n++].ref = tfit_fb_new_ref(v_bufs);
			} else if (!pos) {
				continue;
			} else if (f == M_VERSION) {
				mf[n].is_ref = 0;
				mf[n++].scalar = tfit_fb_u32_at(&r, pos);
			} else {
				if (!tfit_fb_offset_target(&r, pos)) {
					st = tfit_fb_fail(&r, NULL, "Model field %u points outside the file",
						     f);
					goto out;
				}
				mf[n].is_ref = 1;
				mf[n++].ref = tfit_fb_orig_ref(tfit_fb_offset_target(&r, pos));
			}
		}
		model = bb_table(&b, mf, n);
	}
	if (b.oom) {
		st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	/* header: root offset and "TFL3", then padding so the prefix is 16k */
	hdr = 8;
	prefix = (b.len + hdr + 15) / 16 * 16;
	if ((uint64_t)prefix + len >= 0x7fffffffu) {
		st = tfit_fb_fail(&r, NULL, "the rewritten model would be %llu bytes (FlatBuffers "
			     "offsets stop at 2 GiB)", (unsigned long long)(prefix + len));
		goto out;
	}
	*out = calloc(1, prefix + len);
	if (!*out) {
		st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	tfit_fb_put_u32(*out, (uint32_t)(prefix - model));
	memcpy(*out + 4, "TFL3", 4);
	memcpy(*out + prefix - b.len, b.buf + b.cap - b.len, b.len);
	memcpy(*out + prefix, data, len);
	*out_len = prefix + len;
	st = TFIT_OK;
out:
	free(b.buf);
	free(t_refs);
	free(op_refs);
	free(refs);
	free(o.code_of);
	return st;
}

/*
 * tflite_tensor.c - the .tflite reader's constant data and tensors: Buffers
 * (inline data, or offset/size for data stored after the flatbuffer),
 * external buffers, Tensor tables with their quantization, and the Model
 * metadata that lives in buffers (min_runtime_version, the
 * OfflineMemoryAllocation plan). See tflite_reader.c and
 * docs/tflite-reader.md.
 *
 * Constant means "the Buffer has data" (tflite-micro micro_allocator.cc
 * GetFlatbufferTensorBuffer); the data itself is never read, only its
 * length prefix.
 */
#include "model/tflite_ops.h"
#include "model/tflite_reader.h"

#include "tinyfit/checked.h"
#include "tinyfit/graph.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T_SHAPE = 0, T_TYPE = 1, T_BUFFER = 2, T_NAME = 3, T_QUANT = 4,
       T_IS_VARIABLE = 5, T_SPARSITY = 6, T_SHAPE_SIGNATURE = 7,
       T_EXTERNAL_BUFFER = 10 };
enum { Q_SCALE = 2, Q_ZERO_POINT = 3, Q_QUANTIZED_DIMENSION = 6 };
enum { BUF_DATA = 0, BUF_OFFSET = 1, BUF_SIZE = 2 };
enum { MD_NAME = 0, MD_BUFFER = 1 };
enum { EXT_ID = 0, EXT_LENGTH = 3 };

/* Longest min_runtime_version string kept. */
#define RUNTIME_VERSION_MAX 32

/* ---- buffers ----------------------------------------------------------- */

/* Decode buffers[i] once (i already range-checked). */
static enum tfit_status buffer_at(struct ctx *c, uint32_t i, const struct buffer_info **out)
{
	struct buffer_info *b = &c->bufs[i];
	struct saved_path sp;
	struct fb_table t;
	struct fb_vec data;
	int present;
	uint64_t off, size, end;
	enum tfit_status rc;

	*out = b;
	if (b->read)
		return TFIT_OK;
	tfit_tfl_path_set(c, &sp, "buffers", ULL(i));
	if ((rc = tfit_fb_vec_table(&c->fb, &c->buffers, i, c->root.depth, "Buffer", &t)) ||
	    (rc = tfit_fb_vector_field(&c->fb, &t, BUF_DATA, "data", 1, &data, &present)) ||
	    (rc = tfit_fb_u64(&c->fb, &t, BUF_OFFSET, "offset", 0, &off)) ||
	    (rc = tfit_fb_u64(&c->fb, &t, BUF_SIZE, "size", 0, &size)))
		return rc;
	if (present && data.n > 0) {
		b->bytes = data.n;
		b->offset = data.elems;
	} else if (off > 1 && size > 0) {
		/* schema.fbs: offset/size are "only valid if > 1", relative to
		 * the start of the file, for data stored after the flatbuffer. */
		if (tfit_add_u64(off, size, &end) != TFIT_OK || end > c->fb.len)
			return tfit_fb_fail(&c->fb, "offset", "data at offset %llu with size %llu "
				       "runs past the end of the file (%llu bytes)", ULL(off),
				       ULL(size), ULL(c->fb.len));
		b->bytes = size;
		b->offset = off;
		b->outside = 1;
	}
	b->read = 1;
	tfit_tfl_path_restore(c, &sp);
	return TFIT_OK;
}

/* Data bytes of Tensor.external_buffer id (ExternalBuffer.length). */
static enum tfit_status external_bytes(struct ctx *c, uint32_t id, uint64_t *bytes)
{
	uint32_t i;
	enum tfit_status rc;
	for (i = 0; c->has_ext && i < c->ext.n; i++) {
		struct fb_table t;
		struct saved_path sp;
		uint32_t eid;
		tfit_tfl_path_set(c, &sp, "external_buffers", ULL(i));
		if ((rc = tfit_fb_vec_table(&c->fb, &c->ext, i, c->root.depth, "ExternalBuffer", &t)) ||
		    (rc = tfit_fb_u32(&c->fb, &t, EXT_ID, "id", 0, &eid)))
			return rc;
		if (eid == id) {
			rc = tfit_fb_u64(&c->fb, &t, EXT_LENGTH, "length", 0, bytes);
			if (rc == TFIT_OK)
				tfit_tfl_path_restore(c, &sp);
			return rc;
		}
		tfit_tfl_path_restore(c, &sp);
	}
	return tfit_fb_fail(&c->fb, "external_buffer", "external buffer id %lu is not in the "
		       "model's external_buffers", (unsigned long)id);
}

/* ---- tensors ----------------------------------------------------------- */

/*
 * The scales (float32) and zero points (int64) summarised for `tinyfit
 * quant`: smallest, largest, first, how many zero points are non-zero and
 * how many scales are unusable. The vectors were checked to lie inside the
 * file, and reading them is linear in their length (already charged as
 * file bytes).
 */
static void summarise_quant(struct ctx *c, const struct fb_vec *scale, const struct fb_vec *zp,
			    struct tfit_quant_values *q)
{
	uint32_t i;
	int seen = 0;
	memset(q, 0, sizeof(*q));
	for (i = 0; scale && i < scale->n; i++) {
		uint32_t bits = tfit_fb_vec_u32(&c->fb, scale, i);
		float f;
		memcpy(&f, &bits, sizeof(f));
		if (i == 0)
			q->scale_first = f;
		if (!(f > 0.0f) || f > FLT_MAX) {
			q->scale_invalid++;
			if (f != f)
				continue; /* NaN: no order; counted as invalid */
		}
		if (!seen || f < q->scale_min)
			q->scale_min = f;
		if (!seen || f > q->scale_max)
			q->scale_max = f;
		seen = 1;
	}
	for (i = 0; zp && i < zp->n; i++) {
		int64_t z = tfit_fb_vec_i64(&c->fb, zp, i);
		if (i == 0)
			q->zero_point_first = q->zero_point_min = q->zero_point_max = z;
		if (z < q->zero_point_min)
			q->zero_point_min = z;
		if (z > q->zero_point_max)
			q->zero_point_max = z;
		if (z != 0)
			q->zero_point_nonzero++;
	}
}

/* The scheme into q, the numbers into v when there are scales (*has_v). */
static enum tfit_status read_quant(struct ctx *c, const struct fb_table *t,
				   int32_t rank, struct tfit_quant *q,
				   struct tfit_quant_values *v, int *has_v)
{
	struct fb_table qt;
	struct fb_vec scale, zp;
	int present, has_scale, has_zp;
	enum tfit_status rc;

	memset(q, 0, sizeof(*q));
	*has_v = 0;
	if ((rc = tfit_fb_table_field(&c->fb, t, T_QUANT, "quantization", "QuantizationParameters",
				 &qt, &present)) || !present)
		return rc;
	if ((rc = tfit_fb_vector_field(&c->fb, &qt, Q_SCALE, "quantization.scale", 4, &scale,
				  &has_scale)) ||
	    (rc = tfit_fb_vector_field(&c->fb, &qt, Q_ZERO_POINT, "quantization.zero_point", 8,
				  &zp, &has_zp)) ||
	    (rc = tfit_fb_i32(&c->fb, &qt, Q_QUANTIZED_DIMENSION, "quantization.quantized_dimension",
			 0, &q->quantized_dimension)))
		return rc;
	q->scale_count = has_scale ? scale.n : 0;
	q->zero_point_count = has_zp ? zp.n : 0;
	/* the numbers are known when there are scales */
	*has_v = has_scale && scale.n > 0;
	if (*has_v)
		summarise_quant(c, &scale, has_zp ? &zp : NULL, v);
	/* Not checked against the rank: converters write the filter's
	 * quantized_dimension on per-channel biases too (person_detect.tflite:
	 * a rank-1 bias with quantized_dimension 3), and TFLM ignores it there. */
	(void)rank;
	if (q->quantized_dimension < 0)
		return tfit_fb_fail(&c->fb, "quantization.quantized_dimension",
			       "quantized dimension %ld is negative",
			       (long)q->quantized_dimension);
	if (q->zero_point_count > 1 && q->zero_point_count != q->scale_count)
		return tfit_fb_fail(&c->fb, "quantization.zero_point", "%lu zero points for %lu "
			       "scales (expected 1 or one per scale)",
			       (unsigned long)q->zero_point_count, (unsigned long)q->scale_count);
	return TFIT_OK;
}

enum tfit_status tfit_tfl_read_tensor(struct ctx *c, struct tfit_subgraph *sg,
				    const struct fb_table *t)
{
	struct fb_vec shape, sig;
	struct fb_str name;
	struct tfit_quant q;
	struct tfit_quant_values qv;
	int64_t dims[TFIT_MAX_RANK] = { 0 };
	int has_shape, has_sig, has_name, is_var, has_sparsity, has_qv;
	int8_t type;
	uint32_t buffer, ext_id, i, flags = 0, dyn = 0;
	int need_ext;
	int32_t rank = 0, idx;
	uint64_t elems = 1, bytes, data_bytes = 0, data_offset = 0;
	enum tfit_dtype dtype;
	const char *type_name;
	char *name_copy = NULL;
	struct tfit_tensor *tt;
	enum tfit_status rc;

	if ((rc = tfit_fb_vector_field(&c->fb, t, T_SHAPE, "shape", 4, &shape, &has_shape)))
		return rc;
	if (has_shape) {
		if (shape.n > TFIT_MAX_RANK)
			return tfit_fb_fail(&c->fb, "shape", "rank %lu is over tinyfit's limit of %d "
				       "dimensions", (unsigned long)shape.n, TFIT_MAX_RANK);
		rank = (int32_t)shape.n;
		for (i = 0; i < shape.n; i++) {
			int32_t d = tfit_fb_vec_i32(&c->fb, &shape, i);
			if (d < 0) {
				char f[32];
				snprintf(f, sizeof(f), "shape[%lu]", (unsigned long)i);
				return tfit_fb_fail(&c->fb, f, "dimension %ld is negative", (long)d);
			}
			dims[i] = d;
			if (tfit_mul_u64(elems, (uint64_t)d, &elems) != TFIT_OK)
				return tfit_fb_fail(&c->fb, "shape", "the element count overflows "
					       "64 bits");
		}
	}
	if ((rc = tfit_fb_i8(&c->fb, t, T_TYPE, "type", 0, &type)))
		return rc;
	if (tfit_tfl_dtype(type, &dtype, &type_name) != 0) {
		if (type_name)
			return tfit_fb_fail(&c->fb, "type", "tensor type %s (%d) is not supported "
				       "by tinyfit", type_name, type);
		return tfit_fb_fail(&c->fb, "type", "tensor type %d is not a TensorType (0 to 22)",
			       type);
	}
	if (tfit_dtype_bytes(dtype, elems, &bytes) != 0)
		return tfit_fb_fail(&c->fb, "shape", "%llu elements of %s overflow 64 bits of bytes",
			       ULL(elems), tfit_dtype_name(dtype));

	if ((rc = tfit_fb_u32(&c->fb, t, T_BUFFER, "buffer", 0, &buffer)))
		return rc;
	if (!c->has_buffers ? buffer != 0 : buffer >= c->buffers.n)
		return tfit_fb_fail(&c->fb, "buffer", "buffer index %lu is out of range (the model "
			       "has %lu buffers)", (unsigned long)buffer,
			       (unsigned long)(c->has_buffers ? c->buffers.n : 0));
	if (c->has_buffers) {
		const struct buffer_info *b;
		if ((rc = buffer_at(c, buffer, &b)))
			return rc;
		data_bytes = b->bytes;
		data_offset = b->offset;
		if (b->outside)
			flags |= TFIT_TENSOR_DATA_OUTSIDE;
	}
	if ((rc = tfit_fb_u32(&c->fb, t, T_EXTERNAL_BUFFER, "external_buffer", 0, &ext_id)))
		return rc;
	if (ext_id != 0 && data_bytes == 0) {
		if ((rc = external_bytes(c, ext_id, &data_bytes)))
			return rc;
		data_offset = 0;
		flags |= TFIT_TENSOR_DATA_OUTSIDE;
	}
	if (data_bytes > 0)
		flags |= TFIT_TENSOR_CONST;
	else
		flags &= ~TFIT_TENSOR_DATA_OUTSIDE;

	if ((rc = tfit_fb_bool(&c->fb, t, T_IS_VARIABLE, "is_variable", 0, &is_var)))
		return rc;
	if (is_var)
		flags |= TFIT_TENSOR_VARIABLE;
	has_sparsity = tfit_fb_has(&c->fb, t, T_SPARSITY);
	if (has_sparsity)
		flags |= TFIT_TENSOR_SPARSE;
	if ((rc = tfit_fb_vector_field(&c->fb, t, T_SHAPE_SIGNATURE, "shape_signature", 4, &sig,
				  &has_sig)))
		return rc;
	if (has_sig && sig.n == shape.n)
		for (i = 0; i < sig.n; i++)
			if (tfit_fb_vec_i32(&c->fb, &sig, i) == -1)
				dyn |= 1u << i;
	if ((rc = read_quant(c, t, rank, &q, &qv, &has_qv)))
		return rc;
	if ((rc = tfit_fb_string_field(&c->fb, t, T_NAME, "name", &name, &has_name)))
		return rc;
	if (has_name && (rc = tfit_tfl_copy_string(c, "name", &name, &name_copy)))
		return rc;

	need_ext = q.scale_count || q.zero_point_count || q.quantized_dimension ||
		   ((flags & TFIT_TENSOR_CONST) && data_offset);
	if ((rc = tfit_fb_charge(&c->fb, TFL_MEM_UNITS(sizeof(struct tfit_tensor) +
						       (need_ext ? sizeof(struct tfit_tensor_ext) : 0) +
						       (has_qv ? sizeof(qv) : 0))))) {
		free(name_copy);
		return rc;
	}
	idx = tfit_subgraph_add_tensor(sg, name_copy, dtype, rank, dims, flags, c->err);
	free(name_copy);
	if (idx < 0) {
		/* Checked above, so only OOM or the graph's own limits remain;
		 * add the file and the path to its message. */
		char msg[TFIT_ERROR_MSG_MAX];
		enum tfit_status code = c->err ? c->err->code : TFIT_ERR_NOMEM;
		snprintf(msg, sizeof(msg), "%s", c->err ? c->err->message : "out of memory");
		return tfit_error_set(c->err, code, c->file, c->fb.path, "%s", msg);
	}
	tt = &sg->tensors[idx];
	tt->buffer = (int32_t)(buffer > INT32_MAX ? INT32_MAX : buffer);
	tt->dynamic_dims = (uint8_t)dyn;
	if (need_ext) {
		struct tfit_tensor_ext *x = tfit_tensor_ext_mut(sg, tt);
		if (!x)
			return tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, c->fb.path,
					      "out of memory");
		x->data_offset = (flags & TFIT_TENSOR_CONST) ? data_offset : 0;
		x->quant = q;
	}
	if ((has_qv && tfit_tensor_set_quant_values(sg, tt, &qv) != 0) ||
	    tfit_tensor_set_data_bytes(sg, tt, data_bytes) != 0)
		return tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, c->fb.path, "out of memory");
	return TFIT_OK;
}

/* ---- metadata ---------------------------------------------------------- */

static enum tfit_status read_runtime_version(struct ctx *c, const struct buffer_info *b)
{
	char v[RUNTIME_VERSION_MAX + 1];
	unsigned char raw[RUNTIME_VERSION_MAX];
	uint64_t i, k;
	size_t n = 0;
	if (b->outside || b->bytes == 0)
		return TFIT_OK;
	/* the Buffer's data vector was checked to lie inside the file */
	k = b->bytes < RUNTIME_VERSION_MAX ? b->bytes : RUNTIME_VERSION_MAX;
	if (tfit_fb_read(&c->fb, b->offset, raw, k) != 0)
		k = 0;
	for (i = 0; i < k; i++) {
		unsigned char ch = raw[i];
		if (ch == 0)
			break;
		v[n++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	v[n] = '\0';
	free(c->m->min_runtime_version);
	if (tfit_strdup_to(&c->m->min_runtime_version, v) != TFIT_OK)
		return tfit_tfl_nomem(c);
	return TFIT_OK;
}

static enum tfit_status read_offline_plan(struct ctx *c, uint32_t buffer,
					  const struct buffer_info *b)
{
	uint64_t p = b->offset; /* checked: the data vector is inside the file */
	uint64_t total = 0, k = 0, need;
	uint32_t n, s, i;

	if (b->outside || b->bytes < 12)
		return tfit_fb_fail(&c->fb, "buffer", "OfflineMemoryAllocation buffer %lu holds "
			       "%llu bytes (expected a version, a subgraph count, an offset "
			       "count and the offsets, 4 bytes each)", (unsigned long)buffer,
			       ULL(b->outside ? 0 : b->bytes));
	n = tfit_fb_u32_at(&c->fb, p + 8);
	need = 12 + 4 * (uint64_t)n;
	if (need > b->bytes)
		return tfit_fb_fail(&c->fb, "buffer", "OfflineMemoryAllocation lists %lu offsets "
			       "but its buffer %lu holds only %llu bytes (needs %llu)",
			       (unsigned long)n, (unsigned long)buffer, ULL(b->bytes), ULL(need));
	for (s = 0; s < c->m->n_subgraphs; s++)
		total += c->m->subgraphs[s].n_tensors;
	c->m->has_offline_plan = 1;
	c->m->offline_plan_tensors = n;
	if (total != n) {
		tfit_model_warn(c->m, "the OfflineMemoryAllocation plan lists %lu offsets but "
				"the model has %llu tensors: TFLM rejects the plan",
				(unsigned long)n, ULL(total));
		return TFIT_OK;
	}
	/* Offsets follow the tensors of subgraph 0, then 1, ... (TFLM's
	 * AllocationInfoBuilder::InitializeAllocationInfo). */
	for (s = 0; s < c->m->n_subgraphs; s++) {
		struct tfit_subgraph *sg = &c->m->subgraphs[s];
		for (i = 0; i < sg->n_tensors; i++, k++) {
			int32_t off = (int32_t)tfit_fb_u32_at(&c->fb, p + 12 + 4 * k);
			if (off < -1)
				return tfit_fb_fail(&c->fb, "buffer", "OfflineMemoryAllocation offset "
					       "%ld for subgraphs[%lu].tensors[%lu] is negative "
					       "(only -1, plan online, is allowed)", (long)off,
					       (unsigned long)s, (unsigned long)i);
			if (tfit_tensor_set_offline_offset(sg, &sg->tensors[i], off) != 0)
				return tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, c->fb.path,
						      "out of memory");
		}
	}
	return TFIT_OK;
}

enum tfit_status tfit_tfl_read_metadata(struct ctx *c)
{
	struct fb_vec v;
	int present;
	uint32_t i;
	enum tfit_status rc;

	if ((rc = tfit_fb_vector_field(&c->fb, &c->root, MODEL_METADATA, "metadata", 4, &v,
				  &present)) || !present)
		return rc;
	c->m->tflite_metadata = v.n;
	for (i = 0; i < v.n; i++) {
		struct fb_table t;
		struct fb_str name;
		int has_name;
		uint32_t buffer;
		const struct buffer_info *b;
		size_t old = tfit_fb_path_push(&c->fb, "metadata[%lu]", (unsigned long)i);
		if ((rc = tfit_fb_vec_table(&c->fb, &v, i, c->root.depth, "Metadata", &t)) ||
		    (rc = tfit_fb_string_field(&c->fb, &t, MD_NAME, "name", &name, &has_name)) ||
		    (rc = tfit_fb_u32(&c->fb, &t, MD_BUFFER, "buffer", 0, &buffer)))
			return rc;
		if (!c->has_buffers || buffer >= c->buffers.n)
			return tfit_fb_fail(&c->fb, "buffer", "buffer index %lu is out of range (the "
				       "model has %lu buffers)", (unsigned long)buffer,
				       (unsigned long)(c->has_buffers ? c->buffers.n : 0));
		if (has_name && tfit_fb_str_equals(&c->fb, &name, "min_runtime_version")) {
			if ((rc = buffer_at(c, buffer, &b)) || (rc = read_runtime_version(c, b)))
				return rc;
		} else if (has_name && tfit_fb_str_equals(&c->fb, &name, "OfflineMemoryAllocation")) {
			if ((rc = buffer_at(c, buffer, &b)) ||
			    (rc = read_offline_plan(c, buffer, b)))
				return rc;
		}
		tfit_fb_path_pop(&c->fb, old);
	}
	return TFIT_OK;
}

/*
 * lower_move.c - builders for the data-movement layers: flatten and
 * reshape (RESHAPE with an int32 shape constant), permute (TRANSPOSE),
 * zero padding (PAD), cropping (STRIDED_SLICE) and upsampling
 * (RESIZE_NEAREST_NEIGHBOR).
 */
#include "lower_ctx.h"

#include <stdio.h>
#include <string.h>

#include "tinyfit/checked.h"

enum tfit_status tfit_lower_build_reshape(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs, os;
	int32_t x, out, i, unknown = -1;
	uint64_t known = 1, total;
	char a[128], b[128];

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	total = tfit_tensor_elements(&c->sg->tensors[x]);
	if (L->type == TFIT_LAYER_FLATTEN) {
		if (xs.rank == 2) { /* already flat: the converter drops it */
			tfit_lower_set_output(c, x, c->values[c->layer_index].op);
			return TFIT_OK;
		}
		os.rank = 2;
		os.d[0] = 1;
		os.d[1] = (int64_t)total;
	} else {
		os.rank = L->target_rank + 1;
		os.d[0] = 1;
		for (i = 0; i < L->target_rank; i++) {
			os.d[i + 1] = L->target[i];
			if (L->target[i] == -1)
				unknown = i + 1;
			else if (tfit_mul_u64(known, (uint64_t)L->target[i], &known) != TFIT_OK)
				return tfit_lower_fail(c, "target_shape", "target shape overflows 64 bits");
		}
		if (unknown >= 0) {
			if (known == 0 || total % known != 0)
				return tfit_lower_fail(c, "target_shape",
						  "cannot infer the -1 dimension: %llu elements do not divide by %llu",
						  (unsigned long long)total, (unsigned long long)known);
			os.d[unknown] = (int64_t)(total / known);
			known = total;
		}
		if (known != total)
			return tfit_lower_fail(c, "target_shape",
					  "reshape to %s needs %llu elements, but the input %s has %llu",
					  tfit_lower_shape_str(&os, a, sizeof(a)), (unsigned long long)known,
					  tfit_lower_shape_str(&xs, b, sizeof(b)), (unsigned long long)total);
	}
	LOWER_TRY(out = tfit_lower_reshape_to(c, x, &os, "reshape", dt, 1));
	tfit_lower_set_output(c, out, (int32_t)c->sg->n_ops - 1);
	return TFIT_OK;
}

enum tfit_status tfit_lower_build_permute(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs, os;
	int32_t x, ins[2], out, i, op;
	unsigned seen = 0;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (L->target_rank != xs.rank - 1)
		return tfit_lower_fail(c, "dims", "expected a permutation of %d dimensions, got %d",
				  xs.rank - 1, L->target_rank);
	os.rank = xs.rank;
	os.d[0] = 1;
	for (i = 0; i < L->target_rank; i++) {
		int64_t p = L->target[i];
		if (p < 1 || p > L->target_rank || (seen & (1u << p)))
			return tfit_lower_fail(c, "dims", "expected a permutation of 1..%d", L->target_rank);
		seen |= 1u << p;
		os.d[i + 1] = xs.d[p];
	}
	ins[0] = x;
	LOWER_TRY(ins[1] = tfit_lower_config(c, "perm", xs.rank));
	LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
	LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_TRANSPOSE, ins, 2, out, NULL));
	tfit_lower_set_output(c, out, op);
	return TFIT_OK;
}

enum tfit_status tfit_lower_build_pad_crop(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	int one_d = L->type == TFIT_LAYER_ZERO_PADDING1D;
	int crop = L->type == TFIT_LAYER_CROPPING2D;
	struct lower_shape xs, os;
	int32_t x, ins[4], op, out;
	char a[128];

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (tfit_lower_need_rank(c, &xs, one_d ? 3 : 4, one_d ? "steps, channels" : "height, width, channels") != TFIT_OK)
		return c->err->code;
	os = xs;
	if (one_d) {
		os.d[1] = xs.d[1] + L->pad[0] + L->pad[1];
	} else if (crop) {
		os.d[1] = xs.d[1] - L->pad[0] - L->pad[1];
		os.d[2] = xs.d[2] - L->pad[2] - L->pad[3];
		if (os.d[1] <= 0 || os.d[2] <= 0)
			return tfit_lower_fail(c, "cropping", "cropping removes the whole %s input",
					  tfit_lower_shape_str(&xs, a, sizeof(a)));
	} else {
		os.d[1] = xs.d[1] + L->pad[0] + L->pad[1];
		os.d[2] = xs.d[2] + L->pad[2] + L->pad[3];
	}
	ins[0] = x;
	if (crop) {
		/* STRIDED_SLICE: begin, end, strides */
		LOWER_TRY(ins[1] = tfit_lower_config(c, "begin", 4));
		LOWER_TRY(ins[2] = tfit_lower_config(c, "end", 4));
		LOWER_TRY(ins[3] = tfit_lower_config(c, "strides", 4));
		LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
		LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_STRIDED_SLICE, ins, 4, out, NULL));
	} else {
		int64_t pd[2] = { xs.rank, 2 };
		LOWER_TRY(ins[1] = tfit_lower_const(c, "paddings", TFIT_DTYPE_INT32, 2, pd, 0, 0));
		LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
		LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_PAD, ins, 2, out, NULL));
	}
	tfit_lower_set_output(c, out, op);
	return TFIT_OK;
}

enum tfit_status tfit_lower_build_upsampling(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs, os;
	int32_t x, ins[2], op, out;
	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (tfit_lower_need_rank(c, &xs, 4, "height, width, channels") != TFIT_OK)
		return c->err->code;
	os = xs;
	if (tfit_mul_u64((uint64_t)xs.d[1], (uint64_t)L->size[0], (uint64_t *)&os.d[1]) != TFIT_OK ||
	    tfit_mul_u64((uint64_t)xs.d[2], (uint64_t)L->size[1], (uint64_t *)&os.d[2]) != TFIT_OK ||
	    os.d[1] < 0 || os.d[2] < 0)
		return tfit_lower_fail(c, "size", "output size overflows");
	ins[0] = x;
	LOWER_TRY(ins[1] = tfit_lower_config(c, "size", 2));
	LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
	LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_RESIZE_NEAREST_NEIGHBOR, ins, 2, out, NULL));
	tfit_lower_set_output(c, out, op);
	return TFIT_OK;
}

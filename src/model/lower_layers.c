/*
 * lower_layers.c - one builder per layer type: shape inference and the ops
 * and tensors the TFLite converter would deploy for it (see
 * docs/model-format.md, "Lowering"). Shared machinery is in lower.c.
 */
#include "lower_ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"

/* Give op a bias input of n channels if it has none; returns the elements added. */
static int64_t ensure_bias(struct lower_ctx *c, int32_t op, int64_t n, const struct lower_dtypes *dt)
{
	struct tfit_op *o = &c->sg->ops[op];
	uint32_t slot = o->type == TFIT_OP_TRANSPOSE_CONV ? 3 : 2;
	uint32_t qcount = dt->quantized ? (uint32_t)(o->type == TFIT_OP_FULLY_CONNECTED ? 1 : n) : 0;
	int32_t b;
	if (slot < o->n_inputs && o->inputs[slot] >= 0)
		return 0;
	b = tfit_lower_const(c, "bias", dt->bias, 1, &n, qcount, 0);
	if (b < 0)
		return -1;
	o = &c->sg->ops[op];
	if (slot >= o->n_inputs) {
		int32_t in[4] = { -1, -1, -1, -1 }; /* slot is 2 or 3 */
		memcpy(in, o->inputs, (size_t)o->n_inputs * sizeof(in[0]));
		if (tfit_op_set_inputs(c->sg, o, in, slot + 1) != 0)
			return -1;
	}
	o->inputs[slot] = b;
	return n;
}

static enum tfit_status conv_out2(struct lower_ctx *c, const struct lower_shape *x, int64_t kh, int64_t kw,
				  int64_t *ho, int64_t *wo)
{
	const struct tfit_layer *L = c->layer;
	char buf[128];
	*ho = tfit_lower_conv_out(x->d[1], kh, L->strides[0], L->dilation[0], L->padding);
	*wo = tfit_lower_conv_out(x->d[2], kw, L->strides[1], L->dilation[1], L->padding);
	const char *field = L->type == TFIT_LAYER_MAX_POOL2D || L->type == TFIT_LAYER_AVG_POOL2D ||
			    L->type == TFIT_LAYER_MAX_POOL1D || L->type == TFIT_LAYER_AVG_POOL1D
			    ? "pool_size" : "kernel";
	if (*ho > 0 && *wo > 0)
		return TFIT_OK;
	/* tfit_lower_conv_out refuses a window or dilation over 2^31 - 1 whatever
	 * the padding; only padding 'valid' can leave an empty output */
	if (kh > INT32_MAX || kw > INT32_MAX || L->dilation[0] > INT32_MAX ||
	    L->dilation[1] > INT32_MAX)
		return tfit_lower_fail(c, field, "window %lldx%lld (dilation %lldx%lld) is too large "
				  "(at most 2147483647 per dimension)", (long long)kh, (long long)kw,
				  (long long)L->dilation[0], (long long)L->dilation[1]);
	return tfit_lower_fail(c, field,
			  "window %lldx%lld (dilation %lldx%lld) does not fit the %s input with padding '%s' (the output would be empty)",
			  (long long)kh, (long long)kw, (long long)L->dilation[0],
			  (long long)L->dilation[1], tfit_lower_shape_str(x, buf, sizeof(buf)),
			  L->padding == TFIT_PAD_SAME ? "same" : "valid");
}

static void conv_opts(const struct tfit_layer *L, struct tfit_op_options *o)
{
	tfit_op_options_init(o);
	o->stride_h = (int32_t)L->strides[0];
	o->stride_w = (int32_t)L->strides[1];
	o->dilation_h = (int32_t)L->dilation[0];
	o->dilation_w = (int32_t)L->dilation[1];
	o->padding = L->padding;
}

/* conv2d / depthwise core on a 4-D input; returns the op, *out the tensor. */
static int32_t conv_core(struct lower_ctx *c, int32_t x, const struct lower_shape *xs, int depthwise,
			 int64_t kh, int64_t kw, int64_t filters, int use_bias,
			 const struct lower_dtypes *dt, const char *out_suffix, int32_t *out)
{
	const struct tfit_layer *L = c->layer;
	struct tfit_op_options opt;
	int64_t ho, wo, cout, wd[4], n;
	struct lower_shape os;
	int32_t ins[3], op;

	if (conv_out2(c, xs, kh, kw, &ho, &wo) != TFIT_OK)
		return -1;
	cout = depthwise ? xs->d[3] * L->depth_multiplier : filters;
	if (depthwise) {
		wd[0] = 1; wd[1] = kh; wd[2] = kw; wd[3] = cout;
	} else {
		wd[0] = cout; wd[1] = kh; wd[2] = kw; wd[3] = xs->d[3];
	}
	ins[0] = x;
	ins[1] = tfit_lower_const(c, depthwise ? "depthwise_kernel" : "kernel", dt->weight, 4, wd,
			     dt->quantized ? (uint32_t)cout : 0, depthwise ? 3 : 0);
	if (ins[1] < 0)
		return -1;
	ins[2] = -1;
	if (use_bias) {
		n = cout;
		ins[2] = tfit_lower_const(c, "bias", dt->bias, 1, &n, dt->quantized ? (uint32_t)cout : 0, 0);
		if (ins[2] < 0)
			return -1;
	}
	{
		int64_t od[4] = { 1, ho, wo, cout };
		tfit_lower_mk(&os, 4, od);
	}
	*out = out_suffix ? tfit_lower_named_tensor(c, out_suffix, dt, &os) : tfit_lower_out_tensor(c, dt, &os);
	if (*out < 0)
		return -1;
	conv_opts(L, &opt);
	opt.depth_multiplier = depthwise ? (int32_t)L->depth_multiplier : 1;
	op = tfit_lower_op(c, depthwise ? TFIT_OP_DEPTHWISE_CONV_2D : TFIT_OP_CONV_2D, ins, 3, *out, &opt);
	return op;
}

static enum tfit_status build_input(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape s;
	int32_t i, t;
	enum tfit_dtype d = L->input_dtype != TFIT_DTYPE_UNKNOWN ? (enum tfit_dtype)L->input_dtype : dt->act;
	s.rank = L->shape_rank + 1;
	s.d[0] = 1;
	for (i = 0; i < L->shape_rank; i++)
		s.d[i + 1] = L->shape[i];
	t = tfit_lower_act(c, L->name, d, dt->quantized && d == dt->act, s.rank, s.d);
	LOWER_TRY(t);
	tfit_lower_set_output(c, t, -1);
	return TFIT_OK;
}

static enum tfit_status build_conv(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs;
	int32_t x, op, out;
	int depthwise = L->type == TFIT_LAYER_DEPTHWISE_CONV2D;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (tfit_lower_need_rank(c, &xs, 4, "height, width, channels") != TFIT_OK)
		return c->err->code;
	if (L->type == TFIT_LAYER_SEPARABLE_CONV2D) {
		int32_t mid;
		struct lower_shape ms;
		struct tfit_layer saved = *L;
		(void)saved;
		LOWER_TRY(op = conv_core(c, x, &xs, 1, L->kernel[0], L->kernel[1], 0, 0, dt, "depthwise", &mid));
		tfit_lower_shape_of(c, mid, &ms);
		/* pointwise 1x1, stride 1: the strides and dilation belong to the depthwise */
		{
			struct tfit_op_options opt;
			int64_t wd[4] = { L->filters, 1, 1, ms.d[3] }, n = L->filters;
			int64_t od[4] = { 1, ms.d[1], ms.d[2], L->filters };
			int32_t ins[3];
			struct lower_shape os;
			ins[0] = mid;
			LOWER_TRY(ins[1] = tfit_lower_const(c, "pointwise_kernel", dt->weight, 4, wd,
						 dt->quantized ? (uint32_t)L->filters : 0, 0));
			ins[2] = -1;
			if (L->use_bias)
				LOWER_TRY(ins[2] = tfit_lower_const(c, "bias", dt->bias, 1, &n,
							 dt->quantized ? (uint32_t)L->filters : 0, 0));
			tfit_lower_mk(&os, 4, od);
			LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
			tfit_op_options_init(&opt);
			opt.padding = TFIT_PAD_SAME;
			LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_CONV_2D, ins, 3, out, &opt));
		}
		return tfit_lower_finish(c, op, out, dt);
	}
	LOWER_TRY(op = conv_core(c, x, &xs, depthwise, L->kernel[0], L->kernel[1], L->filters,
			   L->use_bias, dt, NULL, &out));
	return tfit_lower_finish(c, op, out, dt);
}

static enum tfit_status build_conv1d(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	/* The converter runs Conv1D as a 2-D convolution on [1, 1, W, C]
	 * between two reshapes (EXPAND_DIMS / SQUEEZE, deployed as reshapes). */
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs, s4, os;
	int32_t x, x4, op, y, out;
	struct tfit_layer tmp;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (tfit_lower_need_rank(c, &xs, 3, "steps, channels") != TFIT_OK)
		return c->err->code;
	{
		int64_t d4[4] = { 1, 1, xs.d[1], xs.d[2] };
		tfit_lower_mk(&s4, 4, d4);
	}
	LOWER_TRY(x4 = tfit_lower_reshape_to(c, x, &s4, "expand", dt, 0));
	/* run the 2-D core with kernel 1 x k */
	tmp = *L;
	tmp.strides[0] = 1;
	tmp.strides[1] = L->strides[1];
	tmp.dilation[0] = 1;
	tmp.dilation[1] = L->dilation[1];
	c->layer = &tmp;
	op = conv_core(c, x4, &s4, 0, 1, L->kernel[1], L->filters, L->use_bias, dt, "conv2d", &y);
	c->layer = L;
	LOWER_TRY(op);
	y = tfit_lower_activation(c, op, y, L->activation == TFIT_LACT_RELU ||
			     L->activation == TFIT_LACT_RELU6 ? L->activation : TFIT_LACT_LINEAR,
			     L->alpha, dt);
	LOWER_TRY(y);
	tfit_lower_shape_of(c, y, &os);
	{
		int64_t d3[3] = { 1, os.d[2], os.d[3] };
		tfit_lower_mk(&os, 3, d3);
	}
	LOWER_TRY(out = tfit_lower_reshape_to(c, y, &os, "squeeze", dt, 1));
	if (L->activation != TFIT_LACT_RELU && L->activation != TFIT_LACT_RELU6)
		return tfit_lower_finish(c, -1, out, dt);
	tfit_lower_set_output(c, out, (int32_t)c->sg->n_ops - 1);
	return TFIT_OK;
}

static enum tfit_status build_conv_transpose(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs, os;
	struct tfit_op_options opt;
	int32_t x, ins[4], op, out;
	int64_t ho, wo, wd[4], n = L->filters;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (tfit_lower_need_rank(c, &xs, 4, "height, width, channels") != TFIT_OK)
		return c->err->code;
	/* TensorFlow: VALID out = (in-1)*s + k, SAME out = in*s */
	if (L->padding == TFIT_PAD_SAME) {
		if (tfit_mul_u64((uint64_t)xs.d[1], (uint64_t)L->strides[0], (uint64_t *)&ho) != TFIT_OK ||
		    tfit_mul_u64((uint64_t)xs.d[2], (uint64_t)L->strides[1], (uint64_t *)&wo) != TFIT_OK)
			return tfit_lower_fail(c, "strides", "output size overflows");
	} else {
		ho = (xs.d[1] - 1) * L->strides[0] + (L->kernel[0] - 1) * L->dilation[0] + 1;
		wo = (xs.d[2] - 1) * L->strides[1] + (L->kernel[1] - 1) * L->dilation[1] + 1;
	}
	wd[0] = L->filters; wd[1] = L->kernel[0]; wd[2] = L->kernel[1]; wd[3] = xs.d[3];
	LOWER_TRY(ins[0] = tfit_lower_config(c, "output_shape", 4));
	LOWER_TRY(ins[1] = tfit_lower_const(c, "kernel", dt->weight, 4, wd, dt->quantized ? (uint32_t)L->filters : 0, 0));
	ins[2] = x;
	ins[3] = -1;
	if (L->use_bias)
		LOWER_TRY(ins[3] = tfit_lower_const(c, "bias", dt->bias, 1, &n, dt->quantized ? (uint32_t)L->filters : 0, 0));
	{
		int64_t od[4] = { 1, ho, wo, L->filters };
		tfit_lower_mk(&os, 4, od);
	}
	LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
	conv_opts(L, &opt);
	LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_TRANSPOSE_CONV, ins, 4, out, &opt));
	/* the int32[4] output_shape input is configuration: op_analysis does
	 * not count it as a parameter */
	return tfit_lower_finish(c, op, out, dt);
}

static enum tfit_status build_dense(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs, os;
	int32_t x, ins[3], op, out;
	int64_t wd[2], n = L->units;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (xs.rank < 2)
		return tfit_lower_fail(c, "inputs", "dense expects an input with at least one feature dimension");
	/* weights [units, in]; per-tensor quantization, TFLite's default for FC */
	wd[0] = L->units;
	wd[1] = xs.d[xs.rank - 1];
	ins[0] = x;
	LOWER_TRY(ins[1] = tfit_lower_const(c, "kernel", dt->weight, 2, wd, dt->quantized ? 1 : 0, 0));
	ins[2] = -1;
	if (L->use_bias)
		LOWER_TRY(ins[2] = tfit_lower_const(c, "bias", dt->bias, 1, &n, dt->quantized ? 1 : 0, 0));
	os = xs;
	os.d[os.rank - 1] = L->units;
	LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
	LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_FULLY_CONNECTED, ins, 3, out, NULL));
	return tfit_lower_finish(c, op, out, dt);
}

static enum tfit_status build_pool(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	int one_d = L->type == TFIT_LAYER_MAX_POOL1D || L->type == TFIT_LAYER_AVG_POOL1D;
	int is_max = L->type == TFIT_LAYER_MAX_POOL2D || L->type == TFIT_LAYER_MAX_POOL1D;
	struct lower_shape xs, s4, os;
	struct tfit_op_options opt;
	int32_t x, op, out;
	int64_t ho, wo;
	struct tfit_layer tmp = *L;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (one_d) {
		if (tfit_lower_need_rank(c, &xs, 3, "steps, channels") != TFIT_OK)
			return c->err->code;
		{
			int64_t d4[4] = { 1, 1, xs.d[1], xs.d[2] };
			tfit_lower_mk(&s4, 4, d4);
		}
		LOWER_TRY(x = tfit_lower_reshape_to(c, x, &s4, "expand", dt, 0));
		xs = s4;
		tmp.pool[0] = 1;
		tmp.strides[0] = 1;
	} else if (tfit_lower_need_rank(c, &xs, 4, "height, width, channels") != TFIT_OK) {
		return c->err->code;
	}
	tmp.dilation[0] = tmp.dilation[1] = 1;
	c->layer = &tmp;
	if (conv_out2(c, &xs, tmp.pool[0], tmp.pool[1], &ho, &wo) != TFIT_OK) {
		c->layer = L;
		return c->err->code;
	}
	c->layer = L;
	{
		int64_t od[4] = { 1, ho, wo, xs.d[3] };
		tfit_lower_mk(&os, 4, od);
	}
	conv_opts(&tmp, &opt);
	opt.filter_h = (int32_t)tmp.pool[0];
	opt.filter_w = (int32_t)tmp.pool[1];
	LOWER_TRY(out = one_d ? tfit_lower_named_tensor(c, "pool", dt, &os) : tfit_lower_out_tensor(c, dt, &os));
	LOWER_TRY(op = tfit_lower_op(c, is_max ? TFIT_OP_MAX_POOL_2D : TFIT_OP_AVERAGE_POOL_2D, &x, 1, out, &opt));
	if (one_d) {
		int64_t d3[3] = { 1, wo, xs.d[3] };
		tfit_lower_mk(&os, 3, d3);
		LOWER_TRY(out = tfit_lower_reshape_to(c, out, &os, "squeeze", dt, 1));
		op = (int32_t)c->sg->n_ops - 1;
	}
	return tfit_lower_finish(c, op, out, dt);
}

static enum tfit_status build_global_pool(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	int two_d = L->type == TFIT_LAYER_GLOBAL_AVG_POOL2D || L->type == TFIT_LAYER_GLOBAL_MAX_POOL2D;
	int is_max = L->type == TFIT_LAYER_GLOBAL_MAX_POOL2D || L->type == TFIT_LAYER_GLOBAL_MAX_POOL1D;
	struct lower_shape xs, os;
	int32_t x, ins[2], op, out;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (tfit_lower_need_rank(c, &xs, two_d ? 4 : 3, two_d ? "height, width, channels" : "steps, channels") != TFIT_OK)
		return c->err->code;
	ins[0] = x;
	LOWER_TRY(ins[1] = tfit_lower_config(c, "axes", two_d ? 2 : 1));
	{
		int64_t od[2] = { 1, xs.d[xs.rank - 1] };
		tfit_lower_mk(&os, 2, od);
	}
	LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
	LOWER_TRY(op = tfit_lower_op(c, is_max ? TFIT_OP_REDUCE_MAX : TFIT_OP_MEAN, ins, 2, out, NULL));
	return tfit_lower_finish(c, op, out, dt);
}

/* numpy broadcasting of a and b (aligned at the right) into r */
static int broadcast(const struct lower_shape *a, const struct lower_shape *b, struct lower_shape *r)
{
	int32_t i, n = a->rank > b->rank ? a->rank : b->rank;
	r->rank = n;
	for (i = 0; i < n; i++) {
		int64_t da = i < n - a->rank ? 1 : a->d[i - (n - a->rank)];
		int64_t db = i < n - b->rank ? 1 : b->d[i - (n - b->rank)];
		if (da != db && da != 1 && db != 1)
			return -1;
		r->d[i] = da > db ? da : db;
	}
	return 0;
}

static enum tfit_status build_merge(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	enum tfit_op_type type;
	struct lower_shape acc, s, r;
	int32_t cur, op = -1;
	size_t i;
	char a[128], b[128];

	switch (L->type) {
	case TFIT_LAYER_SUBTRACT: type = TFIT_OP_SUB; break;
	case TFIT_LAYER_MULTIPLY: type = TFIT_OP_MUL; break;
	case TFIT_LAYER_MAXIMUM: type = TFIT_OP_MAXIMUM; break;
	case TFIT_LAYER_MINIMUM: type = TFIT_OP_MINIMUM; break;
	default: type = TFIT_OP_ADD; break;
	}
	LOWER_TRY(cur = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, cur, &acc);
	for (i = 1; i < L->n_inputs; i++) {
		int32_t x, ins[2], out;
		LOWER_TRY(x = tfit_lower_input(c, i, dt->act, dt->quantized));
		tfit_lower_shape_of(c, x, &s);
		if (broadcast(&acc, &s, &r) != 0) {
			char field[32];
			snprintf(field, sizeof(field), "inputs[%zu]", i);
			return tfit_lower_fail(c, field, "cannot %s shapes %s and %s (expected equal or broadcastable shapes)",
					  tfit_layer_types[L->type].name, tfit_lower_shape_str(&acc, a, sizeof(a)),
					  tfit_lower_shape_str(&s, b, sizeof(b)));
		}
		ins[0] = cur;
		ins[1] = x;
		if (i + 1 == L->n_inputs && L->type != TFIT_LAYER_AVERAGE)
			out = tfit_lower_out_tensor(c, dt, &r);
		else {
			char suffix[32];
			snprintf(suffix, sizeof(suffix), "partial%zu", i);
			out = tfit_lower_named_tensor(c, suffix, dt, &r);
		}
		LOWER_TRY(out);
		LOWER_TRY(op = tfit_lower_op(c, type, ins, 2, out, NULL));
		cur = out;
		acc = r;
	}
	if (L->type == TFIT_LAYER_AVERAGE) {
		/* sum * (1/n): a MUL by a scalar constant */
		int32_t ins[2], out;
		ins[0] = cur;
		LOWER_TRY(ins[1] = tfit_lower_const(c, "scale", dt->act, 0, NULL, dt->quantized ? 1 : 0, 0));
		LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &acc));
		LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_MUL, ins, 2, out, NULL));
		LOWER_TRY(tfit_lower_params_delta(c, op, -1, 0));
		cur = out;
	}
	tfit_lower_set_output(c, cur, op);
	return TFIT_OK;
}

static enum tfit_status build_concat(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape s0, s;
	struct tfit_op_options opt;
	int32_t *ins, out, op, axis, j;
	size_t i;
	char a[128], b[128];

	ins = calloc(L->n_inputs, sizeof(*ins));
	if (!ins)
		return tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
	if ((ins[0] = tfit_lower_input(c, 0, dt->act, dt->quantized)) < 0)
		goto fail;
	tfit_lower_shape_of(c, ins[0], &s0);
	axis = (int32_t)(L->axis < 0 ? L->axis + s0.rank : L->axis);
	if (axis <= 0 || axis >= s0.rank) {
		tfit_lower_fail(c, "axis", "axis %lld is out of range for %d-D inputs (the batch axis 0 cannot be concatenated)",
			   (long long)L->axis, s0.rank - 1);
		goto fail;
	}
	for (i = 1; i < L->n_inputs; i++) {
		if ((ins[i] = tfit_lower_input(c, i, dt->act, dt->quantized)) < 0)
			goto fail;
		tfit_lower_shape_of(c, ins[i], &s);
		for (j = 0; j < s0.rank; j++)
			if (s.rank != s0.rank || (j != axis && s.d[j] != s0.d[j]))
				break;
		if (j < s0.rank || s.rank != s0.rank) {
			char field[32];
			snprintf(field, sizeof(field), "inputs[%zu]", i);
			tfit_lower_fail(c, field, "cannot concatenate shapes %s and %s on axis %d (other dimensions must match)",
				   tfit_lower_shape_str(&s0, a, sizeof(a)), tfit_lower_shape_str(&s, b, sizeof(b)), axis);
			goto fail;
		}
		if (tfit_add_u64((uint64_t)s0.d[axis], (uint64_t)s.d[axis], (uint64_t *)&s0.d[axis]) != TFIT_OK) {
			tfit_lower_fail(c, "inputs", "concatenated size overflows");
			goto fail;
		}
	}
	if ((out = tfit_lower_out_tensor(c, dt, &s0)) < 0)
		goto fail;
	tfit_op_options_init(&opt);
	opt.axis = axis;
	if ((op = tfit_lower_op(c, TFIT_OP_CONCATENATION, ins, (uint32_t)L->n_inputs, out, &opt)) < 0)
		goto fail;
	free(ins);
	tfit_lower_set_output(c, out, op);
	return TFIT_OK;
fail:
	free(ins);
	return c->err->code ? c->err->code : TFIT_ERR_NOMEM;
}

/* The producer of input 0 when the current layer may fold or fuse into it. */
static int32_t fusable_producer(struct lower_ctx *c)
{
	const struct lower_value *v = &c->values[tfit_lower_input_layer(c, 0)];
	if (v->op < 0 || v->consumers != 1 || v->is_output)
		return -1;
	if (tfit_op_outputs(&c->sg->ops[v->op])[0] != v->tensor)
		return -1;
	return v->op;
}

static enum tfit_status build_batch_norm(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs;
	int32_t x, op, prod;
	int64_t ch, bn_params;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	ch = xs.d[xs.rank - 1];
	bn_params = ch * (2 + (L->bn_center ? 1 : 0) + (L->bn_scale ? 1 : 0));
	prod = fusable_producer(c);
	if (prod >= 0 && c->sg->ops[prod].opt->activation == TFIT_ACT_NONE &&
	    (c->sg->ops[prod].type == TFIT_OP_CONV_2D ||
	     c->sg->ops[prod].type == TFIT_OP_DEPTHWISE_CONV_2D ||
	     c->sg->ops[prod].type == TFIT_OP_FULLY_CONNECTED ||
	     c->sg->ops[prod].type == TFIT_OP_TRANSPOSE_CONV)) {
		/* folded: scale into the weights, shift into the bias */
		int64_t added = ensure_bias(c, prod, ch, dt);
		LOWER_TRY(added);
		/* a shared batch norm's later application: counted by the first */
		if (!L->weights_from)
			LOWER_TRY(tfit_lower_params_delta(c, prod, bn_params - added, 1));
		tfit_lower_set_output(c, x, prod);
		return TFIT_OK;
	}
	/* standalone: x * scale + shift, per channel (MUL and ADD) */
	{
		int32_t ins[2], mid, out;
		ins[0] = x;
		LOWER_TRY(ins[1] = tfit_lower_const(c, "scale", dt->act, 1, &ch, dt->quantized ? 1 : 0, 0));
		LOWER_TRY(mid = tfit_lower_named_tensor(c, "scaled", dt, &xs));
		LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_MUL, ins, 2, mid, NULL));
		LOWER_TRY(tfit_lower_params_delta(c, op, bn_params - 2 * ch, 0));
		ins[0] = mid;
		LOWER_TRY(ins[1] = tfit_lower_const(c, "shift", dt->act, 1, &ch, dt->quantized ? 1 : 0, 0));
		LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &xs));
		LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_ADD, ins, 2, out, NULL));
		tfit_lower_set_output(c, out, op);
	}
	return TFIT_OK;
}

static enum tfit_status build_activation(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	int32_t x, t, prod;
	uint32_t n_ops = c->sg->n_ops;
	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	prod = fusable_producer(c);
	t = tfit_lower_activation(c, prod, x, c->layer->activation, c->layer->alpha, dt);
	LOWER_TRY(t);
	tfit_lower_set_output(c, t, c->sg->n_ops > n_ops ? (int32_t)c->sg->n_ops - 1 : prod);
	return TFIT_OK;
}

static enum tfit_status build_passthrough(struct lower_ctx *c)
{
	size_t j;
	if (c->layer->n_inputs == 0)
		return tfit_lower_fail(c, "inputs", "unknown input");
	j = tfit_lower_input_layer(c, 0);
	/* dropout/identity vanish: the name aliases the input */
	c->values[c->layer_index].tensor = c->values[j].tensor;
	c->values[c->layer_index].op = c->values[j].op;
	if (c->values[c->layer_index].consumers != 1 || c->values[c->layer_index].is_output)
		tfit_lower_add_consumer(&c->values[j]); /* keep it from being fused away */
	return TFIT_OK;
}

static enum tfit_status build_scale_shift(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	/* Rescaling: x*scale (+offset); Normalization: (x-mean)*(1/sqrt(var)).
	 * Keras counts Normalization's mean, variance and count (2C+1), and
	 * nothing for Rescaling. */
	const struct tfit_layer *L = c->layer;
	int norm = L->type == TFIT_LAYER_NORMALIZATION;
	struct lower_shape xs;
	int32_t x, ins[2], op, out, mid;
	int64_t ch;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	ch = xs.d[xs.rank - 1];
	ins[0] = x;
	if (norm) {
		LOWER_TRY(ins[1] = tfit_lower_const(c, "mean", dt->act, 1, &ch, dt->quantized ? 1 : 0, 0));
		LOWER_TRY(mid = tfit_lower_named_tensor(c, "centered", dt, &xs));
		LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_SUB, ins, 2, mid, NULL));
		LOWER_TRY(tfit_lower_params_delta(c, op, 1, 0)); /* the count */
		ins[0] = mid;
		LOWER_TRY(ins[1] = tfit_lower_const(c, "inv_std", dt->act, 1, &ch, dt->quantized ? 1 : 0, 0));
		LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &xs));
		LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_MUL, ins, 2, out, NULL));
	} else {
		int has_offset = L->offset != 0.0;
		LOWER_TRY(ins[1] = tfit_lower_const(c, "scale", dt->act, 0, NULL, dt->quantized ? 1 : 0, 0));
		LOWER_TRY(out = has_offset ? tfit_lower_named_tensor(c, "scaled", dt, &xs) : tfit_lower_out_tensor(c, dt, &xs));
		LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_MUL, ins, 2, out, NULL));
		LOWER_TRY(tfit_lower_params_delta(c, op, -1, 0));
		if (has_offset) {
			ins[0] = out;
			LOWER_TRY(ins[1] = tfit_lower_const(c, "offset", dt->act, 0, NULL, dt->quantized ? 1 : 0, 0));
			LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &xs));
			LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_ADD, ins, 2, out, NULL));
			LOWER_TRY(tfit_lower_params_delta(c, op, -1, 0));
		}
	}
	tfit_lower_set_output(c, out, op);
	return TFIT_OK;
}

/* PReLU: TFLite's PRELU with a constant alpha of the input's shape (batch
 * excluded), 1 along Keras' shared_axes; Keras counts alpha's elements. */
static enum tfit_status build_prelu(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs;
	int32_t x, ins[2], op, out, i;
	int64_t ad[TFIT_MAX_RANK];

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (xs.rank < 2)
		return tfit_lower_fail(c, "inputs", "prelu expects an input with at least one dimension besides the batch");
	for (i = 1; i < xs.rank; i++)
		ad[i - 1] = (i < 32 && (L->shared_axes & (1u << i))) ? 1 : xs.d[i];
	ins[0] = x;
	LOWER_TRY(ins[1] = tfit_lower_const(c, "alpha", dt->weight, xs.rank - 1, ad, dt->quantized ? 1 : 0, 0));
	LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &xs));
	LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_PRELU, ins, 2, out, NULL));
	tfit_lower_set_output(c, out, op);
	return TFIT_OK;
}

/* REVERSE_V2 along one axis (the time axis of a backward RNN pass). */
enum tfit_status tfit_lower_layer(struct lower_ctx *c)
{
	struct lower_dtypes dt;
	const struct tfit_layer *L = c->layer;
	tfit_lower_dtypes_for(c, L, &dt);
	if (L->zero_cost)
		return build_passthrough(c);
	switch (L->type) {
	case TFIT_LAYER_INPUT: return build_input(c, &dt);
	case TFIT_LAYER_CONV1D: return build_conv1d(c, &dt);
	case TFIT_LAYER_CONV2D:
	case TFIT_LAYER_DEPTHWISE_CONV2D:
	case TFIT_LAYER_SEPARABLE_CONV2D: return build_conv(c, &dt);
	case TFIT_LAYER_CONV2D_TRANSPOSE: return build_conv_transpose(c, &dt);
	case TFIT_LAYER_DENSE: return build_dense(c, &dt);
	case TFIT_LAYER_MAX_POOL1D:
	case TFIT_LAYER_AVG_POOL1D:
	case TFIT_LAYER_MAX_POOL2D:
	case TFIT_LAYER_AVG_POOL2D: return build_pool(c, &dt);
	case TFIT_LAYER_GLOBAL_AVG_POOL1D:
	case TFIT_LAYER_GLOBAL_MAX_POOL1D:
	case TFIT_LAYER_GLOBAL_AVG_POOL2D:
	case TFIT_LAYER_GLOBAL_MAX_POOL2D: return build_global_pool(c, &dt);
	case TFIT_LAYER_FLATTEN:
	case TFIT_LAYER_RESHAPE: return tfit_lower_build_reshape(c, &dt);
	case TFIT_LAYER_PERMUTE: return tfit_lower_build_permute(c, &dt);
	case TFIT_LAYER_ADD:
	case TFIT_LAYER_SUBTRACT:
	case TFIT_LAYER_MULTIPLY:
	case TFIT_LAYER_MAXIMUM:
	case TFIT_LAYER_MINIMUM:
	case TFIT_LAYER_AVERAGE: return build_merge(c, &dt);
	case TFIT_LAYER_CONCATENATE: return build_concat(c, &dt);
	case TFIT_LAYER_BATCH_NORMALIZATION: return build_batch_norm(c, &dt);
	case TFIT_LAYER_ACTIVATION: return build_activation(c, &dt);
	case TFIT_LAYER_DROPOUT:
	case TFIT_LAYER_IDENTITY: return build_passthrough(c);
	case TFIT_LAYER_ZERO_PADDING1D:
	case TFIT_LAYER_ZERO_PADDING2D:
	case TFIT_LAYER_CROPPING2D: return tfit_lower_build_pad_crop(c, &dt);
	case TFIT_LAYER_UPSAMPLING2D: return tfit_lower_build_upsampling(c, &dt);
	case TFIT_LAYER_LSTM:
	case TFIT_LAYER_GRU:
	case TFIT_LAYER_SIMPLE_RNN: return tfit_lower_build_recurrent(c, &dt);
	case TFIT_LAYER_EMBEDDING: return tfit_lower_build_embedding(c, &dt);
	case TFIT_LAYER_RESCALING:
	case TFIT_LAYER_NORMALIZATION: return build_scale_shift(c, &dt);
	case TFIT_LAYER_PRELU: return build_prelu(c, &dt);
	case TFIT_LAYER_REVERSE: return tfit_lower_build_reverse(c, &dt);
	case TFIT_LAYER_TYPE_COUNT: break;
	}
	return tfit_lower_fail(c, "type", "unsupported layer type");
}

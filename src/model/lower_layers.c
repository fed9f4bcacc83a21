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

/* A copy of a tensor's shape (tensor pointers move when tensors are added). */
struct shape {
	int32_t rank;
	int64_t d[TFIT_MAX_RANK];
};

static void shape_of(const struct lower_ctx *c, int32_t t, struct shape *s)
{
	s->rank = c->sg->tensors[t].rank;
	memcpy(s->d, c->sg->tensors[t].dims, sizeof(s->d));
}

/* "49x10x1": the shape without the batch dimension, as users write it. */
static const char *shape_str(const struct shape *s, char *buf, size_t size)
{
	size_t len = 0;
	int32_t i;
	buf[0] = '\0';
	if (s->rank <= 1) {
		snprintf(buf, size, "%s", s->rank == 0 ? "scalar" : "(batch only)");
		return buf;
	}
	for (i = 1; i < s->rank && len + 24 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%lld", i > 1 ? "x" : "",
					(long long)s->d[i]);
	return buf;
}

static enum tfit_status need_rank(struct lower_ctx *c, const struct shape *s, int32_t rank,
				  const char *what)
{
	char buf[128];
	if (s->rank == rank)
		return TFIT_OK;
	return lower_fail(c, "inputs", "%s expects a %d-D input (%s, batch excluded), got %s",
			  tfit_layer_types[c->layer->type].name, rank - 1, what,
			  shape_str(s, buf, sizeof(buf)));
}

/* Output tensor named after the layer. */
static int32_t out_tensor(struct lower_ctx *c, const struct lower_dtypes *dt, const struct shape *s)
{
	return lower_act(c, c->layer->name, dt->act, dt->quantized, s->rank, s->d);
}

static int32_t named_tensor(struct lower_ctx *c, const char *suffix,
			    const struct lower_dtypes *dt, const struct shape *s)
{
	char name[512];
	snprintf(name, sizeof(name), "%.400s/%.100s", c->layer->name, suffix);
	return lower_act(c, name, dt->act, dt->quantized, s->rank, s->d);
}

#define TRY(expr) do { if ((expr) < 0) return c->err->code ? c->err->code : TFIT_ERR_NOMEM; } while (0)

/* Give op a bias input of n channels if it has none; returns the elements added. */
static int64_t ensure_bias(struct lower_ctx *c, int32_t op, int64_t n, const struct lower_dtypes *dt)
{
	struct tfit_op *o = &c->sg->ops[op];
	uint32_t slot = o->type == TFIT_OP_TRANSPOSE_CONV ? 3 : 2;
	uint32_t qcount = dt->quantized ? (uint32_t)(o->type == TFIT_OP_FULLY_CONNECTED ? 1 : n) : 0;
	int32_t b;
	if (slot < o->n_inputs && o->inputs[slot] >= 0)
		return 0;
	b = lower_const(c, "bias", dt->bias, 1, &n, qcount, 0);
	if (b < 0)
		return -1;
	o = &c->sg->ops[op];
	if (slot >= o->n_inputs) {
		int32_t *p = realloc(o->inputs, (slot + 1) * sizeof(*p));
		if (!p)
			return -1;
		o->inputs = p;
		while (o->n_inputs <= slot)
			p[o->n_inputs++] = -1;
	}
	o->inputs[slot] = b;
	return n;
}

/* Shape [1, rest...] built from a list. */
static void mk(struct shape *s, int32_t rank, const int64_t *d)
{
	int32_t i;
	s->rank = rank;
	for (i = 0; i < rank; i++)
		s->d[i] = d[i];
}

static enum tfit_status conv_out2(struct lower_ctx *c, const struct shape *x, int64_t kh, int64_t kw,
				  int64_t *ho, int64_t *wo)
{
	const struct tfit_layer *L = c->layer;
	char buf[128];
	*ho = lower_conv_out(x->d[1], kh, L->strides[0], L->dilation[0], L->padding);
	*wo = lower_conv_out(x->d[2], kw, L->strides[1], L->dilation[1], L->padding);
	if (*ho <= 0 || *wo <= 0)
		return lower_fail(c, L->type == TFIT_LAYER_MAX_POOL2D || L->type == TFIT_LAYER_AVG_POOL2D ||
				  L->type == TFIT_LAYER_MAX_POOL1D || L->type == TFIT_LAYER_AVG_POOL1D
				  ? "pool_size" : "kernel",
				  "window %lldx%lld (dilation %lldx%lld) does not fit the %s input with padding 'valid' (the output would be empty)",
				  (long long)kh, (long long)kw, (long long)L->dilation[0],
				  (long long)L->dilation[1], shape_str(x, buf, sizeof(buf)));
	return TFIT_OK;
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

/* RESHAPE x to shape s (with a const int32 shape input). */
static int32_t reshape_to(struct lower_ctx *c, int32_t x, const struct shape *s, const char *suffix,
			  const struct lower_dtypes *dt, int named_output)
{
	int32_t ins[2], out;
	char cfg[64];
	snprintf(cfg, sizeof(cfg), "%s_shape", suffix);
	ins[0] = x;
	ins[1] = lower_config(c, cfg, s->rank);
	if (ins[1] < 0)
		return -1;
	out = named_output ? out_tensor(c, dt, s) : named_tensor(c, suffix, dt, s);
	if (out < 0 || lower_op(c, TFIT_OP_RESHAPE, ins, 2, out, NULL) < 0)
		return -1;
	return out;
}

/* conv2d / depthwise core on a 4-D input; returns the op, *out the tensor. */
static int32_t conv_core(struct lower_ctx *c, int32_t x, const struct shape *xs, int depthwise,
			 int64_t kh, int64_t kw, int64_t filters, int use_bias,
			 const struct lower_dtypes *dt, const char *out_suffix, int32_t *out)
{
	const struct tfit_layer *L = c->layer;
	struct tfit_op_options opt;
	int64_t ho, wo, cout, wd[4], n;
	struct shape os;
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
	ins[1] = lower_const(c, depthwise ? "depthwise_kernel" : "kernel", dt->weight, 4, wd,
			     dt->quantized ? (uint32_t)cout : 0, depthwise ? 3 : 0);
	if (ins[1] < 0)
		return -1;
	ins[2] = -1;
	if (use_bias) {
		n = cout;
		ins[2] = lower_const(c, "bias", dt->bias, 1, &n, dt->quantized ? (uint32_t)cout : 0, 0);
		if (ins[2] < 0)
			return -1;
	}
	{
		int64_t od[4] = { 1, ho, wo, cout };
		mk(&os, 4, od);
	}
	*out = out_suffix ? named_tensor(c, out_suffix, dt, &os) : out_tensor(c, dt, &os);
	if (*out < 0)
		return -1;
	conv_opts(L, &opt);
	opt.depth_multiplier = depthwise ? (int32_t)L->depth_multiplier : 1;
	op = lower_op(c, depthwise ? TFIT_OP_DEPTHWISE_CONV_2D : TFIT_OP_CONV_2D, ins, 3, *out, &opt);
	return op;
}

static enum tfit_status finish(struct lower_ctx *c, int32_t op, int32_t t,
			       const struct lower_dtypes *dt)
{
	t = lower_activation(c, op, t, c->layer->activation, c->layer->alpha, dt);
	if (t < 0)
		return c->err->code ? c->err->code : TFIT_ERR_NOMEM;
	/* the op that wrote t (for later folding/fusing) */
	lower_set_output(c, t, (int32_t)c->sg->n_ops - 1);
	return TFIT_OK;
}

static enum tfit_status build_input(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape s;
	int32_t i, t;
	enum tfit_dtype d = L->input_dtype != TFIT_DTYPE_UNKNOWN ? L->input_dtype : dt->act;
	s.rank = L->shape_rank + 1;
	s.d[0] = 1;
	for (i = 0; i < L->shape_rank; i++)
		s.d[i + 1] = L->shape[i];
	t = lower_act(c, L->name, d, dt->quantized && d == dt->act, s.rank, s.d);
	TRY(t);
	lower_set_output(c, t, -1);
	return TFIT_OK;
}

static enum tfit_status build_conv(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs;
	int32_t x, op, out;
	int depthwise = L->type == TFIT_LAYER_DEPTHWISE_CONV2D;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (need_rank(c, &xs, 4, "height, width, channels") != TFIT_OK)
		return c->err->code;
	if (L->type == TFIT_LAYER_SEPARABLE_CONV2D) {
		int32_t mid;
		struct shape ms;
		struct tfit_layer saved = *L;
		(void)saved;
		TRY(op = conv_core(c, x, &xs, 1, L->kernel[0], L->kernel[1], 0, 0, dt, "depthwise", &mid));
		shape_of(c, mid, &ms);
		/* pointwise 1x1, stride 1: the strides and dilation belong to the depthwise */
		{
			struct tfit_op_options opt;
			int64_t wd[4] = { L->filters, 1, 1, ms.d[3] }, n = L->filters;
			int64_t od[4] = { 1, ms.d[1], ms.d[2], L->filters };
			int32_t ins[3];
			struct shape os;
			ins[0] = mid;
			TRY(ins[1] = lower_const(c, "pointwise_kernel", dt->weight, 4, wd,
						 dt->quantized ? (uint32_t)L->filters : 0, 0));
			ins[2] = -1;
			if (L->use_bias)
				TRY(ins[2] = lower_const(c, "bias", dt->bias, 1, &n,
							 dt->quantized ? (uint32_t)L->filters : 0, 0));
			mk(&os, 4, od);
			TRY(out = out_tensor(c, dt, &os));
			tfit_op_options_init(&opt);
			opt.padding = TFIT_PAD_SAME;
			TRY(op = lower_op(c, TFIT_OP_CONV_2D, ins, 3, out, &opt));
		}
		return finish(c, op, out, dt);
	}
	TRY(op = conv_core(c, x, &xs, depthwise, L->kernel[0], L->kernel[1], L->filters,
			   L->use_bias, dt, NULL, &out));
	return finish(c, op, out, dt);
}

static enum tfit_status build_conv1d(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	/* The converter runs Conv1D as a 2-D convolution on [1, 1, W, C]
	 * between two reshapes (EXPAND_DIMS / SQUEEZE, deployed as reshapes). */
	const struct tfit_layer *L = c->layer;
	struct shape xs, s4, os;
	int32_t x, x4, op, y, out;
	struct tfit_layer tmp;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (need_rank(c, &xs, 3, "steps, channels") != TFIT_OK)
		return c->err->code;
	{
		int64_t d4[4] = { 1, 1, xs.d[1], xs.d[2] };
		mk(&s4, 4, d4);
	}
	TRY(x4 = reshape_to(c, x, &s4, "expand", dt, 0));
	/* run the 2-D core with kernel 1 x k */
	tmp = *L;
	tmp.strides[0] = 1;
	tmp.strides[1] = L->strides[1];
	tmp.dilation[0] = 1;
	tmp.dilation[1] = L->dilation[1];
	c->layer = &tmp;
	op = conv_core(c, x4, &s4, 0, 1, L->kernel[1], L->filters, L->use_bias, dt, "conv2d", &y);
	c->layer = L;
	TRY(op);
	y = lower_activation(c, op, y, L->activation == TFIT_LACT_RELU ||
			     L->activation == TFIT_LACT_RELU6 ? L->activation : TFIT_LACT_LINEAR,
			     L->alpha, dt);
	TRY(y);
	shape_of(c, y, &os);
	{
		int64_t d3[3] = { 1, os.d[2], os.d[3] };
		mk(&os, 3, d3);
	}
	TRY(out = reshape_to(c, y, &os, "squeeze", dt, 1));
	if (L->activation != TFIT_LACT_RELU && L->activation != TFIT_LACT_RELU6)
		return finish(c, -1, out, dt);
	lower_set_output(c, out, (int32_t)c->sg->n_ops - 1);
	return TFIT_OK;
}

static enum tfit_status build_conv_transpose(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs, os;
	struct tfit_op_options opt;
	int32_t x, ins[4], op, out;
	int64_t ho, wo, wd[4], n = L->filters;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (need_rank(c, &xs, 4, "height, width, channels") != TFIT_OK)
		return c->err->code;
	/* TensorFlow: VALID out = (in-1)*s + k, SAME out = in*s */
	if (L->padding == TFIT_PAD_SAME) {
		if (!tfit_mul_u64((uint64_t)xs.d[1], (uint64_t)L->strides[0], (uint64_t *)&ho) ||
		    !tfit_mul_u64((uint64_t)xs.d[2], (uint64_t)L->strides[1], (uint64_t *)&wo))
			return lower_fail(c, "strides", "output size overflows");
	} else {
		ho = (xs.d[1] - 1) * L->strides[0] + (L->kernel[0] - 1) * L->dilation[0] + 1;
		wo = (xs.d[2] - 1) * L->strides[1] + (L->kernel[1] - 1) * L->dilation[1] + 1;
	}
	wd[0] = L->filters; wd[1] = L->kernel[0]; wd[2] = L->kernel[1]; wd[3] = xs.d[3];
	TRY(ins[0] = lower_config(c, "output_shape", 4));
	TRY(ins[1] = lower_const(c, "kernel", dt->weight, 4, wd, dt->quantized ? (uint32_t)L->filters : 0, 0));
	ins[2] = x;
	ins[3] = -1;
	if (L->use_bias)
		TRY(ins[3] = lower_const(c, "bias", dt->bias, 1, &n, dt->quantized ? (uint32_t)L->filters : 0, 0));
	{
		int64_t od[4] = { 1, ho, wo, L->filters };
		mk(&os, 4, od);
	}
	TRY(out = out_tensor(c, dt, &os));
	conv_opts(L, &opt);
	TRY(op = lower_op(c, TFIT_OP_TRANSPOSE_CONV, ins, 4, out, &opt));
	/* the int32[4] output_shape input is configuration: op_analysis does
	 * not count it as a parameter */
	return finish(c, op, out, dt);
}

static enum tfit_status build_dense(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs, os;
	int32_t x, ins[3], op, out;
	int64_t wd[2], n = L->units;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (xs.rank < 2)
		return lower_fail(c, "inputs", "dense expects an input with at least one feature dimension");
	/* weights [units, in]; per-tensor quantization, TFLite's default for FC */
	wd[0] = L->units;
	wd[1] = xs.d[xs.rank - 1];
	ins[0] = x;
	TRY(ins[1] = lower_const(c, "kernel", dt->weight, 2, wd, dt->quantized ? 1 : 0, 0));
	ins[2] = -1;
	if (L->use_bias)
		TRY(ins[2] = lower_const(c, "bias", dt->bias, 1, &n, dt->quantized ? 1 : 0, 0));
	os = xs;
	os.d[os.rank - 1] = L->units;
	TRY(out = out_tensor(c, dt, &os));
	TRY(op = lower_op(c, TFIT_OP_FULLY_CONNECTED, ins, 3, out, NULL));
	return finish(c, op, out, dt);
}

static enum tfit_status build_pool(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	int one_d = L->type == TFIT_LAYER_MAX_POOL1D || L->type == TFIT_LAYER_AVG_POOL1D;
	int is_max = L->type == TFIT_LAYER_MAX_POOL2D || L->type == TFIT_LAYER_MAX_POOL1D;
	struct shape xs, s4, os;
	struct tfit_op_options opt;
	int32_t x, op, out;
	int64_t ho, wo;
	struct tfit_layer tmp = *L;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (one_d) {
		if (need_rank(c, &xs, 3, "steps, channels") != TFIT_OK)
			return c->err->code;
		{
			int64_t d4[4] = { 1, 1, xs.d[1], xs.d[2] };
			mk(&s4, 4, d4);
		}
		TRY(x = reshape_to(c, x, &s4, "expand", dt, 0));
		xs = s4;
		tmp.pool[0] = 1;
		tmp.strides[0] = 1;
	} else if (need_rank(c, &xs, 4, "height, width, channels") != TFIT_OK) {
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
		mk(&os, 4, od);
	}
	conv_opts(&tmp, &opt);
	opt.filter_h = (int32_t)tmp.pool[0];
	opt.filter_w = (int32_t)tmp.pool[1];
	TRY(out = one_d ? named_tensor(c, "pool", dt, &os) : out_tensor(c, dt, &os));
	TRY(op = lower_op(c, is_max ? TFIT_OP_MAX_POOL_2D : TFIT_OP_AVERAGE_POOL_2D, &x, 1, out, &opt));
	if (one_d) {
		int64_t d3[3] = { 1, wo, xs.d[3] };
		mk(&os, 3, d3);
		TRY(out = reshape_to(c, out, &os, "squeeze", dt, 1));
		op = (int32_t)c->sg->n_ops - 1;
	}
	return finish(c, op, out, dt);
}

static enum tfit_status build_global_pool(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	int two_d = L->type == TFIT_LAYER_GLOBAL_AVG_POOL2D || L->type == TFIT_LAYER_GLOBAL_MAX_POOL2D;
	int is_max = L->type == TFIT_LAYER_GLOBAL_MAX_POOL2D || L->type == TFIT_LAYER_GLOBAL_MAX_POOL1D;
	struct shape xs, os;
	int32_t x, ins[2], op, out;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (need_rank(c, &xs, two_d ? 4 : 3, two_d ? "height, width, channels" : "steps, channels") != TFIT_OK)
		return c->err->code;
	ins[0] = x;
	TRY(ins[1] = lower_config(c, "axes", two_d ? 2 : 1));
	{
		int64_t od[2] = { 1, xs.d[xs.rank - 1] };
		mk(&os, 2, od);
	}
	TRY(out = out_tensor(c, dt, &os));
	TRY(op = lower_op(c, is_max ? TFIT_OP_REDUCE_MAX : TFIT_OP_MEAN, ins, 2, out, NULL));
	return finish(c, op, out, dt);
}

static enum tfit_status build_reshape(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs, os;
	int32_t x, out, i, unknown = -1;
	uint64_t known = 1, total;
	char a[128], b[128];

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	total = c->sg->tensors[x].elements;
	if (L->type == TFIT_LAYER_FLATTEN) {
		if (xs.rank == 2) { /* already flat: the converter drops it */
			lower_set_output(c, x, c->values[c->layer_index].op);
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
			else if (!tfit_mul_u64(known, (uint64_t)L->target[i], &known))
				return lower_fail(c, "target_shape", "target shape overflows 64 bits");
		}
		if (unknown >= 0) {
			if (known == 0 || total % known != 0)
				return lower_fail(c, "target_shape",
						  "cannot infer the -1 dimension: %llu elements do not divide by %llu",
						  (unsigned long long)total, (unsigned long long)known);
			os.d[unknown] = (int64_t)(total / known);
			known = total;
		}
		if (known != total)
			return lower_fail(c, "target_shape",
					  "reshape to %s needs %llu elements, but the input %s has %llu",
					  shape_str(&os, a, sizeof(a)), (unsigned long long)known,
					  shape_str(&xs, b, sizeof(b)), (unsigned long long)total);
	}
	TRY(out = reshape_to(c, x, &os, "reshape", dt, 1));
	lower_set_output(c, out, (int32_t)c->sg->n_ops - 1);
	return TFIT_OK;
}

static enum tfit_status build_permute(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs, os;
	int32_t x, ins[2], out, i, op;
	unsigned seen = 0;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (L->target_rank != xs.rank - 1)
		return lower_fail(c, "dims", "expected a permutation of %d dimensions, got %d",
				  xs.rank - 1, L->target_rank);
	os.rank = xs.rank;
	os.d[0] = 1;
	for (i = 0; i < L->target_rank; i++) {
		int64_t p = L->target[i];
		if (p < 1 || p > L->target_rank || (seen & (1u << p)))
			return lower_fail(c, "dims", "expected a permutation of 1..%d", L->target_rank);
		seen |= 1u << p;
		os.d[i + 1] = xs.d[p];
	}
	ins[0] = x;
	TRY(ins[1] = lower_config(c, "perm", xs.rank));
	TRY(out = out_tensor(c, dt, &os));
	TRY(op = lower_op(c, TFIT_OP_TRANSPOSE, ins, 2, out, NULL));
	lower_set_output(c, out, op);
	return TFIT_OK;
}

/* numpy broadcasting of a and b (aligned at the right) into r */
static int broadcast(const struct shape *a, const struct shape *b, struct shape *r)
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
	struct shape acc, s, r;
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
	TRY(cur = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, cur, &acc);
	for (i = 1; i < L->n_inputs; i++) {
		int32_t x, ins[2], out;
		TRY(x = lower_input(c, i, dt->act, dt->quantized));
		shape_of(c, x, &s);
		if (broadcast(&acc, &s, &r) != 0) {
			char field[32];
			snprintf(field, sizeof(field), "inputs[%zu]", i);
			return lower_fail(c, field, "cannot %s shapes %s and %s (expected equal or broadcastable shapes)",
					  tfit_layer_types[L->type].name, shape_str(&acc, a, sizeof(a)),
					  shape_str(&s, b, sizeof(b)));
		}
		ins[0] = cur;
		ins[1] = x;
		if (i + 1 == L->n_inputs && L->type != TFIT_LAYER_AVERAGE)
			out = out_tensor(c, dt, &r);
		else {
			char suffix[32];
			snprintf(suffix, sizeof(suffix), "partial%zu", i);
			out = named_tensor(c, suffix, dt, &r);
		}
		TRY(out);
		TRY(op = lower_op(c, type, ins, 2, out, NULL));
		cur = out;
		acc = r;
	}
	if (L->type == TFIT_LAYER_AVERAGE) {
		/* sum * (1/n): a MUL by a scalar constant */
		int32_t ins[2], out;
		ins[0] = cur;
		TRY(ins[1] = lower_const(c, "scale", dt->act, 0, NULL, dt->quantized ? 1 : 0, 0));
		TRY(out = out_tensor(c, dt, &acc));
		TRY(op = lower_op(c, TFIT_OP_MUL, ins, 2, out, NULL));
		c->sg->ops[op].source_params_delta = -1;
		cur = out;
	}
	lower_set_output(c, cur, op);
	return TFIT_OK;
}

static enum tfit_status build_concat(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape s0, s;
	struct tfit_op_options opt;
	int32_t *ins, out, op, axis, j;
	size_t i;
	char a[128], b[128];

	ins = calloc(L->n_inputs, sizeof(*ins));
	if (!ins)
		return tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
	if ((ins[0] = lower_input(c, 0, dt->act, dt->quantized)) < 0)
		goto fail;
	shape_of(c, ins[0], &s0);
	axis = (int32_t)(L->axis < 0 ? L->axis + s0.rank : L->axis);
	if (axis <= 0 || axis >= s0.rank) {
		lower_fail(c, "axis", "axis %lld is out of range for %d-D inputs (the batch axis 0 cannot be concatenated)",
			   (long long)L->axis, s0.rank - 1);
		goto fail;
	}
	for (i = 1; i < L->n_inputs; i++) {
		if ((ins[i] = lower_input(c, i, dt->act, dt->quantized)) < 0)
			goto fail;
		shape_of(c, ins[i], &s);
		for (j = 0; j < s0.rank; j++)
			if (s.rank != s0.rank || (j != axis && s.d[j] != s0.d[j]))
				break;
		if (j < s0.rank || s.rank != s0.rank) {
			char field[32];
			snprintf(field, sizeof(field), "inputs[%zu]", i);
			lower_fail(c, field, "cannot concatenate shapes %s and %s on axis %d (other dimensions must match)",
				   shape_str(&s0, a, sizeof(a)), shape_str(&s, b, sizeof(b)), axis);
			goto fail;
		}
		if (!tfit_add_u64((uint64_t)s0.d[axis], (uint64_t)s.d[axis], (uint64_t *)&s0.d[axis])) {
			lower_fail(c, "inputs", "concatenated size overflows");
			goto fail;
		}
	}
	if ((out = out_tensor(c, dt, &s0)) < 0)
		goto fail;
	tfit_op_options_init(&opt);
	opt.axis = axis;
	if ((op = lower_op(c, TFIT_OP_CONCATENATION, ins, (uint32_t)L->n_inputs, out, &opt)) < 0)
		goto fail;
	free(ins);
	lower_set_output(c, out, op);
	return TFIT_OK;
fail:
	free(ins);
	return c->err->code ? c->err->code : TFIT_ERR_NOMEM;
}

/* The producer of input 0 when the current layer may fold or fuse into it. */
static int32_t fusable_producer(struct lower_ctx *c)
{
	const struct lower_value *v = &c->values[lower_input_layer(c, 0)];
	if (v->op < 0 || v->consumers != 1 || v->is_output)
		return -1;
	if (c->sg->ops[v->op].outputs[0] != v->tensor)
		return -1;
	return v->op;
}

static enum tfit_status build_batch_norm(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs;
	int32_t x, op, prod;
	int64_t ch, bn_params;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	ch = xs.d[xs.rank - 1];
	bn_params = ch * (2 + (L->bn_center ? 1 : 0) + (L->bn_scale ? 1 : 0));
	prod = fusable_producer(c);
	if (prod >= 0 && c->sg->ops[prod].opt.activation == TFIT_ACT_NONE &&
	    (c->sg->ops[prod].type == TFIT_OP_CONV_2D ||
	     c->sg->ops[prod].type == TFIT_OP_DEPTHWISE_CONV_2D ||
	     c->sg->ops[prod].type == TFIT_OP_FULLY_CONNECTED ||
	     c->sg->ops[prod].type == TFIT_OP_TRANSPOSE_CONV)) {
		/* folded: scale into the weights, shift into the bias */
		int64_t added = ensure_bias(c, prod, ch, dt);
		TRY(added);
		/* a shared batch norm's later application: counted by the first */
		if (!L->weights_from)
			c->sg->ops[prod].source_params_delta += bn_params - added;
		lower_set_output(c, x, prod);
		return TFIT_OK;
	}
	/* standalone: x * scale + shift, per channel (MUL and ADD) */
	{
		int32_t ins[2], mid, out;
		ins[0] = x;
		TRY(ins[1] = lower_const(c, "scale", dt->act, 1, &ch, dt->quantized ? 1 : 0, 0));
		TRY(mid = named_tensor(c, "scaled", dt, &xs));
		TRY(op = lower_op(c, TFIT_OP_MUL, ins, 2, mid, NULL));
		c->sg->ops[op].source_params_delta = bn_params - 2 * ch;
		ins[0] = mid;
		TRY(ins[1] = lower_const(c, "shift", dt->act, 1, &ch, dt->quantized ? 1 : 0, 0));
		TRY(out = out_tensor(c, dt, &xs));
		TRY(op = lower_op(c, TFIT_OP_ADD, ins, 2, out, NULL));
		lower_set_output(c, out, op);
	}
	return TFIT_OK;
}

static enum tfit_status build_activation(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	int32_t x, t, prod;
	uint32_t n_ops = c->sg->n_ops;
	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	prod = fusable_producer(c);
	t = lower_activation(c, prod, x, c->layer->activation, c->layer->alpha, dt);
	TRY(t);
	lower_set_output(c, t, c->sg->n_ops > n_ops ? (int32_t)c->sg->n_ops - 1 : prod);
	return TFIT_OK;
}

static enum tfit_status build_passthrough(struct lower_ctx *c)
{
	size_t j;
	if (c->layer->n_inputs == 0)
		return lower_fail(c, "inputs", "unknown input");
	j = lower_input_layer(c, 0);
	/* dropout/identity vanish: the name aliases the input */
	c->values[c->layer_index].tensor = c->values[j].tensor;
	c->values[c->layer_index].op = c->values[j].op;
	if (c->values[c->layer_index].consumers != 1 || c->values[c->layer_index].is_output)
		c->values[j].consumers++; /* keep it from being fused away */
	return TFIT_OK;
}

static enum tfit_status build_pad_crop(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	int one_d = L->type == TFIT_LAYER_ZERO_PADDING1D;
	int crop = L->type == TFIT_LAYER_CROPPING2D;
	struct shape xs, os;
	int32_t x, ins[4], op, out;
	char a[128];

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (need_rank(c, &xs, one_d ? 3 : 4, one_d ? "steps, channels" : "height, width, channels") != TFIT_OK)
		return c->err->code;
	os = xs;
	if (one_d) {
		os.d[1] = xs.d[1] + L->pad[0] + L->pad[1];
	} else if (crop) {
		os.d[1] = xs.d[1] - L->pad[0] - L->pad[1];
		os.d[2] = xs.d[2] - L->pad[2] - L->pad[3];
		if (os.d[1] <= 0 || os.d[2] <= 0)
			return lower_fail(c, "cropping", "cropping removes the whole %s input",
					  shape_str(&xs, a, sizeof(a)));
	} else {
		os.d[1] = xs.d[1] + L->pad[0] + L->pad[1];
		os.d[2] = xs.d[2] + L->pad[2] + L->pad[3];
	}
	ins[0] = x;
	if (crop) {
		/* STRIDED_SLICE: begin, end, strides */
		TRY(ins[1] = lower_config(c, "begin", 4));
		TRY(ins[2] = lower_config(c, "end", 4));
		TRY(ins[3] = lower_config(c, "strides", 4));
		TRY(out = out_tensor(c, dt, &os));
		TRY(op = lower_op(c, TFIT_OP_STRIDED_SLICE, ins, 4, out, NULL));
	} else {
		int64_t pd[2] = { xs.rank, 2 };
		TRY(ins[1] = lower_const(c, "paddings", TFIT_DTYPE_INT32, 2, pd, 0, 0));
		TRY(out = out_tensor(c, dt, &os));
		TRY(op = lower_op(c, TFIT_OP_PAD, ins, 2, out, NULL));
	}
	lower_set_output(c, out, op);
	return TFIT_OK;
}

static enum tfit_status build_upsampling(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs, os;
	int32_t x, ins[2], op, out;
	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (need_rank(c, &xs, 4, "height, width, channels") != TFIT_OK)
		return c->err->code;
	os = xs;
	if (!tfit_mul_u64((uint64_t)xs.d[1], (uint64_t)L->size[0], (uint64_t *)&os.d[1]) ||
	    !tfit_mul_u64((uint64_t)xs.d[2], (uint64_t)L->size[1], (uint64_t *)&os.d[2]) ||
	    os.d[1] < 0 || os.d[2] < 0)
		return lower_fail(c, "size", "output size overflows");
	ins[0] = x;
	TRY(ins[1] = lower_config(c, "size", 2));
	TRY(out = out_tensor(c, dt, &os));
	TRY(op = lower_op(c, TFIT_OP_RESIZE_NEAREST_NEIGHBOR, ins, 2, out, NULL));
	lower_set_output(c, out, op);
	return TFIT_OK;
}

/* Keep only the last time step of [1, T, U] (Keras return_sequences=False):
 * the converter emits a STRIDED_SLICE with shrink_axis on the time axis. */
static int32_t last_step(struct lower_ctx *c, int32_t seq, int64_t units, const struct lower_dtypes *dt)
{
	struct shape os;
	int32_t ins[4], out;
	int64_t od[2] = { 1, units };
	mk(&os, 2, od);
	ins[0] = seq;
	if ((ins[1] = lower_config(c, "begin", 3)) < 0 || (ins[2] = lower_config(c, "end", 3)) < 0 ||
	    (ins[3] = lower_config(c, "strides", 3)) < 0)
		return -1;
	if ((out = out_tensor(c, dt, &os)) < 0)
		return -1;
	if (lower_op(c, TFIT_OP_STRIDED_SLICE, ins, 4, out, NULL) < 0)
		return -1;
	return out;
}

static int32_t state_tensor(struct lower_ctx *c, const char *suffix, enum tfit_dtype d,
			    int64_t units, int quantized)
{
	char name[512];
	int64_t dims[2] = { 1, units };
	int32_t t;
	snprintf(name, sizeof(name), "%.400s/%s", c->layer->name, suffix);
	t = lower_act(c, name, d, quantized, 2, dims);
	if (t >= 0)
		c->sg->tensors[t].flags |= TFIT_TENSOR_VARIABLE;
	return t;
}

static enum tfit_status build_recurrent(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs, os;
	struct tfit_op_options opt;
	int32_t x, op, out, ins[24];
	int64_t U = L->units, in, wd[2];
	uint32_t q = dt->quantized ? 1 : 0, i;
	int direct = L->type == TFIT_LAYER_GRU; /* tinyfit's GRU op emits the final shape */

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (need_rank(c, &xs, 3, "steps, features") != TFIT_OK)
		return c->err->code;
	in = xs.d[2];
	for (i = 0; i < 24; i++)
		ins[i] = -1;
	ins[0] = x;
	tfit_op_options_init(&opt);
	opt.units = (int32_t)U;
	if (L->type == TFIT_LAYER_LSTM) {
		/* UNIDIRECTIONAL_SEQUENCE_LSTM's 24 inputs: 4 input weights [U,in],
		 * 4 recurrent weights [U,U], 3 peepholes (absent), 4 gate biases [U],
		 * projection (absent), output and cell state (variables), 4 layer
		 * norms (absent). int8: cell state is int16 (TFLite's int8 LSTM). */
		static const char *const gate[4] = { "input", "forget", "cell", "output" };
		char nm[64];
		for (i = 0; i < 4; i++) {
			wd[0] = U; wd[1] = in;
			snprintf(nm, sizeof(nm), "%s_kernel", gate[i]);
			TRY(ins[1 + i] = lower_const(c, nm, dt->weight, 2, wd, q, 0));
			wd[1] = U;
			snprintf(nm, sizeof(nm), "%s_recurrent_kernel", gate[i]);
			TRY(ins[5 + i] = lower_const(c, nm, dt->weight, 2, wd, q, 0));
		}
		for (i = 0; i < 4; i++) {
			snprintf(nm, sizeof(nm), "%s_bias", gate[i]);
			TRY(ins[12 + i] = lower_const(c, nm, dt->bias, 1, &U, q, 0));
		}
		TRY(ins[18] = state_tensor(c, "output_state", dt->act, U, dt->quantized));
		TRY(ins[19] = state_tensor(c, "cell_state",
					   dt->quantized ? TFIT_DTYPE_INT16 : TFIT_DTYPE_FLOAT32, U,
					   dt->quantized));
		opt.activation = TFIT_ACT_TANH;
	} else if (L->type == TFIT_LAYER_SIMPLE_RNN) {
		wd[0] = U; wd[1] = in;
		TRY(ins[1] = lower_const(c, "kernel", dt->weight, 2, wd, q, 0));
		wd[1] = U;
		TRY(ins[2] = lower_const(c, "recurrent_kernel", dt->weight, 2, wd, q, 0));
		TRY(ins[3] = lower_const(c, "bias", dt->bias, 1, &U, q, 0));
		TRY(ins[4] = state_tensor(c, "hidden_state", dt->act, U, dt->quantized));
		opt.activation = L->activation == TFIT_LACT_RELU ? TFIT_ACT_RELU : TFIT_ACT_TANH;
	} else {
		/* GRU: kernel [3U, in], recurrent [3U, U], bias [2, 3U] (reset_after)
		 * or [3U], state [1, U] */
		int64_t bd[2] = { 2, 3 * U };
		wd[0] = 3 * U; wd[1] = in;
		TRY(ins[1] = lower_const(c, "kernel", dt->weight, 2, wd, q, 0));
		wd[1] = U;
		TRY(ins[2] = lower_const(c, "recurrent_kernel", dt->weight, 2, wd, q, 0));
		if (L->reset_after)
			TRY(ins[3] = lower_const(c, "bias", dt->bias, 2, bd, q, 0));
		else
			TRY(ins[3] = lower_const(c, "bias", dt->bias, 1, &bd[1], q, 0));
		TRY(ins[4] = state_tensor(c, "state", dt->act, U, dt->quantized));
		opt.reset_after = L->reset_after;
	}
	if (direct && !L->return_sequences) {
		int64_t od[2] = { 1, U };
		mk(&os, 2, od);
	} else {
		int64_t od[3] = { 1, xs.d[1], U };
		mk(&os, 3, od);
	}
	if (direct || L->return_sequences)
		TRY(out = out_tensor(c, dt, &os));
	else
		TRY(out = named_tensor(c, "sequence", dt, &os));
	TRY(op = lower_op(c, L->type == TFIT_LAYER_LSTM ? TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM :
			  L->type == TFIT_LAYER_SIMPLE_RNN ? TFIT_OP_UNIDIRECTIONAL_SEQUENCE_RNN :
			  TFIT_OP_GRU,
			  ins, L->type == TFIT_LAYER_LSTM ? 24 : 5, out, &opt));
	if (!direct && !L->return_sequences)
		TRY(out = last_step(c, out, U, dt));
	lower_set_output(c, out, (int32_t)c->sg->n_ops - 1);
	return TFIT_OK;
}

static enum tfit_status build_embedding(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs, os;
	int32_t x, ins[2], op, out, i;
	int64_t td[2] = { L->input_dim, L->output_dim };

	TRY(x = lower_input(c, 0, TFIT_DTYPE_UNKNOWN, 0));
	shape_of(c, x, &xs);
	TRY(ins[0] = lower_const(c, "embeddings", dt->weight, 2, td, dt->quantized ? 1 : 0, 0));
	ins[1] = x;
	if (xs.rank + 1 > TFIT_MAX_RANK)
		return lower_fail(c, "inputs", "input rank too large");
	os.rank = xs.rank + 1;
	for (i = 0; i < xs.rank; i++)
		os.d[i] = xs.d[i];
	os.d[xs.rank] = L->output_dim;
	TRY(out = out_tensor(c, dt, &os));
	TRY(op = lower_op(c, TFIT_OP_GATHER, ins, 2, out, NULL));
	lower_set_output(c, out, op);
	return TFIT_OK;
}

static enum tfit_status build_scale_shift(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	/* Rescaling: x*scale (+offset); Normalization: (x-mean)*(1/sqrt(var)).
	 * Keras counts Normalization's mean, variance and count (2C+1), and
	 * nothing for Rescaling. */
	const struct tfit_layer *L = c->layer;
	int norm = L->type == TFIT_LAYER_NORMALIZATION;
	struct shape xs;
	int32_t x, ins[2], op, out, mid;
	int64_t ch;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	ch = xs.d[xs.rank - 1];
	ins[0] = x;
	if (norm) {
		TRY(ins[1] = lower_const(c, "mean", dt->act, 1, &ch, dt->quantized ? 1 : 0, 0));
		TRY(mid = named_tensor(c, "centered", dt, &xs));
		TRY(op = lower_op(c, TFIT_OP_SUB, ins, 2, mid, NULL));
		c->sg->ops[op].source_params_delta = 1; /* the count */
		ins[0] = mid;
		TRY(ins[1] = lower_const(c, "inv_std", dt->act, 1, &ch, dt->quantized ? 1 : 0, 0));
		TRY(out = out_tensor(c, dt, &xs));
		TRY(op = lower_op(c, TFIT_OP_MUL, ins, 2, out, NULL));
	} else {
		int has_offset = L->offset != 0.0;
		TRY(ins[1] = lower_const(c, "scale", dt->act, 0, NULL, dt->quantized ? 1 : 0, 0));
		TRY(out = has_offset ? named_tensor(c, "scaled", dt, &xs) : out_tensor(c, dt, &xs));
		TRY(op = lower_op(c, TFIT_OP_MUL, ins, 2, out, NULL));
		c->sg->ops[op].source_params_delta = -1;
		if (has_offset) {
			ins[0] = out;
			TRY(ins[1] = lower_const(c, "offset", dt->act, 0, NULL, dt->quantized ? 1 : 0, 0));
			TRY(out = out_tensor(c, dt, &xs));
			TRY(op = lower_op(c, TFIT_OP_ADD, ins, 2, out, NULL));
			c->sg->ops[op].source_params_delta = -1;
		}
	}
	lower_set_output(c, out, op);
	return TFIT_OK;
}

/* PReLU: TFLite's PRELU with a constant alpha of the input's shape (batch
 * excluded), 1 along Keras' shared_axes; Keras counts alpha's elements. */
static enum tfit_status build_prelu(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs;
	int32_t x, ins[2], op, out, i;
	int64_t ad[TFIT_MAX_RANK];

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	if (xs.rank < 2)
		return lower_fail(c, "inputs", "prelu expects an input with at least one dimension besides the batch");
	for (i = 1; i < xs.rank; i++)
		ad[i - 1] = (i < 32 && (L->shared_axes & (1u << i))) ? 1 : xs.d[i];
	ins[0] = x;
	TRY(ins[1] = lower_const(c, "alpha", dt->weight, xs.rank - 1, ad, dt->quantized ? 1 : 0, 0));
	TRY(out = out_tensor(c, dt, &xs));
	TRY(op = lower_op(c, TFIT_OP_PRELU, ins, 2, out, NULL));
	lower_set_output(c, out, op);
	return TFIT_OK;
}

/* REVERSE_V2 along one axis (the time axis of a backward RNN pass). */
static enum tfit_status build_reverse(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct shape xs;
	int32_t x, ins[2], op, out;
	int64_t axis;

	TRY(x = lower_input(c, 0, dt->act, dt->quantized));
	shape_of(c, x, &xs);
	axis = L->axis < 0 ? L->axis + xs.rank : L->axis;
	if (axis <= 0 || axis >= xs.rank)
		return lower_fail(c, "axis", "axis %lld is out of range for %d-D inputs",
				  (long long)L->axis, xs.rank - 1);
	ins[0] = x;
	TRY(ins[1] = lower_config(c, "axis", 1));
	TRY(out = out_tensor(c, dt, &xs));
	TRY(op = lower_op(c, TFIT_OP_REVERSE_V2, ins, 2, out, NULL));
	lower_set_output(c, out, op);
	return TFIT_OK;
}

enum tfit_status lower_layer(struct lower_ctx *c)
{
	struct lower_dtypes dt;
	const struct tfit_layer *L = c->layer;
	lower_dtypes_for(c, L, &dt);
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
	case TFIT_LAYER_RESHAPE: return build_reshape(c, &dt);
	case TFIT_LAYER_PERMUTE: return build_permute(c, &dt);
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
	case TFIT_LAYER_CROPPING2D: return build_pad_crop(c, &dt);
	case TFIT_LAYER_UPSAMPLING2D: return build_upsampling(c, &dt);
	case TFIT_LAYER_LSTM:
	case TFIT_LAYER_GRU:
	case TFIT_LAYER_SIMPLE_RNN: return build_recurrent(c, &dt);
	case TFIT_LAYER_EMBEDDING: return build_embedding(c, &dt);
	case TFIT_LAYER_RESCALING:
	case TFIT_LAYER_NORMALIZATION: return build_scale_shift(c, &dt);
	case TFIT_LAYER_PRELU: return build_prelu(c, &dt);
	case TFIT_LAYER_REVERSE: return build_reverse(c, &dt);
	case TFIT_LAYER_TYPE_COUNT: break;
	}
	return lower_fail(c, "type", "unsupported layer type");
}

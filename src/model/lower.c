/*
 * lower.c - turn a layer list (native or Keras JSON) into the IR the way the
 * TFLite converter deploys it: execution order, name resolution, dtypes and
 * quantization parameters, batch-norm folding and activation fusing. The
 * per-type builders are in lower_layers.c.
 */
#include "lower_ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "util/strmap.h"

void tfit_lower_dtypes_for(const struct lower_ctx *c, const struct tfit_layer *layer,
		      struct lower_dtypes *dt)
{
	enum tfit_dtype d = layer && layer->dtype != TFIT_DTYPE_UNKNOWN ? layer->dtype
									: c->list->dtype;
	switch (d) {
	case TFIT_DTYPE_INT8:
		/* TFLite full-integer: int8 weights and activations, int32 bias */
		dt->act = TFIT_DTYPE_INT8;
		dt->weight = TFIT_DTYPE_INT8;
		dt->bias = TFIT_DTYPE_INT32;
		dt->quantized = 1;
		break;
	case TFIT_DTYPE_INT4:
		/* int4 weights (packed two per byte) with int8 activations */
		dt->act = TFIT_DTYPE_INT8;
		dt->weight = TFIT_DTYPE_INT4;
		dt->bias = TFIT_DTYPE_INT32;
		dt->quantized = 1;
		break;
	case TFIT_DTYPE_INT16:
		/* TFLite's 16x8 mode: int16 activations, int8 weights, int64 bias */
		dt->act = TFIT_DTYPE_INT16;
		dt->weight = TFIT_DTYPE_INT8;
		dt->bias = TFIT_DTYPE_INT64;
		dt->quantized = 1;
		break;
	case TFIT_DTYPE_FLOAT16:
		/* float16 weights; the runtime computes in float32 */
		dt->act = TFIT_DTYPE_FLOAT32;
		dt->weight = TFIT_DTYPE_FLOAT16;
		dt->bias = TFIT_DTYPE_FLOAT16;
		dt->quantized = 0;
		break;
	default:
		dt->act = TFIT_DTYPE_FLOAT32;
		dt->weight = TFIT_DTYPE_FLOAT32;
		dt->bias = TFIT_DTYPE_FLOAT32;
		dt->quantized = 0;
		break;
	}
}

enum tfit_status tfit_lower_fail(struct lower_ctx *c, const char *field, const char *fmt, ...)
{
	char path[TFIT_ERROR_PATH_MAX];
	char msg[TFIT_ERROR_MSG_MAX];
	va_list ap;
	const char *base = c->layer && c->layer->path ? c->layer->path : "";
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (field && *base)
		snprintf(path, sizeof(path), "%.120s.%.120s", base, field);
	else
		snprintf(path, sizeof(path), "%.200s", field ? field : base);
	return tfit_error_set(c->err, TFIT_ERR_INPUT, c->file, path, "%s", msg);
}

static int32_t add_tensor(struct lower_ctx *c, const char *name, enum tfit_dtype dt,
			  int32_t rank, const int64_t *dims, uint32_t flags)
{
	int32_t t = tfit_subgraph_add_tensor(c->sg, name, dt, rank, dims, flags, c->err);
	if (t < 0 && c->err->code == TFIT_ERR_INPUT)
		tfit_lower_fail(c, NULL, "%s", c->err->message); /* add the layer's path */
	return t;
}

int32_t tfit_lower_act(struct lower_ctx *c, const char *name, enum tfit_dtype dt, int quantized,
		  int32_t rank, const int64_t *dims)
{
	int32_t t = add_tensor(c, name, dt, rank, dims, 0);
	if (t >= 0 && quantized && tfit_tensor_set_quant_scheme(c->sg, &c->sg->tensors[t], 1, 1, 0) != 0) {
		tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
		return -1;
	}
	return t;
}

/* Whether x has these rank dimensions. */
static int same_dims(const struct tfit_tensor *x, int32_t rank, const int64_t *dims)
{
	int32_t i;
	for (i = 0; i < rank; i++)
		if (tfit_dim(x, i) != dims[i])
			return 0;
	return 1;
}

int32_t tfit_lower_const(struct lower_ctx *c, const char *suffix, enum tfit_dtype dt,
		    int32_t rank, const int64_t *dims, uint32_t qcount, int32_t qdim)
{
	char name[512];
	int32_t t;
	/* A shared layer's applications name their constants after the owner
	 * and use one set: the first application lowered creates them. */
	snprintf(name, sizeof(name), "%.400s/%.100s",
		 c->layer->weights_from ? c->layer->weights_from : c->layer->name, suffix);
	if (c->layer->shared) {
		uint32_t i;
		for (i = 0; i < c->sg->n_tensors; i++) {
			const struct tfit_tensor *x = &c->sg->tensors[i];
			if ((x->flags & TFIT_TENSOR_CONST) && x->name && x->dtype == dt &&
			    x->rank == rank && strcmp(x->name, name) == 0 &&
			    same_dims(x, rank, dims))
				return (int32_t)i;
		}
	}
	t = add_tensor(c, name, dt, rank, dims, TFIT_TENSOR_CONST);
	if (t >= 0) {
		struct tfit_tensor *x = &c->sg->tensors[t];
		if (tfit_tensor_set_quant_scheme(c->sg, x, qcount, qcount, qdim) != 0) {
			tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
			return -1;
		}
		if (tfit_tensor_set_data_bytes(c->sg, x, tfit_tensor_bytes(x)) != 0) {
			tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
			return -1;
		}
	}
	return t;
}

int tfit_lower_params_delta(struct lower_ctx *c, int32_t op, int64_t delta, int add)
{
	struct tfit_op *o = &c->sg->ops[op];
	if (add)
		delta += tfit_op_source_params_delta(o);
	if (tfit_op_set_source_params_delta(c->sg, o, delta) != 0) {
		tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
		return -1;
	}
	return 0;
}

int32_t tfit_lower_config(struct lower_ctx *c, const char *suffix, int64_t n)
{
	return tfit_lower_const(c, suffix, TFIT_DTYPE_INT32, 1, &n, 0, 0);
}

int32_t tfit_lower_op(struct lower_ctx *c, enum tfit_op_type type, const int32_t *in, uint32_t n_in,
		 int32_t out, const struct tfit_op_options *opt)
{
	int32_t op = tfit_subgraph_add_op(c->sg, type, c->layer->name, in, n_in, &out, 1, opt);
	if (op < 0) {
		tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
		return -1;
	}
	return op;
}

void tfit_lower_set_output(struct lower_ctx *c, int32_t tensor, int32_t op)
{
	c->values[c->layer_index].tensor = tensor;
	c->values[c->layer_index].op = op;
}

size_t tfit_lower_input_layer(const struct lower_ctx *c, size_t i)
{
	return c->input_idx[c->input_at[c->layer_index] + i];
}

int32_t tfit_lower_input(struct lower_ctx *c, size_t i, enum tfit_dtype dt, int quantized)
{
	const char *name = c->layer->inputs[i];
	size_t idx;
	int32_t src, out, op;
	struct tfit_op_options opt;
	char tname[512];
	enum tfit_op_type type;
	const struct tfit_tensor *t;
	/* inputs were resolved before lowering (resolve()) */
	idx = tfit_lower_input_layer(c, i);
	src = c->values[idx].tensor;
	if (src < 0) { /* producers are lowered first (topo_order) */
		tfit_error_set(c->err, TFIT_ERR_INTERNAL, c->file, NULL,
			       "layer '%s' used before it was lowered", name);
		return -1;
	}
	t = &c->sg->tensors[src];
	if (t->dtype == dt || dt == TFIT_DTYPE_UNKNOWN ||
	    t->dtype == TFIT_DTYPE_INT32 || t->dtype == TFIT_DTYPE_INT64)
		return src;
	/* Mixed precision: the converter inserts QUANTIZE (float->int,
	 * int->int requantize) or DEQUANTIZE (int->float) at the boundary. */
	type = (dt == TFIT_DTYPE_FLOAT32 || dt == TFIT_DTYPE_FLOAT16) ? TFIT_OP_DEQUANTIZE
								     : TFIT_OP_QUANTIZE;
	snprintf(tname, sizeof(tname), "%.400s/%s", name,
		 type == TFIT_OP_QUANTIZE ? "quantize" : "dequantize");
	{
		int64_t dims[TFIT_MAX_RANK];
		int32_t rank = t->rank;
		tfit_tensor_copy_dims(t, dims);
		out = tfit_lower_act(c, tname, dt, quantized, rank, dims);
	}
	if (out < 0)
		return -1;
	tfit_op_options_init(&opt);
	op = tfit_subgraph_add_op(c->sg, type, tname, &src, 1, &out, 1, &opt);
	if (op < 0) {
		tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
		return -1;
	}
	return out;
}

int64_t tfit_lower_conv_out(int64_t in, int64_t k, int64_t stride, int64_t dilation,
		       enum tfit_padding pad)
{
	int64_t eff;
	if (in <= 0 || k <= 0 || stride <= 0 || dilation <= 0)
		return -1;
	if (k > INT32_MAX || dilation > INT32_MAX)
		return -1;
	eff = (k - 1) * dilation + 1;
	if (pad == TFIT_PAD_SAME)
		return (in + stride - 1) / stride;
	if (eff > in)
		return -1;
	return (in - eff) / stride + 1;
}

/* relu and relu6 fuse into conv/depthwise/FC/add/sub/mul/pool/concat. */
static int fusable_op(enum tfit_op_type t)
{
	switch (t) {
	case TFIT_OP_CONV_2D: case TFIT_OP_DEPTHWISE_CONV_2D: case TFIT_OP_FULLY_CONNECTED:
	case TFIT_OP_ADD: case TFIT_OP_SUB: case TFIT_OP_MUL: case TFIT_OP_AVERAGE_POOL_2D:
	case TFIT_OP_MAX_POOL_2D: case TFIT_OP_CONCATENATION: case TFIT_OP_TRANSPOSE_CONV:
		return 1;
	default:
		return 0;
	}
}

int32_t tfit_lower_activation(struct lower_ctx *c, int32_t op, int32_t tensor,
			 enum tfit_layer_act act, double alpha,
			 const struct lower_dtypes *dt)
{
	enum tfit_op_type type;
	struct tfit_op_options opt;
	int32_t out, o;
	char name[512];
	int64_t dims[TFIT_MAX_RANK];
	int32_t rank;

	if (act == TFIT_LACT_LINEAR)
		return tensor;
	if ((act == TFIT_LACT_RELU || act == TFIT_LACT_RELU6) && op >= 0 &&
	    fusable_op(c->sg->ops[op].type) && c->sg->ops[op].opt->activation == TFIT_ACT_NONE &&
	    tfit_op_outputs(&c->sg->ops[op])[0] == tensor) {
		opt = *c->sg->ops[op].opt;
		opt.activation = act == TFIT_LACT_RELU ? TFIT_ACT_RELU : TFIT_ACT_RELU6;
		if (tfit_op_set_options(c->sg, &c->sg->ops[op], &opt) != 0) {
			tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
			return -1;
		}
		return tensor;
	}
	switch (act) {
	case TFIT_LACT_RELU: type = TFIT_OP_RELU; break;
	case TFIT_LACT_RELU6: type = TFIT_OP_RELU6; break;
	case TFIT_LACT_SIGMOID: case TFIT_LACT_HARD_SIGMOID: type = TFIT_OP_LOGISTIC; break;
	case TFIT_LACT_TANH: type = TFIT_OP_TANH; break;
	case TFIT_LACT_SOFTMAX: type = TFIT_OP_SOFTMAX; break;
	case TFIT_LACT_HARD_SWISH: type = TFIT_OP_HARD_SWISH; break;
	case TFIT_LACT_LEAKY_RELU: type = TFIT_OP_LEAKY_RELU; break;
	case TFIT_LACT_ELU: type = TFIT_OP_ELU; break;
	case TFIT_LACT_GELU: type = TFIT_OP_GELU; break;
	case TFIT_LACT_EXP: type = TFIT_OP_EXP; break;
	case TFIT_LACT_SWISH: {
		/* x * sigmoid(x): LOGISTIC then MUL */
		int32_t sig, ins[2];
		rank = c->sg->tensors[tensor].rank;
		tfit_tensor_copy_dims(&c->sg->tensors[tensor], dims);
		snprintf(name, sizeof(name), "%.400s/sigmoid", c->layer->name);
		sig = tfit_lower_act(c, name, dt->act, dt->quantized, rank, dims);
		if (sig < 0 || tfit_lower_op(c, TFIT_OP_LOGISTIC, &tensor, 1, sig, NULL) < 0)
			return -1;
		snprintf(name, sizeof(name), "%.400s/swish", c->layer->name);
		out = tfit_lower_act(c, name, dt->act, dt->quantized, rank, dims);
		ins[0] = tensor;
		ins[1] = sig;
		if (out < 0 || tfit_lower_op(c, TFIT_OP_MUL, ins, 2, out, NULL) < 0)
			return -1;
		return out;
	}
	default:
		return tensor;
	}
	tfit_op_options_init(&opt);
	opt.alpha = (float)alpha;
	rank = c->sg->tensors[tensor].rank;
	tfit_tensor_copy_dims(&c->sg->tensors[tensor], dims);
	snprintf(name, sizeof(name), "%.400s/%s", c->layer->name, tfit_layer_act_name(act));
	out = tfit_lower_act(c, name, dt->act, dt->quantized, rank, dims);
	if (out < 0)
		return -1;
	o = tfit_lower_op(c, type, &tensor, 1, out, &opt);
	return o < 0 ? -1 : out;
}

/* ---- ordering and name resolution ---- */

static enum tfit_status resolve(struct lower_ctx *c, struct tfit_strmap *names)
{
	const struct tfit_layer_list *l = c->list;
	size_t i, k;
	for (i = 0; i < l->n_layers; i++) {
		const struct tfit_layer *layer = tfit_layer_at(l, i);
		size_t prev;
		c->layer = layer;
		if (tfit_strmap_get(names, layer->name, &prev))
			return tfit_lower_fail(c, "name", "duplicate layer name '%s' (also used by %s)",
					  layer->name, tfit_layer_at(l, prev)->path);
		if (tfit_strmap_put(names, layer->name, i) != 0)
			return tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
		c->values[i].tensor = -1;
		c->values[i].op = -1;
		c->values[i].is_input = layer->type == TFIT_LAYER_INPUT;
		/* finish_counts() adds these after the records are freed */
		if (layer->zero_cost && !layer->weights_from && layer->declared_params > 0 &&
		    tfit_acc_u64(&c->extra_params, (uint64_t)layer->declared_params) != TFIT_OK)
			c->extra_overflow = 1;
	}
	{
		/* where each layer's input indices start (tfit_layers_lower
		 * checked that the total fits) */
		uint32_t at = 0;
		for (i = 0; i < l->n_layers; i++) {
			c->input_at[i] = at;
			at += (uint32_t)tfit_layer_at(l, i)->n_inputs;
		}
		c->input_at[l->n_layers] = at;
	}
	for (i = 0; i < l->n_layers; i++) {
		const struct tfit_layer *layer = tfit_layer_at(l, i);
		c->layer = layer;
		for (k = 0; k < layer->n_inputs; k++) {
			size_t j;
			char field[64];
			snprintf(field, sizeof(field), "inputs[%zu]", k);
			if (!tfit_strmap_get(names, layer->inputs[k], &j)) {
				size_t best = 99, best_j = 0, q;
				for (q = 0; q < l->n_layers && l->n_layers < 5000; q++) {
					size_t d = tfit_edit_distance(layer->inputs[k],
								      tfit_layer_at(l, q)->name);
					if (d < best) {
						best = d;
						best_j = q;
					}
				}
				if (best <= 3)
					return tfit_lower_fail(c, field, "unknown layer '%s' (did you mean '%s'?)",
							  layer->inputs[k], tfit_layer_at(l, best_j)->name);
				return tfit_lower_fail(c, field, "unknown layer '%s' (expected the name of a layer or input)",
						  layer->inputs[k]);
			}
			if (j == i)
				return tfit_lower_fail(c, field, "layer '%s' takes its own output as input (a cycle)",
						  layer->name);
			c->input_idx[c->input_at[i] + k] = (uint32_t)j;
			tfit_lower_add_consumer(&c->values[j]);
		}
	}
	/* the outputs too, so that names can go before the lowering; an
	 * unknown one is reported after it (set_outputs()), as before */
	if (!(c->output_idx = malloc((l->n_outputs ? l->n_outputs : 1) * sizeof(size_t))))
		return tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
	for (i = 0; i < l->n_outputs; i++) {
		size_t j;
		c->output_idx[i] = SIZE_MAX;
		if (tfit_strmap_get(names, l->outputs[i], &j)) {
			c->output_idx[i] = j;
			c->values[j].is_output = 1;
		}
	}
	return TFIT_OK;
}

/* Iterative depth-first post-order: producers before consumers, the file's
 * order kept where it is already valid; a back edge is a cycle. */
static enum tfit_status topo_order(struct lower_ctx *c)
{
	const struct tfit_layer_list *l = c->list;
	size_t n = l->n_layers, done = 0, i;
	unsigned char *state = calloc(n ? n : 1, 1); /* 0 new, 1 on stack, 2 done */
	size_t *stack = malloc((n ? n : 1) * sizeof(size_t));
	size_t *next = calloc(n ? n : 1, sizeof(size_t));
	enum tfit_status rc = TFIT_OK;
	if (!state || !stack || !next) {
		rc = tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		size_t sp = 0;
		if (state[i])
			continue;
		stack[sp++] = i;
		state[i] = 1;
		while (sp) {
			size_t v = stack[sp - 1];
			if (next[v] < tfit_layer_at(l, v)->n_inputs) {
				size_t u = c->input_idx[c->input_at[v] + next[v]++];
				if (state[u] == 1) {
					c->layer = tfit_layer_at(l, v);
					rc = tfit_lower_fail(c, "inputs",
							"cycle: layer '%s' depends on '%s', which depends back on '%s'",
							c->layer->name, tfit_layer_at(l, u)->name,
							c->layer->name);
					goto out;
				}
				if (state[u] == 0) {
					state[u] = 1;
					stack[sp++] = u;
				}
			} else {
				state[v] = 2;
				c->order[done++] = (uint32_t)v;
				sp--;
			}
		}
	}
out:
	free(state);
	free(stack);
	free(next);
	return rc;
}

static enum tfit_status set_outputs(struct lower_ctx *c)
{
	const struct tfit_layer_list *l = c->list;
	int32_t *outs = NULL, *ins = NULL;
	uint32_t n_out = 0, n_in = 0;
	size_t i;
	enum tfit_status rc = TFIT_OK;

	outs = malloc((l->n_outputs + 1) * sizeof(*outs));
	ins = malloc((l->n_layers + 1) * sizeof(*ins));
	if (!outs || !ins) {
		rc = tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
		goto out;
	}
	if (l->n_outputs == 0) {
		/* default: the last layer in execution order */
		outs[n_out++] = c->values[c->order[l->n_layers - 1]].tensor;
	}
	for (i = 0; i < l->n_outputs; i++) {
		size_t j = c->output_idx[i];
		if (j == SIZE_MAX) {
			char path[64];
			snprintf(path, sizeof(path), "outputs[%zu]", i);
			rc = tfit_error_set(c->err, TFIT_ERR_INPUT, c->file, path,
					    "unknown layer '%s' (expected the name of a layer)",
					    l->outputs[i]);
			goto out;
		}
		outs[n_out++] = c->values[j].tensor;
	}
	for (i = 0; i < l->n_layers; i++)
		if (c->values[i].is_input)
			ins[n_in++] = c->values[i].tensor;
	if (tfit_subgraph_set_io(c->sg, ins, n_in, outs, n_out) != 0)
		rc = tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
out:
	free(outs);
	free(ins);
	return rc;
}

/* A shared layer's later application (weights_from set) uses the weights
 * of the first: the framework counts them once, so the ops it added count
 * nothing towards the framework's params (they still count as deployed). */
static int discount_shared(struct lower_ctx *c, uint32_t o0)
{
	uint32_t o, k;
	for (o = o0; o < c->sg->n_ops; o++) {
		struct tfit_op *op = &c->sg->ops[o];
		int64_t consts = 0;
		for (k = 0; k < op->n_inputs; k++) {
			int32_t t = op->inputs[k];
			if (t >= 0 && (uint32_t)t < c->sg->n_tensors &&
			    (c->sg->tensors[t].flags & TFIT_TENSOR_CONST) &&
			    tfit_tensor_elements(&c->sg->tensors[t]) <= (uint64_t)INT32_MAX * 1024)
				consts += (int64_t)tfit_tensor_elements(&c->sg->tensors[t]);
		}
		if (tfit_lower_params_delta(c, (int32_t)o, -consts, 0) != 0)
			return -1;
	}
	return 0;
}

/* Zero-cost layers whose weight count the file declares add it to the
 * framework's count; the reader's warnings move to the model; a declared
 * total that differs from the count is a warning. */
static enum tfit_status finish_counts(struct lower_ctx *c)
{
	const struct tfit_layer_list *l = c->list;
	uint64_t extra = c->extra_params; /* summed by resolve() */
	size_t i;
	if (c->extra_overflow)
		return tfit_error_set(c->err, TFIT_ERR_INPUT, c->file, NULL,
				      "model totals overflow 64 bits");
	if (extra) {
		uint64_t total;
		if (tfit_add_u64(c->m->params, extra, &total) != TFIT_OK)
			return tfit_error_set(c->err, TFIT_ERR_INPUT, c->file, NULL,
					      "model totals overflow 64 bits");
		c->m->framework_params = total;
		c->m->params = total;
	}
	for (i = 0; i < l->n_warnings; i++)
		tfit_model_warn(c->m, "%s", l->warnings[i]);
	if (l->has_declared_params && l->declared_params >= 0 &&
	    (uint64_t)l->declared_params != c->m->params)
		tfit_model_warn(c->m, "the file's weights hold %lld parameters, but tinyfit counts %llu "
				"from the layer configs (a layer it models differently?)",
				(long long)l->declared_params, (unsigned long long)c->m->params);
	return TFIT_OK;
}

enum tfit_status tfit_layers_lower(struct tfit_layer_list *l, const char *file,
				   enum tfit_model_format format, struct tfit_model **out,
				   struct tfit_error *err)
{
	struct lower_ctx c;
	struct tfit_strmap names;
	size_t i;
	enum tfit_status rc = TFIT_OK;
	int has_input = 0;
	uint32_t *lowered = NULL; /* per chunk: how many of its layers are lowered */
	uint32_t *indices = NULL; /* c.input_at, c.order and c.input_idx */
	uint64_t n_inputs = 0;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	tfit_strmap_init(&names);
	c.list = l;
	c.file = file;
	c.err = err;
	for (i = 0; i < l->n_layers; i++) {
		if (tfit_layer_at(l, i)->type == TFIT_LAYER_INPUT)
			has_input = 1;
		if (n_inputs <= UINT32_MAX)
			n_inputs += tfit_layer_at(l, i)->n_inputs;
	}
	if (!has_input)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "inputs",
				      "the model has no inputs (expected at least one input with a shape)");
	if (l->n_layers == 0 || l->n_layers > SIZE_MAX / sizeof(size_t) / 4)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "layers",
				      "the model has no layers (expected at least one)");
	/* layer indices and input counts are uint32_t */
	if (l->n_layers > UINT32_MAX / 4 || n_inputs > UINT32_MAX / 2)
		return tfit_error_set(err, TFIT_ERR_LIMIT, file, "layers",
				      "the model has more than %u layers or %u layer inputs (the limit)",
				      UINT32_MAX / 4, UINT32_MAX / 2);
	c.m = tfit_model_new();
	c.values = calloc(l->n_layers, sizeof(*c.values));
	/* one block: over glibc's mmap threshold on a large model, so that
	 * its pages go back to the system when it is freed rather than stay
	 * in the brk heap for the rest of the run (issue #17) */
	indices = calloc(2 * l->n_layers + 1 + (size_t)n_inputs, sizeof(*indices));
	lowered = calloc(l->n_chunks ? l->n_chunks : 1, sizeof(*lowered));
	if (!c.m || !c.values || !indices || !lowered) {
		rc = tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
		goto out;
	}
	c.input_at = indices;
	c.order = indices + l->n_layers + 1;
	c.input_idx = c.order + l->n_layers;
	c.sg = &c.m->subgraphs[0];
	c.m->format = format;
	c.m->dtype = l->dtype;
	if (tfit_strdup_to(&c.m->name, l->name ? l->name : "model") != TFIT_OK ||
	    tfit_strdup_to(&c.m->path, file) != TFIT_OK) {
		rc = tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
		goto out;
	}
	rc = resolve(&c, &names);
	/* every name is an index now: the map (2 x 8 bytes a slot, at most
	 * half of them used) goes before the IR is built beside the list
	 * (1 MiB for 20,001 layers; issue #17) */
	tfit_strmap_release(&names);
	if (rc != TFIT_OK)
		goto out;
	rc = topo_order(&c);
	if (rc != TFIT_OK)
		goto out;
	for (i = 0; i < l->n_layers; i++) {
		uint32_t o0 = c.sg->n_ops;
		size_t ch;
		c.layer_index = c.order[i];
		c.layer = tfit_layer_at(l, c.layer_index);
		rc = tfit_lower_layer(&c);
		if (rc != TFIT_OK)
			goto out;
		if (c.layer->weights_from && discount_shared(&c, o0) != 0) {
			rc = c.err->code ? c.err->code : TFIT_ERR_NOMEM;
			goto out;
		}
		/* Later layers see this one only through c.values (its tensor
		 * and op): a chunk whose layers are all lowered is freed while
		 * the IR grows (issue #17). */
		ch = c.layer_index / TFIT_LAYER_CHUNK;
		c.layer = NULL;
		if (++lowered[ch] == (ch + 1 < l->n_chunks ? TFIT_LAYER_CHUNK
				      : l->n_layers - ch * TFIT_LAYER_CHUNK)) {
			free(l->chunks[ch]);
			l->chunks[ch] = NULL;
		}
	}
	if (c.sg->n_ops == 0) {
		rc = tfit_error_set(err, TFIT_ERR_INPUT, file, "layers",
				    "the model has no operations after lowering (only inputs, dropout or identity layers)");
		goto out;
	}
	rc = set_outputs(&c);
	if (rc != TFIT_OK)
		goto out;
	rc = tfit_model_analyze(c.m, err);
	if (rc != TFIT_OK)
		goto out;
	rc = finish_counts(&c);
	if (rc != TFIT_OK)
		goto out;
	*out = c.m;
	c.m = NULL;
out:
	free(indices);
	free(c.values);
	free(c.output_idx);
	free(lowered);
	tfit_strmap_release(&names);
	tfit_model_free(c.m);
	return rc;
}

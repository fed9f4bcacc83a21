/*
 * lower_recurrent.c - builders for sequence layers: LSTM
 * (UNIDIRECTIONAL_SEQUENCE_LSTM), SimpleRNN (UNIDIRECTIONAL_SEQUENCE_RNN),
 * GRU (one tinyfit op), the last-step slice Keras' return_sequences=False
 * adds, the reverse pass of Bidirectional, and Embedding (GATHER).
 */
#include "lower_ctx.h"

#include <stdio.h>
#include <string.h>

/* Keep only the last time step of [1, T, U] (Keras return_sequences=False):
 * the converter emits a STRIDED_SLICE with shrink_axis on the time axis. */
static int32_t last_step(struct lower_ctx *c, int32_t seq, int64_t units, const struct lower_dtypes *dt)
{
	struct lower_shape os;
	int32_t ins[4], out;
	int64_t od[2] = { 1, units };
	tfit_lower_mk(&os, 2, od);
	ins[0] = seq;
	if ((ins[1] = tfit_lower_config(c, "begin", 3)) < 0 || (ins[2] = tfit_lower_config(c, "end", 3)) < 0 ||
	    (ins[3] = tfit_lower_config(c, "strides", 3)) < 0)
		return -1;
	if ((out = tfit_lower_out_tensor(c, dt, &os)) < 0)
		return -1;
	if (tfit_lower_op(c, TFIT_OP_STRIDED_SLICE, ins, 4, out, NULL) < 0)
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
	t = tfit_lower_act(c, name, d, quantized, 2, dims);
	if (t >= 0)
		c->sg->tensors[t].flags |= TFIT_TENSOR_VARIABLE;
	return t;
}

enum tfit_status tfit_lower_build_recurrent(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs, os;
	struct tfit_op_options opt;
	int32_t x, op, out, ins[24];
	int64_t U = L->units, in, wd[2];
	uint32_t q = dt->quantized ? 1 : 0, i;
	int direct = L->type == TFIT_LAYER_GRU; /* tinyfit's GRU op emits the final shape */

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	if (tfit_lower_need_rank(c, &xs, 3, "steps, features") != TFIT_OK)
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
			LOWER_TRY(ins[1 + i] = tfit_lower_const(c, nm, dt->weight, 2, wd, q, 0));
			wd[1] = U;
			snprintf(nm, sizeof(nm), "%s_recurrent_kernel", gate[i]);
			LOWER_TRY(ins[5 + i] = tfit_lower_const(c, nm, dt->weight, 2, wd, q, 0));
		}
		for (i = 0; i < 4; i++) {
			snprintf(nm, sizeof(nm), "%s_bias", gate[i]);
			LOWER_TRY(ins[12 + i] = tfit_lower_const(c, nm, dt->bias, 1, &U, q, 0));
		}
		LOWER_TRY(ins[18] = state_tensor(c, "output_state", dt->act, U, dt->quantized));
		LOWER_TRY(ins[19] = state_tensor(c, "cell_state",
					   dt->quantized ? TFIT_DTYPE_INT16 : TFIT_DTYPE_FLOAT32, U,
					   dt->quantized));
		opt.activation = TFIT_ACT_TANH;
	} else if (L->type == TFIT_LAYER_SIMPLE_RNN) {
		wd[0] = U; wd[1] = in;
		LOWER_TRY(ins[1] = tfit_lower_const(c, "kernel", dt->weight, 2, wd, q, 0));
		wd[1] = U;
		LOWER_TRY(ins[2] = tfit_lower_const(c, "recurrent_kernel", dt->weight, 2, wd, q, 0));
		LOWER_TRY(ins[3] = tfit_lower_const(c, "bias", dt->bias, 1, &U, q, 0));
		LOWER_TRY(ins[4] = state_tensor(c, "hidden_state", dt->act, U, dt->quantized));
		opt.activation = L->activation == TFIT_LACT_RELU ? TFIT_ACT_RELU : TFIT_ACT_TANH;
	} else {
		/* GRU: kernel [3U, in], recurrent [3U, U], bias [2, 3U] (reset_after)
		 * or [3U], state [1, U] */
		int64_t bd[2] = { 2, 3 * U };
		wd[0] = 3 * U; wd[1] = in;
		LOWER_TRY(ins[1] = tfit_lower_const(c, "kernel", dt->weight, 2, wd, q, 0));
		wd[1] = U;
		LOWER_TRY(ins[2] = tfit_lower_const(c, "recurrent_kernel", dt->weight, 2, wd, q, 0));
		if (L->reset_after)
			LOWER_TRY(ins[3] = tfit_lower_const(c, "bias", dt->bias, 2, bd, q, 0));
		else
			LOWER_TRY(ins[3] = tfit_lower_const(c, "bias", dt->bias, 1, &bd[1], q, 0));
		LOWER_TRY(ins[4] = state_tensor(c, "state", dt->act, U, dt->quantized));
		opt.reset_after = L->reset_after;
	}
	if (direct && !L->return_sequences) {
		int64_t od[2] = { 1, U };
		tfit_lower_mk(&os, 2, od);
	} else {
		int64_t od[3] = { 1, xs.d[1], U };
		tfit_lower_mk(&os, 3, od);
	}
	if (direct || L->return_sequences)
		LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
	else
		LOWER_TRY(out = tfit_lower_named_tensor(c, "sequence", dt, &os));
	LOWER_TRY(op = tfit_lower_op(c, L->type == TFIT_LAYER_LSTM ? TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM :
			  L->type == TFIT_LAYER_SIMPLE_RNN ? TFIT_OP_UNIDIRECTIONAL_SEQUENCE_RNN :
			  TFIT_OP_GRU,
			  ins, L->type == TFIT_LAYER_LSTM ? 24 : 5, out, &opt));
	if (!direct && !L->return_sequences)
		LOWER_TRY(out = last_step(c, out, U, dt));
	tfit_lower_set_output(c, out, (int32_t)c->sg->n_ops - 1);
	return TFIT_OK;
}

enum tfit_status tfit_lower_build_embedding(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs, os;
	int32_t x, ins[2], op, out, i;
	int64_t td[2] = { L->input_dim, L->output_dim };

	LOWER_TRY(x = tfit_lower_input(c, 0, TFIT_DTYPE_UNKNOWN, 0));
	tfit_lower_shape_of(c, x, &xs);
	LOWER_TRY(ins[0] = tfit_lower_const(c, "embeddings", dt->weight, 2, td, dt->quantized ? 1 : 0, 0));
	ins[1] = x;
	if (xs.rank + 1 > TFIT_MAX_RANK)
		return tfit_lower_fail(c, "inputs", "input rank too large");
	os.rank = xs.rank + 1;
	for (i = 0; i < xs.rank; i++)
		os.d[i] = xs.d[i];
	os.d[xs.rank] = L->output_dim;
	LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &os));
	LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_GATHER, ins, 2, out, NULL));
	tfit_lower_set_output(c, out, op);
	return TFIT_OK;
}

enum tfit_status tfit_lower_build_reverse(struct lower_ctx *c, const struct lower_dtypes *dt)
{
	const struct tfit_layer *L = c->layer;
	struct lower_shape xs;
	int32_t x, ins[2], op, out;
	int64_t axis;

	LOWER_TRY(x = tfit_lower_input(c, 0, dt->act, dt->quantized));
	tfit_lower_shape_of(c, x, &xs);
	axis = L->axis < 0 ? L->axis + xs.rank : L->axis;
	if (axis <= 0 || axis >= xs.rank)
		return tfit_lower_fail(c, "axis", "axis %lld is out of range for %d-D inputs",
				  (long long)L->axis, xs.rank - 1);
	ins[0] = x;
	LOWER_TRY(ins[1] = tfit_lower_config(c, "axis", 1));
	LOWER_TRY(out = tfit_lower_out_tensor(c, dt, &xs));
	LOWER_TRY(op = tfit_lower_op(c, TFIT_OP_REVERSE_V2, ins, 2, out, NULL));
	tfit_lower_set_output(c, out, op);
	return TFIT_OK;
}

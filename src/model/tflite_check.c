/*
 * tflite_check.c - whole-model checks and facts after a .tflite file is
 * lowered (see tflite_ops.h): execution order without cycles, control-flow
 * subgraph indices without call cycles, the hybrid diagnosis, the model
 * dtype, and recurrent units derived from the weight tensors.
 *
 * TFLM itself checks none of the first two: its AllocationInfoBuilder
 * (micro_allocation_info.cc) recurses into IF/WHILE/CALL_ONCE subgraphs
 * without a guard and assumes ops are in execution order, so a file that
 * breaks them crashes or mis-plans TFLM; tinyfit rejects it instead.
 */
#include "model/tflite_ops.h"
#include "tinyfit/checked.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum tfit_status nomem(const char *file, struct tfit_error *err)
{
	return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
}

static const char *op_label(const struct tfit_op *op)
{
	if (tfit_op_custom_name(op))
		return tfit_op_custom_name(op);
	return tfit_op_desc(op->type)->name;
}

/* No op reads a tensor that it or a later op produces. */
static enum tfit_status check_order(const struct tfit_subgraph *sg, uint32_t si,
				    const char *file, struct tfit_error *err)
{
	int32_t *producer;
	uint32_t i, k;
	enum tfit_status rc = TFIT_OK;

	if (sg->n_tensors == 0)
		return TFIT_OK;
	producer = malloc((size_t)sg->n_tensors * sizeof(*producer));
	if (!producer)
		return nomem(file, err);
	for (i = 0; i < sg->n_tensors; i++)
		producer[i] = -1;
	/* One producer per tensor, each output listed once (TFLM's
	 * AllocationInfoBuilder records a single first write per tensor). */
	for (i = 0; i < sg->n_ops && rc == TFIT_OK; i++) {
		const struct tfit_op *op = &sg->ops[i];
		for (k = 0; k < op->n_outputs && rc == TFIT_OK; k++) {
			int32_t t = tfit_op_outputs(op)[k], p = producer[t];
			char path[TFIT_ERROR_PATH_MAX];
			uint32_t j = 0;
			if (p < 0) {
				producer[t] = (int32_t)i;
				continue;
			}
			snprintf(path, sizeof(path), "subgraphs[%lu].operators[%lu].outputs[%lu]",
				 (unsigned long)si, (unsigned long)i, (unsigned long)k);
			if ((uint32_t)p != i) {
				rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
						    "operator %s writes tensor %ld, already an "
						    "output of operators[%ld]: a tensor has one "
						    "producer", op_label(op), (long)t, (long)p);
				break;
			}
			while (tfit_op_outputs(op)[j] != t)
				j++;
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "operator %s lists tensor %ld twice (outputs[%lu] "
					    "and outputs[%lu]): an operator writes each output "
					    "once", op_label(op), (long)t, (unsigned long)j,
					    (unsigned long)k);
		}
	}
	for (i = 0; i < sg->n_ops && rc == TFIT_OK; i++) {
		const struct tfit_op *op = &sg->ops[i];
		for (k = 0; k < op->n_inputs; k++) {
			int32_t t = op->inputs[k], p;
			char path[TFIT_ERROR_PATH_MAX];
			if (t < 0 || (sg->tensors[t].flags & TFIT_TENSOR_CONST))
				continue;
			p = producer[t];
			if (p < 0 || (uint32_t)p < i)
				continue;
			snprintf(path, sizeof(path), "subgraphs[%lu].operators[%lu].inputs[%lu]",
				 (unsigned long)si, (unsigned long)i, (unsigned long)k);
			if ((uint32_t)p == i)
				rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
						    "operator %s reads tensor %ld, its own output: "
						    "the operators form a cycle", op_label(op),
						    (long)t);
			else
				rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
						    "operator %s reads tensor %ld before "
						    "operators[%ld] produces it: the operators "
						    "form a cycle or are not in execution order",
						    op_label(op), (long)t, (long)p);
			break;
		}
	}
	free(producer);
	return rc;
}

/* Subgraphs an op calls: up to two indices; returns how many. */
static int callees(const struct tfit_op *op, int32_t out[2])
{
	switch (op->tflite_code) {
	case TFL_OP_IF:
	case TFL_OP_WHILE:
		out[0] = op->opt->subgraph[0];
		out[1] = op->opt->subgraph[1];
		return 2;
	case TFL_OP_CALL_ONCE:
	case TFL_OP_CALL:
		out[0] = op->opt->subgraph[0];
		return 1;
	default:
		return 0;
	}
}

struct frame {
	uint32_t sg;
	uint32_t op;
	int slot;
};

/*
 * Every called subgraph index is in range and no subgraph calls itself
 * through any chain (iterative depth-first search, so a long chain cannot
 * exhaust the C stack).
 */
static enum tfit_status check_calls(const struct tfit_model *m, const char *file,
				    struct tfit_error *err)
{
	uint8_t *state = NULL;   /* 0 new, 1 on the current path, 2 done */
	struct frame *stack = NULL;
	uint32_t root, depth, s, i;
	enum tfit_status rc = TFIT_OK;
	char path[TFIT_ERROR_PATH_MAX];

	for (s = 0; s < m->n_subgraphs; s++) {
		const struct tfit_subgraph *sg = &m->subgraphs[s];
		for (i = 0; i < sg->n_ops; i++) {
			int32_t c[2];
			int n = callees(&sg->ops[i], c), k;
			for (k = 0; k < n; k++) {
				if (c[k] >= 0 && (uint32_t)c[k] < m->n_subgraphs)
					continue;
				snprintf(path, sizeof(path), "subgraphs[%lu].operators[%lu]."
					 "builtin_options", (unsigned long)s, (unsigned long)i);
				return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
						      "%s calls subgraph %ld, out of range "
						      "(the model has %lu subgraphs)",
						      op_label(&sg->ops[i]), (long)c[k],
						      (unsigned long)m->n_subgraphs);
			}
		}
	}
	state = calloc(m->n_subgraphs, 1);
	stack = malloc((size_t)m->n_subgraphs * sizeof(*stack));
	if (!state || !stack) {
		rc = nomem(file, err);
		goto out;
	}
	for (root = 0; root < m->n_subgraphs && rc == TFIT_OK; root++) {
		if (state[root])
			continue;
		depth = 0;
		stack[depth++] = (struct frame){ root, 0, 0 };
		state[root] = 1;
		while (depth > 0 && rc == TFIT_OK) {
			struct frame *f = &stack[depth - 1];
			const struct tfit_subgraph *sg = &m->subgraphs[f->sg];
			int32_t c[2];
			int n;
			if (f->op >= sg->n_ops) {
				state[f->sg] = 2;
				depth--;
				continue;
			}
			n = callees(&sg->ops[f->op], c);
			if (f->slot >= n) {
				f->op++;
				f->slot = 0;
				continue;
			}
			s = (uint32_t)c[f->slot++];
			if (state[s] == 1) {
				snprintf(path, sizeof(path), "subgraphs[%lu].operators[%lu]",
					 (unsigned long)f->sg, (unsigned long)f->op);
				rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
						    "%s calls subgraph %lu, which is already "
						    "running: the subgraph calls form a cycle",
						    op_label(&sg->ops[f->op]), (unsigned long)s);
			} else if (state[s] == 0) {
				state[s] = 1;
				stack[depth++] = (struct frame){ s, 0, 0 };
			}
		}
	}
out:
	free(state);
	free(stack);
	return rc;
}

static const struct tfit_tensor *input_tensor(const struct tfit_subgraph *sg,
					      const struct tfit_op *op, uint32_t k)
{
	if (k >= op->n_inputs || op->inputs[k] < 0)
		return NULL;
	return &sg->tensors[op->inputs[k]];
}

/*
 * TFLM's conv, depthwise, transpose conv and fully connected kernels
 * reject float32 activations with integer weights (conv_common.cc,
 * depthwise_conv_common.cc, transpose_conv.cc, fully_connected.cc:
 * "Hybrid models are not supported on TFLite Micro").
 */
static void find_hybrid(struct tfit_model *m)
{
	uint32_t s, i;
	for (s = 0; s < m->n_subgraphs; s++) {
		const struct tfit_subgraph *sg = &m->subgraphs[s];
		for (i = 0; i < sg->n_ops; i++) {
			const struct tfit_op *op = &sg->ops[i];
			const struct tfit_tensor *in, *w;
			uint32_t in_idx = 0;
			switch (op->type) {
			case TFIT_OP_TRANSPOSE_CONV:
				in_idx = 2; /* [output_shape, weights, input, bias] */
				break;
			case TFIT_OP_CONV_2D:
			case TFIT_OP_DEPTHWISE_CONV_2D:
			case TFIT_OP_FULLY_CONNECTED:
				break;
			default:
				continue;
			}
			in = input_tensor(sg, op, in_idx);
			w = input_tensor(sg, op, 1);
			if (!in || !w || in->dtype != TFIT_DTYPE_FLOAT32 ||
			    (w->dtype != TFIT_DTYPE_INT8 && w->dtype != TFIT_DTYPE_UINT8 &&
			     w->dtype != TFIT_DTYPE_INT4))
				continue;
			if (!m->hybrid) {
				m->hybrid = 1;
				m->hybrid_subgraph = (int32_t)s;
				m->hybrid_op = (int32_t)i;
				tfit_model_warn(m, "hybrid model: subgraphs[%lu].operators[%lu] "
						"(%s) has float32 activations and %s weights; "
						"TFLite Micro rejects it (\"Hybrid models are not "
						"supported on TFLite Micro\")", (unsigned long)s,
						(unsigned long)i, op_label(op),
						tfit_dtype_name(w->dtype));
			}
		}
	}
}

/* The weighted ops (conv, FC, recurrent, SVDF) are those that count MACs. */
static int has_weights(const struct tfit_op *op)
{
	return tfit_op_type_counts_macs((enum tfit_op_type)op->type);
}

/*
 * The model's dtype: the dtype holding the most constant bytes among the
 * non-int32 constant inputs of weighted ops (conv, FC, recurrent) of the
 * main graph; int32 is left out because quantized biases are int32. Without
 * weighted ops: the same over every op's constant inputs; without any: the
 * first graph input's dtype.
 */
static void set_model_dtype(struct tfit_model *m)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint64_t bytes[TFIT_DTYPE_COUNT];
	int pass, d, best = -1;
	uint32_t i, k;

	for (pass = 0; pass < 2 && best < 0; pass++) {
		memset(bytes, 0, sizeof(bytes));
		for (i = 0; i < sg->n_ops; i++) {
			const struct tfit_op *op = &sg->ops[i];
			if (pass == 0 && !has_weights(op))
				continue;
			for (k = 0; k < op->n_inputs; k++) {
				const struct tfit_tensor *t = input_tensor(sg, op, k);
				if (!t || !(t->flags & TFIT_TENSOR_CONST) ||
				    t->dtype == TFIT_DTYPE_INT32)
					continue;
				bytes[t->dtype] = tfit_sat_add_u64(bytes[t->dtype],
								   tfit_tensor_data_bytes(t));
			}
		}
		for (d = 1; d < TFIT_DTYPE_COUNT; d++)
			if (bytes[d] > 0 && (best < 0 || bytes[d] > bytes[best]))
				best = d;
	}
	if (best < 0 && sg->n_inputs > 0)
		best = (int)sg->tensors[sg->inputs[0]].dtype;
	m->dtype = best < 0 ? TFIT_DTYPE_UNKNOWN : (enum tfit_dtype)best;
}

/*
 * Recurrent state size from the weights (the options do not carry it):
 * LSTM input_to_output_weights (input 4) is [n_cell, n_input]; RNN
 * input weights (input 1) are [units, n_input]; SVDF weights_feature
 * (input 1) is [num_filters, n_input] with num_filters = units * rank.
 */
static enum tfit_status set_units(struct tfit_model *m, const char *file,
				   struct tfit_error *err)
{
	uint32_t s, i;
	for (s = 0; s < m->n_subgraphs; s++) {
		struct tfit_subgraph *sg = &m->subgraphs[s];
		for (i = 0; i < sg->n_ops; i++) {
			struct tfit_op *op = &sg->ops[i];
			struct tfit_op_options opt;
			const struct tfit_tensor *w = NULL;
			enum tfit_analysis_kind a = tfit_op_desc(op->type)->analysis;
			if (a == TFIT_ANALYSIS_LSTM)
				w = input_tensor(sg, op, 4);
			else if (a == TFIT_ANALYSIS_RNN || a == TFIT_ANALYSIS_SVDF)
				w = input_tensor(sg, op, 1);
			if (!w || w->rank < 1 || tfit_dim(w, 0) > INT32_MAX)
				continue;
			opt = *op->opt;
			opt.units = (int32_t)tfit_dim(w, 0);
			if (a == TFIT_ANALYSIS_SVDF && opt.rank > 0)
				opt.units /= opt.rank;
			if (tfit_op_set_options(sg, op, &opt) != 0)
				return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
		}
	}
	return TFIT_OK;
}

enum tfit_status tfit_tfl_check_model(struct tfit_model *m, const char *file,
				 struct tfit_error *err)
{
	uint32_t s;
	enum tfit_status rc;
	for (s = 0; s < m->n_subgraphs; s++)
		if ((rc = tfit_tfl_check_arity(&m->subgraphs[s], s, file, err)) != TFIT_OK ||
		    (rc = check_order(&m->subgraphs[s], s, file, err)) != TFIT_OK)
			return rc;
	if ((rc = check_calls(m, file, err)) != TFIT_OK)
		return rc;
	find_hybrid(m);
	set_model_dtype(m);
	return set_units(m, file, err);
}

/* model_shapes.c - print the kernel-cycles grid entries (one JSON object per
 * line) for the int8 ops of a model's main graph, read with tinyfit's own
 * model reader. Build: see README.md. */
#include <stdio.h>
#include <string.h>

#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"

static const struct tfit_tensor *T(const struct tfit_subgraph *sg, const struct tfit_op *op,
				   uint32_t i, int out)
{
	int32_t t = out ? (i < op->n_outputs ? tfit_op_outputs(op)[i] : -1)
			: (i < op->n_inputs ? op->inputs[i] : -1);
	return t >= 0 && (uint32_t)t < sg->n_tensors ? &sg->tensors[t] : NULL;
}

/* dims of a rank-4 NHWC tensor; lower ranks fill from the right */
static void nhwc(const struct tfit_tensor *t, long long d[4])
{
	d[0] = d[1] = d[2] = d[3] = 1;
	for (int32_t i = 0; i < t->rank && i < 4; i++)
		d[4 - t->rank + i] = tfit_dim(t, i);
}

int main(int argc, char **argv)
{
	for (int a = 1; a < argc; a++) {
		struct tfit_load_opts o;
		struct tfit_model *m = NULL;
		struct tfit_error e;
		tfit_load_opts_init(&o);
		if (tfit_model_load(argv[a], &o, &m, &e) != TFIT_OK) {
			fprintf(stderr, "%s: cannot read\n", argv[a]);
			return 2;
		}
		const struct tfit_subgraph *sg = &m->subgraphs[0];
		const char *base = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a];
		for (uint32_t k = 0; k < sg->n_ops; k++) {
			const struct tfit_op *op = &sg->ops[k];
			const struct tfit_tensor *in = T(sg, op, 0, 0), *w = T(sg, op, 1, 0),
						 *out = T(sg, op, 0, 1);
			const char *name = NULL;
			long long i[4], f[4], y[4];
			if (!in || !out || in->dtype != TFIT_DTYPE_INT8)
				continue;
			switch (op->type) {
			case TFIT_OP_CONV_2D: name = "conv"; break;
			case TFIT_OP_DEPTHWISE_CONV_2D: name = "dwconv"; break;
			case TFIT_OP_FULLY_CONNECTED: name = "fc"; break;
			case TFIT_OP_AVERAGE_POOL_2D: name = "avgpool"; break;
			case TFIT_OP_MAX_POOL_2D: name = "maxpool"; break;
			case TFIT_OP_SOFTMAX: name = "softmax"; break;
			case TFIT_OP_ADD: name = "add"; break;
			case TFIT_OP_MUL: name = "mul"; break;
			default: continue;
			}
			nhwc(in, i);
			nhwc(out, y);
			printf("{\"model\": \"%s\", \"layer\": %u, \"op\": \"%s\"", base, k, name);
			if (op->type == TFIT_OP_FULLY_CONNECTED) {
				if (!w || w->rank != 2)
					continue;
				printf(", \"n\": %lld, \"c\": %lld, \"oc\": %lld}\n",
				       (long long)(tfit_tensor_elements(in) / (uint64_t)tfit_dim(w, 1)),
				       (long long)tfit_dim(w, 1), (long long)tfit_dim(w, 0));
				continue;
			}
			if (op->type == TFIT_OP_SOFTMAX || op->type == TFIT_OP_ADD ||
			    op->type == TFIT_OP_MUL) {
				printf(", \"n\": %lld, \"c\": %lld}\n",
				       op->type == TFIT_OP_SOFTMAX ? (long long)(tfit_tensor_elements(out) /
					       (uint64_t)y[3]) : 1LL,
				       op->type == TFIT_OP_SOFTMAX ? y[3] : (long long)tfit_tensor_elements(out));
				continue;
			}
			printf(", \"n\": %lld, \"h\": %lld, \"w\": %lld, \"c\": %lld", i[0], i[1], i[2],
			       i[3]);
			if (op->type == TFIT_OP_CONV_2D || op->type == TFIT_OP_DEPTHWISE_CONV_2D) {
				if (!w)
					continue;
				nhwc(w, f);
				printf(", \"oc\": %lld, \"kh\": %lld, \"kw\": %lld, \"dh\": %d, \"dw\": %d",
				       y[3], f[1], f[2], op->opt->dilation_h, op->opt->dilation_w);
				if (op->type == TFIT_OP_DEPTHWISE_CONV_2D)
					printf(", \"ch_mult\": %lld", i[3] ? y[3] / i[3] : 1);
			} else {
				printf(", \"kh\": %d, \"kw\": %d", op->opt->filter_h, op->opt->filter_w);
			}
			printf(", \"sh\": %d, \"sw\": %d, \"padding\": \"%s\"}\n", op->opt->stride_h,
			       op->opt->stride_w, op->opt->padding == TFIT_PAD_SAME ? "same" : "valid");
		}
		tfit_model_free(m);
	}
	return 0;
}

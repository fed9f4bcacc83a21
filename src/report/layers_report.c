/* layers_report.c - the per-op table of `tinyfit layers`. */
#include "tinyfit/report.h"
#include "tinyfit/checked.h"
#include "tinyfit/units.h"

#include <stdio.h>
#include <string.h>

const char *tfit_op_display_type(const struct tfit_op *op, char *buf, size_t size)
{
	const char *base = (op->type == TFIT_OP_CUSTOM || op->type == TFIT_OP_UNKNOWN) &&
			   op->custom_name ? op->custom_name : tfit_op_desc(op->type)->name;
	if (op->opt.activation != TFIT_ACT_NONE && op->type != TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM &&
	    op->type != TFIT_OP_UNIDIRECTIONAL_SEQUENCE_RNN && op->type != TFIT_OP_LSTM &&
	    op->type != TFIT_OP_RNN && op->type != TFIT_OP_BIDIRECTIONAL_SEQUENCE_LSTM &&
	    op->type != TFIT_OP_SVDF)
		snprintf(buf, size, "%s+%s", base, tfit_activation_name(op->opt.activation));
	else
		snprintf(buf, size, "%s", base);
	return buf;
}

void tfit_layers_table(const struct tfit_model *m, struct tfit_table *t)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	char title[512], buf[256];
	uint32_t i;
	size_t r;
	uint64_t out_total = 0;

	snprintf(title, sizeof(title), "%s: %u ops, %s weights (%s)", m->name ? m->name : "model",
		 sg->n_ops, tfit_dtype_name(m->dtype), tfit_model_format_name(m->format));
	tfit_table_init(t, title);
	tfit_table_add_col(t, "#", "index", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Name", "name", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Type", "type", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Output shape", "output_shape", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Params", "params", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "MACs", "macs", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Weights", "weights_bytes", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Output", "output_bytes", TFIT_ALIGN_RIGHT);
	for (i = 0; i < sg->n_ops; i++) {
		const struct tfit_op *op = &sg->ops[i];
		const struct tfit_tensor *o = op->n_outputs && op->outputs[0] >= 0 ?
					      &sg->tensors[op->outputs[0]] : NULL;
		r = tfit_table_add_row(t);
		tfit_table_set_u64(t, r, 0, i);
		tfit_table_set(t, r, 1, op->name ? op->name : (o && o->name ? o->name : ""), NULL);
		tfit_table_set(t, r, 2, tfit_op_display_type(op, buf, sizeof(buf)), NULL);
		tfit_table_set(t, r, 3, o ? tfit_shape_format(o, buf, sizeof(buf)) : "", NULL);
		tfit_table_set_count(t, r, 4, op->params);
		tfit_table_set_count(t, r, 5, op->macs);
		tfit_table_set_bytes(t, r, 6, op->weights_bytes);
		tfit_table_set_bytes(t, r, 7, op->output_bytes);
		out_total = tfit_sat_add_u64(out_total, op->output_bytes);
	}
	r = tfit_table_add_row(t);
	t->n_footer_rows = 1;
	tfit_table_set(t, r, 1, "total", NULL);
	tfit_table_set_count(t, r, 4, m->deployed_params);
	tfit_table_set_count(t, r, 5, m->macs);
	tfit_table_set_bytes(t, r, 6, m->weights_bytes);
	tfit_table_set_bytes(t, r, 7, out_total);

	if (m->params != m->deployed_params) {
		char a[40], b[40];
		tfit_table_add_note(t, "Params: %s as the source framework counts them (Keras \"Total params\"), %s deployed (batch norm folded, dropout removed).",
				    tfit_units_format_int(m->params, a, sizeof(a)),
				    tfit_units_format_int(m->deployed_params, b, sizeof(b)));
	}
	tfit_table_add_note(t, "Weights are exact bytes of the constant tensors at the deployed dtypes; Output is each op's output tensor; KiB = 1024 bytes.");
}

/* layers_report.c - the per-op table of `tinyfit layers`. */
#include "tinyfit/report.h"
#include "tinyfit/checked.h"
#include "tinyfit/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *tfit_op_display_type(const struct tfit_op *op, char *buf, size_t size)
{
	const char *base = (op->type == TFIT_OP_CUSTOM || op->type == TFIT_OP_UNKNOWN) &&
			   tfit_op_custom_name(op) ? tfit_op_custom_name(op) : tfit_op_desc(op->type)->name;
	if (op->opt->activation != TFIT_ACT_NONE && op->type != TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM &&
	    op->type != TFIT_OP_UNIDIRECTIONAL_SEQUENCE_RNN && op->type != TFIT_OP_LSTM &&
	    op->type != TFIT_OP_RNN && op->type != TFIT_OP_BIDIRECTIONAL_SEQUENCE_LSTM &&
	    op->type != TFIT_OP_SVDF)
		snprintf(buf, size, "%s+%s", base, tfit_activation_name(op->opt->activation));
	else
		snprintf(buf, size, "%s", base);
	return buf;
}

static void set_ms(struct tfit_table *t, size_t r, size_t c, double ms)
{
	char text[64], raw[64];
	/* Humanised with 3 significant decimals in text; raw ms for CSV. */
	if (ms >= 100)
		snprintf(text, sizeof(text), "%.1f ms", ms);
	else if (ms >= 1)
		snprintf(text, sizeof(text), "%.3f ms", ms);
	else
		snprintf(text, sizeof(text), "%.4f ms", ms);
	snprintf(raw, sizeof(raw), "%.6f", ms);
	tfit_table_set(t, r, c, text, raw);
}

static void set_pct(struct tfit_table *t, size_t r, size_t c, double share)
{
	char text[32], raw[32];
	snprintf(text, sizeof(text), "%.1f%%", share * 100.0);
	snprintf(raw, sizeof(raw), "%.3f", share * 100.0);
	tfit_table_set(t, r, c, text, raw);
}

void tfit_layers_table(const struct tfit_model *m, struct tfit_table *t)
{
	tfit_layers_table_cost(m, NULL, t);
}

void tfit_layers_table_cost(const struct tfit_model *m, const struct tfit_cost_result *cost,
			    struct tfit_table *t)
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
	if (cost && cost->n_ops != sg->n_ops)
		cost = NULL; /* not this model's estimate */
	if (cost) {
		tfit_table_add_col(t, "Latency", "latency_ms", TFIT_ALIGN_RIGHT);
		tfit_table_add_col(t, "%", "latency_pct", TFIT_ALIGN_RIGHT);
	}
	/* narrow terminals: name, type, params, weights and the latency stay */
	tfit_table_set_drop_priority(t, 7, 4); /* Output */
	tfit_table_set_drop_priority(t, 3, 3); /* Output shape */
	tfit_table_set_drop_priority(t, 5, 2); /* MACs */
	if (cost)
		tfit_table_set_drop_priority(t, 9, 1); /* % */
	for (i = 0; i < sg->n_ops; i++) {
		const struct tfit_op *op = &sg->ops[i];
		const struct tfit_tensor *o = op->n_outputs && tfit_op_outputs(op)[0] >= 0 ?
					      &sg->tensors[tfit_op_outputs(op)[0]] : NULL;
		r = tfit_table_add_row(t);
		tfit_table_set_u64(t, r, 0, i);
		{
			/* a fused TF2 name shortened for people, in full in CSV */
			const char *full = op->name ? op->name : (o && o->name ? o->name : "");
			char sn[160];
			tfit_table_set(t, r, 1, tfit_op_short_name(full, sn, sizeof(sn)), full);
		}
		tfit_table_set(t, r, 2, tfit_op_display_type(op, buf, sizeof(buf)), NULL);
		tfit_table_set(t, r, 3, o ? tfit_shape_format(o, buf, sizeof(buf)) : "", NULL);
		tfit_table_set_count(t, r, 4, tfit_op_params(sg, op));
		tfit_table_set_count(t, r, 5, tfit_op_macs(op));
		tfit_table_set_bytes(t, r, 6, tfit_op_weights_bytes(sg, op));
		tfit_table_set_bytes(t, r, 7, tfit_op_output_bytes(sg, op));
		out_total = tfit_sat_add_u64(out_total, tfit_op_output_bytes(sg, op));
		if (cost) {
			set_ms(t, r, 8, tfit_cost_op_latency_ms(cost, i));
			set_pct(t, r, 9, tfit_cost_op_share(cost, i));
		}
	}
	r = tfit_table_add_row(t);
	t->n_footer_rows = 1;
	tfit_table_set(t, r, 1, "total", NULL);
	tfit_table_set_count(t, r, 4, m->deployed_params);
	tfit_table_set_count(t, r, 5, m->macs);
	tfit_table_set_bytes(t, r, 6, m->weights_bytes);
	tfit_table_set_bytes(t, r, 7, out_total);
	if (cost) {
		set_ms(t, r, 8, cost->latency_ms);
		set_pct(t, r, 9, cost->cycles > 0 ? 1.0 : 0.0);
	}

	if (m->params != m->deployed_params) {
		char a[40], b[40];
		tfit_table_add_note(t, "Params: %s as the source framework counts them (Keras \"Total params\"), %s deployed (batch norm folded, dropout removed).",
				    tfit_units_format_int(m->params, a, sizeof(a)),
				    tfit_units_format_int(m->deployed_params, b, sizeof(b)));
	}
	if (cost) {
		char en[80], lb[64];
		if (isnan(cost->energy_mj))
			snprintf(en, sizeof(en), "\xE2\x80\x93");
		else
			snprintf(en, sizeof(en), "%s mJ", tfit_units_format_sig(cost->energy_mj, 4, lb, sizeof(lb)));
		tfit_table_add_note(t, "Latency is an %s (tables: %s). Energy: %s per inference, %s. "
				    "Per-operation lower bound %s mJ, a different quantity (%s).",
				    cost->method, cost->table, en, cost->energy_method,
				    tfit_units_format_sig(cost->energy_lower_bound_mj, 4, lb, sizeof(lb)),
				    cost->energy_lower_bound_method);
	}
	tfit_table_add_note(t, "Weights are exact bytes of the constant tensors at the deployed dtypes; Output is each op's output tensor; KiB = 1024 bytes.");
}

const char *tfit_op_short_name(const char *name, char *buf, size_t size)
{
	/* TF2's converter names a fused op by all the tensors it replaced,
	 * "model/activation_2/Relu;model/batch_normalization_2/FusedBatchNormV3;
	 * ...;model/conv2d_2/Conv2D": the first is the last op applied (the
	 * activation), the last the first (the conv). Each part's Keras layer is
	 * its second path segment (after the model's scope); parts without one
	 * (a name cut short by a fixed-size field) are passed over. */
	const char *parts[64] = { NULL }, *p;
	size_t lens[64] = { 0 }, n = 0, k, distinct = 0;
	if (!name || !strchr(name, ';') || size == 0)
		return name;
	for (p = name; *p && n < 64;) {
		const char *end = strchr(p, ';'), *s1, *s2;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		s1 = memchr(p, '/', len);
		s2 = s1 ? memchr(s1 + 1, '/', len - (size_t)(s1 + 1 - p)) : NULL;
		p = end ? end + 1 : p + len;
		if (!s1 || !s2 || s2 == s1 + 1)
			continue;
		parts[n] = s1 + 1;
		lens[n] = (size_t)(s2 - s1 - 1);
		for (k = 0; k < n; k++)
			if (lens[k] == lens[n] && !strncmp(parts[k], parts[n], lens[n]))
				break;
		if (k == n)
			distinct++;
		n++;
	}
	if (n == 0)
		return name;
	if (distinct == 1)
		snprintf(buf, size, "%.*s", (int)lens[0], parts[0]);
	else
		snprintf(buf, size, "%.*s+%s%.*s", (int)lens[n - 1], parts[n - 1],
			 distinct > 2 ? "...+" : "", (int)lens[0], parts[0]);
	return buf;
}

/*
 * gates_report.c - the "Gates" section every human format shows: each CI
 * threshold evaluated, with its limit, the value and whether it held, so a
 * report never says "fits" without the gate that failed beside it.
 */
#include "tinyfit/fit.h"
#include "tinyfit/report.h"

#include <stdio.h>

size_t tfit_gates_failed(const struct tfit_gate_result *g, size_t n,
			 const struct tfit_fit_result *r)
{
	size_t i, k = 0;
	for (i = 0; i < n; i++)
		if (!g[i].pass && (!r || g[i].result == r))
			k++;
	return k;
}

void tfit_gates_table(const struct tfit_gate_result *g, size_t n, int with_model,
		      struct tfit_table *t)
{
	size_t i, failed = tfit_gates_failed(g, n, NULL);
	char title[96];
	if (failed)
		snprintf(title, sizeof(title), "Gates: %zu of %zu failed", failed, n);
	else
		snprintf(title, sizeof(title), "Gates: all %zu hold", n);
	tfit_table_init(t, title);
	if (with_model)
		tfit_table_add_col(t, "Model", "model", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Device", "device", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Gate", "name", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Limit", "limit", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Value", "value", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Result", "pass", TFIT_ALIGN_LEFT);
	for (i = 0; i < n; i++) {
		const struct tfit_gate_result *x = &g[i];
		char buf[48], name[48];
		size_t k = tfit_table_add_row(t), c = 0;
		if (with_model)
			tfit_table_set(t, k, c++, x->model ? x->model : "", NULL);
		tfit_table_set(t, k, c++, x->device_id, NULL);
		snprintf(name, sizeof(name), "%s %s", x->is_minimum ? "min" : "max", tfit_gate_kind_id(x->kind));
		for (c = 4; name[c]; c++)
			if (name[c] == '_')
				name[c] = ' ';
		c = with_model ? 2 : 1;
		tfit_table_set(t, k, c++, name, NULL);
		tfit_table_set(t, k, c++, tfit_gate_format(x, x->limit, buf, sizeof(buf)), NULL);
		tfit_table_set(t, k, c++, tfit_gate_format(x, x->value, buf, sizeof(buf)), NULL);
		tfit_table_set(t, k, c, x->pass ? "pass" : "FAIL", NULL);
		tfit_table_set_style(t, k, c, x->pass ? TFIT_STYLE_GOOD : TFIT_STYLE_BAD);
	}
	tfit_table_add_note(t, "A value that is not known fails its gate. Exit code 1 when a gate fails.");
}

void tfit_render_gates(const struct tfit_gate_result *g, size_t n, int with_model,
		       enum tfit_format fmt, const struct tfit_render_opts *o,
		       struct tfit_strbuf *out)
{
	struct tfit_table t;
	if (!n)
		return;
	tfit_gates_table(g, n, with_model, &t);
	if (fmt == TFIT_FORMAT_HTML) {
		tfit_render_table_html_fragment(&t, out);
	} else if (fmt == TFIT_FORMAT_TEXT || fmt == TFIT_FORMAT_MARKDOWN) {
		tfit_strbuf_putc(out, '\n');
		tfit_render_table(&t, fmt, o, out);
	}
	if (t.oom)
		out->oom = 1;
	tfit_table_release(&t);
}

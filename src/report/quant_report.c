/*
 * quant_report.c - the tables of `tinyfit quant`: the schemes of one range
 * side by side (or one row per scheme for CSV), and the per-tensor report of
 * a model with its findings as notes. Text shows 6 significant digits, CSV
 * 9 (enough to round-trip a float32 scale).
 */
#include "tinyfit/quant_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tinyfit/units.h"

/* Room for any double at 9 significant digits without an exponent. */
#define NUM_MAX 400

const char *tfit_quant_severity_name(int severity)
{
	return severity >= 2 ? "error" : severity == 1 ? "warning" : "note";
}

/* A number: 6 significant digits shown, 9 raw. */
static void set_num(struct tfit_table *t, size_t r, size_t c, double v)
{
	char text[NUM_MAX], raw[NUM_MAX];
	tfit_table_set(t, r, c, tfit_units_format_sig(v, 6, text, sizeof(text)),
		       tfit_units_format_sig(v, 9, raw, sizeof(raw)));
}

/* "[lo, hi]" (clip: "< lo, > hi") at 6 significant digits. */
static void set_pair(struct tfit_table *t, size_t r, size_t c, int clip, double lo, double hi)
{
	char a[NUM_MAX], b[NUM_MAX];
	tfit_table_setf(t, r, c, clip ? "< %s, > %s" : "[%s, %s]",
			tfit_units_format_sig(lo, 6, a, sizeof(a)),
			tfit_units_format_sig(hi, 6, b, sizeof(b)));
}

static void set_int(struct tfit_table *t, size_t r, size_t c, int64_t v)
{
	tfit_table_setf(t, r, c, "%lld", (long long)v);
}

static void set_share(struct tfit_table *t, size_t r, size_t c, double share)
{
	char text[32], raw[32];
	snprintf(text, sizeof(text), "%.1f%%", share * 100.0);
	snprintf(raw, sizeof(raw), "%.6f", share);
	tfit_table_set(t, r, c, text, raw);
}

/* One row per scheme (CSV): raw numbers, stable keys. */
static void range_by_scheme(const struct tfit_quant_range_report *r, struct tfit_table *t)
{
	static const char *const cols[][2] = {
		{ "Method", "method" }, { "Bits", "bits" }, { "Min", "range_min" },
		{ "Max", "range_max" }, { "Used min", "used_min" }, { "Used max", "used_max" },
		{ "Scale", "scale" }, { "Zero point", "zero_point" }, { "q min", "q_min" },
		{ "q max", "q_max" }, { "Representable min", "representable_min" },
		{ "Representable max", "representable_max" }, { "Worst error", "worst_error" },
		{ "Clips below", "clip_low" }, { "Clips above", "clip_high" },
		{ "Clipped share", "clip_share" }, { "Zero exact", "zero_exact" },
		{ "Value", "value" }, { "Quantized", "quantized" }, { "Dequantized", "dequantized" },
		{ "Error", "error" }, { "Clipped", "clipped" }
	};
	size_t i, c;
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		tfit_table_add_col(t, cols[c][0], cols[c][1], c < 1 ? TFIT_ALIGN_LEFT : TFIT_ALIGN_RIGHT);
	for (i = 0; i < r->n_schemes; i++) {
		const struct tfit_quant_scheme *s = &r->schemes[i];
		size_t row = tfit_table_add_row(t);
		c = 0;
		tfit_table_set(t, row, c++, tfit_quant_method_name(s->method), NULL);
		tfit_table_set_u64(t, row, c++, s->bits);
		set_num(t, row, c++, r->request.range_min);
		set_num(t, row, c++, r->request.range_max);
		set_num(t, row, c++, s->used_min);
		set_num(t, row, c++, s->used_max);
		set_num(t, row, c++, s->scale);
		set_int(t, row, c++, s->zero_point);
		set_int(t, row, c++, s->q_min);
		set_int(t, row, c++, s->q_max);
		set_num(t, row, c++, s->repr_min);
		set_num(t, row, c++, s->repr_max);
		set_num(t, row, c++, s->worst_error);
		set_num(t, row, c++, s->clip_low);
		set_num(t, row, c++, s->clip_high);
		set_share(t, row, c++, s->clip_share);
		tfit_table_set(t, row, c++, s->zero_exact ? "yes" : "no", s->zero_exact ? "1" : "0");
		if (s->has_value) {
			set_num(t, row, c++, s->value);
			set_int(t, row, c++, s->quantized);
			set_num(t, row, c++, s->dequantized);
			set_num(t, row, c++, s->error);
			tfit_table_set(t, row, c++, s->clipped ? "yes" : "no", s->clipped ? "1" : "0");
		}
	}
}

/* One column per scheme, one row per quantity (text, Markdown, HTML). */
static void range_side_by_side(const struct tfit_quant_range_report *r, struct tfit_table *t)
{
	enum { R_USED, R_SCALE, R_ZP, R_QRANGE, R_REPR, R_WORST, R_CLIP, R_SHARE, R_ZERO,
	       R_Q, R_DEQ, R_ERR, R_COUNT };
	static const char *const rows[R_COUNT] = {
		"range mapped", "scale S", "zero point Z", "q range", "representable",
		"worst error (S/2)", "saturates outside", "range that clips", "0.0 exact",
		"quantized q", "dequantized S(q-Z)", "error"
	};
	size_t i, k, n_rows = r->request.has_value ? R_COUNT : R_Q;
	tfit_table_add_col(t, "", "quantity", TFIT_ALIGN_LEFT);
	for (i = 0; i < r->n_schemes; i++)
		tfit_table_add_col(t, tfit_quant_method_name(r->schemes[i].method),
				   tfit_quant_method_name(r->schemes[i].method), TFIT_ALIGN_RIGHT);
	for (k = 0; k < n_rows; k++) {
		size_t row = tfit_table_add_row(t);
		tfit_table_set(t, row, 0, rows[k], NULL);
		for (i = 0; i < r->n_schemes; i++) {
			const struct tfit_quant_scheme *s = &r->schemes[i];
			size_t c = i + 1;
			switch (k) {
			case R_USED:
				set_pair(t, row, c, 0, s->used_min, s->used_max);
				break;
			case R_SCALE: set_num(t, row, c, s->scale); break;
			case R_ZP: set_int(t, row, c, s->zero_point); break;
			case R_QRANGE:
				tfit_table_setf(t, row, c, "%lld..%lld", (long long)s->q_min, (long long)s->q_max);
				break;
			case R_REPR:
				set_pair(t, row, c, 0, s->repr_min, s->repr_max);
				break;
			case R_WORST: set_num(t, row, c, s->worst_error); break;
			case R_CLIP:
				set_pair(t, row, c, 1, s->clip_low, s->clip_high);
				break;
			case R_SHARE:
				set_share(t, row, c, s->clip_share);
				if (s->clip_share > 0)
					tfit_table_set_style(t, row, c, TFIT_STYLE_BAD);
				break;
			case R_ZERO:
				tfit_table_set(t, row, c, s->zero_exact ? "yes" : "no", NULL);
				break;
			case R_Q:
				tfit_table_setf(t, row, c, "%lld%s", (long long)s->quantized,
						s->clipped ? " (clipped)" : "");
				if (s->clipped)
					tfit_table_set_style(t, row, c, TFIT_STYLE_BAD);
				break;
			case R_DEQ: set_num(t, row, c, s->dequantized); break;
			default: set_num(t, row, c, s->error); break;
			}
		}
	}
}

void tfit_quant_range_table(const struct tfit_quant_range_report *r, int by_scheme,
			    struct tfit_table *t)
{
	char title[4 * NUM_MAX], line[1024], v[NUM_MAX], lo[NUM_MAX], hi[NUM_MAX];
	size_t i;
	tfit_units_format_sig(r->request.range_min, 9, lo, sizeof(lo));
	tfit_units_format_sig(r->request.range_max, 9, hi, sizeof(hi));
	if (r->request.has_value)
		snprintf(title, sizeof(title), "quantize %s in [%s, %s] to %u bits",
			 tfit_units_format_sig(r->request.value, 9, v, sizeof(v)), lo, hi, r->request.bits);
	else
		snprintf(title, sizeof(title), "quantize [%s, %s] to %u bits", lo, hi, r->request.bits);
	tfit_table_init(t, title);
	if (by_scheme)
		range_by_scheme(r, t);
	else
		range_side_by_side(r, t);
	for (i = 0; i < r->n_schemes; i++) {
		const struct tfit_quant_scheme *s = &r->schemes[i];
		tfit_table_add_note(t, "%s: %s (%s)%s%s", tfit_quant_method_name(s->method), s->formula,
				    s->source, s->note ? "; " : "", s->note ? s->note : "");
	}
	for (i = 0; i + 1 < r->n_schemes; i++)
		tfit_table_add_note(t, "%s", tfit_quant_explain(&r->request, &r->schemes[i],
								&r->schemes[i + 1], line, sizeof(line)));
	tfit_table_add_note(t, "real value = S x (q - Z); a value saturates (error over S/2) "
			       "outside the 'saturates outside' bounds");
}

/* ---- a model's tensors ---------------------------------------------------- */

void tfit_quant_model_table(const struct tfit_quant_model_report *r, struct tfit_table *t)
{
	const struct tfit_model *m = r->model;
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	char title[512];
	uint32_t i;
	size_t f;
	enum { C_IDX, C_NAME, C_ROLE, C_DTYPE, C_SCHEME, C_COUNT, C_AXIS, C_SCALE_MIN,
	       C_SCALE_MAX, C_ZP_MIN, C_ZP_MAX, C_RMIN, C_RMAX, C_STEP, C_WORST };

	snprintf(title, sizeof(title), "%s: %lu tensors, %lu quantized (%lu per channel)%s",
		 m->name ? m->name : "model", (unsigned long)r->n_tensors,
		 (unsigned long)r->n_quantized, (unsigned long)r->n_per_channel,
		 r->what_if ? " - what-if" : "");
	tfit_table_init(t, title);
	tfit_table_add_col(t, "#", "index", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Tensor", "name", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Role", "role", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Dtype", "dtype", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Scheme", "scheme", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Scales", "scale_count", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Axis", "quantized_dimension", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Scale min", "scale_min", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Scale max", "scale_max", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Z min", "zero_point_min", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Z max", "zero_point_max", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Float min", "representable_min", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Float max", "representable_max", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Step", "step", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Worst error", "worst_error", TFIT_ALIGN_RIGHT);
	tfit_table_set_drop_priority(t, C_AXIS, 3);
	tfit_table_set_drop_priority(t, C_ZP_MIN, 2);
	tfit_table_set_drop_priority(t, C_WORST, 1);
	tfit_table_set_drop_priority(t, C_ROLE, 4);
	for (i = 0; i < r->n_tensors; i++) {
		const struct tfit_quant_tensor *q = &r->tensors[i];
		const struct tfit_tensor *ten = &sg->tensors[q->index];
		const struct tfit_quant *qp = tfit_tensor_quant(ten);
		size_t row = tfit_table_add_row(t);
		tfit_table_set_u64(t, row, C_IDX, q->index);
		tfit_table_set(t, row, C_NAME, ten->name ? ten->name : "", NULL);
		tfit_table_set(t, row, C_ROLE, tfit_quant_role_name(q->role), NULL);
		tfit_table_set(t, row, C_DTYPE, tfit_dtype_name(ten->dtype), NULL);
		tfit_table_set(t, row, C_SCHEME, q->scheme, NULL);
		tfit_table_set_u64(t, row, C_COUNT, qp->scale_count);
		if (qp->scale_count > 1)
			tfit_table_setf(t, row, C_AXIS, "%ld", (long)qp->quantized_dimension);
		if (qp->values && qp->scale_count) {
			set_num(t, row, C_SCALE_MIN, qp->values->scale_min);
			set_num(t, row, C_SCALE_MAX, qp->values->scale_max);
		}
		if (qp->values && qp->zero_point_count) {
			set_int(t, row, C_ZP_MIN, qp->values->zero_point_min);
			set_int(t, row, C_ZP_MAX, qp->values->zero_point_max);
		}
		if (q->has_range) {
			set_num(t, row, C_RMIN, q->repr_min);
			set_num(t, row, C_RMAX, q->repr_max);
			set_num(t, row, C_STEP, q->step);
			set_num(t, row, C_WORST, q->worst_error);
		}
	}
	if (r->n_per_channel)
		tfit_table_add_note(t, "per-channel tensors: Float min/max, Step and Worst error are "
				       "those of the channel with the largest scale");
	tfit_table_add_note(t, "representable = S x (qmin - Z) .. S x (qmax - Z) for the dtype's "
			       "integer range; worst rounding error = S / 2 (docs/quantization.md)");
	if (!r->n_findings)
		tfit_table_add_note(t, "no findings");
	for (f = 0; f < r->n_findings; f++) {
		const struct tfit_quant_finding *x = &r->findings[f];
		tfit_table_add_note(t, "%s: %s: %s", tfit_quant_severity_name(x->severity),
				    tfit_quant_finding_name(x->kind), x->message);
	}
}

/*
 * quant_model.c - the per-tensor quantization report of a model (`tinyfit
 * quant MODEL`): each tensor's role, scheme, representable float range,
 * step and worst rounding error, and findings a student would otherwise
 * meet on the board (docs/quantization.md).
 *
 * Kernel facts are from tflite-micro at commit 90b983c2b3f1 (2026-08-20),
 * tensorflow/lite/micro/kernels/ (see quant_kernels.c for the int16 table):
 *  - conv_common.cc / depthwise_conv_common.cc run the per-channel kernels
 *    of tensorflow/lite/kernels/internal/reference/integer_ops/conv.h and
 *    depthwise_conv.h, which take no weight offset; cmsis_nn/conv.cc and
 *    depthwise_conv.cc pass none to CMSIS-NN either: a non-zero weight zero
 *    point is ignored. cmsis_nn/fully_connected.cc honours it for int8
 *    (filter_offset) but sets it to 0 for int16 and int4.
 *  - conv.cc's Eval switches on float32, int16 and int8 inputs only: no
 *    uint8 path.
 *  - concatenation.cc Prepare: int8 inputs must have the output's scale and
 *    zero point; pooling_common.cc: input and output scale within 1e-6 and
 *    equal zero points. reshape/squeeze/expand_dims copy the bytes.
 *  - micro_allocator / kernel Prepare: "Hybrid models are not supported on
 *    TFLite Micro" (float activations with int8 weights).
 */
#include "quant_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/units.h"
#include "util/numeric.h"

/* Per-channel scales whose largest / smallest ratio reaches this (three
 * orders of magnitude) are reported. */
#define SCALE_SPREAD_RATIO 1000.0

static const char *const finding_names[TFIT_QF_KIND_COUNT] = {
	"asymmetric_weights", "scale_spread", "float_in_int8", "hybrid", "int16_activations",
	"range_mismatch", "invalid_scale", "uint8", "what_if"
};

const char *tfit_quant_finding_name(enum tfit_quant_finding_kind k)
{
	return (unsigned)k < TFIT_QF_KIND_COUNT ? finding_names[k] : "?";
}

const char *tfit_quant_role_name(enum tfit_quant_role r)
{
	switch (r) {
	case TFIT_QROLE_ACTIVATION: return "activation";
	case TFIT_QROLE_WEIGHT: return "weight";
	case TFIT_QROLE_BIAS: return "bias";
	default: return "constant";
	}
}

static int is_float(enum tfit_dtype d)
{
	return d == TFIT_DTYPE_FLOAT32 || d == TFIT_DTYPE_FLOAT16 || d == TFIT_DTYPE_BFLOAT16 ||
	       d == TFIT_DTYPE_FLOAT64;
}

/* The integer range of a quantized dtype; 0 when it has none. */
int tfit_quant_dtype_limits(enum tfit_dtype d, double *lo, double *hi)
{
	switch (d) {
	case TFIT_DTYPE_INT4: *lo = -8; *hi = 7; return 1;
	case TFIT_DTYPE_INT8: *lo = -128; *hi = 127; return 1;
	case TFIT_DTYPE_UINT8: *lo = 0; *hi = 255; return 1;
	case TFIT_DTYPE_INT16: *lo = -32768; *hi = 32767; return 1;
	case TFIT_DTYPE_INT32: *lo = -2147483648.0; *hi = 2147483647.0; return 1;
	default: return 0;
	}
}

/* Ops whose input 1 is a weight matrix/filter and whose bias is input 2
 * (transpose conv: weights 1, bias 3). */
static int weight_op(enum tfit_op_type t, uint32_t *bias_slot)
{
	*bias_slot = 2;
	switch (t) {
	case TFIT_OP_CONV_2D: case TFIT_OP_DEPTHWISE_CONV_2D: case TFIT_OP_FULLY_CONNECTED:
	case TFIT_OP_CONV_3D:
		return 1;
	case TFIT_OP_TRANSPOSE_CONV:
		*bias_slot = 3;
		return 1;
	default:
		return 0;
	}
}

static void set_roles(const struct tfit_subgraph *sg, struct tfit_quant_tensor *rows)
{
	uint32_t i, k;
	for (i = 0; i < sg->n_tensors; i++) {
		const struct tfit_tensor *t = &sg->tensors[i];
		rows[i].index = i;
		if (!(t->flags & TFIT_TENSOR_CONST))
			rows[i].role = TFIT_QROLE_ACTIVATION;
		else if (is_float(t->dtype) || t->dtype == TFIT_DTYPE_INT8 ||
			 t->dtype == TFIT_DTYPE_INT4 || t->dtype == TFIT_DTYPE_UINT8 ||
			 t->dtype == TFIT_DTYPE_INT16)
			rows[i].role = TFIT_QROLE_WEIGHT;
		else
			rows[i].role = TFIT_QROLE_CONSTANT;
	}
	for (k = 0; k < sg->n_ops; k++) {
		const struct tfit_op *op = &sg->ops[k];
		uint32_t bias;
		if (!weight_op(op->type, &bias) || op->n_inputs <= bias)
			continue;
		if (op->inputs[bias] >= 0 && (sg->tensors[op->inputs[bias]].flags & TFIT_TENSOR_CONST))
			rows[op->inputs[bias]].role = TFIT_QROLE_BIAS;
	}
}

static const char *scheme_text(const struct tfit_tensor *t, const struct tfit_quant_tensor *r,
			       int what_if)
{
	const struct tfit_quant *q = tfit_tensor_quant(t);
	if (is_float(t->dtype))
		return "float (not quantized)";
	if (q->scale_count == 0)
		return "integer (not quantized)";
	if (what_if) {
		if (r->role == TFIT_QROLE_BIAS)
			return "int32, S = S_input x S_weight, Z = 0";
		if (r->role == TFIT_QROLE_WEIGHT)
			return q->scale_count > 1 ? "symmetric per-channel" : "symmetric per-tensor";
		return "asymmetric per-tensor";
	}
	if (q->scale_count > 1)
		return tfit_quant_nums(q)->zero_point_nonzero ? "asymmetric per-channel"
							      : "symmetric per-channel";
	return tfit_quant_nums(q)->zero_point_nonzero ? "asymmetric per-tensor" : "symmetric per-tensor";
}

static void fill_range(const struct tfit_tensor *t, struct tfit_quant_tensor *r)
{
	const struct tfit_quant *q = tfit_tensor_quant(t);
	const struct tfit_quant_values *v = q->values;
	double lo, hi, s, z;
	r->scale_ratio = 1;
	if (!v || q->scale_count == 0 || v->scale_invalid ||
	    !tfit_quant_dtype_limits(t->dtype, &lo, &hi))
		return;
	/* Per tensor: the scale and zero point. Per channel: the widest
	 * channel (largest scale) with the first zero point (all 0 in
	 * TFLite's symmetric weights). */
	s = q->scale_count > 1 ? v->scale_max : v->scale_first;
	z = (double)v->zero_point_first;
	r->has_range = 1;
	r->repr_min = s * (lo - z);
	r->repr_max = s * (hi - z);
	r->step = s;
	r->worst_error = s / 2;
	if (q->scale_count > 1 && v->scale_min > 0)
		r->scale_ratio = (double)v->scale_max / (double)v->scale_min;
}

int tfit_quant_add_finding(struct tfit_quant_model_report *rep, enum tfit_quant_finding_kind kind,
		       int severity, int32_t tensor, int32_t op, const char *fmt, ...)
{
	struct tfit_quant_finding *f;
	char msg[1024];
	va_list ap;
	void *p = realloc(rep->findings, (rep->n_findings + 1) * sizeof(*rep->findings));
	if (!p)
		return -1;
	rep->findings = p;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f = &rep->findings[rep->n_findings];
	f->kind = kind;
	f->severity = severity;
	f->tensor = tensor;
	f->op = op;
	f->message = malloc(strlen(msg) + 1);
	if (!f->message)
		return -1;
	memcpy(f->message, msg, strlen(msg) + 1);
	rep->n_findings++;
	if (severity > rep->worst_severity)
		rep->worst_severity = severity;
	return 0;
}

static const char *tname(const struct tfit_subgraph *sg, int32_t i)
{
	return sg->tensors[i].name ? sg->tensors[i].name : "(unnamed)";
}

/* Mark the tensors that are an input or output of a builtin op (a custom
 * op's scratch buffers, e.g. Vela's, carry no quantization by design). */
static void mark_builtin(const struct tfit_subgraph *sg, unsigned char *used)
{
	uint32_t o, i;
	for (o = 0; o < sg->n_ops; o++) {
		const struct tfit_op *op = &sg->ops[o];
		if (op->type == TFIT_OP_CUSTOM || op->type == TFIT_OP_UNKNOWN)
			continue;
		for (i = 0; i < op->n_inputs; i++)
			if (op->inputs[i] >= 0)
				used[op->inputs[i]] = 1;
		for (i = 0; i < op->n_outputs; i++)
			if (tfit_op_outputs(op)[i] >= 0)
				used[tfit_op_outputs(op)[i]] = 1;
	}
}

/* Weights: non-zero zero points, uint8, per-channel spread, bad scales. */
static int weight_findings(const struct tfit_model *m, struct tfit_quant_model_report *rep)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t k, n_bare = 0;
	int32_t first_bare = -1;
	unsigned char *builtin = calloc(sg->n_tensors ? sg->n_tensors : 1, 1);
	int rc = -1;
	if (!builtin)
		return -1;
	mark_builtin(sg, builtin);
	for (k = 0; k < sg->n_ops; k++) {
		const struct tfit_op *op = &sg->ops[k];
		const struct tfit_tensor *w;
		const char *opn = tfit_op_desc(op->type)->name;
		uint32_t bias;
		int32_t wi;
		if (!weight_op(op->type, &bias) || op->n_inputs < 2 || (wi = op->inputs[1]) < 0)
			continue;
		w = &sg->tensors[wi];
		if (!tfit_tensor_quant(w)->values || tfit_tensor_quant(w)->scale_count == 0)
			continue;
		if (w->dtype == TFIT_DTYPE_UINT8) {
			if (tfit_quant_add_finding(rep, TFIT_QF_UINT8, 2, wi, (int32_t)k,
					"op %lu (%s): weights '%s' are uint8 (TFLite 1.x quantization): "
					"TFLM's conv, depthwise and fully connected kernels have int8 and "
					"int16 paths only; re-convert with int8 quantization",
					(unsigned long)k, opn, tname(sg, wi)))
				goto out;
		} else if (tfit_tensor_quant(w)->values->zero_point_nonzero) {
			int fc = op->type == TFIT_OP_FULLY_CONNECTED;
			if (tfit_quant_add_finding(rep, TFIT_QF_ASYMMETRIC_WEIGHTS, fc ? 1 : 2, wi, (int32_t)k,
					"op %lu (%s): weights '%s' have %lu non-zero zero point(s) (%lld..%lld); "
					"TFLite's spec makes weights symmetric (Z = 0) and %s",
					(unsigned long)k, opn, tname(sg, wi),
					(unsigned long)tfit_tensor_quant(w)->values->zero_point_nonzero,
					(long long)tfit_tensor_quant(w)->values->zero_point_min,
					(long long)tfit_tensor_quant(w)->values->zero_point_max,
					fc ? "CMSIS-NN's int16 and int4 fully connected paths take the zero point "
					     "as 0 (int8 honours it): results differ between kernels" :
					     "TFLM's int8 conv/depthwise kernels (reference and CMSIS-NN) take no "
					     "weight offset: the zero point is ignored and the results are wrong"))
				goto out;
		}
	}
	for (k = 0; k < sg->n_tensors; k++) {
		const struct tfit_tensor *t = &sg->tensors[k];
		const struct tfit_quant_tensor *r = &rep->tensors[k];
		if (r->role == TFIT_QROLE_ACTIVATION && tfit_tensor_quant(t)->scale_count == 0 && rep->n_quantized &&
		    builtin[k] &&
		    (t->dtype == TFIT_DTYPE_INT8 || t->dtype == TFIT_DTYPE_INT16 ||
		     t->dtype == TFIT_DTYPE_UINT8)) {
			if (first_bare < 0)
				first_bare = (int32_t)k;
			n_bare++;
		}
		if (tfit_tensor_quant(t)->values && tfit_tensor_quant(t)->values->scale_invalid) {
			if (tfit_quant_add_finding(rep, TFIT_QF_INVALID_SCALE, 2, (int32_t)k, -1,
					"tensor '%s': %lu of its %lu scales are zero, negative or not "
					"finite: the kernels' multipliers (S_in x S_w / S_out) are undefined",
					tname(sg, (int32_t)k), (unsigned long)tfit_tensor_quant(t)->values->scale_invalid,
					(unsigned long)tfit_tensor_quant(t)->scale_count))
				goto out;
		} else if (r->role == TFIT_QROLE_WEIGHT && r->scale_ratio >= SCALE_SPREAD_RATIO) {
			/* weights only: a bias's scales (S_in x S_w) repeat the spread */
			char lo[64], hi[64];
			if (tfit_quant_add_finding(rep, TFIT_QF_SCALE_SPREAD, 1, (int32_t)k, -1,
					"tensor '%s': its %lu per-channel scales span %.1f orders of magnitude "
					"(%s to %s): the channels with the smallest scales are near-constant "
					"(often dead) filters whose tiny multipliers round away; check them, "
					"pruning them saves flash and cycles",
					tname(sg, (int32_t)k), (unsigned long)tfit_tensor_quant(t)->scale_count,
					tfit_log10(r->scale_ratio),
					tfit_units_format_sig((double)tfit_tensor_quant(t)->values->scale_min, 3, lo, sizeof(lo)),
					tfit_units_format_sig((double)tfit_tensor_quant(t)->values->scale_max, 3, hi, sizeof(hi))))
				goto out;
		}
	}
	/* TFLM leaves a tensor's params at {scale 0, zero point 0} when the file
	 * has none (micro_allocator.cc), so the kernels' multipliers are 0. */
	if (n_bare && tfit_quant_add_finding(rep, TFIT_QF_INVALID_SCALE, 1, first_bare, -1,
					"%lu integer activation(s) have no quantization parameters in a "
					"quantized model (first: '%s'): TFLM then sees scale 0 and the "
					"requantization multipliers of the ops around them are 0",
					(unsigned long)n_bare, tname(sg, first_bare)))
		goto out;
	rc = 0;
out:
	free(builtin);
	return rc;
}

/* Float ops left between quantized ones, and the hybrid flag. */
static int float_findings(const struct tfit_model *m, struct tfit_quant_model_report *rep)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t k, i, n_float_ops = 0;
	int32_t first = -1;
	char names[256] = "";
	if (m->hybrid && m->hybrid_subgraph == 0) {
		const struct tfit_op *op = &sg->ops[m->hybrid_op];
		if (tfit_quant_add_finding(rep, TFIT_QF_HYBRID, 2, -1, m->hybrid_op,
				"op %ld (%s) is hybrid: float32 activations with integer weights; TFLM "
				"rejects it (\"Hybrid models are not supported on TFLite Micro\"): "
				"quantize the activations too (full-integer conversion)",
				(long)m->hybrid_op, tfit_op_desc(op->type)->name))
			return -1;
	}
	if (rep->n_quantized == 0)
		return 0;
	for (k = 0; k < sg->n_ops; k++) {
		const struct tfit_op *op = &sg->ops[k];
		int flt = 0;
		if (op->type == TFIT_OP_QUANTIZE || op->type == TFIT_OP_DEQUANTIZE)
			continue;
		for (i = 0; i < op->n_inputs + op->n_outputs && !flt; i++) {
			int32_t ti = i < op->n_inputs ? op->inputs[i] : tfit_op_outputs(op)[i - op->n_inputs];
			if (ti >= 0 && !(sg->tensors[ti].flags & TFIT_TENSOR_CONST) &&
			    is_float(sg->tensors[ti].dtype))
				flt = 1;
		}
		if (!flt)
			continue;
		if (n_float_ops < 4) {
			size_t len = strlen(names);
			snprintf(names + len, sizeof(names) - len, "%s%lu (%s)", len ? ", " : "",
				 (unsigned long)k, tfit_op_desc(op->type)->name);
		}
		if (first < 0)
			first = (int32_t)k;
		n_float_ops++;
	}
	if (n_float_ops &&
	    tfit_quant_add_finding(rep, TFIT_QF_FLOAT_IN_INT8, 1, -1, first,
			"partial quantization: %lu op(s) still run on float tensors in a quantized "
			"model (ops %s%s): TFLM runs them with float kernels (slower, 4x the bytes per "
			"activation) and needs a QUANTIZE/DEQUANTIZE at each boundary",
			(unsigned long)n_float_ops, names, n_float_ops > 4 ? ", ..." : ""))
		return -1;
	return 0;
}

/* A tensor's representable range as a string for messages. */
static const char *range_str(const struct tfit_quant_tensor *r, char *buf, size_t n)
{
	char lo[64], hi[64];
	snprintf(buf, n, "[%s, %s]", tfit_units_format_sig(r->repr_min, 4, lo, sizeof(lo)),
		 tfit_units_format_sig(r->repr_max, 4, hi, sizeof(hi)));
	return buf;
}

/* Producer and consumer ranges that TFLM's kernels do not reconcile. */
static int range_findings(const struct tfit_model *m, struct tfit_quant_model_report *rep)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t k, i;
	for (k = 0; k < sg->n_ops; k++) {
		const struct tfit_op *op = &sg->ops[k];
		const char *opn = tfit_op_desc(op->type)->name;
		int32_t out = op->n_outputs ? tfit_op_outputs(op)[0] : -1;
		const struct tfit_quant_tensor *ro;
		const struct tfit_tensor *to;
		char a[64], b[64];
		if (out < 0)
			continue;
		ro = &rep->tensors[out];
		to = &sg->tensors[out];
		if (!ro->has_range)
			continue;
		for (i = 0; i < op->n_inputs; i++) {
			int32_t in = op->inputs[i];
			const struct tfit_quant_tensor *ri;
			const struct tfit_tensor *ti;
			const struct tfit_quant_values *vi, *vo;
			int same;
			if (in < 0 || !rep->tensors[in].has_range || rep->tensors[in].role != TFIT_QROLE_ACTIVATION)
				continue;
			ri = &rep->tensors[in];
			ti = &sg->tensors[in];
			vi = tfit_quant_nums(tfit_tensor_quant(ti));
			vo = tfit_quant_nums(tfit_tensor_quant(to));
			same = vi->scale_first == vo->scale_first &&
			       vi->zero_point_first == vo->zero_point_first;
			if (op->type == TFIT_OP_QUANTIZE && ti->dtype != TFIT_DTYPE_FLOAT32 &&
			    (ro->repr_max < ri->repr_max - ri->step || ro->repr_min > ri->repr_min + ri->step)) {
				if (tfit_quant_add_finding(rep, TFIT_QF_NARROW_OUTPUT, 1, out, (int32_t)k,
						"op %lu (quantize): requantizes '%s' %s to %s for its consumers: "
						"values outside the narrower range clip",
						(unsigned long)k, tname(sg, in), range_str(ri, a, sizeof(a)),
						range_str(ro, b, sizeof(b))))
					return -1;
			} else if (!same && ti->dtype == to->dtype &&
				   (op->type == TFIT_OP_CONCATENATION || op->type == TFIT_OP_MAX_POOL_2D ||
				    op->type == TFIT_OP_AVERAGE_POOL_2D || op->type == TFIT_OP_RESHAPE ||
				    op->type == TFIT_OP_SQUEEZE || op->type == TFIT_OP_EXPAND_DIMS)) {
				int pool = op->type == TFIT_OP_MAX_POOL_2D || op->type == TFIT_OP_AVERAGE_POOL_2D;
				if (pool && fabs((double)vi->scale_first - (double)vo->scale_first) <= 1e-6 &&
				    vi->zero_point_first == vo->zero_point_first)
					continue;
				if (op->type == TFIT_OP_CONCATENATION && ti->dtype != TFIT_DTYPE_INT8)
					continue;
				if (tfit_quant_add_finding(rep, TFIT_QF_NARROW_OUTPUT, 2, out, (int32_t)k,
						"op %lu (%s): input '%s' %s and output '%s' %s are quantized "
						"differently; %s", (unsigned long)k, opn, tname(sg, in),
						range_str(ri, a, sizeof(a)), tname(sg, out),
						range_str(ro, b, sizeof(b)),
						op->type == TFIT_OP_CONCATENATION || pool ?
						"TFLM's kernel requires the same scale and zero point "
						"(Prepare fails)" :
						"TFLM's kernel copies the integers without rescaling, so "
						"the consumer reads them at the wrong scale"))
					return -1;
			}
		}
	}
	return 0;
}

enum tfit_status tfit_quant_model_analyze(const struct tfit_model *m,
					  struct tfit_quant_model_report *rep,
					  struct tfit_error *err)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t i;
	int values = 0;

	memset(rep, 0, sizeof(*rep));
	rep->model = m;
	rep->worst_severity = -1;
	rep->tensors = calloc(sg->n_tensors ? sg->n_tensors : 1, sizeof(*rep->tensors));
	if (!rep->tensors)
		goto oom;
	rep->n_tensors = sg->n_tensors;
	for (i = 0; i < sg->n_tensors; i++)
		if (tfit_tensor_quant(&sg->tensors[i])->values)
			values = 1;
	rep->what_if = !values && m->format != TFIT_MODEL_FORMAT_TFLITE;
	if (m->format == TFIT_MODEL_FORMAT_TFLITE && m->dtype_converted)
		rep->what_if = 1;
	set_roles(sg, rep->tensors);
	for (i = 0; i < sg->n_tensors; i++) {
		const struct tfit_tensor *t = &sg->tensors[i];
		struct tfit_quant_tensor *r = &rep->tensors[i];
		r->scheme = scheme_text(t, r, rep->what_if);
		if (!rep->what_if)
			fill_range(t, r);
		else
			r->scale_ratio = 1;
		if (tfit_tensor_quant(t)->scale_count)
			rep->n_quantized++;
		if (tfit_tensor_quant(t)->scale_count > 1)
			rep->n_per_channel++;
		if (is_float(t->dtype) && r->role == TFIT_QROLE_ACTIVATION)
			rep->n_float++;
		if (t->dtype == TFIT_DTYPE_INT16 && r->role == TFIT_QROLE_ACTIVATION &&
		    tfit_tensor_quant(t)->scale_count)
			rep->n_int16++;
	}
	if (rep->what_if) {
		if (tfit_quant_add_finding(rep, TFIT_QF_WHAT_IF, 0, -1, -1,
				"what-if: the schemes TFLite's converter gives each tensor in a full-integer "
				"model (int8 activations asymmetric per tensor, weights symmetric per output "
				"channel, int32 biases with S = S_input x S_weight); the scales and zero "
				"points come from calibration data, so none are shown"))
			goto oom;
	} else if (weight_findings(m, rep) || float_findings(m, rep) || range_findings(m, rep)) {
		goto oom;
	}
	if (tfit_quant_int16_findings(m, rep) != 0)
		goto oom;
	return TFIT_OK;
oom:
	tfit_quant_model_release(rep);
	return tfit_error_set(err, TFIT_ERR_NOMEM, m->path, NULL, "out of memory");
}

void tfit_quant_model_release(struct tfit_quant_model_report *rep)
{
	size_t i;
	if (!rep)
		return;
	for (i = 0; i < rep->n_findings; i++)
		free(rep->findings[i].message);
	free(rep->findings);
	free(rep->tensors);
	memset(rep, 0, sizeof(*rep));
	rep->worst_severity = -1;
}

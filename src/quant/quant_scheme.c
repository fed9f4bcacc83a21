/*
 * quant_scheme.c - the three affine quantization schemes of quant.h for one
 * float range and value: the course's formulas (textbook), TFLite's
 * asymmetric activations and its symmetric weights, and a one-line
 * explanation of how two of them differ.
 *
 * Sources: ../shared/reference/course-formulas.md (textbook);
 * https://www.tensorflow.org/lite/performance/quantization_spec and
 * tensorflow/lite/tools/optimize/quantization_utils.cc
 * (GetAsymmetricQuantizationParams, GetSymmetricQuantizationParams,
 * SymmetricPerChannelQuantization) for TFLite; the quantize step is
 * tensorflow/lite/kernels/internal/reference/quantize.h (round half away
 * from zero, add Z, clamp).
 */
#include "tinyfit/quant.h"
#include "tinyfit/units.h"
#include "util/numeric.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* |min / S| above this cannot be held exactly by a double's integer part. */
#define QUANT_MAX_STEPS 4503599627370496.0 /* 2^52 */

static const char *const method_names[TFIT_QUANT_METHOD_COUNT] = {
	"textbook", "tflite-activation", "tflite-weight"
};

const char *tfit_quant_method_name(enum tfit_quant_method m)
{
	return (unsigned)m < TFIT_QUANT_METHOD_COUNT ? method_names[m] : "?";
}

int tfit_quant_method_parse(const char *name, enum tfit_quant_method *out)
{
	unsigned i;
	for (i = 0; name && i < TFIT_QUANT_METHOD_COUNT; i++)
		if (strcmp(name, method_names[i]) == 0) {
			*out = (enum tfit_quant_method)i;
			return 0;
		}
	return -1;
}

static int64_t pow2(unsigned bits)
{
	return (int64_t)1 << bits;
}

enum tfit_status tfit_quant_check_request(const struct tfit_quant_request *req,
					  struct tfit_error *err)
{
	double lo = req->range_min, hi = req->range_max, s, r;
	float fs;
	if (req->bits != 4 && req->bits != 8 && req->bits != 16)
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "--bits: %u bits is not supported (expected 4, 8 or 16)", req->bits);
	if (!isfinite(lo) || !isfinite(hi))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "--range: the bounds must be finite numbers");
	if (!(lo < hi))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "--range: MIN %.9g is not below MAX %.9g (expected MIN < MAX)", lo, hi);
	if (fabs(lo) > FLT_MAX || fabs(hi) > FLT_MAX)
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "--range: %.9g is outside float32 (TFLite's tensors and scales are "
				      "float32: expected |x| <= 3.4e38)", fabs(lo) > FLT_MAX ? lo : hi);
	if (req->has_value && (!isfinite(req->value) || fabs(req->value) > FLT_MAX))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "--value: expected a finite float32 number");
	/* The smallest step any scheme takes: (max - min) / (2^16 - 1). */
	s = (hi - lo) / (double)(pow2(req->bits) - 1);
	r = tfit_fmax(fabs(lo), fabs(hi));
	fs = (float)(tfit_fmax(hi, 0.0) - tfit_fmin(lo, 0.0)) / (float)(pow2(req->bits) - 1);
	if (!isfinite(s) || s < DBL_MIN || (float)r / (float)(pow2(req->bits - 1)) < FLT_MIN ||
	    fs < FLT_MIN || !isfinite(fs))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "--range: [%.9g, %.9g] gives a scale outside float32's normal "
				      "numbers (expected a wider or smaller range)", lo, hi);
	if (fabs(lo / s) > QUANT_MAX_STEPS || fabs(hi / s) > QUANT_MAX_STEPS)
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "--range: [%.9g, %.9g] is too narrow for values that far from 0 "
				      "(the zero point would be over 2^52 steps away)", lo, hi);
	return TFIT_OK;
}

/* Clamp x (already rounded) to [lo, hi] and convert. */
static int64_t clamp_q(double x, int64_t lo, int64_t hi, int *clipped)
{
	*clipped = 0;
	if (x < (double)lo) {
		*clipped = 1;
		return lo;
	}
	if (x > (double)hi) {
		*clipped = 1;
		return hi;
	}
	return (int64_t)x;
}

static void textbook(const struct tfit_quant_request *req, struct tfit_quant_scheme *s)
{
	unsigned b = req->bits;
	s->formula = "S = (max - min) / (2^bits - 1); Z = -round(min / S); "
		     "q = clip(round(w / S) + Z, -2^(bits-1), 2^(bits-1) - 1)";
	s->source = "../shared/reference/course-formulas.md (Quantization, affine int8)";
	s->note = b == 8 ? NULL : "the course states the formulas for int8; the same rule at this width";
	s->used_min = req->range_min;
	s->used_max = req->range_max;
	s->q_min = -pow2(b - 1);
	s->q_max = pow2(b - 1) - 1;
	s->scale = (req->range_max - req->range_min) / (double)(pow2(b) - 1);
	s->zero_point = (int64_t)-tfit_round(req->range_min / s->scale);
	if (req->has_value) {
		double x = tfit_round(req->value / s->scale) + (double)s->zero_point;
		s->quantized = clamp_q(x, s->q_min, s->q_max, &s->clipped);
	}
}

static void tflite_activation(const struct tfit_quant_request *req, struct tfit_quant_scheme *s)
{
	unsigned b = req->bits;
	float fs;
	s->source = "TFLite quantization spec; tensorflow/lite/tools/optimize/quantization_utils.cc";
	s->q_min = -pow2(b - 1);
	s->q_max = pow2(b - 1) - 1;
	if (b == 16) {
		/* 16x8: int16 activations are symmetric (GetSymmetricQuantizationParams
		 * with half range 32767); the tensor still holds -32768. */
		float r = tfit_fmaxf(fabsf((float)req->range_min), fabsf((float)req->range_max));
		s->formula = "int16 activations are symmetric: S = max(|min|, |max|) / 32767; Z = 0";
		fs = r / 32767.0f;
		s->scale = fs;
		s->zero_point = 0;
		s->used_min = -(double)r;
		s->used_max = r;
	} else {
		/* GetAsymmetricQuantizationParams: widen to include 0, then nudge
		 * the zero point to an integer inside [qmin, qmax]. */
		float lo = tfit_fminf((float)req->range_min, 0.0f);
		float hi = tfit_fmaxf((float)req->range_max, 0.0f);
		float qmin = (float)s->q_min, qmax = (float)s->q_max, zfm;
		s->formula = "range widened to include 0; S = (max - min) / (qmax - qmin); "
			     "Z = round(qmin - min / S) clamped to [qmin, qmax]";
		s->note = b == 4 ? "TFLite has no 4-bit activations (int4 is for weights only): the int8 "
				   "rule on [-8, 7], for comparison" : NULL;
		fs = (hi - lo) / (qmax - qmin);
		zfm = qmin - lo / fs;
		s->zero_point = zfm < qmin ? s->q_min : zfm > qmax ? s->q_max : (int64_t)tfit_roundf(zfm);
		s->scale = fs;
		s->used_min = lo;
		s->used_max = hi;
	}
	if (req->has_value) {
		double x = (double)tfit_roundf((float)req->value / fs) + (double)s->zero_point;
		s->quantized = clamp_q(x, s->q_min, s->q_max, &s->clipped);
	}
}

static void tflite_weight(const struct tfit_quant_request *req, struct tfit_quant_scheme *s)
{
	unsigned b = req->bits;
	float r = tfit_fmaxf(fabsf((float)req->range_min), fabsf((float)req->range_max));
	float qmax = (float)(pow2(b - 1) - 1), fs = r / qmax;
	s->formula = "symmetric: Z = 0; S = max(|min|, |max|) / (2^(bits-1) - 1); "
		     "q in [-(2^(bits-1) - 1), 2^(bits-1) - 1], one S per output channel";
	s->source = "TFLite quantization spec (per-axis int8 weights); "
		    "tensorflow/lite/tools/optimize/quantization_utils.cc";
	s->note = b == 16 ? "TFLite has no int16 weights (its 16x8 mode keeps int8 weights): "
			    "the same rule at 16 bits, for comparison" :
		  b == 4 ? "int4 weights are packed two per byte; TFLM unpacks them to int8 before "
			   "its kernels run" : NULL;
	s->q_min = -(pow2(b - 1) - 1);
	s->q_max = pow2(b - 1) - 1;
	s->scale = fs;
	s->zero_point = 0;
	s->used_min = -(double)r;
	s->used_max = r;
	if (req->has_value) {
		double x = (double)tfit_roundf((float)req->value / fs);
		s->quantized = clamp_q(x, s->q_min, s->q_max, &s->clipped);
	}
}

void tfit_quant_compute(const struct tfit_quant_request *req, enum tfit_quant_method m,
			struct tfit_quant_scheme *s)
{
	double S, Z, span, lost = 0;
	memset(s, 0, sizeof(*s));
	s->method = m;
	s->bits = req->bits;
	if (m == TFIT_QUANT_TEXTBOOK)
		textbook(req, s);
	else if (m == TFIT_QUANT_TFLITE_ACTIVATION)
		tflite_activation(req, s);
	else
		tflite_weight(req, s);
	S = s->scale;
	Z = (double)s->zero_point;
	s->repr_min = S * ((double)s->q_min - Z);
	s->repr_max = S * ((double)s->q_max - Z);
	s->worst_error = S / 2;
	/* round(w / S) + Z leaves [q_min, q_max] once w / S is half a step
	 * past the last level. */
	s->clip_low = S * ((double)s->q_min - Z - 0.5);
	s->clip_high = S * ((double)s->q_max - Z + 0.5);
	span = req->range_max - req->range_min;
	if (req->range_max > s->clip_high)
		lost += req->range_max - tfit_fmax(s->clip_high, req->range_min);
	if (req->range_min < s->clip_low)
		lost += tfit_fmin(s->clip_low, req->range_max) - req->range_min;
	s->clip_share = tfit_fmin(1.0, lost / span);
	s->zero_exact = s->zero_point >= s->q_min && s->zero_point <= s->q_max;
	if (req->has_value) {
		s->has_value = 1;
		s->value = req->value;
		s->dequantized = S * ((double)s->quantized - Z);
		s->error = fabs(s->dequantized - req->value);
	}
}

char *tfit_quant_explain(const struct tfit_quant_request *req, const struct tfit_quant_scheme *a,
			 const struct tfit_quant_scheme *b, char *buf, size_t size)
{
	/* 6 significant digits, never an exponent (scales reach 1e-5 at 16 bits) */
	char n1[64], n2[64], n3[64], n4[64], n5[64], n6[64], n7[64];
#define SIG6(v, b) tfit_units_format_sig((v), 6, (b), sizeof(b))
	buf[0] = '\0';
	if (a->method == TFIT_QUANT_TEXTBOOK && b->method == TFIT_QUANT_TFLITE_ACTIVATION) {
		if (b->bits == 16)
			snprintf(buf, size, "textbook -> tflite-activation: TFLite's int16 activations are "
				 "symmetric (Z = 0, S = max|x| / 32767 = %s), the textbook's are "
				 "asymmetric with Z = %lld", SIG6(b->scale, n1), (long long)a->zero_point);
		else
			snprintf(buf, size, "textbook -> tflite-activation: the textbook's Z = %lld is "
				 "uint8's (0..%lld) but q is clipped to %lld..%lld, so values above %s "
				 "saturate (%.1f%% of the range is lost); TFLite %s"
				 "Z = round(qmin - min / S) = %lld, keeping [%s, %s] with 0.0 exactly "
				 "at q = %lld",
				 (long long)a->zero_point, (long long)(pow2(a->bits) - 1),
				 (long long)a->q_min, (long long)a->q_max, SIG6(a->clip_high, n1),
				 a->clip_share * 100.0,
				 (b->used_min != (double)(float)req->range_min ||
				  b->used_max != (double)(float)req->range_max) ?
				 "widens the range to include 0 and takes " : "takes ",
				 (long long)b->zero_point, SIG6(b->repr_min, n2), SIG6(b->repr_max, n3),
				 (long long)b->zero_point);
	} else if (a->method == TFIT_QUANT_TFLITE_ACTIVATION && b->method == TFIT_QUANT_TFLITE_WEIGHT) {
		double used = (req->range_max - req->range_min) / (b->used_max - b->used_min);
		snprintf(buf, size, "tflite-activation -> tflite-weight: weights are symmetric, Z = 0 "
			 "and S = max(|min|, |max|) / %lld = %s (%.2fx the activation's), so kernels "
			 "need no weight zero-point term, but [%s, %s] uses only %.1f%% of the "
			 "levels of [%s, %s]",
			 (long long)b->q_max, SIG6(b->scale, n1), b->scale / a->scale,
			 SIG6(req->range_min, n2), SIG6(req->range_max, n3), used * 100.0,
			 SIG6(b->used_min, n4), SIG6(b->used_max, n5));
	} else {
		snprintf(buf, size, "%s -> %s: S %s vs %s, Z %lld vs %lld",
			 tfit_quant_method_name(a->method), tfit_quant_method_name(b->method),
			 SIG6(a->scale, n6), SIG6(b->scale, n7), (long long)a->zero_point,
			 (long long)b->zero_point);
	}
#undef SIG6
	return buf;
}

/*
 * quant.h - affine quantization: the course's formulas, TensorFlow Lite's two
 * int8 schemes, and a per-tensor report of a model's quantization
 * (`tinyfit quant`, docs/quantization.md).
 *
 * The three schemes (real value = S * (q - Z) in all of them):
 *  - textbook: ../shared/reference/course-formulas.md, "Quantization
 *    (affine int8)": S = (max - min) / (2^bits - 1), Z = -round(min / S),
 *    q = clip(round(w / S) + Z, -2^(bits-1), 2^(bits-1) - 1), worst error
 *    S / 2. Computed in double precision, rounded only when printed.
 *  - tflite-activation: TFLite's asymmetric activations
 *    (https://www.tensorflow.org/lite/performance/quantization_spec;
 *    tensorflow/lite/tools/optimize/quantization_utils.cc
 *    GetAsymmetricQuantizationParams): the range is first widened to
 *    include 0, S = (max - min) / (qmax - qmin), Z = round(qmin - min / S)
 *    clamped to [qmin, qmax], so that 0.0 is exactly q = Z ("nudging").
 *    int16 activations are symmetric instead (the 16x8 scheme: Z = 0,
 *    S = max|x| / 32767; GetSymmetricQuantizationParams).
 *  - tflite-weight: TFLite's symmetric weights: Z = 0,
 *    S = max(|min|, |max|) / (2^(bits-1) - 1), q in [-(2^(bits-1) - 1),
 *    2^(bits-1) - 1] (narrow range: -128 is never used), one scale per
 *    output channel for conv/depthwise/fully-connected weights
 *    (SymmetricPerChannelQuantization).
 * The TFLite schemes compute S in float32 as the converter does; the values
 * are reported as doubles.
 *
 * Ownership: results are plain structs; the model report owns its rows and
 * findings (tfit_quant_model_release). Nothing here prints.
 */
#ifndef TINYFIT_QUANT_H
#define TINYFIT_QUANT_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/error.h"
#include "tinyfit/graph.h"

enum tfit_quant_method {
	TFIT_QUANT_TEXTBOOK = 0,
	TFIT_QUANT_TFLITE_ACTIVATION,
	TFIT_QUANT_TFLITE_WEIGHT,
	TFIT_QUANT_METHOD_COUNT
};

/* "textbook", "tflite-activation", "tflite-weight". */
const char *tfit_quant_method_name(enum tfit_quant_method m);
/* Parse a method name; -1 when unknown ("all" is the CLI's, not a method). */
int tfit_quant_method_parse(const char *name, enum tfit_quant_method *out);

struct tfit_quant_request {
	double range_min, range_max;  /* the float range to quantize (min < max) */
	int has_value;
	double value;                 /* the value to quantize (when has_value) */
	unsigned bits;                /* 4, 8 or 16 */
};

struct tfit_quant_scheme {
	enum tfit_quant_method method;
	unsigned bits;
	const char *formula;          /* how S and Z are computed (static text) */
	const char *source;           /* where the scheme comes from (static text) */
	const char *note;             /* a caveat for this bit width, or NULL */
	double used_min, used_max;    /* the range the scheme maps (widened to hold 0,
					 or +-max|w| for symmetric schemes) */
	double scale;                 /* S (the step between levels) */
	int64_t zero_point;           /* Z */
	int64_t q_min, q_max;         /* the clip bounds */
	double repr_min, repr_max;    /* S * (q_min - Z), S * (q_max - Z) */
	double worst_error;           /* S / 2: the rounding error inside the range */
	double clip_low, clip_high;   /* values below / above these saturate (their
					 error exceeds S / 2) */
	double clip_share;            /* share of [range_min, range_max] that
					 saturates, 0..1 */
	int zero_exact;               /* 0.0 is represented exactly */
	int has_value;
	double value;
	int64_t quantized;
	double dequantized;
	double error;                 /* |dequantized - value| */
	int clipped;                  /* value saturated at q_min or q_max */
};

/*
 * Check a request: finite numbers, min < max, bits 4, 8 or 16, a scale that
 * is a normal positive number for every scheme. TFIT_ERR_USAGE with a
 * message naming the option (--range, --value, --bits) otherwise.
 */
enum tfit_status tfit_quant_check_request(const struct tfit_quant_request *req,
					  struct tfit_error *err);

/* Compute one scheme for a request that passed tfit_quant_check_request. */
void tfit_quant_compute(const struct tfit_quant_request *req, enum tfit_quant_method m,
			struct tfit_quant_scheme *out);

/*
 * One line saying why scheme b differs from scheme a, with the numbers
 * (e.g. the textbook's uint8 zero point clipped to int8 losing the upper
 * half of the range). Writes into buf and returns it.
 */
char *tfit_quant_explain(const struct tfit_quant_request *req, const struct tfit_quant_scheme *a,
			 const struct tfit_quant_scheme *b, char *buf, size_t size);

/* ---- a model's tensors ---------------------------------------------------- */

/* Finding kinds (docs/quantization.md names each). */
enum tfit_quant_finding_kind {
	TFIT_QF_ASYMMETRIC_WEIGHTS = 0, /* weights with a non-zero zero point */
	TFIT_QF_SCALE_SPREAD,           /* per-channel scales over >= 3 orders of magnitude */
	TFIT_QF_FLOAT_IN_INT8,          /* float tensors left in an int8 model */
	TFIT_QF_HYBRID,                 /* float activations meet int8 weights */
	TFIT_QF_INT16,                  /* int16 activations: kernels that support them */
	TFIT_QF_NARROW_OUTPUT,          /* a producer's range does not suit its consumer */
	TFIT_QF_INVALID_SCALE,          /* a scale that is <= 0, NaN or infinite */
	TFIT_QF_UINT8,                  /* uint8 (TFLite 1.x) quantization */
	TFIT_QF_WHAT_IF,                /* the scheme is a what-if, no numbers in the file */
	TFIT_QF_KIND_COUNT
};
const char *tfit_quant_finding_name(enum tfit_quant_finding_kind k); /* "asymmetric_weights" */

struct tfit_quant_finding {
	enum tfit_quant_finding_kind kind;
	int severity;                 /* 2 error (TFLM fails or computes wrong), 1 warning, 0 note */
	int32_t tensor;               /* the tensor it is about, or -1 */
	int32_t op;                   /* the op it is about, or -1 */
	char *message;                /* owned */
};

/* The role a tensor plays, for the scheme it gets. */
enum tfit_quant_role {
	TFIT_QROLE_ACTIVATION = 0,    /* not constant: inputs, outputs, intermediates */
	TFIT_QROLE_WEIGHT,            /* a constant weight/filter */
	TFIT_QROLE_BIAS,              /* a constant bias of a conv/depthwise/FC */
	TFIT_QROLE_CONSTANT           /* another constant (shapes, lookup tables) */
};
const char *tfit_quant_role_name(enum tfit_quant_role r);

struct tfit_quant_tensor {
	uint32_t index;               /* tensor index in subgraph 0 */
	enum tfit_quant_role role;
	const char *scheme;           /* "asymmetric per-tensor", "symmetric per-channel",
					 "float (not quantized)", ... (static text) */
	int has_range;                /* a per-tensor numeric range below is known */
	double repr_min, repr_max;    /* S * (qmin - Z) .. S * (qmax - Z) (widest
					 channel for per-channel tensors) */
	double step;                  /* the scale (largest for per-channel) */
	double worst_error;           /* step / 2 */
	double scale_ratio;           /* largest / smallest scale (per-channel), else 1 */
};

struct tfit_quant_model_report {
	const struct tfit_model *model;
	int what_if;                  /* the numbers are not in the file (JSON model,
					 or --dtype converted): schemes only */
	struct tfit_quant_tensor *tensors;  /* one per tensor of subgraph 0 */
	uint32_t n_tensors;
	uint32_t n_quantized, n_float, n_int16, n_per_channel;
	struct tfit_quant_finding *findings;
	size_t n_findings;
	int worst_severity;           /* -1 when there are no findings */
};

/*
 * Build the per-tensor report of m's main subgraph. TFIT_ERR_NOMEM on OOM;
 * on error the report is released. m must outlive the report.
 */
enum tfit_status tfit_quant_model_analyze(const struct tfit_model *m,
					  struct tfit_quant_model_report *rep,
					  struct tfit_error *err);
void tfit_quant_model_release(struct tfit_quant_model_report *rep);

#endif

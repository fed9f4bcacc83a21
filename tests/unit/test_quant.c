/*
 * test_quant.c - the three quantization schemes of quant.h checked against
 * hand calculations, request validation, and the per-tensor model report.
 *
 * The course's worked example (../shared/reference/course-formulas.md and
 * issue #20): range [-0.5, 0.8], w = -0.2, 8 bits.
 *
 * textbook (double precision):
 *   S = (0.8 - -0.5) / 255 = 1.3 / 255 = 0.00509803921...     (course: S ~ 0.0051)
 *   min / S = -0.5 / 0.0050980392 = -98.0769...  ->  Z = -round(-98.08) = 98
 *   w / S = -0.2 / 0.0050980392 = -39.2308  ->  round = -39;  q = -39 + 98 = 59
 *   dequantized = S x (59 - 98) = -39 x 0.0050980392 = -0.19882353; error 0.00117647
 *   representable = S x (-128 - 98) .. S x (127 - 98) = [-1.1521569, 0.14784314]
 *   saturates above S x (127 - 98 + 0.5) = 29.5 S = 0.15039216:
 *   (0.8 - 0.15039216) / 1.3 = 49.97% of the range is lost
 * tflite-activation (float32, GetAsymmetricQuantizationParams):
 *   range holds 0 already; S = 1.3f / 255 = 0.0050980393 (float32)
 *   zero_point_from_min = -128 - (-0.5 / S) = -128 + 98.0769 = -29.923  ->  Z = -30
 *   q = round(-39.2308) + (-30) = -69
 *   representable (the nudged range) = S x (-128 + 30) .. S x (127 + 30)
 *     = -98 S .. 157 S = [-0.49960785, 0.80039217]; 0.0 is q = -30 exactly
 * tflite-weight (float32, symmetric):
 *   S = max(0.5, 0.8) / 127 = 0.0062992126; Z = 0
 *   q = round(-0.2 / 0.0062992126) = round(-31.75) = -32
 *   dequantized = -32 x 0.0062992126 = -0.2015748; error 0.0015748
 */
#include "tfit_test.h"
#include "tflite_gen.h"

#include "model/tflite_reader.h"

#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"
#include "tinyfit/quant.h"

static void course_example(void)
{
	struct tfit_quant_request req = { -0.5, 0.8, 1, -0.2, 8 };
	struct tfit_quant_scheme s;
	struct tfit_error err;

	tfit_error_clear(&err);
	CHECK(tfit_quant_check_request(&req, &err) == TFIT_OK);

	tfit_quant_compute(&req, TFIT_QUANT_TEXTBOOK, &s);
	CHECK_NEAR(s.scale, 1.3 / 255.0, 1e-15);
	CHECK_NEAR(s.scale, 0.0051, 0.00005); /* the course's printed digits */
	CHECK_I64(s.zero_point, 98);
	CHECK_I64(s.quantized, 59);
	CHECK_NEAR(s.dequantized, -39.0 * 1.3 / 255.0, 1e-12);
	CHECK_NEAR(s.error, 0.2 - 39.0 * 1.3 / 255.0, 1e-12);
	CHECK_NEAR(s.worst_error, 1.3 / 510.0, 1e-15);
	CHECK_NEAR(s.repr_min, -226.0 * 1.3 / 255.0, 1e-12);
	CHECK_NEAR(s.repr_max, 29.0 * 1.3 / 255.0, 1e-12);
	CHECK_NEAR(s.clip_high, 29.5 * 1.3 / 255.0, 1e-12);
	CHECK_NEAR(s.clip_share, (0.8 - 29.5 * 1.3 / 255.0) / 1.3, 1e-12);
	CHECK(!s.clipped);

	tfit_quant_compute(&req, TFIT_QUANT_TFLITE_ACTIVATION, &s);
	CHECK_NEAR(s.scale, (double)(1.3f / 255.0f), 1e-12);
	CHECK_I64(s.zero_point, -30);
	CHECK_I64(s.quantized, -69);
	CHECK_NEAR(s.repr_min, -98.0 * (double)(1.3f / 255.0f), 1e-9);
	CHECK_NEAR(s.repr_max, 157.0 * (double)(1.3f / 255.0f), 1e-9);
	CHECK_NEAR(s.repr_min, -0.49960785, 1e-7);
	CHECK_NEAR(s.repr_max, 0.80039217, 1e-7);
	CHECK_NEAR(s.clip_share, 0.0, 0.0);
	CHECK(s.zero_exact);

	tfit_quant_compute(&req, TFIT_QUANT_TFLITE_WEIGHT, &s);
	CHECK_NEAR(s.scale, (double)(0.8f / 127.0f), 1e-12);
	CHECK_I64(s.zero_point, 0);
	CHECK_I64(s.q_min, -127);
	CHECK_I64(s.quantized, -32);
	CHECK_NEAR(s.dequantized, -0.2015748, 1e-7);
	CHECK_NEAR(s.error, 0.0015748, 1e-7);
}

/*
 * A range that does not hold 0, [0.2, 1.0], w = 1.5:
 *  textbook: S = 0.8 / 255 = 0.0031372549, Z = -round(63.75) = -64,
 *    q = clip(round(478.125) - 64) = clip(414) = 127 (clipped)
 *  tflite-activation: widened to [0, 1]: S = 1/255, Z = -128 - 0 = -128,
 *    q = clip(round(382.5) - 128) = 127 (clipped); dequantized 255/255 = 1
 *  tflite-weight: S = 1 / 127, q = clip(round(190.5)) = 127 (clipped)
 */
static void positive_range(void)
{
	struct tfit_quant_request req = { 0.2, 1.0, 1, 1.5, 8 };
	struct tfit_quant_scheme s;
	tfit_quant_compute(&req, TFIT_QUANT_TEXTBOOK, &s);
	CHECK_I64(s.zero_point, -64);
	CHECK_I64(s.quantized, 127);
	CHECK(s.clipped);
	tfit_quant_compute(&req, TFIT_QUANT_TFLITE_ACTIVATION, &s);
	CHECK_NEAR(s.used_min, 0.0, 0.0);
	CHECK_I64(s.zero_point, -128);
	CHECK_I64(s.quantized, 127);
	CHECK_NEAR(s.dequantized, 1.0, 1e-6);
	tfit_quant_compute(&req, TFIT_QUANT_TFLITE_WEIGHT, &s);
	CHECK_I64(s.quantized, 127);
	CHECK(s.clipped);
}

/* 16 bits: int16 activations are symmetric, S = 0.8 / 32767; q = round(-0.2 / S)
 * = round(-8191.75) = -8192. 4 bits textbook: S = 1.3 / 15, Z = -round(-5.769) = 6,
 * q = round(-2.3077) + 6 = 4. */
static void other_widths(void)
{
	struct tfit_quant_request req = { -0.5, 0.8, 1, -0.2, 16 };
	struct tfit_quant_scheme s;
	tfit_quant_compute(&req, TFIT_QUANT_TFLITE_ACTIVATION, &s);
	CHECK_I64(s.zero_point, 0);
	CHECK_I64(s.quantized, -8192);
	CHECK_I64(s.q_min, -32768);
	req.bits = 4;
	tfit_quant_compute(&req, TFIT_QUANT_TEXTBOOK, &s);
	CHECK_I64(s.zero_point, 6);
	CHECK_I64(s.quantized, 4);
	CHECK_I64(s.q_min, -8);
	tfit_quant_compute(&req, TFIT_QUANT_TFLITE_WEIGHT, &s);
	CHECK_I64(s.q_max, 7);
	CHECK_I64(s.quantized, -2); /* round(-0.2 / (0.8 / 7)) = round(-1.75) */
}

static void bad_requests(void)
{
	struct tfit_quant_request req = { 1.0, -1.0, 0, 0, 8 };
	struct tfit_error err;
	tfit_error_clear(&err);
	CHECK(tfit_quant_check_request(&req, &err) == TFIT_ERR_USAGE);
	CHECK_CONTAINS(err.message, "not below");
	req.range_min = -1;
	req.range_max = 1;
	req.bits = 7;
	CHECK(tfit_quant_check_request(&req, &err) == TFIT_ERR_USAGE);
	req.bits = 8;
	req.range_max = 1e39;
	CHECK(tfit_quant_check_request(&req, &err) == TFIT_ERR_USAGE);
	req.range_max = 1;
	req.has_value = 1;
	req.value = NAN;
	CHECK(tfit_quant_check_request(&req, &err) == TFIT_ERR_USAGE);
	req.has_value = 0;
	req.range_min = 1e6;
	req.range_max = 1e6 + 1e-9;
	CHECK(tfit_quant_check_request(&req, &err) == TFIT_ERR_USAGE);
}

/* tests/data/tflite/small_conv.tflite stores 1 and 4 scales of 0: both
 * tensors are reported invalid; the others carry no quantization. */
static void small_conv_model(void)
{
	struct tfit_model *m = NULL;
	struct tfit_quant_model_report rep;
	struct tfit_error err;
	size_t i, invalid = 0, bare = 0;
	tfit_error_clear(&err);
	CHECK(tfit_model_load(TFIT_SOURCE_DIR "/tests/data/tflite/small_conv.tflite", NULL, &m, &err) == TFIT_OK);
	if (!m)
		return;
	CHECK(tfit_quant_model_analyze(m, &rep, &err) == TFIT_OK);
	CHECK_U64(rep.n_tensors, 8);
	CHECK_U64(rep.n_quantized, 2);
	CHECK_U64(rep.n_per_channel, 1);
	CHECK(!rep.what_if);
	CHECK_U64(tfit_quant_nums(tfit_tensor_quant(&m->subgraphs[0].tensors[1]))->scale_invalid, 4);
	for (i = 0; i < rep.n_findings; i++) {
		invalid += rep.findings[i].kind == TFIT_QF_INVALID_SCALE && rep.findings[i].severity == 2;
		/* conv/out, fc/out and the output are int8 without parameters */
		bare += rep.findings[i].kind == TFIT_QF_INVALID_SCALE && rep.findings[i].severity == 1 &&
			rep.findings[i].tensor == 3;
	}
	CHECK_U64(invalid, 2);
	CHECK_U64(bare, 1);
	CHECK(rep.worst_severity == 2);
	tfit_quant_model_release(&rep);
	tfit_model_free(m);
}

/* Write n float32 scales / int64 zero points into the generated file. */
static void put_scales(struct fbb *b, int tensor, const float *v, int n)
{
	char what[96];
	size_t p;
	int i;
	snprintf(what, sizeof(what), "subgraphs[0].tensors[%d].quantization.scale", tensor);
	p = fbb_find(b, what);
	for (i = 0; p != (size_t)-1 && i < n; i++) {
		uint32_t u;
		memcpy(&u, &v[i], 4);
		fbb_put32(b, p + 4 + 4 * (size_t)i, u);
	}
}

static void put_zero_points(struct fbb *b, int tensor, const int64_t *v, int n)
{
	char what[96];
	size_t p;
	int i;
	snprintf(what, sizeof(what), "subgraphs[0].tensors[%d].quantization.zero_point", tensor);
	p = fbb_find(b, what);
	for (i = 0; p != (size_t)-1 && i < n; i++)
		fbb_put64(b, p + 4 + 8 * (size_t)i, (uint64_t)v[i]);
}

/*
 * The generator's small model (conv -> fc -> softmax) with real numbers:
 * input S = 0.5, Z = -3; conv weights with 4 per-channel scales from 1e-7 to
 * 0.02 (5.3 orders of magnitude) and zero points 0, 2, 0, -1 (asymmetric:
 * TFLM's conv ignores them). Checks the reader's summary and the findings.
 *  input range: 0.5 x (-128 + 3) .. 0.5 x (127 + 3) = [-62.5, 65]
 */
static void generated_model(void)
{
	static const float w_scales[] = { 0.02f, 1e-7f, 0.001f, 0.005f };
	static const int64_t w_zps[] = { 0, 2, 0, -1 };
	static const float in_scale[] = { 0.5f };
	static const int64_t in_zp[] = { -3 };
	struct gen_model g;
	struct fbb b;
	struct tfit_model *m = NULL;
	struct tfit_quant_model_report rep;
	struct tfit_error err;
	const struct tfit_quant *q;
	size_t i;
	int asym = 0, spread = 0;

	gen_small_model(&g);
	fbb_init(&b);
	gen_build(&b, &g);
	put_scales(&b, 0, in_scale, 1);
	put_zero_points(&b, 0, in_zp, 1);
	put_scales(&b, 1, w_scales, 4);
	put_zero_points(&b, 1, w_zps, 4);
	tfit_error_clear(&err);
	CHECK(tfit_tflite_read_buffer(b.buf, b.len, "gen.tflite", &m, &err) == TFIT_OK);
	fbb_free(&b);
	if (!m)
		return;
	q = tfit_tensor_quant(&m->subgraphs[0].tensors[1]);
	CHECK(q->values != NULL);
	if (q->values) {
		CHECK_NEAR(q->values->scale_min, 1e-7f, 0);
		CHECK_NEAR(q->values->scale_max, 0.02f, 0);
		CHECK_NEAR(q->values->scale_first, 0.02f, 0);
		CHECK_I64(q->values->zero_point_min, -1);
		CHECK_I64(q->values->zero_point_max, 2);
		CHECK_U64(q->values->zero_point_nonzero, 2);
	}
	CHECK(tfit_quant_model_analyze(m, &rep, &err) == TFIT_OK);
	CHECK(rep.tensors[0].has_range);
	CHECK_NEAR(rep.tensors[0].repr_min, -62.5, 1e-12);
	CHECK_NEAR(rep.tensors[0].repr_max, 65.0, 1e-12);
	CHECK_NEAR(rep.tensors[0].worst_error, 0.25, 1e-12);
	CHECK(rep.tensors[1].role == TFIT_QROLE_WEIGHT);
	CHECK(rep.tensors[2].role == TFIT_QROLE_BIAS);
	CHECK_NEAR(rep.tensors[1].scale_ratio, (double)0.02f / (double)1e-7f, 1e-3);
	CHECK_STR(rep.tensors[1].scheme, "asymmetric per-channel");
	for (i = 0; i < rep.n_findings; i++) {
		asym += rep.findings[i].kind == TFIT_QF_ASYMMETRIC_WEIGHTS && rep.findings[i].severity == 2 &&
			rep.findings[i].op == 0 && rep.findings[i].tensor == 1;
		spread += rep.findings[i].kind == TFIT_QF_SCALE_SPREAD && rep.findings[i].tensor == 1;
	}
	CHECK(asym == 1);
	CHECK(spread == 1);
	CHECK(rep.worst_severity == 2);
	tfit_quant_model_release(&rep);
	tfit_model_free(m);
}

int main(void)
{
	generated_model();
	course_example();
	positive_range();
	other_widths();
	bad_requests();
	small_conv_model();
	return tfit_test_finish();
}

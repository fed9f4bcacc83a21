/*
 * kernel_shape.c - the kernel shape of an op, the code path CMSIS-NN,
 * TFLM's reference kernels or ESP-NN's generic kernels take for it, and the loop-trip features the
 * path's instruction count is linear in (kernel_cost.h).
 *
 * Mirrors tools/kernel-cycles/features.py, which fits the coefficients;
 * tests/unit/test_kernel_cost.c checks the two agree through the recorded
 * counts. Paths follow CMSIS-NN 4ab83cc3cc98 (the commit TFLM 90b983c2b3f1
 * pins) for cores without MVE: arm_convolve_wrapper_s8.c,
 * arm_depthwise_conv_wrapper_s8.c; cores without the DSP extension take
 * CMSIS-NN's plain-C branches (ARM_MATH_DSP unset), which differ in the
 * depthwise fallback and the fully connected row blocking. Armv8.1-M
 * cores with MVE (Helium: the Cortex-M55 and M85) take CMSIS-NN's
 * ARM_MATH_MVEI branches, which have paths and loops of their own
 * (mve_path, mve_features; measured by tools/kernel-cycles/measure_qemu.py).
 */
#include "tinyfit/kernel_cost.h"

#include <string.h>

static const char *const op_names[TFIT_KOP_COUNT] = {
	"conv", "dwconv", "fc", "avgpool", "maxpool", "softmax", "add", "mul"
};

const char *tfit_kernel_op_name(enum tfit_kernel_op op)
{
	return (unsigned)op < TFIT_KOP_COUNT ? op_names[op] : "?";
}

int tfit_kernel_op_parse(const char *name)
{
	int i;
	for (i = 0; name && i < TFIT_KOP_COUNT; i++)
		if (strcmp(op_names[i], name) == 0)
			return i;
	return -1;
}

/* TFLM's tensorflow/lite/kernels/padding.h: output size and the padding
 * before (top or left) of one dimension. */
static int64_t out_pad(int64_t size, int64_t k, int64_t stride, int64_t dil, int same,
		       int64_t *pad)
{
	int64_t eff = (k - 1) * dil + 1, out, total;
	out = same ? (size + stride - 1) / stride : (size - eff) / stride + 1;
	total = (out - 1) * stride + eff - size;
	*pad = total > 0 ? total / 2 : 0;
	return out;
}

int tfit_kernel_shape_complete(struct tfit_kernel_shape *s)
{
	int64_t *v[] = { &s->n, &s->h, &s->w, &s->kh, &s->kw, &s->sh, &s->sw, &s->dh, &s->dw,
			 &s->ch_mult };
	size_t i;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (*v[i] == 0)
			*v[i] = 1;
	if (s->oc == 0)
		s->oc = s->op == TFIT_KOP_DWCONV ? s->c * s->ch_mult : s->c;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (*v[i] < 0)
			return -1;
	if (s->c <= 0 || s->oc <= 0)
		return -1;
	if (s->op == TFIT_KOP_CONV || s->op == TFIT_KOP_DWCONV || s->op == TFIT_KOP_AVGPOOL ||
	    s->op == TFIT_KOP_MAXPOOL) {
		int conv = s->op == TFIT_KOP_CONV || s->op == TFIT_KOP_DWCONV;
		s->oh = out_pad(s->h, s->kh, s->sh, conv ? s->dh : 1, s->same_padding, &s->ph);
		s->ow = out_pad(s->w, s->kw, s->sw, conv ? s->dw : 1, s->same_padding, &s->pw);
		if (s->oh <= 0 || s->ow <= 0)
			return -1;
	} else {
		s->oh = s->h;
		s->ow = s->w;
		s->ph = s->pw = 0;
	}
	return 0;
}

static const struct tfit_tensor *tensor(const struct tfit_subgraph *sg, const int32_t *idx,
					uint32_t n, uint32_t i)
{
	if (i >= n || idx[i] < 0 || (uint32_t)idx[i] >= sg->n_tensors)
		return NULL;
	return &sg->tensors[idx[i]];
}

int tfit_kernel_shape_of_op(const struct tfit_subgraph *sg, const struct tfit_op *op,
			    struct tfit_kernel_shape *s)
{
	const struct tfit_tensor *in = tensor(sg, op->inputs, op->n_inputs, 0);
	const struct tfit_tensor *w = tensor(sg, op->inputs, op->n_inputs, 1);
	const struct tfit_tensor *out = tensor(sg, tfit_op_outputs(op), op->n_outputs, 0);
	const int32_t *id, *wd, *od;

	memset(s, 0, sizeof(*s));
	if (!in || !out || in->dtype != TFIT_DTYPE_INT8 || out->dtype != TFIT_DTYPE_INT8)
		return 0;
	id = tfit_tensor_dims32(in);
	wd = w ? tfit_tensor_dims32(w) : NULL;
	od = tfit_tensor_dims32(out);
	s->same_padding = op->opt->padding == TFIT_PAD_SAME;
	s->sh = op->opt->stride_h;
	s->sw = op->opt->stride_w;
	switch (op->type) {
	case TFIT_OP_CONV_2D:
	case TFIT_OP_DEPTHWISE_CONV_2D:
		if (in->rank != 4 || !w || w->rank != 4 || out->rank != 4)
			return 0;
		s->op = op->type == TFIT_OP_CONV_2D ? TFIT_KOP_CONV : TFIT_KOP_DWCONV;
		s->n = id[0], s->h = id[1], s->w = id[2], s->c = id[3];
		s->kh = wd[1], s->kw = wd[2];
		s->oc = od[3];
		s->dh = op->opt->dilation_h, s->dw = op->opt->dilation_w;
		if (s->op == TFIT_KOP_DWCONV) {
			if (s->c <= 0 || s->oc % s->c)
				return 0;
			s->ch_mult = s->oc / s->c;
		} else if (wd[3] != s->c) {
			return 0; /* grouped convolution */
		}
		break;
	case TFIT_OP_FULLY_CONNECTED:
		if (!w || w->rank != 2 || wd[1] <= 0 || tfit_tensor_elements(in) % (uint64_t)wd[1])
			return 0;
		s->op = TFIT_KOP_FC;
		s->c = wd[1], s->oc = wd[0];
		s->n = (int64_t)(tfit_tensor_elements(in) / (uint64_t)wd[1]);
		break;
	case TFIT_OP_AVERAGE_POOL_2D:
	case TFIT_OP_MAX_POOL_2D:
		if (in->rank != 4)
			return 0;
		s->op = op->type == TFIT_OP_AVERAGE_POOL_2D ? TFIT_KOP_AVGPOOL : TFIT_KOP_MAXPOOL;
		s->n = id[0], s->h = id[1], s->w = id[2], s->c = id[3];
		s->kh = op->opt->filter_h, s->kw = op->opt->filter_w;
		if (s->kh <= 0 || s->kw <= 0)
			return 0;
		break;
	case TFIT_OP_SOFTMAX:
		if (out->rank < 1 || od[out->rank - 1] <= 0)
			return 0;
		s->op = TFIT_KOP_SOFTMAX;
		s->c = od[out->rank - 1];
		s->n = (int64_t)(tfit_tensor_elements(out) / (uint64_t)s->c);
		break;
	case TFIT_OP_ADD:
	case TFIT_OP_MUL: {
		/* broadcasting takes TFLM's reference broadcast loop: not modelled */
		const struct tfit_tensor *in2 = w;
		if (!in2 || tfit_tensor_elements(in2) != tfit_tensor_elements(out) || tfit_tensor_elements(in) != tfit_tensor_elements(out))
			return 0;
		s->op = op->type == TFIT_OP_ADD ? TFIT_KOP_ADD : TFIT_KOP_MUL;
		s->c = (int64_t)tfit_tensor_elements(out);
		break;
	}
	default:
		return 0;
	}
	return tfit_kernel_shape_complete(s) == 0;
}

/* Cortex-M cores without the DSP extension (Armv6-M, Armv7-M without DSP,
 * Armv8-M baseline: Arm's Technical Reference Manuals). CMSIS-NN's
 * arm_nn_math_types.h sets ARM_MATH_DSP from __ARM_FEATURE_DSP, which
 * arm-none-eabi-gcc defines for every other Cortex-M -mcpu. */
int tfit_kernel_core_has_dsp(const char *core)
{
	static const char *const no_dsp[] = { "cortex-m0", "cortex-m0plus", "cortex-m1",
					      "cortex-m3", "cortex-m23" };
	size_t i;
	for (i = 0; core && i < sizeof(no_dsp) / sizeof(no_dsp[0]); i++)
		if (strcmp(core, no_dsp[i]) == 0)
			return 0;
	return 1;
}

/* Armv8.1-M cores with MVE: gcc defines __ARM_FEATURE_MVE for them, and
 * CMSIS-NN's arm_nn_math_types.h then defines ARM_MATH_MVEI. */
int tfit_kernel_core_has_mve(const char *core)
{
	return core && (strcmp(core, "cortex-m55") == 0 || strcmp(core, "cortex-m85") == 0);
}

static int64_t cdiv(int64_t a, int64_t b)
{
	return (a + b - 1) / b;
}

/* arm_convolve_1_x_n_s8.c's MVE branch splits the output row into the
 * columns with left padding, without padding and with right padding; when
 * the split does not cover the row it calls arm_convolve_s8. Returns 1 and
 * the three column counts when it covers it. */
static int mve_1xn_parts(const struct tfit_kernel_shape *s, int64_t parts[3])
{
	int64_t total = (s->ow - 1) * s->sw + s->kw - s->w, asym = total % 2;
	int64_t right = s->pw + asym ? cdiv(s->pw + asym, s->sw) : 0;
	int64_t left = s->pw ? cdiv(s->pw, s->sw) : 0, nopad;
	if (s->pw + asym && right < 1)
		right = 1;
	if (s->pw && left < 1)
		left = 1;
	nopad = s->ow - right - left;
	if (nopad < 0)
		nopad = 0;
	parts[0] = left;
	parts[1] = nopad;
	parts[2] = s->ow - left - nopad;
	return right + nopad + left == s->ow;
}

/* CMSIS-NN's paths with ARM_MATH_MVEI (arm_convolve_wrapper_s8.c,
 * arm_depthwise_conv_wrapper_s8.c): no 3x3 depthwise fast path, and a
 * depthwise conv of one input channel to several runs as a conv. */
static const char *mve_path(const struct tfit_kernel_shape *s)
{
	int64_t parts[3];
	if (s->op == TFIT_KOP_CONV) {
		if (s->ph == 0 && s->pw == 0 && s->kh == 1 && s->kw == 1 && s->dh == 1 && s->dw == 1)
			return s->sh == 1 && s->sw == 1 ? "conv.1x1_fast" : "conv.1x1";
		if (s->h == 1 && s->dw == 1 && s->kh == 1 && (s->sw * s->c) % 4 == 0 &&
		    mve_1xn_parts(s, parts))
			return "conv.1xn";
		return "conv.im2col";
	}
	if (s->op == TFIT_KOP_DWCONV) {
		/* CONVERT_DW_CONV_WITH_ONE_INPUT_CH_AND_OUTPUT_CH_ABOVE_THRESHOLD:
		 * 1 with gcc (arm_nnsupportfunctions.h) */
		if (s->c == 1 && s->c * s->ch_mult > 1)
			return "dwconv.conv";
		if (s->ch_mult == 1 && s->n == 1 && s->dh == 1 && s->dw == 1)
			return "dwconv.opt";
		if (s->ch_mult % 4 == 0 && s->n == 1 && s->dh == 1 && s->dw == 1)
			return "dwconv.mult4";
		return "dwconv.generic";
	}
	return tfit_kernel_op_name(s->op);
}

const char *tfit_kernel_path(enum tfit_kernel_impl impl, const char *core,
			     const struct tfit_kernel_shape *s)
{
	int dsp = tfit_kernel_core_has_dsp(core);

	if (impl == TFIT_KERNEL_CMSIS_NN && tfit_kernel_core_has_mve(core))
		return mve_path(s);

	/* ESP-NN's generic kernels (esp_nn_generic_opt.h, espressif/esp-nn
	 * d45b843c): esp_nn_conv_s8_opt takes its 1x1 routine for any 1x1
	 * filter, whatever the stride; depthwise has a multiplier-1 loop. */
	if (impl == TFIT_KERNEL_ESP_NN && s->op == TFIT_KOP_CONV)
		return s->kh == 1 && s->kw == 1 ? "conv.1x1" : "conv.opt";
	if (impl == TFIT_KERNEL_ESP_NN && s->op == TFIT_KOP_DWCONV)
		return s->ch_mult == 1 ? "dwconv.m1" : "dwconv.mult";
	if (impl == TFIT_KERNEL_CMSIS_NN && s->op == TFIT_KOP_CONV) {
		if (s->ph == 0 && s->pw == 0 && s->kh == 1 && s->kw == 1 && s->dh == 1 && s->dw == 1)
			return s->sh == 1 && s->sw == 1 ? "conv.1x1_fast" : "conv.1x1";
		if (s->h == 1 && s->dw == 1 && s->kh == 1 && (s->sw * s->c) % 4 == 0)
			return "conv.1xn";
		return "conv.im2col";
	}
	if (impl == TFIT_KERNEL_CMSIS_NN && s->op == TFIT_KOP_DWCONV) {
		if (s->ch_mult == 1 && s->n == 1 && s->dh == 1 && s->dw == 1) {
			if (s->kh == 3 && s->kw == 3 && s->ph <= 1 && s->pw <= 1)
				return "dwconv.3x3";
			/* without DSP, arm_depthwise_conv_s8_opt calls arm_depthwise_conv_s8 */
			return dsp ? "dwconv.opt" : "dwconv.generic";
		}
		/* arm_depthwise_conv_s8.c: depthwise_conv_s8_mult_4 or the generic loop */
		if (s->ch_mult % 4 == 0 && s->n == 1 && s->dh == 1 && s->dw == 1)
			return "dwconv.mult4";
		return "dwconv.generic";
	}
	if (impl == TFIT_KERNEL_CMSIS_NN && s->op == TFIT_KOP_FC && !dsp)
		return "fc.nodsp";
	return tfit_kernel_op_name(s->op);
}

/* Floor and ceiling of a / b for b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* How many integers j in [0, n) have lo <= j * step + base < hi (step > 0). */
static int64_t count_in(int64_t n, int64_t step, int64_t base, int64_t lo, int64_t hi)
{
	int64_t first = -floor_div(-(lo - base), step);  /* ceil((lo - base) / step) */
	int64_t last = floor_div(hi - 1 - base, step);
	if (first < 0)
		first = 0;
	if (last > n - 1)
		last = n - 1;
	return last >= first ? last - first + 1 : 0;
}

/* Kernel positions inside the input, summed over the output positions
 * (1-D): pairs (o, i), o < out, i < k, with 0 <= o*stride - pad + i*dil <
 * size. Counted along the shorter of the two loops, each step in closed
 * form, so a hostile shape with millions of outputs or taps costs the
 * other count only (a loop over both took seconds; issue #17's fuzzing). */
static int64_t valid_taps(int64_t size, int64_t k, int64_t stride, int64_t pad, int64_t out,
			  int64_t dil)
{
	int64_t t = 0, j;
	if (size <= 0 || k <= 0 || out <= 0)
		return 0;
	if (stride < 1)
		stride = 1;
	if (dil < 1)
		dil = 1;
	if (out <= k) {
		for (j = 0; j < out; j++)
			t += count_in(k, dil, j * stride - pad, 0, size);
	} else {
		for (j = 0; j < k; j++)
			t += count_in(out, stride, j * dil - pad, 0, size);
	}
	return t;
}

struct feats {
	struct tfit_kernel_feature *f;
	size_t n;
};

static void put(struct feats *fs, const char *name, double v)
{
	if (fs->n < TFIT_KERNEL_MAX_FEATURES) {
		fs->f[fs->n].name = name;
		fs->f[fs->n].value = v;
		fs->n++;
	}
}

/* Loop trips of a 2 x 2 blocked s8 matrix product (R lhs rows, N rhs rows,
 * K columns unrolled by 16 and 4, leftovers one by one), times `times`:
 * arm_nn_mat_mult_nt_t_s8, arm_nn_mat_mult_kernel_s8_s16 and
 * arm_nn_vec_mat_mult_t_s8 all have this shape. */
static void matmul(struct feats *fs, int64_t R, int64_t N, int64_t K, int64_t times)
{
	double r2 = (double)(R / 2), rl = (double)(R % 2), n2 = (double)(N / 2),
	       nl = (double)(N % 2), t = (double)times;
	double k16 = (double)(K / 16), k4 = (double)((K % 16) / 4), k1 = (double)(K % 4);
	put(fs, "b16", t * r2 * n2 * k16);
	put(fs, "b4", t * r2 * n2 * k4);
	put(fs, "b1", t * r2 * n2 * k1);
	put(fs, "b0", t * r2 * n2);
	put(fs, "rl16", t * rl * n2 * k16);
	put(fs, "rl4", t * rl * n2 * k4);
	put(fs, "rl1", t * rl * n2 * k1);
	put(fs, "rl0", t * rl * n2);
	put(fs, "nl16", t * nl * (double)R * k16);
	put(fs, "nl4", t * nl * (double)R * k4);
	put(fs, "nl1", t * nl * (double)R * k1);
	put(fs, "nl0", t * nl * (double)R);
	put(fs, "col", t * (double)N * (double)K);
	put(fs, "ch", t * (double)N);
	put(fs, "pix", t * (double)R);
}

/* arm_nn_vec_mat_mult_t_s8: weight rows two at a time (and a leftover
 * row), columns four at a time then one by one; the file is compiled with
 * #pragma GCC optimize("unroll-loops"), which unrolls both column loops by 8
 * behind a computed entry for the remainder. */
static void fc_rows(struct feats *fs, const struct tfit_kernel_shape *s)
{
	static const char *const names[2][6] = {
		{ "p_u", "p_r", "p_rf", "p_k", "p_kf", "p_0" },
		{ "l_u", "l_r", "l_rf", "l_k", "l_kf", "l_0" },
	};
	int64_t k4 = s->c / 4, k1 = s->c % 4;
	double n = (double)s->n;
	int i;
	for (i = 0; i < 2; i++) {
		double rows = n * (double)(i == 0 ? s->oc / 2 : s->oc % 2);
		put(fs, names[i][0], rows * (double)(k4 / 8));
		put(fs, names[i][1], rows * (double)(k4 % 8));
		put(fs, names[i][2], rows * (k4 % 8 > 0));
		put(fs, names[i][3], rows * (double)k1);
		put(fs, names[i][4], rows * (k1 > 0));
		put(fs, names[i][5], rows);
	}
	put(fs, "row", n);
}

/* arm_nn_vec_mat_mult_t_s8 without DSP: three weight rows at a time over
 * all columns one by one, then the 0-2 leftover rows one at a time. */
static void fc_rows3(struct feats *fs, const struct tfit_kernel_shape *s)
{
	double n = (double)s->n, K = (double)s->c;
	double r3 = (double)(s->oc / 3), r1 = (double)(s->oc % 3);
	put(fs, "t_k", n * r3 * K);
	put(fs, "t_0", n * r3);
	put(fs, "l_k", n * r1 * K);
	put(fs, "l_0", n * r1);
	put(fs, "row", n);
}

/* ESP-NN's conv and depthwise loops (esp_nn_conv_opt.c,
 * esp_nn_depthwise_conv_opt.c): the channel loop unrolled by 4 in C, then
 * the leftover channels, over the valid filter taps. */
static void esp_nn_features(struct feats *fs, const struct tfit_kernel_shape *s,
			    const char *path, double P, double VT, double VR)
{
	double c = (double)s->c, c4 = (double)(s->c / 4), c1 = (double)(s->c % 4);
	double N = (double)s->oc;
	/* the groups-of-4 loop and the leftover loop each cost an entry when
	 * they run at all (m4f, m1f, vtap4f, vtap1f) */
	if (strcmp(path, "conv.1x1") == 0) {
		put(fs, "m4", P * N * c4);
		put(fs, "m1", P * N * c1);
		put(fs, "m4f", P * N * (s->c >= 4));
		put(fs, "m1f", P * N * (s->c % 4 > 0));
		put(fs, "out", P * N);
		put(fs, "pix", P);
	} else if (strcmp(path, "conv.opt") == 0) {
		put(fs, "vtap4", VT * N * c4);
		put(fs, "vtap1", VT * N * c1);
		put(fs, "vtap4f", VT * N * (s->c >= 4));
		put(fs, "vtap1f", VT * N * (s->c % 4 > 0));
		put(fs, "vtap", VT * N);
		put(fs, "vrow", VR * N);
		put(fs, "out", P * N);
		put(fs, "pix", P);
	} else if (strcmp(path, "dwconv.m1") == 0) {
		put(fs, "vtap4", VT * c4);
		put(fs, "vtap1", VT * c1);
		put(fs, "vrow4", VR * c4);
		put(fs, "vrow1", VR * c1);
		put(fs, "out4", P * c4);
		put(fs, "out1", P * c1);
		put(fs, "pix", P);
	} else {
		/* multiplier m: groups of 4 of each channel's outputs, then the rest */
		double m4 = (double)(s->ch_mult / 4), m1 = (double)(s->ch_mult % 4);
		put(fs, "vtap4", VT * c * m4);
		put(fs, "vtap1", VT * c * m1);
		put(fs, "vrow4", VR * c * m4);
		put(fs, "vrow1", VR * c * m1);
		put(fs, "out4", P * c * m4);
		put(fs, "out1", P * c * m1);
		put(fs, "chan", P * c);
		put(fs, "pix", P);
	}
}

/* arm_nn_mat_mult_nt_t_s8 with MVE, `times` calls of R lhs rows x N rhs
 * rows x K columns: lhs rows four at a time against each rhs row, the
 * columns in one tail-predicated loop of 16 bytes (wlstp/letp), then the
 * leftover lhs rows one at a time, requantised four outputs at a time with
 * a scalar tail. Adds to the features matmul_mve_init put. */
static void matmul_mve(struct tfit_kernel_feature *f, int64_t R, int64_t N, int64_t K,
		       double times)
{
	double r4 = (double)(R / 4), rl = (double)(R % 4), k16 = (double)cdiv(K, 16);
	double Nd = (double)N;
	f[0].value += times * r4 * Nd * k16;
	f[1].value += times * r4 * Nd;
	f[2].value += times * r4;
	f[3].value += times * rl * Nd * k16;
	f[4].value += times * rl * Nd;
	f[5].value += times * rl * (double)(N / 4);
	f[6].value += times * rl * (double)(N % 4);
	f[7].value += times * rl;
	f[8].value += times;
}

static struct tfit_kernel_feature *matmul_mve_init(struct feats *fs)
{
	static const char *const names[] = { "q4k", "q4", "q4b", "l1k", "l1", "l1q", "l1t", "l1b",
					     "call" };
	struct tfit_kernel_feature *f = fs->f + fs->n;
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		put(fs, names[i], 0);
	return f;
}

/* The features of CMSIS-NN's MVE paths (tools/kernel-cycles/features.py
 * mve_features). */
static void mve_features(struct feats *fs, const struct tfit_kernel_shape *s0, const char *path,
			 double P, double VT, double VR, double T)
{
	struct tfit_kernel_shape conv = *s0;
	const struct tfit_kernel_shape *s = s0;
	double n = (double)s->n, c = (double)s->c, c16 = (double)cdiv(s->c, 16);

	if (s->op == TFIT_KOP_DWCONV && strcmp(path, "dwconv.conv") == 0) {
		/* arm_transpose_s8 of the filter on every call, then the conv */
		conv.op = TFIT_KOP_CONV;
		conv.oc = s->c * s->ch_mult;
		conv.ch_mult = 1;
		put(fs, "tr", T * (double)conv.oc);
		s = &conv;
		path = mve_path(s);
	}
	if (s->op == TFIT_KOP_CONV) {
		struct tfit_kernel_feature *m = matmul_mve_init(fs);
		int64_t parts[3], b;
		if (strcmp(path, "conv.1x1_fast") == 0) {
			matmul_mve(m, (int64_t)P, s->oc, s->c, 1);
		} else if (strcmp(path, "conv.1x1") == 0) {
			/* one matrix product per output row */
			matmul_mve(m, s->ow, s->oc, s->c, n * (double)s->oh);
			put(fs, "row", n * (double)s->oh);
		} else if (strcmp(path, "conv.1xn") == 0) {
			/* left-padded, unpadded and right-padded output columns */
			mve_1xn_parts(s, parts);
			for (b = 0; b < 3; b++)
				matmul_mve(m, parts[b], s->oc, s->kw * s->c, n);
			put(fs, "cpy16", n * (double)cdiv(s->kw * s->c, 16));
		} else {
			/* im2col (s8) of four output pixels, then the product */
			int64_t K = s->kh * s->kw * s->c, Pi = (int64_t)P;
			matmul_mve(m, 4, s->oc, K, (double)(Pi / 4));
			if (Pi % 4)
				matmul_mve(m, Pi % 4, s->oc, K, 1);
			put(fs, "tap", P * T);
			put(fs, "trow", P * (double)s->kh);
			put(fs, "vtap16", VT * c16);
			put(fs, "ptap16", (P * T - VT) * c16);
			put(fs, "vtap", VT);
			put(fs, "pix", P);
		}
		return;
	}
	switch (s->op) {
	case TFIT_KOP_DWCONV: {
		int64_t C = s->c * s->ch_mult, b;
		if (strcmp(path, "dwconv.opt") == 0) {
			/* channel blocks of CH_IN_BLOCK_MVE (124, arm_nnsupportfunctions.h):
			 * a copy or fill per output pixel and tap, 16 bytes per
			 * iteration, then four pixels at a time through
			 * arm_nn_depthwise_conv_nt_t_s8, the leftover pixels one by one */
			double nb = 0, b16 = 0, b4 = 0, p4 = (double)((int64_t)P / 4),
			       pl = (double)((int64_t)P % 4);
			for (b = 0; b < C; b += 124) {
				int64_t a = C - b < 124 ? C - b : 124;
				nb += 1;
				b16 += (double)cdiv(a, 16);
				b4 += (double)cdiv(a, 4);
			}
			put(fs, "tap", P * T * nb);
			put(fs, "vtap16", VT * b16);
			put(fs, "ptap16", (P * T - VT) * b16);
			put(fs, "vtap", VT * nb);
			put(fs, "g4", p4 * b4);
			put(fs, "g4t", p4 * b4 * T);
			put(fs, "call4", p4 * nb);
			put(fs, "l4", pl * b4);
			put(fs, "l4t", pl * b4 * T);
			put(fs, "trow", P * (double)s->kh * nb);
			put(fs, "pix", P * nb);
			put(fs, "blk", nb);
		} else if (strcmp(path, "dwconv.mult4") == 0) {
			put(fs, "mac4", VT * (double)(C / 4));
			put(fs, "vrow4", VR * (double)(C / 4));
			put(fs, "tile", P * (double)(C / 4));
			put(fs, "out", P * (double)C);
			put(fs, "pix", P);
		} else {
			put(fs, "mac", VT * (double)C);
			put(fs, "tap", P * (double)C * T);
			put(fs, "vrow", VR * (double)C);
			put(fs, "out", P * (double)C);
			put(fs, "pix", P);
		}
		break;
	}
	case TFIT_KOP_FC: {
		/* arm_nn_vec_mat_mult_t_s8 (MVE): weight rows four at a time, then
		 * the leftover rows one at a time, columns 16 at a time with a
		 * tail predicate (not unrolled), each row loop with an entry cost
		 * when it runs at all */
		static const char *const names[2][3] = { { "q_k", "q_0", "q_f" },
							  { "l_k", "l_0", "l_f" } };
		double k16 = (double)cdiv(s->c, 16);
		int i;
		for (i = 0; i < 2; i++) {
			int64_t rows = i == 0 ? s->oc / 4 : s->oc % 4;
			put(fs, names[i][0], n * (double)rows * k16);
			put(fs, names[i][1], n * (double)rows);
			put(fs, names[i][2], n * (rows > 0));
		}
		put(fs, "row", n);
		break;
	}
	case TFIT_KOP_AVGPOOL:
	case TFIT_KOP_MAXPOOL:
		put(fs, "vtap16", VT * c16);
		put(fs, "vtap", VT);
		put(fs, "vrow16", VR * c16);
		put(fs, "vrow", VR);
		put(fs, "out16", P * c16);
		put(fs, "pix", P);
		break;
	case TFIT_KOP_SOFTMAX:
		put(fs, "elem", n * c);
		put(fs, "elem16", n * c16);
		put(fs, "elem4", n * (double)cdiv(s->c, 4));
		put(fs, "row", n);
		break;
	default:
		put(fs, "elem4", n * (double)cdiv(s->c, 4));
		put(fs, "elem", n * c);
		break;
	}
}

size_t tfit_kernel_features(enum tfit_kernel_impl impl, const char *core,
			    const struct tfit_kernel_shape *s, struct tfit_kernel_feature *out)
{
	struct feats fs = { out, 0 };
	const char *path = tfit_kernel_path(impl, core, s);
	int ref = impl == TFIT_KERNEL_TFLM_REF;
	double n = (double)s->n, c = (double)s->c;
	double P = n * (double)s->oh * (double)s->ow, VT = 0, VR = 0, T = 0;

	put(&fs, "one", 1);
	if (s->op == TFIT_KOP_CONV || s->op == TFIT_KOP_DWCONV || s->op == TFIT_KOP_AVGPOOL ||
	    s->op == TFIT_KOP_MAXPOOL) {
		int conv = s->op == TFIT_KOP_CONV || s->op == TFIT_KOP_DWCONV;
		double vy = (double)valid_taps(s->h, s->kh, s->sh, s->ph, s->oh, conv ? s->dh : 1);
		double vx = (double)valid_taps(s->w, s->kw, s->sw, s->pw, s->ow, conv ? s->dw : 1);
		VT = n * vy * vx;
		VR = n * vy * (double)s->ow;
		T = (double)(s->kh * s->kw);
	}
	if (impl == TFIT_KERNEL_CMSIS_NN && tfit_kernel_core_has_mve(core)) {
		mve_features(&fs, s, path, P, VT, VR, T);
		return fs.n;
	}
	if (impl == TFIT_KERNEL_ESP_NN && (s->op == TFIT_KOP_CONV || s->op == TFIT_KOP_DWCONV)) {
		esp_nn_features(&fs, s, path, P, VT, VR);
		return fs.n;
	}
	switch (s->op) {
	case TFIT_KOP_CONV: {
		double N = (double)s->oc;
		if (ref) {
			put(&fs, "mac", VT * N * c);
			put(&fs, "tap", P * N * T);
			put(&fs, "vtap", VT * N);
			put(&fs, "trow", P * N * (double)s->kh);
			put(&fs, "out", P * N);
			put(&fs, "pix", P);
		} else if (strcmp(path, "conv.im2col") == 0) {
			int64_t K = s->kh * s->kw * s->c;
			matmul(&fs, (int64_t)P, s->oc, K, 1);
			put(&fs, "tap", P * T);
			put(&fs, "trow", P * (double)s->kh);
			put(&fs, "vtap", VT);
			put(&fs, "vbyte", VT * c);
			put(&fs, "pbyte", (P * T - VT) * c);
			put(&fs, "cvt4", P * (double)(K / 4));
			put(&fs, "cvt1", P * (double)(K % 4));
		} else {
			matmul(&fs, (int64_t)P, s->oc,
			       strcmp(path, "conv.1xn") == 0 ? s->kw * s->c : s->c, 1);
		}
		break;
	}
	case TFIT_KOP_DWCONV: {
		int64_t C = s->c * s->ch_mult;
		double Cd = (double)C, C4 = (double)(C / 4), C1 = (double)(C % 4);
		if (ref || strcmp(path, "dwconv.generic") == 0) {
			put(&fs, "mac", VT * Cd);
			put(&fs, "tap", P * Cd * T);
			put(&fs, "vrow", VR * Cd);
			put(&fs, "out", P * Cd);
			put(&fs, "pix", P);
			/* RV32 code of the reference loop: a cost per filter row,
			 * valid or not (features.py RV32_CORES) */
			if (ref && core && strcmp(core, "riscv32") == 0)
				put(&fs, "trow", P * Cd * (double)s->kh);
		} else if (strcmp(path, "dwconv.mult4") == 0) {
			put(&fs, "mac4", VT * C4);
			put(&fs, "vrow4", VR * C4);
			put(&fs, "tile", P * C4);
			put(&fs, "out", P * Cd);
			put(&fs, "pix", P);
		} else if (strcmp(path, "dwconv.3x3") == 0) {
			put(&fs, "vrow4", VR * C4);
			put(&fs, "vrow1", VR * C1);
			put(&fs, "vtap4", VT * C4);
			put(&fs, "vtap1", VT * C1);
			put(&fs, "out4", P * C4);
			put(&fs, "out1", P * C1);
			put(&fs, "vrow", VR);
			put(&fs, "pix", P);
		} else {
			int64_t Ti = s->kh * s->kw;
			put(&fs, "vtap", VT);
			put(&fs, "vtap4", VT * C4);
			put(&fs, "vtap1", VT * C1);
			put(&fs, "pbyte", (P * T - VT) * Cd);
			put(&fs, "ptap", P * T - VT);
			put(&fs, "mac4", P * C4 * (double)(Ti / 2));
			put(&fs, "mac4o", P * C4 * (double)(Ti % 2));
			put(&fs, "mac1", P * C1 * T);
			put(&fs, "out4", P * C4);
			put(&fs, "out1", P * C1);
			put(&fs, "vrow", VR);
			put(&fs, "pix", P);
		}
		break;
	}
	case TFIT_KOP_FC:
		if (ref || impl == TFIT_KERNEL_ESP_NN) {
			put(&fs, "mac", n * (double)s->oc * c);
			put(&fs, "out", n * (double)s->oc);
			put(&fs, "row", n);
		} else if (strcmp(path, "fc.nodsp") == 0) {
			fc_rows3(&fs, s);
		} else {
			fc_rows(&fs, s);
		}
		break;
	case TFIT_KOP_AVGPOOL:
	case TFIT_KOP_MAXPOOL:
		put(&fs, "vtap", VT * c);
		put(&fs, "vtap4", VT * (double)(s->c / 4));
		put(&fs, "vtap1", VT * (double)(s->c % 4));
		put(&fs, "out", P * c);
		put(&fs, "vrow", VR * c);
		put(&fs, "pix", P);
		put(&fs, "win", VT);
		break;
	case TFIT_KOP_SOFTMAX:
		put(&fs, "elem", n * c);
		put(&fs, "row", n);
		break;
	case TFIT_KOP_ADD:
	case TFIT_KOP_MUL:
	case TFIT_KOP_COUNT:
		put(&fs, "elem4", n * (double)(s->c / 4));
		put(&fs, "elem1", n * (double)(s->c % 4));
		put(&fs, "elem", n * c);
		break;
	}
	return fs.n;
}

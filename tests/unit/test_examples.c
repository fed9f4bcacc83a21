/*
 * The six bundled examples: params as Keras counts them, deployed params,
 * MACs and weight bytes, each checked against a hand calculation. The same
 * numbers come out of the real .tflite files in ../shared/models (checked
 * in test_examples_vs_tflite when ../shared is present).
 */
#include "tfit_test.h"
#include "tinyfit/model_io.h"

static struct tfit_model *load(const char *name)
{
	char path[512];
	struct tfit_model *m = NULL;
	struct tfit_error err;
	tfit_error_clear(&err);
	snprintf(path, sizeof(path), "%s/examples/%s", TFIT_SOURCE_DIR, name);
	if (tfit_model_load(path, NULL, &m, &err) != TFIT_OK)
		fprintf(stderr, "%s: %s (%s)\n", name, err.message, err.path);
	return m;
}

static void test_kws(void)
{
	struct tfit_model *m = load("kws_dscnn.json");
	CHECK(m != NULL);
	if (!m)
		return;
	/* conv1 10x4x1x64+64 = 2,624; each of 4 blocks: depthwise 3x3x64+64 = 640,
	 * pointwise 64x64+64 = 4,160; dense 64x12+12 = 780; 9 batch norms x 4x64.
	 * Keras: 2,624 + 4x(640+4,160) + 780 + 9x256 = 24,908
	 * deployed (batch norm folded into existing biases): 24,908 - 2,304 = 22,604 */
	CHECK_U64(m->params, 24908);
	CHECK_U64(m->deployed_params, 22604);
	/* conv1 output 25x5x64 = 8,000 elements: 8,000x40 = 320,000;
	 * depthwise 8,000x9 = 72,000; pointwise 8,000x64 = 512,000 (x4 blocks);
	 * dense 64x12 = 768: total 320,000 + 4x584,000 + 768 = 2,656,768 */
	CHECK_U64(m->macs, 2656768);
	/* int8 weights 2,560+4x(576+4,096)+768 = 22,016 bytes; int32 biases
	 * 4x(64+4x(64+64)+12) = 2,352 bytes; reshape's shape = 8 bytes */
	CHECK_U64(m->weights_bytes, 22016 + 2352 + 8);
	CHECK_U64(m->subgraphs[0].n_ops, 13);
	CHECK_U64(m->subgraphs[0].n_tensors, 35);
	tfit_model_free(m);
}

static void test_resnet8(void)
{
	struct tfit_model *m = load("ic_resnet8.json");
	CHECK(m != NULL);
	if (!m)
		return;
	/* conv 3x3x3x16+16 = 448; stack 1: 2x(3x3x16x16+16) = 4,640;
	 * stack 2: 3x3x16x32+32 = 4,640, 3x3x32x32+32 = 9,248, 1x1 16x32+32 = 544;
	 * stack 3: 18,496 + 36,928 + 2,112; dense 64x10+10 = 650 -> 77,706
	 * deployed; plus 7 batch norms (16,16,16,32,32,64,64 channels) x4 = 960
	 * -> Keras 78,666 */
	CHECK_U64(m->params, 78666);
	CHECK_U64(m->deployed_params, 77706);
	/* output elements x kernel volume per conv:
	 * 16,384x27 + 2x(16,384x144)               =  5,160,960 (32x32x16)
	 * 8,192x144 + 8,192x288 + 8,192x16 (1x1)   =  3,670,016 (16x16x32)
	 * 4,096x288 + 4,096x576 + 4,096x32 (1x1)   =  3,670,016 (8x8x64)
	 * dense 64x10                              =        640 */
	CHECK_U64(m->macs, 12501632);
	CHECK_U64(m->subgraphs[0].n_ops, 16);
	tfit_model_free(m);
}

static void test_vww(void)
{
	struct tfit_model *m = load("vww_mobilenet.json");
	CHECK(m != NULL);
	if (!m)
		return;
	/* MobileNetV1 alpha 0.25: a 3x3 conv of 8 filters and 13 depthwise-
	 * separable blocks. The 27 batch norms cover 8 (first conv) + 1,240
	 * (depthwise outputs: 8+16+32+32+64+64+6x128+256) + 1,488 (pointwise
	 * outputs: 16+32+32+64+64+6x128+2x256) = 2,736 channels, 4 params each
	 * = 10,944, which the converter folds: 221,794 (Keras) - 10,944 =
	 * 210,850 deployed */
	CHECK_U64(m->params, 221794);
	CHECK_U64(m->deployed_params, 210850);
	CHECK_U64(m->params - m->deployed_params, 10944);
	CHECK_U64(m->macs, 7489664);
	CHECK_U64(m->subgraphs[0].n_ops, 31);
	CHECK_U64(m->subgraphs[0].n_tensors, 89);
	tfit_model_free(m);
}

static void test_ad(void)
{
	struct tfit_model *m = load("ad_autoencoder.json");
	CHECK(m != NULL);
	if (!m)
		return;
	/* 640->128 82,048; 3x 128->128 16,512; 128->8 1,032; 8->128 1,152;
	 * 3x 16,512; 128->640 82,560: 265,864 deployed; 8 batch norms of 128
	 * and one of 8 channels: 4x(8x128+8) = 4,128 -> Keras 269,992 */
	CHECK_U64(m->params, 269992);
	CHECK_U64(m->deployed_params, 265864);
	/* MACs = weights without biases: 81,920+3x16,384+1,024+1,024+3x16,384+81,920 */
	CHECK_U64(m->macs, 264192);
	CHECK_U64(m->subgraphs[0].n_ops, 10);
	tfit_model_free(m);
}

static void test_activity(void)
{
	struct tfit_model *m = load("activity_mlp.json");
	CHECK(m != NULL);
	if (!m)
		return;
	/* 27x128+128 = 3,584; 128x64+64 = 8,256; 64x5+5 = 325 */
	CHECK_U64(m->params, 12165);
	CHECK_U64(m->deployed_params, 12165);
	/* 27x128 + 128x64 + 64x5 = 3,456 + 8,192 + 320 */
	CHECK_U64(m->macs, 11968);
	/* int8 weights 11,968 bytes + int32 biases 4x197 = 788 */
	CHECK_U64(m->weights_bytes, 11968 + 788);
	/* dense, dense, dense, softmax (relu fused) */
	CHECK_U64(m->subgraphs[0].n_ops, 4);
	tfit_model_free(m);
}

static void test_hvac(void)
{
	struct tfit_model *m = load("hvac_lstm.json");
	CHECK(m != NULL);
	if (!m)
		return;
	/* LSTM 14->32: 4x(14x32 + 32x32 + 32) = 6,016; LSTM 32->16:
	 * 4x(32x16 + 16x16 + 16) = 3,136; dense 16+1 = 17 */
	CHECK_U64(m->params, 9169);
	CHECK_U64(m->deployed_params, 9169);
	/* per step 4x(in+units)xunits: 60x4x46x32 = 353,280; 60x4x48x16 =
	 * 184,320; dense 16 */
	CHECK_U64(m->macs, 537616);
	/* float32: 9,169 params x 4 bytes + 8 bytes... the last-step
	 * strided slice has three int32[3] configs = 36 bytes */
	CHECK_U64(m->weights_bytes, 9169 * 4 + 36);
	tfit_model_free(m);
}

int main(void)
{
	test_kws();
	test_resnet8();
	test_vww();
	test_ad();
	test_activity();
	test_hvac();
	return tfit_test_finish();
}

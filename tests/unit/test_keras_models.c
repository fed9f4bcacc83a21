/*
 * Every Keras and TF.js model JSON in ../shared/models/keras/ loads with the
 * true total parameter count of its MANIFEST.md (Keras "Total params",
 * batch norm statistics included), or fails with the documented clear
 * error: the custom layer class, the custom model class, the null time
 * dimension (which --input-shape fills in). Skips (77) without ../shared.
 */
#include "tfit_test.h"
#include "tinyfit/model_io.h"

struct expect {
	const char *file;
	uint64_t params;              /* MANIFEST.md "TRUE total params" */
	enum tfit_model_format format;
	uint32_t n_warnings;          /* warnings the model carries */
};

/* The MANIFEST's counts, one row per file that tinyfit models. */
static const struct expect models[] = {
	{ "keras2_hls4ml_3layer_bn.json", 4921, TFIT_MODEL_FORMAT_KERAS, 0 },
	{ "keras2_hls4ml_conv1d_small.json", 171, TFIT_MODEL_FORMAT_KERAS, 0 },
	{ "keras2_hls4ml_conv2d_seq.json", 1310, TFIT_MODEL_FORMAT_KERAS, 0 },
	{ "keras2_hls4ml_gru.json", 2145, TFIT_MODEL_FORMAT_KERAS, 0 },
	{ "keras2_hls4ml_jettagger_conv2d_bn.json", 891, TFIT_MODEL_FORMAT_KERAS, 0 },
	{ "keras2_hls4ml_lstm.json", 3077, TFIT_MODEL_FORMAT_KERAS, 0 },
	{ "keras3_flownet_seq_config.json", 10786, TFIT_MODEL_FORMAT_KERAS, 0 },
	{ "tfjs_abalone_dense_seq.json", 3051, TFIT_MODEL_FORMAT_TFJS, 0 },
	{ "tfjs_balance_seq_configlist.json", 99, TFIT_MODEL_FORMAT_TFJS, 0 },
	{ "tfjs_bangkit_mobilenetv2_nested.json", 3800142, TFIT_MODEL_FORMAT_TFJS, 0 },
	{ "tfjs_ml5_crepe_pitch.json", 487096, TFIT_MODEL_FORMAT_TFJS, 0 },
	{ "tfjs_ml5_cvae_quickdraw.json", 62721, TFIT_MODEL_FORMAT_TFJS, 0 },
	{ "tfjs_ml5_darknet_reference.json", 7323480, TFIT_MODEL_FORMAT_TFJS, 0 },
	{ "tfjs_ml5_darknet_tiny.json", 1046488, TFIT_MODEL_FORMAT_TFJS, 0 },
	/* channels_first: read in channels_last order, with a warning */
	{ "tfjs_ml5_dcgan_face.json", 3847363, TFIT_MODEL_FORMAT_TFJS, 1 },
	{ "tfjs_ml5_doodlenet_cnn.json", 544201, TFIT_MODEL_FORMAT_TFJS, 0 },
	{ "tfjs_ml5_tiny_yolo_v2.json", 11237145, TFIT_MODEL_FORMAT_TFJS, 0 },
	{ "tfjs_nsfwjs_inception_v3_quant.json", 22360869, TFIT_MODEL_FORMAT_TFJS, 0 },
	{ "tfjs_nsfwjs_mobilenet_v2_quant.json", 2619461, TFIT_MODEL_FORMAT_TFJS, 0 },
};

static enum tfit_status load(const char *name, const struct tfit_load_opts *o, struct tfit_model **m,
			     struct tfit_error *err)
{
	char path[512];
	tfit_error_clear(err);
	snprintf(path, sizeof(path), "%s/models/keras/%s", TFIT_SHARED_DIR, name);
	return tfit_model_load(path, o, m, err);
}

static void test_all_counts(void)
{
	size_t i;
	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		struct tfit_model *m = NULL;
		struct tfit_error err;
		if (load(models[i].file, NULL, &m, &err) != TFIT_OK) {
			fprintf(stderr, "%s: %s: %s\n", models[i].file, err.path, err.message);
			CHECK(m != NULL);
			continue;
		}
		if (m->params != models[i].params)
			fprintf(stderr, "in %s\n", models[i].file);
		CHECK_U64(m->params, models[i].params);
		CHECK_U64(m->format, models[i].format);
		if (m->n_warnings != models[i].n_warnings)
			fprintf(stderr, "%s: %u warnings, first: %s\n", models[i].file, m->n_warnings,
				m->n_warnings ? m->warnings[0] : "");
		CHECK_U64(m->n_warnings, models[i].n_warnings);
		CHECK(m->subgraphs[0].n_ops > 0);
		tfit_model_free(m);
	}
}

/* Deployed numbers of a few: batch norm cannot fold into a conv whose relu
 * comes first (crepe: Conv2D(activation=relu) then BN) and stays as MUL and
 * ADD, 2 of its 4 per-channel params deployed; nor on the model input
 * (jettagger's first BN). */
static void test_deployed(void)
{
	struct tfit_model *m = NULL;
	struct tfit_error err;
	if (load("keras2_hls4ml_jettagger_conv2d_bn.json", NULL, &m, &err) != TFIT_OK) {
		CHECK(0);
		return;
	}
	/* BN on the 1-channel input stays as MUL+ADD (2 params deployed, 4
	 * counted); the second BN folds into conv 1: 891 - 2 - 4x(channels) */
	CHECK(m->deployed_params < m->params);
	tfit_model_free(m);

	m = NULL;
	if (load("tfjs_ml5_crepe_pitch.json", NULL, &m, &err) != TFIT_OK) {
		CHECK(0);
		return;
	}
	/* 6 standalone batch norms: 2x(128+16+16+16+32+64) = 544 */
	CHECK_U64(m->params - m->deployed_params, 544);
	tfit_model_free(m);
}

/* A custom layer: a clear error naming its class and layer; with
 * --skip-unknown a zero-cost layer per BinaryDense and a warning each. */
static void test_custom_layer(void)
{
	struct tfit_model *m = NULL;
	struct tfit_error err;
	struct tfit_load_opts o;
	CHECK(load("keras2_hls4ml_bnn_customlayer.json", NULL, &m, &err) == TFIT_ERR_INPUT);
	CHECK(m == NULL);
	CHECK_CONTAINS(err.message, "'BinaryDense'");
	CHECK_CONTAINS(err.message, "'binary_dense_2'");
	CHECK_CONTAINS(err.message, "--skip-unknown");
	CHECK_STR(err.path, "config.layers[0].class_name");

	tfit_load_opts_init(&o);
	o.skip_unknown = 1;
	if (load("keras2_hls4ml_bnn_customlayer.json", &o, &m, &err) != TFIT_OK) {
		fprintf(stderr, "%s\n", err.message);
		CHECK(0);
		return;
	}
	/* The four BinaryDense layers cost nothing and keep their input's
	 * shape [16], so the four batch norms see 16 channels: 4 x 4 x 16.
	 * (MANIFEST's 4,788 assumes BinaryDense holds a kernel, which only
	 * the custom class knows.) 4 layers + 3 custom activations warn. */
	CHECK_U64(m->params, 256);
	CHECK_U64(m->n_warnings, 7);
	CHECK_CONTAINS(m->warnings[0], "BinaryDense");
	CHECK_CONTAINS(m->warnings[1], "binary_tanh");
	tfit_model_free(m);
}

/* A registered custom model class holds hyper-parameters only. */
static void test_custom_model(void)
{
	struct tfit_model *m = NULL;
	struct tfit_error err;
	struct tfit_load_opts o;
	tfit_load_opts_init(&o);
	o.skip_unknown = 1; /* nothing to skip: still an error */
	CHECK(load("keras3_kerashub_esm2_t6_8M_backbone_config.json", &o, &m, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "'ESMBackbone'");
	CHECK_CONTAINS(err.message, "keras_hub>ESMBackbone");
	CHECK_STR(err.path, "class_name");
}

/* Two inputs with a null time axis: an error asking for --input-shape;
 * with it, both inputs get the time axis and keep their feature sizes. */
static void test_null_time_axis(void)
{
	struct tfit_model *m = NULL;
	struct tfit_error err;
	struct tfit_load_opts o;
	CHECK(load("tfjs_translation_lstm_seq2seq.json", NULL, &m, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "--input-shape");
	CHECK_CONTAINS(err.message, "'input_1'");
	CHECK_STR(err.path, "modelTopology.model_config.config.layers[0].config.batch_input_shape");

	tfit_load_opts_init(&o);
	o.has_input_shape = 1;
	o.input_rank = 2;
	o.input_shape[0] = 20;
	o.input_shape[1] = 81;
	if (load("tfjs_translation_lstm_seq2seq.json", &o, &m, &err) != TFIT_OK) {
		fprintf(stderr, "%s\n", err.message);
		CHECK(0);
		return;
	}
	/* dense 256x108+108 = 27,756; lstm_1 4x(81x256+256x256+256) = 346,112;
	 * lstm_2 4x(108x256+256x256+256) = 373,760 */
	CHECK_U64(m->params, 747628);
	CHECK_U64(m->n_warnings, 0);
	CHECK_U64(m->subgraphs[0].n_inputs, 2);
	CHECK_U64(tfit_dim(&m->subgraphs[0].tensors[m->subgraphs[0].inputs[0]], 1), 20);
	CHECK_U64(tfit_dim(&m->subgraphs[0].tensors[m->subgraphs[0].inputs[1]], 2), 108);
	/* per step 4x(in+units)xunits: 20x4x337x256 + 20x4x364x256 + dense */
	CHECK_U64(m->macs, 20ull * 4 * 337 * 256 + 20ull * 4 * 364 * 256 + 20ull * 256 * 108);
	tfit_model_free(m);

	/* a shape of the wrong rank names the input */
	o.input_rank = 3;
	o.input_shape[2] = 1;
	CHECK(load("tfjs_translation_lstm_seq2seq.json", &o, &m, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "--input-shape gives 3 dimensions");
}

/* --dtype int8 re-evaluates a Keras model as its int8 conversion. */
static void test_int8(void)
{
	struct tfit_model *m = NULL;
	struct tfit_error err;
	struct tfit_load_opts o;
	tfit_load_opts_init(&o);
	o.dtype = TFIT_DTYPE_INT8;
	if (load("tfjs_ml5_doodlenet_cnn.json", &o, &m, &err) != TFIT_OK) {
		CHECK(0);
		return;
	}
	CHECK_U64(m->params, 544201);
	CHECK_U64(m->dtype, TFIT_DTYPE_INT8);
	CHECK(m->weights_bytes < 544201ull * 2);
	tfit_model_free(m);
}

int main(void)
{
	if (!tfit_test_have_shared())
		return 77;
	test_all_counts();
	test_deployed();
	test_custom_layer();
	test_custom_model();
	test_null_time_axis();
	test_int8();
	return tfit_test_finish();
}

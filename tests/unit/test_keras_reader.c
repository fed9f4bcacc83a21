/*
 * The Keras/TF.js reader on fixtures (tests/data/keras/) and inline files:
 * every layer class it maps, shared layers and nested models counted as
 * Keras counts them, Keras 3 nodes, the weights manifest, input shapes, and
 * one clear error per way a file can be wrong, including hostile nesting.
 * Expected params are worked out by hand in the comments.
 */
#include <stdlib.h>

#include "tfit_test.h"
#include "tinyfit/model_io.h"

static struct tfit_model *load_file(const char *name, const struct tfit_load_opts *o)
{
	char path[512];
	struct tfit_model *m = NULL;
	struct tfit_error err;
	tfit_error_clear(&err);
	snprintf(path, sizeof(path), "%s/tests/data/keras/%s", TFIT_SOURCE_DIR, name);
	if (tfit_model_load(path, o, &m, &err) != TFIT_OK)
		fprintf(stderr, "%s: %s: %s\n", name, err.path, err.message);
	return m;
}

static enum tfit_status load_text(const char *text, const struct tfit_load_opts *o,
				  struct tfit_model **m, struct tfit_error *err)
{
	tfit_error_clear(err);
	*m = NULL;
	return tfit_model_load_buffer(text, strlen(text), "t.json", o, m, err);
}

/* A Dense called on two inputs: one set of weights. */
static void test_shared_dense(void)
{
	struct tfit_model *m = load_file("shared_dense.json", NULL);
	CHECK(m != NULL);
	if (!m)
		return;
	/* shared 8x4+4 = 36 once, out 8x2+2 = 18, aux 4+1 = 5 */
	CHECK_U64(m->params, 59);
	/* deployed: both FULLY_CONNECTED ops read the 36 */
	CHECK_U64(m->deployed_params, 95);
	/* the weight tensors exist once: (36 + 18 + 5) x 4 bytes */
	CHECK_U64(m->weights_bytes, 59 * 4);
	CHECK_U64(m->subgraphs[0].n_inputs, 2);
	CHECK_U64(m->subgraphs[0].n_outputs, 2);
	CHECK_STR(m->subgraphs[0].ops[1].name, "shared@1");
	CHECK_U64(m->format, TFIT_MODEL_FORMAT_KERAS);
	tfit_model_free(m);
}

/* A nested Functional model called twice: inlined twice, counted once. */
static void test_nested_shared_model(void)
{
	struct tfit_model *m = load_file("nested_shared_model.json", NULL);
	CHECK(m != NULL);
	if (!m)
		return;
	/* encoder: dense 16x8+8 = 136, batch norm 4x8 = 32 (after relu: it
	 * stays as MUL+ADD, 16 deployed); head 8+1 = 9: 177 */
	CHECK_U64(m->params, 177);
	CHECK_U64(m->deployed_params, 2 * (136 + 16) + 9);
	CHECK_U64(m->weights_bytes, (136 + 16 + 9) * 4);
	CHECK_U64(m->subgraphs[0].n_ops, 9);
	CHECK_STR(m->subgraphs[0].ops[0].name, "encoder/enc_dense");
	CHECK_STR(m->subgraphs[0].ops[3].name, "encoder@1/enc_dense");
	tfit_model_free(m);
}

static void test_recurrent(void)
{
	struct tfit_model *m = load_file("recurrent.json", NULL);
	const struct tfit_subgraph *sg;
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	/* embedding 1000x16 = 16,000; Bidirectional(LSTM 8) 2x4x(16x8+8x8+8)
	 * = 1,600; TimeDistributed(Dense 5) 16x5+5 = 85; GRU 6 reset_after
	 * 3x(5x6+6x6)+2x3x6 = 234; GRU 4 original 3x(6x4+4x4+4) = 132;
	 * Bidirectional(GRU 4, sum) 2x(3x(5x4+4x4)+2x3x4) = 264 */
	CHECK_U64(m->params, 16000 + 1600 + 85 + 234 + 132 + 264);
	CHECK_U64(m->deployed_params, m->params);
	CHECK_U64(sg->tensors[sg->inputs[0]].dtype, TFIT_DTYPE_INT32);
	CHECK_U64(sg->ops[1].type, TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM);
	CHECK_U64(sg->ops[2].type, TFIT_OP_REVERSE_V2);
	CHECK_U64(sg->ops[5].type, TFIT_OP_CONCATENATION);
	/* forward LSTM: 20 steps x 4 x (16+8) x 8 */
	CHECK_U64(tfit_op_macs(&sg->ops[1]), 15360);
	CHECK_U64(sg->ops[6].type, TFIT_OP_FULLY_CONNECTED);
	CHECK_U64(tfit_dim(&sg->tensors[tfit_op_outputs(&sg->ops[6])[0]], 1), 20);
	CHECK_U64(sg->ops[7].opt->reset_after, 1);
	CHECK_U64(sg->ops[8].opt->reset_after, 0);
	CHECK_U64(sg->ops[12].type, TFIT_OP_ADD);
	tfit_model_free(m);
}

static void test_conv_zoo(void)
{
	struct tfit_model *m = load_file("conv_zoo.json", NULL);
	const struct tfit_subgraph *sg;
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	/* rescaling 0; separable 3x3x3x2 = 54 + 6x8+8 = 56; depthwise
	 * 3x3x8x2 = 144 (no bias); batch norm without scale 3x16 = 48
	 * (folds: a 16-bias appears); prelu shared on H, W: 16; conv 1x1
	 * 16x4+4 = 68; average's 1/n and rescaling's scale are deployed only */
	CHECK_U64(m->params, 110 + 144 + 48 + 16 + 68);
	CHECK_U64(m->deployed_params, 1 + 110 + 160 + 16 + 68 + 1);
	CHECK_U64(sg->n_ops, 19);
	CHECK_U64(sg->ops[2].type, TFIT_OP_DEPTHWISE_CONV_2D);
	CHECK_U64(sg->ops[2].opt->depth_multiplier, 2);
	CHECK_U64(sg->ops[3].opt->activation, TFIT_ACT_RELU);
	CHECK_U64(sg->ops[5].type, TFIT_OP_PRELU);
	/* crop [[1,1],[2,2]] of 16x16 -> 14x12; upsampling x2 -> 28x24 */
	CHECK_U64(tfit_dim(&sg->tensors[tfit_op_outputs(&sg->ops[6])[0]], 1), 14);
	CHECK_U64(tfit_dim(&sg->tensors[tfit_op_outputs(&sg->ops[7])[0]], 2), 24);
	CHECK_U64(sg->ops[8].opt->activation, TFIT_ACT_RELU6);
	CHECK_U64(sg->ops[9].type, TFIT_OP_LEAKY_RELU);
	CHECK_NEAR(sg->ops[9].opt->alpha, 0.1, 1e-6);
	CHECK_U64(sg->ops[10].type, TFIT_OP_ELU);
	/* keepdims: MEAN then a reshape to [1, 1, 1, 4] */
	CHECK_U64(sg->tensors[tfit_op_outputs(&sg->ops[12])[0]].rank, 4);
	CHECK_U64(sg->ops[18].type, TFIT_OP_SOFTMAX);
	tfit_model_free(m);
}

static void test_conv1d(void)
{
	struct tfit_model *m = load_file("conv1d.json", NULL);
	const struct tfit_subgraph *sg;
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	/* normalization 2x2+1 = 5 (mean, variance, count); conv1d 3x2x4+4 */
	CHECK_U64(m->params, 5 + 28);
	/* causal: PAD left by (3-1)x2 = 4, then a valid conv keeps 64 steps */
	CHECK_U64(sg->ops[2].type, TFIT_OP_PAD);
	CHECK_U64(tfit_dim(&sg->tensors[tfit_op_outputs(&sg->ops[5])[0]], 1), 64);
	CHECK_U64(sg->ops[4].opt->dilation_w, 2);
	CHECK_U64(sg->ops[9].type, TFIT_OP_TRANSPOSE);
	CHECK_U64(tfit_dim(&sg->tensors[tfit_op_outputs(&sg->ops[10])[0]], 1), 32);
	tfit_model_free(m);
}

/* Keras 3 Functional: __keras_tensor__ nodes, a merge taking a list, flat
 * input_layers, DTypePolicy objects, LeakyReLU's negative_slope. */
static const char keras3_text[] =
	"{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\", \"config\": {"
	"\"name\": \"k3\", \"trainable\": true, \"layers\": ["
	"{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 6],"
	" \"dtype\": \"float32\", \"sparse\": false, \"name\": \"x\"}, \"registered_name\": null, \"name\": \"x\","
	" \"inbound_nodes\": []},"
	"{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"d1\", \"trainable\": true,"
	" \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"},"
	" \"registered_name\": null}, \"units\": 3, \"activation\": \"relu\", \"use_bias\": true},"
	" \"registered_name\": null, \"build_config\": {\"input_shape\": [null, 6]}, \"name\": \"d1\","
	" \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 6],"
	" \"dtype\": \"float32\", \"keras_history\": [\"x\", 0, 0]}}], \"kwargs\": {}}]},"
	"{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"d2\", \"units\": 3,"
	" \"activation\": \"linear\", \"use_bias\": false}, \"registered_name\": null, \"name\": \"d2\","
	" \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 6],"
	" \"dtype\": \"float32\", \"keras_history\": [\"x\", 0, 0]}}], \"kwargs\": {}}]},"
	"{\"module\": \"keras.layers\", \"class_name\": \"Add\", \"config\": {\"name\": \"add\"},"
	" \"registered_name\": null, \"name\": \"add\", \"inbound_nodes\": [{\"args\": [["
	"{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 3], \"dtype\": \"float32\","
	" \"keras_history\": [\"d1\", 0, 0]}},"
	"{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 3], \"dtype\": \"float32\","
	" \"keras_history\": [\"d2\", 0, 0]}}]], \"kwargs\": {}}]},"
	"{\"module\": \"keras.layers\", \"class_name\": \"LeakyReLU\", \"config\": {\"name\": \"lr\","
	" \"negative_slope\": 0.2}, \"registered_name\": null, \"name\": \"lr\", \"inbound_nodes\": [{\"args\": ["
	"{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 3], \"dtype\": \"float32\","
	" \"keras_history\": [\"add\", 0, 0]}}], \"kwargs\": {}}]}],"
	"\"input_layers\": [\"x\", 0, 0], \"output_layers\": [\"lr\", 0, 0]},"
	"\"registered_name\": \"Functional\", \"build_config\": {\"input_shape\": null}}";

static void test_keras3(void)
{
	struct tfit_model *m;
	struct tfit_error err;
	if (load_text(keras3_text, NULL, &m, &err) != TFIT_OK) {
		fprintf(stderr, "%s: %s\n", err.path, err.message);
		CHECK(0);
		return;
	}
	/* d1 6x3+3 = 21, d2 6x3 = 18 */
	CHECK_U64(m->params, 39);
	CHECK_U64(m->subgraphs[0].n_ops, 4);
	CHECK_U64(m->subgraphs[0].ops[2].type, TFIT_OP_ADD);
	CHECK_NEAR(m->subgraphs[0].ops[3].opt->alpha, 0.2, 1e-6);
	tfit_model_free(m);
}

/* TF.js: a custom layer skipped with --skip-unknown keeps the manifest's
 * count of its weights; a manifest that disagrees is a warning. */
static const char tfjs_text[] =
	"{\"modelTopology\": {\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
	"{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 4, \"use_bias\": true,"
	" \"activation\": \"relu\", \"batch_input_shape\": [null, 3]}},"
	"{\"class_name\": \"MyScale\", \"config\": {\"name\": \"my_scale\"}},"
	"{\"class_name\": \"Dense\", \"config\": {\"name\": \"o\", \"units\": 2}}]}},"
	"\"weightsManifest\": [{\"paths\": [\"w.bin\"], \"weights\": ["
	"{\"name\": \"d/kernel\", \"shape\": [3, 4], \"dtype\": \"float32\"},"
	"{\"name\": \"d/bias\", \"shape\": [4], \"dtype\": \"float32\"},"
	"{\"name\": \"my_scale/gamma\", \"shape\": [4], \"dtype\": \"float32\"},"
	"{\"name\": \"o/kernel\", \"shape\": [4, 2], \"dtype\": \"float32\"},"
	"{\"name\": \"o/bias\", \"shape\": [%d], \"dtype\": \"float32\"}]}]}";

static void test_tfjs_manifest(void)
{
	struct tfit_model *m;
	struct tfit_error err;
	struct tfit_load_opts o;
	char text[sizeof(tfjs_text) + 16];
	snprintf(text, sizeof(text), tfjs_text, 2);
	CHECK(load_text(text, NULL, &m, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "'MyScale'");
	CHECK_CONTAINS(err.message, "'my_scale'");
	CHECK_STR(err.path, "modelTopology.config.layers[1].class_name");

	tfit_load_opts_init(&o);
	o.skip_unknown = 1;
	if (load_text(text, &o, &m, &err) != TFIT_OK) {
		fprintf(stderr, "%s\n", err.message);
		CHECK(0);
		return;
	}
	/* 16 + 4 (the custom layer's, from the manifest) + 10 */
	CHECK_U64(m->params, 30);
	CHECK_U64(m->deployed_params, 26);
	CHECK_U64(m->format, TFIT_MODEL_FORMAT_TFJS);
	CHECK_U64(m->n_warnings, 1);
	CHECK_CONTAINS(m->warnings[0], "MyScale");
	tfit_model_free(m);

	snprintf(text, sizeof(text), tfjs_text, 3);
	if (load_text(text, &o, &m, &err) != TFIT_OK) {
		CHECK(0);
		return;
	}
	CHECK_U64(m->n_warnings, 2);
	CHECK_CONTAINS(m->warnings[1], "weights hold 31 parameters, but tinyfit counts 30");
	tfit_model_free(m);
}

/* Input shapes: null sizes, missing shapes, --input-shape. */
static void test_input_shapes(void)
{
	static const char seq_null[] =
		"{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
		"{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, null, 10, 1], \"name\": \"in\"}},"
		"{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 2, \"kernel_size\": 3}},"
		"{\"class_name\": \"GlobalMaxPooling2D\", \"config\": {\"name\": \"g\"}}]}}";
	static const char seq_none[] =
		"{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}]}";
	struct tfit_model *m;
	struct tfit_error err;
	struct tfit_load_opts o;

	CHECK(load_text(seq_null, NULL, &m, &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.path, "config.layers[0].config.batch_input_shape");
	CHECK_CONTAINS(err.message, "dimension 1");
	CHECK_CONTAINS(err.message, "--input-shape 32x10x1");

	tfit_load_opts_init(&o);
	o.has_input_shape = 1;
	o.input_rank = 3;
	o.input_shape[0] = 49;
	o.input_shape[1] = 10;
	o.input_shape[2] = 1;
	if (load_text(seq_null, &o, &m, &err) != TFIT_OK) {
		CHECK(0);
		return;
	}
	CHECK_U64(m->params, 3 * 3 * 2 + 2);
	CHECK_U64(tfit_dim(&m->subgraphs[0].tensors[m->subgraphs[0].inputs[0]], 1), 49);
	tfit_model_free(m);

	CHECK(load_text(seq_none, NULL, &m, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "--input-shape");
	o.input_rank = 1;
	o.input_shape[0] = 5;
	if (load_text(seq_none, &o, &m, &err) != TFIT_OK) {
		CHECK(0);
		return;
	}
	CHECK_U64(m->params, 12);
	CHECK_STR(m->name, "model");
	tfit_model_free(m);
}

struct bad_case {
	const char *text;
	enum tfit_status code;
	const char *path;
	const char *message;
};

#define K2(layers) "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": [" \
	"{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 4], \"name\": \"x\"}," \
	" \"name\": \"x\", \"inbound_nodes\": []}, " layers "], \"input_layers\": [[\"x\", 0, 0]]," \
	" \"output_layers\": [[\"d\", 0, 0]]}}"

static const struct bad_case bad[] = {
	{ K2("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}, \"name\": \"d\","
	     " \"inbound_nodes\": [[[\"y\", 0, 0, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].inbound_nodes[0]", "unknown layer 'y'" },
	{ K2("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}, \"name\": \"d\","
	     " \"inbound_nodes\": [[[\"x\", 3, 0, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].inbound_nodes[0]", "not node 3" },
	{ K2("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 0}, \"name\": \"d\","
	     " \"inbound_nodes\": [[[\"x\", 0, 0, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].config.units", NULL },
	{ K2("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\"}, \"name\": \"d\","
	     " \"inbound_nodes\": [[[\"x\", 0, 0, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].config.units", "missing required field" },
	{ K2("{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"d\", \"filters\": 2, \"kernel_size\": [3, 3, 3]},"
	     " \"name\": \"d\", \"inbound_nodes\": [[[\"x\", 0, 0, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].config.kernel_size", "a list of 2 integers" },
	{ K2("{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"d\", \"filters\": 2, \"kernel_size\": 3},"
	     " \"name\": \"d\", \"inbound_nodes\": [[[\"x\", 0, 0, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].inputs", "conv2d expects a 3-D input" },
	{ K2("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2, \"activation\": \"softplus\"},"
	     " \"name\": \"d\", \"inbound_nodes\": [[[\"x\", 0, 0, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].config.activation", "activation 'softplus'" },
	{ K2("{\"class_name\": \"Lambda\", \"config\": {\"name\": \"d\"}, \"name\": \"d\","
	     " \"inbound_nodes\": [[[\"x\", 0, 0, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].class_name", "class 'Lambda'" },
	{ K2("{\"class_name\": \"Dense\", \"config\": {\"name\": \"x\", \"units\": 2}, \"name\": \"x\","
	     " \"inbound_nodes\": [[[\"x\", 0, 0, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].config.name", "duplicate layer name 'x'" },
	{ K2("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}, \"name\": \"d\","
	     " \"inbound_nodes\": [[[\"x\", 0, 2, {}]]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].inbound_nodes[0]", "not node 0 tensor 2" },
	{ K2("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}, \"name\": \"d\","
	     " \"inbound_nodes\": [[\"x\"]]}"),
	  TFIT_ERR_INPUT, "config.layers[1].inbound_nodes[0][0]", "expected a tensor reference" },
	{ "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": []}}",
	  TFIT_ERR_INPUT, "config.layers", "has no layers" },
	{ "{\"class_name\": \"Sequential\", \"config\": 3}", TFIT_ERR_INPUT, "config", "expected the model's config" },
	{ "{\"modelTopology\": {\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\","
	  " \"config\": {\"name\": \"d\", \"units\": 2, \"batch_input_shape\": [null, 2]}}]},"
	  " \"weightsManifest\": [{\"weights\": [{\"name\": \"d/kernel\", \"shape\": [2, -2]}]}]}",
	  TFIT_ERR_INPUT, "weightsManifest[0].weights[0].shape[1]", NULL },
	{ "{\"class_name\": \"MyModel\", \"config\": {\"units\": 3}, \"registered_name\": \"my>MyModel\"}",
	  TFIT_ERR_INPUT, "class_name", "'MyModel' (registered as 'my>MyModel')" },
	{ "{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\","
	  " \"units\": 2, \"batch_input_shape\": [null, 0]}}]}",
	  TFIT_ERR_INPUT, "config[0].config.batch_input_shape[1]", NULL },
	{ "{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\","
	  " \"filters\": 2, \"kernel_size\": 3, \"groups\": 2, \"batch_input_shape\": [null, 8, 8, 4]}}]}",
	  TFIT_ERR_INPUT, "config[0].config.groups", "groups=2" },
};

static void test_bad(void)
{
	size_t i;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tfit_model *m;
		struct tfit_error err;
		enum tfit_status rc = load_text(bad[i].text, NULL, &m, &err);
		if (rc != bad[i].code || strcmp(err.path, bad[i].path) != 0)
			fprintf(stderr, "bad[%zu]: got %d at '%s': %s\n", i, rc, err.path, err.message);
		CHECK_U64(rc, bad[i].code);
		CHECK(m == NULL);
		CHECK_STR(err.path, bad[i].path);
		if (bad[i].message)
			CHECK_CONTAINS(err.message, bad[i].message);
		tfit_model_free(m);
	}
}

/* Sequential models nested n deep (bare-list configs keep the JSON shallow). */
static char *nested_seq(int n)
{
	size_t cap = (size_t)n * 64 + 256, len = 0;
	char *s = malloc(cap);
	int i;
	if (!s)
		return NULL;
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "{\"class_name\": \"Sequential\", \"config\": [%s",
					i ? "" : "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 2], \"name\": \"in\"}},");
	len += (size_t)snprintf(s + len, cap - len, "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 1}}");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "]}");
	return s;
}

/* Functional models each calling the one inside 10 times, 7 deep: 10^6
 * copies of one Dense. */
static char *exploding(void)
{
	size_t cap = 1 << 16, len = 0;
	char *s = malloc(cap);
	int i, j;
	if (!s)
		return NULL;
	for (i = 0; i < 7; i++) {
		len += (size_t)snprintf(s + len, cap - len,
					"{\"class_name\": \"Functional\", \"name\": \"m%d\", \"inbound_nodes\": [", i);
		for (j = 0; i && j < 10; j++)
			len += (size_t)snprintf(s + len, cap - len, "%s[[\"x%d\", 0, 0, {}]]", j ? "," : "", i - 1);
		len += (size_t)snprintf(s + len, cap - len, "], \"config\": {\"name\": \"m%d\", \"input_layers\": [[\"x%d\", 0, 0]],"
					" \"output_layers\": [[\"%s%d\", 0, 0]], \"layers\": [{\"class_name\": \"InputLayer\","
					" \"config\": {\"batch_input_shape\": [null, 4], \"name\": \"x%d\"}, \"name\": \"x%d\","
					" \"inbound_nodes\": []}, ", i, i, i < 6 ? "m" : "d", i < 6 ? i + 1 : 0, i, i);
	}
	len += (size_t)snprintf(s + len, cap - len, "{\"class_name\": \"Dense\", \"name\": \"d0\", \"config\": {\"name\": \"d0\","
				" \"units\": 4}, \"inbound_nodes\": [[[\"x6\", 0, 0, {}]]]}");
	for (i = 0; i < 7; i++)
		len += (size_t)snprintf(s + len, cap - len, "]}}");
	return s;
}

static void test_hostile(void)
{
	struct tfit_model *m;
	struct tfit_error err;
	char *text = nested_seq(10);
	if (text && load_text(text, NULL, &m, &err) == TFIT_OK) {
		CHECK_U64(m->params, 3);
		tfit_model_free(m);
	} else {
		fprintf(stderr, "nested 10: %s: %s\n", err.path, err.message);
		CHECK(0);
	}
	free(text);
	text = nested_seq(20);
	CHECK(text && load_text(text, NULL, &m, &err) == TFIT_ERR_LIMIT);
	CHECK_CONTAINS(err.message, "nested more than 16 deep");
	free(text);

	/* the top model's output: m0 calls m1 ... each 10 times */
	text = exploding();
	if (text) {
		CHECK(load_text(text, NULL, &m, &err) == TFIT_ERR_LIMIT);
		/* the expansion budget: one layer per 4 JSON values, at least 4,096 */
		CHECK_CONTAINS(err.message, "more than 4096 layers");
	}
	free(text);
}

int main(void)
{
	test_shared_dense();
	test_nested_shared_model();
	test_recurrent();
	test_conv_zoo();
	test_conv1d();
	test_keras3();
	test_tfjs_manifest();
	test_input_shapes();
	test_bad();
	test_hostile();
	return tfit_test_finish();
}

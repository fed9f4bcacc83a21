/*
 * The six examples exist twice: tinyfit's JSON (examples/NAME.json) and
 * Keras/TF.js JSON (examples/keras/NAME.json: tf.keras 2.12 Functional and
 * Sequential, Keras 2.2.4 "Model", Keras 3 Functional, a TF.js
 * model.json). Both must give the same params, deployed params, MACs,
 * weight bytes, op and tensor counts. Keras JSON has no int8 dtype, so the
 * Keras file is read with --dtype set to the native file's dtype (what the
 * converter deploys); both are also compared at float32. Both plan the
 * same TFLM arena (reference kernels).
 */
#include "tfit_test.h"
#include "tinyfit/model_io.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"

static struct tfit_runtime *tflm;

struct example {
	const char *name;
	enum tfit_model_format format;
};

static const struct example examples[] = {
	{ "kws_dscnn", TFIT_MODEL_FORMAT_KERAS },      /* tf.keras 2.12 Functional */
	{ "ic_resnet8", TFIT_MODEL_FORMAT_KERAS },     /* Keras 3 Functional */
	{ "vww_mobilenet", TFIT_MODEL_FORMAT_KERAS },  /* Keras 2.2.4 Model */
	{ "ad_autoencoder", TFIT_MODEL_FORMAT_KERAS }, /* tf.keras 2.12 Functional */
	{ "activity_mlp", TFIT_MODEL_FORMAT_TFJS },    /* TF.js layers model */
	{ "hvac_lstm", TFIT_MODEL_FORMAT_KERAS },      /* tf.keras 2.12 Sequential */
};

static struct tfit_model *load(const char *dir, const char *name, enum tfit_dtype dtype)
{
	char path[512];
	struct tfit_model *m = NULL;
	struct tfit_error err;
	struct tfit_load_opts o;
	tfit_load_opts_init(&o);
	o.dtype = dtype;
	tfit_error_clear(&err);
	snprintf(path, sizeof(path), "%s/examples/%s%s.json", TFIT_SOURCE_DIR, dir, name);
	if (tfit_model_load(path, &o, &m, &err) != TFIT_OK)
		fprintf(stderr, "%s: %s: %s\n", path, err.path, err.message);
	return m;
}

static void compare(const char *name, enum tfit_model_format format, enum tfit_dtype dtype)
{
	struct tfit_model *n = load("", name, dtype);
	struct tfit_model *k;
	uint32_t i;
	CHECK(n != NULL);
	if (!n)
		return;
	k = load("keras/", name, dtype == TFIT_DTYPE_UNKNOWN ? n->dtype : dtype);
	CHECK(k != NULL);
	if (k) {
		fprintf(stderr, "%s (%s): params %llu, deployed %llu, MACs %llu\n", name,
			tfit_dtype_name(k->dtype), (unsigned long long)k->params,
			(unsigned long long)k->deployed_params, (unsigned long long)k->macs);
		CHECK_U64(k->format, format);
		CHECK_U64(k->dtype, n->dtype);
		CHECK_U64(k->params, n->params);
		CHECK_U64(k->deployed_params, n->deployed_params);
		CHECK_U64(k->macs, n->macs);
		CHECK_U64(k->elem_ops, n->elem_ops);
		CHECK_U64(k->weights_bytes, n->weights_bytes);
		CHECK_U64(k->subgraphs[0].n_ops, n->subgraphs[0].n_ops);
		CHECK_U64(k->subgraphs[0].n_tensors, n->subgraphs[0].n_tensors);
		CHECK_U64(k->n_warnings, 0);
		for (i = 0; i < k->subgraphs[0].n_ops && i < n->subgraphs[0].n_ops; i++) {
			CHECK_U64(k->subgraphs[0].ops[i].type, n->subgraphs[0].ops[i].type);
			CHECK_U64(tfit_op_output_bytes(&k->subgraphs[0], &k->subgraphs[0].ops[i]),
				  tfit_op_output_bytes(&n->subgraphs[0], &n->subgraphs[0].ops[i]));
		}
		if (tflm) {
			struct tfit_arena_plan pn, pk;
			struct tfit_error err;
			memset(&pn, 0, sizeof(pn));
			memset(&pk, 0, sizeof(pk));
			CHECK(tfit_plan_arena(n, tflm, NULL, &pn, &err) == TFIT_OK);
			CHECK(tfit_plan_arena(k, tflm, NULL, &pk, &err) == TFIT_OK);
			CHECK(pn.arena_bytes > 0);
			CHECK_U64(pk.arena_bytes, pn.arena_bytes);
			CHECK_U64(pk.head_bytes, pn.head_bytes);
			CHECK_U64(pk.tail_bytes, pn.tail_bytes);
			tfit_arena_plan_release(&pn);
			tfit_arena_plan_release(&pk);
		}
	}
	tfit_model_free(n);
	tfit_model_free(k);
}

int main(void)
{
	size_t i;
	struct tfit_error err;
	CHECK(tfit_runtime_load(TFIT_SOURCE_DIR "/data", "tflm", &tflm, &err) == TFIT_OK);
	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		compare(examples[i].name, examples[i].format, TFIT_DTYPE_UNKNOWN);
		compare(examples[i].name, examples[i].format, TFIT_DTYPE_FLOAT32);
	}
	tfit_runtime_free(tflm);
	return tfit_test_finish();
}

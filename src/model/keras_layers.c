/*
 * keras_layers.c - the Keras class table: one row per Keras (and TF.js)
 * layer class tinyfit models, with the reader that turns one application of
 * it into layers of the list. Field names and defaults follow Keras'
 * get_config() (keras/src/layers/, tf.keras 2.x keras/layers/); TF.js
 * writes the same names in its Keras-compatible JSON (tfjs-layers
 * src/layers/, snake_case keys). See docs/keras.md for the mapping.
 */
#include "keras_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIM_MAX ((int64_t)1 << 40)

/* ---- one reader per kind of class ---- */

typedef enum tfit_status (*class_reader)(struct keras_rd *r, const struct keras_app *a,
					 enum tfit_layer_type type);

static enum tfit_status rd_plain(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	return tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs) ? TFIT_OK : r->err->code;
}

static enum tfit_status rd_dense(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	int64_t units = 0;
	int use_bias = 1;
	enum tfit_layer_act act = TFIT_LACT_LINEAR;
	struct tfit_layer *L;
	if (tfit_keras_get_int(r, a->config, "units", 1, 1, DIM_MAX, &units) != TFIT_OK ||
	    tfit_keras_get_bool(r, a->config, "use_bias", &use_bias) != TFIT_OK ||
	    tfit_keras_get_activation(r, a, "activation", &act) != TFIT_OK)
		return r->err->code;
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	L->units = units;
	L->use_bias = use_bias;
	L->activation = act;
	return TFIT_OK;
}

static enum tfit_status rd_conv(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	const cJSON *cfg = a->config;
	int n = type == TFIT_LAYER_CONV1D ? 1 : 2, present = 0, use_bias = 1, causal = 0;
	int64_t k[2] = { 1, 1 }, s[2] = { 1, 1 }, d[2] = { 1, 1 }, filters = 0, mult = 1, groups = 1;
	enum tfit_padding pad = TFIT_PAD_VALID;
	enum tfit_layer_act act = TFIT_LACT_LINEAR;
	struct tfit_layer *L;
	char *const *in = a->inputs;
	char *pin[1];

	if (type != TFIT_LAYER_DEPTHWISE_CONV2D &&
	    tfit_keras_get_int(r, cfg, "filters", 1, 1, DIM_MAX, &filters) != TFIT_OK)
		return r->err->code;
	if (tfit_keras_get_tuple(r, cfg, "kernel_size", n, 1, k, &present) != TFIT_OK)
		return r->err->code;
	if (!present)
		return tfit_keras_fail(r, "config.kernel_size", "missing required field (expected %s)",
				  n == 1 ? "an integer or [k]" : "an integer or [kh, kw]");
	if (tfit_keras_get_tuple(r, cfg, "strides", n, 1, s, NULL) != TFIT_OK ||
	    tfit_keras_get_tuple(r, cfg, "dilation_rate", n, 1, d, NULL) != TFIT_OK ||
	    tfit_keras_get_padding(r, cfg, type == TFIT_LAYER_CONV1D, &pad, &causal) != TFIT_OK ||
	    tfit_keras_get_bool(r, cfg, "use_bias", &use_bias) != TFIT_OK ||
	    tfit_keras_get_int(r, cfg, "depth_multiplier", 0, 1, DIM_MAX, &mult) != TFIT_OK ||
	    tfit_keras_get_int(r, cfg, "groups", 0, 1, DIM_MAX, &groups) != TFIT_OK ||
	    tfit_keras_get_activation(r, a, "activation", &act) != TFIT_OK ||
	    tfit_keras_check_channels_last(r, cfg) != TFIT_OK)
		return r->err->code;
	if (groups != 1)
		return tfit_keras_unsupported(r, "config.groups", "grouped convolution (groups=%lld) is not supported "
				  "(TFLite's converter splits it; expected groups=1)", (long long)groups);
	if (type == TFIT_LAYER_CONV2D_TRANSPOSE) {
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(cfg, "output_padding");
		if (op && !cJSON_IsNull(op))
			return tfit_keras_unsupported(r, "config.output_padding",
					  "output_padding is not supported (expected null)");
	}
	if ((s[0] > 1 || s[n - 1] > 1) && (d[0] > 1 || d[n - 1] > 1))
		return tfit_keras_fail(r, "config.dilation_rate",
				  "strides and dilation_rate cannot both be above 1 (TensorFlow rejects it)");
	if (causal) {
		/* Conv1D(padding="causal"): the converter emits PAD (left by
		 * (k-1)*dilation) and a valid convolution. */
		struct tfit_layer *P = tfit_keras_add(r, a, TFIT_LAYER_ZERO_PADDING1D, "causal_pad", a->inputs, a->n_inputs);
		if (!P)
			return r->err->code;
		P->pad[0] = (k[0] - 1) * d[0];
		P->pad[1] = 0;
		pin[0] = P->name;
		in = pin;
	}
	if (!(L = tfit_keras_add(r, a, type, NULL, in, causal ? 1 : a->n_inputs)))
		return r->err->code;
	L->filters = filters;
	L->padding = pad;
	L->use_bias = use_bias;
	L->depth_multiplier = mult;
	L->activation = act;
	if (n == 1) {
		L->kernel[0] = 1; L->kernel[1] = k[0];
		L->strides[0] = 1; L->strides[1] = s[0];
		L->dilation[0] = 1; L->dilation[1] = d[0];
	} else {
		L->kernel[0] = k[0]; L->kernel[1] = k[1];
		L->strides[0] = s[0]; L->strides[1] = s[1];
		L->dilation[0] = d[0]; L->dilation[1] = d[1];
	}
	return TFIT_OK;
}

static enum tfit_status rd_pool(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	int n = (type == TFIT_LAYER_MAX_POOL1D || type == TFIT_LAYER_AVG_POOL1D) ? 1 : 2;
	int64_t p[2] = { 2, 2 }, s[2];
	enum tfit_padding pad = TFIT_PAD_VALID;
	struct tfit_layer *L;
	/* Keras 2.0 wrote 1-D pools' window as pool_length/stride */
	if (tfit_keras_get_tuple(r, a->config, "pool_size", n, 1, p, NULL) != TFIT_OK)
		return r->err->code;
	s[0] = p[0];
	s[1] = p[1];
	if (tfit_keras_get_tuple(r, a->config, "strides", n, 1, s, NULL) != TFIT_OK ||
	    tfit_keras_get_padding(r, a->config, 0, &pad, NULL) != TFIT_OK ||
	    tfit_keras_check_channels_last(r, a->config) != TFIT_OK)
		return r->err->code;
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	L->padding = pad;
	if (n == 1) {
		L->pool[0] = 1; L->pool[1] = p[0];
		L->strides[0] = 1; L->strides[1] = s[0];
	} else {
		L->pool[0] = p[0]; L->pool[1] = p[1];
		L->strides[0] = s[0]; L->strides[1] = s[1];
	}
	return TFIT_OK;
}

static enum tfit_status rd_global_pool(struct keras_rd *r, const struct keras_app *a,
				       enum tfit_layer_type type)
{
	int keepdims = 0;
	struct tfit_layer *L;
	char *pin[1];
	if (tfit_keras_get_bool(r, a->config, "keepdims", &keepdims) != TFIT_OK ||
	    tfit_keras_check_channels_last(r, a->config) != TFIT_OK)
		return r->err->code;
	if (!keepdims)
		return rd_plain(r, a, type);
	/* keepdims: the mean and a reshape back to [1, (1,) C] */
	if (!(L = tfit_keras_add(r, a, type, "pool", a->inputs, a->n_inputs)))
		return r->err->code;
	pin[0] = L->name;
	if (!(L = tfit_keras_add(r, a, TFIT_LAYER_RESHAPE, NULL, pin, 1)))
		return r->err->code;
	if (type == TFIT_LAYER_GLOBAL_AVG_POOL2D || type == TFIT_LAYER_GLOBAL_MAX_POOL2D) {
		L->target_rank = 3;
		L->target[0] = 1; L->target[1] = 1; L->target[2] = -1;
	} else {
		L->target_rank = 2;
		L->target[0] = 1; L->target[1] = -1;
	}
	return TFIT_OK;
}

/* A list of ints: Reshape's target_shape (-1 allowed), Permute's dims. */
static enum tfit_status rd_shape_list(struct keras_rd *r, const struct keras_app *a,
				      enum tfit_layer_type type)
{
	const char *key = type == TFIT_LAYER_RESHAPE ? "target_shape" : "dims";
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(a->config, key), *e;
	char p[TFIT_ERROR_PATH_MAX], pe[TFIT_ERROR_PATH_MAX + 16];
	int64_t v[TFIT_MAX_RANK];
	int32_t n = 0, minus = 0;
	struct tfit_layer *L;
	tfit_keras_cfg_path(r, key, p, sizeof(p));
	if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) < 1 || cJSON_GetArraySize(it) > TFIT_MAX_RANK - 1)
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "expected a list of 1 to %d integers, got %s", TFIT_MAX_RANK - 1,
				      it ? tfit_json_type_name(it) : "nothing");
	cJSON_ArrayForEach(e, it) {
		snprintf(pe, sizeof(pe), "%s[%d]", p, n);
		if (type == TFIT_LAYER_RESHAPE && cJSON_IsNumber(e) && e->valuedouble == -1.0 && !minus++) {
			v[n++] = -1;
			continue;
		}
		if (tfit_json_item_int(e, r->file, pe, 1, DIM_MAX, &v[n], r->err) != TFIT_OK)
			return r->err->code;
		n++;
	}
	if (r->channels_first && type == TFIT_LAYER_PERMUTE)
		return tfit_keras_unsupported(r, "config.dims", "Permute is not supported in a channels_first model "
				   "(tinyfit reads such models in channels_last order)");
	if (r->channels_first && n >= 2) {
		/* [C, H, W] -> [H, W, C] */
		int64_t c0 = v[0];
		memmove(v, v + 1, (size_t)(n - 1) * sizeof(v[0]));
		v[n - 1] = c0;
	}
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	L->target_rank = n;
	memcpy(L->target, v, (size_t)n * sizeof(v[0]));
	return TFIT_OK;
}

static enum tfit_status rd_merge(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	int64_t axis = -1;
	struct tfit_layer *L;
	if (a->n_inputs < (size_t)tfit_layer_types[type].min_inputs ||
	    (tfit_layer_types[type].max_inputs >= 0 && a->n_inputs > (size_t)tfit_layer_types[type].max_inputs))
		return tfit_keras_fail(r, "inbound_nodes", "layer '%s' (%s) is called on %zu tensor%s (expected %s%d)",
				  a->keras_name, a->class_name, a->n_inputs, a->n_inputs == 1 ? "" : "s",
				  tfit_layer_types[type].max_inputs < 0 ? "at least " : "",
				  tfit_layer_types[type].min_inputs);
	if (type == TFIT_LAYER_CONCATENATE &&
	    tfit_keras_get_int(r, a->config, "axis", 0, -TFIT_MAX_RANK, TFIT_MAX_RANK, &axis) != TFIT_OK)
		return r->err->code;
	if (r->channels_first && axis == 1)
		axis = -1; /* the channel axis, last in channels_last order */
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	L->axis = axis;
	return TFIT_OK;
}

static enum tfit_status rd_batch_norm(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	int center = 1, scale = 1;
	struct tfit_layer *L;
	if (tfit_keras_get_bool(r, a->config, "center", &center) != TFIT_OK ||
	    tfit_keras_get_bool(r, a->config, "scale", &scale) != TFIT_OK)
		return r->err->code;
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	L->bn_center = center;
	L->bn_scale = scale;
	return TFIT_OK;
}

static enum tfit_status act_layer(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_act act,
				  double alpha)
{
	struct tfit_layer *L = tfit_keras_add(r, a, TFIT_LAYER_ACTIVATION, NULL, a->inputs, a->n_inputs);
	if (!L)
		return r->err->code;
	L->activation = act;
	L->alpha = alpha;
	return TFIT_OK;
}

static enum tfit_status rd_activation(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	enum tfit_layer_act act = TFIT_LACT_LINEAR;
	(void)type;
	if (!cJSON_GetObjectItemCaseSensitive(a->config, "activation"))
		return tfit_keras_fail(r, "config.activation", "missing required field (expected an activation name)");
	if (tfit_keras_get_activation(r, a, "activation", &act) != TFIT_OK)
		return r->err->code;
	return act_layer(r, a, act, 0.3);
}

/* ReLU(max_value, negative_slope, threshold) */
static enum tfit_status rd_relu(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	double maxv = -1, slope = 0, thr = 0;
	(void)type;
	if (tfit_keras_get_num(r, a->config, "max_value", &maxv) != TFIT_OK ||
	    tfit_keras_get_num(r, a->config, "negative_slope", &slope) != TFIT_OK ||
	    tfit_keras_get_num(r, a->config, "threshold", &thr) != TFIT_OK)
		return r->err->code;
	if (thr == 0 && slope == 0 && maxv == 6.0)
		return act_layer(r, a, TFIT_LACT_RELU6, 0);
	if (thr == 0 && slope == 0 && maxv < 0)
		return act_layer(r, a, TFIT_LACT_RELU, 0);
	if (thr == 0 && slope > 0 && maxv < 0)
		return act_layer(r, a, TFIT_LACT_LEAKY_RELU, slope);
	if (tfit_layer_list_warn(r->out, "%s: layer '%s': ReLU with max_value %g, negative_slope %g, "
				 "threshold %g is modelled as a plain relu", r->path.buf, a->keras_name,
				 maxv, slope, thr) != 0)
		return tfit_keras_nomem(r);
	return act_layer(r, a, TFIT_LACT_RELU, 0);
}

static enum tfit_status rd_leaky_relu(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	double alpha = 0.3; /* Keras 2 default; Keras 3 calls it negative_slope */
	(void)type;
	if (tfit_keras_get_num(r, a->config, "alpha", &alpha) != TFIT_OK ||
	    tfit_keras_get_num(r, a->config, "negative_slope", &alpha) != TFIT_OK)
		return r->err->code;
	return act_layer(r, a, TFIT_LACT_LEAKY_RELU, alpha);
}

static enum tfit_status rd_named_act(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	(void)type;
	if (strcmp(a->class_name, "Softmax") == 0)
		return act_layer(r, a, TFIT_LACT_SOFTMAX, 0);
	return act_layer(r, a, TFIT_LACT_ELU, 0);
}

static enum tfit_status rd_prelu(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	const cJSON *sa = cJSON_GetObjectItemCaseSensitive(a->config, "shared_axes"), *e;
	uint32_t mask = 0;
	struct tfit_layer *L;
	int i = 0;
	char p[TFIT_ERROR_PATH_MAX], pe[TFIT_ERROR_PATH_MAX + 16];
	tfit_keras_cfg_path(r, "shared_axes", p, sizeof(p));
	if (cJSON_IsNumber(sa)) {
		int64_t v;
		if (tfit_json_item_int(sa, r->file, p, 1, TFIT_MAX_RANK - 1, &v, r->err) != TFIT_OK)
			return r->err->code;
		mask |= 1u << v;
	} else if (cJSON_IsArray(sa)) {
		cJSON_ArrayForEach(e, sa) {
			int64_t v;
			snprintf(pe, sizeof(pe), "%s[%d]", p, i++);
			if (tfit_json_item_int(e, r->file, pe, 1, TFIT_MAX_RANK - 1, &v, r->err) != TFIT_OK)
				return r->err->code;
			mask |= 1u << v;
		}
	}
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	L->shared_axes = mask;
	return TFIT_OK;
}

/* ZeroPadding1D/2D, Cropping2D: n, [a, b] or [[top, bottom], [left, right]] */
static enum tfit_status rd_pad_crop(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	const char *key = type == TFIT_LAYER_CROPPING2D ? "cropping" : "padding";
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(a->config, key);
	int two_d = type != TFIT_LAYER_ZERO_PADDING1D;
	int64_t v[4], dflt = type == TFIT_LAYER_CROPPING2D ? 0 : 1;
	char p[TFIT_ERROR_PATH_MAX], pe[TFIT_ERROR_PATH_MAX + 16];
	struct tfit_layer *L;
	int k;
	tfit_keras_cfg_path(r, key, p, sizeof(p));
	v[0] = v[1] = v[2] = v[3] = dflt;
	if (!it || cJSON_IsNull(it)) {
		/* defaults: padding 1, cropping 0 */
	} else if (cJSON_IsNumber(it)) {
		if (tfit_json_item_int(it, r->file, p, 0, DIM_MAX, &v[0], r->err) != TFIT_OK)
			return r->err->code;
		v[1] = v[2] = v[3] = v[0];
	} else if (cJSON_IsArray(it) && cJSON_GetArraySize(it) == 2 &&
		   cJSON_IsNumber(cJSON_GetArrayItem(it, 0))) {
		int64_t x[2];
		for (k = 0; k < 2; k++) {
			snprintf(pe, sizeof(pe), "%s[%d]", p, k);
			if (tfit_json_item_int(cJSON_GetArrayItem(it, k), r->file, pe, 0, DIM_MAX, &x[k],
					       r->err) != TFIT_OK)
				return r->err->code;
		}
		if (two_d) {
			v[0] = v[1] = x[0];
			v[2] = v[3] = x[1];
		} else {
			v[0] = x[0];
			v[1] = x[1];
		}
	} else if (two_d && cJSON_IsArray(it) && cJSON_GetArraySize(it) == 2 &&
		   cJSON_GetArraySize(cJSON_GetArrayItem(it, 0)) == 2 &&
		   cJSON_GetArraySize(cJSON_GetArrayItem(it, 1)) == 2) {
		for (k = 0; k < 4; k++) {
			const cJSON *e = cJSON_GetArrayItem(cJSON_GetArrayItem(it, k / 2), k % 2);
			snprintf(pe, sizeof(pe), "%s[%d][%d]", p, k / 2, k % 2);
			if (tfit_json_item_int(e, r->file, pe, 0, DIM_MAX, &v[k], r->err) != TFIT_OK)
				return r->err->code;
		}
	} else {
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p, "%s",
				      two_d ? "expected n, [h, w] or [[top, bottom], [left, right]]"
					    : "expected n or [left, right]");
	}
	if (tfit_keras_check_channels_last(r, a->config) != TFIT_OK)
		return r->err->code;
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	memcpy(L->pad, v, sizeof(v));
	return TFIT_OK;
}

static enum tfit_status rd_upsampling(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	int64_t s[2] = { 2, 2 };
	const char *interp = tfit_keras_get_str(a->config, "interpolation");
	struct tfit_layer *L;
	if (tfit_keras_get_tuple(r, a->config, "size", 2, 1, s, NULL) != TFIT_OK ||
	    tfit_keras_check_channels_last(r, a->config) != TFIT_OK)
		return r->err->code;
	if (interp && strcmp(interp, "nearest") != 0 &&
	    tfit_layer_list_warn(r->out, "%s: layer '%s': interpolation '%s' is modelled as nearest "
				 "neighbour (same shapes, fewer element ops)", r->path.buf,
				 a->keras_name, interp) != 0)
		return tfit_keras_nomem(r);
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	L->size[0] = s[0];
	L->size[1] = s[1];
	return TFIT_OK;
}

struct rnn_cfg {
	int64_t units;
	int return_sequences, reset_after;
	enum tfit_layer_act activation;
};

static enum tfit_status read_rnn(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type,
				 struct rnn_cfg *o)
{
	int time_major = 0;
	o->return_sequences = 0;
	/* Keras before 2.3 had no reset_after (the original GRU); later
	 * versions write it, true by default. */
	o->reset_after = 0;
	o->activation = TFIT_LACT_TANH;
	if (tfit_keras_get_int(r, a->config, "units", 1, 1, DIM_MAX, &o->units) != TFIT_OK ||
	    tfit_keras_get_bool(r, a->config, "return_sequences", &o->return_sequences) != TFIT_OK ||
	    tfit_keras_get_bool(r, a->config, "reset_after", &o->reset_after) != TFIT_OK ||
	    tfit_keras_get_bool(r, a->config, "time_major", &time_major) != TFIT_OK)
		return r->err->code;
	if (time_major)
		return tfit_keras_unsupported(r, "config.time_major", "time_major=true is not supported (expected false)");
	if (type == TFIT_LAYER_SIMPLE_RNN && tfit_keras_get_activation(r, a, "activation", &o->activation) != TFIT_OK)
		return r->err->code;
	return TFIT_OK;
}

static void set_rnn(struct tfit_layer *L, const struct rnn_cfg *o)
{
	L->units = o->units;
	L->return_sequences = o->return_sequences;
	L->reset_after = o->reset_after;
	L->activation = L->type == TFIT_LAYER_SIMPLE_RNN ? o->activation : TFIT_LACT_LINEAR;
}

static enum tfit_status rd_rnn(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	struct rnn_cfg o;
	struct tfit_layer *L;
	if (read_rnn(r, a, type, &o) != TFIT_OK)
		return r->err->code;
	/* extra call inputs are initial states: not data flow tinyfit models */
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs ? 1 : 0)))
		return r->err->code;
	set_rnn(L, &o);
	return TFIT_OK;
}

static enum tfit_status rd_embedding(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	int64_t in = 0, outd = 0;
	struct tfit_layer *L;
	if (tfit_keras_get_int(r, a->config, "input_dim", 1, 1, DIM_MAX, &in) != TFIT_OK ||
	    tfit_keras_get_int(r, a->config, "output_dim", 1, 1, DIM_MAX, &outd) != TFIT_OK)
		return r->err->code;
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	L->input_dim = in;
	L->output_dim = outd;
	return TFIT_OK;
}

static enum tfit_status rd_rescaling(struct keras_rd *r, const struct keras_app *a, enum tfit_layer_type type)
{
	double scale = 1.0, offset = 0.0;
	struct tfit_layer *L;
	if (tfit_keras_get_num(r, a->config, "scale", &scale) != TFIT_OK ||
	    tfit_keras_get_num(r, a->config, "offset", &offset) != TFIT_OK)
		return r->err->code;
	if (!(L = tfit_keras_add(r, a, type, NULL, a->inputs, a->n_inputs)))
		return r->err->code;
	L->scale = scale;
	L->offset = offset;
	return TFIT_OK;
}

/* Wrapped layer of TimeDistributed / Bidirectional: {"class_name", "config"}. */
static enum tfit_status inner_layer(struct keras_rd *r, const struct keras_app *a, struct keras_app *in)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(a->config, "layer");
	const cJSON *cn = l ? cJSON_GetObjectItemCaseSensitive(l, "class_name") : NULL;
	const cJSON *cfg = l ? cJSON_GetObjectItemCaseSensitive(l, "config") : NULL;
	if (!cJSON_IsObject(l) || !cJSON_IsString(cn) || !cJSON_IsObject(cfg))
		return tfit_keras_fail(r, "config.layer", "expected the wrapped layer {\"class_name\": ..., \"config\": {...}}");
	*in = *a;
	in->class_name = cn->valuestring;
	in->config = cfg;
	return TFIT_OK;
}

static enum tfit_status rd_time_distributed(struct keras_rd *r, const struct keras_app *a,
					    enum tfit_layer_type type)
{
	struct keras_app in;
	size_t saved;
	enum tfit_status rc;
	(void)type;
	if (inner_layer(r, a, &in) != TFIT_OK)
		return r->err->code;
	/* Dense works on the last axis of any rank (FULLY_CONNECTED keeps the
	 * other dims); element-wise layers and dropout are rank-agnostic. */
	if (strcmp(in.class_name, "Dense") != 0 && strcmp(in.class_name, "Dropout") != 0 &&
	    strcmp(in.class_name, "Activation") != 0)
		return tfit_keras_unsupported(r, "config.layer.class_name",
				  "TimeDistributed(%s) is not supported (expected Dense, Activation or Dropout inside)",
				  in.class_name);
	saved = tfit_jpath_key(&r->path, "config.layer");
	rc = tfit_keras_add_layer(r, &in);
	tfit_jpath_restore(&r->path, saved);
	return rc;
}

static enum tfit_status rd_bidirectional(struct keras_rd *r, const struct keras_app *a,
					 enum tfit_layer_type type)
{
	/* The converter runs a forward and a backward UNIDIRECTIONAL_SEQUENCE_*
	 * op (the backward one on the time-reversed input, its sequence
	 * reversed back) and merges them; Keras counts both directions. */
	struct keras_app in;
	struct rnn_cfg o;
	enum tfit_layer_type rt;
	const char *mode = tfit_keras_get_str(a->config, "merge_mode");
	enum tfit_layer_type mt;
	struct tfit_layer *L;
	char *fwd, *bwd, *pin[2];
	size_t saved;
	(void)type;
	if (inner_layer(r, a, &in) != TFIT_OK)
		return r->err->code;
	if (strcmp(in.class_name, "LSTM") == 0)
		rt = TFIT_LAYER_LSTM;
	else if (strcmp(in.class_name, "GRU") == 0)
		rt = TFIT_LAYER_GRU;
	else if (strcmp(in.class_name, "SimpleRNN") == 0)
		rt = TFIT_LAYER_SIMPLE_RNN;
	else
		return tfit_keras_unsupported(r, "config.layer.class_name",
				  "Bidirectional(%s) is not supported (expected LSTM, GRU or SimpleRNN inside)",
				  in.class_name);
	if (!mode)
		mode = cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a->config, "merge_mode")) ? "null" : "concat";
	if (strcmp(mode, "concat") == 0)
		mt = TFIT_LAYER_CONCATENATE;
	else if (strcmp(mode, "sum") == 0)
		mt = TFIT_LAYER_ADD;
	else if (strcmp(mode, "mul") == 0)
		mt = TFIT_LAYER_MULTIPLY;
	else if (strcmp(mode, "ave") == 0)
		mt = TFIT_LAYER_AVERAGE;
	else
		return tfit_keras_unsupported(r, "config.merge_mode", "merge_mode '%s' is not supported "
				  "(expected \"concat\", \"sum\", \"mul\" or \"ave\")", mode);
	saved = tfit_jpath_key(&r->path, "config.layer");
	{
		/* read the inner config at its path */
		struct keras_rd sub = *r;
		enum tfit_status rc = read_rnn(&sub, &in, rt, &o);
		tfit_jpath_restore(&r->path, saved);
		if (rc != TFIT_OK)
			return rc;
	}
	/* each part's name is the name tfit_keras_add gave it (layer names are
	 * heap strings: they stay put when the list grows) */
	if (!(L = tfit_keras_add(r, a, rt, "forward", a->inputs, a->n_inputs ? 1 : 0)))
		return r->err->code;
	set_rnn(L, &o);
	fwd = L->name;
	if (!(L = tfit_keras_add(r, a, TFIT_LAYER_REVERSE, "reverse", a->inputs, a->n_inputs ? 1 : 0)))
		return r->err->code;
	L->axis = 1;
	pin[0] = L->name;
	if (!(L = tfit_keras_add(r, a, rt, "backward", pin, 1)))
		return r->err->code;
	set_rnn(L, &o);
	bwd = L->name;
	if (o.return_sequences) {
		pin[0] = bwd;
		if (!(L = tfit_keras_add(r, a, TFIT_LAYER_REVERSE, "backward_reverse", pin, 1)))
			return r->err->code;
		L->axis = 1;
		bwd = L->name;
	}
	pin[0] = fwd;
	pin[1] = bwd;
	if (!(L = tfit_keras_add(r, a, mt, NULL, pin, 2)))
		return r->err->code;
	L->axis = -1;
	return TFIT_OK;
}

/* ---- the table ---- */

struct keras_class {
	const char *name;             /* Keras / TF.js class_name */
	enum tfit_layer_type type;
	class_reader read;
};

static const struct keras_class classes[] = {
	{ "Dense", TFIT_LAYER_DENSE, rd_dense },
	{ "Conv1D", TFIT_LAYER_CONV1D, rd_conv },
	{ "Convolution1D", TFIT_LAYER_CONV1D, rd_conv },
	{ "Conv2D", TFIT_LAYER_CONV2D, rd_conv },
	{ "Convolution2D", TFIT_LAYER_CONV2D, rd_conv },
	{ "DepthwiseConv2D", TFIT_LAYER_DEPTHWISE_CONV2D, rd_conv },
	{ "SeparableConv2D", TFIT_LAYER_SEPARABLE_CONV2D, rd_conv },
	{ "SeparableConvolution2D", TFIT_LAYER_SEPARABLE_CONV2D, rd_conv },
	{ "Conv2DTranspose", TFIT_LAYER_CONV2D_TRANSPOSE, rd_conv },
	{ "Convolution2DTranspose", TFIT_LAYER_CONV2D_TRANSPOSE, rd_conv },
	{ "MaxPooling1D", TFIT_LAYER_MAX_POOL1D, rd_pool },
	{ "MaxPool1D", TFIT_LAYER_MAX_POOL1D, rd_pool },
	{ "AveragePooling1D", TFIT_LAYER_AVG_POOL1D, rd_pool },
	{ "AvgPool1D", TFIT_LAYER_AVG_POOL1D, rd_pool },
	{ "MaxPooling2D", TFIT_LAYER_MAX_POOL2D, rd_pool },
	{ "MaxPool2D", TFIT_LAYER_MAX_POOL2D, rd_pool },
	{ "AveragePooling2D", TFIT_LAYER_AVG_POOL2D, rd_pool },
	{ "AvgPool2D", TFIT_LAYER_AVG_POOL2D, rd_pool },
	{ "GlobalAveragePooling1D", TFIT_LAYER_GLOBAL_AVG_POOL1D, rd_global_pool },
	{ "GlobalAvgPool1D", TFIT_LAYER_GLOBAL_AVG_POOL1D, rd_global_pool },
	{ "GlobalMaxPooling1D", TFIT_LAYER_GLOBAL_MAX_POOL1D, rd_global_pool },
	{ "GlobalMaxPool1D", TFIT_LAYER_GLOBAL_MAX_POOL1D, rd_global_pool },
	{ "GlobalAveragePooling2D", TFIT_LAYER_GLOBAL_AVG_POOL2D, rd_global_pool },
	{ "GlobalAvgPool2D", TFIT_LAYER_GLOBAL_AVG_POOL2D, rd_global_pool },
	{ "GlobalMaxPooling2D", TFIT_LAYER_GLOBAL_MAX_POOL2D, rd_global_pool },
	{ "GlobalMaxPool2D", TFIT_LAYER_GLOBAL_MAX_POOL2D, rd_global_pool },
	{ "Flatten", TFIT_LAYER_FLATTEN, rd_plain },
	{ "Reshape", TFIT_LAYER_RESHAPE, rd_shape_list },
	{ "Permute", TFIT_LAYER_PERMUTE, rd_shape_list },
	{ "Add", TFIT_LAYER_ADD, rd_merge },
	{ "Subtract", TFIT_LAYER_SUBTRACT, rd_merge },
	{ "Multiply", TFIT_LAYER_MULTIPLY, rd_merge },
	{ "Maximum", TFIT_LAYER_MAXIMUM, rd_merge },
	{ "Minimum", TFIT_LAYER_MINIMUM, rd_merge },
	{ "Average", TFIT_LAYER_AVERAGE, rd_merge },
	{ "Concatenate", TFIT_LAYER_CONCATENATE, rd_merge },
	{ "BatchNormalization", TFIT_LAYER_BATCH_NORMALIZATION, rd_batch_norm },
	{ "BatchNormalizationV1", TFIT_LAYER_BATCH_NORMALIZATION, rd_batch_norm },
	{ "BatchNormalizationV2", TFIT_LAYER_BATCH_NORMALIZATION, rd_batch_norm },
	{ "SyncBatchNormalization", TFIT_LAYER_BATCH_NORMALIZATION, rd_batch_norm },
	{ "Activation", TFIT_LAYER_ACTIVATION, rd_activation },
	{ "ReLU", TFIT_LAYER_ACTIVATION, rd_relu },
	{ "LeakyReLU", TFIT_LAYER_ACTIVATION, rd_leaky_relu },
	{ "Softmax", TFIT_LAYER_ACTIVATION, rd_named_act },
	{ "ELU", TFIT_LAYER_ACTIVATION, rd_named_act },
	{ "PReLU", TFIT_LAYER_PRELU, rd_prelu },
	/* training-only layers: identity at inference, dropped by the converter */
	{ "Dropout", TFIT_LAYER_DROPOUT, rd_plain },
	{ "SpatialDropout1D", TFIT_LAYER_DROPOUT, rd_plain },
	{ "SpatialDropout2D", TFIT_LAYER_DROPOUT, rd_plain },
	{ "SpatialDropout3D", TFIT_LAYER_DROPOUT, rd_plain },
	{ "GaussianNoise", TFIT_LAYER_DROPOUT, rd_plain },
	{ "GaussianDropout", TFIT_LAYER_DROPOUT, rd_plain },
	{ "AlphaDropout", TFIT_LAYER_DROPOUT, rd_plain },
	{ "ActivityRegularization", TFIT_LAYER_DROPOUT, rd_plain },
	{ "Masking", TFIT_LAYER_IDENTITY, rd_plain },
	{ "ZeroPadding1D", TFIT_LAYER_ZERO_PADDING1D, rd_pad_crop },
	{ "ZeroPadding2D", TFIT_LAYER_ZERO_PADDING2D, rd_pad_crop },
	{ "Cropping2D", TFIT_LAYER_CROPPING2D, rd_pad_crop },
	{ "UpSampling2D", TFIT_LAYER_UPSAMPLING2D, rd_upsampling },
	{ "LSTM", TFIT_LAYER_LSTM, rd_rnn },
	{ "GRU", TFIT_LAYER_GRU, rd_rnn },
	{ "SimpleRNN", TFIT_LAYER_SIMPLE_RNN, rd_rnn },
	{ "Embedding", TFIT_LAYER_EMBEDDING, rd_embedding },
	{ "Rescaling", TFIT_LAYER_RESCALING, rd_rescaling },
	{ "Normalization", TFIT_LAYER_NORMALIZATION, rd_plain },
	{ "TimeDistributed", TFIT_LAYER_DENSE, rd_time_distributed },
	{ "Bidirectional", TFIT_LAYER_CONCATENATE, rd_bidirectional },
};

int tfit_keras_is_model_class(const char *c)
{
	return strcmp(c, "Sequential") == 0 || strcmp(c, "Functional") == 0 || strcmp(c, "Model") == 0;
}

int tfit_keras_takes_states(const char *c)
{
	return strcmp(c, "LSTM") == 0 || strcmp(c, "GRU") == 0 || strcmp(c, "SimpleRNN") == 0 ||
	       strcmp(c, "Bidirectional") == 0;
}

static enum tfit_status skip_layer(struct keras_rd *r, const struct keras_app *a, const char *why)
{
	struct tfit_layer *L;
	int64_t declared = tfit_keras_manifest_params(r, a->keras_name);
	if (a->n_inputs == 0)
		return tfit_keras_fail(r, "class_name", "layer '%s' of class '%s' has no inputs", a->keras_name,
				  a->class_name);
	if (!(L = tfit_keras_add(r, a, TFIT_LAYER_IDENTITY, NULL, a->inputs, 1)))
		return r->err->code;
	L->zero_cost = 1;
	L->declared_params = declared;
	if (tfit_layer_list_warn(r->out, "%s: layer '%s' of class '%s' is %s; counted as zero-cost "
				 "with its input's shape (--skip-unknown)%s", r->path.buf, a->keras_name,
				 a->class_name, why,
				 declared > 0 ? "; its weights from the manifest are counted" : "") != 0)
		return tfit_keras_nomem(r);
	return TFIT_OK;
}

enum tfit_status tfit_keras_add_layer(struct keras_rd *r, const struct keras_app *a)
{
	size_t i;
	enum tfit_status rc;
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strcmp(classes[i].name, a->class_name) != 0)
			continue;
		r->unsupported = 0;
		rc = classes[i].read(r, a, classes[i].type);
		/* an unsupported configuration of a known class may be skipped too */
		if (rc == TFIT_ERR_INPUT && r->skip_unknown && r->unsupported) {
			char why[TFIT_ERROR_MSG_MAX + 32];
			snprintf(why, sizeof(why), "not supported here (%.700s)", r->err->message);
			tfit_error_clear(r->err);
			return skip_layer(r, a, why);
		}
		return rc;
	}
	if (r->skip_unknown)
		return skip_layer(r, a, "a class tinyfit cannot model");
	return tfit_keras_fail(r, "class_name",
			  "layer '%s' has class '%s', which tinyfit cannot model (a custom or unsupported "
			  "layer; docs/keras.md lists the supported ones); --skip-unknown counts it as zero-cost",
			  a->keras_name, a->class_name);
}

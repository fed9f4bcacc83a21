/*
 * native_reader.c - tinyfit's own JSON model format (docs/model-format.md,
 * docs/model.schema.json) into a layer list. Every field is checked: a
 * wrong type, a missing field, an unknown field or an impossible value is
 * an error naming the JSON path ("layers[3].kernel").
 */
#include "json_readers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_util.h"

/* Dimensions: positive and small enough that products are checked later. */
#define DIM_MAX ((int64_t)1 << 40)

struct rd {
	const char *file;
	struct tfit_error *err;
	struct tfit_jpath path;
	struct tfit_layer_list *out; /* the list read into (its pool holds the strings) */
};

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static enum tfit_status fail(struct rd *r, const char *key, const char *fmt, ...)
{
	char p[TFIT_ERROR_PATH_MAX], msg[TFIT_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tfit_jpath_child(&r->path, key, p, sizeof(p));
	return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p, "%s", msg);
}

/* An int or [a, b] (n == 2), or an int or [a] (n == 1); values in [min, max]. */
static enum tfit_status get_tuple(struct rd *r, const cJSON *obj, const char *key, int n,
				  int64_t min, int64_t max, int64_t *out, int *present)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[TFIT_ERROR_PATH_MAX];
	int i;
	if (present)
		*present = 0;
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	tfit_jpath_child(&r->path, key, p, sizeof(p));
	if (cJSON_IsNumber(it)) {
		int64_t v;
		enum tfit_status rc = tfit_json_item_int(it, r->file, p, min, max, &v, r->err);
		if (rc != TFIT_OK)
			return rc;
		for (i = 0; i < n; i++)
			out[i] = v;
	} else if (cJSON_IsArray(it) && cJSON_GetArraySize(it) == n) {
		const cJSON *e;
		i = 0;
		cJSON_ArrayForEach(e, it) {
			char pe[TFIT_ERROR_PATH_MAX + 16];
			enum tfit_status rc;
			snprintf(pe, sizeof(pe), "%s[%d]", p, i);
			rc = tfit_json_item_int(e, r->file, pe, min, max, &out[i], r->err);
			if (rc != TFIT_OK)
				return rc;
			i++;
		}
	} else {
		char found[96];
		if (cJSON_IsArray(it))
			snprintf(found, sizeof(found), "an array of %d", cJSON_GetArraySize(it));
		else if (cJSON_IsString(it))
			snprintf(found, sizeof(found), "string \"%.40s\"", it->valuestring);
		else
			snprintf(found, sizeof(found), "%s", tfit_json_type_name(it));
		if (n == 1)
			return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
					      "expected a positive integer or [k], got %s", found);
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "expected a positive integer or 2 positive integers [h, w], got %s",
				      found);
	}
	if (present)
		*present = 1;
	return TFIT_OK;
}

/* A shape: an array of positive integers (or -1 where allowed). */
static enum tfit_status get_shape(struct rd *r, const cJSON *obj, const char *key, int allow_minus1,
				  int32_t *rank, int64_t *dims, int required)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[TFIT_ERROR_PATH_MAX];
	const cJSON *e;
	int i = 0, minus = 0;
	tfit_jpath_child(&r->path, key, p, sizeof(p));
	if (!it || cJSON_IsNull(it)) {
		if (!required)
			return TFIT_OK;
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "missing required field (expected a shape such as [49, 10, 1])");
	}
	if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) < 1 ||
	    cJSON_GetArraySize(it) > TFIT_MAX_RANK - 1)
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "expected a shape: an array of 1 to %d positive integers (batch excluded), got %s",
				      TFIT_MAX_RANK - 1, tfit_json_type_name(it));
	cJSON_ArrayForEach(e, it) {
		char pe[TFIT_ERROR_PATH_MAX + 16];
		enum tfit_status rc;
		snprintf(pe, sizeof(pe), "%s[%d]", p, i);
		if (allow_minus1 && cJSON_IsNumber(e) && e->valuedouble == -1.0) {
			if (minus++)
				return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, pe,
						      "only one dimension may be -1");
			dims[i++] = -1;
			continue;
		}
		if (cJSON_IsNumber(e) && e->valuedouble <= 0)
			return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, pe,
					      "expected a positive dimension, got %.17g", e->valuedouble);
		rc = tfit_json_item_int(e, r->file, pe, 1, DIM_MAX, &dims[i], r->err);
		if (rc != TFIT_OK)
			return rc;
		if (dims[i] > TFIT_DIM_MAX)
			return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, pe,
					      "dimension %lld is above %d (a .tflite shape is int32)",
					      (long long)dims[i], TFIT_DIM_MAX);
		i++;
	}
	*rank = i;
	return TFIT_OK;
}

static enum tfit_status get_dtype(struct rd *r, const cJSON *obj, const char *key,
				  int model_level, enum tfit_dtype *out)
{
	const char *s = NULL;
	int present = 0;
	enum tfit_status rc = tfit_json_opt_string(obj, key, r->file, &r->path, &s, &present, r->err);
	enum tfit_dtype d;
	if (rc != TFIT_OK || !present)
		return rc;
	d = tfit_dtype_parse(s);
	if (model_level && d != TFIT_DTYPE_FLOAT32 && d != TFIT_DTYPE_FLOAT16 &&
	    d != TFIT_DTYPE_INT8 && d != TFIT_DTYPE_INT4 && d != TFIT_DTYPE_INT16)
		return fail(r, key, "unknown dtype '%s' (expected float32, float16, int8, int4 or int16)", s);
	if (!model_level && d == TFIT_DTYPE_UNKNOWN)
		return fail(r, key, "unknown dtype '%s' (expected float32, int8, int16, int32, ...)", s);
	*out = d;
	return TFIT_OK;
}

static enum tfit_status get_activation(struct rd *r, const cJSON *obj, const char *key,
				       int required, uint8_t *out)
{
	const char *s = NULL;
	enum tfit_layer_act act;
	int present = 0;
	enum tfit_status rc = tfit_json_opt_string(obj, key, r->file, &r->path, &s, &present, r->err);
	char p[TFIT_ERROR_PATH_MAX];
	if (rc != TFIT_OK)
		return rc;
	if (!present) {
		if (!required)
			return TFIT_OK;
		tfit_jpath_child(&r->path, key, p, sizeof(p));
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "missing required field (expected one of: %s)", tfit_layer_act_list());
	}
	if (tfit_layer_act_parse(s, &act) != 0) {
		tfit_jpath_child(&r->path, key, p, sizeof(p));
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "unknown activation '%s' (expected one of: %s)", s,
				      tfit_layer_act_list());
	}
	*out = (uint8_t)act;
	return TFIT_OK;
}

static enum tfit_status get_padding_mode(struct rd *r, const cJSON *obj, uint8_t *out)
{
	const char *s = NULL;
	int present = 0;
	enum tfit_status rc = tfit_json_opt_string(obj, "padding", r->file, &r->path, &s, &present, r->err);
	if (rc != TFIT_OK || !present)
		return rc;
	if (strcmp(s, "same") == 0)
		*out = TFIT_PAD_SAME;
	else if (strcmp(s, "valid") == 0)
		*out = TFIT_PAD_VALID;
	else
		return fail(r, "padding", "unknown padding '%s' (expected \"same\" or \"valid\")", s);
	return TFIT_OK;
}

/* An optional boolean into one of a layer's byte flags. */
static enum tfit_status opt_flag(struct rd *r, const cJSON *obj, const char *key, uint8_t *out)
{
	int v = *out;
	enum tfit_status rc = tfit_json_opt_bool(obj, key, r->file, &r->path, &v, NULL, r->err);
	*out = (uint8_t)(v != 0);
	return rc;
}

/* Zero padding / cropping amounts: n, [a, b] (symmetric per axis) or
 * [[top, bottom], [left, right]]; 1-D: n or [left, right]. */
static enum tfit_status get_amounts(struct rd *r, const cJSON *obj, const char *key, int two_d,
				    int64_t *pad)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[TFIT_ERROR_PATH_MAX];
	int64_t v[4] = { 0, 0, 0, 0 };
	tfit_jpath_child(&r->path, key, p, sizeof(p));
	pad[0] = pad[1] = pad[2] = pad[3] = two_d ? 1 : 1;
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	if (cJSON_IsNumber(it)) {
		enum tfit_status rc = tfit_json_item_int(it, r->file, p, 0, DIM_MAX, &v[0], r->err);
		if (rc != TFIT_OK)
			return rc;
		pad[0] = pad[1] = pad[2] = pad[3] = v[0];
		return TFIT_OK;
	}
	if (cJSON_IsArray(it) && cJSON_GetArraySize(it) == 2) {
		const cJSON *a = cJSON_GetArrayItem(it, 0), *b = cJSON_GetArrayItem(it, 1);
		char pa[TFIT_ERROR_PATH_MAX + 16], pb[TFIT_ERROR_PATH_MAX + 16];
		snprintf(pa, sizeof(pa), "%s[0]", p);
		snprintf(pb, sizeof(pb), "%s[1]", p);
		if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
			if (tfit_json_item_int(a, r->file, pa, 0, DIM_MAX, &v[0], r->err) != TFIT_OK ||
			    tfit_json_item_int(b, r->file, pb, 0, DIM_MAX, &v[1], r->err) != TFIT_OK)
				return r->err->code;
			if (two_d) {
				pad[0] = pad[1] = v[0];
				pad[2] = pad[3] = v[1];
			} else {
				pad[0] = v[0];
				pad[1] = v[1];
			}
			return TFIT_OK;
		}
		if (two_d && cJSON_IsArray(a) && cJSON_IsArray(b) && cJSON_GetArraySize(a) == 2 &&
		    cJSON_GetArraySize(b) == 2) {
			int k;
			for (k = 0; k < 4; k++) {
				const cJSON *e = cJSON_GetArrayItem(k < 2 ? a : b, k % 2);
				char pe[TFIT_ERROR_PATH_MAX + 16];
				snprintf(pe, sizeof(pe), "%s[%d][%d]", p, k / 2, k % 2);
				if (tfit_json_item_int(e, r->file, pe, 0, DIM_MAX, &pad[k], r->err) != TFIT_OK)
					return r->err->code;
			}
			return TFIT_OK;
		}
	}
	return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
			      two_d ? "expected n, [h, w] or [[top, bottom], [left, right]]"
				    : "expected n or [left, right]");
}

/* Fields every layer may have, then the ones of its type. */
static const char *const *allowed_keys(enum tfit_layer_type t)
{
#define COMMON "name", "type", "inputs", "dtype", "comment"
	static const char *const conv[] = { COMMON, "filters", "kernel", "strides", "padding",
					    "dilation", "use_bias", "activation", NULL };
	static const char *const dw[] = { COMMON, "kernel", "strides", "padding", "dilation",
					  "use_bias", "depth_multiplier", "activation", NULL };
	static const char *const sep[] = { COMMON, "filters", "kernel", "strides", "padding",
					   "dilation", "use_bias", "depth_multiplier", "activation",
					   NULL };
	static const char *const dense[] = { COMMON, "units", "use_bias", "activation", NULL };
	static const char *const pool[] = { COMMON, "pool_size", "strides", "padding", NULL };
	static const char *const plain[] = { COMMON, NULL };
	static const char *const reshape[] = { COMMON, "target_shape", NULL };
	static const char *const permute[] = { COMMON, "dims", NULL };
	static const char *const concat[] = { COMMON, "axis", NULL };
	static const char *const bn[] = { COMMON, "center", "scale", "epsilon", "momentum", NULL };
	static const char *const act[] = { COMMON, "activation", "alpha", NULL };
	static const char *const drop[] = { COMMON, "rate", NULL };
	static const char *const pad[] = { COMMON, "padding", NULL };
	static const char *const crop[] = { COMMON, "cropping", NULL };
	static const char *const up[] = { COMMON, "size", NULL };
	static const char *const rnn[] = { COMMON, "units", "return_sequences", "activation", NULL };
	static const char *const gru[] = { COMMON, "units", "return_sequences", "reset_after", NULL };
	static const char *const emb[] = { COMMON, "input_dim", "output_dim", NULL };
	static const char *const resc[] = { COMMON, "scale", "offset", NULL };
	static const char *const input[] = { COMMON, "shape", NULL };
#undef COMMON
	switch (t) {
	case TFIT_LAYER_INPUT: return input;
	case TFIT_LAYER_CONV1D: case TFIT_LAYER_CONV2D: case TFIT_LAYER_CONV2D_TRANSPOSE: return conv;
	case TFIT_LAYER_DEPTHWISE_CONV2D: return dw;
	case TFIT_LAYER_SEPARABLE_CONV2D: return sep;
	case TFIT_LAYER_DENSE: return dense;
	case TFIT_LAYER_MAX_POOL1D: case TFIT_LAYER_AVG_POOL1D:
	case TFIT_LAYER_MAX_POOL2D: case TFIT_LAYER_AVG_POOL2D: return pool;
	case TFIT_LAYER_RESHAPE: return reshape;
	case TFIT_LAYER_PERMUTE: return permute;
	case TFIT_LAYER_CONCATENATE: return concat;
	case TFIT_LAYER_BATCH_NORMALIZATION: return bn;
	case TFIT_LAYER_ACTIVATION: return act;
	case TFIT_LAYER_DROPOUT: return drop;
	case TFIT_LAYER_ZERO_PADDING1D: case TFIT_LAYER_ZERO_PADDING2D: return pad;
	case TFIT_LAYER_CROPPING2D: return crop;
	case TFIT_LAYER_UPSAMPLING2D: return up;
	case TFIT_LAYER_LSTM: case TFIT_LAYER_SIMPLE_RNN: return rnn;
	case TFIT_LAYER_GRU: return gru;
	case TFIT_LAYER_EMBEDDING: return emb;
	case TFIT_LAYER_RESCALING: return resc;
	default: return plain;
	}
}

static enum tfit_status req_positive(struct rd *r, const cJSON *obj, const char *key, int64_t *out)
{
	return tfit_json_req_int(obj, key, r->file, &r->path, 1, DIM_MAX, out, r->err);
}

static enum tfit_status read_type_fields(struct rd *r, const cJSON *obj, struct tfit_layer *L)
{
	enum tfit_status rc = TFIT_OK;
	int present = 0, b = 0;
	double d;
	switch (L->type) {
	case TFIT_LAYER_CONV1D:
	case TFIT_LAYER_CONV2D:
	case TFIT_LAYER_CONV2D_TRANSPOSE:
	case TFIT_LAYER_DEPTHWISE_CONV2D:
	case TFIT_LAYER_SEPARABLE_CONV2D: {
		int n = L->type == TFIT_LAYER_CONV1D ? 1 : 2;
		int64_t k[2], s[2] = { 1, 1 }, dl[2] = { 1, 1 };
		if (L->type != TFIT_LAYER_DEPTHWISE_CONV2D &&
		    (rc = req_positive(r, obj, "filters", &L->filters)) != TFIT_OK)
			return rc;
		if ((rc = get_tuple(r, obj, "kernel", n, 1, DIM_MAX, k, &present)) != TFIT_OK)
			return rc;
		if (!present)
			return fail(r, "kernel", "missing required field (expected %s)",
				    n == 1 ? "a positive integer" : "a positive integer or [h, w]");
		if ((rc = get_tuple(r, obj, "strides", n, 1, DIM_MAX, s, NULL)) != TFIT_OK ||
		    (rc = get_tuple(r, obj, "dilation", n, 1, DIM_MAX, dl, NULL)) != TFIT_OK ||
		    (rc = get_padding_mode(r, obj, &L->padding)) != TFIT_OK ||
		    (rc = opt_flag(r, obj, "use_bias", &L->use_bias)) != TFIT_OK ||
		    (rc = tfit_json_opt_int(obj, "depth_multiplier", r->file, &r->path, 1, DIM_MAX,
					    &L->depth_multiplier, NULL, r->err)) != TFIT_OK ||
		    (rc = get_activation(r, obj, "activation", 0, &L->activation)) != TFIT_OK)
			return rc;
		if (n == 1) {
			L->kernel[0] = 1; L->kernel[1] = k[0];
			L->strides[0] = 1; L->strides[1] = s[0];
			L->dilation[0] = 1; L->dilation[1] = dl[0];
		} else {
			L->kernel[0] = k[0]; L->kernel[1] = k[1];
			L->strides[0] = s[0]; L->strides[1] = s[1];
			L->dilation[0] = dl[0]; L->dilation[1] = dl[1];
		}
		if ((L->strides[0] > 1 || L->strides[1] > 1) && (L->dilation[0] > 1 || L->dilation[1] > 1))
			return fail(r, "dilation", "%s", "strides and dilation cannot both be above 1 (TensorFlow rejects it)");
		return TFIT_OK;
	}
	case TFIT_LAYER_DENSE:
		if ((rc = req_positive(r, obj, "units", &L->units)) != TFIT_OK ||
		    (rc = opt_flag(r, obj, "use_bias", &L->use_bias)) != TFIT_OK)
			return rc;
		return get_activation(r, obj, "activation", 0, &L->activation);
	case TFIT_LAYER_MAX_POOL1D:
	case TFIT_LAYER_AVG_POOL1D:
	case TFIT_LAYER_MAX_POOL2D:
	case TFIT_LAYER_AVG_POOL2D: {
		int n = (L->type == TFIT_LAYER_MAX_POOL1D || L->type == TFIT_LAYER_AVG_POOL1D) ? 1 : 2;
		int64_t p[2] = { 2, 2 }, s[2];
		if ((rc = get_tuple(r, obj, "pool_size", n, 1, DIM_MAX, p, NULL)) != TFIT_OK)
			return rc;
		s[0] = p[0];
		s[1] = p[1];
		if ((rc = get_tuple(r, obj, "strides", n, 1, DIM_MAX, s, NULL)) != TFIT_OK ||
		    (rc = get_padding_mode(r, obj, &L->padding)) != TFIT_OK)
			return rc;
		if (n == 1) {
			L->pool[0] = 1; L->pool[1] = p[0];
			L->strides[0] = 1; L->strides[1] = s[0];
		} else {
			L->pool[0] = p[0]; L->pool[1] = p[1];
			L->strides[0] = s[0]; L->strides[1] = s[1];
		}
		return TFIT_OK;
	}
	case TFIT_LAYER_RESHAPE:
		return get_shape(r, obj, "target_shape", 1, &L->target_rank, L->target, 1);
	case TFIT_LAYER_PERMUTE:
		return get_shape(r, obj, "dims", 0, &L->target_rank, L->target, 1);
	case TFIT_LAYER_CONCATENATE: {
		int64_t axis = L->axis;
		rc = tfit_json_opt_int(obj, "axis", r->file, &r->path, -TFIT_MAX_RANK,
				       TFIT_MAX_RANK, &axis, NULL, r->err);
		L->axis = (int32_t)axis;
		return rc;
	}
	case TFIT_LAYER_BATCH_NORMALIZATION:
		if ((rc = opt_flag(r, obj, "center", &L->bn_center)) != TFIT_OK ||
		    (rc = opt_flag(r, obj, "scale", &L->bn_scale)) != TFIT_OK ||
		    (rc = tfit_json_opt_number(obj, "epsilon", r->file, &r->path, 0, 1e9, &d, NULL, r->err)) != TFIT_OK)
			return rc;
		return tfit_json_opt_number(obj, "momentum", r->file, &r->path, 0, 1, &d, NULL, r->err);
	case TFIT_LAYER_ACTIVATION:
		if ((rc = get_activation(r, obj, "activation", 1, &L->activation)) != TFIT_OK)
			return rc;
		return tfit_json_opt_number(obj, "alpha", r->file, &r->path, 0, 1e9, &L->alpha, NULL, r->err);
	case TFIT_LAYER_DROPOUT:
		return tfit_json_opt_number(obj, "rate", r->file, &r->path, 0, 1, &d, NULL, r->err);
	case TFIT_LAYER_ZERO_PADDING1D:
	case TFIT_LAYER_ZERO_PADDING2D:
		return get_amounts(r, obj, "padding", L->type == TFIT_LAYER_ZERO_PADDING2D, L->pad);
	case TFIT_LAYER_CROPPING2D:
		rc = get_amounts(r, obj, "cropping", 1, L->pad);
		if (rc == TFIT_OK && !cJSON_GetObjectItemCaseSensitive(obj, "cropping"))
			L->pad[0] = L->pad[1] = L->pad[2] = L->pad[3] = 0;
		return rc;
	case TFIT_LAYER_UPSAMPLING2D:
		L->size[0] = L->size[1] = 2;
		return get_tuple(r, obj, "size", 2, 1, DIM_MAX, L->size, NULL);
	case TFIT_LAYER_LSTM:
	case TFIT_LAYER_SIMPLE_RNN:
	case TFIT_LAYER_GRU:
		if ((rc = req_positive(r, obj, "units", &L->units)) != TFIT_OK ||
		    (rc = tfit_json_opt_bool(obj, "return_sequences", r->file, &r->path,
					     &L->return_sequences, NULL, r->err)) != TFIT_OK)
			return rc;
		if (L->type == TFIT_LAYER_GRU)
			return tfit_json_opt_bool(obj, "reset_after", r->file, &r->path, &L->reset_after,
						  NULL, r->err);
		L->activation = L->type == TFIT_LAYER_SIMPLE_RNN ? TFIT_LACT_TANH : TFIT_LACT_LINEAR;
		if (L->type == TFIT_LAYER_SIMPLE_RNN)
			return get_activation(r, obj, "activation", 0, &L->activation);
		return TFIT_OK;
	case TFIT_LAYER_EMBEDDING:
		if ((rc = req_positive(r, obj, "input_dim", &L->input_dim)) != TFIT_OK)
			return rc;
		return req_positive(r, obj, "output_dim", &L->output_dim);
	case TFIT_LAYER_RESCALING:
		L->scale = 1.0;
		if ((rc = tfit_json_opt_number(obj, "scale", r->file, &r->path, -1e30, 1e30, &L->scale, NULL, r->err)) != TFIT_OK)
			return rc;
		return tfit_json_opt_number(obj, "offset", r->file, &r->path, -1e30, 1e30, &L->offset, NULL, r->err);
	default:
		(void)b;
		return TFIT_OK;
	}
}

static enum tfit_status read_inputs(struct rd *r, const cJSON *obj, struct tfit_layer *L,
				    const char *prev)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(obj, "inputs");
	const struct tfit_layer_type_desc *d = &tfit_layer_types[L->type];
	char p[TFIT_ERROR_PATH_MAX];
	tfit_jpath_child(&r->path, "inputs", p, sizeof(p));
	if (!in || cJSON_IsNull(in)) {
		if (d->min_inputs > 1)
			return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
					      "missing required field (a %s layer needs at least %d input names)",
					      d->name, d->min_inputs);
		if (!prev)
			return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
					      "missing required field (the first layer has no previous layer; name its input)");
		return tfit_layer_add_input(r->out, L, prev) == 0 ? TFIT_OK :
		       tfit_error_set(r->err, TFIT_ERR_NOMEM, r->file, NULL, "out of memory");
	}
	if (cJSON_IsString(in)) {
		if (d->min_inputs > 1)
			return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
					      "a %s layer needs at least %d inputs, got 1", d->name, d->min_inputs);
		return tfit_layer_add_input(r->out, L, in->valuestring) == 0 ? TFIT_OK :
		       tfit_error_set(r->err, TFIT_ERR_NOMEM, r->file, NULL, "out of memory");
	}
	if (!cJSON_IsArray(in))
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "expected a layer name or an array of layer names, got %s",
				      tfit_json_type_name(in));
	{
		const cJSON *e;
		const char **names;
		enum tfit_status rc = TFIT_OK;
		int i = 0, n = cJSON_GetArraySize(in);
		if (n < d->min_inputs || (d->max_inputs >= 0 && n > d->max_inputs)) {
			if (d->max_inputs == d->min_inputs)
				return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
						      "a %s layer takes %d input%s, got %d", d->name,
						      d->min_inputs, d->min_inputs == 1 ? "" : "s", n);
			return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
					      "a %s layer takes at least %d inputs, got %d", d->name,
					      d->min_inputs, n);
		}
		/* the names first, then one array of exactly n (tfit_layer_set_inputs) */
		if (!(names = malloc((n > 0 ? (size_t)n : 1) * sizeof(*names))))
			return tfit_error_set(r->err, TFIT_ERR_NOMEM, r->file, NULL, "out of memory");
		cJSON_ArrayForEach(e, in) {
			if (!cJSON_IsString(e)) {
				char pe[TFIT_ERROR_PATH_MAX + 16];
				snprintf(pe, sizeof(pe), "%s[%d]", p, i);
				rc = tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, pe,
						    "expected a layer name (string), got %s",
						    tfit_json_type_name(e));
				goto out;
			}
			names[i++] = e->valuestring;
		}
		if (tfit_layer_set_inputs(r->out, L, names, (size_t)i) != 0)
			rc = tfit_error_set(r->err, TFIT_ERR_NOMEM, r->file, NULL, "out of memory");
out:
		free(names);
		return rc;
	}
}

static enum tfit_status set_name_path(struct rd *r, struct tfit_layer *L, const char *name,
				      const char *fallback_prefix, size_t index)
{
	char buf[128];
	if (!name) {
		snprintf(buf, sizeof(buf), "%s_%zu", fallback_prefix, index);
		name = buf;
	}
	if (tfit_layer_set_str(r->out, &L->name, name) != 0 ||
	    tfit_layer_set_str(r->out, &L->path, r->path.buf) != 0)
		return tfit_error_set(r->err, TFIT_ERR_NOMEM, r->file, NULL, "out of memory");
	return TFIT_OK;
}

static enum tfit_status read_model_input(struct rd *r, const cJSON *obj, size_t i,
					 struct tfit_layer_list *out)
{
	static const char *const keys[] = { "name", "shape", "dtype", "comment", NULL };
	struct tfit_layer *L;
	enum tfit_dtype dtype = TFIT_DTYPE_UNKNOWN;
	const char *name = NULL;
	enum tfit_status rc;
	size_t saved = tfit_jpath_index(&r->path, i);
	if (!cJSON_IsObject(obj)) {
		rc = tfit_json_type_error(r->file, &r->path, NULL,
					  "an object {\"name\": ..., \"shape\": [...]}", obj, r->err);
		goto out;
	}
	if ((rc = tfit_json_check_keys(obj, keys, r->file, &r->path, r->err)) != TFIT_OK ||
	    (rc = tfit_json_opt_string(obj, "name", r->file, &r->path, &name, NULL, r->err)) != TFIT_OK)
		goto out;
	L = tfit_layer_list_add(out, TFIT_LAYER_INPUT);
	if (!L) {
		rc = tfit_error_set(r->err, TFIT_ERR_NOMEM, r->file, NULL, "out of memory");
		goto out;
	}
	if ((rc = set_name_path(r, L, name, "input", i)) != TFIT_OK ||
	    (rc = get_shape(r, obj, "shape", 0, &L->shape_rank, L->shape, 1)) != TFIT_OK ||
	    (rc = get_dtype(r, obj, "dtype", 0, &dtype)) != TFIT_OK)
		goto out;
	L->input_dtype = (uint8_t)dtype;
out:
	tfit_jpath_restore(&r->path, saved);
	return rc;
}

static enum tfit_status read_layer(struct rd *r, const cJSON *obj, size_t i, const char *prev,
				   struct tfit_layer_list *out)
{
	const char *type_name = NULL, *name = NULL;
	enum tfit_layer_type type;
	enum tfit_dtype dtype = TFIT_DTYPE_UNKNOWN;
	struct tfit_layer *L;
	enum tfit_status rc;
	size_t saved = tfit_jpath_index(&r->path, i);

	if (!cJSON_IsObject(obj)) {
		rc = tfit_json_type_error(r->file, &r->path, NULL, "a layer object", obj, r->err);
		goto out;
	}
	if ((rc = tfit_json_req_string(obj, "type", r->file, &r->path, &type_name, r->err)) != TFIT_OK)
		goto out;
	if (tfit_layer_type_parse(type_name, &type) != 0) {
		char p[TFIT_ERROR_PATH_MAX];
		tfit_jpath_child(&r->path, "type", p, sizeof(p));
		rc = tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				    "unknown layer type '%s' (expected one of: %s)", type_name,
				    tfit_layer_type_list());
		goto out;
	}
	if ((rc = tfit_json_check_keys(obj, allowed_keys(type), r->file, &r->path, r->err)) != TFIT_OK ||
	    (rc = tfit_json_opt_string(obj, "name", r->file, &r->path, &name, NULL, r->err)) != TFIT_OK)
		goto out;
	if (name && !*name) {
		rc = fail(r, "name", "%s", "expected a non-empty name");
		goto out;
	}
	L = tfit_layer_list_add(out, type);
	if (!L) {
		rc = tfit_error_set(r->err, TFIT_ERR_NOMEM, r->file, NULL, "out of memory");
		goto out;
	}
	if ((rc = set_name_path(r, L, name, type_name, i)) != TFIT_OK ||
	    (rc = get_dtype(r, obj, "dtype", type != TFIT_LAYER_INPUT, &dtype)) != TFIT_OK)
		goto out;
	if (type == TFIT_LAYER_INPUT)
		L->input_dtype = (uint8_t)dtype;
	else
		L->dtype = (uint8_t)dtype;
	if (type == TFIT_LAYER_INPUT) {
		rc = get_shape(r, obj, "shape", 0, &L->shape_rank, L->shape, 1);
		goto out;
	}
	if ((rc = read_inputs(r, obj, L, prev)) != TFIT_OK)
		goto out;
	rc = read_type_fields(r, obj, L);
out:
	tfit_jpath_restore(&r->path, saved);
	return rc;
}

int tfit_native_detect(const cJSON *root)
{
	const cJSON *layers = cJSON_GetObjectItemCaseSensitive(root, "layers");
	const cJSON *first;
	if (!cJSON_IsObject(root) || cJSON_GetObjectItemCaseSensitive(root, "class_name") ||
	    cJSON_GetObjectItemCaseSensitive(root, "modelTopology"))
		return 0;
	if (cJSON_GetObjectItemCaseSensitive(root, "format"))
		return 1;
	if (!cJSON_IsArray(layers))
		return 0;
	first = cJSON_GetArrayItem(layers, 0);
	return !first || cJSON_GetObjectItemCaseSensitive(first, "type") != NULL;
}

enum tfit_status tfit_native_from_json(struct tfit_json_doc *doc, const char *file,
				       const struct tfit_load_opts *o,
				       struct tfit_layer_list *out, struct tfit_error *err)
{
	static const char *const keys[] = { "format", "format_version", "name", "description",
					    "dtype", "inputs", "outputs", "layers", "source", NULL };
	struct rd r;
	const cJSON *root = doc->root;
	const cJSON *inputs, *layers, *outputs, *e;
	struct tfit_json_iter it;
	const char *s = NULL;
	enum tfit_status rc;
	size_t i, saved;
	int64_t version = 1;

	r.file = file;
	r.err = err;
	r.out = out;
	tfit_jpath_init(&r.path);
	tfit_layer_list_init(out);
	out->dtype = TFIT_DTYPE_FLOAT32;
	if (!cJSON_IsObject(root))
		return tfit_json_type_error(file, &r.path, NULL, "a model object", root, err);
	if ((rc = tfit_json_check_keys(root, keys, file, &r.path, err)) != TFIT_OK)
		return rc;
	if ((rc = tfit_json_opt_string(root, "format", file, &r.path, &s, NULL, err)) != TFIT_OK)
		return rc;
	if (s && strcmp(s, "tinyfit-model") != 0)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "format",
				      "unknown format '%s' (expected \"tinyfit-model\")", s);
	if ((rc = tfit_json_opt_int(root, "format_version", file, &r.path, 1, 1, &version, NULL, err)) != TFIT_OK)
		return rc;
	s = NULL;
	if ((rc = tfit_json_opt_string(root, "name", file, &r.path, &s, NULL, err)) != TFIT_OK)
		return rc;
	if (tfit_strdup_to(&out->name, s ? s : "model") != TFIT_OK)
		return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
	if ((rc = get_dtype(&r, root, "dtype", 1, &out->dtype)) != TFIT_OK)
		return rc;
	if (o && o->dtype != TFIT_DTYPE_UNKNOWN)
		out->dtype = o->dtype;

	inputs = cJSON_GetObjectItemCaseSensitive(root, "inputs");
	if (inputs && !cJSON_IsArray(inputs))
		return tfit_json_type_error(file, &r.path, "inputs",
					    "an array of inputs [{\"name\": ..., \"shape\": [...]}]",
					    inputs, err);
	saved = tfit_jpath_key(&r.path, "inputs");
	i = 0;
	cJSON_ArrayForEach(e, inputs) {
		if ((rc = read_model_input(&r, e, i++, out)) != TFIT_OK)
			return rc;
	}
	tfit_jpath_restore(&r.path, saved);

	layers = cJSON_GetObjectItemCaseSensitive(root, "layers");
	if (out->n_layers == 0 && cJSON_IsArray(layers)) {
		const cJSON *first = cJSON_GetArrayItem(layers, 0);
		const cJSON *type = first ? cJSON_GetObjectItemCaseSensitive(first, "type") : NULL;
		if (!cJSON_IsString(type) || strcmp(type->valuestring, "input") != 0)
			return tfit_error_set(err, TFIT_ERR_INPUT, file, "inputs",
					      "the model has no inputs (expected \"inputs\": [{\"name\": ..., \"shape\": [...]}] or an input layer)");
	}
	if (!layers)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "layers",
				      "missing required field (expected an array of layers)");
	if (!cJSON_IsArray(layers))
		return tfit_json_type_error(file, &r.path, "layers", "an array of layers", layers, err);
	if (cJSON_GetArraySize(layers) == 0)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "layers",
				      "the model has no layers (expected at least one)");
	saved = tfit_jpath_key(&r.path, "layers");
	i = 0;
	/* the layers may be parsed one at a time (json_stream.c) */
	tfit_json_iter_init(&it, doc, layers);
	while ((rc = tfit_json_iter_next(&it, &e, err)) == TFIT_OK && e) {
		/* default input: the previous layer (or the only model input) */
		const char *prev = out->n_layers ? tfit_layer_at(out, out->n_layers - 1)->name : NULL;
		if ((rc = read_layer(&r, e, i++, prev, out)) != TFIT_OK)
			return rc;
		if (o && o->dtype != TFIT_DTYPE_UNKNOWN)
			tfit_layer_at(out, out->n_layers - 1)->dtype = TFIT_DTYPE_UNKNOWN;
	}
	if (rc != TFIT_OK)
		return rc;
	tfit_jpath_restore(&r.path, saved);

	outputs = cJSON_GetObjectItemCaseSensitive(root, "outputs");
	if (outputs) {
		if (!cJSON_IsArray(outputs))
			return tfit_json_type_error(file, &r.path, "outputs",
						    "an array of layer names", outputs, err);
		i = 0;
		cJSON_ArrayForEach(e, outputs) {
			char p[64];
			char **np;
			snprintf(p, sizeof(p), "outputs[%zu]", i++);
			if (!cJSON_IsString(e))
				return tfit_error_set(err, TFIT_ERR_INPUT, file, p,
						      "expected a layer name, got %s", tfit_json_type_name(e));
			np = realloc(out->outputs, (out->n_outputs + 1) * sizeof(*np));
			if (!np)
				return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
			out->outputs = np;
			if (tfit_strdup_to(&np[out->n_outputs], e->valuestring) != TFIT_OK)
				return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
			out->n_outputs++;
		}
	}
	return TFIT_OK;
}

/*
 * keras_config.c - reading a Keras layer's config for keras_layers.c: typed
 * getters with Keras' conventions (an int or a list for kernel_size and
 * strides, activations by name or as Keras 3 objects, padding modes),
 * adding the layers of one application to the list, and the TF.js weights
 * manifest's count for a layer. Errors carry the JSON path
 * ("config.layers[3].config.kernel_size").
 */
#include "keras_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"

#define DIM_MAX ((int64_t)1 << 40)

enum tfit_status tfit_keras_fail(struct keras_rd *r, const char *key, const char *fmt, ...)
{
	char p[TFIT_ERROR_PATH_MAX], msg[TFIT_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tfit_jpath_child(&r->path, key, p, sizeof(p));
	return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p, "%s", msg);
}

enum tfit_status tfit_keras_unsupported(struct keras_rd *r, const char *key, const char *fmt, ...)
{
	char p[TFIT_ERROR_PATH_MAX], msg[TFIT_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tfit_jpath_child(&r->path, key, p, sizeof(p));
	r->unsupported = 1;
	return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p, "%s", msg);
}

enum tfit_status tfit_keras_nomem(struct keras_rd *r)
{
	return tfit_error_set(r->err, TFIT_ERR_NOMEM, r->file, NULL, "out of memory");
}

/* ---- config getters: r->path is the layer object, fields are in "config" ---- */

void tfit_keras_cfg_path(const struct keras_rd *r, const char *key, char *out, size_t size)
{
	char k[128];
	snprintf(k, sizeof(k), "config.%.100s", key);
	tfit_jpath_child(&r->path, k, out, size);
}

enum tfit_status tfit_keras_get_int(struct keras_rd *r, const cJSON *cfg, const char *key, int required,
				int64_t min, int64_t max, int64_t *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(cfg, key);
	char p[TFIT_ERROR_PATH_MAX];
	tfit_keras_cfg_path(r, key, p, sizeof(p));
	if (!it || cJSON_IsNull(it)) {
		if (!required)
			return TFIT_OK;
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "missing required field (expected an integer)");
	}
	return tfit_json_item_int(it, r->file, p, min, max, out, r->err);
}

enum tfit_status tfit_keras_get_num(struct keras_rd *r, const cJSON *cfg, const char *key, double *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(cfg, key);
	char p[TFIT_ERROR_PATH_MAX];
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	if (!cJSON_IsNumber(it)) {
		tfit_keras_cfg_path(r, key, p, sizeof(p));
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p, "expected a number, got %s",
				      tfit_json_type_name(it));
	}
	*out = it->valuedouble;
	return TFIT_OK;
}

enum tfit_status tfit_keras_get_bool(struct keras_rd *r, const cJSON *cfg, const char *key, int *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(cfg, key);
	char p[TFIT_ERROR_PATH_MAX];
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	if (!cJSON_IsBool(it)) {
		tfit_keras_cfg_path(r, key, p, sizeof(p));
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p, "expected true or false, got %s",
				      tfit_json_type_name(it));
	}
	*out = cJSON_IsTrue(it);
	return TFIT_OK;
}

const char *tfit_keras_get_str(const cJSON *cfg, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(cfg, key);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* An int or a list of n ints (kernel_size, strides, pool_size, ...). */
enum tfit_status tfit_keras_get_tuple(struct keras_rd *r, const cJSON *cfg, const char *key, int n,
				  int64_t min, int64_t *out, int *present)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(cfg, key);
	char p[TFIT_ERROR_PATH_MAX], pe[TFIT_ERROR_PATH_MAX + 16];
	int i;
	if (present)
		*present = 0;
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	tfit_keras_cfg_path(r, key, p, sizeof(p));
	if (cJSON_IsNumber(it)) {
		int64_t v;
		if (tfit_json_item_int(it, r->file, p, min, DIM_MAX, &v, r->err) != TFIT_OK)
			return r->err->code;
		for (i = 0; i < n; i++)
			out[i] = v;
	} else if (cJSON_IsArray(it) && cJSON_GetArraySize(it) == n) {
		for (i = 0; i < n; i++) {
			snprintf(pe, sizeof(pe), "%s[%d]", p, i);
			if (tfit_json_item_int(cJSON_GetArrayItem(it, i), r->file, pe, min, DIM_MAX,
					       &out[i], r->err) != TFIT_OK)
				return r->err->code;
		}
	} else {
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "expected an integer or a list of %d integers, got %s%s", n,
				      cJSON_IsArray(it) ? "a list of " : tfit_json_type_name(it),
				      cJSON_IsArray(it) ? (cJSON_GetArraySize(it) == 1 ? "1" : "another size") : "");
	}
	if (present)
		*present = 1;
	return TFIT_OK;
}

enum tfit_status tfit_keras_check_channels_last(struct keras_rd *r, const cJSON *cfg)
{
	const char *f = tfit_keras_get_str(cfg, "data_format");
	if (f && strcmp(f, "channels_first") == 0 && r->channels_first)
		return TFIT_OK;
	if (f && strcmp(f, "channels_last") != 0) {
		char p[TFIT_ERROR_PATH_MAX];
		tfit_keras_cfg_path(r, "data_format", p, sizeof(p));
		r->unsupported = 1;
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "data_format '%s' is not supported (expected \"channels_last\", the layout TFLite deploys)",
				      f);
	}
	return TFIT_OK;
}

/* ---- adding layers ---- */

/* "name" or "name/part", malloc'ed; NULL on OOM. */
static char *join_part(const char *name, const char *part)
{
	size_t a = strlen(name), b = part ? strlen(part) + 1 : 0;
	char *s = malloc(a + b + 1);
	if (!s)
		return NULL;
	memcpy(s, name, a);
	if (part) {
		s[a] = '/';
		memcpy(s + a + 1, part, b - 1);
	}
	s[a + b] = '\0';
	return s;
}

struct tfit_layer *tfit_keras_add(struct keras_rd *r, const struct keras_app *a,
			      enum tfit_layer_type type, const char *part,
			      char *const *inputs, size_t n_inputs)
{
	struct tfit_layer *L;
	char *name = NULL, *canon = NULL;
	if (r->out->n_layers >= r->max_layers) {
		tfit_error_set(r->err, TFIT_ERR_LIMIT, r->file, r->path.buf,
			       "the model expands to more than %zu layers (nested models applied many times?): "
			       "the limit is one layer per %d JSON values of the file, at least %d and at most %d",
			       r->max_layers, KERAS_VALUES_PER_LAYER, KERAS_MIN_LAYERS, KERAS_MAX_LAYERS);
		return NULL;
	}
	/* names of any length: deep nesting makes long ones, and a cut name
	 * would collide with another (a false "duplicate layer name") */
	name = join_part(a->name, part);
	canon = join_part(a->canon, part);
	L = name && canon ? tfit_layer_list_add(r->out, type) : NULL;
	if (!L || tfit_layer_set_str(r->out, &L->path, r->path.buf) != 0 ||
	    tfit_layer_set_str(r->out, &L->class_name, a->class_name) != 0 ||
	    (strcmp(name, canon) != 0 && tfit_layer_set_str(r->out, &L->weights_from, canon) != 0) ||
	    tfit_layer_set_str(r->out, &L->name, name) != 0) {
		free(name);
		free(canon);
		tfit_keras_nomem(r);
		return NULL;
	}
	free(name);
	free(canon);
	L->shared = a->shared;
	if (tfit_layer_set_inputs(r->out, L, (const char *const *)inputs, n_inputs) != 0) {
		tfit_keras_nomem(r);
		return NULL;
	}
	return L;
}

/* "hardSigmoid" (TF.js) -> "hard_sigmoid" */
static void snake_case(const char *in, char *out, size_t size)
{
	size_t n = 0;
	for (; *in && n + 2 < size; in++) {
		if (isupper((unsigned char)*in)) {
			if (n)
				out[n++] = '_';
			out[n++] = (char)tolower((unsigned char)*in);
		} else {
			out[n++] = *in;
		}
	}
	out[n] = '\0';
}

/* Keras' activation field: a name, or (Keras 3, custom functions) an object
 * whose config is the name. */
enum tfit_status tfit_keras_get_activation(struct keras_rd *r, const struct keras_app *a,
				       const char *key, enum tfit_layer_act *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(a->config, key);
	char p[TFIT_ERROR_PATH_MAX], name[64];
	const char *s = NULL;
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	tfit_keras_cfg_path(r, key, p, sizeof(p));
	if (cJSON_IsString(it)) {
		s = it->valuestring;
	} else if (cJSON_IsObject(it)) {
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "config");
		const cJSON *cn = cJSON_GetObjectItemCaseSensitive(it, "class_name");
		if (cJSON_IsString(c))
			s = c->valuestring;
		else if (cJSON_IsObject(c) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "name")))
			s = cJSON_GetObjectItemCaseSensitive(c, "name")->valuestring;
		else if (cJSON_IsString(cn))
			s = cn->valuestring;
	}
	if (!s)
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "expected an activation name, got %s", tfit_json_type_name(it));
	snake_case(s, name, sizeof(name));
	if (tfit_layer_act_parse(name, out) == 0)
		return TFIT_OK;
	if (r->skip_unknown) {
		*out = TFIT_LACT_LINEAR;
		if (tfit_layer_list_warn(r->out, "%s: layer '%s': activation '%s' is not one tinyfit models; "
					 "counted as linear (--skip-unknown)", p, a->keras_name, s) != 0)
			return tfit_keras_nomem(r);
		return TFIT_OK;
	}
	return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
			      "layer '%s': activation '%s' is not one tinyfit models (expected one of: %s; "
			      "--skip-unknown counts it as linear)", a->keras_name, s, tfit_layer_act_list());
}

enum tfit_status tfit_keras_get_padding(struct keras_rd *r, const cJSON *cfg, int allow_causal,
				    enum tfit_padding *out, int *causal)
{
	const char *s = tfit_keras_get_str(cfg, "padding");
	char p[TFIT_ERROR_PATH_MAX];
	if (causal)
		*causal = 0;
	if (!s)
		return TFIT_OK;
	if (strcmp(s, "same") == 0) {
		*out = TFIT_PAD_SAME;
	} else if (strcmp(s, "valid") == 0) {
		*out = TFIT_PAD_VALID;
	} else if (allow_causal && strcmp(s, "causal") == 0) {
		*out = TFIT_PAD_VALID;
		*causal = 1;
	} else {
		tfit_keras_cfg_path(r, "padding", p, sizeof(p));
		return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, p,
				      "unknown padding '%s' (expected \"same\" or \"valid\"%s)", s,
				      allow_causal ? " or \"causal\"" : "");
	}
	return TFIT_OK;
}

static uint64_t weight_elements(const cJSON *shape)
{
	const cJSON *d;
	uint64_t n = 1;
	cJSON_ArrayForEach(d, shape) {
		if (!cJSON_IsNumber(d) || d->valuedouble < 0 || d->valuedouble > 9e15)
			return 0;
		if (tfit_mul_u64(n, (uint64_t)d->valuedouble, &n) != TFIT_OK)
			return 0;
	}
	return n;
}

int64_t tfit_keras_manifest_params(const struct keras_rd *r, const char *keras_name)
{
	const cJSON *g, *w;
	uint64_t total = 0;
	size_t n = strlen(keras_name);
	if (!r->manifest)
		return -1;
	cJSON_ArrayForEach(g, r->manifest) {
		cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(g, "weights")) {
			const cJSON *nm = cJSON_GetObjectItemCaseSensitive(w, "name");
			const char *s, *hit;
			if (!cJSON_IsString(nm))
				continue;
			s = nm->valuestring;
			/* "<layer>/kernel" or ".../<layer>/kernel" */
			for (hit = strstr(s, keras_name); hit; hit = strstr(hit + 1, keras_name)) {
				if ((hit == s || hit[-1] == '/') && hit[n] == '/') {
					total += weight_elements(cJSON_GetObjectItemCaseSensitive(w, "shape"));
					break;
				}
			}
		}
	}
	return total > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)total;
}


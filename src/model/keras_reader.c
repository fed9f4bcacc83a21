/*
 * keras_reader.c - Keras model.to_json() files (Keras 2, tf.keras 2.13+
 * hybrids, Keras 3) and TensorFlow.js layers models (model.json) into a
 * layer list: the model graph. keras_layers.c reads each layer's config.
 *
 * A Keras model is Sequential (a layer list, given bare or as
 * {"layers": [...]}) or Functional ("Model" before Keras 2.4): layers with
 * inbound_nodes, one node per call. A node lists the tensors the call takes:
 * Keras 2 as [[name, node_index, tensor_index, kwargs], ...], Keras 3 as
 * {"args": [...], "kwargs": {...}} holding __keras_tensor__ objects whose
 * keras_history is [name, node_index, tensor_index]. A model used as a layer
 * is inlined, its layers prefixed "<model>/"; a layer (or model) called
 * more than once becomes one layer per call ("dense", "dense@1", ...)
 * sharing one set of weights. See docs/keras.md.
 */
#include "json_readers.h"
#include "keras_graph.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"

#define DIM_MAX ((int64_t)1 << 40)

/* ---- input shapes ---- */

static enum tfit_dtype input_dtype(const cJSON *cfg)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(cfg, "dtype");
	const char *s = NULL;
	if (cJSON_IsString(d))
		s = d->valuestring;
	else if (cJSON_IsObject(d)) /* Keras 3 DTypePolicy */
		s = tfit_keras_str(cJSON_GetObjectItemCaseSensitive(d, "config"), "name");
	/* integer inputs (token ids for Embedding) deploy as int32 */
	if (s && (strncmp(s, "int", 3) == 0 || strncmp(s, "uint", 4) == 0))
		return TFIT_DTYPE_INT32;
	return TFIT_DTYPE_UNKNOWN;
}

/* batch_input_shape (Keras 2, TF.js) or batch_shape (Keras 3) in cfg;
 * *found = 0 when neither is there. */
enum tfit_status tfit_keras_read_batch_shape(struct kr *k, const cJSON *cfg, const char *cfg_path,
					 struct top_input *ti, int *found)
{
	static const char *const keys[] = { "batch_input_shape", "batch_shape", NULL };
	const cJSON *it = NULL, *e;
	size_t i, len = 0;
	int32_t n = 0;
	*found = 0;
	for (i = 0; keys[i] && !it; i++) {
		it = cJSON_GetObjectItemCaseSensitive(cfg, keys[i]);
		if (it && cJSON_IsNull(it))
			it = NULL;
		if (it)
			snprintf(ti->path, sizeof(ti->path), "%.200s.%s", cfg_path, keys[i]);
	}
	if (!it)
		return TFIT_OK;
	if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) < 1 || cJSON_GetArraySize(it) > TFIT_MAX_RANK)
		return tfit_keras_fail_at(k, ti->path, "expected a shape [null, d1, ...] of 1 to %d entries, got %s",
			       TFIT_MAX_RANK, tfit_json_type_name(it));
	ti->shape_text[0] = '\0';
	i = 0;
	cJSON_ArrayForEach(e, it) {
		char pe[TFIT_ERROR_PATH_MAX + 16];
		int64_t v = -1;
		snprintf(pe, sizeof(pe), "%s[%zu]", ti->path, i);
		if (!cJSON_IsNull(e) &&
		    tfit_json_item_int(e, k->rd.file, pe, 1, DIM_MAX, &v, k->rd.err) != TFIT_OK)
			return k->rd.err->code;
		if (v > TFIT_DIM_MAX)
			return tfit_keras_fail_at(k, pe, "dimension %lld is above %d (a .tflite shape is int32)",
						  (long long)v, TFIT_DIM_MAX);
		if (len + 24 < sizeof(ti->shape_text)) {
			if (v < 0)
				len += (size_t)snprintf(ti->shape_text + len, sizeof(ti->shape_text) - len,
							"%snull", i ? ", " : "[");
			else
				len += (size_t)snprintf(ti->shape_text + len, sizeof(ti->shape_text) - len,
							"%s%lld", i ? ", " : "[", (long long)v);
		}
		if (i > 0)
			ti->dims[n++] = v; /* the first entry is the batch */
		i++;
	}
	if (len + 2 < sizeof(ti->shape_text))
		memcpy(ti->shape_text + len, "]", 2);
	ti->rank = n;
	*found = 1;
	return TFIT_OK;
}

/* A top-level input layer; the shape is completed after the walk. */
enum tfit_status tfit_keras_add_input(struct kr *k, const char *name, const cJSON *cfg, const struct top_input *ti,
				  const char *layer_path)
{
	struct tfit_layer *L;
	struct top_input *p;
	if (k->rd.out->n_layers >= k->rd.max_layers)
		return tfit_error_set(k->rd.err, TFIT_ERR_LIMIT, k->rd.file, layer_path,
				      "the model expands to more than %zu layers", k->rd.max_layers);
	p = realloc(k->ins, (k->n_ins + 1) * sizeof(*p));
	if (!p)
		return tfit_keras_oom(k);
	k->ins = p;
	p[k->n_ins] = *ti;
	p[k->n_ins].layer = k->rd.out->n_layers;
	k->n_ins++;
	L = tfit_layer_list_add(k->rd.out, TFIT_LAYER_INPUT);
	if (!L || tfit_layer_set_str(k->rd.out, &L->name, name) != 0 ||
	    tfit_layer_set_str(k->rd.out, &L->path, layer_path) != 0 ||
	    tfit_layer_set_str(k->rd.out, &L->class_name, "InputLayer") != 0)
		return tfit_keras_oom(k);
	L->input_dtype = cfg ? input_dtype(cfg) : TFIT_DTYPE_UNKNOWN;
	return TFIT_OK;
}

/* Fill unknown sizes from --input-shape; any left is an error. */
static enum tfit_status finish_inputs(struct kr *k)
{
	const struct tfit_load_opts *o = k->rd.opts;
	size_t i;
	int32_t d;
	for (i = 0; i < k->n_ins; i++) {
		struct top_input *ti = &k->ins[i];
		struct tfit_layer *L = tfit_layer_at(k->rd.out, ti->layer);
		if (o && o->has_input_shape) {
			int unknown = 0;
			for (d = 0; d < ti->rank; d++)
				unknown |= ti->dims[d] < 0;
			if (ti->rank >= 0 && ti->path[0] && ti->rank != o->input_rank && (k->n_ins == 1 || unknown))
				return tfit_keras_fail_at(k, ti->path, "--input-shape gives %d dimension%s, but input '%s' has %d "
					       "(%s, batch first)", o->input_rank, o->input_rank == 1 ? "" : "s",
					       L->name, ti->rank, ti->shape_text);
			if (!ti->path[0]) {
				ti->rank = o->input_rank;
				memcpy(ti->dims, o->input_shape, sizeof(ti->dims));
			}
			for (d = 0; d < ti->rank; d++) {
				/* one input: the option replaces its shape; several:
				 * it fills their unknown sizes (a shared time axis) */
				if (k->n_ins == 1 || ti->dims[d] < 0)
					ti->dims[d] = o->input_shape[d];
			}
		}
		if (!ti->path[0] && !(o && o->has_input_shape))
			return tfit_keras_fail_at(k, "config", "the model does not say its input shape (no InputLayer, "
				       "batch_input_shape or build_input_shape); give it with --input-shape, "
				       "e.g. --input-shape 49x10x1");
		for (d = 0; d < ti->rank; d++) {
			if (ti->dims[d] < 0) {
				char eg[128];
				size_t len = 0;
				int32_t j;
				for (j = 0; j < ti->rank && len + 24 < sizeof(eg); j++)
					len += (size_t)snprintf(eg + len, sizeof(eg) - len, "%s%lld", j ? "x" : "",
								(long long)(ti->dims[j] < 0 ? 32 : ti->dims[j]));
				return tfit_keras_fail_at(k, ti->path, "input '%s' has shape %s with an unknown size (null) "
					       "in dimension %d; tinyfit needs every size: give the shape without "
					       "the batch with --input-shape, e.g. --input-shape %s",
					       L->name, ti->shape_text, d + 1, eg);
			}
		}
		if (k->rd.channels_first && ti->rank >= 2) {
			/* [C, H, W] -> [H, W, C] */
			int64_t c0 = ti->dims[0];
			memmove(ti->dims, ti->dims + 1, (size_t)(ti->rank - 1) * sizeof(ti->dims[0]));
			ti->dims[ti->rank - 1] = c0;
		}
		L->shape_rank = ti->rank;
		memcpy(L->shape, ti->dims, sizeof(L->shape));
	}
	return TFIT_OK;
}

static enum tfit_status seq_input(struct kr *k, const cJSON *layers, const cJSON *mcfg, const char *path,
				  int depth, struct top_input *ti, const char **name, const cJSON **icfg)
{
	const cJSON *first = cJSON_GetArrayItem(layers, 0);
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(first, "config");
	const char *cls = tfit_keras_class_of(first);
	char p[TFIT_ERROR_PATH_MAX];
	int found = 0;
	enum tfit_status rc;

	*icfg = cfg;
	tfit_keras_item_path(p, sizeof(p), path, 0, "config");
	if (cls && tfit_keras_is_model_class(cls) && depth < KERAS_MAX_NESTING) {
		/* Sequential([model, ...]): the nested model's first layer */
		const cJSON *sub = cJSON_IsArray(cfg) ? cfg : cJSON_GetObjectItemCaseSensitive(cfg, "layers");
		char sp[TFIT_ERROR_PATH_MAX];
		snprintf(sp, sizeof(sp), "%.200s%s", p, cJSON_IsArray(cfg) ? "" : ".layers");
		if (cJSON_IsArray(sub) && cJSON_GetArraySize(sub) > 0) {
			rc = seq_input(k, sub, cJSON_IsObject(cfg) ? cfg : NULL, sp, depth + 1, ti, name, icfg);
			if (rc != TFIT_OK || ti->path[0])
				return rc;
		}
	}
	if (cJSON_IsObject(cfg)) {
		if ((rc = tfit_keras_read_batch_shape(k, cfg, p, ti, &found)) != TFIT_OK)
			return rc;
		if (found) {
			*name = cls && strcmp(cls, "InputLayer") == 0 ? tfit_keras_name_of(first)
				: tfit_keras_pool_fmt(k, "%s_input", tfit_keras_name_of(first) ? tfit_keras_name_of(first) : "input");
			return *name ? TFIT_OK : tfit_keras_oom(k);
		}
	}
	*name = "input";
	if (mcfg) {
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(mcfg, "build_input_shape");
		if (b && !cJSON_IsNull(b)) {
			cJSON *tmp = cJSON_CreateObject();
			char mp[TFIT_ERROR_PATH_MAX];
			snprintf(mp, sizeof(mp), "%.*s", (int)(strlen(path) >= 7 ? strlen(path) - 7 : 0), path);
			if (!tmp || !cJSON_AddItemReferenceToObject(tmp, "batch_input_shape", (cJSON *)b)) {
				cJSON_Delete(tmp);
				return tfit_keras_oom(k);
			}
			rc = tfit_keras_read_batch_shape(k, tmp, mp, ti, &found);
			cJSON_Delete(tmp);
			if (rc != TFIT_OK || found) {
				if (found)
					snprintf(ti->path, sizeof(ti->path), "%.200s%sbuild_input_shape", mp, *mp ? "." : "");
				return rc;
			}
		}
	}
	{
		const cJSON *bc = cJSON_GetObjectItemCaseSensitive(first, "build_config");
		const cJSON *is = cJSON_GetObjectItemCaseSensitive(bc, "input_shape");
		if (is && !cJSON_IsNull(is)) {
			cJSON *tmp = cJSON_CreateObject();
			char bp[TFIT_ERROR_PATH_MAX];
			tfit_keras_item_path(bp, sizeof(bp), path, 0, "build_config");
			if (!tmp || !cJSON_AddItemReferenceToObject(tmp, "batch_shape", (cJSON *)is)) {
				cJSON_Delete(tmp);
				return tfit_keras_oom(k);
			}
			rc = tfit_keras_read_batch_shape(k, tmp, bp, ti, &found);
			cJSON_Delete(tmp);
			if (found)
				snprintf(ti->path, sizeof(ti->path), "%.200s.input_shape", bp);
			return rc;
		}
	}
	return TFIT_OK;
}

/* Any "data_format": "channels_first" in the model (the tree's depth is
 * bounded by the parser). */
static int find_channels_first(const cJSON *v, int depth)
{
	const cJSON *e;
	if (depth > TFIT_JSON_MAX_DEPTH)
		return 0;
	if (cJSON_IsObject(v)) {
		const char *f = tfit_keras_str(v, "data_format");
		if (f && strcmp(f, "channels_first") == 0)
			return 1;
	}
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		cJSON_ArrayForEach(e, v) {
			if (find_channels_first(e, depth + 1))
				return 1;
		}
	}
	return 0;
}

/* ---- detection and entry ---- */

int tfit_keras_detect(const cJSON *root, enum tfit_model_format *format)
{
	const cJSON *topo;
	if (!cJSON_IsObject(root))
		return 0;
	topo = cJSON_GetObjectItemCaseSensitive(root, "modelTopology");
	if (cJSON_IsObject(topo)) {
		*format = TFIT_MODEL_FORMAT_TFJS;
		return 1;
	}
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "class_name")) &&
	    cJSON_GetObjectItemCaseSensitive(root, "config")) {
		*format = TFIT_MODEL_FORMAT_KERAS;
		return 1;
	}
	return 0;
}

static enum tfit_status read_manifest(struct kr *k, const cJSON *root)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "weightsManifest"), *g, *w;
	uint64_t total = 0;
	size_t gi = 0;
	if (!m || cJSON_IsNull(m))
		return TFIT_OK;
	if (!cJSON_IsArray(m))
		return tfit_keras_fail_at(k, "weightsManifest", "expected a list of weight groups, got %s",
			       tfit_json_type_name(m));
	cJSON_ArrayForEach(g, m) {
		const cJSON *ws = cJSON_GetObjectItemCaseSensitive(g, "weights");
		size_t wi = 0;
		char p[TFIT_ERROR_PATH_MAX];
		snprintf(p, sizeof(p), "weightsManifest[%zu].weights", gi);
		if (!cJSON_IsArray(ws))
			return tfit_keras_fail_at(k, p, "expected a list of weights, got %s", ws ? tfit_json_type_name(ws) : "nothing");
		cJSON_ArrayForEach(w, ws) {
			const cJSON *shape = cJSON_GetObjectItemCaseSensitive(w, "shape"), *d;
			uint64_t n = 1;
			size_t di = 0;
			char ps[TFIT_ERROR_PATH_MAX];
			snprintf(ps, sizeof(ps), "weightsManifest[%zu].weights[%zu].shape", gi, wi++);
			if (!cJSON_IsArray(shape))
				return tfit_keras_fail_at(k, ps, "expected a shape (a list of sizes), got %s",
					       shape ? tfit_json_type_name(shape) : "nothing");
			cJSON_ArrayForEach(d, shape) {
				int64_t v;
				char pd[TFIT_ERROR_PATH_MAX + 16];
				snprintf(pd, sizeof(pd), "%s[%zu]", ps, di++);
				if (tfit_json_item_int(d, k->rd.file, pd, 0, DIM_MAX, &v, k->rd.err) != TFIT_OK)
					return k->rd.err->code;
				if (tfit_mul_u64(n, (uint64_t)v, &n) != TFIT_OK)
					return tfit_keras_fail_at(k, ps, "weight size overflows 64 bits");
			}
			if (tfit_acc_u64(&total, n) != TFIT_OK || total > (uint64_t)INT64_MAX)
				return tfit_keras_fail_at(k, "weightsManifest", "weight count overflows 64 bits");
		}
		gi++;
	}
	k->rd.manifest = m;
	k->rd.out->has_declared_params = 1;
	k->rd.out->declared_params = (int64_t)total;
	return TFIT_OK;
}

static int channels_first_layer(const cJSON *layer)
{
	return find_channels_first(layer, 0);
}

static enum tfit_status instantiate_top(struct kr *k, struct scope *top)
{
	if (k->doc)
		return tfit_keras_stream(k, top, channels_first_layer);
	return tfit_keras_instantiate(k, top);
}

static enum tfit_status read_model(struct kr *k, const cJSON *model, const char *path)
{
	const char *cls = tfit_keras_class_of(model);
	struct scope *top;
	enum tfit_status rc;
	char p[TFIT_ERROR_PATH_MAX];

	snprintf(p, sizeof(p), "%.200s%sclass_name", path, *path ? "." : "");
	if (!cls)
		return tfit_keras_fail_at(k, p, "missing class_name (expected \"Sequential\", \"Functional\" or \"Model\")");
	if (!tfit_keras_is_model_class(cls)) {
		const char *reg = tfit_keras_str(model, "registered_name");
		return tfit_keras_fail_at(k, p, "model class '%s'%s%s%s is not a Sequential or Functional model: a custom "
			       "model class stores only its constructor arguments, not its layers, so tinyfit "
			       "cannot count it (expected \"Sequential\", \"Functional\" or \"Model\"; export the "
			       "model's layer graph, e.g. a Functional model, instead)",
			       cls, reg ? " (registered as '" : "", reg ? reg : "", reg ? "')" : "");
	}
	if (k->doc)
		rc = tfit_keras_scope_open(k, model, path, "", "", 0, 0, &top);
	else
		rc = tfit_keras_scope_new(k, model, path, "", "", 0, 0, &top);
	if (rc != TFIT_OK)
		return rc;
	top->top = 1;
	if (tfit_strdup_to(&k->rd.out->name, top->model_name) != TFIT_OK)
		return tfit_keras_oom(k);
	if (top->sequential) {
		struct top_input ti;
		const char *name = NULL;
		const cJSON *icfg = NULL;
		char lp[TFIT_ERROR_PATH_MAX];
		memset(&ti, 0, sizeof(ti));
		rc = seq_input(k, top->layers, top->config, top->path, 0, &ti, &name, &icfg);
		if (rc != TFIT_OK)
			return rc;
		tfit_keras_item_path(lp, sizeof(lp), top->path, 0, NULL);
		if ((rc = tfit_keras_add_input(k, name, ti.path[0] ? icfg : NULL, &ti, lp)) != TFIT_OK)
			return rc;
		top->inputs = calloc(1, sizeof(char *));
		if (!top->inputs || !(top->inputs[0] = tfit_keras_pool_fmt(k, "%s", name)))
			return tfit_keras_oom(k);
		top->n_inputs = 1;
		if ((rc = instantiate_top(k, top)) != TFIT_OK)
			return rc;
		k->rd.out->outputs = calloc(1, sizeof(char *));
		if (!k->rd.out->outputs ||
		    tfit_strdup_to(&k->rd.out->outputs[0], top->seq_out[top->n_layers - 1]) != TFIT_OK)
			return tfit_keras_oom(k);
		k->rd.out->n_outputs = 1;
	} else {
		struct refs rs = { NULL, 0, 0 };
		size_t i;
		if ((rc = instantiate_top(k, top)) != TFIT_OK)
			return rc;
		rc = tfit_keras_io_refs(k, top, "output_layers", &rs);
		if (rc == TFIT_OK) {
			k->rd.out->outputs = calloc(rs.n ? rs.n : 1, sizeof(char *));
			if (!k->rd.out->outputs)
				rc = tfit_keras_oom(k);
		}
		for (i = 0; rc == TFIT_OK && i < rs.n; i++) {
			const char *nm;
			char op[TFIT_ERROR_PATH_MAX];
			snprintf(op, sizeof(op), "%.*s.output_layers[%zu]",
				 (int)(strlen(top->path) - strlen(".layers")), top->path, i);
			rc = tfit_keras_resolve(k, top, &rs.v[i], op, &nm);
			if (rc == TFIT_OK && tfit_strdup_to(&k->rd.out->outputs[i], nm) != TFIT_OK)
				rc = tfit_keras_oom(k);
			if (rc == TFIT_OK)
				k->rd.out->n_outputs++;
		}
		free(rs.v);
		if (rc != TFIT_OK)
			return rc;
		if (k->n_ins == 0)
			return tfit_keras_fail_at(k, top->path, "the model has no InputLayer (expected one per model input)");
	}
	return finish_inputs(k);
}

/* JSON values in the tree (depth is bounded by the parser). */
static size_t count_values(const cJSON *v)
{
	size_t n = 1;
	const cJSON *c;
	for (c = v ? v->child : NULL; c; c = c->next)
		n += count_values(c);
	return n;
}

/* doc: the document of root when its lazy array is the top model's
 * layers (streamed), else NULL. */
static enum tfit_status from_tree(const cJSON *root, struct tfit_json_doc *doc, const char *file,
				  const struct tfit_load_opts *o,
				  struct tfit_layer_list *out, struct tfit_error *err)
{
	struct kr k;
	const cJSON *model = root;
	const char *path = "";
	enum tfit_status rc;
	size_t i;

	memset(&k, 0, sizeof(k));
	k.rd.file = file;
	k.rd.err = err;
	k.rd.opts = o;
	k.rd.out = out;
	k.rd.skip_unknown = o && o->skip_unknown;
	/* expansion budget: nested models applied many times multiply their
	 * layers (an 8 KB file could expand to 131,072 layers); a layer per 4
	 * JSON values of the file keeps memory a small multiple of the file */
	k.doc = doc;
	k.rd.max_layers = (doc ? tfit_json_count_values(doc->text, doc->len) : count_values(root)) /
			  KERAS_VALUES_PER_LAYER;
	if (k.rd.max_layers < KERAS_MIN_LAYERS)
		k.rd.max_layers = KERAS_MIN_LAYERS;
	if (k.rd.max_layers > KERAS_MAX_LAYERS)
		k.rd.max_layers = KERAS_MAX_LAYERS;
	tfit_jpath_init(&k.rd.path);
	tfit_layer_list_init(out);
	out->dtype = o && o->dtype != TFIT_DTYPE_UNKNOWN ? o->dtype : TFIT_DTYPE_FLOAT32;

	if (!cJSON_IsObject(root)) {
		rc = tfit_keras_fail_at(&k, NULL, "expected a Keras model object, got %s", tfit_json_type_name(root));
		goto out;
	}
	if (cJSON_GetObjectItemCaseSensitive(root, "modelTopology")) {
		/* TF.js: {"modelTopology": <model> or {"model_config": <model>,
		 * "training_config": ...}, "weightsManifest": [...]} */
		model = cJSON_GetObjectItemCaseSensitive(root, "modelTopology");
		path = "modelTopology";
		if (!cJSON_IsObject(model)) {
			rc = tfit_keras_fail_at(&k, path, "expected an object, got %s", tfit_json_type_name(model));
			goto out;
		}
		if (cJSON_GetObjectItemCaseSensitive(model, "node")) {
			rc = tfit_keras_fail_at(&k, path, "this is a TF.js graph model (a TensorFlow GraphDef), not a "
				     "layers model; tinyfit reads TF.js layers models (tensorflowjs_converter "
				     "--output_format tfjs_layers_model) or the Keras model itself");
			goto out;
		}
		if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(model, "model_config"))) {
			model = cJSON_GetObjectItemCaseSensitive(model, "model_config");
			path = "modelTopology.model_config";
		}
		if ((rc = read_manifest(&k, root)) != TFIT_OK)
			goto out;
	}
	if (find_channels_first(model, 0)) {
		k.rd.channels_first = 1;
		if (tfit_layer_list_warn(out, "the model is channels_first; tinyfit reads it in TFLite's "
					 "channels_last order (shapes HxWxC; the TRANSPOSE ops a converter "
					 "adds around channels_first layers are not counted)") != 0) {
			rc = tfit_keras_oom(&k);
			goto out;
		}
	}
	rc = read_model(&k, model, path);
out:
	tfit_pool_free(&k.strs);
	for (i = 0; i < k.n_scopes; i++)
		tfit_keras_scope_free(k.scopes[i]);
	free(k.scopes);
	free(k.ins);
	for (i = 0; i < k.n_kept; i++)
		cJSON_Delete(k.kept[i]);
	free(k.kept);
	return rc;
}

enum tfit_status tfit_keras_from_json(const cJSON *root, const char *file,
				      const struct tfit_load_opts *o,
				      struct tfit_layer_list *out, struct tfit_error *err)
{
	return from_tree(root, NULL, file, o, out, err);
}

enum tfit_status tfit_keras_from_doc(struct tfit_json_doc *doc, const char *file,
				     const struct tfit_load_opts *o,
				     struct tfit_layer_list *out, struct tfit_error *err)
{
	return from_tree(doc->root, doc->lazy ? doc : NULL, file, o, out, err);
}

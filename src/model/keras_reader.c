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
#include "keras_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "util/strmap.h"

#define DIM_MAX ((int64_t)1 << 40)
/* Reference chains resolved recursively (a nested model's input is another
 * nested model's output...); a longer chain is a limit error. */
#define KERAS_MAX_RESOLVE_DEPTH 512

struct scope;

struct child {
	size_t layer;
	int64_t node;
	struct scope *s;
};

/* One application of a model: the top model, or a nested model call. */
struct scope {
	const cJSON *config;          /* Functional: the config object */
	const cJSON *layers;          /* the layer objects */
	int sequential;
	const char *model_name;
	char *prefix, *canon;         /* "outer/model@1/" and "outer/model/" */
	int shared;                   /* applied more than once (or an ancestor is) */
	char **inputs;                /* tinyfit names bound to its inputs (NULL at the top) */
	size_t n_inputs;
	int top, depth;
	char path[TFIT_ERROR_PATH_MAX]; /* JSON path of its layer list */
	struct tfit_strmap names;     /* Keras layer name -> index in layers */
	const char **lnames;          /* each layer's name (a Sequential's may be made up) */
	struct child *children;
	size_t n_children;
	char **seq_out;               /* Sequential: output name after each layer */
	int planned;
};

/* A top-level input whose shape the options may complete. */
struct top_input {
	size_t layer;                 /* index in the list */
	int32_t rank;
	int64_t dims[TFIT_MAX_RANK];  /* -1 = null */
	char path[TFIT_ERROR_PATH_MAX];
	char shape_text[128];
};

struct kr {
	struct keras_rd rd;
	char **pool;                  /* strings freed at the end */
	size_t n_pool, cap_pool;
	struct scope **scopes;
	size_t n_scopes, cap_scopes;
	struct top_input *ins;
	size_t n_ins;
	int resolve_depth;
};

struct ref {
	const char *name;
	int64_t node, tensor;
};

static enum tfit_status nomem(struct kr *k)
{
	return tfit_error_set(k->rd.err, TFIT_ERR_NOMEM, k->rd.file, NULL, "out of memory");
}

static enum tfit_status fail_at(struct kr *k, const char *path, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
;

static enum tfit_status fail_at(struct kr *k, const char *path, const char *fmt, ...)
{
	char msg[TFIT_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tfit_error_set(k->rd.err, TFIT_ERR_INPUT, k->rd.file, path, "%s", msg);
}

/* A pooled copy of a formatted string; NULL on OOM. */
static char *pool_fmt(struct kr *k, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
;

static char *pool_fmt(struct kr *k, const char *fmt, ...)
{
	char buf[1024];
	char *s;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (k->n_pool == k->cap_pool) {
		size_t cap = k->cap_pool ? k->cap_pool * 2 : 64;
		char **p = realloc(k->pool, cap * sizeof(*p));
		if (!p)
			return NULL;
		k->pool = p;
		k->cap_pool = cap;
	}
	s = malloc(strlen(buf) + 1);
	if (!s)
		return NULL;
	memcpy(s, buf, strlen(buf) + 1);
	k->pool[k->n_pool++] = s;
	return s;
}

static const char *str_item(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static const char *layer_class(const cJSON *l)
{
	return str_item(l, "class_name");
}

/* Keras 2 Functional layers carry "name" beside "config"; Sequential ones
 * (and Keras 3) only config.name. */
static const char *layer_name(const cJSON *l)
{
	const char *n = str_item(l, "name");
	return n ? n : str_item(cJSON_GetObjectItemCaseSensitive(l, "config"), "name");
}

static const cJSON *inbound_nodes(const cJSON *l)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(l, "inbound_nodes");
	return cJSON_IsArray(n) ? n : NULL;
}

static void item_path(char *out, size_t size, const char *base, size_t i, const char *key)
{
	snprintf(out, size, "%.200s[%zu]%s%.40s", base, i, key ? "." : "", key ? key : "");
}

/* ---- scopes ---- */

static void scope_free(struct scope *s)
{
	if (!s)
		return;
	tfit_strmap_release(&s->names);
	free(s->children);
	free(s->inputs);
	free(s->seq_out);
	free(s->lnames);
	free(s);
}

/* model: the model object; path: its JSON path. Builds the name map. */
static enum tfit_status scope_new(struct kr *k, const cJSON *model, const char *path,
				  const char *prefix, const char *canon, int shared, int depth,
				  struct scope **out)
{
	struct scope *s;
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(model, "config"), *l;
	const char *cls = layer_class(model);
	size_t i = 0;
	struct scope **sp;

	*out = NULL;
	if (depth > KERAS_MAX_NESTING)
		return tfit_error_set(k->rd.err, TFIT_ERR_LIMIT, k->rd.file, path,
				      "models nested more than %d deep", KERAS_MAX_NESTING);
	if (k->n_scopes == k->cap_scopes) {
		size_t cap = k->cap_scopes ? k->cap_scopes * 2 : 16;
		sp = realloc(k->scopes, cap * sizeof(*sp));
		if (!sp)
			return nomem(k);
		k->scopes = sp;
		k->cap_scopes = cap;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return nomem(k);
	k->scopes[k->n_scopes++] = s;
	tfit_strmap_init(&s->names);
	s->sequential = cls && strcmp(cls, "Sequential") == 0;
	s->depth = depth;
	s->shared = shared;
	s->prefix = pool_fmt(k, "%s", prefix);
	s->canon = pool_fmt(k, "%s", canon);
	if (!s->prefix || !s->canon)
		return nomem(k);
	if (s->sequential && cJSON_IsArray(cfg)) {
		/* tfjs-layers and Keras 2.0-2.2 wrote a Sequential's config as
		 * the bare layer list */
		s->layers = cfg;
		snprintf(s->path, sizeof(s->path), "%.200s%sconfig", path, *path ? "." : "");
	} else if (cJSON_IsObject(cfg)) {
		s->config = cfg;
		s->layers = cJSON_GetObjectItemCaseSensitive(cfg, "layers");
		s->model_name = str_item(cfg, "name");
		snprintf(s->path, sizeof(s->path), "%.200s%sconfig.layers", path, *path ? "." : "");
	} else {
		char p[TFIT_ERROR_PATH_MAX];
		snprintf(p, sizeof(p), "%.200s%sconfig", path, *path ? "." : "");
		return fail_at(k, p, "expected the model's config (an object with \"layers\"%s), got %s",
			       s->sequential ? " or a list of layers" : "",
			       cfg ? tfit_json_type_name(cfg) : "nothing");
	}
	if (!s->model_name)
		s->model_name = layer_name(model) ? layer_name(model) : "model";
	if (!cJSON_IsArray(s->layers))
		return fail_at(k, s->path, "expected a list of layers, got %s",
			       s->layers ? tfit_json_type_name(s->layers) : "nothing");
	if (cJSON_GetArraySize(s->layers) == 0)
		return fail_at(k, s->path, "model '%s' has no layers (expected at least one)", s->model_name);
	s->lnames = calloc((size_t)cJSON_GetArraySize(s->layers), sizeof(char *));
	if (!s->lnames)
		return nomem(k);
	cJSON_ArrayForEach(l, s->layers) {
		const char *name = layer_name(l);
		char p[TFIT_ERROR_PATH_MAX];
		size_t prev;
		item_path(p, sizeof(p), s->path, i, NULL);
		if (!cJSON_IsObject(l) || !layer_class(l))
			return fail_at(k, p, "expected a layer {\"class_name\": ..., \"config\": {...}}");
		if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(l, "config")) &&
		    !(strcmp(layer_class(l), "Sequential") == 0 &&
		      cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(l, "config"))))
			return fail_at(k, p, "layer of class '%s' has no config object", layer_class(l));
		if ((!name || !*name) && s->sequential && keras_is_model_class(layer_class(l))) {
			/* Keras 2.0-2.2 wrote a nested Sequential as a bare list:
			 * no name; nothing refers to it by name either */
			name = pool_fmt(k, "sequential_%zu", i);
			if (!name)
				return nomem(k);
		}
		if (!name || !*name) {
			item_path(p, sizeof(p), s->path, i, "config.name");
			return fail_at(k, p, "missing layer name (expected a non-empty string)");
		}
		s->lnames[i] = name;
		if (tfit_strmap_get(&s->names, name, &prev)) {
			item_path(p, sizeof(p), s->path, i, "config.name");
			return fail_at(k, p, "duplicate layer name '%s' in model '%s' (also layer %zu)", name,
				       s->model_name, prev);
		}
		if (tfit_strmap_put(&s->names, name, i) != 0)
			return nomem(k);
		i++;
	}
	*out = s;
	return TFIT_OK;
}

static enum tfit_status resolve(struct kr *k, struct scope *s, const struct ref *r,
				const char *where, const char **out);
static enum tfit_status scope_output(struct kr *k, struct scope *c, int64_t t, const char *where,
				     const char **out);
static enum tfit_status seq_plan(struct kr *k, struct scope *s);

/* ---- inbound nodes ---- */

struct refs {
	struct ref *v;
	size_t n, cap;
};

static enum tfit_status refs_push(struct kr *k, struct refs *rs, const char *name, int64_t node,
				  int64_t tensor)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 8;
		struct ref *p = realloc(rs->v, cap * sizeof(*p));
		if (!p)
			return nomem(k);
		rs->v = p;
		rs->cap = cap;
	}
	rs->v[rs->n].name = name;
	rs->v[rs->n].node = node;
	rs->v[rs->n].tensor = tensor;
	rs->n++;
	return TFIT_OK;
}

/* [name, node_index, tensor_index(, kwargs)] */
static enum tfit_status read_ref(struct kr *k, const cJSON *a, const char *path, struct refs *rs)
{
	const cJSON *n = cJSON_GetArrayItem(a, 0);
	int64_t node = 0, tensor = 0;
	char p[TFIT_ERROR_PATH_MAX + 8];
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) < 3 || !cJSON_IsString(n))
		return fail_at(k, path, "expected a tensor reference [layer_name, node_index, tensor_index], got %s",
			       tfit_json_type_name(a));
	snprintf(p, sizeof(p), "%s[1]", path);
	if (tfit_json_item_int(cJSON_GetArrayItem(a, 1), k->rd.file, p, 0, 1 << 20, &node, k->rd.err) != TFIT_OK)
		return k->rd.err->code;
	snprintf(p, sizeof(p), "%s[2]", path);
	if (tfit_json_item_int(cJSON_GetArrayItem(a, 2), k->rd.file, p, 0, 1 << 20, &tensor, k->rd.err) != TFIT_OK)
		return k->rd.err->code;
	return refs_push(k, rs, n->valuestring, node, tensor);
}

/* Keras 3: every __keras_tensor__ in args, depth first (merge layers take a
 * list argument). */
static enum tfit_status keras3_args(struct kr *k, const cJSON *v, const char *path, struct refs *rs)
{
	const cJSON *e;
	size_t i = 0;
	char p[TFIT_ERROR_PATH_MAX];
	if (cJSON_IsObject(v)) {
		const char *cls = str_item(v, "class_name");
		if (cls && strcmp(cls, "__keras_tensor__") == 0) {
			const cJSON *h = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(v, "config"), "keras_history");
			snprintf(p, sizeof(p), "%.200s.config.keras_history", path);
			return read_ref(k, h, p, rs);
		}
		return TFIT_OK; /* a plain argument (a dict of options) */
	}
	if (!cJSON_IsArray(v))
		return TFIT_OK; /* numbers, strings, null: non-tensor arguments */
	cJSON_ArrayForEach(e, v) {
		enum tfit_status rc;
		item_path(p, sizeof(p), path, i++, NULL);
		if ((rc = keras3_args(k, e, p, rs)) != TFIT_OK)
			return rc;
	}
	return TFIT_OK;
}

/* The tensors node i of layer l takes. */
static enum tfit_status node_refs(struct kr *k, const cJSON *l, int64_t i, const char *lpath,
				  struct refs *rs)
{
	const cJSON *nodes = inbound_nodes(l), *node, *e;
	char p[TFIT_ERROR_PATH_MAX];
	size_t j = 0;
	rs->n = 0;
	node = nodes ? cJSON_GetArrayItem(nodes, (int)i) : NULL;
	snprintf(p, sizeof(p), "%.200s.inbound_nodes[%lld]", lpath, (long long)i);
	if (!node)
		return fail_at(k, p, "missing inbound node %lld of layer '%s'", (long long)i, layer_name(l));
	if (cJSON_IsObject(node)) {
		char pa[TFIT_ERROR_PATH_MAX];
		snprintf(pa, sizeof(pa), "%.200s.args", p);
		return keras3_args(k, cJSON_GetObjectItemCaseSensitive(node, "args"), pa, rs);
	}
	if (!cJSON_IsArray(node))
		return fail_at(k, p, "expected a list of tensor references or {\"args\": [...], \"kwargs\": {...}}, got %s",
			       tfit_json_type_name(node));
	cJSON_ArrayForEach(e, node) {
		char pe[TFIT_ERROR_PATH_MAX];
		enum tfit_status rc;
		item_path(pe, sizeof(pe), p, j++, NULL);
		if ((rc = read_ref(k, e, pe, rs)) != TFIT_OK)
			return rc;
	}
	return TFIT_OK;
}

/* ---- nested models ---- */

static enum tfit_status get_child(struct kr *k, struct scope *s, size_t idx, int64_t node,
				  char **bound, size_t n_bound, struct scope **out)
{
	const cJSON *l = cJSON_GetArrayItem(s->layers, (int)idx);
	const char *name = s->lnames[idx];
	const cJSON *nodes = inbound_nodes(l);
	char lpath[TFIT_ERROR_PATH_MAX], *prefix, *canon;
	struct scope *c;
	struct child *ch;
	struct refs rs = { NULL, 0, 0 };
	enum tfit_status rc;
	size_t i;
	int many = nodes && cJSON_GetArraySize(nodes) > 1;

	for (i = 0; i < s->n_children; i++) {
		if (s->children[i].layer == idx && s->children[i].node == node) {
			*out = s->children[i].s;
			return TFIT_OK;
		}
	}
	item_path(lpath, sizeof(lpath), s->path, idx, NULL);
	if (node > 0)
		prefix = pool_fmt(k, "%s%s@%lld/", s->prefix, name, (long long)node);
	else
		prefix = pool_fmt(k, "%s%s/", s->prefix, name);
	canon = pool_fmt(k, "%s%s/", s->canon, name);
	if (!prefix || !canon)
		return nomem(k);
	rc = scope_new(k, l, lpath, prefix, canon, s->shared || many, s->depth + 1, &c);
	if (rc != TFIT_OK)
		return rc;
	ch = realloc(s->children, (s->n_children + 1) * sizeof(*ch));
	if (!ch)
		return nomem(k);
	s->children = ch;
	ch[s->n_children].layer = idx;
	ch[s->n_children].node = node;
	ch[s->n_children].s = c;
	s->n_children++;
	if (!bound) {
		/* a Functional parent: the call's tensors, resolved in s */
		rc = node_refs(k, l, node, lpath, &rs);
		if (rc == TFIT_OK) {
			c->inputs = calloc(rs.n ? rs.n : 1, sizeof(char *));
			if (!c->inputs)
				rc = nomem(k);
		}
		for (i = 0; rc == TFIT_OK && i < rs.n; i++) {
			const char *nm;
			char p[TFIT_ERROR_PATH_MAX];
			snprintf(p, sizeof(p), "%.200s.inbound_nodes[%lld]", lpath, (long long)node);
			rc = resolve(k, s, &rs.v[i], p, &nm);
			c->inputs[i] = (char *)nm;
		}
		c->n_inputs = rc == TFIT_OK ? rs.n : 0;
		free(rs.v);
		if (rc != TFIT_OK)
			return rc;
	} else {
		c->inputs = calloc(n_bound ? n_bound : 1, sizeof(char *));
		if (!c->inputs)
			return nomem(k);
		memcpy(c->inputs, bound, n_bound * sizeof(char *));
		c->n_inputs = n_bound;
	}
	/* the call must give the model as many tensors as it has inputs */
	{
		size_t want = 1;
		if (!c->sequential) {
			const cJSON *il = cJSON_GetObjectItemCaseSensitive(c->config, "input_layers");
			want = cJSON_IsArray(il) && cJSON_IsString(cJSON_GetArrayItem(il, 0)) ? 1 :
			       (size_t)cJSON_GetArraySize(il);
		}
		if (c->n_inputs != want)
			return fail_at(k, lpath, "nested model '%s' has %zu input%s, but it is called on %zu tensor%s",
				       name, want, want == 1 ? "" : "s", c->n_inputs, c->n_inputs == 1 ? "" : "s");
	}
	*out = c;
	return TFIT_OK;
}

/* The list of [name, node, tensor] in input_layers/output_layers (Keras 3
 * writes a single one flat). */
static enum tfit_status io_refs(struct kr *k, struct scope *s, const char *key, struct refs *rs)
{
	const cJSON *il = cJSON_GetObjectItemCaseSensitive(s->config, key), *e;
	char p[TFIT_ERROR_PATH_MAX];
	size_t i = 0;
	snprintf(p, sizeof(p), "%.*s.%s", (int)(strlen(s->path) - strlen(".layers")), s->path, key);
	rs->n = 0;
	if (!cJSON_IsArray(il) || cJSON_GetArraySize(il) == 0)
		return fail_at(k, p, "missing %s (expected a list of [layer_name, node_index, tensor_index])", key);
	if (cJSON_IsString(cJSON_GetArrayItem(il, 0)))
		return read_ref(k, il, p, rs);
	cJSON_ArrayForEach(e, il) {
		char pe[TFIT_ERROR_PATH_MAX];
		enum tfit_status rc;
		item_path(pe, sizeof(pe), p, i++, NULL);
		if ((rc = read_ref(k, e, pe, rs)) != TFIT_OK)
			return rc;
	}
	return TFIT_OK;
}

/* Output t of a model application. */
static enum tfit_status scope_output(struct kr *k, struct scope *c, int64_t t, const char *where,
				     const char **out)
{
	struct refs rs = { NULL, 0, 0 };
	enum tfit_status rc;
	if (c->sequential) {
		if (t != 0)
			return fail_at(k, where, "Sequential model '%s' has one output, not output %lld",
				       c->model_name, (long long)t);
		if ((rc = seq_plan(k, c)) != TFIT_OK)
			return rc;
		*out = c->seq_out[cJSON_GetArraySize(c->layers) - 1];
		return TFIT_OK;
	}
	rc = io_refs(k, c, "output_layers", &rs);
	if (rc == TFIT_OK && (t < 0 || (size_t)t >= rs.n))
		rc = fail_at(k, where, "model '%s' has %zu output%s, not output %lld", c->model_name, rs.n,
			     rs.n == 1 ? "" : "s", (long long)t);
	if (rc == TFIT_OK)
		rc = resolve(k, c, &rs.v[t], where, out);
	free(rs.v);
	return rc;
}

/* ---- name resolution ---- */

static enum tfit_status resolve_in(struct kr *k, struct scope *s, const struct ref *r,
				   const char *where, const char **out)
{
	size_t idx, i;
	const cJSON *l;
	const char *cls;
	const cJSON *nodes;
	int64_t n_nodes;

	if (!tfit_strmap_get(&s->names, r->name, &idx))
		return fail_at(k, where, "unknown layer '%s' (expected the name of a layer in model '%s')",
			       r->name, s->model_name);
	l = cJSON_GetArrayItem(s->layers, (int)idx);
	cls = layer_class(l);
	if (strcmp(cls, "InputLayer") == 0) {
		struct refs rs = { NULL, 0, 0 };
		enum tfit_status rc;
		if (r->node != 0 || r->tensor != 0)
			return fail_at(k, where, "input layer '%s' has one output, node 0 tensor 0, not "
				       "node %lld tensor %lld", r->name, (long long)r->node, (long long)r->tensor);
		if (s->top) {
			*out = r->name;
			return TFIT_OK;
		}
		if (s->sequential) {
			*out = s->inputs[0];
			return TFIT_OK;
		}
		rc = io_refs(k, s, "input_layers", &rs);
		for (i = 0; rc == TFIT_OK && i < rs.n; i++) {
			if (strcmp(rs.v[i].name, r->name) == 0 && i < s->n_inputs) {
				*out = s->inputs[i];
				free(rs.v);
				return TFIT_OK;
			}
		}
		free(rs.v);
		if (rc != TFIT_OK)
			return rc;
		return fail_at(k, where, "input layer '%s' is not one of model '%s''s input_layers", r->name,
			       s->model_name);
	}
	nodes = inbound_nodes(l);
	n_nodes = nodes ? cJSON_GetArraySize(nodes) : 0;
	if (r->node >= n_nodes)
		return fail_at(k, where, "layer '%s' has %lld inbound node%s, not node %lld", r->name,
			       (long long)n_nodes, n_nodes == 1 ? "" : "s", (long long)r->node);
	if (keras_is_model_class(cls)) {
		struct scope *c;
		enum tfit_status rc = get_child(k, s, idx, r->node, NULL, 0, &c);
		if (rc != TFIT_OK)
			return rc;
		return scope_output(k, c, r->tensor, where, out);
	}
	if (r->tensor > 0 && !keras_takes_states(cls))
		return fail_at(k, where, "layer '%s' (%s) has one output, not output %lld", r->name, cls,
			       (long long)r->tensor);
	/* return_state: the states are [1, units] like the last output; tinyfit
	 * stands the layer's output in for them (docs/keras.md) */
	if (r->node > 0)
		*out = pool_fmt(k, "%s%s@%lld", s->prefix, r->name, (long long)r->node);
	else
		*out = pool_fmt(k, "%s%s", s->prefix, r->name);
	return *out ? TFIT_OK : nomem(k);
}

static enum tfit_status resolve(struct kr *k, struct scope *s, const struct ref *r,
				const char *where, const char **out)
{
	enum tfit_status rc;
	if (++k->resolve_depth > KERAS_MAX_RESOLVE_DEPTH) {
		k->resolve_depth--;
		return tfit_error_set(k->rd.err, TFIT_ERR_LIMIT, k->rd.file, where,
				      "tensor references chain through more than %d nested models",
				      KERAS_MAX_RESOLVE_DEPTH);
	}
	rc = resolve_in(k, s, r, where, out);
	k->resolve_depth--;
	return rc;
}

/* ---- input shapes ---- */

static enum tfit_dtype input_dtype(const cJSON *cfg)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(cfg, "dtype");
	const char *s = NULL;
	if (cJSON_IsString(d))
		s = d->valuestring;
	else if (cJSON_IsObject(d)) /* Keras 3 DTypePolicy */
		s = str_item(cJSON_GetObjectItemCaseSensitive(d, "config"), "name");
	/* integer inputs (token ids for Embedding) deploy as int32 */
	if (s && (strncmp(s, "int", 3) == 0 || strncmp(s, "uint", 4) == 0))
		return TFIT_DTYPE_INT32;
	return TFIT_DTYPE_UNKNOWN;
}

/* batch_input_shape (Keras 2, TF.js) or batch_shape (Keras 3) in cfg;
 * *found = 0 when neither is there. */
static enum tfit_status read_batch_shape(struct kr *k, const cJSON *cfg, const char *cfg_path,
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
		return fail_at(k, ti->path, "expected a shape [null, d1, ...] of 1 to %d entries, got %s",
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
static enum tfit_status add_input(struct kr *k, const char *name, const cJSON *cfg, const struct top_input *ti,
				  const char *layer_path)
{
	struct tfit_layer *L;
	struct top_input *p;
	if (k->rd.out->n_layers >= KERAS_MAX_LAYERS)
		return tfit_error_set(k->rd.err, TFIT_ERR_LIMIT, k->rd.file, layer_path,
				      "the model expands to more than %d layers", KERAS_MAX_LAYERS);
	p = realloc(k->ins, (k->n_ins + 1) * sizeof(*p));
	if (!p)
		return nomem(k);
	k->ins = p;
	p[k->n_ins] = *ti;
	p[k->n_ins].layer = k->rd.out->n_layers;
	k->n_ins++;
	L = tfit_layer_list_add(k->rd.out, TFIT_LAYER_INPUT);
	if (!L || tfit_strdup_to(&L->name, name) != 0 || tfit_strdup_to(&L->path, layer_path) != 0 ||
	    tfit_strdup_to(&L->class_name, "InputLayer") != 0)
		return nomem(k);
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
		struct tfit_layer *L = &k->rd.out->layers[ti->layer];
		if (o && o->has_input_shape) {
			int unknown = 0;
			for (d = 0; d < ti->rank; d++)
				unknown |= ti->dims[d] < 0;
			if (ti->rank >= 0 && ti->path[0] && ti->rank != o->input_rank && (k->n_ins == 1 || unknown))
				return fail_at(k, ti->path, "--input-shape gives %d dimension%s, but input '%s' has %d "
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
			return fail_at(k, "config", "the model does not say its input shape (no InputLayer, "
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
				return fail_at(k, ti->path, "input '%s' has shape %s with an unknown size (null) "
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

/* ---- the walk ---- */

static enum tfit_status add_app(struct kr *k, struct scope *s, size_t idx, int64_t node,
				char **inputs, size_t n_inputs)
{
	const cJSON *l = cJSON_GetArrayItem(s->layers, (int)idx);
	const char *name = s->lnames[idx];
	const cJSON *nodes = inbound_nodes(l);
	struct keras_app a;
	size_t saved;
	enum tfit_status rc;
	char *app, *canon;

	if (node > 0)
		app = pool_fmt(k, "%s%s@%lld", s->prefix, name, (long long)node);
	else
		app = pool_fmt(k, "%s%s", s->prefix, name);
	canon = pool_fmt(k, "%s%s", s->canon, name);
	if (!app || !canon)
		return nomem(k);
	a.class_name = layer_class(l);
	a.config = cJSON_GetObjectItemCaseSensitive(l, "config");
	a.keras_name = name;
	a.name = app;
	a.canon = canon;
	a.shared = s->shared || (nodes && cJSON_GetArraySize(nodes) > 1);
	a.inputs = inputs;
	a.n_inputs = n_inputs;
	if (n_inputs == 0) {
		char p[TFIT_ERROR_PATH_MAX];
		item_path(p, sizeof(p), s->path, idx, NULL);
		return fail_at(k, p, "layer '%s' (%s) is called on no tensors", name, a.class_name);
	}
	tfit_jpath_init(&k->rd.path);
	{
		char p[TFIT_ERROR_PATH_MAX];
		item_path(p, sizeof(p), s->path, idx, NULL);
		saved = tfit_jpath_key(&k->rd.path, p);
	}
	rc = keras_add_layer(&k->rd, &a);
	tfit_jpath_restore(&k->rd.path, saved);
	return rc;
}

/* Sequential: each layer takes the previous one's output. Computes the
 * output names (seq_out) and the nested models' scopes, once. */
static enum tfit_status seq_plan(struct kr *k, struct scope *s)
{
	size_t i, n = (size_t)cJSON_GetArraySize(s->layers);
	const char *prev = s->n_inputs ? s->inputs[0] : NULL;
	if (s->planned)
		return TFIT_OK;
	s->seq_out = calloc(n, sizeof(char *));
	if (!s->seq_out)
		return nomem(k);
	for (i = 0; i < n; i++) {
		const cJSON *l = cJSON_GetArrayItem(s->layers, (int)i);
		const char *cls = layer_class(l), *name = s->lnames[i];
		if (strcmp(cls, "InputLayer") == 0) {
			if (s->top)
				prev = name;
		} else if (keras_is_model_class(cls)) {
			struct scope *c;
			char *in[1];
			enum tfit_status rc;
			char where[TFIT_ERROR_PATH_MAX];
			item_path(where, sizeof(where), s->path, i, NULL);
			if (!prev)
				return fail_at(k, where, "nested model '%s' has no input", name);
			in[0] = (char *)prev;
			if ((rc = get_child(k, s, i, 0, in, 1, &c)) != TFIT_OK ||
			    (rc = scope_output(k, c, 0, where, &prev)) != TFIT_OK)
				return rc;
		} else {
			if (!(prev = pool_fmt(k, "%s%s", s->prefix, name)))
				return nomem(k);
		}
		s->seq_out[i] = (char *)prev;
	}
	if (!prev)
		return fail_at(k, s->path, "model '%s' has no layers besides its input", s->model_name);
	s->planned = 1;
	return TFIT_OK;
}

static enum tfit_status instantiate(struct kr *k, struct scope *s);

static enum tfit_status instantiate_seq(struct kr *k, struct scope *s)
{
	size_t i, n = (size_t)cJSON_GetArraySize(s->layers);
	enum tfit_status rc = seq_plan(k, s);
	char *prev = s->n_inputs ? s->inputs[0] : NULL;
	for (i = 0; rc == TFIT_OK && i < n; i++) {
		const cJSON *l = cJSON_GetArrayItem(s->layers, (int)i);
		const char *cls = layer_class(l);
		if (strcmp(cls, "InputLayer") != 0 && !prev) {
			char p[TFIT_ERROR_PATH_MAX];
			item_path(p, sizeof(p), s->path, i, NULL);
			return fail_at(k, p, "layer '%s' has no input", s->lnames[i]);
		}
		if (strcmp(cls, "InputLayer") == 0) {
			/* the top one was added by read_top_sequential */
		} else if (keras_is_model_class(cls)) {
			struct scope *c;
			if ((rc = get_child(k, s, i, 0, &prev, 1, &c)) == TFIT_OK)
				rc = instantiate(k, c);
		} else {
			rc = add_app(k, s, i, 0, &prev, 1);
		}
		prev = s->seq_out[i];
	}
	return rc;
}

static enum tfit_status instantiate_functional(struct kr *k, struct scope *s)
{
	size_t i = 0;
	const cJSON *l;
	struct refs rs = { NULL, 0, 0 };
	char **names = NULL;
	enum tfit_status rc = TFIT_OK;

	cJSON_ArrayForEach(l, s->layers) {
		const char *cls = layer_class(l);
		const cJSON *nodes = inbound_nodes(l);
		int64_t n_nodes = nodes ? cJSON_GetArraySize(nodes) : 0, node;
		char lpath[TFIT_ERROR_PATH_MAX];
		item_path(lpath, sizeof(lpath), s->path, i, NULL);
		if (strcmp(cls, "InputLayer") == 0) {
			if (s->top) {
				struct top_input ti;
				char cpath[TFIT_ERROR_PATH_MAX];
				int found;
				memset(&ti, 0, sizeof(ti));
				item_path(cpath, sizeof(cpath), s->path, i, "config");
				rc = read_batch_shape(k, cJSON_GetObjectItemCaseSensitive(l, "config"), cpath, &ti, &found);
				if (rc == TFIT_OK && !found)
					rc = fail_at(k, cpath, "input layer '%s' has no batch_input_shape or batch_shape",
						     s->lnames[i]);
				if (rc == TFIT_OK)
					rc = add_input(k, s->lnames[i], cJSON_GetObjectItemCaseSensitive(l, "config"),
						       &ti, lpath);
			}
		} else if (n_nodes == 0 && !s->top) {
			/* a layer of a nested model that the model never calls */
		} else if (n_nodes == 0) {
			rc = fail_at(k, lpath, "layer '%s' has no inbound_nodes (expected the tensors it is called on)",
				     s->lnames[i]);
		}
		for (node = 0; rc == TFIT_OK && strcmp(cls, "InputLayer") != 0 && node < n_nodes; node++) {
			size_t j;
			if (keras_is_model_class(cls)) {
				struct scope *c;
				if ((rc = get_child(k, s, i, node, NULL, 0, &c)) == TFIT_OK)
					rc = instantiate(k, c);
				continue;
			}
			if ((rc = node_refs(k, l, node, lpath, &rs)) != TFIT_OK)
				break;
			free(names);
			names = calloc(rs.n ? rs.n : 1, sizeof(char *));
			if (!names) {
				rc = nomem(k);
				break;
			}
			for (j = 0; rc == TFIT_OK && j < rs.n; j++) {
				const char *nm = NULL;
				char p[TFIT_ERROR_PATH_MAX];
				snprintf(p, sizeof(p), "%.200s.inbound_nodes[%lld]", lpath, (long long)node);
				rc = resolve(k, s, &rs.v[j], p, &nm);
				names[j] = (char *)nm;
			}
			if (rc == TFIT_OK)
				rc = add_app(k, s, i, node, names, rs.n);
		}
		if (rc != TFIT_OK)
			break;
		i++;
	}
	free(rs.v);
	free(names);
	return rc;
}

static enum tfit_status instantiate(struct kr *k, struct scope *s)
{
	return s->sequential ? instantiate_seq(k, s) : instantiate_functional(k, s);
}

/* The input of a top-level Sequential: its InputLayer, batch_input_shape on
 * the first layer (named "<layer>_input" as tf.keras does), the model's
 * build_input_shape, or the first layer's build_config (Keras 3). A nested
 * model first in line lends its own input's shape. */
static enum tfit_status seq_input(struct kr *k, const cJSON *layers, const cJSON *mcfg, const char *path,
				  int depth, struct top_input *ti, const char **name, const cJSON **icfg)
{
	const cJSON *first = cJSON_GetArrayItem(layers, 0);
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(first, "config");
	const char *cls = layer_class(first);
	char p[TFIT_ERROR_PATH_MAX];
	int found = 0;
	enum tfit_status rc;

	*icfg = cfg;
	item_path(p, sizeof(p), path, 0, "config");
	if (cls && keras_is_model_class(cls) && depth < KERAS_MAX_NESTING) {
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
		if ((rc = read_batch_shape(k, cfg, p, ti, &found)) != TFIT_OK)
			return rc;
		if (found) {
			*name = cls && strcmp(cls, "InputLayer") == 0 ? layer_name(first)
				: pool_fmt(k, "%s_input", layer_name(first) ? layer_name(first) : "input");
			return *name ? TFIT_OK : nomem(k);
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
				return nomem(k);
			}
			rc = read_batch_shape(k, tmp, mp, ti, &found);
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
			item_path(bp, sizeof(bp), path, 0, "build_config");
			if (!tmp || !cJSON_AddItemReferenceToObject(tmp, "batch_shape", (cJSON *)is)) {
				cJSON_Delete(tmp);
				return nomem(k);
			}
			rc = read_batch_shape(k, tmp, bp, ti, &found);
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
		const char *f = str_item(v, "data_format");
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
		*format = TFIT_FORMAT_TFJS;
		return 1;
	}
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "class_name")) &&
	    cJSON_GetObjectItemCaseSensitive(root, "config")) {
		*format = TFIT_FORMAT_KERAS;
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
		return fail_at(k, "weightsManifest", "expected a list of weight groups, got %s",
			       tfit_json_type_name(m));
	cJSON_ArrayForEach(g, m) {
		const cJSON *ws = cJSON_GetObjectItemCaseSensitive(g, "weights");
		size_t wi = 0;
		char p[TFIT_ERROR_PATH_MAX];
		snprintf(p, sizeof(p), "weightsManifest[%zu].weights", gi);
		if (!cJSON_IsArray(ws))
			return fail_at(k, p, "expected a list of weights, got %s", ws ? tfit_json_type_name(ws) : "nothing");
		cJSON_ArrayForEach(w, ws) {
			const cJSON *shape = cJSON_GetObjectItemCaseSensitive(w, "shape"), *d;
			uint64_t n = 1;
			size_t di = 0;
			char ps[TFIT_ERROR_PATH_MAX];
			snprintf(ps, sizeof(ps), "weightsManifest[%zu].weights[%zu].shape", gi, wi++);
			if (!cJSON_IsArray(shape))
				return fail_at(k, ps, "expected a shape (a list of sizes), got %s",
					       shape ? tfit_json_type_name(shape) : "nothing");
			cJSON_ArrayForEach(d, shape) {
				int64_t v;
				char pd[TFIT_ERROR_PATH_MAX + 16];
				snprintf(pd, sizeof(pd), "%s[%zu]", ps, di++);
				if (tfit_json_item_int(d, k->rd.file, pd, 0, DIM_MAX, &v, k->rd.err) != TFIT_OK)
					return k->rd.err->code;
				if (!tfit_mul_u64(n, (uint64_t)v, &n))
					return fail_at(k, ps, "weight size overflows 64 bits");
			}
			if (!tfit_acc_u64(&total, n) || total > (uint64_t)INT64_MAX)
				return fail_at(k, "weightsManifest", "weight count overflows 64 bits");
		}
		gi++;
	}
	k->rd.manifest = m;
	k->rd.out->has_declared_params = 1;
	k->rd.out->declared_params = (int64_t)total;
	return TFIT_OK;
}

static enum tfit_status read_model(struct kr *k, const cJSON *model, const char *path)
{
	const char *cls = layer_class(model);
	struct scope *top;
	enum tfit_status rc;
	char p[TFIT_ERROR_PATH_MAX];

	snprintf(p, sizeof(p), "%.200s%sclass_name", path, *path ? "." : "");
	if (!cls)
		return fail_at(k, p, "missing class_name (expected \"Sequential\", \"Functional\" or \"Model\")");
	if (!keras_is_model_class(cls)) {
		const char *reg = str_item(model, "registered_name");
		return fail_at(k, p, "model class '%s'%s%s%s is not a Sequential or Functional model: a custom "
			       "model class stores only its constructor arguments, not its layers, so tinyfit "
			       "cannot count it (expected \"Sequential\", \"Functional\" or \"Model\"; export the "
			       "model's layer graph, e.g. a Functional model, instead)",
			       cls, reg ? " (registered as '" : "", reg ? reg : "", reg ? "')" : "");
	}
	rc = scope_new(k, model, path, "", "", 0, 0, &top);
	if (rc != TFIT_OK)
		return rc;
	top->top = 1;
	if (tfit_strdup_to(&k->rd.out->name, top->model_name) != 0)
		return nomem(k);
	if (top->sequential) {
		struct top_input ti;
		const char *name = NULL;
		const cJSON *icfg = NULL;
		char lp[TFIT_ERROR_PATH_MAX];
		memset(&ti, 0, sizeof(ti));
		rc = seq_input(k, top->layers, top->config, top->path, 0, &ti, &name, &icfg);
		if (rc != TFIT_OK)
			return rc;
		item_path(lp, sizeof(lp), top->path, 0, NULL);
		if ((rc = add_input(k, name, ti.path[0] ? icfg : NULL, &ti, lp)) != TFIT_OK)
			return rc;
		top->inputs = calloc(1, sizeof(char *));
		if (!top->inputs || !(top->inputs[0] = pool_fmt(k, "%s", name)))
			return nomem(k);
		top->n_inputs = 1;
		if ((rc = instantiate(k, top)) != TFIT_OK)
			return rc;
		k->rd.out->outputs = calloc(1, sizeof(char *));
		if (!k->rd.out->outputs ||
		    tfit_strdup_to(&k->rd.out->outputs[0], top->seq_out[cJSON_GetArraySize(top->layers) - 1]) != 0)
			return nomem(k);
		k->rd.out->n_outputs = 1;
	} else {
		struct refs rs = { NULL, 0, 0 };
		size_t i;
		if ((rc = instantiate(k, top)) != TFIT_OK)
			return rc;
		rc = io_refs(k, top, "output_layers", &rs);
		if (rc == TFIT_OK) {
			k->rd.out->outputs = calloc(rs.n ? rs.n : 1, sizeof(char *));
			if (!k->rd.out->outputs)
				rc = nomem(k);
		}
		for (i = 0; rc == TFIT_OK && i < rs.n; i++) {
			const char *nm;
			char op[TFIT_ERROR_PATH_MAX];
			snprintf(op, sizeof(op), "%.*s.output_layers[%zu]",
				 (int)(strlen(top->path) - strlen(".layers")), top->path, i);
			rc = resolve(k, top, &rs.v[i], op, &nm);
			if (rc == TFIT_OK && tfit_strdup_to(&k->rd.out->outputs[i], nm) != 0)
				rc = nomem(k);
			if (rc == TFIT_OK)
				k->rd.out->n_outputs++;
		}
		free(rs.v);
		if (rc != TFIT_OK)
			return rc;
		if (k->n_ins == 0)
			return fail_at(k, top->path, "the model has no InputLayer (expected one per model input)");
	}
	return finish_inputs(k);
}

enum tfit_status tfit_keras_from_json(const cJSON *root, const char *file,
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
	tfit_jpath_init(&k.rd.path);
	tfit_layer_list_init(out);
	out->dtype = o && o->dtype != TFIT_DTYPE_UNKNOWN ? o->dtype : TFIT_DTYPE_FLOAT32;

	if (!cJSON_IsObject(root)) {
		rc = fail_at(&k, NULL, "expected a Keras model object, got %s", tfit_json_type_name(root));
		goto out;
	}
	if (cJSON_GetObjectItemCaseSensitive(root, "modelTopology")) {
		/* TF.js: {"modelTopology": <model> or {"model_config": <model>,
		 * "training_config": ...}, "weightsManifest": [...]} */
		model = cJSON_GetObjectItemCaseSensitive(root, "modelTopology");
		path = "modelTopology";
		if (!cJSON_IsObject(model)) {
			rc = fail_at(&k, path, "expected an object, got %s", tfit_json_type_name(model));
			goto out;
		}
		if (cJSON_GetObjectItemCaseSensitive(model, "node")) {
			rc = fail_at(&k, path, "this is a TF.js graph model (a TensorFlow GraphDef), not a "
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
			rc = nomem(&k);
			goto out;
		}
	}
	rc = read_model(&k, model, path);
out:
	for (i = 0; i < k.n_pool; i++)
		free(k.pool[i]);
	free(k.pool);
	for (i = 0; i < k.n_scopes; i++)
		scope_free(k.scopes[i]);
	free(k.scopes);
	free(k.ins);
	return rc;
}

/*
 * keras_graph.c - the model graph of a Keras/TF.js file: one scope per
 * application of a model (the top one, each call of a nested model), the
 * tensors each inbound node takes (Keras 2 lists, Keras 3 __keras_tensor__
 * args), name resolution across nested models, and emitting one
 * application per call of every layer (keras_layers.c reads the layer).
 * See keras_reader.c for the formats and docs/keras.md.
 */
#include "keras_graph.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tfit_status tfit_keras_oom(struct kr *k)
{
	return tfit_error_set(k->rd.err, TFIT_ERR_NOMEM, k->rd.file, NULL, "out of memory");
}

enum tfit_status tfit_keras_fail_at(struct kr *k, const char *path, const char *fmt, ...)
{
	char msg[TFIT_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tfit_error_set(k->rd.err, TFIT_ERR_INPUT, k->rd.file, path, "%s", msg);
}

/* A formatted string of any length (generated names of deeply nested
 * models grow past any fixed buffer): in *pool, or malloc'd when pool is
 * NULL. NULL on OOM. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 0)))
#endif
static char *vfmt(struct tfit_pool_chunk **pool, const char *fmt, va_list ap)
{
	char *s;
	va_list ap2;
	int len;
	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		return NULL;
	s = pool ? tfit_pool_alloc(pool, (size_t)len + 1, 1) : malloc((size_t)len + 1);
	if (s)
		vsnprintf(s, (size_t)len + 1, fmt, ap);
	return s;
}

/* In the reader's string pool, freed with the reader: one pool instead of
 * a malloc block each (issue #17). */
char *tfit_keras_pool_fmt(struct kr *k, const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	s = vfmt(&k->strs, fmt, ap);
	va_end(ap);
	return s;
}

/* A name needed only while one application is added (it is copied into
 * the layer list): malloc'd, the caller frees it. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2)))
#endif
static char *heap_fmt(const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	s = vfmt(NULL, fmt, ap);
	va_end(ap);
	return s;
}

const char *tfit_keras_str(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

const char *tfit_keras_class_of(const cJSON *l)
{
	return tfit_keras_str(l, "class_name");
}

/* Keras 2 Functional layers carry "name" beside "config"; Sequential ones
 * (and Keras 3) only config.name. */
const char *tfit_keras_name_of(const cJSON *l)
{
	const char *n = tfit_keras_str(l, "name");
	return n ? n : tfit_keras_str(cJSON_GetObjectItemCaseSensitive(l, "config"), "name");
}

static const cJSON *nodes_of(const cJSON *l)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(l, "inbound_nodes");
	return cJSON_IsArray(n) ? n : NULL;
}

void tfit_keras_item_path(char *out, size_t size, const char *base, size_t i, const char *key)
{
	snprintf(out, size, "%.200s[%zu]%s%.40s", base, i, key ? "." : "", key ? key : "");
}

/* ---- scopes ---- */

void tfit_keras_scope_free(struct scope *s)
{
	if (!s)
		return;
	tfit_strmap_release(&s->names);
	free(s->children);
	free(s->inputs);
	free(s->seq_out);
	free(s->lnames);
	free(s->items);
	free(s->classes);
	free(s->n_nodes);
	free(s);
}

/* The scope of model (at path) without its layers (scope_layer adds
 * them). */
enum tfit_status tfit_keras_scope_open(struct kr *k, const cJSON *model, const char *path,
				   const char *prefix, const char *canon, int shared, int depth,
				   struct scope **out)
{
	struct scope *s;
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(model, "config");
	const char *cls = tfit_keras_class_of(model);
	struct scope **sp;

	*out = NULL;
	if (depth > KERAS_MAX_NESTING)
		return tfit_error_set(k->rd.err, TFIT_ERR_LIMIT, k->rd.file, path,
				      "models nested more than %d deep", KERAS_MAX_NESTING);
	if (k->n_scopes == k->cap_scopes) {
		size_t cap = k->cap_scopes ? k->cap_scopes * 2 : 16;
		sp = realloc(k->scopes, cap * sizeof(*sp));
		if (!sp)
			return tfit_keras_oom(k);
		k->scopes = sp;
		k->cap_scopes = cap;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return tfit_keras_oom(k);
	k->scopes[k->n_scopes++] = s;
	tfit_strmap_init(&s->names);
	s->sequential = cls && strcmp(cls, "Sequential") == 0;
	s->depth = depth;
	s->shared = shared;
	s->prefix = tfit_keras_pool_fmt(k, "%s", prefix);
	s->canon = tfit_keras_pool_fmt(k, "%s", canon);
	if (!s->prefix || !s->canon)
		return tfit_keras_oom(k);
	if (s->sequential && cJSON_IsArray(cfg)) {
		/* tfjs-layers and Keras 2.0-2.2 wrote a Sequential's config as
		 * the bare layer list */
		s->layers = cfg;
		snprintf(s->path, sizeof(s->path), "%.200s%sconfig", path, *path ? "." : "");
	} else if (cJSON_IsObject(cfg)) {
		s->config = cfg;
		s->layers = cJSON_GetObjectItemCaseSensitive(cfg, "layers");
		s->model_name = tfit_keras_str(cfg, "name");
		snprintf(s->path, sizeof(s->path), "%.200s%sconfig.layers", path, *path ? "." : "");
	} else {
		char p[TFIT_ERROR_PATH_MAX];
		snprintf(p, sizeof(p), "%.200s%sconfig", path, *path ? "." : "");
		return tfit_keras_fail_at(k, p, "expected the model's config (an object with \"layers\"%s), got %s",
			       s->sequential ? " or a list of layers" : "",
			       cfg ? tfit_json_type_name(cfg) : "nothing");
	}
	if (!s->model_name)
		s->model_name = tfit_keras_name_of(model) ? tfit_keras_name_of(model) : "model";
	if (!cJSON_IsArray(s->layers))
		return tfit_keras_fail_at(k, s->path, "expected a list of layers, got %s",
			       s->layers ? tfit_json_type_name(s->layers) : "nothing");
	*out = s;
	return TFIT_OK;
}

/* A streamed layer's class, kept: the copy an earlier one of the last
 * few layers has when it is the same class (most are), else a new one. */
static const char *class_copy(struct kr *k, const struct scope *s, const char *cls)
{
	size_t j;
	for (j = s->n_layers; j > 0 && j + 8 > s->n_layers; j--)
		if (strcmp(s->classes[j - 1], cls) == 0)
			return s->classes[j - 1];
	return tfit_keras_pool_fmt(k, "%s", cls);
}

/* Record layer l, the next of scope s (s->n_layers before the call): its
 * name, class and node count, and the object itself (NULL when the scope
 * is streamed and l is not a model: its element is deleted after it is
 * read; names are copied then). */
static enum tfit_status scope_layer(struct kr *k, struct scope *s, const cJSON *l)
{
	const char *name = tfit_keras_name_of(l), *cls = tfit_keras_class_of(l);
	char p[TFIT_ERROR_PATH_MAX];
	size_t prev, i = s->n_layers;

	if (i == s->cap_layers) {
		size_t cap = s->cap_layers ? s->cap_layers * 2 : 16;
		const char **ln = realloc(s->lnames, cap * sizeof(*ln));
		const cJSON **it = ln ? realloc(s->items, cap * sizeof(*it)) : NULL;
		const char **cl = ln && it ? realloc(s->classes, cap * sizeof(*cl)) : NULL;
		size_t *nn = ln && it && cl ? realloc(s->n_nodes, cap * sizeof(*nn)) : NULL;
		if (ln)
			s->lnames = ln;
		if (it)
			s->items = it;
		if (cl)
			s->classes = cl;
		if (!nn)
			return tfit_keras_oom(k);
		s->n_nodes = nn;
		s->cap_layers = cap;
	}
	tfit_keras_item_path(p, sizeof(p), s->path, i, NULL);
	if (!cJSON_IsObject(l) || !cls)
		return tfit_keras_fail_at(k, p, "expected a layer {\"class_name\": ..., \"config\": {...}}");
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(l, "config")) &&
	    !(strcmp(cls, "Sequential") == 0 &&
	      cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(l, "config"))))
		return tfit_keras_fail_at(k, p, "layer of class '%s' has no config object", cls);
	if ((!name || !*name) && s->sequential && tfit_keras_is_model_class(cls)) {
		/* Keras 2.0-2.2 wrote a nested Sequential as a bare list:
		 * no name; nothing refers to it by name either */
		name = tfit_keras_pool_fmt(k, "sequential_%zu", i);
		if (!name)
			return tfit_keras_oom(k);
	} else if (name && *name && s->streamed) {
		name = tfit_keras_pool_fmt(k, "%s", name);
		if (!name)
			return tfit_keras_oom(k);
	}
	if (!name || !*name) {
		tfit_keras_item_path(p, sizeof(p), s->path, i, "config.name");
		return tfit_keras_fail_at(k, p, "missing layer name (expected a non-empty string)");
	}
	if (s->streamed && !(cls = class_copy(k, s, cls)))
		return tfit_keras_oom(k);
	s->lnames[i] = name;
	s->classes[i] = cls;
	s->items[i] = s->streamed && !tfit_keras_is_model_class(cls) ? NULL : l;
	{
		const cJSON *nodes = nodes_of(l);
		s->n_nodes[i] = nodes ? (size_t)cJSON_GetArraySize(nodes) : 0;
	}
	if (tfit_strmap_get(&s->names, name, &prev)) {
		tfit_keras_item_path(p, sizeof(p), s->path, i, "config.name");
		return tfit_keras_fail_at(k, p, "duplicate layer name '%s' in model '%s' (also layer %zu)", name,
			       s->model_name, prev);
	}
	if (tfit_strmap_put(&s->names, name, i) != 0)
		return tfit_keras_oom(k);
	s->n_layers++;
	return TFIT_OK;
}

/* model: the model object; path: its JSON path. Builds the name map. */
enum tfit_status tfit_keras_scope_new(struct kr *k, const cJSON *model, const char *path,
				  const char *prefix, const char *canon, int shared, int depth,
				  struct scope **out)
{
	const cJSON *l;
	struct scope *s;
	enum tfit_status rc = tfit_keras_scope_open(k, model, path, prefix, canon, shared, depth, &s);
	*out = NULL;
	if (rc != TFIT_OK)
		return rc;
	if (cJSON_GetArraySize(s->layers) == 0)
		return tfit_keras_fail_at(k, s->path, "model '%s' has no layers (expected at least one)", s->model_name);
	/* the layers and their node counts indexed once: the walk looks layers
	 * up by index, and a cJSON array only walks its list */
	cJSON_ArrayForEach(l, s->layers) {
		if ((rc = scope_layer(k, s, l)) != TFIT_OK)
			return rc;
	}
	*out = s;
	return TFIT_OK;
}

static enum tfit_status scope_output(struct kr *k, struct scope *c, int64_t t, const char *where,
				     const char **out);
static enum tfit_status seq_plan(struct kr *k, struct scope *s);

/* ---- inbound nodes ---- */


static enum tfit_status refs_push(struct kr *k, struct refs *rs, const char *name, int64_t node,
				  int64_t tensor)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 8;
		struct ref *p = realloc(rs->v, cap * sizeof(*p));
		if (!p)
			return tfit_keras_oom(k);
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
		return tfit_keras_fail_at(k, path, "expected a tensor reference [layer_name, node_index, tensor_index], got %s",
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
		const char *cls = tfit_keras_str(v, "class_name");
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
		tfit_keras_item_path(p, sizeof(p), path, i++, NULL);
		if ((rc = keras3_args(k, e, p, rs)) != TFIT_OK)
			return rc;
	}
	return TFIT_OK;
}

/* Node i of layer l (NULL if it has none): a walk of its node list. */
static const cJSON *node_item(const cJSON *l, int64_t i)
{
	const cJSON *nodes = nodes_of(l), *node;
	if (!nodes)
		return NULL;
	cJSON_ArrayForEach(node, nodes)
		if (i-- == 0)
			return node;
	return NULL;
}

/* The tensors node i of layer l takes; node is that node's item. */
static enum tfit_status node_refs(struct kr *k, const cJSON *l, const cJSON *node, int64_t i,
				  const char *lpath, struct refs *rs)
{
	const cJSON *e;
	char p[TFIT_ERROR_PATH_MAX];
	size_t j = 0;
	rs->n = 0;
	snprintf(p, sizeof(p), "%.200s.inbound_nodes[%lld]", lpath, (long long)i);
	if (!node)
		return tfit_keras_fail_at(k, p, "missing inbound node %lld of layer '%s'", (long long)i, tfit_keras_name_of(l));
	if (cJSON_IsObject(node)) {
		char pa[TFIT_ERROR_PATH_MAX];
		snprintf(pa, sizeof(pa), "%.200s.args", p);
		return keras3_args(k, cJSON_GetObjectItemCaseSensitive(node, "args"), pa, rs);
	}
	if (!cJSON_IsArray(node))
		return tfit_keras_fail_at(k, p, "expected a list of tensor references or {\"args\": [...], \"kwargs\": {...}}, got %s",
			       tfit_json_type_name(node));
	cJSON_ArrayForEach(e, node) {
		char pe[TFIT_ERROR_PATH_MAX];
		enum tfit_status rc;
		tfit_keras_item_path(pe, sizeof(pe), p, j++, NULL);
		if ((rc = read_ref(k, e, pe, rs)) != TFIT_OK)
			return rc;
	}
	return TFIT_OK;
}

/* ---- nested models ---- */

static enum tfit_status get_child(struct kr *k, struct scope *s, size_t idx, int64_t node,
				  char **bound, size_t n_bound, struct scope **out)
{
	const cJSON *l = s->items[idx];
	const char *name = s->lnames[idx];
	char lpath[TFIT_ERROR_PATH_MAX], *prefix, *canon;
	struct scope *c;
	struct child *ch;
	struct refs rs = { NULL, 0, 0 };
	enum tfit_status rc;
	size_t i;
	int many = s->n_nodes[idx] > 1;

	for (i = 0; i < s->n_children; i++) {
		if (s->children[i].layer == idx && s->children[i].node == node) {
			*out = s->children[i].s;
			return TFIT_OK;
		}
	}
	tfit_keras_item_path(lpath, sizeof(lpath), s->path, idx, NULL);
	if (node > 0)
		prefix = tfit_keras_pool_fmt(k, "%s%s@%lld/", s->prefix, name, (long long)node);
	else
		prefix = tfit_keras_pool_fmt(k, "%s%s/", s->prefix, name);
	canon = tfit_keras_pool_fmt(k, "%s%s/", s->canon, name);
	if (!prefix || !canon)
		return tfit_keras_oom(k);
	rc = tfit_keras_scope_new(k, l, lpath, prefix, canon, s->shared || many, s->depth + 1, &c);
	if (rc != TFIT_OK)
		return rc;
	ch = realloc(s->children, (s->n_children + 1) * sizeof(*ch));
	if (!ch)
		return tfit_keras_oom(k);
	s->children = ch;
	ch[s->n_children].layer = idx;
	ch[s->n_children].node = node;
	ch[s->n_children].s = c;
	s->n_children++;
	if (!bound) {
		/* a Functional parent: the call's tensors, resolved in s */
		rc = node_refs(k, l, node_item(l, node), node, lpath, &rs);
		if (rc == TFIT_OK) {
			c->inputs = calloc(rs.n ? rs.n : 1, sizeof(char *));
			if (!c->inputs)
				rc = tfit_keras_oom(k);
		}
		for (i = 0; rc == TFIT_OK && i < rs.n; i++) {
			const char *nm;
			char p[TFIT_ERROR_PATH_MAX];
			snprintf(p, sizeof(p), "%.200s.inbound_nodes[%lld]", lpath, (long long)node);
			rc = tfit_keras_resolve(k, s, &rs.v[i], p, &nm);
			c->inputs[i] = (char *)nm;
		}
		c->n_inputs = rc == TFIT_OK ? rs.n : 0;
		free(rs.v);
		if (rc != TFIT_OK)
			return rc;
	} else {
		c->inputs = calloc(n_bound ? n_bound : 1, sizeof(char *));
		if (!c->inputs)
			return tfit_keras_oom(k);
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
			return tfit_keras_fail_at(k, lpath, "nested model '%s' has %zu input%s, but it is called on %zu tensor%s",
				       name, want, want == 1 ? "" : "s", c->n_inputs, c->n_inputs == 1 ? "" : "s");
	}
	*out = c;
	return TFIT_OK;
}

/* The list of [name, node, tensor] in input_layers/output_layers (Keras 3
 * writes a single one flat). */
enum tfit_status tfit_keras_io_refs(struct kr *k, struct scope *s, const char *key, struct refs *rs)
{
	const cJSON *il = cJSON_GetObjectItemCaseSensitive(s->config, key), *e;
	char p[TFIT_ERROR_PATH_MAX];
	size_t i = 0;
	snprintf(p, sizeof(p), "%.*s.%s", (int)(strlen(s->path) - strlen(".layers")), s->path, key);
	rs->n = 0;
	if (!cJSON_IsArray(il) || cJSON_GetArraySize(il) == 0)
		return tfit_keras_fail_at(k, p, "missing %s (expected a list of [layer_name, node_index, tensor_index])", key);
	if (cJSON_IsString(cJSON_GetArrayItem(il, 0)))
		return read_ref(k, il, p, rs);
	cJSON_ArrayForEach(e, il) {
		char pe[TFIT_ERROR_PATH_MAX];
		enum tfit_status rc;
		tfit_keras_item_path(pe, sizeof(pe), p, i++, NULL);
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
			return tfit_keras_fail_at(k, where, "Sequential model '%s' has one output, not output %lld",
				       c->model_name, (long long)t);
		if ((rc = seq_plan(k, c)) != TFIT_OK)
			return rc;
		*out = c->seq_out[c->n_layers - 1];
		return TFIT_OK;
	}
	rc = tfit_keras_io_refs(k, c, "output_layers", &rs);
	if (rc == TFIT_OK && (t < 0 || (size_t)t >= rs.n))
		rc = tfit_keras_fail_at(k, where, "model '%s' has %zu output%s, not output %lld", c->model_name, rs.n,
			     rs.n == 1 ? "" : "s", (long long)t);
	if (rc == TFIT_OK)
		rc = tfit_keras_resolve(k, c, &rs.v[t], where, out);
	free(rs.v);
	return rc;
}

/* ---- name resolution ---- */

static enum tfit_status resolve_in(struct kr *k, struct scope *s, const struct ref *r,
				   const char *where, const char **out)
{
	size_t idx, i;
	const char *cls;
	int64_t n_nodes;

	if (!tfit_strmap_get(&s->names, r->name, &idx))
		return tfit_keras_fail_at(k, where, "unknown layer '%s' (expected the name of a layer in model '%s')",
			       r->name, s->model_name);
	cls = s->classes[idx];
	if (strcmp(cls, "InputLayer") == 0) {
		struct refs rs = { NULL, 0, 0 };
		enum tfit_status rc;
		if (r->node != 0 || r->tensor != 0)
			return tfit_keras_fail_at(k, where, "input layer '%s' has one output, node 0 tensor 0, not "
				       "node %lld tensor %lld", r->name, (long long)r->node, (long long)r->tensor);
		if (s->top) {
			*out = s->lnames[idx]; /* r->name, kept (a streamed element is freed) */
			return TFIT_OK;
		}
		if (s->sequential) {
			*out = s->inputs[0];
			return TFIT_OK;
		}
		rc = tfit_keras_io_refs(k, s, "input_layers", &rs);
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
		return tfit_keras_fail_at(k, where, "input layer '%s' is not one of model '%s''s input_layers", r->name,
			       s->model_name);
	}
	n_nodes = (int64_t)s->n_nodes[idx];
	if (r->node >= n_nodes)
		return tfit_keras_fail_at(k, where, "layer '%s' has %lld inbound node%s, not node %lld", r->name,
			       (long long)n_nodes, n_nodes == 1 ? "" : "s", (long long)r->node);
	if (tfit_keras_is_model_class(cls)) {
		struct scope *c;
		enum tfit_status rc = get_child(k, s, idx, r->node, NULL, 0, &c);
		if (rc != TFIT_OK)
			return rc;
		return scope_output(k, c, r->tensor, where, out);
	}
	if (r->tensor > 0 && !tfit_keras_takes_states(cls))
		return tfit_keras_fail_at(k, where, "layer '%s' (%s) has one output, not output %lld", r->name, cls,
			       (long long)r->tensor);
	/* return_state: the states are [1, units] like the last output; tinyfit
	 * stands the layer's output in for them (docs/keras.md) */
	if (r->node > 0)
		*out = tfit_keras_pool_fmt(k, "%s%s@%lld", s->prefix, r->name, (long long)r->node);
	else
		*out = tfit_keras_pool_fmt(k, "%s%s", s->prefix, r->name);
	return *out ? TFIT_OK : tfit_keras_oom(k);
}

enum tfit_status tfit_keras_resolve(struct kr *k, struct scope *s, const struct ref *r,
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

/* ---- the walk ---- */

/* Application `node` of layer idx of s, whose object is l. */
static enum tfit_status add_app(struct kr *k, struct scope *s, size_t idx, const cJSON *l, int64_t node,
				char **inputs, size_t n_inputs)
{
	const char *name = s->lnames[idx];
	struct keras_app a;
	size_t saved;
	enum tfit_status rc;
	char *app, *canon;

	/* the names are copied into the list: kept only while it is added */
	if (node > 0)
		app = heap_fmt("%s%s@%lld", s->prefix, name, (long long)node);
	else
		app = heap_fmt("%s%s", s->prefix, name);
	canon = heap_fmt("%s%s", s->canon, name);
	if (!app || !canon) {
		rc = tfit_keras_oom(k);
		goto out;
	}
	a.class_name = s->classes[idx];
	a.config = cJSON_GetObjectItemCaseSensitive(l, "config");
	a.keras_name = name;
	a.name = app;
	a.canon = canon;
	a.shared = s->shared || s->n_nodes[idx] > 1;
	a.inputs = inputs;
	a.n_inputs = n_inputs;
	if (n_inputs == 0) {
		char p[TFIT_ERROR_PATH_MAX];
		tfit_keras_item_path(p, sizeof(p), s->path, idx, NULL);
		rc = tfit_keras_fail_at(k, p, "layer '%s' (%s) is called on no tensors", name, a.class_name);
		goto out;
	}
	tfit_jpath_init(&k->rd.path);
	{
		char p[TFIT_ERROR_PATH_MAX];
		tfit_keras_item_path(p, sizeof(p), s->path, idx, NULL);
		saved = tfit_jpath_key(&k->rd.path, p);
	}
	rc = tfit_keras_add_layer(&k->rd, &a);
	tfit_jpath_restore(&k->rd.path, saved);
out:
	free(app);
	free(canon);
	return rc;
}

/* Sequential, layer i: the output name after it (seq_out[i]); *prev is
 * the one before and becomes it. Nested models get their scopes. */
static enum tfit_status seq_plan_layer(struct kr *k, struct scope *s, size_t i, const char **prev)
{
	const char *cls = s->classes[i], *name = s->lnames[i];
	if (strcmp(cls, "InputLayer") == 0) {
		if (s->top)
			*prev = name;
	} else if (tfit_keras_is_model_class(cls)) {
		struct scope *c;
		char *in[1];
		enum tfit_status rc;
		char where[TFIT_ERROR_PATH_MAX];
		tfit_keras_item_path(where, sizeof(where), s->path, i, NULL);
		if (!*prev)
			return tfit_keras_fail_at(k, where, "nested model '%s' has no input", name);
		in[0] = (char *)*prev;
		if ((rc = get_child(k, s, i, 0, in, 1, &c)) != TFIT_OK ||
		    (rc = scope_output(k, c, 0, where, prev)) != TFIT_OK)
			return rc;
	} else if (!*s->prefix) {
		*prev = name; /* kept with the scope (a streamed name is a copy) */
	} else {
		if (!(*prev = tfit_keras_pool_fmt(k, "%s%s", s->prefix, name)))
			return tfit_keras_oom(k);
	}
	s->seq_out[i] = (char *)*prev;
	return TFIT_OK;
}

/* Sequential: each layer takes the previous one's output. Computes the
 * output names (seq_out) and the nested models' scopes, once. */
static enum tfit_status seq_plan(struct kr *k, struct scope *s)
{
	size_t i, n = s->n_layers;
	const char *prev = s->n_inputs ? s->inputs[0] : NULL;
	enum tfit_status rc;
	if (s->planned)
		return TFIT_OK;
	s->seq_out = calloc(n, sizeof(char *));
	if (!s->seq_out)
		return tfit_keras_oom(k);
	for (i = 0; i < n; i++) {
		if ((rc = seq_plan_layer(k, s, i, &prev)) != TFIT_OK)
			return rc;
	}
	if (!prev)
		return tfit_keras_fail_at(k, s->path, "model '%s' has no layers besides its input", s->model_name);
	s->planned = 1;
	return TFIT_OK;
}

/* Sequential, layer i (object l) on input *prev (the output before it);
 * *prev becomes its output. */
static enum tfit_status seq_layer(struct kr *k, struct scope *s, size_t i, const cJSON *l, char **prev)
{
	const char *cls = s->classes[i];
	enum tfit_status rc = TFIT_OK;
	if (strcmp(cls, "InputLayer") != 0 && !*prev) {
		char p[TFIT_ERROR_PATH_MAX];
		tfit_keras_item_path(p, sizeof(p), s->path, i, NULL);
		return tfit_keras_fail_at(k, p, "layer '%s' has no input", s->lnames[i]);
	}
	if (strcmp(cls, "InputLayer") == 0) {
		/* the top one was added by read_top_sequential */
	} else if (tfit_keras_is_model_class(cls)) {
		struct scope *c;
		if ((rc = get_child(k, s, i, 0, prev, 1, &c)) == TFIT_OK)
			rc = tfit_keras_instantiate(k, c);
	} else {
		rc = add_app(k, s, i, l, 0, prev, 1);
	}
	*prev = s->seq_out[i];
	return rc;
}

static enum tfit_status instantiate_seq(struct kr *k, struct scope *s)
{
	size_t i, n = s->n_layers;
	enum tfit_status rc = seq_plan(k, s);
	char *prev = s->n_inputs ? s->inputs[0] : NULL;
	for (i = 0; rc == TFIT_OK && i < n; i++)
		rc = seq_layer(k, s, i, s->items[i], &prev);
	return rc;
}

/* Functional, layer i (object l): each of its calls. rs and names are
 * scratch space kept between layers. */
static enum tfit_status func_layer(struct kr *k, struct scope *s, size_t i, const cJSON *l,
				   struct refs *rs, char ***names)
{
	const char *cls = s->classes[i];
	const cJSON *nodes = nodes_of(l), *nd = nodes ? nodes->child : NULL;
	int64_t n_nodes = (int64_t)s->n_nodes[i], node;
	char lpath[TFIT_ERROR_PATH_MAX];
	enum tfit_status rc = TFIT_OK;

	tfit_keras_item_path(lpath, sizeof(lpath), s->path, i, NULL);
	if (strcmp(cls, "InputLayer") == 0) {
		if (s->top) {
			struct top_input ti;
			char cpath[TFIT_ERROR_PATH_MAX];
			int found;
			memset(&ti, 0, sizeof(ti));
			tfit_keras_item_path(cpath, sizeof(cpath), s->path, i, "config");
			rc = tfit_keras_read_batch_shape(k, cJSON_GetObjectItemCaseSensitive(l, "config"), cpath, &ti, &found);
			if (rc == TFIT_OK && !found)
				rc = tfit_keras_fail_at(k, cpath, "input layer '%s' has no batch_input_shape or batch_shape",
					     s->lnames[i]);
			if (rc == TFIT_OK)
				rc = tfit_keras_add_input(k, s->lnames[i], cJSON_GetObjectItemCaseSensitive(l, "config"),
					       &ti, lpath);
		}
		return rc;
	}
	if (n_nodes == 0 && s->top)
		return tfit_keras_fail_at(k, lpath, "layer '%s' has no inbound_nodes (expected the tensors it is called on)",
			     s->lnames[i]);
	/* n_nodes == 0 below the top: a layer of a nested model that the
	 * model never calls */
	for (node = 0; rc == TFIT_OK && node < n_nodes; node++, nd = nd->next) {
		size_t j;
		char **nm;
		if (tfit_keras_is_model_class(cls)) {
			struct scope *c;
			if ((rc = get_child(k, s, i, node, NULL, 0, &c)) == TFIT_OK)
				rc = tfit_keras_instantiate(k, c);
			continue;
		}
		if ((rc = node_refs(k, l, nd, node, lpath, rs)) != TFIT_OK)
			break;
		nm = realloc(*names, (rs->n ? rs->n : 1) * sizeof(char *));
		if (!nm)
			return tfit_keras_oom(k);
		*names = nm;
		for (j = 0; rc == TFIT_OK && j < rs->n; j++) {
			const char *rn = NULL;
			char p[TFIT_ERROR_PATH_MAX];
			snprintf(p, sizeof(p), "%.200s.inbound_nodes[%lld]", lpath, (long long)node);
			rc = tfit_keras_resolve(k, s, &rs->v[j], p, &rn);
			nm[j] = (char *)rn;
		}
		if (rc == TFIT_OK)
			rc = add_app(k, s, i, l, node, nm, rs->n);
	}
	return rc;
}

static enum tfit_status instantiate_functional(struct kr *k, struct scope *s)
{
	size_t i;
	struct refs rs = { NULL, 0, 0 };
	char **names = NULL;
	enum tfit_status rc = TFIT_OK;

	for (i = 0; rc == TFIT_OK && i < s->n_layers; i++)
		rc = func_layer(k, s, i, s->items[i], &rs, &names);
	free(rs.v);
	free(names);
	return rc;
}

enum tfit_status tfit_keras_instantiate(struct kr *k, struct scope *s)
{
	return s->sequential ? instantiate_seq(k, s) : instantiate_functional(k, s);
}

/* ---- the top model's layers streamed (json_stream.c) ---- */

static enum tfit_status not_streamed(struct kr *k)
{
	/* never shown: the caller reads the file again as one tree */
	return tfit_error_set(k->rd.err, TFIT_ERR_INPUT, k->rd.file, NULL, "not a streamed Keras model");
}

/* Keep an element taken from the document (a nested model's) to the end. */
static enum tfit_status keep_element(struct kr *k, cJSON *e)
{
	if (!e)
		return TFIT_OK;
	if (k->n_kept == k->cap_kept) {
		size_t cap = k->cap_kept ? k->cap_kept * 2 : 8;
		cJSON **p = realloc(k->kept, cap * sizeof(*p));
		if (!p) {
			cJSON_Delete(e);
			return tfit_keras_oom(k);
		}
		k->kept = p;
		k->cap_kept = cap;
	}
	k->kept[k->n_kept++] = e;
	return TFIT_OK;
}

enum tfit_status tfit_keras_stream(struct kr *k, struct scope *s, int (*channels_first)(const cJSON *))
{
	struct tfit_json_iter it;
	const cJSON *l;
	struct refs rs = { NULL, 0, 0 };
	char **names = NULL;
	const char *prev = s->n_inputs ? s->inputs[0] : NULL;
	enum tfit_status rc = TFIT_OK;
	size_t i;

	if (!k->doc || s->layers != k->doc->lazy || s->n_layers != 0)
		return not_streamed(k);
	s->streamed = 1;
	tfit_json_iter_init(&it, k->doc, s->layers);
	for (i = 0;; i++) {
		if ((rc = tfit_json_iter_next(&it, &l, k->rd.err)) != TFIT_OK || !l)
			break;
		/* a channels_first layer after the first: the layers read so
		 * far were read channels_last */
		if (i > 0 && !k->rd.channels_first && channels_first(l)) {
			rc = not_streamed(k);
			break;
		}
		if ((rc = scope_layer(k, s, l)) != TFIT_OK)
			break;
		if (s->items[i] && (rc = keep_element(k, tfit_json_iter_take(&it))) != TFIT_OK)
			break;
		if (s->sequential) {
			char *in = (char *)prev;
			char **so = realloc(s->seq_out, s->cap_layers * sizeof(char *));
			if (!so) {
				rc = tfit_keras_oom(k);
				break;
			}
			s->seq_out = so;
			if ((rc = seq_plan_layer(k, s, i, &prev)) != TFIT_OK ||
			    (rc = seq_layer(k, s, i, l, &in)) != TFIT_OK)
				break;
		} else if ((rc = func_layer(k, s, i, l, &rs, &names)) != TFIT_OK) {
			break;
		}
	}
	free(rs.v);
	free(names);
	if (rc == TFIT_OK && s->sequential) {
		if (!prev)
			return tfit_keras_fail_at(k, s->path, "model '%s' has no layers besides its input", s->model_name);
		s->planned = 1;
	}
	return rc;
}

/* The input of a top-level Sequential: its InputLayer, batch_input_shape on
 * the first layer (named "<layer>_input" as tf.keras does), the model's
 * build_input_shape, or the first layer's build_config (Keras 3). A nested
 * model first in line lends its own input's shape. */

/*
 * keras_graph.h - the Keras/TF.js reader's model-graph walker, shared by
 * keras_reader.c (entry, TF.js wrapper, manifest, input shapes) and
 * keras_graph.c (model scopes, inbound nodes, nested and shared models,
 * name resolution, emitting the layers). Internal to src/model/; every
 * cJSON pointer is borrowed from the tree the caller keeps alive, except
 * in a streamed scope (struct scope.streamed), whose layers other than
 * nested models are deleted once read (their names and classes copied).
 */
#ifndef TINYFIT_KERAS_GRAPH_H
#define TINYFIT_KERAS_GRAPH_H

#include "keras_internal.h"
#include "util/pool.h"
#include "util/strmap.h"

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
	const char **classes;         /* each layer's class_name */
	const cJSON **items;          /* each layer's object; streamed: only models' */
	size_t *n_nodes;              /* each layer's number of inbound nodes */
	size_t n_layers, cap_layers;
	int streamed;                 /* layers read one at a time from the text
					 (tfit_keras_stream): names and classes
					 are copies, items NULL but for models */
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
	struct tfit_pool_chunk *strs; /* strings freed at the end (util/pool.h) */
	struct scope **scopes;
	size_t n_scopes, cap_scopes;
	struct top_input *ins;
	size_t n_ins;
	int resolve_depth;
	struct tfit_json_doc *doc;    /* streamed: the document whose lazy array
					 is the top model's layers, else NULL */
	cJSON **kept;                 /* elements taken from it (nested models) */
	size_t n_kept, cap_kept;
};

struct ref {
	const char *name;
	int64_t node, tensor;
};

struct refs {
	struct ref *v;
	size_t n, cap;
};

/* Errors and strings (keras_graph.c). */
enum tfit_status tfit_keras_oom(struct kr *k);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
enum tfit_status tfit_keras_fail_at(struct kr *k, const char *path, const char *fmt, ...);
/* A copy of a formatted string in k's pool, freed with the reader; NULL
 * on OOM. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
char *tfit_keras_pool_fmt(struct kr *k, const char *fmt, ...);
const char *tfit_keras_str(const cJSON *obj, const char *key);
const char *tfit_keras_class_of(const cJSON *l);
const char *tfit_keras_name_of(const cJSON *l);
void tfit_keras_item_path(char *out, size_t size, const char *base, size_t i, const char *key);

/* A model application's scope: model is the model object at path; names
 * are prefixed with prefix (canon: the first application's prefix).
 * tfit_keras_scope_open leaves out the layers (for tfit_keras_stream). */
enum tfit_status tfit_keras_scope_open(struct kr *k, const cJSON *model, const char *path,
				  const char *prefix, const char *canon, int shared, int depth,
				  struct scope **out);
enum tfit_status tfit_keras_scope_new(struct kr *k, const cJSON *model, const char *path,
				 const char *prefix, const char *canon, int shared, int depth,
				 struct scope **out);
void tfit_keras_scope_free(struct scope *s);
/* input_layers / output_layers of a Functional scope. */
enum tfit_status tfit_keras_io_refs(struct kr *k, struct scope *s, const char *key, struct refs *rs);
/* The tinyfit name of tensor r in scope s; where is the JSON path for errors. */
enum tfit_status tfit_keras_resolve(struct kr *k, struct scope *s, const struct ref *r,
			       const char *where, const char **out);
/* Add the layers of a scope (and of the models nested in it) to the list. */
enum tfit_status tfit_keras_instantiate(struct kr *k, struct scope *s);
/* Add the layers of the top scope s (opened, no layers yet) while they
 * are read from k->doc's lazy array one at a time: each layer is recorded
 * (name, class, node count; a nested model's object is kept) and its
 * applications added before the next is parsed, so a reference must name
 * a layer before it (as Keras writes them). Any error, a reference to a
 * later layer, or a channels_first layer (channels_first(l)) after the
 * first is an error the caller answers by reading the whole tree
 * (model_load.c). */
enum tfit_status tfit_keras_stream(struct kr *k, struct scope *s, int (*channels_first)(const cJSON *));

/* Top-level inputs (keras_reader.c). */
enum tfit_status tfit_keras_read_batch_shape(struct kr *k, const cJSON *cfg, const char *cfg_path,
					struct top_input *ti, int *found);
enum tfit_status tfit_keras_add_input(struct kr *k, const char *name, const cJSON *cfg,
				 const struct top_input *ti, const char *layer_path);

#endif

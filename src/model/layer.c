/* layer.c - layer type table and layer list management (see layer.h). */
#include "layer.h"
#include "util/pool.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct tfit_layer_type_desc tfit_layer_types[TFIT_LAYER_TYPE_COUNT] = {
	[TFIT_LAYER_INPUT] = { "input", 0, 0 },
	[TFIT_LAYER_CONV1D] = { "conv1d", 1, 1 },
	[TFIT_LAYER_CONV2D] = { "conv2d", 1, 1 },
	[TFIT_LAYER_DEPTHWISE_CONV2D] = { "depthwise_conv2d", 1, 1 },
	[TFIT_LAYER_SEPARABLE_CONV2D] = { "separable_conv2d", 1, 1 },
	[TFIT_LAYER_CONV2D_TRANSPOSE] = { "conv2d_transpose", 1, 1 },
	[TFIT_LAYER_DENSE] = { "dense", 1, 1 },
	[TFIT_LAYER_MAX_POOL1D] = { "max_pool1d", 1, 1 },
	[TFIT_LAYER_AVG_POOL1D] = { "avg_pool1d", 1, 1 },
	[TFIT_LAYER_MAX_POOL2D] = { "max_pool2d", 1, 1 },
	[TFIT_LAYER_AVG_POOL2D] = { "avg_pool2d", 1, 1 },
	[TFIT_LAYER_GLOBAL_AVG_POOL1D] = { "global_avg_pool1d", 1, 1 },
	[TFIT_LAYER_GLOBAL_MAX_POOL1D] = { "global_max_pool1d", 1, 1 },
	[TFIT_LAYER_GLOBAL_AVG_POOL2D] = { "global_avg_pool2d", 1, 1 },
	[TFIT_LAYER_GLOBAL_MAX_POOL2D] = { "global_max_pool2d", 1, 1 },
	[TFIT_LAYER_FLATTEN] = { "flatten", 1, 1 },
	[TFIT_LAYER_RESHAPE] = { "reshape", 1, 1 },
	[TFIT_LAYER_ADD] = { "add", 2, -1 },
	[TFIT_LAYER_SUBTRACT] = { "subtract", 2, 2 },
	[TFIT_LAYER_MULTIPLY] = { "multiply", 2, -1 },
	[TFIT_LAYER_MAXIMUM] = { "maximum", 2, -1 },
	[TFIT_LAYER_MINIMUM] = { "minimum", 2, -1 },
	[TFIT_LAYER_AVERAGE] = { "average", 2, -1 },
	[TFIT_LAYER_CONCATENATE] = { "concatenate", 1, -1 },
	[TFIT_LAYER_BATCH_NORMALIZATION] = { "batch_normalization", 1, 1 },
	[TFIT_LAYER_ACTIVATION] = { "activation", 1, 1 },
	[TFIT_LAYER_DROPOUT] = { "dropout", 1, 1 },
	[TFIT_LAYER_ZERO_PADDING1D] = { "zero_padding1d", 1, 1 },
	[TFIT_LAYER_ZERO_PADDING2D] = { "zero_padding2d", 1, 1 },
	[TFIT_LAYER_UPSAMPLING2D] = { "upsampling2d", 1, 1 },
	[TFIT_LAYER_LSTM] = { "lstm", 1, 1 },
	[TFIT_LAYER_GRU] = { "gru", 1, 1 },
	[TFIT_LAYER_SIMPLE_RNN] = { "simple_rnn", 1, 1 },
	[TFIT_LAYER_EMBEDDING] = { "embedding", 1, 1 },
	[TFIT_LAYER_RESCALING] = { "rescaling", 1, 1 },
	[TFIT_LAYER_NORMALIZATION] = { "normalization", 1, 1 },
	[TFIT_LAYER_PERMUTE] = { "permute", 1, 1 },
	[TFIT_LAYER_CROPPING2D] = { "cropping2d", 1, 1 },
	[TFIT_LAYER_IDENTITY] = { "identity", 1, 1 },
	[TFIT_LAYER_PRELU] = { "prelu", 1, 1 },
	[TFIT_LAYER_REVERSE] = { "reverse", 1, 1 },
};

static const char *const act_names[TFIT_LACT_COUNT] = {
	"linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "tanh", "softmax",
	"hard_swish", "leaky_relu", "elu", "gelu", "swish", "exponential"
};

int tfit_layer_type_parse(const char *name, enum tfit_layer_type *out)
{
	int i;
	for (i = 0; i < TFIT_LAYER_FIRST_READER_ONLY; i++) {
		if (strcmp(tfit_layer_types[i].name, name) == 0) {
			*out = (enum tfit_layer_type)i;
			return 0;
		}
	}
	return -1;
}

int tfit_layer_act_parse(const char *name, enum tfit_layer_act *out)
{
	int i;
	if (strcmp(name, "none") == 0 || strcmp(name, "identity") == 0) {
		*out = TFIT_LACT_LINEAR;
		return 0;
	}
	if (strcmp(name, "silu") == 0) {
		*out = TFIT_LACT_SWISH;
		return 0;
	}
	if (strcmp(name, "hard_silu") == 0) {
		*out = TFIT_LACT_HARD_SWISH;
		return 0;
	}
	for (i = 0; i < TFIT_LACT_COUNT; i++) {
		if (strcmp(act_names[i], name) == 0) {
			*out = (enum tfit_layer_act)i;
			return 0;
		}
	}
	return -1;
}

const char *tfit_layer_act_name(enum tfit_layer_act a)
{
	return (unsigned)a < TFIT_LACT_COUNT ? act_names[a] : "linear";
}

static const char *join(char *buf, size_t size, const char *const *names, size_t n)
{
	size_t i, len = 0;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t k = strlen(names[i]);
		if (len + k + 3 >= size)
			break;
		if (i) {
			memcpy(buf + len, ", ", 2);
			len += 2;
		}
		memcpy(buf + len, names[i], k);
		len += k;
		buf[len] = '\0';
	}
	return buf;
}

const char *tfit_layer_type_list(void)
{
	static char buf[1024];
	const char *names[TFIT_LAYER_TYPE_COUNT];
	int i;
	size_t n = 0;
	for (i = 0; i < TFIT_LAYER_FIRST_READER_ONLY; i++)
		names[n++] = tfit_layer_types[i].name;
	return join(buf, sizeof(buf), names, n);
}

const char *tfit_layer_act_list(void)
{
	static char buf[512];
	return join(buf, sizeof(buf), act_names, TFIT_LACT_COUNT);
}

void tfit_layer_list_init(struct tfit_layer_list *l)
{
	memset(l, 0, sizeof(*l));
}

void tfit_layer_list_release(struct tfit_layer_list *l)
{
	size_t i;
	tfit_pool_free(&l->pool); /* the layers' strings */
	for (i = 0; i < l->n_outputs; i++)
		free(l->outputs[i]);
	free(l->outputs);
	for (i = 0; i < l->n_warnings; i++)
		free(l->warnings[i]);
	free(l->warnings);
	for (i = 0; i < l->n_chunks; i++)
		free(l->chunks[i]); /* NULL once lowered */
	free(l->chunks);
	free(l->name);
	memset(l, 0, sizeof(*l));
}

/* The defaults of the union's group that type's fields are in (layer.h);
 * the other groups' bytes stay zero. */
static void set_group_defaults(struct tfit_layer *layer, enum tfit_layer_type type)
{
	switch (type) {
	case TFIT_LAYER_CONV1D:
	case TFIT_LAYER_CONV2D:
	case TFIT_LAYER_DEPTHWISE_CONV2D:
	case TFIT_LAYER_SEPARABLE_CONV2D:
	case TFIT_LAYER_CONV2D_TRANSPOSE:
	case TFIT_LAYER_MAX_POOL1D:
	case TFIT_LAYER_AVG_POOL1D:
	case TFIT_LAYER_MAX_POOL2D:
	case TFIT_LAYER_AVG_POOL2D:
		layer->strides[0] = layer->strides[1] = 1;
		layer->dilation[0] = layer->dilation[1] = 1;
		layer->depth_multiplier = 1;
		break;
	case TFIT_LAYER_GRU:
		layer->reset_after = 1;
		break;
	case TFIT_LAYER_ADD:
	case TFIT_LAYER_SUBTRACT:
	case TFIT_LAYER_MULTIPLY:
	case TFIT_LAYER_MAXIMUM:
	case TFIT_LAYER_MINIMUM:
	case TFIT_LAYER_AVERAGE:
	case TFIT_LAYER_CONCATENATE:
	case TFIT_LAYER_REVERSE:
	case TFIT_LAYER_BATCH_NORMALIZATION:
	case TFIT_LAYER_RESCALING:
	case TFIT_LAYER_PRELU:
	case TFIT_LAYER_IDENTITY:
		layer->axis = -1;
		layer->bn_center = layer->bn_scale = 1;
		layer->declared_params = -1;
		break;
	default:
		break;
	}
}

struct tfit_layer *tfit_layer_list_add(struct tfit_layer_list *l, enum tfit_layer_type type)
{
	struct tfit_layer *layer;
	if (l->n_layers == l->n_chunks * TFIT_LAYER_CHUNK) {
		/* a new chunk; only the chunks' pointer array grows (malloc: a
		 * chunk's pages are touched as layers are added) */
		if (l->n_chunks == l->cap_chunks) {
			size_t cap = l->cap_chunks ? l->cap_chunks * 2 : 4;
			struct tfit_layer **p = realloc(l->chunks, cap * sizeof(*p));
			if (!p)
				return NULL;
			l->chunks = p;
			l->cap_chunks = cap;
		}
		if (!(l->chunks[l->n_chunks] = malloc(TFIT_LAYER_CHUNK * sizeof(struct tfit_layer))))
			return NULL;
		l->n_chunks++;
	}
	layer = tfit_layer_at(l, l->n_layers++);
	memset(layer, 0, sizeof(*layer));
	layer->type = (uint8_t)type;
	layer->padding = TFIT_PAD_VALID;
	layer->use_bias = 1;
	layer->activation = TFIT_LACT_LINEAR;
	layer->alpha = 0.3; /* Keras LeakyReLU default */
	set_group_defaults(layer, type);
	return layer;
}

/* s in l's pool: the copy made for one of the last TFIT_LAYER_RECENT
 * strings used when it is the same (a chain's input is the name before
 * it, a class repeats), else a new copy. recent[] is kept most recently
 * used first. 0, or -1 on OOM (*dst NULL). */
static int pool_str(struct tfit_layer_list *l, char **dst, const char *s)
{
	size_t i;
	char *hit = NULL;
	if (!s) {
		*dst = NULL;
		return 0;
	}
	for (i = 0; i < TFIT_LAYER_RECENT && l->recent[i]; i++) {
		if (strcmp(l->recent[i], s) == 0) {
			hit = l->recent[i];
			break;
		}
	}
	if (!hit) {
		if (tfit_pool_strdup(&l->pool, &hit, s) != 0) {
			*dst = NULL;
			return -1;
		}
		if (i == TFIT_LAYER_RECENT)
			i--; /* the least recently used goes */
	}
	memmove(l->recent + 1, l->recent, i * sizeof(l->recent[0]));
	l->recent[0] = hit;
	*dst = hit;
	return 0;
}

int tfit_layer_set_str(struct tfit_layer_list *l, char **dst, const char *s)
{
	return pool_str(l, dst, s);
}

int tfit_layer_add_input(struct tfit_layer_list *l, struct tfit_layer *layer, const char *name)
{
	size_t n = layer->n_inputs;
	char *copy;
	/* The array is in the pool too, at a capacity of the next power of two
	 * (known from n_inputs alone): it moves when n reaches one, and the
	 * old arrays, together at most the size of the last, stay in the pool.
	 * An exact array (tfit_layer_set_inputs) is full: it moves to the
	 * power of two above n, and the rule holds again. */
	if (n == 0 || (n & (n - 1)) == 0 || layer->inputs_exact_) {
		size_t cap = 1;
		char **p;
		while (cap <= n && cap <= SIZE_MAX / 2)
			cap *= 2;
		if (cap <= n || cap > SIZE_MAX / sizeof(*p) ||
		    !(p = tfit_pool_alloc(&l->pool, cap * sizeof(*p), sizeof(*p))))
			return -1;
		if (n)
			memcpy(p, layer->inputs, n * sizeof(*p));
		layer->inputs = p;
		layer->inputs_exact_ = 0;
	}
	if (pool_str(l, &copy, name) != 0)
		return -1;
	layer->inputs[n] = copy;
	layer->n_inputs = n + 1;
	return 0;
}

int tfit_layer_set_inputs(struct tfit_layer_list *l, struct tfit_layer *layer,
			  const char *const *names, size_t n)
{
	char **p;
	size_t i;
	if (layer->n_inputs) { /* it has some already: add to them */
		for (i = 0; i < n; i++)
			if (tfit_layer_add_input(l, layer, names[i]) != 0)
				return -1;
		return 0;
	}
	if (n == 0)
		return 0;
	if (n > SIZE_MAX / sizeof(*p) ||
	    !(p = tfit_pool_alloc(&l->pool, n * sizeof(*p), sizeof(*p))))
		return -1;
	for (i = 0; i < n; i++)
		if (pool_str(l, &p[i], names[i]) != 0)
			return -1;
	layer->inputs = p;
	layer->n_inputs = n;
	layer->inputs_exact_ = 1;
	return 0;
}

int tfit_layer_list_warn(struct tfit_layer_list *l, const char *fmt, ...)
{
	char buf[1024];
	char **p;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p = realloc(l->warnings, (l->n_warnings + 1) * sizeof(*p));
	if (!p)
		return -1;
	l->warnings = p;
	p[l->n_warnings] = malloc(strlen(buf) + 1);
	if (!p[l->n_warnings])
		return -1;
	memcpy(p[l->n_warnings], buf, strlen(buf) + 1);
	l->n_warnings++;
	return 0;
}

/*
 * kernel_memo.c - a model's kernel paths and instructions kept across
 * estimates (cost.h tfit_cost_kernel_memo_new, kernel_memo.h).
 *
 * Why: an estimate costs each int8 op with the instructions of its kernel
 * (kernel_cost.h), found from the op's shape, its code path, that path's
 * features and a table bisection. None of it depends on the board beyond
 * its implementation, instructions core and build, yet `compare --all`
 * did it for every op on every board: 45% of the instructions of
 * `compare fanin20k.json --all` (20,000 dense ops, bench --hostile) went to
 * tfit_kernel_instructions alone. The ops are grouped by equal kernel
 * shape (a real model has tens of shapes; the fan-in one), so the memo
 * costs 4 bytes per op plus a few per shape and entry.
 */
#include "kernel_memo.h"

#include <stdlib.h>
#include <string.h>

#define NO_CLASS UINT32_MAX

struct kernel_memo_entry {
	int impl;
	char *core;
	char *build;               /* NULL: the release build */
	const char **path;         /* per class: tfit_kernel_path (static strings) */
	double *instructions;      /* per class, where has_table */
	unsigned char *has_table;  /* per class: tfit_kernel_instructions' answer */
};

struct tfit_cost_kernel_memo {
	const struct tfit_model *model;
	uint32_t n_ops;            /* of subgraph 0 */
	uint32_t *op_class;        /* per op: its shape's class, NO_CLASS: none */
	struct tfit_kernel_shape *shapes; /* per class: its shape */
	uint32_t n_classes;
	struct kernel_memo_entry *entries;
	size_t n_entries, cap_entries;
};

/* Every field tfit_kernel_path and tfit_kernel_features read (the whole
 * shape): two shapes equal here cost the same. */
static int shape_eq(const struct tfit_kernel_shape *a, const struct tfit_kernel_shape *b)
{
	return a->op == b->op && a->n == b->n && a->h == b->h && a->w == b->w && a->c == b->c &&
	       a->oc == b->oc && a->kh == b->kh && a->kw == b->kw && a->sh == b->sh &&
	       a->sw == b->sw && a->dh == b->dh && a->dw == b->dw && a->ch_mult == b->ch_mult &&
	       a->same_padding == b->same_padding && a->oh == b->oh && a->ow == b->ow &&
	       a->ph == b->ph && a->pw == b->pw;
}

static uint64_t mix(uint64_t h, int64_t v)
{
	/* FNV-1a over the value's 8 bytes */
	uint64_t u = (uint64_t)v;
	int i;
	for (i = 0; i < 8; i++) {
		h ^= (u >> (8 * i)) & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t shape_hash(const struct tfit_kernel_shape *s)
{
	const int64_t v[] = { s->op, s->n, s->h, s->w, s->c, s->oc, s->kh, s->kw, s->sh, s->sw,
			      s->dh, s->dw, s->ch_mult, s->same_padding, s->oh, s->ow, s->ph, s->pw };
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		h = mix(h, v[i]);
	return h;
}

static void entry_release(struct kernel_memo_entry *e)
{
	free(e->core);
	free(e->build);
	free(e->path);
	free(e->instructions);
	free(e->has_table);
}

void tfit_cost_kernel_memo_free(struct tfit_cost_kernel_memo *memo)
{
	size_t i;
	if (!memo)
		return;
	for (i = 0; i < memo->n_entries; i++)
		entry_release(&memo->entries[i]);
	free(memo->entries);
	free(memo->op_class);
	free(memo->shapes);
	free(memo);
}

static enum tfit_status nomem(struct tfit_cost_kernel_memo *memo, uint32_t *slots,
			      struct tfit_error *err)
{
	free(slots);
	tfit_cost_kernel_memo_free(memo);
	return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
}

enum tfit_status tfit_cost_kernel_memo_new(const struct tfit_model *m,
					   struct tfit_cost_kernel_memo **out,
					   struct tfit_error *err)
{
	struct tfit_cost_kernel_memo *memo;
	const struct tfit_subgraph *sg;
	uint32_t *slots = NULL, i, mask, size = 1;

	*out = NULL;
	if (!(memo = calloc(1, sizeof(*memo))))
		return nomem(NULL, NULL, err);
	memo->model = m;
	if (!m || !m->n_subgraphs || !m->subgraphs[0].n_ops) {
		*out = memo;
		return TFIT_OK;
	}
	sg = &m->subgraphs[0];
	memo->n_ops = sg->n_ops;
	/* open addressing over the classes, at most half full */
	while (size < 2 * (uint64_t)sg->n_ops)
		size *= 2;
	mask = size - 1;
	memo->op_class = malloc((size_t)sg->n_ops * sizeof(*memo->op_class));
	slots = malloc((size_t)size * sizeof(*slots));
	if (!memo->op_class || !slots)
		return nomem(memo, slots, err);
	memset(slots, 0xff, (size_t)size * sizeof(*slots)); /* NO_CLASS */
	for (i = 0; i < sg->n_ops; i++) {
		struct tfit_kernel_shape s;
		uint32_t at;
		memo->op_class[i] = NO_CLASS;
		if (!tfit_kernel_shape_of_op(sg, &sg->ops[i], &s))
			continue;
		for (at = (uint32_t)shape_hash(&s) & mask; slots[at] != NO_CLASS; at = (at + 1) & mask)
			if (shape_eq(&memo->shapes[slots[at]], &s))
				break;
		if (slots[at] == NO_CLASS) {
			/* grown by doubling: n_classes <= n_ops */
			if ((memo->n_classes & (memo->n_classes - 1)) == 0) {
				uint32_t cap = memo->n_classes ? 2 * memo->n_classes : 1;
				struct tfit_kernel_shape *v = realloc(memo->shapes, cap * sizeof(*v));
				if (!v)
					return nomem(memo, slots, err);
				memo->shapes = v;
			}
			memo->shapes[memo->n_classes] = s;
			slots[at] = memo->n_classes++;
		}
		memo->op_class[i] = slots[at];
	}
	free(slots);
	*out = memo;
	return TFIT_OK;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

const struct kernel_memo_entry *tfit_kernel_memo_entry(struct tfit_cost_kernel_memo *memo,
						       const struct tfit_kernel_model *km,
						       const struct tfit_model *m,
						       const char *runtime_id, const char *core,
						       const char *build)
{
	struct kernel_memo_entry *e;
	int impl = tfit_kernel_impl_of_runtime(runtime_id);
	uint32_t c, n;
	size_t i;
	if (!memo || memo->model != m || !m || !m->n_subgraphs ||
	    memo->n_ops != m->subgraphs[0].n_ops || impl < 0 || !core)
		return NULL;
	for (i = 0; i < memo->n_entries; i++) {
		e = &memo->entries[i];
		if (e->impl == impl && strcmp(e->core, core) == 0 && same_str(e->build, build))
			return e;
	}
	if (memo->n_entries == memo->cap_entries) {
		size_t cap = memo->cap_entries ? 2 * memo->cap_entries : 8;
		struct kernel_memo_entry *v = realloc(memo->entries, cap * sizeof(*v));
		if (!v)
			return NULL;
		memo->entries = v;
		memo->cap_entries = cap;
	}
	e = &memo->entries[memo->n_entries];
	memset(e, 0, sizeof(*e));
	e->impl = impl;
	n = memo->n_classes ? memo->n_classes : 1;
	e->core = malloc(strlen(core) + 1);
	e->build = build ? malloc(strlen(build) + 1) : NULL;
	e->path = malloc(n * sizeof(*e->path));
	e->instructions = malloc(n * sizeof(*e->instructions));
	e->has_table = malloc(n);
	if (!e->core || (build && !e->build) || !e->path || !e->instructions || !e->has_table) {
		entry_release(e);
		return NULL;
	}
	strcpy(e->core, core);
	if (build)
		strcpy(e->build, build);
	/* what kernel_cycles (cost_estimate.c) computes for an op of each shape */
	for (c = 0; c < memo->n_classes; c++) {
		e->path[c] = tfit_kernel_path((enum tfit_kernel_impl)impl, core, &memo->shapes[c]);
		e->instructions[c] = 0;
		e->has_table[c] = (unsigned char)tfit_kernel_instructions(
			km, runtime_id, core, build, &memo->shapes[c], &e->instructions[c]);
	}
	memo->n_entries++;
	return e;
}

int tfit_kernel_memo_op(const struct tfit_cost_kernel_memo *memo, const struct kernel_memo_entry *e,
			uint32_t op, const char **path, double *instructions)
{
	uint32_t c = memo->op_class[op];
	if (c == NO_CLASS)
		return -1;
	*path = e->path[c];
	if (!e->has_table[c])
		return 0;
	*instructions = e->instructions[c];
	return 1;
}

void tfit_kernel_memo_counts(const struct tfit_cost_kernel_memo *memo, size_t *n_entries,
			     size_t *n_classes)
{
	*n_entries = memo ? memo->n_entries : 0;
	*n_classes = memo ? memo->n_classes : 0;
}

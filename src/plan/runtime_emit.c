/*
 * runtime_emit.c - a loaded runtime profile written out as C static
 * initialisers (runtime.h tfit_runtime_emit_c). The build's data generator
 * (src/gen/tfit_datagen.c) loads the shipped profiles with the validating
 * loader and compiles what this writes into the executable, so tinyfit
 * reads its own profiles without parsing them; test_shipped_data writes the
 * compiled copy again and compares the two texts.
 */
#include "tinyfit/runtime.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "rule_expr_nodes.h"
#include "util/c_emit.h"

/* A field added to the profile must be written below as well. */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(struct tfit_runtime) == 456, "update runtime_emit.c: struct tfit_runtime changed");
_Static_assert(sizeof(struct tfit_kernel_rule) == 96, "update runtime_emit.c: struct tfit_kernel_rule changed");
_Static_assert(sizeof(struct tfit_arena_layout) == 18 * 8, "update runtime_emit.c: struct tfit_arena_layout changed");
_Static_assert(sizeof(struct tfit_code_table) == 104, "update runtime_emit.c: struct tfit_code_table changed");
_Static_assert(sizeof(struct node) == 64, "update runtime_emit.c: struct node changed");
#endif

struct emit {
	struct tfit_strbuf *out;
	const char *sym;
	unsigned next;                 /* numbers the objects of this profile */
};

/* A node tree, children first; returns the node's number. */
static unsigned node(struct emit *e, const struct node *n)
{
	unsigned a = n->a ? node(e, n->a) : 0, b = n->b ? node(e, n->b) : 0;
	unsigned c = n->c ? node(e, n->c) : 0, id = ++e->next;
	tfit_strbuf_printf(e->out, "static const struct node %s_%u = { %d, INT64_C(%" PRId64
			   "), %d, %d, %" PRIu32 ", %d, %" PRIu32 ", %d, ", e->sym, id, (int)n->kind,
			   n->value, n->is_tensor, n->is_output, n->index, (int)n->field, n->dim,
			   (int)n->var);
	tfit_cemit_ref(e->out, "struct node *", n->a != NULL, "&%s_%u", e->sym, a);
	tfit_cemit_ref(e->out, "struct node *", n->b != NULL, "&%s_%u", e->sym, b);
	if (n->c)
		tfit_strbuf_printf(e->out, "(struct node *)&%s_%u };\n", e->sym, c);
	else
		tfit_strbuf_puts(e->out, "NULL };\n");
	return id;
}

/* An expression object; returns its number (0 for NULL). */
static unsigned expr(struct emit *e, const struct tfit_rule_expr *x)
{
	unsigned root, id;
	if (!x)
		return 0;
	root = node(e, x->root);
	id = ++e->next;
	tfit_strbuf_printf(e->out, "static const struct tfit_rule_expr %s_%u = { ", e->sym, id);
	tfit_strbuf_c_literal(e->out, x->text);
	tfit_strbuf_printf(e->out, ", (struct node *)&%s_%u };\n", e->sym, root);
	return id;
}

/* A pointer to the object number id, or NULL (id 0); then ", ". */
static void ref(struct emit *e, const char *ptr_type, unsigned id)
{
	tfit_cemit_ref(e->out, ptr_type, id != 0, "&%s_%u", e->sym, id);
}

/* An array of n allocations; its number (0 when n is 0). */
static unsigned allocs(struct emit *e, const struct tfit_rule_alloc *a, uint32_t n)
{
	unsigned when[64], bytes[64], id;
	uint32_t i;
	if (!n)
		return 0;
	for (i = 0; i < n && i < 64; i++) {
		when[i] = expr(e, a[i].when);
		bytes[i] = expr(e, a[i].bytes);
	}
	id = ++e->next;
	tfit_cemit_array_begin(e->out, "struct tfit_rule_alloc", "%s_%u", e->sym, id);
	for (i = 0; i < n && i < 64; i++) {
		tfit_cemit_row_begin(e->out);
		ref(e, "struct tfit_rule_expr *", when[i]);
		ref(e, "struct tfit_rule_expr *", bytes[i]);
		tfit_cemit_row_end_str(e->out, a[i].what);
	}
	tfit_cemit_array_end(e->out);
	return id;
}

/* A code table's arrays; the table itself is written by table(). */
static void table_arrays(struct emit *e, const struct tfit_code_table *t, unsigned *kernels,
			 unsigned *groups)
{
	uint32_t i;
	*kernels = *groups = 0;
	if (t->n_kernels) {
		*kernels = ++e->next;
		tfit_cemit_array_begin(e->out, "struct tfit_flash_kernel", "%s_%u", e->sym, *kernels);
		for (i = 0; i < t->n_kernels; i++) {
			tfit_cemit_row_begin(e->out);
			tfit_cemit_str(e->out, t->kernels[i].op);
			tfit_cemit_u64(e->out, t->kernels[i].bytes);
			tfit_cemit_row_end(e->out);
		}
		tfit_cemit_array_end(e->out);
	}
	if (t->n_groups) {
		unsigned first = e->next + 1;
		for (i = 0; i < t->n_groups; i++) {
			++e->next;
			tfit_cemit_str_array(e->out, t->groups[i].ops, t->groups[i].n_ops, "%s_%u",
					     e->sym, e->next);
		}
		*groups = ++e->next;
		tfit_cemit_array_begin(e->out, "struct tfit_flash_group", "%s_%u", e->sym, *groups);
		for (i = 0; i < t->n_groups; i++) {
			tfit_cemit_row_begin(e->out);
			tfit_cemit_ref(e->out, "char **", 1, "%s_%u", e->sym, first + i);
			tfit_strbuf_printf(e->out, "%" PRIu32 ", ", t->groups[i].n_ops);
			tfit_cemit_u64(e->out, t->groups[i].bytes);
			tfit_cemit_row_end(e->out);
		}
		tfit_cemit_array_end(e->out);
	}
}

static void table(struct emit *e, const struct tfit_code_table *t, unsigned kernels,
		  unsigned groups)
{
	tfit_strbuf_puts(e->out, "{ ");
	tfit_cemit_u64(e->out, t->base_bytes);
	tfit_cemit_u64(e->out, t->default_kernel_bytes);
	ref(e, "struct tfit_flash_kernel *", kernels);
	tfit_strbuf_printf(e->out, "%" PRIu32 ", ", t->n_kernels);
	ref(e, "struct tfit_flash_group *", groups);
	tfit_strbuf_printf(e->out, "%" PRIu32 ", ", t->n_groups);
	tfit_cemit_str(e->out, t->source);
	tfit_cemit_str(e->out, t->measured_on);
	tfit_cemit_u64(e->out, t->per_tensor_bytes);
	tfit_cemit_u64(e->out, t->max_tensors);
	tfit_strbuf_printf(e->out, "%d, ", t->listed_kernels_only);
	tfit_strbuf_c_literal(e->out, t->archs);
	tfit_strbuf_puts(e->out, ", ");
	tfit_strbuf_c_literal(e->out, t->dtypes);
	tfit_strbuf_puts(e->out, " }");
}

void tfit_runtime_emit_c(const struct tfit_runtime *rt, const char *sym, struct tfit_strbuf *out)
{
	struct emit e;
	const struct tfit_arena_layout *l = &rt->layout;
	unsigned kernels = 0, fk, fg, by_core = 0;
	uint32_t i;
	e.out = out;
	e.sym = sym;
	e.next = 0;

	tfit_strbuf_printf(out, "/* runtime profile %s */\n", rt->id);
	if (rt->n_kernels) {
		unsigned *ids = calloc((size_t)rt->n_kernels * 5, sizeof(*ids));
		if (!ids)
			return;
		for (i = 0; i < rt->n_kernels; i++) {
			const struct tfit_kernel_rule *k = &rt->kernels[i];
			ids[i * 5] = expr(&e, k->when);
			ids[i * 5 + 1] = allocs(&e, k->init, k->n_init);
			ids[i * 5 + 2] = allocs(&e, k->prepare, k->n_prepare);
			ids[i * 5 + 3] = allocs(&e, k->scratch, k->n_scratch);
		}
		kernels = ++e.next;
		tfit_cemit_array_begin(out, "struct tfit_kernel_rule", "%s_%u", sym, kernels);
		for (i = 0; i < rt->n_kernels; i++) {
			const struct tfit_kernel_rule *k = &rt->kernels[i];
			tfit_cemit_row_begin(out);
			tfit_cemit_str(out, k->op);
			ref(&e, "struct tfit_rule_expr *", ids[i * 5]);
			tfit_cemit_str(out, k->error);
			tfit_cemit_u64(out, k->builtin_data_bytes);
			tfit_cemit_u64(out, k->builtin_data_align);
			ref(&e, "struct tfit_rule_alloc *", ids[i * 5 + 1]);
			tfit_strbuf_printf(out, "%" PRIu32 ", ", k->n_init);
			ref(&e, "struct tfit_rule_alloc *", ids[i * 5 + 2]);
			tfit_strbuf_printf(out, "%" PRIu32 ", ", k->n_prepare);
			ref(&e, "struct tfit_rule_alloc *", ids[i * 5 + 3]);
			tfit_strbuf_printf(out, "%" PRIu32 ", ", k->n_scratch);
			tfit_cemit_row_end_str(out, k->source);
		}
		tfit_cemit_array_end(out);
		free(ids);
	}
	table_arrays(&e, &rt->flash, &fk, &fg);
	if (rt->n_flash_by_core) {
		unsigned *ids = calloc((size_t)rt->n_flash_by_core * 2, sizeof(*ids));
		if (!ids)
			return;
		for (i = 0; i < rt->n_flash_by_core; i++)
			table_arrays(&e, &rt->flash_by_core[i].table, &ids[i * 2], &ids[i * 2 + 1]);
		by_core = ++e.next;
		tfit_cemit_array_begin(out, "struct tfit_core_code_table", "%s_%u", sym, by_core);
		for (i = 0; i < rt->n_flash_by_core; i++) {
			tfit_cemit_row_begin(out);
			tfit_cemit_str(out, rt->flash_by_core[i].core);
			table(&e, &rt->flash_by_core[i].table, ids[i * 2], ids[i * 2 + 1]);
			tfit_strbuf_puts(out, " },\n");
		}
		tfit_cemit_array_end(out);
		free(ids);
	}

	tfit_strbuf_printf(out, "static const struct tfit_runtime %s = {\n\t", sym);
	tfit_cemit_str(out, rt->id);
	tfit_cemit_str(out, rt->name);
	tfit_cemit_str(out, rt->source);
	tfit_strbuf_printf(out, "%d,\n\t{ ", (int)rt->arena_kind);
	tfit_cemit_u64(out, l->buffer_alignment);
	tfit_cemit_u64(out, l->struct_alignment);
	tfit_cemit_u64(out, l->allocator_objects_bytes);
	tfit_cemit_u64(out, l->subgraph_allocations_bytes);
	tfit_cemit_u64(out, l->eval_tensor_bytes);
	tfit_cemit_u64(out, l->node_and_registration_bytes);
	tfit_cemit_u64(out, l->tflite_tensor_bytes);
	tfit_cemit_u64(out, l->affine_quantization_bytes);
	tfit_cemit_u64(out, l->int_array_header_bytes);
	tfit_cemit_u64(out, l->int_array_elem_bytes);
	tfit_cemit_u64(out, l->pointer_bytes);
	tfit_cemit_u64(out, l->scratch_request_bytes);
	tfit_cemit_u64(out, l->max_scratch_per_op);
	tfit_cemit_u64(out, l->scratch_handle_bytes);
	tfit_cemit_u64(out, l->subgraph_offset_bytes);
	tfit_cemit_u64(out, l->allocation_info_bytes);
	tfit_cemit_u64(out, l->planner_bytes_per_buffer);
	tfit_cemit_u64(out, l->fixed_bytes);
	tfit_strbuf_puts(out, "},\n\t");
	ref(&e, "struct tfit_kernel_rule *", kernels);
	tfit_strbuf_printf(out, "%" PRIu32 ",\n\t", rt->n_kernels);
	table(&e, &rt->flash, fk, fg);
	tfit_strbuf_puts(out, ",\n\t");
	ref(&e, "struct tfit_core_code_table *", by_core);
	tfit_strbuf_printf(out, "%" PRIu32 ",\n\t", rt->n_flash_by_core);
	tfit_cemit_u64(out, rt->state_fixed_bytes);
	tfit_cemit_u64(out, rt->state_per_op_type_bytes);
	tfit_cemit_u64(out, rt->state_per_tensor_bytes);
	tfit_strbuf_c_literal(out, rt->state_source);
	/* the runtime's words (struct tfit_runtime_terms, in its order) */
	tfit_strbuf_printf(out, ",\n\t{ %d", (int)rt->terms.model_stored);
	{
		const char *const words[] = { rt->terms.model, rt->terms.model_constant,
					      rt->terms.arena, rt->terms.arena_constant,
					      rt->terms.arena_head, rt->terms.arena_tail,
					      rt->terms.arena_plan, rt->terms.state,
					      rt->terms.state_what, rt->terms.code, rt->terms.note,
					      rt->terms.title, rt->terms.source };
		size_t w;
		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
			tfit_strbuf_puts(out, ", ");
			tfit_strbuf_c_literal(out, words[w]);
		}
	}
	tfit_strbuf_puts(out, " }\n};\n");
}

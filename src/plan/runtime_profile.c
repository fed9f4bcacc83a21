/*
 * runtime_profile.c - load data/runtimes/<id>.json into a struct
 * tfit_runtime (runtime.h; format in docs/runtime-format.md). Every number
 * of a runtime lives in its data file with its source; this file only
 * parses and checks.
 */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/runtime.h"
#include "tinyfit/checked.h"
#include "tinyfit/fileio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_expr.h"
#include "runtime_flash.h"
#include "runtime_terms.h"
#include "runtime_set.h"
#include "util/dirlist.h"
#include "util/json_util.h"

#define RUNTIME_MAX_BASE_DEPTH 4
#define RUNTIME_MAX_FILE_BYTES (4u * 1024 * 1024)
#define RUNTIME_MAX_KERNELS 4096
#define RUNTIME_MAX_ALLOCS 64

static void alloc_list_free(struct tfit_rule_alloc *a, uint32_t n)
{
	uint32_t i;
	for (i = 0; i < n; i++) {
		tfit_rule_expr_free(a[i].when);
		tfit_rule_expr_free(a[i].bytes);
		free(a[i].what);
	}
	free(a);
}

static void kernel_release(struct tfit_kernel_rule *k)
{
	free(k->op);
	tfit_rule_expr_free(k->when);
	free(k->error);
	alloc_list_free(k->init, k->n_init);
	alloc_list_free(k->prepare, k->n_prepare);
	alloc_list_free(k->scratch, k->n_scratch);
	free(k->source);
}

void tfit_runtime_free(struct tfit_runtime *rt)
{
	uint32_t i;
	if (!rt)
		return;
	for (i = 0; i < rt->n_kernels; i++)
		kernel_release(&rt->kernels[i]);
	free(rt->kernels);
	tfit_runtime_flash_release(rt);
	free(rt->id);
	free(rt->name);
	free(rt->source);
	free(rt->state_source);
	tfit_runtime_terms_release(&rt->terms);
	free(rt);
}

static int allocs_clone(struct tfit_rule_alloc **d, uint32_t *dn,
			const struct tfit_rule_alloc *s, uint32_t n)
{
	uint32_t i;
	*d = NULL;
	*dn = 0;
	if (!n)
		return 0;
	if (!(*d = calloc(n, sizeof(**d))))
		return -1;
	for (i = 0; i < n; i++) {
		struct tfit_rule_alloc *a = &(*d)[i];
		(*dn)++;
		if (tfit_rule_expr_clone(s[i].when, &a->when) != 0 ||
		    tfit_rule_expr_clone(s[i].bytes, &a->bytes) != 0 ||
		    tfit_strdup_to(&a->what, s[i].what) != TFIT_OK)
			return -1;
	}
	return 0;
}

static int kernel_clone(struct tfit_kernel_rule *d, const struct tfit_kernel_rule *s)
{
	memset(d, 0, sizeof(*d));
	d->builtin_data_bytes = s->builtin_data_bytes;
	d->builtin_data_align = s->builtin_data_align;
	return tfit_strdup_to(&d->op, s->op) != TFIT_OK ||
	       tfit_rule_expr_clone(s->when, &d->when) != 0 ||
	       tfit_strdup_to(&d->error, s->error) != TFIT_OK ||
	       allocs_clone(&d->init, &d->n_init, s->init, s->n_init) != 0 ||
	       allocs_clone(&d->prepare, &d->n_prepare, s->prepare, s->n_prepare) != 0 ||
	       allocs_clone(&d->scratch, &d->n_scratch, s->scratch, s->n_scratch) != 0 ||
	       tfit_strdup_to(&d->source, s->source) != TFIT_OK ? -1 : 0;
}

enum tfit_status tfit_runtime_clone(const struct tfit_runtime *src, struct tfit_runtime **out,
				    struct tfit_error *err)
{
	struct tfit_runtime *d = calloc(1, sizeof(*d));
	uint32_t i;
	int fail = !d;
	*out = NULL;
	if (d) {
		*d = *src;
		d->id = d->name = d->source = d->state_source = NULL;
		d->kernels = NULL;
		d->n_kernels = 0;
		memset(&d->flash, 0, sizeof(d->flash));
		d->flash_by_core = NULL;
		d->n_flash_by_core = 0;
		memset(&d->terms, 0, sizeof(d->terms));
		fail = tfit_strdup_to(&d->id, src->id) != TFIT_OK ||
		       tfit_strdup_to(&d->name, src->name) != TFIT_OK ||
		       tfit_strdup_to(&d->source, src->source) != TFIT_OK ||
		       tfit_strdup_to(&d->state_source, src->state_source) != TFIT_OK ||
		       tfit_runtime_flash_clone(d, src) != 0 ||
		       tfit_runtime_terms_clone(&d->terms, &src->terms) != 0;
		/* one spare slot, as load_file allocates */
		if (!fail && !(d->kernels = calloc((size_t)src->n_kernels + 1, sizeof(*d->kernels))))
			fail = 1;
		for (i = 0; !fail && i < src->n_kernels; i++) {
			d->n_kernels++;
			fail = kernel_clone(&d->kernels[i], &src->kernels[i]) != 0;
		}
	}
	if (fail) {
		tfit_runtime_free(d);
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	}
	*out = d;
	return TFIT_OK;
}

static enum tfit_status nomem(struct tfit_error *err, const char *file)
{
	return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
}

/* An expression field: a JSON integer >= 0 or a string. */
static enum tfit_status get_expr(const cJSON *obj, const char *key, const char *file,
				 struct tfit_jpath *p, int required,
				 struct tfit_rule_expr **out, struct tfit_error *err)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	enum tfit_status st;
	*out = NULL;
	if (!it || cJSON_IsNull(it)) {
		if (!required)
			return TFIT_OK;
		return tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				      "missing field '%s'", key);
	}
	mark = tfit_jpath_key(p, key);
	if (cJSON_IsString(it)) {
		st = tfit_rule_expr_compile(it->valuestring, file, p->buf, out, err);
	} else if (cJSON_IsNumber(it)) {
		int64_t v;
		st = tfit_json_item_int(it, file, p->buf, 0, INT64_MAX / 2, &v, err);
		if (st == TFIT_OK)
			st = tfit_rule_expr_const(v, out, err);
	} else {
		tfit_jpath_restore(p, mark);
		return tfit_json_type_error(file, p, key, "an integer or an expression string",
					    it, err);
	}
	tfit_jpath_restore(p, mark);
	return st;
}

static enum tfit_status parse_allocs(const cJSON *obj, const char *key, const char *file,
				     struct tfit_jpath *p, struct tfit_rule_alloc **out,
				     uint32_t *n_out, struct tfit_error *err)
{
	static const char *const keys[] = { "bytes", "when", "what", "source", NULL };
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key), *it;
	struct tfit_rule_alloc *a = NULL;
	uint32_t n = 0, i = 0;
	size_t mark;
	enum tfit_status st = TFIT_OK;

	*out = NULL;
	*n_out = 0;
	if (!arr || cJSON_IsNull(arr))
		return TFIT_OK;
	if (!cJSON_IsArray(arr))
		return tfit_json_type_error(file, p, key, "an array", arr, err);
	n = (uint32_t)cJSON_GetArraySize(arr);
	if (n > RUNTIME_MAX_ALLOCS)
		return tfit_error_set(err, TFIT_ERR_LIMIT, file, p->buf,
				      "more than %d entries in '%s'", RUNTIME_MAX_ALLOCS, key);
	if (n == 0)
		return TFIT_OK;
	a = calloc(n, sizeof(*a));
	if (!a)
		return nomem(err, file);
	mark = tfit_jpath_key(p, key);
	cJSON_ArrayForEach(it, arr) {
		size_t m2 = tfit_jpath_index(p, i);
		if (!cJSON_IsObject(it)) {
			st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "expected an object, got %s", tfit_json_type_name(it));
			goto out;
		}
		if ((st = tfit_json_check_keys(it, keys, file, p, err)) != TFIT_OK ||
		    (st = get_expr(it, "bytes", file, p, 1, &a[i].bytes, err)) != TFIT_OK ||
		    (st = get_expr(it, "when", file, p, 0, &a[i].when, err)) != TFIT_OK ||
		    (st = tfit_json_dup_opt_string(it, "what", file, p, &a[i].what, err)) != TFIT_OK)
			goto out;
		tfit_jpath_restore(p, m2);
		i++;
	}
out:
	tfit_jpath_restore(p, mark);
	if (st != TFIT_OK) {
		alloc_list_free(a, n);
		return st;
	}
	*out = a;
	*n_out = n;
	return TFIT_OK;
}

static enum tfit_status parse_kernel(const cJSON *obj, const char *file, struct tfit_jpath *p,
				     struct tfit_kernel_rule *k, struct tfit_error *err)
{
	static const char *const keys[] = { "op", "when", "error", "builtin_data", "init",
					    "prepare", "scratch", "source", "notes", NULL };
	const char *op = NULL;
	const cJSON *bd;
	enum tfit_status st;

	memset(k, 0, sizeof(*k));
	if ((st = tfit_json_check_object(obj, keys, file, p, err)) != TFIT_OK ||
	    (st = tfit_json_req_string(obj, "op", file, p, &op, err)) != TFIT_OK)
		return st;
	if (strncmp(op, "custom:", 7) != 0 && tfit_op_from_name(op) == TFIT_OP_COUNT)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				      "unknown op '%s' (expected an op name such as "
				      "\"conv_2d\" or \"custom:Name\")", op);
	if (tfit_strdup_to(&k->op, op) != TFIT_OK)
		return nomem(err, file);
	if ((st = get_expr(obj, "when", file, p, 0, &k->when, err)) != TFIT_OK ||
	    (st = tfit_json_dup_opt_string(obj, "error", file, p, &k->error, err)) != TFIT_OK ||
	    (st = tfit_json_dup_opt_string(obj, "source", file, p, &k->source, err)) != TFIT_OK ||
	    (st = parse_allocs(obj, "init", file, p, &k->init, &k->n_init, err)) != TFIT_OK ||
	    (st = parse_allocs(obj, "prepare", file, p, &k->prepare, &k->n_prepare, err)) != TFIT_OK ||
	    (st = parse_allocs(obj, "scratch", file, p, &k->scratch, &k->n_scratch, err)) != TFIT_OK)
		return st;
	k->builtin_data_align = 1;
	bd = cJSON_GetObjectItemCaseSensitive(obj, "builtin_data");
	if (bd && !cJSON_IsNull(bd)) {
		static const char *const bkeys[] = { "bytes", "align", "what", NULL };
		size_t mark = tfit_jpath_key(p, "builtin_data");
		int64_t v;
		if (!cJSON_IsObject(bd)) {
			st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "expected an object, got %s", tfit_json_type_name(bd));
		} else if ((st = tfit_json_check_keys(bd, bkeys, file, p, err)) == TFIT_OK &&
			   (st = tfit_json_req_int(bd, "bytes", file, p, 0, 1 << 20, &v,
						   err)) == TFIT_OK) {
			k->builtin_data_bytes = (uint64_t)v;
			v = 1;
			st = tfit_json_opt_int(bd, "align", file, p, 1, 16, &v, NULL, err);
			if (st == TFIT_OK && (v & (v - 1)) != 0)
				st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
						    "align: expected a power of two up to 16, got %lld",
						    (long long)v);
			k->builtin_data_align = (uint64_t)v;
		}
		tfit_jpath_restore(p, mark);
	}
	return st;
}

/* Layout keys, in struct order; values override the base's. */
static const struct {
	const char *key;
	size_t off;
} layout_keys[] = {
#define L(f) { #f, offsetof(struct tfit_arena_layout, f) }
	L(buffer_alignment), L(struct_alignment), L(allocator_objects_bytes),
	L(subgraph_allocations_bytes), L(eval_tensor_bytes),
	L(node_and_registration_bytes), L(tflite_tensor_bytes),
	L(affine_quantization_bytes), L(int_array_header_bytes), L(int_array_elem_bytes),
	L(pointer_bytes), L(scratch_request_bytes), L(max_scratch_per_op),
	L(scratch_handle_bytes), L(subgraph_offset_bytes), L(allocation_info_bytes),
	L(planner_bytes_per_buffer), L(fixed_bytes),
#undef L
};
#define N_LAYOUT_KEYS (sizeof(layout_keys) / sizeof(layout_keys[0]))

static enum tfit_status parse_arena(const cJSON *obj, const char *file, struct tfit_jpath *p,
				    struct tfit_runtime *rt, struct tfit_error *err)
{
	const char *allowed[N_LAYOUT_KEYS + 4];
	const char *kind = NULL;
	size_t i, mark = tfit_jpath_key(p, "arena");
	enum tfit_status st;

	for (i = 0; i < N_LAYOUT_KEYS; i++)
		allowed[i] = layout_keys[i].key;
	allowed[i++] = "kind";
	allowed[i++] = "sources";
	allowed[i++] = "notes";
	allowed[i] = NULL;
	if ((st = tfit_json_check_object(obj, allowed, file, p, err)) != TFIT_OK ||
	    (st = tfit_json_opt_string(obj, "kind", file, p, &kind, NULL, err)) != TFIT_OK)
		goto out;
	if (kind) {
		if (strcmp(kind, "tflm") == 0) {
			rt->arena_kind = TFIT_ARENA_TFLM;
		} else if (strcmp(kind, "activations") == 0) {
			rt->arena_kind = TFIT_ARENA_ACTIVATIONS;
		} else {
			st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "kind: expected \"tflm\" or \"activations\", got \"%s\"",
					    kind);
			goto out;
		}
	}
	for (i = 0; i < N_LAYOUT_KEYS; i++) {
		int64_t v;
		int present = 0;
		st = tfit_json_opt_int(obj, layout_keys[i].key, file, p, 0, 1 << 24, &v,
				       &present, err);
		if (st != TFIT_OK)
			goto out;
		if (present)
			*(uint64_t *)((char *)&rt->layout + layout_keys[i].off) = (uint64_t)v;
	}
out:
	tfit_jpath_restore(p, mark);
	return st;
}

static enum tfit_status check_layout(const struct tfit_runtime *rt, const char *file,
				     struct tfit_error *err)
{
	const struct tfit_arena_layout *l = &rt->layout;
	uint64_t a = l->buffer_alignment, s = l->struct_alignment;
	if (a == 0 || (a & (a - 1)) != 0 || a > 256)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "arena.buffer_alignment",
				      "expected a power of two up to 256, got %llu",
				      (unsigned long long)a);
	if (rt->arena_kind != TFIT_ARENA_TFLM)
		return TFIT_OK;
	if (s == 0 || (s & (s - 1)) != 0 || s > a)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "arena.struct_alignment",
				      "expected a power of two up to buffer_alignment, got %llu",
				      (unsigned long long)s);
	if (l->planner_bytes_per_buffer == 0 || l->eval_tensor_bytes == 0 ||
	    l->node_and_registration_bytes == 0 || l->tflite_tensor_bytes == 0)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "arena",
				      "a \"tflm\" arena needs eval_tensor_bytes, "
				      "node_and_registration_bytes, tflite_tensor_bytes and "
				      "planner_bytes_per_buffer");
	return TFIT_OK;
}

/* "state": {"fixed_bytes", "per_op_type_bytes", "per_tensor_bytes", "source"} */
static enum tfit_status parse_state(const cJSON *obj, const char *file, struct tfit_jpath *p,
				    struct tfit_runtime *rt, struct tfit_error *err)
{
	static const char *const keys[] = { "fixed_bytes", "per_op_type_bytes", "per_tensor_bytes",
					    "source", "notes", NULL };
	size_t mark = tfit_jpath_key(p, "state");
	int64_t v;
	int present;
	enum tfit_status st;

	if ((st = tfit_json_check_object(obj, keys, file, p, err)) != TFIT_OK)
		goto out;
	if ((st = tfit_json_opt_int(obj, "fixed_bytes", file, p, 0, INT64_MAX / 2, &v, &present,
				    err)) != TFIT_OK)
		goto out;
	if (present)
		rt->state_fixed_bytes = (uint64_t)v;
	if ((st = tfit_json_opt_int(obj, "per_op_type_bytes", file, p, 0, INT64_MAX / 2, &v,
				    &present, err)) != TFIT_OK)
		goto out;
	if (present)
		rt->state_per_op_type_bytes = (uint64_t)v;
	if ((st = tfit_json_opt_int(obj, "per_tensor_bytes", file, p, 0, INT64_MAX / 2, &v,
				    &present, err)) != TFIT_OK)
		goto out;
	if (present)
		rt->state_per_tensor_bytes = (uint64_t)v;
	if (cJSON_GetObjectItemCaseSensitive(obj, "source")) {
		free(rt->state_source);
		rt->state_source = NULL;
		st = tfit_json_dup_opt_string(obj, "source", file, p, &rt->state_source, err);
	}
out:
	tfit_jpath_restore(p, mark);
	return st;
}

uint64_t tfit_runtime_state_bytes(const struct tfit_runtime *rt, uint32_t n_op_types,
				  uint64_t n_tensors)
{
	uint64_t per = 0, per_tensor = 0, total;
	if (tfit_mul_u64(rt->state_per_op_type_bytes, n_op_types, &per) != TFIT_OK ||
	    tfit_mul_u64(rt->state_per_tensor_bytes, n_tensors, &per_tensor) != TFIT_OK ||
	    tfit_add_u64(rt->state_fixed_bytes, per, &total) != TFIT_OK ||
	    tfit_add_u64(total, per_tensor, &total) != TFIT_OK)
		return UINT64_MAX;
	return total;
}

static int valid_id(const char *id)
{
	const char *c;
	if (!id || !*id || strlen(id) > 64)
		return 0;
	for (c = id; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '_' || (*c == '.' && c != id)))
			return 0;
	return 1;
}

static enum tfit_status load_file(const char *path, int depth, struct tfit_runtime_set *set,
				  struct tfit_runtime **out, struct tfit_error *err);

/* Load the base profile named by "base", beside path (a copy of the one in
 * set when there is a set: each base file is parsed once). */
static enum tfit_status load_base(const char *path, const char *base, int depth,
				  struct tfit_runtime_set *set, struct tfit_runtime **out,
				  struct tfit_error *err)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *bp;
	enum tfit_status st;
	if (!valid_id(base))
		return tfit_error_set(err, TFIT_ERR_INPUT, path, "base",
				      "expected a runtime id, got \"%s\"", base);
	if (depth >= RUNTIME_MAX_BASE_DEPTH)
		return tfit_error_set(err, TFIT_ERR_LIMIT, path, "base",
				      "more than %d levels of \"base\" (a cycle?)",
				      RUNTIME_MAX_BASE_DEPTH);
	bp = malloc(dlen + strlen(base) + 6);
	if (!bp)
		return nomem(err, path);
	memcpy(bp, path, dlen);
	sprintf(bp + dlen, "%s.json", base);
	if (set) {
		const struct tfit_runtime *shared = NULL;
		st = tfit_runtime_set_base(set, base, bp, depth + 1, &shared, err);
		if (st == TFIT_OK)
			st = tfit_runtime_clone(shared, out, err);
	} else {
		st = load_file(bp, depth + 1, NULL, out, err);
	}
	free(bp);
	return st;
}

static enum tfit_status load_file(const char *path, int depth, struct tfit_runtime_set *set,
				  struct tfit_runtime **out, struct tfit_error *err)
{
	static const char *const keys[] = { "id", "name", "source", "base", "arena", "flash",
					    "state", "deploys", "kernels", "notes", "schema_version",
					    NULL };
	char *text = NULL;
	size_t len = 0;
	cJSON *root = NULL;
	const cJSON *it, *kernels;
	struct tfit_runtime *rt = NULL;
	struct tfit_jpath p;
	const char *s = NULL;
	enum tfit_status st;

	*out = NULL;
	tfit_jpath_init(&p);
	if ((st = tfit_file_read(path, RUNTIME_MAX_FILE_BYTES, &text, &len, err)) != TFIT_OK)
		goto out;
	if ((st = tfit_json_parse(text, len, path, &root, err)) != TFIT_OK)
		goto out;
	if (!cJSON_IsObject(root)) {
		st = tfit_error_set(err, TFIT_ERR_INPUT, path, NULL,
				    "expected a JSON object, got %s", tfit_json_type_name(root));
		goto out;
	}
	if ((st = tfit_json_check_keys(root, keys, path, &p, err)) != TFIT_OK)
		goto out;
	if ((st = tfit_json_opt_string(root, "base", path, &p, &s, NULL, err)) != TFIT_OK)
		goto out;
	if (s) {
		if ((st = load_base(path, s, depth, set, &rt, err)) != TFIT_OK)
			goto out;
		free(rt->id);
		free(rt->name);
		free(rt->source);
		rt->id = rt->name = rt->source = NULL;
	} else {
		rt = calloc(1, sizeof(*rt));
		if (!rt) {
			st = nomem(err, path);
			goto out;
		}
		rt->layout.buffer_alignment = 16; /* checked below whatever the file says */
		rt->layout.struct_alignment = 4;
		if (tfit_runtime_terms_defaults(&rt->terms) != 0) {
			st = nomem(err, path);
			goto out;
		}
	}
	if ((st = tfit_json_req_string(root, "id", path, &p, &s, err)) != TFIT_OK)
		goto out;
	if (!valid_id(s)) {
		st = tfit_error_set(err, TFIT_ERR_INPUT, path, "id",
				    "expected lower-case letters, digits, '-', '_' or '.', got \"%s\"",
				    s);
		goto out;
	}
	if (tfit_strdup_to(&rt->id, s) != TFIT_OK ||
	    (st = tfit_json_dup_opt_string(root, "name", path, &p, &rt->name, err)) != TFIT_OK ||
	    (st = tfit_json_dup_opt_string(root, "source", path, &p, &rt->source, err)) != TFIT_OK) {
		if (st == TFIT_OK)
			st = nomem(err, path);
		goto out;
	}
	if ((it = cJSON_GetObjectItemCaseSensitive(root, "arena")) &&
	    (st = parse_arena(it, path, &p, rt, err)) != TFIT_OK)
		goto out;
	if ((st = check_layout(rt, path, err)) != TFIT_OK)
		goto out;
	if ((it = cJSON_GetObjectItemCaseSensitive(root, "flash")) &&
	    (st = tfit_runtime_flash_parse(it, path, &p, rt, err)) != TFIT_OK)
		goto out;
	if ((it = cJSON_GetObjectItemCaseSensitive(root, "state")) &&
	    (st = parse_state(it, path, &p, rt, err)) != TFIT_OK)
		goto out;
	if ((it = cJSON_GetObjectItemCaseSensitive(root, "deploys")) &&
	    (st = tfit_runtime_terms_parse(it, path, &p, rt, err)) != TFIT_OK)
		goto out;

	kernels = cJSON_GetObjectItemCaseSensitive(root, "kernels");
	if (kernels && !cJSON_IsNull(kernels)) {
		uint32_t n, i = 0;
		struct tfit_kernel_rule *k;
		size_t mark = tfit_jpath_key(&p, "kernels");
		if (!cJSON_IsArray(kernels)) {
			st = tfit_error_set(err, TFIT_ERR_INPUT, path, p.buf,
					    "expected an array, got %s",
					    tfit_json_type_name(kernels));
			goto out;
		}
		n = (uint32_t)cJSON_GetArraySize(kernels);
		if (n + rt->n_kernels > RUNTIME_MAX_KERNELS) {
			st = tfit_error_set(err, TFIT_ERR_LIMIT, path, p.buf,
					    "more than %d kernel rules", RUNTIME_MAX_KERNELS);
			goto out;
		}
		/* own rules first: they win over the base's */
		k = calloc((size_t)n + rt->n_kernels + 1, sizeof(*k));
		if (!k) {
			st = nomem(err, path);
			goto out;
		}
		if (rt->n_kernels)
			memcpy(k + n, rt->kernels, rt->n_kernels * sizeof(*k));
		free(rt->kernels);
		rt->kernels = k;
		cJSON_ArrayForEach(it, kernels) {
			size_t m2 = tfit_jpath_index(&p, i);
			st = parse_kernel(it, path, &p, &k[i], err);
			if (st != TFIT_OK) {
				/* keep the struct consistent for tfit_runtime_free */
				uint32_t j;
				kernel_release(&k[i]);
				for (j = i; j < n; j++)
					memset(&k[j], 0, sizeof(k[j]));
				rt->n_kernels += n;
				goto out;
			}
			tfit_jpath_restore(&p, m2);
			i++;
		}
		rt->n_kernels += n;
		tfit_jpath_restore(&p, mark);
	}
	*out = rt;
	rt = NULL;
out:
	tfit_runtime_free(rt);
	cJSON_Delete(root);
	free(text);
	return st;
}

enum tfit_status tfit_runtime_load_file(const char *path, struct tfit_runtime **out,
					struct tfit_error *err)
{
	return load_file(path, 0, NULL, out, err);
}

enum tfit_status tfit_runtime_load_path(const char *path, int depth, struct tfit_runtime_set *set,
					struct tfit_runtime **out, struct tfit_error *err)
{
	return load_file(path, depth, set, out, err);
}

void tfit_runtime_ids_free(char **ids)
{
	tfit_dir_list_free(ids);
}

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum tfit_status tfit_runtime_ids(const char *data_dir, char ***ids, struct tfit_error *err)
{
	char *dir;
	char **names = NULL;
	size_t n = 0, i;
	enum tfit_status st;

	*ids = NULL;
	dir = malloc(strlen(data_dir) + 12);
	if (!dir)
		return nomem(err, NULL);
	sprintf(dir, "%s/runtimes", data_dir);
	st = tfit_dir_list(dir, "runtime profile", ".json", &names, &n, err);
	free(dir);
	if (st != TFIT_OK)
		return st;
	/* "tflm.json" -> "tflm", then in id order ("tflm" before "tflm-...") */
	for (i = 0; i < n; i++)
		names[i][strlen(names[i]) - 5] = '\0';
	qsort(names, n, sizeof(*names), cmp_ids);
	*ids = names;
	return TFIT_OK;
}

enum tfit_status tfit_runtime_load_in(const char *data_dir, const char *id,
				      struct tfit_runtime_set *set, struct tfit_runtime **out,
				      struct tfit_error *err)
{
	char *path;
	FILE *f;
	enum tfit_status st;

	*out = NULL;
	if (!valid_id(id) || !data_dir)
		goto unknown;
	path = malloc(strlen(data_dir) + strlen(id) + 16);
	if (!path)
		return nomem(err, NULL);
	sprintf(path, "%s/runtimes/%s.json", data_dir, id);
	f = fopen(path, "rb");
	if (!f) {
		free(path);
		goto unknown;
	}
	fclose(f);
	st = load_file(path, 0, set, out, err);
	free(path);
	return st;
unknown: {
		char **ids = NULL, known[512];
		size_t i, used = 0;
		known[0] = '\0';
		if (data_dir && tfit_runtime_ids(data_dir, &ids, NULL) == TFIT_OK) {
			for (i = 0; ids[i] && used + strlen(ids[i]) + 3 < sizeof(known); i++)
				used += (size_t)snprintf(known + used, sizeof(known) - used,
							 "%s%s", i ? ", " : "", ids[i]);
			tfit_runtime_ids_free(ids);
		}
		return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
				      "unknown runtime '%s' (known: %s)", id ? id : "",
				      known[0] ? known : "none found");
	}
}

enum tfit_status tfit_runtime_load(const char *data_dir, const char *id,
				   struct tfit_runtime **out, struct tfit_error *err)
{
	return tfit_runtime_load_in(data_dir, id, NULL, out, err);
}

static int op_matches(const char *rule_op, const struct tfit_op *op)
{
	if (strncmp(rule_op, "custom:", 7) == 0)
		return tfit_op_custom_name(op) && (op->type == TFIT_OP_CUSTOM ||
					   op->type == TFIT_OP_UNKNOWN) &&
		       strcmp(rule_op + 7, tfit_op_custom_name(op)) == 0;
	return op->type != TFIT_OP_CUSTOM && op->type != TFIT_OP_UNKNOWN &&
	       strcmp(rule_op, tfit_op_desc(op->type)->name) == 0;
}

enum tfit_status tfit_runtime_find_rule(const struct tfit_runtime *rt,
					const struct tfit_model *m, uint32_t sg,
					uint32_t op_index,
					const struct tfit_kernel_rule **rule,
					struct tfit_error *err)
{
	const struct tfit_subgraph *g = &m->subgraphs[sg];
	const struct tfit_op *op = &g->ops[op_index];
	uint32_t i;
	*rule = NULL;
	for (i = 0; i < rt->n_kernels; i++) {
		const struct tfit_kernel_rule *k = &rt->kernels[i];
		if (!op_matches(k->op, op))
			continue;
		if (k->when) {
			int64_t v;
			enum tfit_status st = tfit_rule_expr_eval(k->when, g, op, &v, err);
			if (st != TFIT_OK)
				return st;
			if (!v)
				continue;
		}
		*rule = k;
		return TFIT_OK;
	}
	return TFIT_OK;
}

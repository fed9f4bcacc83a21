/*
 * runtime_flash.c - the runtime's code size: the "flash" section of a
 * runtime profile (docs/runtime-format.md) and the code a model's set of
 * op types links in: the core, each kernel's own code, and each group of
 * code that several kernels share, counted once if any of them is used.
 */
#define _POSIX_C_SOURCE 200809L
#include "runtime_flash.h"

#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "tinyfit/ops.h"
#include "util/strmap.h"

#define RUNTIME_MAX_SHARED_GROUPS 4096

static enum tfit_status nomem(struct tfit_error *err, const char *file)
{
	return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
}

static int valid_op_key(const char *op)
{
	return strncmp(op, "custom:", 7) == 0 || tfit_op_from_name(op) != TFIT_OP_COUNT;
}

static void groups_free(struct tfit_flash_group *g, uint32_t n)
{
	uint32_t i, j;
	for (i = 0; i < n; i++) {
		for (j = 0; j < g[i].n_ops; j++)
			free(g[i].ops[j]);
		free(g[i].ops);
	}
	free(g);
}

void tfit_runtime_flash_release(struct tfit_runtime *rt)
{
	uint32_t i;
	for (i = 0; i < rt->n_flash_kernels; i++)
		free(rt->flash_kernels[i].op);
	free(rt->flash_kernels);
	groups_free(rt->flash_groups, rt->n_flash_groups);
	free(rt->flash_source);
	free(rt->flash_measured_on);
}

/* "shared": [ { "kernels": ["conv_2d", ...], "bytes": N }, ... ], replacing
 * the base profile's groups. */
static enum tfit_status parse_shared(const cJSON *arr, const char *file, struct tfit_jpath *p,
				     struct tfit_runtime *rt, struct tfit_error *err)
{
	static const char *const keys[] = { "kernels", "bytes", NULL };
	struct tfit_flash_group *g = NULL;
	uint32_t n = 0, i;
	size_t mark = tfit_jpath_key(p, "shared");
	enum tfit_status st = TFIT_OK;
	const cJSON *it;

	if (!cJSON_IsArray(arr)) {
		st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				    "expected an array of {kernels, bytes}, got %s",
				    tfit_json_type_name(arr));
		goto out;
	}
	if (cJSON_GetArraySize(arr) > RUNTIME_MAX_SHARED_GROUPS) {
		st = tfit_error_set(err, TFIT_ERR_LIMIT, file, p->buf,
				    "more than %d groups", RUNTIME_MAX_SHARED_GROUPS);
		goto out;
	}
	n = (uint32_t)cJSON_GetArraySize(arr);
	if (n > 0 && !(g = calloc(n, sizeof(*g)))) {
		st = nomem(err, file);
		goto out;
	}
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		size_t m2 = tfit_jpath_index(p, i);
		const cJSON *ks, *k;
		int64_t v;
		int present;
		if (!cJSON_IsObject(it)) {
			st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "expected an object, got %s", tfit_json_type_name(it));
			goto out;
		}
		if ((st = tfit_json_check_keys(it, keys, file, p, err)) != TFIT_OK ||
		    (st = tfit_json_opt_int(it, "bytes", file, p, 0, INT64_MAX / 2, &v, &present,
					    err)) != TFIT_OK)
			goto out;
		ks = cJSON_GetObjectItemCaseSensitive(it, "kernels");
		if (!present || !cJSON_IsArray(ks) || cJSON_GetArraySize(ks) < 1 ||
		    cJSON_GetArraySize(ks) > TFIT_OP_COUNT * 4) {
			st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "expected \"kernels\": a non-empty array of op names "
					    "and \"bytes\": an integer");
			goto out;
		}
		g[i].bytes = (uint64_t)v;
		g[i].ops = calloc((size_t)cJSON_GetArraySize(ks), sizeof(char *));
		if (!g[i].ops) {
			st = nomem(err, file);
			goto out;
		}
		cJSON_ArrayForEach(k, ks) {
			if (!cJSON_IsString(k) || !valid_op_key(k->valuestring)) {
				st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
						    "kernels[%u]: expected an op name, got %s",
						    g[i].n_ops, cJSON_IsString(k) ? k->valuestring
									  : tfit_json_type_name(k));
				goto out;
			}
			if (tfit_strdup_to(&g[i].ops[g[i].n_ops], k->valuestring) != 0) {
				st = nomem(err, file);
				goto out;
			}
			g[i].n_ops++;
		}
		tfit_jpath_restore(p, m2);
		i++;
	}
	groups_free(rt->flash_groups, rt->n_flash_groups);
	rt->flash_groups = g;
	rt->n_flash_groups = n;
	g = NULL;
out:
	if (g)
		groups_free(g, n);
	tfit_jpath_restore(p, mark);
	return st;
}

enum tfit_status tfit_runtime_flash_parse(const cJSON *obj, const char *file,
					  struct tfit_jpath *p, struct tfit_runtime *rt,
					  struct tfit_error *err)
{
	static const char *const keys[] = { "base_bytes", "default_kernel_bytes", "kernels",
					    "source", "measured_on", "shared", "notes", NULL };
	const cJSON *ks, *it;
	size_t mark = tfit_jpath_key(p, "flash");
	int64_t v;
	int present;
	enum tfit_status st;

	if ((st = tfit_json_check_object(obj, keys, file, p, err)) != TFIT_OK)
		goto out;
	if ((st = tfit_json_opt_int(obj, "base_bytes", file, p, 0, INT64_MAX / 2, &v,
				    &present, err)) != TFIT_OK)
		goto out;
	if (present)
		rt->flash_base_bytes = (uint64_t)v;
	if ((st = tfit_json_opt_int(obj, "default_kernel_bytes", file, p, 0, INT64_MAX / 2,
				    &v, &present, err)) != TFIT_OK)
		goto out;
	if (present)
		rt->flash_default_kernel_bytes = (uint64_t)v;
	if (cJSON_GetObjectItemCaseSensitive(obj, "source")) {
		free(rt->flash_source);
		rt->flash_source = NULL;
		if ((st = tfit_json_dup_opt_string(obj, "source", file, p, &rt->flash_source,
						   err)) != TFIT_OK)
			goto out;
	}
	/* measured_on: a string, or null to say that a child's figures are
	 * estimates even though its base's were measured */
	if ((it = cJSON_GetObjectItemCaseSensitive(obj, "measured_on")) != NULL) {
		free(rt->flash_measured_on);
		rt->flash_measured_on = NULL;
		if (!cJSON_IsNull(it) &&
		    (st = tfit_json_dup_opt_string(obj, "measured_on", file, p,
						   &rt->flash_measured_on, err)) != TFIT_OK)
			goto out;
	}
	ks = cJSON_GetObjectItemCaseSensitive(obj, "kernels");
	if (ks && !cJSON_IsNull(ks)) {
		size_t m2 = tfit_jpath_key(p, "kernels");
		if (!cJSON_IsObject(ks)) {
			st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "expected an object of op name to bytes, got %s",
					    tfit_json_type_name(ks));
			goto out;
		}
		cJSON_ArrayForEach(it, ks) {
			uint32_t j;
			struct tfit_flash_kernel *fk;
			if (!valid_op_key(it->string)) {
				st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
						    "unknown op '%s'", it->string);
				goto out;
			}
			if ((st = tfit_json_item_int(it, file, p->buf, 0, INT64_MAX / 2, &v,
						     err)) != TFIT_OK)
				goto out;
			for (j = 0; j < rt->n_flash_kernels; j++)
				if (strcmp(rt->flash_kernels[j].op, it->string) == 0)
					break;
			if (j == rt->n_flash_kernels) {
				fk = realloc(rt->flash_kernels,
					     (rt->n_flash_kernels + 1) * sizeof(*fk));
				if (!fk) {
					st = nomem(err, file);
					goto out;
				}
				rt->flash_kernels = fk;
				fk[j].op = NULL;
				if (tfit_strdup_to(&fk[j].op, it->string) != 0) {
					st = nomem(err, file);
					goto out;
				}
				rt->n_flash_kernels++;
			}
			rt->flash_kernels[j].bytes = (uint64_t)v;
		}
		tfit_jpath_restore(p, m2);
	}
	if ((it = cJSON_GetObjectItemCaseSensitive(obj, "shared")) != NULL &&
	    (st = parse_shared(it, file, p, rt, err)) != TFIT_OK)
		goto out;
out:
	tfit_jpath_restore(p, mark);
	return st;
}

uint64_t tfit_runtime_kernel_flash_bytes(const struct tfit_runtime *rt, const char *op)
{
	uint32_t i;
	for (i = 0; i < rt->n_flash_kernels; i++)
		if (strcmp(rt->flash_kernels[i].op, op) == 0)
			return rt->flash_kernels[i].bytes;
	return rt->flash_default_kernel_bytes;
}

/* Whether op is one of ops[]: through the map when it could be built. */
static int uses(const struct tfit_strmap *set, int have_set, const char *const *ops, size_t n,
		const char *op)
{
	size_t i;
	if (have_set)
		return tfit_strmap_get(set, op, &i);
	for (i = 0; i < n; i++)
		if (strcmp(ops[i], op) == 0)
			return 1;
	return 0;
}

uint64_t tfit_runtime_code_bytes(const struct tfit_runtime *rt, const char *const *ops,
				 size_t n_ops)
{
	uint64_t total = rt->flash_base_bytes;
	struct tfit_strmap set;
	int have_set = 1;
	size_t i;
	uint32_t g, k;
	tfit_strmap_init(&set);
	for (i = 0; i < n_ops; i++) {
		total = tfit_sat_add_u64(total, tfit_runtime_kernel_flash_bytes(rt, ops[i]));
		if (have_set && tfit_strmap_put(&set, ops[i], i) != 0)
			have_set = 0; /* out of memory: scan the list instead */
	}
	for (g = 0; g < rt->n_flash_groups; g++)
		for (k = 0; k < rt->flash_groups[g].n_ops; k++)
			if (uses(&set, have_set, ops, n_ops, rt->flash_groups[g].ops[k])) {
				total = tfit_sat_add_u64(total, rt->flash_groups[g].bytes);
				break;
			}
	tfit_strmap_release(&set);
	return total;
}

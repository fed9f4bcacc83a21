/*
 * runtime_flash.c - the runtime's code size: the "flash" section of a
 * runtime profile (docs/runtime-format.md), a default code table and one
 * per core where the profile has one, and the code a model's set of op
 * types links in: the core, each kernel's own code, and each group of
 * code that several kernels share, counted once if any of them is used.
 */
#define _POSIX_C_SOURCE 200809L
#include "runtime_flash.h"

#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "tinyfit/graph.h"
#include "tinyfit/strbuf.h"
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

static void table_release(struct tfit_code_table *t)
{
	uint32_t i;
	for (i = 0; i < t->n_kernels; i++)
		free(t->kernels[i].op);
	free(t->kernels);
	groups_free(t->groups, t->n_groups);
	free(t->source);
	free(t->measured_on);
	free(t->archs);
	free(t->dtypes);
	memset(t, 0, sizeof(*t));
}

static void by_core_free(struct tfit_core_code_table *c, uint32_t n)
{
	uint32_t i;
	for (i = 0; i < n; i++) {
		free(c[i].core);
		table_release(&c[i].table);
	}
	free(c);
}

void tfit_runtime_flash_release(struct tfit_runtime *rt)
{
	table_release(&rt->flash);
	by_core_free(rt->flash_by_core, rt->n_flash_by_core);
	rt->flash_by_core = NULL;
	rt->n_flash_by_core = 0;
}

static int table_clone(struct tfit_code_table *d, const struct tfit_code_table *s)
{
	uint32_t i, j;
	*d = *s;
	d->kernels = NULL;
	d->groups = NULL;
	d->n_kernels = d->n_groups = 0;
	d->source = d->measured_on = d->archs = d->dtypes = NULL;
	if (tfit_strdup_to(&d->source, s->source) != TFIT_OK ||
	    tfit_strdup_to(&d->measured_on, s->measured_on) != TFIT_OK ||
	    tfit_strdup_to(&d->archs, s->archs) != TFIT_OK ||
	    tfit_strdup_to(&d->dtypes, s->dtypes) != TFIT_OK)
		return -1;
	if (s->n_kernels && !(d->kernels = calloc(s->n_kernels, sizeof(*d->kernels))))
		return -1;
	for (i = 0; i < s->n_kernels; i++, d->n_kernels++) {
		d->kernels[i].bytes = s->kernels[i].bytes;
		if (tfit_strdup_to(&d->kernels[i].op, s->kernels[i].op) != TFIT_OK)
			return -1;
	}
	if (s->n_groups && !(d->groups = calloc(s->n_groups, sizeof(*d->groups))))
		return -1;
	for (i = 0; i < s->n_groups; i++) {
		struct tfit_flash_group *g = &d->groups[i];
		d->n_groups++;
		g->bytes = s->groups[i].bytes;
		if (s->groups[i].n_ops && !(g->ops = calloc(s->groups[i].n_ops, sizeof(*g->ops))))
			return -1;
		for (j = 0; j < s->groups[i].n_ops; j++, g->n_ops++)
			if (tfit_strdup_to(&g->ops[j], s->groups[i].ops[j]) != TFIT_OK)
				return -1;
	}
	return 0;
}

int tfit_runtime_flash_clone(struct tfit_runtime *dst, const struct tfit_runtime *src)
{
	uint32_t i;
	if (table_clone(&dst->flash, &src->flash) != 0)
		return -1;
	if (src->n_flash_by_core &&
	    !(dst->flash_by_core = calloc(src->n_flash_by_core, sizeof(*dst->flash_by_core))))
		return -1;
	for (i = 0; i < src->n_flash_by_core; i++) {
		struct tfit_core_code_table *c = &dst->flash_by_core[i];
		dst->n_flash_by_core++;
		if (tfit_strdup_to(&c->core, src->flash_by_core[i].core) != TFIT_OK ||
		    table_clone(&c->table, &src->flash_by_core[i].table) != 0)
			return -1;
	}
	return 0;
}

/* "shared": [ { "kernels": ["conv_2d", ...], "bytes": N }, ... ], replacing
 * the base profile's groups. */
static enum tfit_status parse_shared(const cJSON *arr, const char *file, struct tfit_jpath *p,
				     struct tfit_code_table *t, struct tfit_error *err)
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
			if (tfit_strdup_to(&g[i].ops[g[i].n_ops], k->valuestring) != TFIT_OK) {
				st = nomem(err, file);
				goto out;
			}
			g[i].n_ops++;
		}
		tfit_jpath_restore(p, m2);
		i++;
	}
	groups_free(t->groups, t->n_groups);
	t->groups = g;
	t->n_groups = n;
	g = NULL;
out:
	if (g)
		groups_free(g, n);
	tfit_jpath_restore(p, mark);
	return st;
}

/* An architecture name as the core table writes it ("armv8-m.main"):
 * lower-case letters, digits, '.' and '-' (device.h's core table is the
 * device module's; tests/unit/test_runtime_archs checks the shipped names). */
static int arch_name(const char *a)
{
	return *a && strspn(a, "abcdefghijklmnopqrstuvwxyz0123456789.-") == strlen(a);
}

/* A dtype name exactly as tfit_dtype_name() writes it ("int8", "float32"). */
static int dtype_name(const char *d)
{
	return tfit_dtype_parse(d) != TFIT_DTYPE_UNKNOWN;
}

/* A list of names a fit's data covers ("archs", "dtypes"): a non-empty
 * array of strings that valid() accepts, kept comma-separated in *out;
 * what names the list and expected names a valid one in the errors. */
struct name_list {
	const char *key;
	const char *what;      /* "core architectures (\"armv7e-m\", ...)" */
	const char *expected;  /* "a core architecture as ..." */
	int (*valid)(const char *);
};

static enum tfit_status parse_names(const cJSON *arr, const struct name_list *l, const char *file,
				    struct tfit_jpath *p, char **out, struct tfit_error *err)
{
	size_t mark = tfit_jpath_key(p, l->key);
	struct tfit_strbuf b;
	const cJSON *it;
	size_t i = 0;
	enum tfit_status st = TFIT_OK;

	tfit_strbuf_init(&b);
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0) {
		st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				    "expected a non-empty array of %s, got %s", l->what,
				    tfit_json_type_name(arr));
		goto out;
	}
	cJSON_ArrayForEach(it, arr) {
		size_t m2 = tfit_jpath_index(p, i++);
		if (!cJSON_IsString(it) || !l->valid(it->valuestring)) {
			st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "expected %s, got %s%s%s", l->expected,
					    cJSON_IsString(it) ? "\"" : "",
					    cJSON_IsString(it) ? it->valuestring
							       : tfit_json_type_name(it),
					    cJSON_IsString(it) ? "\"" : "");
			goto out;
		}
		tfit_jpath_restore(p, m2);
		tfit_strbuf_printf(&b, "%s%s", b.len ? "," : "", it->valuestring);
	}
	if (b.oom) {
		st = nomem(err, file);
		goto out;
	}
	free(*out);
	*out = NULL;
	if (tfit_strdup_to(out, b.buf ? b.buf : "") != TFIT_OK)
		st = nomem(err, file);
out:
	tfit_strbuf_release(&b);
	tfit_jpath_restore(p, mark);
	return st;
}

/* "archs": ["armv7e-m", ...]: the architectures a fit's data covers, each
 * one of the core table's; "dtypes": ["int8"]: the model dtypes it covers. */
static const struct name_list archs_list = {
	"archs", "core architectures (\"armv7e-m\", ...)",
	"a core architecture as the core table names it, lower-case (\"armv6-m\", "
	"\"armv7e-m\", \"armv8-m.main\", ...)", arch_name
};
static const struct name_list dtypes_list = {
	"dtypes", "model dtypes (\"int8\", ...)",
	"a dtype as tinyfit names it (\"int8\", \"float32\", \"int16\", ...)", dtype_name
};

/* The keys of one code table into t (keys it lacks keep t's values). */
static enum tfit_status parse_table(const cJSON *obj, const char *file, struct tfit_jpath *p,
				    const char *const *keys, struct tfit_code_table *t,
				    struct tfit_error *err)
{
	const cJSON *ks, *it;
	int64_t v;
	int present;
	enum tfit_status st;

	if ((st = tfit_json_check_object(obj, keys, file, p, err)) != TFIT_OK)
		goto out;
	if ((st = tfit_json_opt_int(obj, "base_bytes", file, p, 0, INT64_MAX / 2, &v,
				    &present, err)) != TFIT_OK)
		goto out;
	if (present)
		t->base_bytes = (uint64_t)v;
	if ((st = tfit_json_opt_int(obj, "default_kernel_bytes", file, p, 0, INT64_MAX / 2,
				    &v, &present, err)) != TFIT_OK)
		goto out;
	if (present)
		t->default_kernel_bytes = (uint64_t)v;
	if ((st = tfit_json_opt_int(obj, "per_tensor_bytes", file, p, 0, INT64_MAX / 2, &v,
				    &present, err)) != TFIT_OK)
		goto out;
	if (present)
		t->per_tensor_bytes = (uint64_t)v;
	if ((st = tfit_json_opt_int(obj, "max_tensors", file, p, 1, INT64_MAX / 2, &v,
				    &present, err)) != TFIT_OK)
		goto out;
	if (present)
		t->max_tensors = (uint64_t)v;
	if ((st = tfit_json_opt_bool(obj, "listed_kernels_only", file, p,
				     &t->listed_kernels_only, NULL, err)) != TFIT_OK)
		goto out;
	if ((it = cJSON_GetObjectItemCaseSensitive(obj, "archs")) != NULL &&
	    (st = parse_names(it, &archs_list, file, p, &t->archs, err)) != TFIT_OK)
		goto out;
	if ((it = cJSON_GetObjectItemCaseSensitive(obj, "dtypes")) != NULL &&
	    (st = parse_names(it, &dtypes_list, file, p, &t->dtypes, err)) != TFIT_OK)
		goto out;
	if (cJSON_GetObjectItemCaseSensitive(obj, "source")) {
		free(t->source);
		t->source = NULL;
		if ((st = tfit_json_dup_opt_string(obj, "source", file, p, &t->source,
						   err)) != TFIT_OK)
			goto out;
	}
	/* measured_on: a string, or null to say that a child's figures are
	 * estimates even though its base's were measured */
	if ((it = cJSON_GetObjectItemCaseSensitive(obj, "measured_on")) != NULL) {
		free(t->measured_on);
		t->measured_on = NULL;
		if (!cJSON_IsNull(it) &&
		    (st = tfit_json_dup_opt_string(obj, "measured_on", file, p,
						   &t->measured_on, err)) != TFIT_OK)
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
			for (j = 0; j < t->n_kernels; j++)
				if (strcmp(t->kernels[j].op, it->string) == 0)
					break;
			if (j == t->n_kernels) {
				fk = realloc(t->kernels,
					     (t->n_kernels + 1) * sizeof(*fk));
				if (!fk) {
					st = nomem(err, file);
					goto out;
				}
				t->kernels = fk;
				fk[j].op = NULL;
				if (tfit_strdup_to(&fk[j].op, it->string) != TFIT_OK) {
					st = nomem(err, file);
					goto out;
				}
				t->n_kernels++;
			}
			t->kernels[j].bytes = (uint64_t)v;
		}
		tfit_jpath_restore(p, m2);
	}
	if ((it = cJSON_GetObjectItemCaseSensitive(obj, "shared")) != NULL &&
	    (st = parse_shared(it, file, p, t, err)) != TFIT_OK)
		goto out;
out:
	return st;
}

/* "by_core": { "cortex-m0plus": { a code table }, ... }, replacing the base
 * profile's list. Each table stands alone (nothing comes from "flash"). */
static enum tfit_status parse_by_core(const cJSON *obj, const char *file, struct tfit_jpath *p,
				      struct tfit_runtime *rt, struct tfit_error *err)
{
	static const char *const keys[] = { "base_bytes", "default_kernel_bytes", "kernels",
					    "per_tensor_bytes", "max_tensors", "listed_kernels_only", "archs",
					    "dtypes", "source", "measured_on", "shared", "notes", NULL };
	struct tfit_core_code_table *c = NULL;
	uint32_t n = 0;
	size_t mark = tfit_jpath_key(p, "by_core");
	enum tfit_status st = TFIT_OK;
	const cJSON *it;

	if (!cJSON_IsObject(obj)) {
		st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				    "expected an object of core id to code table, got %s",
				    tfit_json_type_name(obj));
		goto out;
	}
	if (cJSON_GetArraySize(obj) > 0 &&
	    !(c = calloc((size_t)cJSON_GetArraySize(obj), sizeof(*c)))) {
		st = nomem(err, file);
		goto out;
	}
	cJSON_ArrayForEach(it, obj) {
		size_t m2 = tfit_jpath_key(p, it->string);
		if (tfit_strdup_to(&c[n].core, it->string) != TFIT_OK) {
			st = nomem(err, file);
			goto out;
		}
		n++;
		if ((st = parse_table(it, file, p, keys, &c[n - 1].table, err)) != TFIT_OK)
			goto out;
		tfit_jpath_restore(p, m2);
	}
	by_core_free(rt->flash_by_core, rt->n_flash_by_core);
	rt->flash_by_core = c;
	rt->n_flash_by_core = n;
	c = NULL;
	n = 0;
out:
	by_core_free(c, n);
	tfit_jpath_restore(p, mark);
	return st;
}

enum tfit_status tfit_runtime_flash_parse(const cJSON *obj, const char *file,
					  struct tfit_jpath *p, struct tfit_runtime *rt,
					  struct tfit_error *err)
{
	static const char *const keys[] = { "base_bytes", "default_kernel_bytes", "kernels",
					    "per_tensor_bytes", "max_tensors", "listed_kernels_only", "archs",
					    "dtypes", "source", "measured_on", "shared", "by_core",
					    "notes", NULL };
	size_t mark = tfit_jpath_key(p, "flash");
	const cJSON *it;
	enum tfit_status st = parse_table(obj, file, p, keys, &rt->flash, err);
	if (st == TFIT_OK && (it = cJSON_GetObjectItemCaseSensitive(obj, "by_core")) != NULL)
		st = parse_by_core(it, file, p, rt, err);
	tfit_jpath_restore(p, mark);
	return st;
}

const struct tfit_code_table *tfit_runtime_code_table(const struct tfit_runtime *rt,
						      const char *core_id)
{
	uint32_t i;
	for (i = 0; core_id && i < rt->n_flash_by_core; i++)
		if (strcmp(rt->flash_by_core[i].core, core_id) == 0)
			return &rt->flash_by_core[i].table;
	return &rt->flash;
}

uint64_t tfit_code_table_kernel_bytes(const struct tfit_code_table *t, const char *op)
{
	uint32_t i;
	for (i = 0; i < t->n_kernels; i++)
		if (strcmp(t->kernels[i].op, op) == 0)
			return t->kernels[i].bytes;
	return t->default_kernel_bytes;
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

uint64_t tfit_code_table_bytes(const struct tfit_code_table *t, const char *const *ops,
			       size_t n_ops)
{
	uint64_t total = t->base_bytes;
	struct tfit_strmap set;
	int have_set = 1;
	size_t i;
	uint32_t g, k;
	tfit_strmap_init(&set);
	for (i = 0; i < n_ops; i++) {
		total = tfit_sat_add_u64(total, tfit_code_table_kernel_bytes(t, ops[i]));
		if (have_set && tfit_strmap_put(&set, ops[i], i) != 0)
			have_set = 0; /* out of memory: scan the list instead */
	}
	for (g = 0; g < t->n_groups; g++)
		for (k = 0; k < t->groups[g].n_ops; k++)
			if (uses(&set, have_set, ops, n_ops, t->groups[g].ops[k])) {
				total = tfit_sat_add_u64(total, t->groups[g].bytes);
				break;
			}
	tfit_strmap_release(&set);
	return total;
}

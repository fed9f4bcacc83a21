/*
 * kernel_model.c - reads data/cost/kernels.json (the per-path instruction
 * coefficients tools/kernel-cycles/fit.py writes, and the cycles per
 * instruction per runtime x core) and evaluates it (kernel_cost.h).
 */
#include "tinyfit/kernel_cost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_util.h"

void tfit_kernel_model_init(struct tfit_kernel_model *km)
{
	memset(km, 0, sizeof(*km));
}

void tfit_kernel_model_release(struct tfit_kernel_model *km)
{
	size_t i, j;
	if (!km)
		return;
	for (i = 0; i < km->n_tables; i++) {
		struct tfit_kernel_table *t = &km->tables[i];
		free(t->runtime);
		free(t->core);
		free(t->build);
		free(t->path);
		for (j = 0; j < t->n_features; j++)
			free(t->features[j]);
		free(t->features);
		free(t->coef);
	}
	free(km->tables);
	for (i = 0; i < km->n_cpus; i++) {
		free(km->cpus[i].runtime);
		free(km->cpus[i].core);
		free(km->cpus[i].build);
		free(km->cpus[i].instructions_core);
		free(km->cpus[i].source);
		for (j = 0; j < km->cpus[i].n_unmeasured_paths; j++)
			free(km->cpus[i].unmeasured_paths[j]);
		free(km->cpus[i].unmeasured_paths);
	}
	free(km->cpus);
	for (i = 0; i < km->n_builds; i++) {
		free(km->builds[i].id);
		free(km->builds[i].match);
		free(km->builds[i].summary);
		free(km->builds[i].source);
	}
	free(km->builds);
	free(km->source);
	tfit_kernel_model_init(km);
}

static enum tfit_status nomem(struct tfit_error *err, const char *file)
{
	return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
}

static enum tfit_status str(const cJSON *o, const char *key, const char *file,
			    const struct tfit_jpath *p, char **out, struct tfit_error *err)
{
	const char *s = NULL;
	enum tfit_status rc = tfit_json_req_string(o, key, file, p, &s, err);
	if (rc != TFIT_OK)
		return rc;
	return tfit_strdup_to(out, s) != TFIT_OK ? nomem(err, file) : TFIT_OK;
}

static enum tfit_status num(const cJSON *o, const char *key, const char *file,
			    const struct tfit_jpath *p, double min, double *out,
			    struct tfit_error *err)
{
	int present = 0;
	char path[TFIT_ERROR_PATH_MAX];
	enum tfit_status rc = tfit_json_opt_number(o, key, file, p, min, 1e12, out, &present,
						   err);
	if (rc != TFIT_OK || present)
		return rc;
	tfit_jpath_child(p, key, path, sizeof(path));
	return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
			      "missing required field (expected a number >= %g)", min);
}

static const char *const table_keys[] = {
	"runtime", "core", "build", "path", "points", "max_error", "median_error", "coef", NULL
};

static enum tfit_status parse_table(const cJSON *o, const char *file, struct tfit_jpath *p,
				    struct tfit_kernel_table *t, struct tfit_error *err)
{
	const cJSON *coef, *c;
	enum tfit_status rc;
	size_t n = 0, len;
	double ignored;

	if ((rc = tfit_json_check_object(o, table_keys, file, p, err)) != TFIT_OK ||
	    (rc = str(o, "runtime", file, p, &t->runtime, err)) != TFIT_OK ||
	    (rc = str(o, "core", file, p, &t->core, err)) != TFIT_OK ||
	    (rc = tfit_json_dup_opt_string(o, "build", file, p, &t->build, err)) != TFIT_OK ||
	    (rc = str(o, "path", file, p, &t->path, err)) != TFIT_OK ||
	    (rc = num(o, "max_error", file, p, 0, &t->max_error, err)) != TFIT_OK ||
	    (rc = num(o, "median_error", file, p, 0, &ignored, err)) != TFIT_OK)
		return rc;
	coef = cJSON_GetObjectItemCaseSensitive(o, "coef");
	if (!cJSON_IsObject(coef))
		return tfit_json_type_error(file, p, "coef", "an object of feature: instructions",
					    coef, err);
	len = tfit_jpath_key(p, "coef");
	cJSON_ArrayForEach(c, coef)
		n++;
	t->features = calloc(n ? n : 1, sizeof(*t->features));
	t->coef = calloc(n ? n : 1, sizeof(*t->coef));
	if (!t->features || !t->coef) {
		rc = nomem(err, file);
		goto out;
	}
	cJSON_ArrayForEach(c, coef) {
		if (!cJSON_IsNumber(c) || !(c->valuedouble >= 0)) {
			size_t l2 = tfit_jpath_key(p, c->string);
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "expected a non-negative number of instructions");
			tfit_jpath_restore(p, l2);
			goto out;
		}
		if (tfit_strdup_to(&t->features[t->n_features], c->string) != TFIT_OK) {
			rc = nomem(err, file);
			goto out;
		}
		t->coef[t->n_features++] = c->valuedouble;
	}
out:
	tfit_jpath_restore(p, len);
	return rc;
}

static const char *const cpu_keys[] = {
	"runtime", "core", "build", "instructions_core", "cycles_per_instruction",
	"op_overhead_cycles", "unmeasured_paths", "source", "source_detail", NULL
};

/* cpus[].unmeasured_paths: an optional array of code path names */
static enum tfit_status parse_unmeasured(const cJSON *o, const char *file, struct tfit_jpath *p,
					 struct tfit_kernel_cpu *u, struct tfit_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "unmeasured_paths"), *c;
	enum tfit_status rc = TFIT_OK;
	size_t len;
	if (!a)
		return TFIT_OK;
	if (!cJSON_IsArray(a))
		return tfit_json_type_error(file, p, "unmeasured_paths",
					    "an array of code path names", a, err);
	u->unmeasured_paths = calloc((size_t)cJSON_GetArraySize(a) + 1,
				     sizeof(*u->unmeasured_paths));
	if (!u->unmeasured_paths)
		return nomem(err, file);
	len = tfit_jpath_key(p, "unmeasured_paths");
	cJSON_ArrayForEach(c, a) {
		if (!cJSON_IsString(c) || !c->valuestring[0]) {
			size_t l2 = tfit_jpath_index(p, u->n_unmeasured_paths);
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "expected a code path name (\"conv.1x1\")");
			tfit_jpath_restore(p, l2);
			break;
		}
		if (tfit_strdup_to(&u->unmeasured_paths[u->n_unmeasured_paths],
				   c->valuestring) != TFIT_OK) {
			rc = nomem(err, file);
			break;
		}
		u->n_unmeasured_paths++;
	}
	tfit_jpath_restore(p, len);
	return rc;
}

static enum tfit_status parse_cpu(const cJSON *o, const char *file, struct tfit_jpath *p,
				  struct tfit_kernel_cpu *u, struct tfit_error *err)
{
	enum tfit_status rc;
	if ((rc = tfit_json_check_object(o, cpu_keys, file, p, err)) != TFIT_OK ||
	    (rc = str(o, "runtime", file, p, &u->runtime, err)) != TFIT_OK ||
	    (rc = str(o, "core", file, p, &u->core, err)) != TFIT_OK ||
	    (rc = tfit_json_dup_opt_string(o, "build", file, p, &u->build, err)) != TFIT_OK ||
	    (rc = tfit_json_dup_opt_string(o, "instructions_core", file, p,
					   &u->instructions_core, err)) != TFIT_OK ||
	    (rc = num(o, "cycles_per_instruction", file, p, 0.01, &u->cycles_per_instruction,
		      err)) != TFIT_OK ||
	    (rc = num(o, "op_overhead_cycles", file, p, 0, &u->op_overhead_cycles, err)) !=
		    TFIT_OK ||
	    (rc = str(o, "source", file, p, &u->source, err)) != TFIT_OK ||
	    (rc = parse_unmeasured(o, file, p, u, err)) != TFIT_OK)
		return rc;
	return TFIT_OK;
}

static const char *const build_keys[] = { "id", "match", "summary", "source", NULL };

static enum tfit_status parse_build(const cJSON *o, const char *file, struct tfit_jpath *p,
				    struct tfit_kernel_build *b, struct tfit_error *err)
{
	enum tfit_status rc;
	if ((rc = tfit_json_check_object(o, build_keys, file, p, err)) != TFIT_OK ||
	    (rc = str(o, "id", file, p, &b->id, err)) != TFIT_OK ||
	    (rc = str(o, "match", file, p, &b->match, err)) != TFIT_OK ||
	    (rc = str(o, "summary", file, p, &b->summary, err)) != TFIT_OK ||
	    (rc = str(o, "source", file, p, &b->source, err)) != TFIT_OK)
		return rc;
	if (!b->match[0])
		return tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				      "match: empty (expected part of a chip name, \"ESP32\")");
	return TFIT_OK;
}

/* A table's or cpu's build (NULL: release) must be one of the model's builds. */
static enum tfit_status check_build(const struct tfit_kernel_model *km, const char *build,
				    const char *file, const char *what, size_t i,
				    struct tfit_error *err)
{
	size_t k;
	char path[64];
	if (!build)
		return TFIT_OK;
	for (k = 0; k < km->n_builds; k++)
		if (strcmp(km->builds[k].id, build) == 0)
			return TFIT_OK;
	snprintf(path, sizeof(path), "%s[%zu].build", what, i);
	return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
			      "unknown build '%s' (expected the id of an entry of \"builds\")",
			      build);
}

/* builds a and b are the same (NULL: the release build) */
static int same_build(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The order of the tables: runtime, core, build (the release build, NULL,
 * first) and path, so that tfit_kernel_instructions finds one by
 * bisection (a compare --all costs every op on every board). <0, 0, >0 as
 * the key (runtime, core, build, path) sorts before, with or after t. */
static int table_key_cmp(const char *runtime, const char *core, const char *build,
			 const char *path, const struct tfit_kernel_table *t)
{
	int c;
	if ((c = strcmp(runtime, t->runtime)) != 0 || (c = strcmp(core, t->core)) != 0)
		return c;
	if (!build != !t->build)
		return build ? 1 : -1;
	if (build && (c = strcmp(build, t->build)) != 0)
		return c;
	return strcmp(path, t->path);
}

struct table_at {
	struct tfit_kernel_table t;
	size_t at; /* its index in the file */
};

static int table_at_cmp(const void *a, const void *b)
{
	const struct table_at *x = a, *y = b;
	int c = table_key_cmp(x->t.runtime, x->t.core, x->t.build, x->t.path, &y->t);
	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

/* Sort the tables (table_key_cmp); two tables of the same runtime, core,
 * build and path are an error naming both (which one would the model
 * use?). On error the tables stay as read. */
static enum tfit_status sort_tables(struct tfit_kernel_model *km, const char *file,
				    struct tfit_error *err)
{
	struct table_at *v;
	size_t i;
	char path[64];
	if (km->n_tables < 2)
		return TFIT_OK;
	if (!(v = malloc(km->n_tables * sizeof(*v))))
		return nomem(err, file);
	for (i = 0; i < km->n_tables; i++) {
		v[i].t = km->tables[i];
		v[i].at = i;
	}
	qsort(v, km->n_tables, sizeof(*v), table_at_cmp);
	for (i = 1; i < km->n_tables; i++) {
		const struct tfit_kernel_table *a = &v[i - 1].t;
		if (table_key_cmp(a->runtime, a->core, a->build, a->path, &v[i].t) == 0) {
			size_t first = v[i - 1].at, later = v[i].at;
			free(v);
			snprintf(path, sizeof(path), "tables[%zu]", later);
			return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					      "the same runtime, core, build and path as "
					      "tables[%zu] (expected one table for each)", first);
		}
	}
	for (i = 0; i < km->n_tables; i++)
		km->tables[i] = v[i].t;
	free(v);
	return TFIT_OK;
}

/* A cpu's instructions_core must have a table of its runtime and build. */
static enum tfit_status check_instructions_core(const struct tfit_kernel_model *km,
						const struct tfit_kernel_cpu *u, const char *file,
						size_t i, struct tfit_error *err)
{
	size_t k;
	char path[64];
	if (!u->instructions_core)
		return TFIT_OK;
	for (k = 0; k < km->n_tables; k++)
		if (strcmp(km->tables[k].runtime, u->runtime) == 0 &&
		    strcmp(km->tables[k].core, u->instructions_core) == 0 &&
		    same_build(km->tables[k].build, u->build))
			return TFIT_OK;
	snprintf(path, sizeof(path), "cpus[%zu].instructions_core", i);
	return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
			      "no table of %s on '%s' for this build (expected a core with "
			      "measured tables)", u->runtime, u->instructions_core);
}

/* Each of a cpu's unmeasured_paths must be a path of its runtime's tables
 * on the core its instructions come from (a misspelt one would cost the ops
 * it names with the tables' instructions). */
static enum tfit_status check_unmeasured(const struct tfit_kernel_model *km,
					 const struct tfit_kernel_cpu *u, const char *file,
					 size_t i, struct tfit_error *err)
{
	size_t j, k;
	char path[96];
	const char *core = u->instructions_core ? u->instructions_core : u->core;
	for (j = 0; j < u->n_unmeasured_paths; j++) {
		for (k = 0; k < km->n_tables; k++)
			if (strcmp(km->tables[k].runtime, u->runtime) == 0 &&
			    strcmp(km->tables[k].core, core) == 0 &&
			    strcmp(km->tables[k].path, u->unmeasured_paths[j]) == 0)
				break;
		if (k == km->n_tables) {
			snprintf(path, sizeof(path), "cpus[%zu].unmeasured_paths[%zu]", i, j);
			return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					      "no table of %s on '%s' has path '%s' (expected a "
					      "path of its tables)", u->runtime, core,
					      u->unmeasured_paths[j]);
		}
	}
	return TFIT_OK;
}

static const char *const model_keys[] = { "source", "tables", "cpus", "builds", NULL };

enum tfit_status tfit_kernel_model_parse(const void *root_v, const char *file,
					 struct tfit_kernel_model *km, struct tfit_error *err)
{
	const cJSON *root = root_v, *arr, *o;
	struct tfit_jpath p;
	enum tfit_status rc;
	size_t n, i, len;

	tfit_jpath_init(&p);
	if ((rc = tfit_json_check_object(root, model_keys, file, &p, err)) != TFIT_OK ||
	    (rc = str(root, "source", file, &p, &km->source, err)) != TFIT_OK)
		return rc;
	arr = cJSON_GetObjectItemCaseSensitive(root, "tables");
	if (!cJSON_IsArray(arr))
		return tfit_json_type_error(file, &p, "tables", "an array of tables", arr, err);
	n = (size_t)cJSON_GetArraySize(arr);
	if (!(km->tables = calloc(n ? n : 1, sizeof(*km->tables))))
		return nomem(err, file);
	len = tfit_jpath_key(&p, "tables");
	i = 0;
	cJSON_ArrayForEach(o, arr) {
		size_t l2 = tfit_jpath_index(&p, i++);
		km->n_tables++;
		if ((rc = parse_table(o, file, &p, &km->tables[km->n_tables - 1], err)) != TFIT_OK)
			return rc;
		tfit_jpath_restore(&p, l2);
	}
	tfit_jpath_restore(&p, len);
	arr = cJSON_GetObjectItemCaseSensitive(root, "cpus");
	if (!cJSON_IsArray(arr))
		return tfit_json_type_error(file, &p, "cpus", "an array of cpus", arr, err);
	n = (size_t)cJSON_GetArraySize(arr);
	if (!(km->cpus = calloc(n ? n : 1, sizeof(*km->cpus))))
		return nomem(err, file);
	len = tfit_jpath_key(&p, "cpus");
	i = 0;
	cJSON_ArrayForEach(o, arr) {
		size_t l2 = tfit_jpath_index(&p, i++);
		km->n_cpus++;
		if ((rc = parse_cpu(o, file, &p, &km->cpus[km->n_cpus - 1], err)) != TFIT_OK)
			return rc;
		tfit_jpath_restore(&p, l2);
	}
	tfit_jpath_restore(&p, len);
	arr = cJSON_GetObjectItemCaseSensitive(root, "builds");
	if (arr && !cJSON_IsArray(arr))
		return tfit_json_type_error(file, &p, "builds", "an array of builds", arr, err);
	n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (n && !(km->builds = calloc(n, sizeof(*km->builds))))
		return nomem(err, file);
	len = tfit_jpath_key(&p, "builds");
	i = 0;
	cJSON_ArrayForEach(o, arr) {
		size_t l2 = tfit_jpath_index(&p, i++);
		km->n_builds++;
		if ((rc = parse_build(o, file, &p, &km->builds[km->n_builds - 1], err)) != TFIT_OK)
			return rc;
		tfit_jpath_restore(&p, l2);
	}
	tfit_jpath_restore(&p, len);
	for (i = 0; i < km->n_tables; i++)
		if ((rc = check_build(km, km->tables[i].build, file, "tables", i, err)) != TFIT_OK)
			return rc;
	for (i = 0; i < km->n_cpus; i++)
		if ((rc = check_build(km, km->cpus[i].build, file, "cpus", i, err)) != TFIT_OK ||
		    (rc = check_instructions_core(km, &km->cpus[i], file, i, err)) != TFIT_OK ||
		    (rc = check_unmeasured(km, &km->cpus[i], file, i, err)) != TFIT_OK)
			return rc;
	return sort_tables(km, file, err);
}

/* runtime_id without "@version" equals id */
static int same_runtime(const char *runtime_id, const char *id)
{
	size_t len = strcspn(runtime_id, "@");
	return strlen(id) == len && strncmp(runtime_id, id, len) == 0;
}

/* The runtime whose tables hold each implementation's instructions */
static const char *const impl_table_runtime[TFIT_KERNEL_IMPL_COUNT] = {
	"tflm-cmsis-nn", "tflm", "tflm-esp-nn"
};

int tfit_kernel_impl_of_runtime(const char *runtime_id)
{
	if (!runtime_id)
		return -1;
	/* microTVM's CMSIS-NN BYOC offloads every int8 conv (depthwise with a
	 * bias), fully connected, pooling, add, mul and softmax to the CMSIS-NN
	 * calls TFLM's cmsis_nn kernels make (apache/tvm
	 * python/tvm/relay/op/contrib/cmsisnn.py, pattern_table): the same
	 * instructions, with the runtime's own cycles per instruction */
	if (same_runtime(runtime_id, "tflm-cmsis-nn") ||
	    same_runtime(runtime_id, "microtvm-cmsis-nn"))
		return TFIT_KERNEL_CMSIS_NN;
	if (same_runtime(runtime_id, "tflm"))
		return TFIT_KERNEL_TFLM_REF;
	if (same_runtime(runtime_id, "tflm-esp-nn"))
		return TFIT_KERNEL_ESP_NN;
	return -1;
}

const struct tfit_kernel_build *tfit_kernel_build_find(const struct tfit_kernel_model *km,
						       const char *runtime_id, const char *core,
						       const char *mcu)
{
	size_t i;
	if (!km || !mcu)
		return NULL;
	for (i = 0; i < km->n_builds; i++)
		if (strstr(mcu, km->builds[i].match) &&
		    tfit_kernel_cpu_find(km, runtime_id, core, km->builds[i].id))
			return &km->builds[i];
	return NULL;
}

int tfit_kernel_instructions(const struct tfit_kernel_model *km, const char *runtime_id,
			     const char *core, const char *build,
			     const struct tfit_kernel_shape *s, double *instructions)
{
	struct tfit_kernel_feature f[TFIT_KERNEL_MAX_FEATURES];
	int impl = tfit_kernel_impl_of_runtime(runtime_id);
	const char *path;
	size_t i, j, n, lo, hi;

	if (!km || impl < 0 || !core || !s)
		return 0;
	path = tfit_kernel_path((enum tfit_kernel_impl)impl, core, s);
	/* the tables are sorted (sort_tables): bisect */
	lo = 0;
	hi = km->n_tables;
	while (lo < hi) {
		const struct tfit_kernel_table *t;
		double sum = 0;
		int c;
		i = lo + (hi - lo) / 2;
		t = &km->tables[i];
		c = table_key_cmp(impl_table_runtime[impl], core, build, path, t);
		if (c < 0) {
			hi = i;
			continue;
		}
		if (c > 0) {
			lo = i + 1;
			continue;
		}
		n = tfit_kernel_features((enum tfit_kernel_impl)impl, core, s, f);
		for (j = 0; j < t->n_features; j++) {
			size_t k;
			/* the first byte first: most names differ there */
			for (k = 0; k < n; k++)
				if (f[k].name[0] == t->features[j][0] &&
				    strcmp(f[k].name, t->features[j]) == 0)
					sum += t->coef[j] * f[k].value;
		}
		*instructions = sum;
		return 1;
	}
	return 0;
}

const struct tfit_kernel_cpu *tfit_kernel_cpu_find(const struct tfit_kernel_model *km,
						   const char *runtime_id, const char *core,
						   const char *build)
{
	size_t i;
	if (!km || !runtime_id || !core)
		return NULL;
	for (i = 0; i < km->n_cpus; i++)
		if (same_runtime(runtime_id, km->cpus[i].runtime) &&
		    strcmp(km->cpus[i].core, core) == 0 && same_build(km->cpus[i].build, build))
			return &km->cpus[i];
	return NULL;
}

const char *tfit_kernel_cpu_instructions_core(const struct tfit_kernel_cpu *cpu)
{
	return cpu->instructions_core ? cpu->instructions_core : cpu->core;
}

int tfit_kernel_cpu_runs_path(const struct tfit_kernel_cpu *cpu, const char *path)
{
	size_t i;
	for (i = 0; i < cpu->n_unmeasured_paths; i++)
		if (strcmp(cpu->unmeasured_paths[i], path) == 0)
			return 0;
	return 1;
}

/*
 * cost_db.c - load the latency and energy data files of data/cost/ into a
 * struct tfit_cost_db (cost.h; format in docs/cost-format.md). Every number
 * lives in a data file with its source; this file only parses and checks.
 */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/cost.h"
#include "tinyfit/fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/dirlist.h"
#include "util/json_util.h"

#define COST_MAX_FILE_BYTES (4u * 1024 * 1024)
#define COST_MAX_TABLES 4096

static const char *const kind_names[TFIT_COST_KIND_COUNT] = {
	"conv", "conv_1x1", "depthwise", "fc", "recurrent", "pool", "elementwise",
	"softmax", "data_move",
};

/* The same, NULL-terminated, for tfit_json_check_keys. */
static const char *const kind_keys[TFIT_COST_KIND_COUNT + 1] = {
	"conv", "conv_1x1", "depthwise", "fc", "recurrent", "pool", "elementwise",
	"softmax", "data_move", NULL
};

static const char *const dtype_names[TFIT_COST_DTYPE_COUNT] = { "int8", "int16", "float32" };

const char *tfit_cost_kind_name(enum tfit_cost_kind k)
{
	return (unsigned)k < TFIT_COST_KIND_COUNT ? kind_names[k] : "unknown";
}

int tfit_cost_kind_counts_macs(enum tfit_cost_kind k)
{
	return k == TFIT_COST_KIND_CONV || k == TFIT_COST_KIND_CONV_1X1 ||
	       k == TFIT_COST_KIND_DEPTHWISE || k == TFIT_COST_KIND_FC ||
	       k == TFIT_COST_KIND_RECURRENT;
}

const char *tfit_cost_dtype_name(enum tfit_cost_dtype d)
{
	return (unsigned)d < TFIT_COST_DTYPE_COUNT ? dtype_names[d] : "unknown";
}

static int parse_dtype(const char *s, enum tfit_cost_dtype *out)
{
	int i;
	for (i = 0; i < TFIT_COST_DTYPE_COUNT; i++) {
		if (strcmp(s, dtype_names[i]) == 0) {
			*out = (enum tfit_cost_dtype)i;
			return 0;
		}
	}
	return -1;
}

static char *dup_str(const char *s)
{
	size_t n;
	char *d;
	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static void str_list_free(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void table_release(struct tfit_cost_table *t)
{
	int k;
	free(t->id);
	str_list_free(t->cores, t->n_cores);
	str_list_free(t->families, t->n_families);
	free(t->version);
	for (k = 0; k <= TFIT_COST_KIND_COUNT; k++)
		free(t->sources[k]);
	free(t->basis);
	free(t->interval_source);
}

static void runtime_release(struct tfit_cost_runtime *r)
{
	size_t i;
	for (i = 0; i < r->n_tables; i++)
		table_release(&r->tables[i]);
	free(r->tables);
	free(r->id);
	free(r->name);
	free(r->file);
	free(r->float_runtime);
	free(r->int16_source);
	free(r->soft_float_source);
	free(r->prior_interval_source);
	free(r->flash_weights_source);
	for (i = 0; i < r->n_not_for; i++) {
		free(r->not_for[i].family);
		free(r->not_for[i].reason);
	}
	free(r->not_for);
	memset(r, 0, sizeof(*r));
}

void tfit_cost_db_init(struct tfit_cost_db *db)
{
	memset(db, 0, sizeof(*db));
}

void tfit_cost_db_release(struct tfit_cost_db *db)
{
	size_t i;
	if (!db)
		return;
	if (db->compiled) {
		memset(db, 0, sizeof(*db));
		return;
	}
	for (i = 0; i < db->n_runtimes; i++)
		runtime_release(&db->runtimes[i]);
	free(db->runtimes);
	for (i = 0; i < db->n_accels; i++) {
		free(db->accels[i].kind);
		free(db->accels[i].source);
	}
	free(db->accels);
	free(db->energy.source);
	free(db->memory.weights_source);
	free(db->memory.activations_source);
	tfit_cost_flash_release(&db->flash);
	tfit_kernel_model_release(&db->kernels);
	free(db->dir);
	memset(db, 0, sizeof(*db));
}

static enum tfit_status nomem(struct tfit_error *err, const char *file)
{
	return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
}

/* A required non-empty string, copied. */
static enum tfit_status req_str(const cJSON *obj, const char *key, const char *file,
				const struct tfit_jpath *p, char **out, struct tfit_error *err)
{
	const char *s = NULL;
	char path[TFIT_ERROR_PATH_MAX];
	enum tfit_status rc = tfit_json_req_string(obj, key, file, p, &s, err);
	if (rc != TFIT_OK)
		return rc;
	if (!s[0]) {
		tfit_jpath_child(p, key, path, sizeof(path));
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a non-empty string, got \"\"");
	}
	if (!(*out = dup_str(s)))
		return nomem(err, file);
	return TFIT_OK;
}

static enum tfit_status opt_str(const cJSON *obj, const char *key, const char *file,
				const struct tfit_jpath *p, char **out, struct tfit_error *err)
{
	const char *s = NULL;
	int present = 0;
	enum tfit_status rc = tfit_json_opt_string(obj, key, file, p, &s, &present, err);
	if (rc != TFIT_OK || !present)
		return rc;
	if (!(*out = dup_str(s)))
		return nomem(err, file);
	return TFIT_OK;
}

/* A required number in (min, max]: costs and factors are strictly positive. */
static enum tfit_status req_pos(const cJSON *obj, const char *key, const char *file,
				const struct tfit_jpath *p, double max, double *out,
				struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	int present = 0;
	double v = 0;
	enum tfit_status rc = tfit_json_opt_number(obj, key, file, p, -1e300, 1e300, &v,
						   &present, err);
	if (rc != TFIT_OK)
		return rc;
	tfit_jpath_child(p, key, path, sizeof(path));
	if (!present)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "missing required field (expected a positive number)");
	if (!(v > 0) || v > max)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a positive number up to %g, got %.17g", max, v);
	*out = v;
	return TFIT_OK;
}

/* An array of non-empty strings (may be absent when !required). */
static enum tfit_status str_array(const cJSON *obj, const char *key, int required,
				  const char *file, struct tfit_jpath *p, char ***out,
				  size_t *n_out, struct tfit_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
	const cJSON *it;
	size_t n = 0, mark;
	char path[TFIT_ERROR_PATH_MAX];
	*out = NULL;
	*n_out = 0;
	if (!a || cJSON_IsNull(a)) {
		if (!required)
			return TFIT_OK;
		tfit_jpath_child(p, key, path, sizeof(path));
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "missing required field (expected an array of strings)");
	}
	if (!cJSON_IsArray(a))
		return tfit_json_type_error(file, p, key, "an array of strings", a, err);
	*out = calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(char *));
	if (!*out)
		return nomem(err, file);
	mark = tfit_jpath_key(p, key);
	cJSON_ArrayForEach(it, a) {
		if (!cJSON_IsString(it) || !it->valuestring[0]) {
			tfit_jpath_index(p, n);
			tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				       "expected a non-empty string, got %s",
				       cJSON_IsString(it) ? "\"\"" : tfit_json_type_name(it));
			tfit_jpath_restore(p, mark);
			*n_out = n;
			return TFIT_ERR_INPUT;
		}
		if (!((*out)[n] = dup_str(it->valuestring))) {
			tfit_jpath_restore(p, mark);
			*n_out = n;
			return nomem(err, file);
		}
		n++;
	}
	tfit_jpath_restore(p, mark);
	*n_out = n;
	if (required && n == 0)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, tfit_jpath_child(p, key, path, sizeof(path)),
				      "expected at least one entry, got []");
	return TFIT_OK;
}

static const char *const table_keys[] = {
	"id", "cores", "families", "dtype", "version", "current", "requires_fpu", "basis",
	"cycles_per_unit", "op_overhead_cycles", "sources", "calibration", "interval_pct",
	"interval_source", NULL
};

/* An optional interval: "<key>_pct" (0..10000) with its "<key>_source". */
static enum tfit_status opt_interval(const cJSON *o, const char *pct_key, const char *src_key,
				     const char *file, struct tfit_jpath *p, double *pct, char **src,
				     struct tfit_error *err)
{
	int have = 0;
	enum tfit_status rc = tfit_json_opt_number(o, pct_key, file, p, 0, 1e4, pct, &have, err);
	if (rc != TFIT_OK || !have) {
		*pct = 0;
		return rc;
	}
	return req_str(o, src_key, file, p, src, err);
}

static enum tfit_status parse_table(const cJSON *o, const char *file, struct tfit_jpath *p,
				    struct tfit_cost_table *t, struct tfit_error *err)
{
	const cJSON *cpu, *src;
	const char *dt = NULL;
	size_t mark;
	int k, present = 0;
	enum tfit_status rc;
	char path[TFIT_ERROR_PATH_MAX];

	if (!cJSON_IsObject(o))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf, "expected an object, got %s",
				      tfit_json_type_name(o));
	if ((rc = tfit_json_check_keys(o, table_keys, file, p, err)) != TFIT_OK)
		return rc;
	if ((rc = req_str(o, "id", file, p, &t->id, err)) != TFIT_OK)
		return rc;
	if ((rc = str_array(o, "cores", 1, file, p, &t->cores, &t->n_cores, err)) != TFIT_OK)
		return rc;
	if ((rc = str_array(o, "families", 0, file, p, &t->families, &t->n_families, err)) != TFIT_OK)
		return rc;
	if ((rc = tfit_json_req_string(o, "dtype", file, p, &dt, err)) != TFIT_OK)
		return rc;
	if (parse_dtype(dt, &t->dtype) != 0)
		return tfit_error_set(err, TFIT_ERR_INPUT, file,
				      tfit_jpath_child(p, "dtype", path, sizeof(path)),
				      "expected int8, int16 or float32, got \"%s\"", dt);
	if ((rc = opt_str(o, "version", file, p, &t->version, err)) != TFIT_OK)
		return rc;
	if ((rc = tfit_json_opt_bool(o, "requires_fpu", file, p, &t->requires_fpu, &present,
				     err)) != TFIT_OK)
		return rc;
	t->current = t->version == NULL;
	if ((rc = tfit_json_opt_bool(o, "current", file, p, &t->current, &present, err)) != TFIT_OK)
		return rc;
	if (!t->version)
		t->current = 1;
	if ((rc = req_str(o, "basis", file, p, &t->basis, err)) != TFIT_OK)
		return rc;
	if ((rc = opt_interval(o, "interval_pct", "interval_source", file, p, &t->interval_pct,
			       &t->interval_source, err)) != TFIT_OK)
		return rc;

	cpu = cJSON_GetObjectItemCaseSensitive(o, "cycles_per_unit");
	src = cJSON_GetObjectItemCaseSensitive(o, "sources");
	if (!cJSON_IsObject(cpu))
		return tfit_json_type_error(file, p, "cycles_per_unit",
					    "an object of cycles per MAC or element", cpu, err);
	mark = tfit_jpath_key(p, "cycles_per_unit");
	rc = tfit_json_check_keys(cpu, kind_keys, file, p, err);
	for (k = 0; rc == TFIT_OK && k < TFIT_COST_KIND_COUNT; k++)
		rc = req_pos(cpu, kind_names[k], file, p, 1e9, &t->cycles_per_unit[k], err);
	tfit_jpath_restore(p, mark);
	if (rc != TFIT_OK)
		return rc;
	{
		int have = 0;
		double v = 0;
		rc = tfit_json_opt_number(o, "op_overhead_cycles", file, p, 0, 1e12, &v, &have, err);
		if (rc != TFIT_OK)
			return rc;
		if (!have)
			return tfit_error_set(err, TFIT_ERR_INPUT, file,
					      tfit_jpath_child(p, "op_overhead_cycles", path, sizeof(path)),
					      "missing required field (expected a number >= 0)");
		t->op_overhead_cycles = v;
	}
	/* A source for every number. */
	if (!cJSON_IsObject(src))
		return tfit_json_type_error(file, p, "sources", "an object of citations", src, err);
	mark = tfit_jpath_key(p, "sources");
	for (k = 0; k <= TFIT_COST_KIND_COUNT; k++) {
		const char *key = k < TFIT_COST_KIND_COUNT ? kind_names[k] : "op_overhead_cycles";
		if ((rc = req_str(src, key, file, p, &t->sources[k], err)) != TFIT_OK)
			break;
	}
	tfit_jpath_restore(p, mark);
	return rc;
}

static const char *const runtime_keys[] = {
	"$comment", "runtime", "name", "description", "float_runtime", "int16_factor",
	"int16_source", "soft_float_factor", "soft_float_source", "prior_interval_pct",
	"prior_interval_source", "not_for_families", "flash_weights_source", "tables", NULL
};

/* "not_for_families": {"arm-a": "why not, and what instead"} */
static enum tfit_status parse_not_for(const cJSON *root, const char *file, struct tfit_jpath *p,
				      struct tfit_cost_runtime *r, struct tfit_error *err)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "not_for_families"), *it;
	size_t mark, n;
	enum tfit_status rc = TFIT_OK;
	if (!o)
		return TFIT_OK;
	if (!cJSON_IsObject(o))
		return tfit_json_type_error(file, p, "not_for_families",
					    "an object of core family: reason", o, err);
	n = (size_t)cJSON_GetArraySize(o);
	r->not_for = calloc(n ? n : 1, sizeof(*r->not_for));
	if (!r->not_for)
		return nomem(err, file);
	mark = tfit_jpath_key(p, "not_for_families");
	cJSON_ArrayForEach(it, o) {
		struct tfit_cost_not_for *nf = &r->not_for[r->n_not_for];
		if ((rc = req_str(o, it->string, file, p, &nf->reason, err)) != TFIT_OK)
			break;
		r->n_not_for++;
		if (!(nf->family = strdup(it->string))) {
			rc = nomem(err, file);
			break;
		}
	}
	tfit_jpath_restore(p, mark);
	return rc;
}

static enum tfit_status parse_runtime(const cJSON *root, const char *file,
				      struct tfit_cost_runtime *r, struct tfit_error *err)
{
	struct tfit_jpath p;
	const cJSON *tables, *it;
	size_t mark, n;
	enum tfit_status rc;

	tfit_jpath_init(&p);
	if ((rc = tfit_json_check_keys(root, runtime_keys, file, &p, err)) != TFIT_OK)
		return rc;
	if ((rc = req_str(root, "runtime", file, &p, &r->id, err)) != TFIT_OK ||
	    (rc = req_str(root, "name", file, &p, &r->name, err)) != TFIT_OK ||
	    (rc = opt_str(root, "float_runtime", file, &p, &r->float_runtime, err)) != TFIT_OK ||
	    (rc = opt_str(root, "flash_weights_source", file, &p, &r->flash_weights_source, err)) !=
		    TFIT_OK ||
	    (rc = req_pos(root, "int16_factor", file, &p, 1e3, &r->int16_factor, err)) != TFIT_OK ||
	    (rc = req_str(root, "int16_source", file, &p, &r->int16_source, err)) != TFIT_OK ||
	    (rc = req_pos(root, "soft_float_factor", file, &p, 1e4, &r->soft_float_factor, err)) != TFIT_OK ||
	    (rc = req_str(root, "soft_float_source", file, &p, &r->soft_float_source, err)) != TFIT_OK ||
	    (rc = opt_interval(root, "prior_interval_pct", "prior_interval_source", file, &p,
			       &r->prior_interval_pct, &r->prior_interval_source, err)) != TFIT_OK)
		return rc;
	if ((rc = parse_not_for(root, file, &p, r, err)) != TFIT_OK)
		return rc;
	if (strchr(r->id, '@'))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "runtime",
				      "expected a runtime id without '@', got \"%s\"", r->id);
	tables = cJSON_GetObjectItemCaseSensitive(root, "tables");
	if (!cJSON_IsArray(tables) || cJSON_GetArraySize(tables) == 0)
		return tfit_json_type_error(file, &p, "tables", "a non-empty array of tables",
					    tables, err);
	n = (size_t)cJSON_GetArraySize(tables);
	if (n > COST_MAX_TABLES)
		return tfit_error_set(err, TFIT_ERR_LIMIT, file, "tables",
				      "%zu tables, over the limit of %d", n, COST_MAX_TABLES);
	r->tables = calloc(n, sizeof(*r->tables));
	if (!r->tables)
		return nomem(err, file);
	mark = tfit_jpath_key(&p, "tables");
	cJSON_ArrayForEach(it, tables) {
		size_t m2 = tfit_jpath_index(&p, r->n_tables);
		rc = parse_table(it, file, &p, &r->tables[r->n_tables], err);
		r->n_tables++;
		if (rc != TFIT_OK)
			return rc;
		tfit_jpath_restore(&p, m2);
	}
	tfit_jpath_restore(&p, mark);
	return TFIT_OK;
}

static const char *const accel_keys[] = { "kind", "utilization", "op_overhead_us", "source", NULL };

static enum tfit_status parse_accels(const cJSON *root, const char *file, struct tfit_cost_db *db,
				     struct tfit_error *err)
{
	static const char *const top[] = { "$comment", "accelerators", NULL };
	struct tfit_jpath p;
	const cJSON *arr, *it;
	enum tfit_status rc;
	size_t mark;

	tfit_jpath_init(&p);
	if ((rc = tfit_json_check_keys(root, top, file, &p, err)) != TFIT_OK)
		return rc;
	arr = cJSON_GetObjectItemCaseSensitive(root, "accelerators");
	if (!cJSON_IsArray(arr))
		return tfit_json_type_error(file, &p, "accelerators", "an array", arr, err);
	db->accels = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*db->accels));
	if (!db->accels)
		return nomem(err, file);
	mark = tfit_jpath_key(&p, "accelerators");
	cJSON_ArrayForEach(it, arr) {
		struct tfit_cost_accel *a = &db->accels[db->n_accels++];
		const cJSON *u;
		int k, any = 0;
		size_t m2 = tfit_jpath_index(&p, db->n_accels - 1), m3;
		if (!cJSON_IsObject(it))
			return tfit_error_set(err, TFIT_ERR_INPUT, file, p.buf,
					      "expected an object, got %s", tfit_json_type_name(it));
		if ((rc = tfit_json_check_keys(it, accel_keys, file, &p, err)) != TFIT_OK ||
		    (rc = req_str(it, "kind", file, &p, &a->kind, err)) != TFIT_OK ||
		    (rc = req_str(it, "source", file, &p, &a->source, err)) != TFIT_OK ||
		    (rc = tfit_json_opt_number(it, "op_overhead_us", file, &p, 0, 1e6,
					       &a->op_overhead_us, NULL, err)) != TFIT_OK)
			return rc;
		u = cJSON_GetObjectItemCaseSensitive(it, "utilization");
		if (!cJSON_IsObject(u))
			return tfit_json_type_error(file, &p, "utilization",
						    "an object of fractions of peak", u, err);
		m3 = tfit_jpath_key(&p, "utilization");
		if ((rc = tfit_json_check_keys(u, kind_keys, file, &p, err)) != TFIT_OK)
			return rc;
		for (k = 0; k < TFIT_COST_KIND_COUNT; k++) {
			int present = 0;
			if ((rc = tfit_json_opt_number(u, kind_names[k], file, &p, 0, 1,
						       &a->utilization[k], &present, err)) != TFIT_OK)
				return rc;
			any |= present && a->utilization[k] > 0;
		}
		tfit_jpath_restore(&p, m3);
		if (!any)
			return tfit_error_set(err, TFIT_ERR_INPUT, file, p.buf,
					      "utilization: expected at least one kind above 0");
		tfit_jpath_restore(&p, m2);
	}
	tfit_jpath_restore(&p, mark);
	return TFIT_OK;
}

/* {"int8": x, "int16": y, "float32": z}, all positive. */
static enum tfit_status dtype_numbers(const cJSON *obj, const char *key, const char *file,
				      struct tfit_jpath *p, double *out, struct tfit_error *err)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, key);
	static const char *const keys[] = { "int8", "int16", "float32", NULL };
	enum tfit_status rc;
	size_t mark;
	int d;
	if (!cJSON_IsObject(o))
		return tfit_json_type_error(file, p, key, "an object with int8, int16 and float32",
					    o, err);
	mark = tfit_jpath_key(p, key);
	rc = tfit_json_check_keys(o, keys, file, p, err);
	for (d = 0; rc == TFIT_OK && d < TFIT_COST_DTYPE_COUNT; d++)
		rc = req_pos(o, dtype_names[d], file, p, 1e9, &out[d], err);
	tfit_jpath_restore(p, mark);
	return rc;
}

static enum tfit_status parse_energy(const cJSON *root, const char *file, struct tfit_cost_db *db,
				     struct tfit_error *err)
{
	static const char *const top[] = { "$comment", "energy", NULL };
	static const char *const keys[] = { "mac_pj", "elem_pj", "sram_read_pj_per_byte",
					    "source", NULL };
	struct tfit_jpath p;
	const cJSON *e;
	enum tfit_status rc;

	tfit_jpath_init(&p);
	if ((rc = tfit_json_check_keys(root, top, file, &p, err)) != TFIT_OK)
		return rc;
	e = cJSON_GetObjectItemCaseSensitive(root, "energy");
	if (!cJSON_IsObject(e))
		return tfit_json_type_error(file, &p, "energy", "an object", e, err);
	tfit_jpath_key(&p, "energy");
	if ((rc = tfit_json_check_keys(e, keys, file, &p, err)) != TFIT_OK ||
	    (rc = dtype_numbers(e, "mac_pj", file, &p, db->energy.mac_pj, err)) != TFIT_OK ||
	    (rc = dtype_numbers(e, "elem_pj", file, &p, db->energy.elem_pj, err)) != TFIT_OK ||
	    (rc = req_pos(e, "sram_read_pj_per_byte", file, &p, 1e9,
			  &db->energy.sram_read_pj_per_byte, err)) != TFIT_OK ||
	    (rc = req_str(e, "source", file, &p, &db->energy.source, err)) != TFIT_OK)
		return rc;
	return TFIT_OK;
}

static enum tfit_status parse_memory(const cJSON *root, const char *file, struct tfit_cost_db *db,
				     struct tfit_error *err)
{
	static const char *const top[] = { "$comment", "memory", NULL };
	static const char *const keys[] = { "weights_external_factor", "weights_source",
					    "activations_external_factor", "activations_source",
					    NULL };
	struct tfit_jpath p;
	const cJSON *m;
	enum tfit_status rc;

	tfit_jpath_init(&p);
	if ((rc = tfit_json_check_keys(root, top, file, &p, err)) != TFIT_OK)
		return rc;
	m = cJSON_GetObjectItemCaseSensitive(root, "memory");
	if (!cJSON_IsObject(m))
		return tfit_json_type_error(file, &p, "memory", "an object", m, err);
	tfit_jpath_key(&p, "memory");
	if ((rc = tfit_json_check_keys(m, keys, file, &p, err)) != TFIT_OK ||
	    (rc = req_pos(m, "weights_external_factor", file, &p, 1e3,
			  &db->memory.weights_external_factor, err)) != TFIT_OK ||
	    (rc = req_str(m, "weights_source", file, &p, &db->memory.weights_source, err)) != TFIT_OK ||
	    (rc = req_pos(m, "activations_external_factor", file, &p, 1e3,
			  &db->memory.activations_external_factor, err)) != TFIT_OK ||
	    (rc = req_str(m, "activations_source", file, &p, &db->memory.activations_source,
			  err)) != TFIT_OK)
		return rc;
	return TFIT_OK;
}

/* Files of data/cost/ that are not runtime tables. */
enum file_kind {
	FILE_RUNTIME, FILE_ACCELERATORS, FILE_ENERGY, FILE_MEMORY, FILE_KERNELS, FILE_FLASH,
	FILE_IGNORED
};

static enum file_kind kind_of_file(const char *name)
{
	if (strcmp(name, "accelerators.json") == 0)
		return FILE_ACCELERATORS;
	if (strcmp(name, "energy.json") == 0)
		return FILE_ENERGY;
	if (strcmp(name, "memory.json") == 0)
		return FILE_MEMORY;
	if (strcmp(name, "kernels.json") == 0)
		return FILE_KERNELS;
	if (strcmp(name, "flash.json") == 0)
		return FILE_FLASH;
	/* The calibration map is read by tools/calibrate.py and the calibration
	 * test, not by the estimator. */
	if (strcmp(name, "calibration-systems.json") == 0)
		return FILE_IGNORED;
	return FILE_RUNTIME;
}

static enum tfit_status load_file(const char *dir, const char *name, struct tfit_cost_db *db,
				  int *seen, struct tfit_error *err)
{
	char path[4096 + 256], label[300];
	char *text = NULL;
	size_t len = 0;
	cJSON *root = NULL;
	enum tfit_status rc;
	enum file_kind fk = kind_of_file(name);

	if (fk == FILE_IGNORED)
		return TFIT_OK;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(label, sizeof(label), "cost/%s", name);
	if ((rc = tfit_file_read(path, COST_MAX_FILE_BYTES, &text, &len, err)) != TFIT_OK)
		goto out;
	if ((rc = tfit_json_parse(text, len, label, &root, err)) != TFIT_OK)
		goto out;
	if (!cJSON_IsObject(root)) {
		rc = tfit_error_set(err, TFIT_ERR_INPUT, label, NULL,
				    "expected a JSON object at the top level, got %s",
				    tfit_json_type_name(root));
		goto out;
	}
	seen[fk] = 1;
	switch (fk) {
	case FILE_ACCELERATORS:
		rc = parse_accels(root, label, db, err);
		break;
	case FILE_ENERGY:
		rc = parse_energy(root, label, db, err);
		break;
	case FILE_MEMORY:
		rc = parse_memory(root, label, db, err);
		break;
	case FILE_KERNELS:
		rc = tfit_kernel_model_parse(root, label, &db->kernels, err);
		break;
	case FILE_FLASH:
		rc = tfit_cost_flash_parse(root, label, &db->flash, err);
		break;
	case FILE_RUNTIME: {
		struct tfit_cost_runtime *r, *grown;
		size_t i;
		grown = realloc(db->runtimes, (db->n_runtimes + 1) * sizeof(*grown));
		if (!grown) {
			rc = nomem(err, label);
			break;
		}
		db->runtimes = grown;
		r = &db->runtimes[db->n_runtimes++];
		memset(r, 0, sizeof(*r));
		if ((rc = parse_runtime(root, label, r, err)) != TFIT_OK)
			break;
		if (!(r->file = dup_str(label))) {
			rc = nomem(err, label);
			break;
		}
		for (i = 0; i + 1 < db->n_runtimes; i++) {
			if (strcmp(db->runtimes[i].id, r->id) == 0) {
				rc = tfit_error_set(err, TFIT_ERR_INPUT, label, "runtime",
						    "runtime '%s' is already defined in %s",
						    r->id, db->runtimes[i].file);
				break;
			}
		}
		break;
	}
	case FILE_IGNORED:
		break;
	}
out:
	cJSON_Delete(root);
	free(text);
	return rc;
}

enum tfit_status tfit_cost_db_load(const char *data_dir, struct tfit_cost_db *db,
				   struct tfit_error *err)
{
	char dir[4096];
	char **names = NULL;
	size_t n = 0, i;
	int seen[FILE_IGNORED + 1] = { 0 };
	enum tfit_status rc = TFIT_OK;

	tfit_cost_db_init(db);
	snprintf(dir, sizeof(dir), "%s/cost", data_dir ? data_dir : ".");
	if ((rc = tfit_dir_list(dir, "cost table", ".json", &names, &n, err)) != TFIT_OK)
		return rc;
	for (i = 0; i < n && rc == TFIT_OK; i++)
		rc = load_file(dir, names[i], db, seen, err);
	if (rc != TFIT_OK)
		goto out;
	if (!seen[FILE_ACCELERATORS] || !seen[FILE_ENERGY] || !seen[FILE_MEMORY] || !db->n_runtimes) {
		rc = tfit_error_set(err, TFIT_ERR_INPUT, dir, NULL,
				    "incomplete cost tables: expected accelerators.json, energy.json, "
				    "memory.json and at least one runtime file");
		goto out;
	}
	for (i = 0; i < db->n_runtimes; i++) {
		const struct tfit_cost_runtime *r = &db->runtimes[i];
		if (r->float_runtime && !tfit_cost_db_runtime(db, r->float_runtime)) {
			rc = tfit_error_set(err, TFIT_ERR_INPUT, r->file, "float_runtime",
					    "no runtime '%s' in the cost tables", r->float_runtime);
			goto out;
		}
	}
	if (!(db->dir = dup_str(dir)))
		rc = nomem(err, dir);
out:
	tfit_dir_list_free(names);
	if (rc != TFIT_OK)
		tfit_cost_db_release(db);
	return rc;
}

const struct tfit_cost_runtime *tfit_cost_db_runtime(const struct tfit_cost_db *db,
						     const char *runtime_id)
{
	size_t i, len;
	const char *at;
	if (!db || !runtime_id)
		return NULL;
	at = strchr(runtime_id, '@');
	len = at ? (size_t)(at - runtime_id) : strlen(runtime_id);
	for (i = 0; i < db->n_runtimes; i++)
		if (strlen(db->runtimes[i].id) == len &&
		    strncmp(db->runtimes[i].id, runtime_id, len) == 0)
			return &db->runtimes[i];
	return NULL;
}

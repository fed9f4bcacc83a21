/*
 * docs/device.schema.json against the code and the data: the schema's
 * vocabularies (cores, fpu, simd, runtimes, accelerator kinds, source keys)
 * are exactly the loader's, every shipped profile and good fixture is valid
 * under the schema (a small validator for the keywords the schema uses), and
 * the bad fixtures that break a schema rule are invalid under it too.
 */
#define _POSIX_C_SOURCE 200809L
#include "tfit_test.h"
#include "tinyfit/device.h"
#include "tinyfit/fileio.h"

#include <cJSON.h>
#include <dirent.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>

static cJSON *schema;

static cJSON *load_json(const char *path)
{
	char *data = NULL;
	size_t len = 0;
	struct tfit_error err;
	cJSON *j;
	if (tfit_file_read(path, TFIT_FILE_MAX_BYTES, &data, &len, &err) != TFIT_OK) {
		fprintf(stderr, "%s: %s\n", path, err.message);
		return NULL;
	}
	j = cJSON_ParseWithLength(data, len);
	free(data);
	return j;
}

static const cJSON *resolve(const cJSON *s)
{
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(s, "$ref");
	if (ref && cJSON_IsString(ref) && strncmp(ref->valuestring, "#/$defs/", 8) == 0)
		return cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(schema, "$defs"), ref->valuestring + 8);
	return s;
}

static int in_enum(const cJSON *e, const cJSON *v)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, e)
		if (cJSON_Compare(x, v, 1))
			return 1;
	return 0;
}

static const char *const known[] = {
	"$schema", "$id", "$defs", "$ref", "title", "description", "type", "enum", "required",
	"properties", "additionalProperties", "propertyNames", "pattern", "minLength", "minimum",
	"maximum", "exclusiveMinimum", "minItems", "items", "uniqueItems", "dependentRequired",
	"minProperties",
	NULL,
};

/* Validate v against schema node s; returns the number of violations. */
static int validate(const cJSON *s, const cJSON *v, const char *where)
{
	const cJSON *k, *t;
	int bad = 0;
	/* A "$ref" node is replaced by its definition (its siblings in this
	 * schema are descriptions only). */
	s = resolve(s);
	if (!s)
		return 1;
	cJSON_ArrayForEach(k, s) {
		size_t i;
		int ok = 0;
		for (i = 0; known[i]; i++)
			if (!strcmp(k->string, known[i]))
				ok = 1;
		if (!ok) {
			fprintf(stderr, "schema keyword %s not supported by the test\n", k->string);
			bad++;
		}
	}
	if ((t = cJSON_GetObjectItemCaseSensitive(s, "type")) != NULL) {
		const char *ty = t->valuestring;
		int ok = (!strcmp(ty, "object") && cJSON_IsObject(v)) ||
			 (!strcmp(ty, "array") && cJSON_IsArray(v)) ||
			 (!strcmp(ty, "string") && cJSON_IsString(v)) ||
			 (!strcmp(ty, "number") && cJSON_IsNumber(v)) ||
			 (!strcmp(ty, "integer") && cJSON_IsNumber(v) &&
			  v->valuedouble == floor(v->valuedouble));
		if (!ok) {
			fprintf(stderr, "%s: not of type %s\n", where, ty);
			return bad + 1;
		}
	}
	if ((t = cJSON_GetObjectItemCaseSensitive(s, "enum")) != NULL && !in_enum(t, v)) {
		fprintf(stderr, "%s: not in enum\n", where);
		bad++;
	}
	if (cJSON_IsNumber(v)) {
		if ((t = cJSON_GetObjectItemCaseSensitive(s, "minimum")) && v->valuedouble < t->valuedouble)
			bad++;
		if ((t = cJSON_GetObjectItemCaseSensitive(s, "maximum")) && v->valuedouble > t->valuedouble)
			bad++;
		if ((t = cJSON_GetObjectItemCaseSensitive(s, "exclusiveMinimum")) &&
		    v->valuedouble <= t->valuedouble)
			bad++;
	}
	if (cJSON_IsString(v)) {
		if ((t = cJSON_GetObjectItemCaseSensitive(s, "minLength")) &&
		    strlen(v->valuestring) < (size_t)t->valuedouble)
			bad++;
		if ((t = cJSON_GetObjectItemCaseSensitive(s, "pattern")) != NULL) {
			regex_t re;
			if (regcomp(&re, t->valuestring, REG_EXTENDED | REG_NOSUB) != 0) {
				fprintf(stderr, "pattern %s does not compile as POSIX ERE\n", t->valuestring);
				bad++;
			} else {
				if (regexec(&re, v->valuestring, 0, NULL, 0) != 0) {
					fprintf(stderr, "%s: \"%s\" does not match %s\n", where,
						v->valuestring, t->valuestring);
					bad++;
				}
				regfree(&re);
			}
		}
	}
	if (cJSON_IsObject(v)) {
		const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
		const cJSON *addl = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
		const cJSON *names = cJSON_GetObjectItemCaseSensitive(s, "propertyNames");
		const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
		const cJSON *dep = cJSON_GetObjectItemCaseSensitive(s, "dependentRequired");
		cJSON_ArrayForEach(t, req)
			if (!cJSON_GetObjectItemCaseSensitive(v, t->valuestring)) {
				fprintf(stderr, "%s: missing %s\n", where, t->valuestring);
				bad++;
			}
		cJSON_ArrayForEach(k, dep) {
			if (!cJSON_GetObjectItemCaseSensitive(v, k->string))
				continue;
			cJSON_ArrayForEach(t, k)
				if (!cJSON_GetObjectItemCaseSensitive(v, t->valuestring)) {
					fprintf(stderr, "%s: %s needs %s\n", where, k->string,
						t->valuestring);
					bad++;
				}
		}
		cJSON_ArrayForEach(k, v) {
			char sub[256];
			const cJSON *ps = props ? cJSON_GetObjectItemCaseSensitive(props, k->string) : NULL;
			snprintf(sub, sizeof(sub), "%s.%s", where, k->string);
			if (names) {
				cJSON *nm = cJSON_CreateString(k->string);
				bad += validate(names, nm, sub);
				cJSON_Delete(nm);
			}
			if (ps)
				bad += validate(ps, k, sub);
			else if (addl && cJSON_IsFalse(addl)) {
				fprintf(stderr, "%s: not allowed\n", sub);
				bad++;
			} else if (addl && cJSON_IsObject(addl))
				bad += validate(addl, k, sub);
		}
	}
	if (cJSON_IsObject(v) && (t = cJSON_GetObjectItemCaseSensitive(s, "minProperties")) &&
	    cJSON_GetArraySize(v) < (int)t->valuedouble)
		bad++;
	if (cJSON_IsArray(v)) {
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(s, "items");
		const cJSON *x, *y;
		int i = 0;
		if ((t = cJSON_GetObjectItemCaseSensitive(s, "minItems")) &&
		    cJSON_GetArraySize(v) < (int)t->valuedouble)
			bad++;
		cJSON_ArrayForEach(x, v) {
			char sub[256];
			snprintf(sub, sizeof(sub), "%s[%d]", where, i++);
			if (items)
				bad += validate(items, x, sub);
			if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "uniqueItems")))
				for (y = x->next; y; y = y->next)
					if (cJSON_Compare(x, y, 1))
						bad++;
		}
	}
	return bad;
}

static int validate_file(const char *path)
{
	cJSON *j = load_json(path);
	int bad;
	if (!j)
		return 1;
	bad = validate(schema, j, path);
	cJSON_Delete(j);
	return bad;
}

static const cJSON *prop(const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(schema, "properties"), name);
}

static size_t enum_count(const cJSON *e)
{
	return (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "enum"));
}

static int enum_has(const cJSON *e, const char *s)
{
	cJSON *x = cJSON_CreateString(s);
	int r = in_enum(cJSON_GetObjectItemCaseSensitive(e, "enum"), x);
	cJSON_Delete(x);
	return r;
}

/* The schema's lists are the code's lists, no more and no less. */
static void test_vocabularies(void)
{
	size_t i;
	const cJSON *accel;
	static const char *const simd[] = {
		"none", "armv7e-m-dsp", "armv8-m-dsp", "helium", "neon", "xtensa-pie", "riscv-pie", "xpulp",
		"rx-dsp", "arc-dsp", NULL,
	};
	CHECK_U64(enum_count(prop("core")), tfit_device_core_count());
	for (i = 0; i < tfit_device_core_count(); i++)
		CHECK(enum_has(prop("core"), tfit_device_core_at(i)->id));
	CHECK_U64(enum_count(prop("fpu")), 3);
	CHECK(enum_has(prop("fpu"), "none") && enum_has(prop("fpu"), "sp") &&
	      enum_has(prop("fpu"), "dp"));
	for (i = 0; simd[i]; i++) {
		CHECK(tfit_device_simd_valid(simd[i]));
		CHECK(enum_has(prop("simd"), simd[i]));
	}
	CHECK_U64(enum_count(prop("simd")), i);
	/* any runtime id of the registry: the schema gives the spelling only */
	CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(prop("default_runtime"), "pattern")));
	CHECK_STR(cJSON_GetObjectItemCaseSensitive(prop("default_runtime"), "pattern")->valuestring,
		  "^[a-z0-9._-]+(@[a-z0-9._-]+)?$");
	accel = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(prop("accelerator"), "properties"), "kind");
	CHECK_U64(enum_count(accel), 5);
}

static void test_files(void)
{
	static const char *const dirs[] = {
		TFIT_SOURCE_DIR "/devices", TFIT_SOURCE_DIR "/tests/data/devices/good",
		TFIT_SOURCE_DIR "/tests/data/devices/override", NULL,
	};
	/* Fixtures whose mistake a schema can express (the others break
	 * cross-field or cross-file rules only the loader checks). */
	static const char *const schema_bad[] = {
		"bad_fpu", "bad_runtime_name", "bad_unit", "decimal_unit", "missing_field",
		"missing_sources", "negative_clock", "size_as_number", "unknown_core",
		"unknown_field", "wrong_type", "zero_clock", "scope_without_power", "bad_scope",
		NULL,
	};
	size_t i, n = 0;
	for (i = 0; dirs[i]; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *e;
		CHECK(d != NULL);
		while (d && (e = readdir(d)) != NULL) {
			char path[1024];
			size_t l = strlen(e->d_name);
			if (l < 6 || strcmp(e->d_name + l - 5, ".json"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i], e->d_name);
			CHECK_I64(validate_file(path), 0);
			n++;
		}
		if (d)
			closedir(d);
	}
	CHECK(n >= 61 + 4);
	for (i = 0; schema_bad[i]; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/tests/data/devices/bad/%s/test_board.json",
			 TFIT_SOURCE_DIR, schema_bad[i]);
		fprintf(stderr, "(expected) ");
		CHECK(validate_file(path) > 0);
	}
}

int main(void)
{
	schema = load_json(TFIT_SOURCE_DIR "/docs/device.schema.json");
	CHECK(schema != NULL);
	if (!schema)
		return tfit_test_finish();
	test_vocabularies();
	test_files();
	cJSON_Delete(schema);
	return tfit_test_finish();
}

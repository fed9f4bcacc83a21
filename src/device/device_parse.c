/*
 * device_parse.c - one device profile: JSON text -> struct tfit_device, with
 * every rule of docs/device-format.md checked and reported with the file and
 * the JSON path. cJSON is confined to this file (ARCHITECTURE.md: readers convert
 * and delete the tree before returning).
 */
#include "tinyfit/device.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "tinyfit/fileio.h"
#include "tinyfit/strbuf.h"
#include "tinyfit/units.h"
#include "util/json_util.h"
#include "util/strmap.h"
#include "device_internal.h"


static const char *const accel_keys[] = {
	"kind", "name", "macs_per_cycle", "clock_mhz", "tops", NULL,
};
static const char *const reserve_keys[] = { "flash", "sram", NULL };

/* Clock and power limits: wide enough for any board, tight enough to catch
 * a value written in the wrong unit (Hz for MHz, W for mW is the other way). */
#define MAX_CLOCK_MHZ 10000.0
/* The slowest clock a profile may give: 1 MHz, the ATmega328P's factory
 * default (internal 8 MHz RC oscillator with CKDIV8 programmed; Microchip
 * ATmega328P datasheet DS40002061B, 13.2.2 "Default Clock Source"). The
 * slowest board of ../shared/reference/devices.csv runs at 16 MHz. A lower
 * value is a unit mistake (Hz or GHz for MHz) or a hostile file: 5e-324 MHz
 * made every latency infinite. */
#define MIN_CLOCK_MHZ 1.0
#define MAX_POWER_MW 1.0e6
#define MAX_PRICE_USD 1.0e5

char *tfit_device_strdup(const char *s)
{
	size_t n;
	char *p;
	if (!s)
		return NULL;
	n = strlen(s);
	p = malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

static enum tfit_status nomem(const char *file, struct tfit_error *err)
{
	return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
}

/* A size is a string: digits, optional fraction, then B, KiB, MiB or GiB,
 * with nothing between the number and the unit. */
static int size_syntax_ok(const char *s)
{
	const char *p = s;
	int digits = 0;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits++;
	}
	if (!digits)
		return 0;
	if (*p == '.') {
		p++;
		digits = 0;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
		if (!digits)
			return 0;
	}
	return strcmp(p, "B") == 0 || strcmp(p, "KiB") == 0 || strcmp(p, "MiB") == 0 ||
	       strcmp(p, "GiB") == 0;
}

/* Parse a size item at path (already built); *bytes > 0 on success. */
enum tfit_status tfit_device_size_item(const cJSON *it, const char *file, const char *path,
				  uint64_t *bytes, struct tfit_error *err)
{
	if (cJSON_IsNumber(it))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a size string such as \"256KiB\", got number %.17g",
				      it->valuedouble);
	if (!cJSON_IsString(it) || !it->valuestring)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a size string such as \"256KiB\", got %s",
				      tfit_json_type_name(it));
	if (!size_syntax_ok(it->valuestring) ||
	    tfit_units_parse_bytes(it->valuestring, bytes) != 0)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a size such as \"256KiB\" (units B, KiB, MiB, GiB), "
				      "got \"%.60s\"", it->valuestring);
	if (*bytes == 0)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a positive size, got \"%.60s\" (leave the field out "
				      "when the board has none or it is unknown)", it->valuestring);
	return TFIT_OK;
}

/* Optional size field key of obj; leaves *bytes 0 when absent. */
enum tfit_status tfit_device_opt_size(const cJSON *obj, const char *key, const char *file,
				 const struct tfit_jpath *p, uint64_t *bytes,
				 struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!it)
		return TFIT_OK;
	tfit_jpath_child(p, key, path, sizeof(path));
	return tfit_device_size_item(it, file, path, bytes, err);
}

/* Optional "<power>_scope" ("board" or "chip"), only beside its power field. */
static enum tfit_status opt_power_scope(const cJSON *root, const char *key, const char *power_key,
					const char *file, const struct tfit_jpath *p,
					enum tfit_power_scope *out, struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	const char *s = NULL;
	int present = 0;
	enum tfit_status rc = tfit_json_opt_string(root, key, file, p, &s, &present, err);
	if (rc != TFIT_OK || !present)
		return rc;
	tfit_jpath_child(p, key, path, sizeof(path));
	if (!cJSON_GetObjectItemCaseSensitive(root, power_key))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "given without %s (a scope describes that figure)",
				      power_key);
	if (strcmp(s, "board") == 0)
		*out = TFIT_POWER_SCOPE_BOARD;
	else if (strcmp(s, "chip") == 0)
		*out = TFIT_POWER_SCOPE_CHIP;
	else
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "unknown scope \"%.60s\" (expected board or chip)", s);
	return TFIT_OK;
}

/* Optional positive number (> 0, <= max). */
static enum tfit_status opt_positive(const cJSON *obj, const char *key, const char *file,
				     const struct tfit_jpath *p, double max, double *out,
				     struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!it)
		return TFIT_OK;
	tfit_jpath_child(p, key, path, sizeof(path));
	if (cJSON_IsNull(it))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a positive number, got null (leave the field out "
				      "when it is unknown)");
	if (!cJSON_IsNumber(it))
		return tfit_json_type_error(file, p, key, "a positive number", it, err);
	if (!isfinite(it->valuedouble))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a finite number, got %s (out of the range of a "
				      "double)", it->valuedouble > 0 ? "inf" : "-inf");
	if (!(it->valuedouble > 0.0))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a positive number, got %.17g", it->valuedouble);
	if (it->valuedouble > max)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "%.17g is too large (at most %g; check the unit in the "
				      "field name)", it->valuedouble, max);
	*out = it->valuedouble;
	return TFIT_OK;
}

/* Optional clock in MHz: positive, MIN_CLOCK_MHZ to MAX_CLOCK_MHZ. */
static enum tfit_status opt_clock(const cJSON *obj, const char *file,
				  const struct tfit_jpath *p, double *out, struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	double v = 0.0;
	enum tfit_status rc = opt_positive(obj, "clock_mhz", file, p, MAX_CLOCK_MHZ, &v, err);
	if (rc != TFIT_OK || v == 0.0)
		return rc;
	if (v < MIN_CLOCK_MHZ) {
		tfit_jpath_child(p, "clock_mhz", path, sizeof(path));
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "%.17g MHz is too slow (at least %g MHz; check the unit in "
				      "the field name)", v, MIN_CLOCK_MHZ);
	}
	*out = v;
	return TFIT_OK;
}

/* Required non-empty string, copied. */
enum tfit_status tfit_device_req_text(const cJSON *obj, const char *key, const char *file,
				      const struct tfit_jpath *p, char **out,
				      struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	const char *s = NULL;
	enum tfit_status rc = tfit_json_req_string(obj, key, file, p, &s, err);
	if (rc != TFIT_OK)
		return rc;
	if (!s[0])
		return tfit_error_set(err, TFIT_ERR_INPUT, file,
				      tfit_jpath_child(p, key, path, sizeof(path)),
				      "expected a non-empty string");
	*out = tfit_device_strdup(s);
	return *out ? TFIT_OK : nomem(file, err);
}

static int id_syntax_ok(const char *s)
{
	const char *p;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-' || *p == '.'))
			return 0;
	return p - s <= 64;
}

static enum tfit_status parse_core(const cJSON *root, const char *file,
				   const struct tfit_jpath *p, struct tfit_device *dev,
				   struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	const char *s = NULL;
	enum tfit_status rc = tfit_json_req_string(root, "core", file, p, &s, err);
	size_t i;
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;

	if (rc != TFIT_OK)
		return rc;
	dev->core = tfit_device_core_find(s);
	if (dev->core) {
		dev->device_class = dev->core->family == TFIT_CORE_FAMILY_ARM_A
					    ? TFIT_DEVICE_CLASS_LINUX : TFIT_DEVICE_CLASS_MCU;
		return TFIT_OK;
	}
	for (i = 0; i < tfit_device_core_count(); i++) {
		if (i)
			tfit_strbuf_puts(&sb, ", ");
		tfit_strbuf_puts(&sb, tfit_device_core_at(i)->id);
	}
	rc = tfit_error_set(err, TFIT_ERR_INPUT, file,
			    tfit_jpath_child(p, "core", path, sizeof(path)),
			    "unknown core \"%.60s\" (expected one of: %s)", s,
			    tfit_strbuf_str(&sb));
	tfit_strbuf_release(&sb);
	return rc;
}

/* "sram" is a size like the other totals; the object form of format 1
 * ({"total", "regions"}) gets a message saying how to migrate. */
static enum tfit_status parse_sram(const cJSON *root, const char *file,
				   const struct tfit_jpath *p, struct tfit_device *dev,
				   struct tfit_error *err)
{
	const cJSON *sram = cJSON_GetObjectItemCaseSensitive(root, "sram");
	if (cJSON_IsObject(sram))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "sram",
				      "expected a size string such as \"256KiB\", got object (the "
				      "{\"total\", \"regions\"} form was replaced: write \"sram\": "
				      "\"<total>\" and list regions in the top-level \"regions\" "
				      "array, docs/device-format.md)");
	return tfit_device_opt_size(root, "sram", file, p, &dev->sram_bytes, err);
}

static enum tfit_status parse_accel(const cJSON *root, const char *file,
				    struct tfit_jpath *p, struct tfit_device *dev,
				    struct tfit_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "accelerator");
	size_t mark;
	enum tfit_status rc;
	if (!a)
		return TFIT_OK;
	if (!cJSON_IsObject(a))
		return tfit_json_type_error(file, p, "accelerator",
					    "an object {\"kind\", \"name\", ...}", a, err);
	mark = tfit_jpath_key(p, "accelerator");
	dev->accel.present = 1;
	rc = tfit_json_check_keys(a, accel_keys, file, p, err);
	if (rc == TFIT_OK)
		rc = tfit_device_req_text(a, "kind", file, p, &dev->accel.kind, err);
	if (rc == TFIT_OK && strcmp(dev->accel.kind, "npu") && strcmp(dev->accel.kind, "gpu") &&
	    strcmp(dev->accel.kind, "tpu") && strcmp(dev->accel.kind, "cnn") &&
	    strcmp(dev->accel.kind, "dsp")) {
		char path[TFIT_ERROR_PATH_MAX];
		rc = tfit_error_set(err, TFIT_ERR_INPUT, file,
				    tfit_jpath_child(p, "kind", path, sizeof(path)),
				    "unknown accelerator kind \"%.60s\" (expected one of: npu, "
				    "gpu, tpu, cnn, dsp)", dev->accel.kind);
	}
	if (rc == TFIT_OK)
		rc = tfit_device_req_text(a, "name", file, p, &dev->accel.name, err);
	if (rc == TFIT_OK)
		rc = opt_positive(a, "macs_per_cycle", file, p, 1.0e6,
				  &dev->accel.macs_per_cycle, err);
	if (rc == TFIT_OK)
		rc = opt_clock(a, file, p, &dev->accel.clock_mhz, err);
	if (rc == TFIT_OK)
		rc = opt_positive(a, "tops", file, p, 1.0e4, &dev->accel.tops, err);
	tfit_jpath_restore(p, mark);
	return rc;
}

static enum tfit_status parse_reserve(const cJSON *root, const char *file,
				      struct tfit_jpath *p, struct tfit_device *dev,
				      struct tfit_error *err)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "reserve");
	size_t mark;
	enum tfit_status rc;
	uint64_t f = 0, s = 0;

	tfit_device_class_reserve(dev->device_class, &dev->reserve_flash_bytes,
				  &dev->reserve_sram_bytes);
	if (!r)
		return TFIT_OK;
	if (!cJSON_IsObject(r))
		return tfit_json_type_error(file, p, "reserve",
					    "an object {\"flash\", \"sram\"}", r, err);
	mark = tfit_jpath_key(p, "reserve");
	rc = tfit_json_check_keys(r, reserve_keys, file, p, err);
	if (rc == TFIT_OK && !cJSON_GetObjectItemCaseSensitive(r, "flash") &&
	    !cJSON_GetObjectItemCaseSensitive(r, "sram"))
		rc = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				    "expected at least one of \"flash\", \"sram\"");
	if (rc == TFIT_OK)
		rc = tfit_device_opt_size(r, "flash", file, p, &f, err);
	if (rc == TFIT_OK)
		rc = tfit_device_opt_size(r, "sram", file, p, &s, err);
	tfit_jpath_restore(p, mark);
	if (rc != TFIT_OK)
		return rc;
	/* a key left out keeps the class default */
	if (cJSON_GetObjectItemCaseSensitive(r, "flash"))
		dev->reserve_flash_bytes = f;
	if (cJSON_GetObjectItemCaseSensitive(r, "sram"))
		dev->reserve_sram_bytes = s;
	dev->reserve_from_profile = 1;
	return TFIT_OK;
}

static enum tfit_status parse_aliases(const cJSON *root, const char *file,
				      struct tfit_jpath *p, struct tfit_device *dev,
				      struct tfit_device_errors *es, struct tfit_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "aliases"), *it;
	size_t i, n, first;
	char path[TFIT_ERROR_PATH_MAX];
	struct tfit_strmap seen;    /* case-insensitive: linear, not pairwise */
	enum tfit_status rc = TFIT_OK;
	if (!a)
		return TFIT_OK;
	if (!cJSON_IsArray(a))
		return tfit_json_type_error(file, p, "aliases", "an array of strings", a, err);
	n = 0;
	for (it = a->child; it && n <= TFIT_DEVICE_MAX_ALIASES; it = it->next)
		n++;
	if (n > TFIT_DEVICE_MAX_ALIASES) {
		struct tfit_jpath q = *p;
		tfit_jpath_key(&q, "aliases");
		return tfit_error_set(err, TFIT_ERR_LIMIT, file, q.buf, "more than %d aliases "
				      "(the limit; docs/limits.md)", TFIT_DEVICE_MAX_ALIASES);
	}
	if (n == 0)
		return TFIT_OK;
	dev->aliases = calloc(n, sizeof(char *));
	if (!dev->aliases)
		return nomem(file, err);
	tfit_strmap_init_ci(&seen);
	/* each wrong alias is kept in es and the next one checked */
	for (i = 0, it = a->child; rc == TFIT_OK && it; it = it->next, i++) {
		struct tfit_jpath q = *p;
		char *copy;
		tfit_jpath_key(&q, "aliases");
		tfit_jpath_index(&q, i);
		snprintf(path, sizeof(path), "%s", q.buf);
		if (!cJSON_IsString(it) || !it->valuestring || !it->valuestring[0]) {
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "expected a non-empty string, got %s",
					    tfit_json_found_name(it));
		} else if (dev->id && tfit_device_strcasecmp(it->valuestring, dev->id) == 0) {
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "alias \"%.60s\" repeats the id", it->valuestring);
		} else if (tfit_strmap_get(&seen, it->valuestring, &first)) {
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "duplicate alias \"%.60s\" (also aliases[%zu])",
					    it->valuestring, first);
		} else if (!(copy = tfit_device_strdup(it->valuestring))) {
			rc = nomem(file, err);
		} else {
			dev->aliases[dev->n_aliases++] = copy;
			if (tfit_strmap_put(&seen, copy, i) != 0)
				rc = nomem(file, err);
		}
		rc = tfit_device_errors_keep(es, rc, err);
	}
	tfit_strmap_release(&seen);
	return rc;
}

static int is_sourceable(const char *field)
{
	size_t i;
	for (i = 0; i < tfit_device_field_count(); i++)
		if (strcmp(tfit_device_field_at(i)->name, field) == 0)
			return tfit_device_field_at(i)->source != TFIT_DEVICE_SOURCE_NO;
	return 0;
}

/* "mcu, core, ...": the fields that take a source, from the field table
 * (TFIT_DEVICE_FIELDS), so the error message cannot drift from it. */
static void sourceable_list(char *buf, size_t size)
{
	size_t i, len = 0;
	buf[0] = '\0';
	for (i = 0; i < tfit_device_field_count(); i++) {
		const struct tfit_device_field *f = tfit_device_field_at(i);
		int n;
		if (f->source == TFIT_DEVICE_SOURCE_NO)
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", f->name);
		if (n < 0 || (size_t)n >= size - len)
			break; /* cannot happen: the buffer holds the whole table */
		len += (size_t)n;
	}
}

static enum tfit_status parse_sources(const cJSON *root, const char *file,
				      struct tfit_jpath *p, struct tfit_device *dev,
				      struct tfit_device_errors *es, struct tfit_error *err)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "sources"), *it;
	size_t i, n;
	char path[TFIT_ERROR_PATH_MAX];
	enum tfit_status rc = TFIT_OK;
	if (!s)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, "sources",
				      "missing required field (expected an object mapping each "
				      "field to the document it comes from)");
	if (!cJSON_IsObject(s))
		return tfit_json_type_error(file, p, "sources",
					    "an object mapping field names to citations", s, err);
	n = (size_t)cJSON_GetArraySize(s);
	if (n == 0)
		return TFIT_OK;
	dev->sources = calloc(n, sizeof(*dev->sources));
	if (!dev->sources)
		return nomem(file, err);
	/* each wrong entry is kept in es and the next one checked */
	for (i = 0, it = s->child; rc == TFIT_OK && it; it = it->next, i++) {
		struct tfit_jpath q = *p;
		struct tfit_device_source *src;
		tfit_jpath_key(&q, "sources");
		tfit_jpath_key(&q, it->string ? it->string : "?");
		snprintf(path, sizeof(path), "%s", q.buf);
		if (!it->string || !is_sourceable(it->string)) {
			char list[512];
			sourceable_list(list, sizeof(list));
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "'%.60s' is not a field that takes a source (expected "
					    "one of: %s)", it->string ? it->string : "?", list);
		} else if (!cJSON_GetObjectItemCaseSensitive(root, it->string)) {
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "source for field '%s', which the profile does not give",
					    it->string);
		} else if (!cJSON_IsString(it) || !it->valuestring || !it->valuestring[0]) {
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "expected a non-empty citation string, got %s",
					    tfit_json_found_name(it));
		} else {
			src = &dev->sources[dev->n_sources++];
			src->field = tfit_device_strdup(it->string);
			src->text = tfit_device_strdup(it->valuestring);
			if (!src->field || !src->text)
				rc = nomem(file, err);
		}
		rc = tfit_device_errors_keep(es, rc, err);
	}
	return rc;
}

/* Profiles never write null: an unknown value is left out (docs/device-format.md). */
static enum tfit_status reject_nulls(const cJSON *item, const char *file, struct tfit_jpath *p,
				     struct tfit_error *err)
{
	const cJSON *c;
	size_t i = 0;
	if (cJSON_IsNull(item))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				      "null is not allowed (leave the field out when the value is "
				      "unknown)");
	for (c = item->child; c; c = c->next, i++) {
		size_t mark = cJSON_IsArray(item) ? tfit_jpath_index(p, i)
						  : tfit_jpath_key(p, c->string ? c->string : "?");
		enum tfit_status rc = reject_nulls(c, file, p, err);
		tfit_jpath_restore(p, mark);
		if (rc != TFIT_OK)
			return rc;
	}
	return TFIT_OK;
}

static const char *runtime_for_core(const struct tfit_core_info *core)
{
	switch (core->family) {
	case TFIT_CORE_FAMILY_ARM_M_BASE:
	case TFIT_CORE_FAMILY_ARM_M_MAIN:
	case TFIT_CORE_FAMILY_ARM_M_DSP:
	case TFIT_CORE_FAMILY_ARM_M_HELIUM:
		/* CMSIS-NN has pure-C fallbacks besides its DSP and MVE paths,
		 * so it is TFLM's optimised kernel set on every Cortex-M. */
		return "tflm-cmsis-nn";
	case TFIT_CORE_FAMILY_XTENSA:
		return "tflm-esp-nn";
	default:
		return "tflm";
	}
}

/*
 * A profile reports every wrong field, not only the first: each top-level
 * field is checked on its own, and an input error is kept here and the
 * next field checked. The first error stays the error proper; the others
 * follow in its message as lines of their own, each `file: path: error:
 * ...` like the first, at most DEVICE_MAX_ERRORS and then "and N more".
 * Out of memory and limit errors stop at once.
 */
#define DEVICE_MAX_ERRORS 20

struct tfit_device_errors {
	struct tfit_error first;
	char more[TFIT_ERROR_MSG_MAX];
	size_t used;      /* bytes of more[] */
	unsigned n, listed;
};

/* Keep err (an input error) and go on: TFIT_OK; anything else stops. */
enum tfit_status tfit_device_errors_keep(struct tfit_device_errors *es, enum tfit_status rc,
					 const struct tfit_error *err)
{
	char line[TFIT_ERROR_FILE_MAX + TFIT_ERROR_PATH_MAX + TFIT_ERROR_MSG_MAX + 64];
	size_t len;
	if (rc != TFIT_ERR_INPUT)
		return rc;
	if (es->n++ == 0) {
		es->first = *err;
		es->listed = 1;
		return TFIT_OK;
	}
	tfit_error_format(err, line, sizeof(line));
	len = strlen(line);
	if (es->listed < DEVICE_MAX_ERRORS && es->used + len + 2 < sizeof(es->more)) {
		es->more[es->used++] = '\n';
		memcpy(es->more + es->used, line, len + 1);
		es->used += len;
		es->listed++;
	}
	return TFIT_OK;
}

/* The error to return: the first, with the others appended. */
static enum tfit_status errors_finish(struct tfit_device_errors *es, struct tfit_error *err)
{
	char tail[64] = "";
	size_t len;
	if (es->n == 0)
		return TFIT_OK;
	*err = es->first;
	if (es->n > es->listed)
		snprintf(tail, sizeof(tail), "\nand %u more error%s in this profile",
			 es->n - es->listed, es->n - es->listed == 1 ? "" : "s");
	len = strlen(err->message);
	if (len + es->used + strlen(tail) < sizeof(err->message)) {
		memcpy(err->message + len, es->more, es->used);
		snprintf(err->message + len + es->used, sizeof(err->message) - len - es->used, "%s",
			 tail);
	} else {
		snprintf(err->message + len, sizeof(err->message) - len,
			 "\nand %u more error%s in this profile", es->n - 1, es->n == 2 ? "" : "s");
	}
	return TFIT_ERR_INPUT;
}

/* Check one field: an input error is kept and the parse goes on. */
#define FIELD(expr) do { \
	ok = (rc = (expr)) == TFIT_OK; \
	if (!ok && (rc = tfit_device_errors_keep(&es, rc, err)) != TFIT_OK) \
		return rc; \
} while (0)

static enum tfit_status parse_fields(const cJSON *root, const char *file,
				     const struct tfit_device_runtime_check *check,
				     struct tfit_device *dev, struct tfit_error *err)
{
	struct tfit_jpath p;
	enum tfit_status rc;
	const char *s = NULL;
	int present = 0;
	int64_t cores = 0;
	char path[TFIT_ERROR_PATH_MAX];
	char msg[TFIT_ERROR_MSG_MAX];
	struct tfit_device_errors es;
	int ok;

	memset(&es, 0, sizeof(es));
	tfit_jpath_init(&p);
	if (!cJSON_IsObject(root))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, NULL,
				      "expected a JSON object (a device profile), got %s",
				      tfit_json_type_name(root));
	FIELD(tfit_json_check_keys(root, tfit_device_field_names(), file, &p, err));
	FIELD(reject_nulls(root, file, &p, err));
	FIELD(tfit_device_req_text(root, "id", file, &p, &dev->id, err));
	if (dev->id && !id_syntax_ok(dev->id))
		FIELD(tfit_error_set(err, TFIT_ERR_INPUT, file, "id",
				     "expected an id of lower-case letters, digits, '_', '-' "
				     "and '.' (at most 64), got \"%.60s\"", dev->id));
	FIELD(tfit_device_req_text(root, "name", file, &p, &dev->name, err));
	FIELD(tfit_device_req_text(root, "vendor", file, &p, &dev->vendor, err));
	FIELD(tfit_device_req_text(root, "mcu", file, &p, &dev->mcu, err));
	FIELD(parse_core(root, file, &p, dev, err));
	FIELD(tfit_json_opt_int(root, "cores", file, &p, 1, 1024, &cores, &present, err));
	dev->cores = (uint32_t)cores;
	FIELD(opt_clock(root, file, &p, &dev->clock_mhz, err));
	FIELD(tfit_device_opt_size(root, "flash", file, &p, &dev->flash_bytes, err));
	FIELD(tfit_device_opt_size(root, "external_flash", file, &p, &dev->external_flash_bytes,
				   err));
	FIELD(parse_sram(root, file, &p, dev, err));
	FIELD(tfit_device_opt_size(root, "psram", file, &p, &dev->psram_bytes, err));
	FIELD(tfit_device_opt_size(root, "dram", file, &p, &dev->dram_bytes, err));
	/* regions are checked against the sizes above: only when those are right */
	if (es.n == 0)
		FIELD(tfit_device_parse_regions(root, file, &p, dev, &es, err));

	s = NULL;
	FIELD(tfit_json_opt_string(root, "fpu", file, &p, &s, &present, err));
	if (ok && present) {
		if (strcmp(s, "none") == 0)
			dev->fpu = TFIT_FPU_NONE;
		else if (strcmp(s, "sp") == 0)
			dev->fpu = TFIT_FPU_SP;
		else if (strcmp(s, "dp") == 0)
			dev->fpu = TFIT_FPU_DP;
		else
			FIELD(tfit_error_set(err, TFIT_ERR_INPUT, file, "fpu",
					     "unknown fpu \"%.60s\" (expected one of: none, sp, dp)",
					     s));
	}
	FIELD(tfit_json_opt_string(root, "simd", file, &p, &s, &present, err));
	if (ok && present) {
		if (!tfit_device_simd_valid(s))
			FIELD(tfit_error_set(err, TFIT_ERR_INPUT, file, "simd",
					     "unknown simd extension \"%.60s\" (expected one of: %s)",
					     s, tfit_device_simd_list()));
		else if (!(dev->simd = tfit_device_strdup(s)))
			return nomem(file, err);
	}
	FIELD(parse_accel(root, file, &p, dev, err));
	FIELD(opt_positive(root, "active_power_mw", file, &p, MAX_POWER_MW,
			   &dev->active_power_mw, err));
	FIELD(opt_power_scope(root, "active_power_scope", "active_power_mw", file, &p,
			      &dev->active_power_scope, err));
	FIELD(opt_positive(root, "sleep_power_mw", file, &p, MAX_POWER_MW,
			   &dev->sleep_power_mw, err));
	FIELD(opt_power_scope(root, "sleep_power_scope", "sleep_power_mw", file, &p,
			      &dev->sleep_power_scope, err));
	FIELD(opt_positive(root, "price_usd", file, &p, MAX_PRICE_USD, &dev->price_usd, err));

	if (dev->core)
		snprintf(dev->runtime, sizeof(dev->runtime), "%s", runtime_for_core(dev->core));
	FIELD(tfit_json_opt_string(root, "default_runtime", file, &p, &s, &present, err));
	if (ok && present) {
		/* the spelling here; whether it exists, by the caller's check
		 * (the runtime registry) */
		tfit_jpath_child(&p, "default_runtime", path, sizeof(path));
		if (!tfit_device_runtime_name_valid(s)) {
			FIELD(tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					     "invalid runtime name \"%.60s\" (expected a runtime id "
					     "such as tflm-cmsis-nn, optionally @VERSION)", s));
		} else if (check && check->known &&
			   !check->known(check->ctx, s, msg, sizeof(msg))) {
			FIELD(tfit_error_set(err, TFIT_ERR_INPUT, file, path, "%s", msg));
		} else {
			snprintf(dev->runtime, sizeof(dev->runtime), "%s", s);
			dev->runtime_from_profile = 1;
		}
	}
	FIELD(parse_reserve(root, file, &p, dev, err));
	FIELD(parse_aliases(root, file, &p, dev, &es, err));
	FIELD(tfit_json_opt_string(root, "notes", file, &p, &s, &present, err));
	if (rc == TFIT_OK && present && !(dev->notes = tfit_device_strdup(s)))
		return nomem(file, err);
	FIELD(tfit_json_opt_string(root, "$schema", file, &p, &s, &present, err));
	FIELD(parse_sources(root, file, &p, dev, &es, err));
	return errors_finish(&es, err);
}

#undef FIELD

enum tfit_status tfit_device_parse(const char *text, size_t len, const char *file,
				   struct tfit_device *dev, struct tfit_error *err)
{
	return tfit_device_parse_checked(text, len, file, NULL, dev, err);
}

enum tfit_status tfit_device_parse_checked(const char *text, size_t len, const char *file,
					   const struct tfit_device_runtime_check *check,
					   struct tfit_device *dev, struct tfit_error *err)
{
	cJSON *root = NULL;
	enum tfit_status rc;

	memset(dev, 0, sizeof(*dev));
	if (!file)
		file = "<profile>";
	rc = tfit_json_parse(text, len, file, &root, err);
	if (rc != TFIT_OK)
		return rc;
	rc = parse_fields(root, file, check, dev, err);
	cJSON_Delete(root);
	if (rc == TFIT_OK && !(dev->file = tfit_device_strdup(file)))
		rc = nomem(file, err);
	if (rc != TFIT_OK)
		tfit_device_release(dev);
	return rc;
}

enum tfit_status tfit_device_load_file(const char *path, struct tfit_device *dev,
				       struct tfit_error *err)
{
	char *data = NULL;
	size_t len = 0;
	enum tfit_status rc;

	memset(dev, 0, sizeof(*dev));
	rc = tfit_file_read(path, TFIT_FILE_MAX_BYTES, &data, &len, err);
	if (rc != TFIT_OK)
		return rc;
	rc = tfit_device_parse(data, len, path, dev, err);
	free(data);
	return rc;
}

void tfit_device_release(struct tfit_device *dev)
{
	size_t i;
	if (!dev)
		return;
	if (dev->compiled) {
		free(dev->overrides);
		memset(dev, 0, sizeof(*dev));
		return;
	}
	free(dev->id);
	free(dev->name);
	free(dev->vendor);
	free(dev->mcu);
	tfit_device_regions_free(dev);
	free(dev->simd);
	free(dev->accel.kind);
	free(dev->accel.name);
	for (i = 0; i < dev->n_aliases; i++)
		free(dev->aliases[i]);
	free(dev->aliases);
	for (i = 0; i < dev->n_sources; i++) {
		free(dev->sources[i].field);
		free(dev->sources[i].text);
	}
	free(dev->sources);
	free(dev->notes);
	free(dev->file);
	free(dev->overrides);
	memset(dev, 0, sizeof(*dev));
}

/*
 * device_regions.c - a board's memory map: the "regions" array of a
 * profile (name, kind, size, usable size, OTA slot, each with its source),
 * the implicit regions made from memory totals no listed region covers,
 * the rules between them, and the questions a fit asks of the map (where
 * the arena and the firmware image go by default). docs/device-format.md,
 * "Memory regions", is the reference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "device_internal.h"

static const char *const kind_names[TFIT_MEM_KIND_COUNT] = {
	"sram", "dtcm", "itcm", "psram", "sdram", "flash", "ext-flash",
};

static const char *const region_keys[] = {
	"name", "kind", "size", "usable", "usable_unknown", "ota_slot", "sources", NULL,
};
static const char *const region_source_keys[] = { "size", "usable", "ota_slot", NULL };

const char *tfit_mem_kind_name(enum tfit_mem_kind k)
{
	return (unsigned)k < TFIT_MEM_KIND_COUNT ? kind_names[k] : "unknown";
}

int tfit_mem_kind_parse(const char *name, enum tfit_mem_kind *out)
{
	int i;
	for (i = 0; name && i < TFIT_MEM_KIND_COUNT; i++) {
		if (strcmp(kind_names[i], name) == 0) {
			*out = (enum tfit_mem_kind)i;
			return 0;
		}
	}
	return -1;
}

int tfit_mem_kind_is_ram(enum tfit_mem_kind k)
{
	return k != TFIT_MEM_FLASH && k != TFIT_MEM_EXT_FLASH;
}

int tfit_mem_kind_is_external(enum tfit_mem_kind k)
{
	return k == TFIT_MEM_PSRAM || k == TFIT_MEM_SDRAM || k == TFIT_MEM_EXT_FLASH;
}

/* The profile total a kind's regions must fit in, and its field name. */
static uint64_t kind_total(const struct tfit_device *d, enum tfit_mem_kind k, const char **field)
{
	switch (k) {
	case TFIT_MEM_SRAM:
	case TFIT_MEM_DTCM:
	case TFIT_MEM_ITCM:
		*field = "sram";
		return d->sram_bytes;
	case TFIT_MEM_PSRAM:
		*field = "psram";
		return d->psram_bytes;
	case TFIT_MEM_SDRAM:
		*field = "dram";
		return d->dram_bytes;
	case TFIT_MEM_FLASH:
		*field = "flash";
		return d->flash_bytes;
	case TFIT_MEM_EXT_FLASH:
	case TFIT_MEM_KIND_COUNT:
		break;
	}
	*field = "external_flash";
	return d->external_flash_bytes;
}

static enum tfit_status nomem(const char *file, struct tfit_error *err)
{
	return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
}

/*
 * Check one thing of a region: an input error is kept in es (and counted
 * in *bad) and the next thing checked; anything else returns at once.
 * ok says whether this one was right.
 */
#define KEEP(expr) do { \
	enum tfit_status r_ = (expr); \
	ok = r_ == TFIT_OK; \
	if (!ok) { \
		(*bad)++; \
		if ((r_ = tfit_device_errors_keep(es, r_, err)) != TFIT_OK) \
			return r_; \
	} \
} while (0)

/* The region's own "sources": {"size", "usable", "ota_slot"}, each only
 * beside the value it cites. */
static enum tfit_status region_sources(const cJSON *r, const char *file, struct tfit_jpath *p,
				       struct tfit_mem_region *reg, struct tfit_device_errors *es,
				       unsigned *bad, struct tfit_error *err)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "sources"), *it;
	size_t mark;
	int ok;
	if (!s)
		return TFIT_OK;
	if (!cJSON_IsObject(s)) {
		KEEP(tfit_json_type_error(file, p, "sources", "an object {\"size\", \"usable\", "
					  "\"ota_slot\"} of citations", s, err));
		return TFIT_OK;
	}
	mark = tfit_jpath_key(p, "sources");
	KEEP(tfit_json_check_keys(s, region_source_keys, file, p, err));
	for (it = s->child; ok && it; it = it->next) {
		char path[TFIT_ERROR_PATH_MAX];
		char **dst = strcmp(it->string, "size") == 0 ? &reg->size_source
			     : strcmp(it->string, "usable") == 0 ? &reg->usable_source
								 : &reg->ota_slot_source;
		tfit_jpath_child(p, it->string, path, sizeof(path));
		if (!cJSON_GetObjectItemCaseSensitive(r, it->string))
			KEEP(tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "source for '%s', which the region does not give",
					    it->string));
		else if (!cJSON_IsString(it) || !it->valuestring || !it->valuestring[0])
			KEEP(tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "expected a non-empty citation string, got %s",
					    tfit_json_found_name(it)));
		else if (!(*dst = tfit_device_strdup(it->valuestring)))
			return nomem(file, err);
		ok = 1;
	}
	tfit_jpath_restore(p, mark);
	return TFIT_OK;
}

/* One listed region: each wrong field is kept in es (counted in *bad). */
static enum tfit_status parse_region(const cJSON *r, const char *file, struct tfit_jpath *p,
				     struct tfit_mem_region *reg, struct tfit_device_errors *es,
				     unsigned *bad, struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	const char *kind = NULL;
	int ok, kind_ok, size_ok, usable_ok, ota_ok;

	if (!cJSON_IsObject(r)) {
		KEEP(tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				    "expected an object {\"name\", \"kind\", \"size\", ...}, got %s",
				    tfit_json_type_name(r)));
		return TFIT_OK;
	}
	KEEP(tfit_json_check_keys(r, region_keys, file, p, err));
	KEEP(tfit_device_req_text(r, "name", file, p, &reg->name, err));
	KEEP(tfit_json_req_string(r, "kind", file, p, &kind, err));
	kind_ok = ok;
	if (kind_ok && tfit_mem_kind_parse(kind, &reg->kind) != 0)
		KEEP(tfit_error_set(err, TFIT_ERR_INPUT, file,
				    tfit_jpath_child(p, "kind", path, sizeof(path)),
				    "unknown memory kind \"%.60s\" (expected one of: sram, dtcm, "
				    "itcm, psram, sdram, flash, ext-flash)", kind));
	kind_ok = kind_ok && ok;
	if (!cJSON_GetObjectItemCaseSensitive(r, "size"))
		KEEP(tfit_error_set(err, TFIT_ERR_INPUT, file,
				    tfit_jpath_child(p, "size", path, sizeof(path)),
				    "missing required field (expected a size such as \"256KiB\")"));
	else
		KEEP(tfit_device_opt_size(r, "size", file, p, &reg->bytes, err));
	size_ok = ok;
	KEEP(tfit_device_opt_size(r, "usable", file, p, &reg->usable_bytes, err));
	usable_ok = ok;
	KEEP(tfit_device_opt_size(r, "ota_slot", file, p, &reg->ota_slot_bytes, err));
	ota_ok = ok;
	if (cJSON_GetObjectItemCaseSensitive(r, "usable_unknown")) {
		if (cJSON_GetObjectItemCaseSensitive(r, "usable"))
			KEEP(tfit_error_set(err, TFIT_ERR_INPUT, file,
					    tfit_jpath_child(p, "usable_unknown", path, sizeof(path)),
					    "a region with a usable size needs no reason why it "
					    "has none (give one of usable and usable_unknown)"));
		else
			KEEP(tfit_device_req_text(r, "usable_unknown", file, p, &reg->usable_unknown,
						  err));
	}
	if (size_ok && usable_ok && reg->usable_bytes > reg->bytes)
		KEEP(tfit_error_set(err, TFIT_ERR_INPUT, file,
				    tfit_jpath_child(p, "usable", path, sizeof(path)),
				    "usable size %llu bytes is more than the region's size "
				    "(%llu bytes)", (unsigned long long)reg->usable_bytes,
				    (unsigned long long)reg->bytes));
	if (ota_ok && reg->ota_slot_bytes) {
		tfit_jpath_child(p, "ota_slot", path, sizeof(path));
		if (kind_ok && tfit_mem_kind_is_ram(reg->kind))
			KEEP(tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "an OTA slot belongs to a flash or ext-flash region, "
					    "not %s", tfit_mem_kind_name(reg->kind)));
		else if (size_ok && reg->ota_slot_bytes > reg->bytes / 2)
			KEEP(tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "two OTA slots of %llu bytes do not fit the region "
					    "(%llu bytes)", (unsigned long long)reg->ota_slot_bytes,
					    (unsigned long long)reg->bytes));
	}
	return region_sources(r, file, p, reg, es, bad, err);
}

#undef KEEP

/* Sizes of each kind group sum to at most the profile's total. */
static enum tfit_status check_totals(const struct tfit_device *dev, size_t n_listed,
				     const char *file, struct tfit_error *err)
{
	int k;
	for (k = 0; k < TFIT_MEM_KIND_COUNT; k++) {
		const char *field = NULL;
		uint64_t total, sum = 0;
		size_t i;
		int any = 0;
		total = kind_total(dev, (enum tfit_mem_kind)k, &field);
		for (i = 0; i < n_listed; i++) {
			const char *f2 = NULL;
			kind_total(dev, dev->regions[i].kind, &f2);
			if (strcmp(f2, field) != 0)
				continue;
			any = 1;
			if (tfit_add_u64(sum, dev->regions[i].bytes, &sum) != TFIT_OK)
				return tfit_error_set(err, TFIT_ERR_INPUT, file, "regions",
						      "region sizes overflow 64 bits");
		}
		if (!any)
			continue;
		if (!total)
			return tfit_error_set(err, TFIT_ERR_INPUT, file, "regions",
					      "%s regions are listed but the profile gives no "
					      "'%s' total", tfit_mem_kind_name((enum tfit_mem_kind)k),
					      field);
		if (sum > total)
			return tfit_error_set(err, TFIT_ERR_INPUT, file, "regions",
					      "regions of %s add up to %llu bytes, more than %s "
					      "(%llu bytes)", field, (unsigned long long)sum, field,
					      (unsigned long long)total);
	}
	return TFIT_OK;
}

/* Whether a listed region already covers the total of kind k. */
static int covered(const struct tfit_device *dev, size_t n, enum tfit_mem_kind k)
{
	const char *want = NULL, *f = NULL;
	size_t i;
	kind_total(dev, k, &want);
	for (i = 0; i < n; i++) {
		kind_total(dev, dev->regions[i].kind, &f);
		if (strcmp(f, want) == 0)
			return 1;
	}
	return 0;
}

enum tfit_status tfit_device_parse_regions(const cJSON *root, const char *file,
					   struct tfit_jpath *p, struct tfit_device *dev,
					   struct tfit_device_errors *es, struct tfit_error *err)
{
	static const enum tfit_mem_kind implicit_kinds[] = {
		TFIT_MEM_SRAM, TFIT_MEM_PSRAM, TFIT_MEM_SDRAM, TFIT_MEM_FLASH, TFIT_MEM_EXT_FLASH,
	};
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "regions"), *r;
	size_t n = 0, cap, i, j, mark;
	unsigned bad = 0;           /* input errors kept in es */
	enum tfit_status rc = TFIT_OK;

	if (a && (!cJSON_IsArray(a) || cJSON_GetArraySize(a) == 0))
		return tfit_json_type_error(file, p, "regions", "a non-empty array of "
					    "{\"name\", \"kind\", \"size\", ...}", a, err);
	if (a && cJSON_GetArraySize(a) > TFIT_DEVICE_MAX_REGIONS) {
		char path[TFIT_ERROR_PATH_MAX];
		return tfit_error_set(err, TFIT_ERR_LIMIT, file,
				      tfit_jpath_child(p, "regions", path, sizeof(path)),
				      "more than %d regions (the limit; docs/limits.md)",
				      TFIT_DEVICE_MAX_REGIONS);
	}
	cap = (a ? (size_t)cJSON_GetArraySize(a) : 0) + 5;
	dev->regions = calloc(cap, sizeof(*dev->regions));
	if (!dev->regions)
		return nomem(file, err);
	mark = tfit_jpath_key(p, "regions");
	for (r = a ? a->child : NULL; r; r = r->next, n++) {
		size_t m2 = tfit_jpath_index(p, n);
		dev->n_regions = n + 1;
		rc = parse_region(r, file, p, &dev->regions[n], es, &bad, err);
		for (j = 0; rc == TFIT_OK && dev->regions[n].name && j < n; j++) {
			if (dev->regions[j].name &&
			    tfit_device_strcasecmp(dev->regions[j].name, dev->regions[n].name) == 0) {
				char path[TFIT_ERROR_PATH_MAX];
				rc = tfit_error_set(err, TFIT_ERR_INPUT, file,
						    tfit_jpath_child(p, "name", path, sizeof(path)),
						    "duplicate region name \"%.60s\" (also "
						    "regions[%zu])", dev->regions[n].name, j);
				bad++;
				rc = tfit_device_errors_keep(es, rc, err);
				break;
			}
		}
		tfit_jpath_restore(p, m2);
		if (rc != TFIT_OK)
			break;
	}
	tfit_jpath_restore(p, mark);
	if (rc != TFIT_OK || bad)
		return rc;  /* the totals need every listed region right */
	rc = check_totals(dev, n, file, err);
	for (i = 0; rc == TFIT_OK && i < sizeof(implicit_kinds) / sizeof(implicit_kinds[0]); i++) {
		enum tfit_mem_kind k = implicit_kinds[i];
		const char *field = NULL;
		uint64_t total = kind_total(dev, k, &field);
		struct tfit_mem_region *reg;
		if (!total || covered(dev, dev->n_regions, k) ||
		    tfit_device_region_find(dev, tfit_mem_kind_name(k)))
			continue;
		reg = &dev->regions[dev->n_regions++];
		reg->kind = k;
		reg->bytes = total;
		reg->implicit = 1;
		if (!(reg->name = tfit_device_strdup(tfit_mem_kind_name(k))))
			rc = nomem(file, err);
	}
	for (i = 0; rc == TFIT_OK && i < dev->n_regions; i++) {
		const struct tfit_mem_region *reg = &dev->regions[i];
		if ((reg->kind == TFIT_MEM_SRAM || reg->kind == TFIT_MEM_DTCM) &&
		    reg->usable_bytes > dev->largest_region_bytes)
			dev->largest_region_bytes = reg->usable_bytes;
	}
	return rc;
}

void tfit_device_regions_free(struct tfit_device *dev)
{
	size_t i;
	for (i = 0; i < dev->n_regions; i++) {
		free(dev->regions[i].name);
		free(dev->regions[i].size_source);
		free(dev->regions[i].usable_source);
		free(dev->regions[i].ota_slot_source);
		free(dev->regions[i].usable_unknown);
	}
	free(dev->regions);
	dev->regions = NULL;
	dev->n_regions = 0;
}

const struct tfit_mem_region *tfit_device_region_find(const struct tfit_device *dev,
						      const char *name)
{
	size_t i;
	for (i = 0; name && i < dev->n_regions; i++)
		if (dev->regions[i].name && tfit_device_strcasecmp(dev->regions[i].name, name) == 0)
			return &dev->regions[i];
	return NULL;
}

const struct tfit_mem_region *tfit_device_arena_region(const struct tfit_device *dev)
{
	const struct tfit_mem_region *best = NULL, *biggest = NULL, *sdram = NULL;
	size_t i;
	for (i = 0; i < dev->n_regions; i++) {
		const struct tfit_mem_region *r = &dev->regions[i];
		if (r->kind == TFIT_MEM_SDRAM && !sdram)
			sdram = r;
		if (r->kind != TFIT_MEM_SRAM && r->kind != TFIT_MEM_DTCM)
			continue;
		if (r->usable_bytes && (!best || r->usable_bytes > best->usable_bytes))
			best = r;
		if (!biggest || r->bytes > biggest->bytes)
			biggest = r;
	}
	if (best)
		return best;
	if (biggest)
		return biggest;
	return dev->device_class == TFIT_DEVICE_CLASS_LINUX ? sdram : NULL;
}

const struct tfit_mem_region *tfit_device_app_flash_region(const struct tfit_device *dev)
{
	const struct tfit_mem_region *ext = NULL;
	size_t i;
	for (i = 0; i < dev->n_regions; i++) {
		if (dev->regions[i].kind == TFIT_MEM_FLASH)
			return &dev->regions[i];
		if (dev->regions[i].kind == TFIT_MEM_EXT_FLASH && !ext)
			ext = &dev->regions[i];
	}
	return ext;
}

void tfit_device_region_names(const struct tfit_device *dev, char *out, size_t size)
{
	size_t i, len = 0;
	if (!size)
		return;
	out[0] = '\0';
	for (i = 0; i < dev->n_regions && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? ", " : "",
					dev->regions[i].name);
}

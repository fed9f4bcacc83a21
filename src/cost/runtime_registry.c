/*
 * runtime_registry.c - the list of runtimes (registry.h), built from the
 * cost files and the memory profiles found in the data directory.
 */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/registry.h"
#include "tinyfit/device.h"
#include "tinyfit/runtime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tfit_registry_init(struct tfit_registry *reg)
{
	memset(reg, 0, sizeof(*reg));
}

static void entry_free(struct tfit_runtime_entry *e)
{
	size_t i;
	free(e->id);
	free(e->name);
	for (i = 0; i < e->n_versions; i++)
		free(e->versions[i]);
	free(e->versions);
}

void tfit_registry_release(struct tfit_registry *reg)
{
	size_t i;
	if (!reg)
		return;
	for (i = 0; i < reg->n; i++)
		entry_free(&reg->entries[i]);
	free(reg->entries);
	memset(reg, 0, sizeof(*reg));
}

/* Versions in release order: numeric parts compare as numbers ("9.0" <
 * "10.2"), then text ("v1.0" < "v1.1", "max-performance" after numbers). */
static int cmp_version(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			char *ea, *eb;
			unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int cmp_version_p(const void *a, const void *b)
{
	return cmp_version(*(char *const *)a, *(char *const *)b);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct tfit_runtime_entry *)a)->id,
		      ((const struct tfit_runtime_entry *)b)->id);
}

static size_t base_len(const char *id)
{
	const char *at = strchr(id, '@');
	return at ? (size_t)(at - id) : strlen(id);
}

const struct tfit_runtime_entry *tfit_registry_find(const struct tfit_registry *reg,
						    const char *id)
{
	size_t i, n;
	if (!reg || !id)
		return NULL;
	n = base_len(id);
	for (i = 0; i < reg->n; i++)
		if (strlen(reg->entries[i].id) == n && strncmp(reg->entries[i].id, id, n) == 0)
			return &reg->entries[i];
	return NULL;
}

static struct tfit_runtime_entry *add(struct tfit_registry *reg, const char *id, size_t *cap)
{
	struct tfit_runtime_entry *e = (struct tfit_runtime_entry *)tfit_registry_find(reg, id);
	if (e)
		return e;
	if (reg->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *p = realloc(reg->entries, nc * sizeof(*reg->entries));
		if (!p)
			return NULL;
		reg->entries = p;
		*cap = nc;
	}
	e = &reg->entries[reg->n];
	memset(e, 0, sizeof(*e));
	e->id = strdup(id);
	if (!e->id)
		return NULL;
	reg->n++;
	return e;
}

static int add_version(struct tfit_runtime_entry *e, const char *v)
{
	size_t i;
	void *p;
	for (i = 0; i < e->n_versions; i++)
		if (strcmp(e->versions[i], v) == 0)
			return 0;
	p = realloc(e->versions, (e->n_versions + 1) * sizeof(*e->versions));
	if (!p)
		return -1;
	e->versions = p;
	if (!(e->versions[e->n_versions] = strdup(v)))
		return -1;
	e->n_versions++;
	return 0;
}

enum tfit_status tfit_registry_build(const char *data_dir, const struct tfit_cost_db *db,
				     struct tfit_registry *reg, struct tfit_error *err)
{
	char **ids = NULL;
	size_t cap = 0, i, j;
	enum tfit_status rc;

	tfit_registry_init(reg);
	for (i = 0; db && i < db->n_runtimes; i++) {
		const struct tfit_cost_runtime *rt = &db->runtimes[i];
		struct tfit_runtime_entry *e = add(reg, rt->id, &cap);
		if (!e || (!e->name && rt->name && !(e->name = strdup(rt->name))))
			goto nomem;
		e->has_cost_tables = 1;
		for (j = 0; j < rt->n_tables; j++)
			if (rt->tables[j].version && add_version(e, rt->tables[j].version) != 0)
				goto nomem;
	}
	rc = tfit_runtime_ids(data_dir, &ids, err);
	if (rc != TFIT_OK) {
		tfit_registry_release(reg);
		return rc;
	}
	for (i = 0; ids[i]; i++) {
		struct tfit_runtime_entry *e = add(reg, ids[i], &cap);
		if (!e)
			goto nomem;
		e->has_memory_profile = 1;
	}
	tfit_runtime_ids_free(ids);
	ids = NULL;
	for (i = 0; i < reg->n; i++) {
		struct tfit_runtime_entry *e = &reg->entries[i];
		if (!e->name && !(e->name = strdup(e->id)))
			goto nomem;
		if (e->n_versions > 1)
			qsort(e->versions, e->n_versions, sizeof(*e->versions), cmp_version_p);
	}
	if (reg->n > 1)
		qsort(reg->entries, reg->n, sizeof(*reg->entries), cmp_entry);
	return TFIT_OK;
nomem:
	tfit_runtime_ids_free(ids);
	tfit_registry_release(reg);
	return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
}

static void join(char *const *v, size_t n, char *buf, size_t size)
{
	size_t i, len = 0;
	buf[0] = '\0';
	for (i = 0; i < n && size > 0; i++) {
		size_t need = strlen(v[i]) + (i ? 2 : 0);
		if (len + need + 1 > size)
			break;
		if (i) {
			memcpy(buf + len, ", ", 2);
			len += 2;
		}
		memcpy(buf + len, v[i], strlen(v[i]));
		len += strlen(v[i]);
		buf[len] = '\0';
	}
}

void tfit_registry_list(const struct tfit_registry *reg, char *buf, size_t size)
{
	char *ids[256] = { 0 };
	size_t i, n = 0;
	if (!size)
		return;
	for (i = 0; reg && i < reg->n && n < sizeof(ids) / sizeof(ids[0]); i++)
		ids[n++] = reg->entries[i].id;
	join(ids, n, buf, size);
}

enum tfit_status tfit_registry_resolve(const struct tfit_registry *reg, const char *id,
				       const struct tfit_runtime_entry **out,
				       struct tfit_error *err)
{
	const struct tfit_runtime_entry *e = tfit_registry_find(reg, id);
	const char *at = id ? strchr(id, '@') : NULL;
	char list[1024];
	size_t i;
	if (out)
		*out = NULL;
	if (!e || base_len(id) == 0) {
		tfit_registry_list(reg, list, sizeof(list));
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "unknown runtime '%.60s' (expected one of: %s)", id ? id : "", list);
	}
	if (at) {
		for (i = 0; i < e->n_versions; i++)
			if (strcmp(e->versions[i], at + 1) == 0)
				break;
		if (i == e->n_versions) {
			if (!e->n_versions)
				return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
						      "runtime '%s' has no version '%.40s' (its cost "
						      "tables name no version: use '%s')", e->id, at + 1, e->id);
			join(e->versions, e->n_versions, list, sizeof(list));
			return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
					      "runtime '%s' has no version '%.40s' (versions: %s)", e->id,
					      at + 1, list);
		}
	}
	if (out)
		*out = e;
	return TFIT_OK;
}

static int runtime_known(const void *ctx, const char *name, char *msg, size_t msg_size)
{
	struct tfit_error e;
	if (tfit_registry_resolve(ctx, name, NULL, &e) == TFIT_OK)
		return 1;
	snprintf(msg, msg_size, "%s", e.message);
	return 0;
}

void tfit_registry_runtime_check(const struct tfit_registry *reg,
				 struct tfit_device_runtime_check *check)
{
	check->known = runtime_known;
	check->ctx = reg;
}

/*
 * device_list.c - the filtered, sorted selections behind `tinyfit devices`:
 * by core or core family, vendor, minimum SRAM and flash; sorted by id,
 * name, SRAM, flash, clock or price with ties broken by id.
 */
#include "tinyfit/device.h"

#include <stdlib.h>
#include <string.h>

#include "tinyfit/strbuf.h"
#include "device_internal.h"


static int cmp_double_desc(double a, double b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static int cmp_devices(const struct tfit_device *a, const struct tfit_device *b,
		       enum tfit_device_sort sort)
{
	int c = 0;
	switch (sort) {
	case TFIT_DEVICE_SORT_NAME:
		c = tfit_device_strcasecmp(a->name, b->name);
		break;
	case TFIT_DEVICE_SORT_SRAM:
		c = cmp_u64_desc(a->sram_bytes, b->sram_bytes);
		break;
	case TFIT_DEVICE_SORT_FLASH:
		c = cmp_u64_desc(tfit_device_model_flash_bytes(a),
				 tfit_device_model_flash_bytes(b));
		break;
	case TFIT_DEVICE_SORT_CLOCK:
		c = cmp_double_desc(a->clock_mhz, b->clock_mhz);
		break;
	case TFIT_DEVICE_SORT_PRICE:
		if ((a->price_usd > 0) != (b->price_usd > 0))
			c = a->price_usd > 0 ? -1 : 1;
		else
			c = -cmp_double_desc(a->price_usd, b->price_usd);
		break;
	case TFIT_DEVICE_SORT_ID:
	case TFIT_DEVICE_SORT_COUNT:
		break;
	}
	return c ? c : strcmp(a->id, b->id);
}

/*
 * Merge sort of v[0..n) by sort (C11's qsort takes no context, and a global
 * would make listings unsafe to run concurrently). tmp has room for n.
 */
static void sort_devices(const struct tfit_device **v, const struct tfit_device **tmp, size_t n,
			 enum tfit_device_sort sort)
{
	size_t mid, i, j, k;
	if (n < 2)
		return;
	mid = n / 2;
	sort_devices(v, tmp, mid, sort);
	sort_devices(v + mid, tmp, n - mid, sort);
	for (i = 0, j = mid, k = 0; i < mid || j < n;)
		tmp[k++] = (j == n || (i < mid && cmp_devices(v[i], v[j], sort) <= 0)) ? v[i++]
											 : v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

static int core_matches(const struct tfit_device *d, const char *core)
{
	return strcmp(d->core->id, core) == 0 ||
	       strcmp(tfit_core_family_name(d->core->family), core) == 0;
}

static int core_filter_valid(const char *core)
{
	size_t i;
	if (tfit_device_core_find(core))
		return 1;
	for (i = 0; i < TFIT_CORE_FAMILY_COUNT; i++)
		if (strcmp(tfit_core_family_name((enum tfit_core_family)i), core) == 0)
			return 1;
	return 0;
}

enum tfit_status tfit_device_db_select(const struct tfit_device_db *db,
				       const struct tfit_device_filter *filter,
				       enum tfit_device_sort sort,
				       const struct tfit_device ***out, size_t *n_out,
				       struct tfit_error *err)
{
	const struct tfit_device **v, **tmp;
	size_t i, n = 0;

	*out = NULL;
	*n_out = 0;
	if (filter && filter->core && !core_filter_valid(filter->core)) {
		struct tfit_strbuf sb = TFIT_STRBUF_INIT;
		enum tfit_status rc;
		for (i = 0; i < tfit_device_core_count(); i++) {
			tfit_strbuf_puts(&sb, i ? ", " : "");
			tfit_strbuf_puts(&sb, tfit_device_core_at(i)->id);
		}
		tfit_strbuf_puts(&sb, "; families:");
		for (i = 0; i < TFIT_CORE_FAMILY_COUNT; i++) {
			tfit_strbuf_puts(&sb, i ? ", " : " ");
			tfit_strbuf_puts(&sb, tfit_core_family_name((enum tfit_core_family)i));
		}
		rc = tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				    "unknown core '%.60s' (expected a core: %s)",
				    filter->core, tfit_strbuf_str(&sb));
		tfit_strbuf_release(&sb);
		return rc;
	}
	if (!db->n_devices)
		return TFIT_OK;
	v = calloc(db->n_devices, sizeof(*v));
	tmp = calloc(db->n_devices, sizeof(*tmp));
	if (!v || !tmp) {
		free(v);
		free(tmp);
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	}
	for (i = 0; i < db->n_devices; i++) {
		const struct tfit_device *d = &db->devices[i];
		if (filter) {
			if (filter->core && !core_matches(d, filter->core))
				continue;
			if (filter->vendor && !tfit_device_contains_ci(d->vendor, filter->vendor))
				continue;
			if (filter->min_sram_bytes && d->sram_bytes < filter->min_sram_bytes)
				continue;
			if (filter->min_flash_bytes &&
			    tfit_device_model_flash_bytes(d) < filter->min_flash_bytes)
				continue;
		}
		v[n++] = d;
	}
	sort_devices(v, tmp, n, sort);
	free(tmp);
	if (!n) {
		free(v);
		v = NULL;
	}
	*out = v;
	*n_out = n;
	return TFIT_OK;
}

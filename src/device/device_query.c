/*
 * device_query.c - questions asked of a parsed profile: the source of a
 * field, the facts without one, and the flash and arena budgets a fit
 * check starts from.
 */
#include "tinyfit/device.h"

#include <string.h>

#include "device_internal.h"

enum tfit_status tfit_device_check_runtimes(const struct tfit_device *devs, size_t n,
					    const struct tfit_device_runtime_check *check,
					    struct tfit_error *err)
{
	char msg[TFIT_ERROR_MSG_MAX];
	size_t i;
	for (i = 0; check && check->known && i < n; i++) {
		const struct tfit_device *d = &devs[i];
		if (check->known(check->ctx, d->runtime, msg, sizeof(msg)))
			continue;
		if (d->runtime_from_profile)
			return tfit_error_set(err, TFIT_ERR_INPUT, d->file, "default_runtime", "%s",
					      msg);
		return tfit_error_set(err, TFIT_ERR_INPUT, d->file, "core",
				      "the default runtime of core %s: %s",
				      d->core ? d->core->id : "(none)", msg);
	}
	return TFIT_OK;
}

const char *tfit_device_source(const struct tfit_device *dev, const char *field)
{
	size_t i;
	for (i = 0; dev && i < dev->n_sources; i++)
		if (strcmp(dev->sources[i].field, field) == 0)
			return dev->sources[i].text;
	return NULL;
}

/* Whether the profile gave field (from the parsed struct). */
static int has_field(const struct tfit_device *dev, const char *f)
{
	if (!strcmp(f, "mcu") || !strcmp(f, "core")) return 1;
	if (!strcmp(f, "cores")) return dev->cores != 0;
	if (!strcmp(f, "clock_mhz")) return dev->clock_mhz > 0;
	if (!strcmp(f, "flash")) return dev->flash_bytes != 0;
	if (!strcmp(f, "external_flash")) return dev->external_flash_bytes != 0;
	if (!strcmp(f, "sram")) return dev->sram_bytes != 0;
	if (!strcmp(f, "psram")) return dev->psram_bytes != 0;
	if (!strcmp(f, "dram")) return dev->dram_bytes != 0;
	if (!strcmp(f, "fpu")) return dev->fpu != TFIT_FPU_UNKNOWN;
	if (!strcmp(f, "simd")) return dev->simd != NULL;
	if (!strcmp(f, "accelerator")) return dev->accel.present;
	if (!strcmp(f, "active_power_mw")) return dev->active_power_mw > 0;
	if (!strcmp(f, "sleep_power_mw")) return dev->sleep_power_mw > 0;
	if (!strcmp(f, "price_usd")) return dev->price_usd > 0;
	if (!strcmp(f, "reserve")) return dev->reserve_from_profile;
	return 0;
}

size_t tfit_device_unsourced(const struct tfit_device *dev, const char **out, size_t max)
{
	const char *const *f = tfit_device_sourced_fields();
	size_t i, n = 0;
	for (i = 0; f[i]; i++) {
		if (!has_field(dev, f[i]) ||
		    tfit_device_source(dev, f[i]))
			continue;
		if (n < max)
			out[n] = f[i];
		n++;
	}
	return n;
}

uint64_t tfit_device_model_flash_bytes(const struct tfit_device *dev)
{
	return dev->flash_bytes ? dev->flash_bytes : dev->external_flash_bytes;
}

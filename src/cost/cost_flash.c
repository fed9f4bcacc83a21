/* Weights streamed from on-chip flash: data/cost/flash.json and the cycles
 * per weight byte a chip's wait states cost (docs/latency-model.md, "Weights
 * streamed from flash"; docs/cost-format.md). */
#include "tinyfit/cost.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_util.h"
#include "util/numeric.h"

#define FLASH_MAX_CHIPS 256

/* A required string, copied (the caller frees it). */
static enum tfit_status flash_str(const cJSON *o, const char *key, const char *file,
				  const struct tfit_jpath *p, char **out, struct tfit_error *err)
{
	const char *s = NULL;
	enum tfit_status rc = tfit_json_req_string(o, key, file, p, &s, err);
	if (rc != TFIT_OK)
		return rc;
	return tfit_json_dup_opt_string(o, key, file, p, out, err);
}

/* A required number within [min, max]. */
static enum tfit_status flash_num(const cJSON *o, const char *key, const char *file,
				  const struct tfit_jpath *p, double min, double max, double *out,
				  struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	int present = 0;
	enum tfit_status rc = tfit_json_opt_number(o, key, file, p, min, max, out, &present, err);
	if (rc != TFIT_OK)
		return rc;
	if (!present) {
		tfit_jpath_child(p, key, path, sizeof(path));
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "missing required field (expected a number from %g to %g)",
				      min, max);
	}
	return TFIT_OK;
}

static const char *const flash_top_keys[] = { "$comment", "assumption", "chips", NULL };
static const char *const flash_chip_keys[] = { "match", "clock_mhz", "wait_states",
					       "flash_clock_divider", "access_bytes", "source",
					       NULL };

enum tfit_status tfit_cost_flash_parse(const void *root_v, const char *file,
				       struct tfit_cost_flash *f, struct tfit_error *err)
{
	const cJSON *root = root_v, *arr, *o;
	struct tfit_jpath p;
	enum tfit_status rc;
	size_t n, mark;

	tfit_jpath_init(&p);
	if ((rc = tfit_json_check_object(root, flash_top_keys, file, &p, err)) != TFIT_OK ||
	    (rc = flash_str(root, "assumption", file, &p, &f->assumption, err)) != TFIT_OK)
		return rc;
	arr = cJSON_GetObjectItemCaseSensitive(root, "chips");
	if (!cJSON_IsArray(arr))
		return tfit_json_type_error(file, &p, "chips", "an array of chips", arr, err);
	n = (size_t)cJSON_GetArraySize(arr);
	if (n > FLASH_MAX_CHIPS)
		return tfit_error_set(err, TFIT_ERR_LIMIT, file, "chips",
				      "%zu chips, over the limit of %d", n, FLASH_MAX_CHIPS);
	if (!(f->chips = calloc(n ? n : 1, sizeof(*f->chips))))
		return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
	mark = tfit_jpath_key(&p, "chips");
	cJSON_ArrayForEach(o, arr) {
		struct tfit_cost_flash_chip *c = &f->chips[f->n_chips];
		size_t m2 = tfit_jpath_index(&p, f->n_chips);
		f->n_chips++;
		if ((rc = tfit_json_check_object(o, flash_chip_keys, file, &p, err)) != TFIT_OK ||
		    (rc = flash_str(o, "match", file, &p, &c->match, err)) != TFIT_OK ||
		    (rc = flash_num(o, "clock_mhz", file, &p, 1e-3, 1e5, &c->clock_mhz, err)) !=
			    TFIT_OK ||
		    (rc = flash_num(o, "wait_states", file, &p, 0, 64, &c->wait_states, err)) !=
			    TFIT_OK ||
		    (rc = flash_num(o, "flash_clock_divider", file, &p, 1, 16, &c->clock_divider,
				    err)) != TFIT_OK ||
		    (rc = flash_num(o, "access_bytes", file, &p, 1, 4096, &c->access_bytes, err)) !=
			    TFIT_OK ||
		    (rc = flash_str(o, "source", file, &p, &c->source, err)) != TFIT_OK)
			return rc;
		tfit_jpath_restore(&p, m2);
	}
	tfit_jpath_restore(&p, mark);
	return TFIT_OK;
}

void tfit_cost_flash_release(struct tfit_cost_flash *f)
{
	size_t i;
	if (!f)
		return;
	for (i = 0; i < f->n_chips; i++) {
		free(f->chips[i].match);
		free(f->chips[i].source);
	}
	free(f->chips);
	free(f->assumption);
	memset(f, 0, sizeof(*f));
}

double tfit_cost_flash_cycles_per_byte(const struct tfit_cost_flash *f, const char *mcu,
				       double clock_mhz, const struct tfit_cost_flash_chip **chip,
				       double *ws_out)
{
	size_t i;
	if (chip)
		*chip = NULL;
	if (ws_out)
		*ws_out = 0;
	if (!f || !mcu || !(clock_mhz > 0))
		return 0;
	for (i = 0; i < f->n_chips; i++) {
		const struct tfit_cost_flash_chip *c = &f->chips[i];
		double ws;
		if (!strstr(mcu, c->match))
			continue;
		/* the flash access time is fixed: (ws + 1) flash cycles at the
		 * chip's clock; at another clock take as many as it needs */
		ws = tfit_ceil((c->wait_states + 1) * clock_mhz / c->clock_mhz - 1e-9) - 1;
		if (ws < 0)
			ws = 0;
		if (chip)
			*chip = c;
		if (ws_out)
			*ws_out = ws;
		return ws * c->clock_divider / c->access_bytes;
	}
	return 0;
}

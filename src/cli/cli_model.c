#define _POSIX_C_SOURCE 200809L
/*
 * cli_model.c - options shared by commands that take a model: load it from
 * a file or build a bare one from --params/--macs, apply --dtype, and open
 * the device database.
 */
#include "cli_model.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tinyfit/fileio.h"
#include "tinyfit/fit.h"
#include "tinyfit/model_io.h"
#include "tinyfit/registry.h"
#include "tinyfit/runtime.h"
#include "tinyfit/units.h"

/* A count in the one strict grammar of units.h (no sign, space or exponent). */
static int parse_u64(const char *s, uint64_t *out)
{
	return tfit_units_parse_uint(s, 0, UINT64_MAX, out);
}

int tfit_cli_parse_dtype(struct tfit_cli_ctx *ctx, const char *cmd, const char *text,
			 enum tfit_dtype *out)
{
	enum tfit_dtype d = tfit_dtype_parse(text);
	if (d != TFIT_DTYPE_FLOAT32 && d != TFIT_DTYPE_FLOAT16 && d != TFIT_DTYPE_INT8 &&
	    d != TFIT_DTYPE_INT4)
		return tfit_cli_usage_error(ctx, cmd,
					    "--dtype: unknown dtype '%s' (expected float32, float16, int8 or int4)",
					    text);
	*out = d;
	return 0;
}

/* "49x10x1": 1 to TFIT_MAX_RANK-1 positive sizes. 0 or -1. */
static int parse_input_shape(const char *s, struct tfit_load_opts *lo)
{
	int32_t n = 0;
	while (*s) {
		char *end;
		long long v;
		if (*s < '0' || *s > '9' || n >= TFIT_MAX_RANK - 1)
			return -1;
		v = strtoll(s, &end, 10);
		if (v <= 0 || v > (1LL << 40) || (*end && *end != 'x'))
			return -1;
		lo->input_shape[n++] = v;
		s = *end ? end + 1 : end;
		if (*end && !*s)
			return -1;
	}
	if (n == 0)
		return -1;
	lo->input_rank = n;
	lo->has_input_shape = 1;
	return 0;
}

int tfit_cli_load_model(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			const char *path, struct tfit_model **out)
{
	struct tfit_load_opts lo;
	struct tfit_error err;
	const char *dtype = tfit_args_get(args, "dtype");
	const char *params = tfit_args_get(args, "params");
	*out = NULL;
	tfit_error_clear(&err);
	tfit_load_opts_init(&lo);
	lo.skip_unknown = tfit_args_count(args, "skip-unknown") > 0;
	if (dtype && tfit_cli_parse_dtype(ctx, cmd, dtype, &lo.dtype) != 0)
		return TFIT_EXIT_ERROR;
	if (tfit_args_get(args, "input-shape") &&
	    parse_input_shape(tfit_args_get(args, "input-shape"), &lo) != 0)
		return tfit_cli_usage_error(ctx, cmd,
					    "--input-shape: expected sizes without the batch such as 49x10x1 (1 to %d positive integers joined by 'x'), got '%s'",
					    TFIT_MAX_RANK - 1, tfit_args_get(args, "input-shape"));
	if (params) {
		/* a bare model: --params N [--macs N] --dtype D (textbook method) */
		uint64_t p = 0, macs = 0;
		const char *m = tfit_args_get(args, "macs");
		struct tfit_model *model;
		if (path)
			return tfit_cli_usage_error(ctx, cmd, "give either MODEL or --params, not both");
		if (parse_u64(params, &p) != 0 || p == 0)
			return tfit_cli_usage_error(ctx, cmd, "--params: expected a positive integer, got '%s'", params);
		if (m && parse_u64(m, &macs) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--macs: expected a non-negative integer, got '%s'", m);
		model = tfit_model_new();
		if (!model || tfit_strdup_to(&model->name, "model") != 0) {
			tfit_model_free(model);
			fprintf(ctx->err, "tinyfit: error: out of memory\n");
			return TFIT_EXIT_ERROR;
		}
		model->format = TFIT_FORMAT_FLAGS;
		model->dtype = lo.dtype != TFIT_DTYPE_UNKNOWN ? lo.dtype : TFIT_DTYPE_FLOAT32;
		model->framework_params = p;
		tfit_model_analyze(model, &err);
		model->params = p;
		model->deployed_params = p;
		model->macs = macs;
		*out = model;
		return 0;
	}
	if (tfit_args_get(args, "macs"))
		return tfit_cli_usage_error(ctx, cmd, "--macs needs --params (a bare model)");
	if (!path)
		return tfit_cli_usage_error(ctx, cmd, "missing MODEL (a .json or .tflite file, or --params N)");
	if (strcmp(path, "-") == 0) {
		/* the model on standard input, read once and sniffed from memory */
		char *data = NULL;
		size_t len = 0;
		if (tfit_file_read("/dev/stdin", TFIT_FILE_MAX_BYTES, &data, &len, &err) != TFIT_OK)
			return tfit_cli_fail(ctx, &err);
		path = "<stdin>";
		if (tfit_model_load_buffer(data, len, path, &lo, out, &err) != TFIT_OK) {
			free(data);
			return tfit_cli_fail(ctx, &err);
		}
		free(data);
	} else {
		if (ctx->n_inputs < sizeof(ctx->inputs) / sizeof(ctx->inputs[0]))
			ctx->inputs[ctx->n_inputs++] = path;
		if (tfit_model_load(path, &lo, out, &err) != TFIT_OK)
			return tfit_cli_fail(ctx, &err);
	}
	tfit_cli_print_warnings(ctx, path, (*out)->warnings, (*out)->n_warnings);
	return 0;
}

int tfit_cli_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

struct tfit_runtime_set *tfit_cli_runtimes(struct tfit_cli_ctx *ctx)
{
	if (!ctx->runtimes && ctx->data_dir[0])
		(void)tfit_runtime_set_new(ctx->data_dir, &ctx->runtimes, NULL);
	return ctx->runtimes;
}

int tfit_cli_open_devices(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			  struct tfit_device_db *db)
{
	const char *dirs[TFIT_CLI_MAX_DEVICE_DIRS];
	size_t n, i;
	struct tfit_error err;
	int exit_code;
	tfit_error_clear(&err);
	tfit_device_db_init(db);
	if ((exit_code = tfit_cli_device_dirs(ctx, args, dirs, &n)) != 0)
		return exit_code;
	for (i = 0; i < n; i++) {
		enum tfit_status rc;
		if (i == 0 && ctx->data_dir[0] && strstr(dirs[0], ctx->data_dir) == dirs[0])
			rc = tfit_device_db_load_dir_as(db, dirs[0], "<built-in>", &err);
		else
			rc = tfit_device_db_load_dir(db, dirs[i], &err);
		if (rc != TFIT_OK) {
			tfit_device_db_release(db);
			return tfit_cli_fail(ctx, &err);
		}
	}
	return 0;
}

int tfit_cli_check_runtime(struct tfit_cli_ctx *ctx, const char *cmd, const char *id)
{
	struct tfit_cost_db cdb;
	struct tfit_registry reg;
	struct tfit_error err;
	enum tfit_status st;
	tfit_error_clear(&err);
	if (tfit_cost_db_load(ctx->data_dir, &cdb, &err) != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	st = tfit_registry_build(ctx->data_dir, &cdb, &reg, &err);
	tfit_cost_db_release(&cdb);
	if (st != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	st = tfit_registry_resolve(&reg, id, NULL, &err);
	tfit_registry_release(&reg);
	if (st == TFIT_OK)
		return 0;
	if (st != TFIT_ERR_USAGE)
		return tfit_cli_fail(ctx, &err);
	return tfit_cli_usage_error(ctx, cmd, "--runtime: %s", err.message);
}

int tfit_cli_parse_clock(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			 double *mhz)
{
	const char *v = tfit_args_get(args, "clock");
	*mhz = 0;
	if (v && tfit_units_parse_clock_mhz(v, mhz) != 0)
		return tfit_cli_usage_error(ctx, cmd, "--clock: expected a frequency such as 80MHz, "
					    "1.2GHz or 32768kHz (at most 100GHz), got '%s'", v);
	return 0;
}

int tfit_cli_parse_placement(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			     struct tfit_fit_opts *o)
{
	const char *v = tfit_args_get(args, "partition");
	if (v && (tfit_units_parse_bytes(v, &o->partition_bytes) != 0 || o->partition_bytes == 0))
		return tfit_cli_usage_error(ctx, cmd, "--partition: expected a positive size such as 1MiB, got '%s'", v);
	o->arena_in = tfit_args_get(args, "arena-in");
	o->weights_in = tfit_args_get(args, "weights-in");
	o->ota = tfit_args_count(args, "ota") > 0;
	return 0;
}

const struct tfit_device *tfit_cli_clocked(const struct tfit_device *d, double mhz,
					   struct tfit_device *slot)
{
	if (!(mhz > 0) || !d)
		return d;
	*slot = *d;
	slot->clock_mhz = mhz;
	return slot;
}

int tfit_cli_parse_factor(struct tfit_cli_ctx *ctx, const char *cmd, const char *opt,
			  const char *v, double hi, double *out)
{
	double d;
	if (!v)
		return 0;
	if (tfit_units_parse_decimal(v, 0.0, hi, &d) != 0 || !(d > 0))
		return tfit_cli_usage_error(ctx, cmd, "--%s: expected a decimal number above 0 and at most %g such as 0.5, got '%s'",
					    opt, hi, v);
	*out = d;
	return 0;
}

int tfit_cli_device_ids(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			char **copy, const char ***ids, size_t *n_ids)
{
	static const char *const opts[] = { "device", "devices" };
	size_t len = 0, i, k = 0, o;
	char *p;
	*copy = NULL;
	*ids = NULL;
	*n_ids = 0;
	for (o = 0; o < 2; o++) {
		const char *const *vals;
		size_t n = tfit_args_all(args, opts[o], &vals);
		for (i = 0; i < n; i++) {
			if (tfit_cli_is_dir(vals[i]) || strchr(vals[i], '/'))
				return tfit_cli_usage_error(ctx, cmd,
							    "--%s: '%s' is a directory: --device/--devices take board ids, "
							    "--device-dir DIR loads the profiles in a directory",
							    opts[o], vals[i]);
			len += strlen(vals[i]) + 1;
		}
	}
	if (!len)
		return 0;
	*copy = malloc(len + 1);
	*ids = malloc((len / 2 + 2) * sizeof(**ids)); /* at most one id per 2 bytes */
	if (!*copy || !*ids) {
		fprintf(ctx->err, "tinyfit: error: out of memory\n");
		return TFIT_EXIT_ERROR;
	}
	p = *copy;
	for (o = 0; o < 2; o++) {
		const char *const *vals;
		size_t n = tfit_args_all(args, opts[o], &vals);
		for (i = 0; i < n; i++) {
			char *save = NULL, *tok;
			strcpy(p, vals[i]);
			for (tok = strtok_r(p, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				if (*tok)
					(*ids)[k++] = tok;
			p += strlen(vals[i]) + 1;
		}
	}
	*n_ids = k;
	if (k > TFIT_CLI_MAX_DEVICE_IDS)
		return tfit_cli_usage_error(ctx, cmd, "--device: %zu board ids; at most %d in one "
					    "command (docs/limits.md)", k, TFIT_CLI_MAX_DEVICE_IDS);
	return 0;
}

#define _POSIX_C_SOURCE 200809L
/*
 * cli_model.c - options shared by commands that take a model: load it from
 * a file or a bare one from --params/--macs, --dtype, and the device
 * directories, parsed into the engine's requests (engine.h).
 */
#include "cli_model.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tinyfit/engine.h"
#include "tinyfit/fit.h"
#include "tinyfit/model_io.h"
#include "tinyfit/registry.h"
#include "tinyfit/shipped.h"
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

int tfit_cli_model_request(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			   const char *path, struct tfit_model_request *req)
{
	const char *dtype = tfit_args_get(args, "dtype");
	const char *params = tfit_args_get(args, "params");
	const char *macs = tfit_args_get(args, "macs");
	memset(req, 0, sizeof(*req));
	tfit_load_opts_init(&req->load);
	req->load.skip_unknown = tfit_args_count(args, "skip-unknown") > 0;
	if (dtype && tfit_cli_parse_dtype(ctx, cmd, dtype, &req->load.dtype) != 0)
		return TFIT_EXIT_ERROR;
	if (tfit_args_get(args, "input-shape") &&
	    parse_input_shape(tfit_args_get(args, "input-shape"), &req->load) != 0)
		return tfit_cli_usage_error(ctx, cmd,
					    "--input-shape: expected sizes without the batch such as 49x10x1 (1 to %d positive integers joined by 'x'), got '%s'",
					    TFIT_MAX_RANK - 1, tfit_args_get(args, "input-shape"));
	if (params) {
		/* a bare model: --params N [--macs N] --dtype D (textbook method) */
		if (path)
			return tfit_cli_usage_error(ctx, cmd, "give either MODEL or --params, not both");
		if (parse_u64(params, &req->params) != 0 || req->params == 0)
			return tfit_cli_usage_error(ctx, cmd, "--params: expected a positive integer, got '%s'", params);
		if (macs && parse_u64(macs, &req->macs) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--macs: expected a non-negative integer, got '%s'", macs);
		req->bare = 1;
		return 0;
	}
	if (macs)
		return tfit_cli_usage_error(ctx, cmd, "--macs needs --params (a bare model)");
	if (!path)
		return tfit_cli_usage_error(ctx, cmd, "missing MODEL (a .json or .tflite file, or --params N)");
	req->path = path;
	if (strcmp(path, "-") != 0 && ctx->n_inputs < sizeof(ctx->inputs) / sizeof(ctx->inputs[0]))
		ctx->inputs[ctx->n_inputs++] = path;
	return 0;
}

void tfit_cli_model_warnings(struct tfit_cli_ctx *ctx, const struct tfit_model_request *req,
			     const struct tfit_model *m)
{
	if (m && req->path)
		tfit_cli_print_warnings(ctx, strcmp(req->path, "-") == 0 ? "<stdin>" : req->path,
					m->warnings, m->n_warnings);
}

int tfit_cli_engine_fail(struct tfit_cli_ctx *ctx, const char *cmd, int usage,
			 const struct tfit_error *err)
{
	if (usage)
		return tfit_cli_usage_error(ctx, cmd, "%s", err->message);
	return tfit_cli_fail(ctx, err);
}

int tfit_cli_load_model(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			const char *path, struct tfit_model **out)
{
	struct tfit_model_request req;
	struct tfit_error err;
	int rc;
	*out = NULL;
	tfit_error_clear(&err);
	if ((rc = tfit_cli_model_request(ctx, cmd, args, path, &req)) != 0)
		return rc;
	if (tfit_engine_load_model(&req, out, &err) != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	tfit_cli_model_warnings(ctx, &req, *out);
	return 0;
}

int tfit_cli_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The data directory and its cost tables, without the runtime set (the
 * board source needs only the registry). */
static struct tfit_data_source data_files(const struct tfit_cli_ctx *ctx)
{
	struct tfit_data_source ds;
	memset(&ds, 0, sizeof(ds));
	ds.data_dir = ctx->data_dir;
	/* the compiled tables are data_dir's only when data_dir is the one
	 * installed beside the executable (always, when it is set) */
	ds.cost_db = ctx->data_dir[0] ? tfit_shipped_cost_db : NULL;
	return ds;
}

struct tfit_data_source tfit_cli_data_source(struct tfit_cli_ctx *ctx)
{
	struct tfit_data_source ds = data_files(ctx);
	/* the built-in profiles as the build compiled them (tinyfit/shipped.h) */
	if (!ctx->runtimes && ctx->data_dir[0])
		(void)tfit_engine_runtime_set(ctx->data_dir, tfit_shipped_runtimes, &ctx->runtimes, NULL);
	ds.runtimes = ctx->runtimes;
	return ds;
}

int tfit_cli_device_source(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			   const char **dirs, struct tfit_board_source *src)
{
	int exit_code;
	memset(src, 0, sizeof(*src));
	if ((exit_code = tfit_cli_device_dirs(ctx, args, dirs, &src->n_dirs)) != 0)
		return exit_code;
	src->dirs = dirs;
	src->data = data_files(ctx);
	src->first_is_builtin = src->n_dirs > 0 && ctx->data_dir[0] &&
				strstr(dirs[0], ctx->data_dir) == dirs[0];
	if (src->first_is_builtin) {
		/* the built-in directory as the build compiled it (tinyfit/shipped.h) */
		src->builtin = tfit_shipped_devices;
		src->n_builtin = tfit_shipped_n_devices;
	}
	return 0;
}

int tfit_cli_open_devices(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			  struct tfit_device_db *db)
{
	const char *dirs[TFIT_CLI_MAX_DEVICE_DIRS];
	struct tfit_board_source src;
	struct tfit_error err;
	int exit_code;
	tfit_error_clear(&err);
	tfit_device_db_init(db);
	if ((exit_code = tfit_cli_device_source(ctx, args, dirs, &src)) != 0)
		return exit_code;
	if (tfit_engine_open_devices(&src, db, &err) != TFIT_OK) {
		tfit_device_db_release(db);
		return tfit_cli_fail(ctx, &err);
	}
	return 0;
}

int tfit_cli_check_runtime(struct tfit_cli_ctx *ctx, const char *cmd, const char *id)
{
	struct tfit_data_source ds = data_files(ctx);
	struct tfit_error err;
	int usage = 0;
	tfit_error_clear(&err);
	if (tfit_engine_check_runtime(&ds, id, &usage, &err) == TFIT_OK)
		return 0;
	return tfit_cli_engine_fail(ctx, cmd, usage, &err);
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

/* cli_model.h - model and device loading shared by commands (cli_model.c). */
#ifndef TINYFIT_CLI_MODEL_H
#define TINYFIT_CLI_MODEL_H

#include "cli.h"
#include "tinyfit/device.h"
#include "tinyfit/engine.h"
#include "tinyfit/graph.h"

/* Options for commands that read a model file (append to a command's table). */
#define TFIT_CLI_MODEL_FILE_OPTS \
	{ "dtype", 0, 1, "DTYPE", "re-evaluate as float32, float16, int8 or int4" }, \
	{ "skip-unknown", 0, 0, NULL, "Keras: count unknown layer classes as zero-cost (warns)" }, \
	{ "input-shape", 0, 1, "SHAPE", "Keras: input shape without the batch, e.g. 49x10x1 (fills null sizes)" }

/* ... and for those that also take a bare model. */
#define TFIT_CLI_MODEL_OPTS \
	TFIT_CLI_MODEL_FILE_OPTS, \
	{ "params", 0, 1, "N", "a bare model of N parameters instead of MODEL (textbook method)" }, \
	{ "macs", 0, 1, "N", "with --params: its multiply-accumulates" }

/* Options for commands that read the device database. */
#define TFIT_CLI_DEVICE_DIR_OPTS \
	{ "device-dir", 0, 1, "DIR", "also load device profiles from DIR (repeatable; later wins)" }

/* Where the arena, the model and the app slot go (check and compare). */
#define TFIT_CLI_PLACEMENT_OPTS \
	{ "arena-in", 0, 1, "REGION", "put the arena in this memory region (psram, sdram, dtcm...)" }, \
	{ "weights-in", 0, 1, "REGION", "keep the model in this region (ext-flash, psram, sram...)" }, \
	{ "partition", 0, 1, "SIZE", "app slot size instead of the profile's (each slot with --ota)" }, \
	{ "ota", 0, 0, NULL, "two app slots (A/B update): the image must fit one" }

struct tfit_fit_opts;
/* --arena-in, --weights-in, --partition, --ota into o (strings borrowed
 * from args); 0, or exit code 2 after a usage error. */
int tfit_cli_parse_placement(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			     struct tfit_fit_opts *o);

/* Returns 0, or an exit code after printing the error. */
int tfit_cli_parse_dtype(struct tfit_cli_ctx *ctx, const char *cmd, const char *text,
			 enum tfit_dtype *out);
/*
 * The model options and MODEL (path, or NULL) as an engine request: usage
 * errors are printed (returns the exit code), a model file is recorded in
 * ctx->inputs (-o may not overwrite it). Returns 0 otherwise.
 */
int tfit_cli_model_request(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			   const char *path, struct tfit_model_request *req);
/* Print the loaded model's warnings, named by its file ("<stdin>" for -). */
void tfit_cli_model_warnings(struct tfit_cli_ctx *ctx, const struct tfit_model_request *req,
			     const struct tfit_model *m);
/* An engine call's error: with the command's usage hint when usage (the
 * result's usage_error), else in compiler style. Returns exit code 2. */
int tfit_cli_engine_fail(struct tfit_cli_ctx *ctx, const char *cmd, int usage,
			 const struct tfit_error *err);
/* The request, the engine's load and the warnings in one step. */
int tfit_cli_load_model(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			const char *path, struct tfit_model **out);
/* The data source of the engine's requests (request.data): ctx->data_dir,
 * its cost tables as the build compiled them (tinyfit/shipped.h; NULL when
 * there is no data directory), and its runtime profiles, each loaded at
 * most once in the process (the set is created on first use, NULL when out
 * of memory: each run then loads its own). */
struct tfit_data_source tfit_cli_data_source(struct tfit_cli_ctx *ctx);

/* The device directories (tfit_cli_device_dirs) as an engine source; dirs
 * has room for TFIT_CLI_MAX_DEVICE_DIRS. 0, or the exit code after an error. */
int tfit_cli_device_source(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			   const char **dirs, struct tfit_board_source *src);
int tfit_cli_open_devices(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			  struct tfit_device_db *db);
int tfit_cli_is_dir(const char *path);
/* A number in (0, hi] for option --opt (textbook factors); 0 or an exit code. */
int tfit_cli_parse_factor(struct tfit_cli_ctx *ctx, const char *cmd, const char *opt,
			  const char *v, double hi, double *out);
/* 0 when id names a runtime profile in the data directory, else a usage error. */
int tfit_cli_check_runtime(struct tfit_cli_ctx *ctx, const char *cmd, const char *id);

/* --clock FREQ ("80MHz", "1.2GHz"): *mhz = 0 when absent; returns 0, or
 * exit code 2 after a usage error naming the option. */
int tfit_cli_parse_clock(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			 double *mhz);

/*
 * The board ids of --device and --devices (both repeatable, comma-separated),
 * in order: *ids points into *copy; the caller frees both (also on error).
 * A value that is a directory is a usage error pointing at --device-dir.
 * Returns 0 (n_ids may be 0), or an exit code after printing the error.
 */
int tfit_cli_device_ids(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			char **copy, const char ***ids, size_t *n_ids);

#endif

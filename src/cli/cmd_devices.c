/*
 * cmd_devices.c - `tinyfit devices [list]` (the database as a table, with
 * filters and sorting) and `tinyfit devices show ID` (one board, every field
 * with its source and the file that defined it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "commands.h"
#include "tinyfit/engine.h"
#include "tinyfit/units.h"

static const struct tfit_optdef devices_opts[] = {
	{ "core", 0, 1, "CORE", "list: only this core (cortex-m4f, ...) or family (arm-m-dsp, ...)" },
	{ "vendor", 0, 1, "TEXT", "list: only vendors containing TEXT (any case)" },
	{ "min-sram", 0, 1, "SIZE", "list: only boards with at least SIZE of SRAM (e.g. 256KiB)" },
	{ "min-flash", 0, 1, "SIZE", "list: only boards with at least SIZE of flash for the model" },
	{ "sort", 0, 1, "KEY", "list: id (default), name, sram, flash, clock or price" },
	TFIT_CLI_DEVICE_DIR_OPTS,
	TFIT_CLI_COMMON_OPTS,
	TFIT_OPT_END
};

static int parse_size_opt(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			  const char *name, uint64_t *out)
{
	const char *v = tfit_args_get(args, name);
	if (!v)
		return TFIT_EXIT_OK;
	if (tfit_units_parse_bytes(v, out) != 0)
		return tfit_cli_usage_error(ctx, "devices",
					    "--%s: expected a size such as 256KiB or 1MiB, got '%s'",
					    name, v);
	return TFIT_EXIT_OK;
}

int tfit_cmd_devices(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_devices_request req;
	struct tfit_devices_result res;
	struct tfit_render_opts ro;
	const char *dirs[TFIT_CLI_MAX_DEVICE_DIRS];
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	enum tfit_format fmt;
	const char *sub;
	int rc = TFIT_EXIT_ERROR;

	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	req.sort = TFIT_DEVICE_SORT_ID;
	tfit_error_clear(&err);
	if (tfit_args_parse(&args, devices_opts, argc, argv, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "devices", "%s", err.message);
		goto out;
	}
	if (tfit_args_count(&args, "help")) {
		tfit_cli_print_help(ctx->out, "tinyfit devices [list] [options]\n"
				    "       tinyfit devices show ID [options]",
				    "List the board profiles tinyfit knows, or show one board with the\n"
				    "source of every number. Profiles come from the built-in database,\n"
				    "then each directory of $TINYFIT_DEVICES (colon-separated), then each\n"
				    "--device-dir DIR; a later profile with the same id replaces an earlier\n"
				    "one. Ids and aliases match in any case.",
				    devices_opts);
		rc = TFIT_EXIT_OK;
		goto out;
	}
	sub = args.n_positional ? args.positional[0] : "list";
	if (strcmp(sub, "list") == 0) {
		if (args.n_positional > 1) {
			rc = tfit_cli_usage_error(ctx, "devices", "'list' takes no arguments, got '%s'",
						  args.positional[1]);
			goto out;
		}
	} else if (strcmp(sub, "show") == 0) {
		if (args.n_positional != 2) {
			rc = tfit_cli_usage_error(ctx, "devices", args.n_positional < 2
						  ? "'show' needs a device ID%.0s"
						  : "'show' takes one device ID, got also '%s'",
						  args.n_positional > 2 ? args.positional[2] : "");
			goto out;
		}
	} else {
		rc = tfit_cli_usage_error(ctx, "devices", "unknown subcommand '%s' (expected list or show)",
					  sub);
		goto out;
	}
	if (tfit_cli_get_format(&args, (1u << TFIT_FORMAT_TEXT) | (1u << TFIT_FORMAT_MARKDOWN) |
				(1u << TFIT_FORMAT_CSV) | (1u << TFIT_FORMAT_JSON) | (1u << TFIT_FORMAT_HTML),
				&fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "devices", "%s", err.message);
		goto out;
	}
	if (strcmp(sub, "show") == 0) {
		req.show_id = args.positional[1];
	} else {
		const char *sort = tfit_args_get(&args, "sort");
		req.filter.core = tfit_args_get(&args, "core");
		req.filter.vendor = tfit_args_get(&args, "vendor");
		if ((rc = parse_size_opt(ctx, &args, "min-sram", &req.filter.min_sram_bytes)) != TFIT_EXIT_OK ||
		    (rc = parse_size_opt(ctx, &args, "min-flash", &req.filter.min_flash_bytes)) != TFIT_EXIT_OK)
			goto out;
		if (sort && tfit_device_sort_parse(sort, &req.sort) != 0) {
			rc = tfit_cli_usage_error(ctx, "devices",
						  "--sort: unknown key '%s' (expected one of: id, name, "
						  "sram, flash, clock, price)", sort);
			goto out;
		}
	}
	if ((rc = tfit_cli_device_source(ctx, &args, dirs, &req.boards)) != 0)
		goto out;

	/* run */
	rc = TFIT_EXIT_ERROR;
	if (tfit_devices_run(&req, &res, &err) != TFIT_OK) {
		rc = tfit_cli_engine_fail(ctx, "devices", res.usage_error, &err);
		goto out;
	}

	/* render, write */
	tfit_cli_render_opts(ctx, &args, &ro);
	tfit_render_devices(&res.report, fmt, &ro, &out);
	if (tfit_cli_emit(ctx, &args, &out, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	rc = TFIT_EXIT_OK;
out:
	tfit_devices_result_release(&res);
	tfit_strbuf_release(&out);
	tfit_args_release(&args);
	return rc;
}

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
#include "tinyfit/device.h"
#include "tinyfit/device_report.h"
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

/* Terminal width from which the text list shows every column. */
#define FULL_LIST_WIDTH 200

static int load_db(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
		   struct tfit_device_db *db)
{
	const char *dirs[TFIT_CLI_MAX_DEVICE_DIRS];
	size_t n, i;
	struct tfit_error err;
	char builtin[sizeof(ctx->data_dir) + 16];
	int rc;

	tfit_error_clear(&err);
	if ((rc = tfit_cli_device_dirs(ctx, args, dirs, &n)) != 0)
		return rc;
	builtin[0] = '\0';
	if (ctx->data_dir[0])
		snprintf(builtin, sizeof(builtin), "%s/devices", ctx->data_dir);
	for (i = 0; i < n; i++) {
		/* The built-in database is reported as "<built-in>/<id>.json",
		 * so output does not depend on the install location. */
		const char *label = builtin[0] && strcmp(dirs[i], builtin) == 0 ? "<built-in>"
										  : dirs[i];
		if (tfit_device_db_load_dir_as(db, dirs[i], label, &err) != TFIT_OK)
			return tfit_cli_fail(ctx, &err);
	}
	if (!n)
		return tfit_cli_usage_error(ctx, "devices",
					    "no device directory (the built-in database was not "
					    "found; use --device-dir DIR or $TINYFIT_DEVICES)");
	return TFIT_EXIT_OK;
}

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

static int run_list(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
		    const struct tfit_device_db *db, enum tfit_format fmt,
		    struct tfit_strbuf *out)
{
	struct tfit_device_filter f;
	enum tfit_device_sort sort = TFIT_DEVICE_SORT_ID;
	const struct tfit_device **v = NULL;
	size_t n = 0;
	struct tfit_error err;
	const char *s;
	int rc;

	memset(&f, 0, sizeof(f));
	f.core = tfit_args_get(args, "core");
	f.vendor = tfit_args_get(args, "vendor");
	if ((rc = parse_size_opt(ctx, args, "min-sram", &f.min_sram_bytes)) != TFIT_EXIT_OK ||
	    (rc = parse_size_opt(ctx, args, "min-flash", &f.min_flash_bytes)) != TFIT_EXIT_OK)
		return rc;
	s = tfit_args_get(args, "sort");
	if (s && tfit_device_sort_parse(s, &sort) != 0)
		return tfit_cli_usage_error(ctx, "devices",
					    "--sort: unknown key '%s' (expected one of: id, name, "
					    "sram, flash, clock, price)", s);
	tfit_error_clear(&err);
	if (tfit_device_db_select(db, &f, sort, &v, &n, &err) != TFIT_OK)
		return tfit_cli_usage_error(ctx, "devices", "--core: %s", err.message);
	if (fmt == TFIT_FMT_JSON) {
		tfit_device_render_list_json((const struct tfit_device *const *)v, n, out);
	} else {
		struct tfit_table t;
		struct tfit_render_opts ro;
		tfit_cli_render_opts(ctx, args, &ro);
		/* The full table needs about 200 columns; a narrower terminal
		 * gets the compact one rather than clipped ids. */
		tfit_device_list_table((const struct tfit_device *const *)v, n,
				       fmt == TFIT_FMT_TEXT && ro.width > 0 &&
				       ro.width < FULL_LIST_WIDTH, &t);
		tfit_render_table(&t, fmt, &ro, out);
		if (t.oom)
			out->oom = 1;
		tfit_table_release(&t);
	}
	free(v);
	return TFIT_EXIT_OK;
}

static int run_show(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
		    const struct tfit_device_db *db, const char *id, enum tfit_format fmt,
		    struct tfit_strbuf *out)
{
	const struct tfit_device *d = NULL;
	struct tfit_error err;
	tfit_error_clear(&err);
	if (tfit_device_db_find_or_error(db, id, &d, &err) != TFIT_OK)
		return tfit_cli_usage_error(ctx, "devices", "%s", err.message);
	if (fmt == TFIT_FMT_JSON) {
		tfit_device_render_show_json(d, out);
	} else {
		struct tfit_table t;
		struct tfit_render_opts ro;
		tfit_device_show_table(d, &t);
		tfit_cli_render_opts(ctx, args, &ro);
		tfit_render_table(&t, fmt, &ro, out);
		if (t.oom)
			out->oom = 1;
		tfit_table_release(&t);
	}
	return TFIT_EXIT_OK;
}

int cmd_devices(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_device_db db;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	enum tfit_format fmt;
	const char *sub;
	int rc = TFIT_EXIT_ERROR;

	tfit_device_db_init(&db);
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
	if (tfit_cli_get_format(&args, (1u << TFIT_FMT_TEXT) | (1u << TFIT_FMT_MARKDOWN) |
				(1u << TFIT_FMT_CSV) | (1u << TFIT_FMT_JSON) | (1u << TFIT_FMT_HTML),
				&fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "devices", "%s", err.message);
		goto out;
	}
	if ((rc = load_db(ctx, &args, &db)) != TFIT_EXIT_OK)
		goto out;
	if (strcmp(sub, "show") == 0)
		rc = run_show(ctx, &args, &db, args.positional[1], fmt, &out);
	else
		rc = run_list(ctx, &args, &db, fmt, &out);
	if (rc != TFIT_EXIT_OK)
		goto out;
	if (tfit_cli_emit(ctx, &args, &out, &err) != TFIT_OK)
		rc = tfit_cli_fail(ctx, &err);
out:
	tfit_strbuf_release(&out);
	tfit_device_db_release(&db);
	tfit_args_release(&args);
	return rc;
}

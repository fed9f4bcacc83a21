/*
 * cli.h - the command-line front end's shared pieces: the command table, the
 * option parser, and output/exit helpers. Only src/cli/ prints, exits or
 * reads the environment (ARCHITECTURE.md); everything else goes through the
 * library's public headers.
 *
 * Exit codes: TFIT_EXIT_OK 0 (success / fits), TFIT_EXIT_NOFIT 1 (does not
 * fit, does not run, or a threshold failed), TFIT_EXIT_ERROR 2 (bad input or
 * usage), TFIT_EXIT_UNKNOWN 3 (a verdict is unknown and none failed).
 */
#ifndef TINYFIT_CLI_H
#define TINYFIT_CLI_H

#include <stdio.h>

#include "tinyfit/error.h"
#include "tinyfit/strbuf.h"
#include "tinyfit/table.h"

#define TFIT_EXIT_OK 0
#define TFIT_EXIT_NOFIT 1
#define TFIT_EXIT_ERROR 2
#define TFIT_EXIT_UNKNOWN 3   /* a fact the verdict needs is missing (docs/budgets.md) */

struct tfit_cli_ctx {
	const char *prog;         /* "tinyfit" */
	char data_dir[4096];      /* share/tinyfit beside the executable ("" if unknown) */
	FILE *out;                /* stdout */
	FILE *err;                /* stderr */
	int stdout_is_tty;
	int color;                /* TTY, NO_COLOR unset, TERM not dumb */
	int ascii;                /* TTY with a non-UTF-8 locale or TERM=dumb */
	int quiet;                /* --quiet/-q: no report on stdout, no warnings */
	struct tfit_error last_error; /* the last error tfit_cli_fail printed */
	int term_width;           /* stdout's width: the TTY's, else COLUMNS, else 80
				     on a TTY; a pipe or file: COLUMNS, else 0 (no limit) */
	const char *inputs[256];  /* model files read (-o may not be one of them) */
	size_t n_inputs;
	/* the runtime profiles of data_dir, each loaded once per process
	 * (tfit_cli_data_source; freed by main after the command) */
	struct tfit_runtime_set *runtimes;
};

struct tfit_cli_command {
	const char *name;
	const char *summary;      /* one line for `tinyfit help` */
	int (*run)(struct tfit_cli_ctx *ctx, int argc, char **argv); /* argv[0] = command name */
};

/* The command table (commands.c); terminated by a row with name NULL. */
extern const struct tfit_cli_command tfit_cli_commands[];

/* ---- option parser (options.c) ---- */

struct tfit_optdef {
	const char *name;        /* long name without dashes: "format" */
	char short_name;         /* 'o', or 0 */
	int takes_value;         /* 1: --name VALUE or --name=VALUE */
	const char *metavar;     /* "FORMAT" (help text) */
	const char *help;        /* one line */
};

/* Terminate a tfit_optdef array with TFIT_OPT_END. */
#define TFIT_OPT_END { NULL, 0, 0, NULL, NULL }

struct tfit_args {
	const struct tfit_optdef *defs;
	size_t n_defs;
	size_t *counts;          /* times each option was given */
	const char ***values;    /* values[i][0..counts[i]) (value options) */
	char **positional;       /* non-option arguments in order */
	size_t n_positional;
};

/*
 * Parse argv[1..argc) against defs. "--" ends options; "-" is positional.
 * Unknown options, a missing value, or a value given to a flag are usage
 * errors (err: "unknown option '--fromat' (did you mean --format?)").
 * The caller releases args with tfit_args_release even on error.
 */
enum tfit_status tfit_args_parse(struct tfit_args *args, const struct tfit_optdef *defs,
				 int argc, char **argv, struct tfit_error *err);
void tfit_args_release(struct tfit_args *args);
/* Number of times the option was given. */
size_t tfit_args_count(const struct tfit_args *args, const char *name);
/* The last value given, or NULL. */
const char *tfit_args_get(const struct tfit_args *args, const char *name);
/* All values given (in order); returns the count. */
size_t tfit_args_all(const struct tfit_args *args, const char *name, const char *const **out);

/* Print "usage: ...", a description, and the option list. */
void tfit_cli_print_help(FILE *f, const char *usage, const char *description,
			 const struct tfit_optdef *defs);

/* ---- common options and output (output.c) ---- */

/* The options every report command shares (append to a command's own). */
#define TFIT_CLI_COMMON_OPTS \
	{ "format", 'f', 1, "FORMAT", "output format: text, markdown, csv, json, html" }, \
	{ "output", 'o', 1, "FILE", "write the report to FILE instead of stdout (format from .json/.md/.csv/.html)" }, \
	{ "ascii", 0, 0, NULL, "text: ASCII rules instead of box drawing" }, \
	{ "crlf", 0, 0, NULL, "csv: CRLF line ends (RFC 4180) instead of LF" }, \
	{ "color", 0, 1, "WHEN", "colour: auto (a terminal, no NO_COLOR, TERM not dumb), always or never" }, \
	{ "width", 0, 1, "N", "text: fit N columns (0 = no limit; default: the terminal's width)" }, \
	{ "quiet", 'q', 0, NULL, "no report on stdout (-o still writes it), no warnings: the exit code says it" }, \
	{ "help", 'h', 0, NULL, "show this help" }

/*
 * Read --format (default text) and check it is one of allowed (a bitmask of
 * 1u << TFIT_FORMAT_*). A usage error names the formats allowed.
 */
enum tfit_status tfit_cli_get_format(const struct tfit_args *args, unsigned allowed,
				     enum tfit_format *fmt, struct tfit_error *err);

/* Render options from ctx, --ascii, --color (auto: colour only when
 * writing to a TTY) and --width (else the terminal's width for stdout,
 * no limit for -o FILE). */
void tfit_cli_render_opts(const struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			  struct tfit_render_opts *o);

/*
 * Write the finished report (a text report first wrapped to the width of
 * tfit_cli_render_opts, tfit_text_wrap): to -o FILE (tfit_file_write_report: atomic
 * replace of a regular file, through a symlink, directly into a device or
 * FIFO), or to stdout. An -o FILE that is one of ctx->inputs (same device
 * and inode) is refused (TFIT_ERR_USAGE) before anything is written.
 * Returns TFIT_OK or fills err.
 */
enum tfit_status tfit_cli_emit(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			       const struct tfit_strbuf *report, struct tfit_error *err);

/* Print err to stderr in compiler style and return TFIT_EXIT_ERROR. */
int tfit_cli_fail(struct tfit_cli_ctx *ctx, const struct tfit_error *err);

/* Print "tinyfit CMD: error: msg" plus "try 'tinyfit CMD --help'"; returns 2. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
int tfit_cli_usage_error(struct tfit_cli_ctx *ctx, const char *cmd, const char *fmt, ...);

/* Print each model/database warning as "file: warning: msg" on stderr. */
void tfit_cli_print_warnings(struct tfit_cli_ctx *ctx, const char *file,
			     char *const *warnings, size_t n);

/* The most device directories a command loads, and the longest
 * $TINYFIT_DEVICES (docs/limits.md). */
#define TFIT_CLI_MAX_DEVICE_DIRS 64
#define TFIT_CLI_MAX_DEVICES_ENV 8191
/* The most board ids --device/--devices take in one command (docs/limits.md). */
#define TFIT_CLI_MAX_DEVICE_IDS 64

/*
 * Device directories in lookup order: the built-in database
 * (<data_dir>/devices), then each directory in $TINYFIT_DEVICES
 * (colon-separated), then each --device-dir DIR, into dirs (room for
 * TFIT_CLI_MAX_DEVICE_DIRS) and *n; strings point into ctx/args/the
 * environment. More directories than that, or a $TINYFIT_DEVICES longer
 * than TFIT_CLI_MAX_DEVICES_ENV bytes, is a limit error (printed; returns
 * exit code 2), never a silent truncation. Returns 0 otherwise.
 */
int tfit_cli_device_dirs(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			 const char **dirs, size_t *n);

#endif

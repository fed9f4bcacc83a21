/* output.c - formats, render options, writing reports, printing errors. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tinyfit/fileio.h"
#include "tinyfit/units.h"
#include "util/text_filter.h"

/* The width a text report is fitted to: --width N (0 = no limit), else the
 * terminal's (main.c) when it goes to standard output, else no limit: a
 * file is the same bytes whoever writes it. */
static int report_width(const struct tfit_cli_ctx *ctx, const struct tfit_args *args)
{
	const char *w = tfit_args_get(args, "width"), *path = tfit_args_get(args, "output");
	uint64_t cols;
	if (w && tfit_units_parse_uint(w, 0, 10000, &cols) == 0)
		return (int)cols;
	return !path || strcmp(path, "-") == 0 ? ctx->term_width : 0;
}

/* The format an -o FILE's extension names (report.json, .md, .csv, .html,
 * .txt, .svg), or NULL: --format wins over it. */
static const char *format_from_output(const char *path)
{
	static const struct { const char *ext, *format; } exts[] = {
		{ ".json", "json" }, { ".md", "markdown" }, { ".markdown", "markdown" },
		{ ".csv", "csv" }, { ".html", "html" }, { ".htm", "html" }, { ".txt", "text" },
		{ ".svg", "svg" },
	};
	size_t i, n = path ? strlen(path) : 0;
	for (i = 0; path && i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t k = strlen(exts[i].ext);
		if (n > k && strcmp(path + n - k, exts[i].ext) == 0)
			return exts[i].format;
	}
	return NULL;
}

enum tfit_status tfit_cli_get_format(const struct tfit_args *args, unsigned allowed,
				     enum tfit_format *fmt, struct tfit_error *err)
{
	const char *v = tfit_args_get(args, "format");
	const char *when = tfit_args_get(args, "color");
	const char *width = tfit_args_get(args, "width");
	enum tfit_format f = TFIT_FORMAT_TEXT;
	uint64_t cols;
	if (when && strcmp(when, "auto") != 0 && strcmp(when, "always") != 0 &&
	    strcmp(when, "never") != 0)
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "--color: expected auto, always or never, got '%s'", when);
	if (width && tfit_units_parse_uint(width, 0, 10000, &cols) != 0)
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "--width: expected a number of columns from 0 (no limit) to "
				      "10000, got '%s'", width);
	if (!v)
		v = format_from_output(tfit_args_get(args, "output"));
	if (v && tfit_format_parse(v, &f) != 0)
		f = TFIT_FORMAT_COUNT;
	if (f == TFIT_FORMAT_COUNT || !(allowed & (1u << f))) {
		char list[128] = "";
		int i;
		for (i = 0; i < TFIT_FORMAT_COUNT; i++) {
			if (!(allowed & (1u << i)))
				continue;
			if (list[0])
				strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			strncat(list, tfit_format_name((enum tfit_format)i),
				sizeof(list) - strlen(list) - 1);
		}
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "unsupported format '%s' (expected one of: %s)", v, list);
	}
	*fmt = f;
	return TFIT_OK;
}

void tfit_cli_render_opts(const struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			  struct tfit_render_opts *o)
{
	const char *when = tfit_args_get(args, "color");
	tfit_render_opts_init(o);
	o->ascii = tfit_args_count(args, "ascii") > 0;
	o->crlf = tfit_args_count(args, "crlf") > 0;
	/* Colour and the terminal's character set only when the report goes
	 * to a terminal; the width also with --width. */
	o->width = report_width(ctx, args);
	if (!tfit_args_get(args, "output")) {
		o->color = ctx->color;
		o->ascii |= ctx->ascii;
	}
	if (when && strcmp(when, "always") == 0)
		o->color = 1;
	else if (when && strcmp(when, "never") == 0)
		o->color = 0;
}

static enum tfit_status emit_raw(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
				 const struct tfit_strbuf *report, struct tfit_error *err);

enum tfit_status tfit_cli_emit(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			       const struct tfit_strbuf *report, struct tfit_error *err)
{
	struct tfit_error ferr;
	enum tfit_format fmt;
	if (report->oom)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL,
				      "out of memory building the report");
	/* a text report: prose wrapped to the width the tables were fitted to */
	if (report_width(ctx, args) > 0 &&
	    tfit_cli_get_format(args, ~0u, &fmt, &ferr) == TFIT_OK && fmt == TFIT_FORMAT_TEXT) {
		struct tfit_strbuf wrapped;
		enum tfit_status st;
		tfit_strbuf_init(&wrapped);
		tfit_text_wrap(tfit_strbuf_str(report), report->len, report_width(ctx, args), &wrapped);
		st = wrapped.oom ? tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL,
						  "out of memory building the report")
				 : emit_raw(ctx, args, &wrapped, err);
		tfit_strbuf_release(&wrapped);
		return st;
	}
	return emit_raw(ctx, args, report, err);
}

static enum tfit_status emit_raw(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
				 const struct tfit_strbuf *report, struct tfit_error *err)
{
	const char *path = tfit_args_get(args, "output");
	if (tfit_args_count(args, "quiet") && (!path || strcmp(path, "-") == 0))
		return TFIT_OK; /* --quiet: the exit code is the answer */
	if (path && strcmp(path, "-") != 0) {
		size_t i;
		for (i = 0; i < ctx->n_inputs; i++)
			if (tfit_file_same(path, ctx->inputs[i]))
				return tfit_error_set(err, TFIT_ERR_USAGE, path, NULL,
						      "-o names the input model %s (refusing to overwrite it)",
						      ctx->inputs[i]);
		return tfit_file_write_report(path, tfit_strbuf_str(report), report->len, err);
	}
	if (report->len && fwrite(report->buf, 1, report->len, ctx->out) != report->len)
		return tfit_error_set(err, TFIT_ERR_IO, "<stdout>", NULL, "write failed");
	if (fflush(ctx->out) != 0)
		return tfit_error_set(err, TFIT_ERR_IO, "<stdout>", NULL, "write failed");
	return TFIT_OK;
}

/*
 * An error line as stderr shows it: file names come from the command line
 * or a directory listing and may hold any byte, so control characters and
 * bytes that are not UTF-8 become '?' (util/text_filter.h; strings read
 * from files were filtered when read), line by line: the newlines a
 * message of several errors holds (a board profile's) are kept.
 */
static void filter_lines(char *s)
{
	char *w = s;
	const char *r = s, *nl;
	for (;;) {
		size_t n;
		nl = strchr(r, '\n');
		n = nl ? (size_t)(nl - r) : strlen(r);
		tfit_text_filter_bytes(r, n, w); /* w <= r: the copy only shrinks */
		w += strlen(w);
		if (!nl)
			break;
		*w++ = '\n';
		r = nl + 1;
	}
	*w = '\0';
}

int tfit_cli_fail(struct tfit_cli_ctx *ctx, const struct tfit_error *err)
{
	char buf[TFIT_ERROR_FILE_MAX + TFIT_ERROR_PATH_MAX + TFIT_ERROR_MSG_MAX + 64];
	struct tfit_error e = *err;
	/* An error raised after the one model file was read (planning, a
	 * runtime rule, fitting) names no file: it is about that model, so it
	 * starts with the model's name like every other error on user input.
	 * Usage errors (an unknown board id, a bad --arena-in) are about the
	 * command line and keep no file. */
	if (!e.file[0] && e.code != TFIT_ERR_USAGE && ctx->n_inputs == 1)
		snprintf(e.file, sizeof(e.file), "%s", ctx->inputs[0]);
	tfit_error_format(&e, buf, sizeof(buf));
	filter_lines(buf);
	fprintf(ctx->err, "%s\n", buf);
	ctx->last_error = e;
	return TFIT_EXIT_ERROR;
}

/* A usage error quotes the user's own arguments (a --device id, an
 * option's value), which a script may fill from anywhere: they go through
 * the same filter as every other error line (filter_lines). */
int tfit_cli_usage_error(struct tfit_cli_ctx *ctx, const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char small[1024], *msg = small;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		small[0] = '\0';
	} else if ((size_t)n >= sizeof(small)) {
		char *big = malloc((size_t)n + 1);
		if (big) { /* else: the message cut at sizeof(small) - 1 bytes */
			va_start(ap, fmt);
			vsnprintf(big, (size_t)n + 1, fmt, ap);
			va_end(ap);
			msg = big;
		}
	}
	filter_lines(msg);
	fprintf(ctx->err, "%s %s: error: %s\ntry '%s %s --help'\n", ctx->prog, cmd, msg, ctx->prog,
		cmd);
	if (msg != small)
		free(msg);
	return TFIT_EXIT_ERROR;
}

void tfit_cli_print_warnings(struct tfit_cli_ctx *ctx, const char *file,
			     char *const *warnings, size_t n)
{
	size_t i;
	char shown[TFIT_ERROR_FILE_MAX];
	snprintf(shown, sizeof(shown), "%s", file ? file : ctx->prog);
	tfit_text_filter_bytes(shown, strlen(shown), shown);
	for (i = 0; i < n && !ctx->quiet; i++)
		fprintf(ctx->err, "%s: warning: %s\n", shown, warnings[i]);
}

int tfit_cli_device_dirs(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			 const char **dirs, size_t *n_out)
{
	/* Static storage for the split $TINYFIT_DEVICES (the CLI runs one
	 * command per process). */
	static char env_copy[TFIT_CLI_MAX_DEVICES_ENV + 1];
	static char builtin[sizeof(ctx->data_dir) + 16];
	const size_t max = TFIT_CLI_MAX_DEVICE_DIRS;
	const char *const *extra = NULL;
	size_t n = 0, k, i, len;
	const char *env = getenv("TINYFIT_DEVICES");
	struct tfit_error err;

	*n_out = 0;
	tfit_error_clear(&err);
	if (ctx->data_dir[0]) {
		snprintf(builtin, sizeof(builtin), "%s/devices", ctx->data_dir);
		dirs[n++] = builtin;
	}
	if (env && *env) {
		char *p, *save = NULL;
		len = strlen(env);
		if (len > TFIT_CLI_MAX_DEVICES_ENV)
			return tfit_cli_fail(ctx, (tfit_error_set(&err, TFIT_ERR_LIMIT, "$TINYFIT_DEVICES",
								  NULL, "%zu bytes, over the limit of %d "
								  "(docs/limits.md)", len,
								  TFIT_CLI_MAX_DEVICES_ENV), &err));
		memcpy(env_copy, env, len + 1);
		for (p = strtok_r(env_copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
			if (!*p)
				continue;
			if (n == max)
				return tfit_cli_fail(ctx, (tfit_error_set(&err, TFIT_ERR_LIMIT,
					"$TINYFIT_DEVICES", NULL, "too many device directories: at most "
					"%zu with the built-in one (docs/limits.md)", max), &err));
			dirs[n++] = p;
		}
	}
	/* --device-dir DIR, in command-line order (--device/--devices are ids) */
	k = tfit_args_all(args, "device-dir", &extra);
	if (k > max - n)
		return tfit_cli_fail(ctx, (tfit_error_set(&err, TFIT_ERR_LIMIT, ctx->prog, NULL,
				"--device-dir: %zu device directories with the built-in one and "
				"$TINYFIT_DEVICES, over the limit of %zu (docs/limits.md)", n + k,
				max), &err));
	for (i = 0; i < k; i++)
		dirs[n++] = extra[i];
	*n_out = n;
	return 0;
}

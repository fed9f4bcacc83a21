/*
 * main.c - tinyfit's entry point: set up the context, find the command in the
 * table and run it. Exit codes: 0 success/fits, 1 does not fit, 2 bad input
 * or usage (cli.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"
#include "commands.h"
#include "util/text_filter.h"
#include "util/strmap.h"
#include "tinyfit/fileio.h"
#include "tinyfit/runtime.h"

/* share/tinyfit beside bin/ of the running executable (build tree or install). */
static void find_data_dir(struct tfit_cli_ctx *ctx, const char *argv0)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	if (n > 0) {
		exe[n] = '\0';
	} else if (argv0 && strchr(argv0, '/') && strlen(argv0) < sizeof(exe)) {
		strcpy(exe, argv0);
	} else {
		ctx->data_dir[0] = '\0';
		return;
	}
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(ctx->data_dir, sizeof(ctx->data_dir), "%.4000s/../share/tinyfit", exe);
}

static int term_is_dumb(void)
{
	const char *t = getenv("TERM");
	return t && strcmp(t, "dumb") == 0;
}

/* The character set of the locale, from the environment as setlocale(3)
 * reads it: LC_ALL, else LC_CTYPE, else LANG (unset: "C", not UTF-8). */
static int locale_is_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	size_t i;
	for (i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") ||
			       strstr(v, "utf8");
	}
	return 0;
}

/* The command nearest to a mistyped one, or NULL (edit distance <= 2). */
static const char *nearest_command(const char *name)
{
	const struct tfit_cli_command *c, *best = NULL;
	size_t d, best_d = 3;
	for (c = tfit_cli_commands; c->name; c++) {
		d = tfit_edit_distance(name, c->name);
		if (d < best_d) {
			best_d = d;
			best = c;
		}
	}
	return best ? best->name : NULL;
}

static void init_ctx(struct tfit_cli_ctx *ctx, const char *argv0)
{
	const char *cols = getenv("COLUMNS");
	memset(ctx, 0, sizeof(*ctx));
	ctx->prog = "tinyfit";
	ctx->out = stdout;
	ctx->err = stderr;
	ctx->stdout_is_tty = isatty(STDOUT_FILENO);
	/* as git and ripgrep: colour on a terminal unless NO_COLOR (no-color.org:
	 * set to a non-empty value) or TERM=dumb; --color overrides (output.c) */
	ctx->color = ctx->stdout_is_tty && !(getenv("NO_COLOR") && *getenv("NO_COLOR")) &&
		     !term_is_dumb();
	/* box drawing needs a UTF-8 terminal: a terminal whose locale is not
	 * UTF-8, or TERM=dumb, gets ASCII rules (files and pipes stay UTF-8,
	 * so reports are the same whoever redirects them) */
	ctx->ascii = ctx->stdout_is_tty && (!locale_is_utf8() || term_is_dumb());
	/* The width text reports fit (docs/output.md): a terminal's own width
	 * (TIOCGWINSZ), else COLUMNS, else 80; a pipe or a file: COLUMNS when
	 * set (an explicit request, as git's term_columns), else no limit, so
	 * what scripts and goldens read does not depend on who runs them.
	 * --width N overrides both (output.c). */
	if (ctx->stdout_is_tty) {
		struct winsize ws;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
			ctx->term_width = ws.ws_col;
	}
	if (!ctx->term_width && cols && atoi(cols) > 0)
		ctx->term_width = atoi(cols);
	if (!ctx->term_width && ctx->stdout_is_tty)
		ctx->term_width = 80;
	find_data_dir(ctx, argv0);
}

int main(int argc, char **argv)
{
	struct tfit_cli_ctx ctx;
	const struct tfit_cli_command *c;
	const char *name;
	int i;

#ifdef __GLIBC__
	/*
	 * Keep glibc's mmap threshold at its initial 128 KiB. By default every
	 * free() of a mapped block raises it to that block's size (up to 32
	 * MiB): once the model's text (several MiB) is freed after reading,
	 * the IR's growing tensor and op arrays and the planner's blocks come
	 * from the brk heap instead, where each doubling copies and leaves the
	 * old array behind as a hole: 9 MiB more peak RSS on a 50,000-layer
	 * Keras model (docs/limits.md, issue #17). Mapped, a large block is
	 * grown in place by mremap and returned to the system when freed.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	init_ctx(&ctx, argc > 0 ? argv[0] : NULL);
	tfit_file_cleanup_on_signals(); /* no temporary report left behind */
	if (argc < 2) {
		/* no command: usage on stderr, exit 2 (a usage error, as git does) */
		ctx.out = stderr;
		tfit_cmd_help(&ctx, 1, argv);
		return TFIT_EXIT_ERROR;
	}
	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0)
			ctx.quiet = 1;
	name = argv[1];
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
		name = "version";
	else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		name = "help";
	for (c = tfit_cli_commands; c->name; c++) {
		if (strcmp(c->name, name) == 0) {
			int rc = c->run(&ctx, argc - 1, argv + 1);
			tfit_runtime_set_free(ctx.runtimes);
			return rc;
		}
	}
	{
		/* the name as typed, through the filter of every error line */
		char *shown = tfit_text_filter_dup(name);
		const char *near = nearest_command(name);
		if (near)
			fprintf(stderr, "tinyfit: error: unknown command '%s' (did you mean '%s'?)\n"
				"try 'tinyfit help'\n", shown ? shown : "?", near);
		else
			fprintf(stderr, "tinyfit: error: unknown command '%s'\ntry 'tinyfit help'\n",
				shown ? shown : "?");
		free(shown);
	}
	return TFIT_EXIT_ERROR;
}

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

#include "cli.h"
#include "commands.h"
#include "tinyfit/fileio.h"

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

static void init_ctx(struct tfit_cli_ctx *ctx, const char *argv0)
{
	const char *cols = getenv("COLUMNS");
	memset(ctx, 0, sizeof(*ctx));
	ctx->prog = "tinyfit";
	ctx->out = stdout;
	ctx->err = stderr;
	ctx->stdout_is_tty = isatty(STDOUT_FILENO);
	/* no-color.org: NO_COLOR set to a non-empty value turns colour off */
	ctx->color = ctx->stdout_is_tty && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	if (cols && atoi(cols) > 0) {
		ctx->term_width = atoi(cols);
	} else if (ctx->stdout_is_tty) {
		struct winsize ws;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
			ctx->term_width = ws.ws_col;
	}
	find_data_dir(ctx, argv0);
}

int main(int argc, char **argv)
{
	struct tfit_cli_ctx ctx;
	const struct tfit_cli_command *c;
	const char *name;

	init_ctx(&ctx, argc > 0 ? argv[0] : NULL);
	tfit_file_cleanup_on_signals(); /* no temporary report left behind */
	if (argc < 2)
		return cmd_help(&ctx, 1, argv);
	name = argv[1];
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
		name = "version";
	else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		name = "help";
	for (c = tfit_cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->run(&ctx, argc - 1, argv + 1);
	fprintf(stderr, "tinyfit: error: unknown command '%s'\ntry 'tinyfit help'\n", name);
	return TFIT_EXIT_ERROR;
}

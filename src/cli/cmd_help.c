/* cmd_help.c - `tinyfit help [COMMAND]` and `tinyfit --version`. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int tfit_cmd_help(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	const struct tfit_cli_command *c;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fprintf(ctx->out, "usage: tinyfit help [COMMAND]\n\n"
			"Without COMMAND: the commands and exit codes. With COMMAND: the same as\n"
			"'tinyfit COMMAND --help', that command's options.\n");
		return TFIT_EXIT_OK;
	}
	if (argc >= 2) {
		for (c = tfit_cli_commands; c->name; c++) {
			if (strcmp(c->name, argv[1]) == 0 && strcmp(c->name, "help") != 0) {
				char *sub[] = { argv[1], (char *)"--help", NULL };
				return c->run(ctx, 2, sub);
			}
		}
		fprintf(ctx->err, "tinyfit help: error: unknown command '%s'\n", argv[1]);
		return TFIT_EXIT_ERROR;
	}
	fprintf(ctx->out,
		"tinyfit %s - will this neural network run on this board, and how fast?\n"
		"\nusage: tinyfit <command> [options]\n\ncommands:\n",
		TFIT_VERSION);
	for (c = tfit_cli_commands; c->name; c++)
		fprintf(ctx->out, "  %-10s %s\n", c->name, c->summary);
	fprintf(ctx->out,
		"\n'tinyfit <command> --help' shows a command's options.\n"
		"exit codes: 0 success (the model fits), 1 it does not fit, does not run or\n"
		"a threshold failed, 2 bad input or usage, 3 unknown (a board lacks a sourced\n"
		"fact the verdict needs).\n"
		"sizes print in KiB/MiB (1 KiB = 1024 bytes).\n");
	return TFIT_EXIT_OK;
}

int tfit_cmd_version(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(ctx->out, "tinyfit %s\n", TFIT_VERSION);
	return TFIT_EXIT_OK;
}

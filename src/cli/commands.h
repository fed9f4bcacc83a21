/* commands.h - one prototype per command (one cmd_*.c each). */
#ifndef TINYFIT_COMMANDS_H
#define TINYFIT_COMMANDS_H

#include "cli.h"

int tfit_cmd_help(struct tfit_cli_ctx *ctx, int argc, char **argv);
int tfit_cmd_version(struct tfit_cli_ctx *ctx, int argc, char **argv);
int tfit_cmd_compare(struct tfit_cli_ctx *ctx, int argc, char **argv);
int tfit_cmd_check(struct tfit_cli_ctx *ctx, int argc, char **argv);
int tfit_cmd_layers(struct tfit_cli_ctx *ctx, int argc, char **argv);
int tfit_cmd_quant(struct tfit_cli_ctx *ctx, int argc, char **argv);
int tfit_cmd_optimize(struct tfit_cli_ctx *ctx, int argc, char **argv);
int tfit_cmd_devices(struct tfit_cli_ctx *ctx, int argc, char **argv);

#endif

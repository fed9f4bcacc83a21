#include "commands.h"
int cmd_layers(struct tfit_cli_ctx *ctx, int argc, char **argv) { (void)ctx; (void)argc; (void)argv; return 2; }

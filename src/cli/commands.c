/* commands.c - the command table: one row per command (git's commands[]). */
#include "commands.h"

#include <stddef.h>

const struct tfit_cli_command tfit_cli_commands[] = {
	{ "check", "does a model fit a board: flash, SRAM, the TFLM arena, advice", cmd_check },
	{ "compare", "one model, many boards: a comparison table in any format", cmd_compare },
	{ "layers", "per-layer shapes, params, MACs and bytes of a model", cmd_layers },
	{ "quant", "quantization: the course formulas, TFLite's schemes, a model's tensors", cmd_quant },
	{ "optimize", "a .tflite that needs a smaller TFLM arena: optimal memory plan written into it", cmd_optimize },
	{ "devices", "list and show device profiles", cmd_devices },
	{ "help", "show help for tinyfit or a command", cmd_help },
	{ "version", "print the version", cmd_version },
	{ NULL, NULL, NULL }
};

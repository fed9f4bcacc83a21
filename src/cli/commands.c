/* commands.c - the command table: one row per command (git's commands[]). */
#include "commands.h"

#include <stddef.h>

const struct tfit_cli_command tfit_cli_commands[] = {
	{ "check", "does a model fit a board: flash, SRAM, the TFLM arena, advice", tfit_cmd_check },
	{ "compare", "one model, many boards: a comparison table in any format", tfit_cmd_compare },
	{ "layers", "per-layer shapes, params, MACs and bytes of a model", tfit_cmd_layers },
	{ "quant", "quantization: the course formulas, TFLite's schemes, a model's tensors", tfit_cmd_quant },
	{ "optimize", "a .tflite that needs a smaller TFLM arena: optimal memory plan written into it", tfit_cmd_optimize },
	{ "devices", "list and show device profiles", tfit_cmd_devices },
	{ "help", "show help for tinyfit or a command", tfit_cmd_help },
	{ "version", "print the version", tfit_cmd_version },
	{ NULL, NULL, NULL }
};

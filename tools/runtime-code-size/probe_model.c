/* probe_model.c - storage the probe reads through pointers the compiler
 * cannot see into (the flash sizes measured do not depend on it). */
#include <stddef.h>

const unsigned char tfit_probe_model[64] __attribute__((aligned(16))) = { 0 };
unsigned char tfit_probe_arena[1024] __attribute__((aligned(16)));
const size_t tfit_probe_arena_size = sizeof(tfit_probe_arena);

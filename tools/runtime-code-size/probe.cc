// probe.cc - the smallest complete TFLM application: load a model, allocate
// the arena, invoke. Linked once with no kernel registered (the runtime's
// base) and with kernels registered (PROBE_OPS='X(AddConv2D) X(AddSoftmax)'),
// with --gc-sections, so that the difference in flash is the code they bring in.
// tinyfit's own file, built against a TFLM tree by measure.sh.
#include <cstddef>
#include <cstdint>

#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"

// Defined in probe_model.c: opaque to the compiler, so nothing that depends
// on the model's contents can be dropped.
extern "C" const unsigned char tfit_probe_model[];
extern "C" unsigned char tfit_probe_arena[];
extern "C" const size_t tfit_probe_arena_size;

// PROBE_OPS: a list of X(AddConv2D) X(AddSoftmax) ...; PROBE_N: how many.
#ifndef PROBE_N
#define PROBE_N 1
#endif

int main() {
  static tflite::MicroMutableOpResolver<PROBE_N> resolver;
#ifdef PROBE_OPS
#define X(add) \
  if (resolver.add() != kTfLiteOk) return 3;
  PROBE_OPS
#undef X
#endif
  tflite::MicroInterpreter interpreter(tflite::GetModel(tfit_probe_model), resolver,
                                       tfit_probe_arena, tfit_probe_arena_size);
  if (interpreter.AllocateTensors() != kTfLiteOk) return 1;
  return interpreter.Invoke() == kTfLiteOk ? 0 : 2;
}

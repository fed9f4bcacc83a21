/*
 * fuzz_tflite.c - libFuzzer harness for the .tflite reader
 * (tfit_tflite_read_buffer). Every input goes through `tinyfit optimize`
 * (its own reader, writer and read-back); whatever reads goes through the
 * whole pipeline (fuzz_pipeline.c: plan, fit, cost, advice, every renderer). Seeds:
 * corpus/tflite/ (tests/data/tflite/ and small generated models); build and
 * run with tests/fuzz/run.sh (cmake -DTFIT_FUZZ=ON with clang).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_pipeline.h"
#include "tinyfit/model_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tfit_model *m = NULL;
	struct tfit_error err;
	/* `tinyfit optimize` reads (and rewrites) the file itself: every input */
	fuzz_optimize_pipeline(data, size);
	if (tfit_tflite_read_buffer(data, size, "fuzz.tflite", &m, &err) != TFIT_OK)
		return 0;
	fuzz_model_pipeline(m);
	tfit_model_free(m);
	return 0;
}

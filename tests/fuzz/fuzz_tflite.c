/*
 * fuzz_tflite.c - libFuzzer harness for the .tflite reader
 * (tfit_tflite_read_buffer). Seeds: tests/data/tflite/*.tflite and
 * ../shared/models/. Build by hand with clang:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *     tests/fuzz/fuzz_tflite.c src/model/*.c src/util/*.c -lcjson -lm
 */
#include <stddef.h>
#include <stdint.h>

#include "tinyfit/model_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tfit_model *m = NULL;
	struct tfit_error err;
	if (tfit_tflite_read_buffer(data, size, "fuzz.tflite", &m, &err) == TFIT_OK)
		tfit_model_free(m);
	return 0;
}

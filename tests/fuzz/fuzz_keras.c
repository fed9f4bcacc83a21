/*
 * fuzz_keras.c - libFuzzer harness for the Keras / TF.js model reader
 * alone (src/model/keras_*.c): the model_json harness shares its time
 * with tinyfit's native format, this one spends all of it on Keras
 * scopes, nested and shared models, inbound nodes and name resolution.
 * Native-format inputs are skipped; what loads goes through the whole
 * pipeline (fuzz_pipeline.c).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_pipeline.h"
#include "tinyfit/model_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char native[] = "tinyfit-model";
	struct tfit_model *m = NULL;
	struct tfit_load_opts o;
	struct tfit_error err;
	/* `tinyfit optimize` takes any file and refuses what is not a .tflite */
	fuzz_optimize_pipeline(data, size);
	if (size >= 8 && data[4] == 'T' && data[5] == 'F' && data[6] == 'L' && data[7] == '3')
		return 0;
	if (memmem(data, size, native, sizeof(native) - 1))
		return 0;
	tfit_load_opts_init(&o);
	/* the first byte's low bit exercises --skip-unknown, the second a
	 * given input shape (--input-shape 8x8x1) */
	o.skip_unknown = size > 0 && (data[0] & 1) == 0;
	if (size > 1 && (data[1] & 1)) {
		o.has_input_shape = 1;
		o.input_rank = 3;
		o.input_shape[0] = 8;
		o.input_shape[1] = 8;
		o.input_shape[2] = 1;
	}
	if (tfit_model_load_buffer(data, size, "fuzz.json", &o, &m, &err) != TFIT_OK)
		return 0;
	fuzz_model_pipeline(m);
	tfit_model_free(m);
	return 0;
}

/*
 * fuzz_model_json.c - libFuzzer harness for the JSON model readers:
 * tinyfit's native JSON and Keras / TF.js model JSON, both behind
 * tfit_model_load_buffer() (the format is detected from the content, so
 * one harness covers both; the corpus seeds each). Whatever loads goes
 * through the whole pipeline (fuzz_pipeline.c).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_pipeline.h"
#include "tinyfit/model_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tfit_model *m = NULL;
	struct tfit_load_opts o;
	struct tfit_error err;
	/* `tinyfit optimize` takes any file and refuses what is not a .tflite */
	fuzz_optimize_pipeline(data, size);
	/* the TFL3 identifier sends a buffer to the .tflite reader, which has
	 * its own harness */
	if (size >= 8 && data[4] == 'T' && data[5] == 'F' && data[6] == 'L' && data[7] == '3')
		return 0;
	tfit_load_opts_init(&o);
	/* the first byte's low bit also exercises --skip-unknown (Keras) */
	o.skip_unknown = size > 0 && (data[0] & 1) == 0;
	if (tfit_model_load_buffer(data, size, "fuzz.json", &o, &m, &err) != TFIT_OK)
		return 0;
	fuzz_model_pipeline(m);
	tfit_model_free(m);
	return 0;
}

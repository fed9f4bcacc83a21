/*
 * bench_gen.h - the benchmark's inputs, generated at run time into a
 * directory (nothing large is checked in):
 *   - chain100k.json / chain100k.tflite: 100,000 FULLY_CONNECTED+relu ops
 *     in a chain (8 units, int8), native JSON and .tflite;
 *   - dag10k.json: 10,000 ops, dense layers with a residual ADD every two;
 *   - weights100mb.tflite: 2,000 FULLY_CONNECTED ops of 224 x 224 int8
 *     weights (100.35 MB of weights);
 *   - devices/: 1,000 generated board profiles; devices10k/: 10,000 (the
 *     first 1,000 the same as devices/), for compare's scaling.
 */
#ifndef TFIT_BENCH_GEN_H
#define TFIT_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_CHAIN_OPS 100000u
#define BENCH_DAG_DENSE 6667u
#define BENCH_BIG_OPS 2000u
#define BENCH_BIG_WIDTH 224u
#define BENCH_DEVICES 1000u
#define BENCH_DEVICES_10K 10000u

struct bench_inputs {
	char chain_json[1024];
	char chain_tflite[1024];
	char dag_json[1024];
	char big_tflite[1024];
	char devices_dir[1024];
	char devices10k_dir[1024];
};

/* Write every input into dir (which must exist). 0, or -1 on an I/O error. */
int bench_gen_all(const char *dir, struct bench_inputs *in);
/* Only the two device directories (for --startup). */
int bench_gen_devices(const char *dir, struct bench_inputs *in);
/* Only fill in the paths bench_gen_all() writes. */
void bench_gen_paths(const char *dir, struct bench_inputs *in);

/* Shared by the generators (bench_gen.c, hostile_gen.c). */
/* Write len bytes to path, 64 KiB at a time (see bench_gen.c). 0, or -1. */
int bench_write_file(const char *path, const void *data, size_t len);

/* A growing text buffer; exits on out of memory (a benchmark, not a tool). */
struct bench_text {
	char *buf;
	size_t len, cap;
};
void bench_text_putn(struct bench_text *t, const char *s, size_t n);
void bench_text_put(struct bench_text *t, const char *s);
/* Write the text to path and free it; 0, or -1. */
int bench_text_write(struct bench_text *t, const char *path);

#endif

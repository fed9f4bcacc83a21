/*
 * hostile_gen.c - the hostile inputs of issue #17 (see hostile_gen.h).
 * The .tflite file is written with the flatbuffer builder of the unit
 * tests (tests/unit/tflite_gen.h); field numbers are those of TFLite's
 * schema.fbs (Model 0 version, 1 operator_codes, 2 subgraphs, 4 buffers;
 * SubGraph 0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name; Tensor
 * 0 shape, 1 type, 2 buffer, 3 name; Operator 0 opcode_index, 1 inputs,
 * 2 outputs; OperatorCode 0 deprecated_builtin_code, 3 builtin_code).
 */
#define _POSIX_C_SOURCE 200809L
#include "hostile_gen.h"
#include "bench_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tflite_gen.h"

/* 20,000 dense layers of 8 units on one input, then one add of all. */
static int fanin_json(const char *path)
{
	struct bench_text t = { NULL, 0, 0 };
	char line[160];
	uint32_t i;
	bench_text_put(&t, "{\"format\": \"tinyfit-model\", \"name\": \"fanin20k\", \"dtype\": \"int8\",\n"
		  " \"inputs\": [{\"name\": \"x\", \"shape\": [8]}],\n \"layers\": [\n");
	for (i = 0; i < HOSTILE_FANIN; i++) {
		snprintf(line, sizeof(line), "  {\"name\": \"d%u\", \"type\": \"dense\", \"units\": 8, "
			 "\"inputs\": \"x\"},\n", i);
		bench_text_put(&t, line);
	}
	bench_text_put(&t, "  {\"name\": \"sum\", \"type\": \"add\", \"inputs\": [");
	for (i = 0; i < HOSTILE_FANIN; i++) {
		snprintf(line, sizeof(line), "%s\"d%u\"", i ? ", " : "", i);
		bench_text_put(&t, line);
	}
	bench_text_put(&t, "]}\n ]}\n");
	return bench_text_write(&t, path);
}

/* 20,000 ADD(x, x), every output a subgraph output (float32 [1, 8]). */
static int fanin_tflite(const char *path)
{
	struct fbb *b = calloc(1, sizeof(*b));
	struct gen_table root, t;
	const uint32_t n_ops = HOSTILE_FANIN, n_tensors = 1 + HOSTILE_FANIN;
	size_t s_codes, s_sg, s_buf, v, vt, vo, s_t, s_in, s_out, s_ops, s_name;
	static const int32_t shape[2] = { 1, 8 };
	int32_t *outs, zero = 0;
	uint32_t i;
	int rc;
	if (!b)
		return -1;
	outs = malloc(n_ops * sizeof(*outs));
	if (!outs) {
		free(b);
		return -1;
	}
	fbb_init(b);
	fbb_bytes(b, NULL, 8);
	memcpy(b->buf + 4, "TFL3", 4);
	root = fbb_table_begin(b, 5);
	fbb_put32(b, 0, (uint32_t)root.pos);
	fbb_field(b, &root, 0, 4, 3);
	s_codes = fbb_field_offset(b, &root, 1);
	s_sg = fbb_field_offset(b, &root, 2);
	s_buf = fbb_field_offset(b, &root, 4);
	fbb_table_end(b, &root);
	v = fbb_vector(b, 1, 4, NULL);          /* one operator code: ADD (0) */
	fbb_patch(b, s_codes, v);
	t = fbb_table_begin(b, 4);
	fbb_patch(b, v + 4, t.pos);
	fbb_field(b, &t, 0, 1, 0);
	fbb_field(b, &t, 3, 4, 0);
	fbb_table_end(b, &t);
	v = fbb_vector(b, 1, 4, NULL);
	fbb_patch(b, s_sg, v);
	t = fbb_table_begin(b, 5);
	fbb_patch(b, v + 4, t.pos);
	s_t = fbb_field_offset(b, &t, 0);
	s_in = fbb_field_offset(b, &t, 1);
	s_out = fbb_field_offset(b, &t, 2);
	s_ops = fbb_field_offset(b, &t, 3);
	s_name = fbb_field_offset(b, &t, 4);
	fbb_table_end(b, &t);
	vt = fbb_vector(b, n_tensors, 4, NULL);
	fbb_patch(b, s_t, vt);
	for (i = 0; i < n_tensors; i++) {
		char name[32];
		struct gen_table tt = fbb_table_begin(b, 4);
		size_t s_shape, s_tn;
		fbb_patch(b, vt + 4 + 4 * (size_t)i, tt.pos);
		s_shape = fbb_field_offset(b, &tt, 0);
		fbb_field(b, &tt, 1, 1, 0);     /* FLOAT32 */
		fbb_field(b, &tt, 2, 4, 0);     /* buffer 0: no data */
		s_tn = fbb_field_offset(b, &tt, 3);
		fbb_table_end(b, &tt);
		fbb_patch(b, s_shape, fbb_vec_i32(b, 2, shape));
		snprintf(name, sizeof(name), i ? "add%u" : "x", i - 1);
		fbb_patch(b, s_tn, fbb_string(b, name));
	}
	fbb_patch(b, s_in, fbb_vec_i32(b, 1, &zero));
	for (i = 0; i < n_ops; i++)
		outs[i] = (int32_t)(i + 1);
	fbb_patch(b, s_out, fbb_vec_i32(b, n_ops, outs));
	vo = fbb_vector(b, n_ops, 4, NULL);
	fbb_patch(b, s_ops, vo);
	for (i = 0; i < n_ops; i++) {
		static const int32_t in[2] = { 0, 0 };
		struct gen_table ot = fbb_table_begin(b, 3);
		size_t s_oi, s_oo;
		fbb_patch(b, vo + 4 + 4 * (size_t)i, ot.pos);
		fbb_field(b, &ot, 0, 4, 0);
		s_oi = fbb_field_offset(b, &ot, 1);
		s_oo = fbb_field_offset(b, &ot, 2);
		fbb_table_end(b, &ot);
		fbb_patch(b, s_oi, fbb_vec_i32(b, 2, in));
		fbb_patch(b, s_oo, fbb_vec_i32(b, 1, &outs[i]));
	}
	fbb_patch(b, s_name, fbb_string(b, "main"));
	v = fbb_vector(b, 1, 4, NULL);          /* buffers: [0] empty */
	fbb_patch(b, s_buf, v);
	t = fbb_table_begin(b, 1);
	fbb_patch(b, v + 4, t.pos);
	fbb_table_end(b, &t);
	fbb_align(b, 16);
	rc = b->oom ? -1 : bench_write_file(path, b->buf, b->len);
	fbb_free(b);
	free(b);
	free(outs);
	return rc;
}

/* A 50,000-layer Keras model: Sequential of Dense(8), or a functional chain. */
static int keras_chain(const char *path, int functional)
{
	struct bench_text t = { NULL, 0, 0 };
	char line[256];
	uint32_t i;
	bench_text_put(&t, functional ? "{\"class_name\": \"Functional\", \"config\": {\"name\": \"chain\", \"layers\": [\n"
			       "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8], "
			       "\"name\": \"in\"}, \"name\": \"in\", \"inbound_nodes\": []}"
			     : "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"seq\", \"layers\": [\n");
	for (i = 0; i < HOSTILE_KERAS_LAYERS; i++) {
		if (functional)
			snprintf(line, sizeof(line), ",\n{\"class_name\": \"Dense\", \"config\": {\"name\": "
				 "\"d%u\", \"units\": 8}, \"name\": \"d%u\", \"inbound_nodes\": "
				 "[[[\"%s%u\", 0, 0, {}]]]}", i, i, i ? "d" : "in", i ? i - 1 : 0);
		else if (i == 0)
			snprintf(line, sizeof(line), "{\"class_name\": \"Dense\", \"config\": {\"name\": "
				 "\"d0\", \"units\": 8, \"batch_input_shape\": [null, 8]}}");
		else
			snprintf(line, sizeof(line), ",\n{\"class_name\": \"Dense\", \"config\": "
				 "{\"name\": \"d%u\", \"units\": 8}}", i);
		if (functional && i == 0)
			snprintf(line, sizeof(line), ",\n{\"class_name\": \"Dense\", \"config\": {\"name\": "
				 "\"d0\", \"units\": 8}, \"name\": \"d0\", \"inbound_nodes\": "
				 "[[[\"in\", 0, 0, {}]]]}");
		bench_text_put(&t, line);
	}
	if (functional) {
		snprintf(line, sizeof(line), "\n], \"input_layers\": [[\"in\", 0, 0]], "
			 "\"output_layers\": [[\"d%u\", 0, 0]]}}\n", HOSTILE_KERAS_LAYERS - 1);
		bench_text_put(&t, line);
	} else {
		bench_text_put(&t, "\n]}}\n");
	}
	return bench_text_write(&t, path);
}

/* {"format":"tinyfit-model","x":[0,0,...]} of about 60 MB. */
static int array60(const char *path)
{
	struct bench_text t = { NULL, 0, 0 };
	static const char zeros[] = "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,";
	bench_text_put(&t, "{\"format\":\"tinyfit-model\",\"x\":[");
	while (t.len < HOSTILE_ARRAY_BYTES)
		bench_text_putn(&t, zeros, sizeof(zeros) - 1);
	bench_text_put(&t, "0]}\n");
	return bench_text_write(&t, path);
}

/* One board profile with 100,000 aliases. */
static int aliases(const char *dir)
{
	struct bench_text t = { NULL, 0, 0 };
	char path[1100], line[64];
	uint32_t i;
	if (mkdir(dir, 0755) != 0)
		return -1;
	bench_text_put(&t, "{\n  \"id\": \"alias_board\",\n  \"name\": \"Alias board\",\n  \"vendor\": \"Bench\",\n"
		  "  \"mcu\": \"BENCH\",\n  \"core\": \"cortex-m4f\",\n  \"clock_mhz\": 64,\n"
		  "  \"flash\": \"1MiB\",\n  \"sram\": \"256KiB\",\n"
		  "  \"sources\": {\"core\": \"generated by bench/hostile_gen.c\"},\n  \"aliases\": [");
	for (i = 0; i < HOSTILE_ALIASES; i++) {
		snprintf(line, sizeof(line), "%s\"alias%u\"", i ? "," : "", i);
		bench_text_put(&t, line);
	}
	bench_text_put(&t, "]\n}\n");
	snprintf(path, sizeof(path), "%s/alias_board.json", dir);
	return bench_text_write(&t, path);
}

void bench_hostile_paths(const char *dir, struct bench_hostile *h)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->fanin_json, sizeof(h->fanin_json), "%s/fanin20k.json", dir);
	snprintf(h->fanin_tflite, sizeof(h->fanin_tflite), "%s/fanin20k.tflite", dir);
	snprintf(h->keras_seq, sizeof(h->keras_seq), "%s/keras_seq50k.json", dir);
	snprintf(h->keras_func, sizeof(h->keras_func), "%s/keras_func50k.json", dir);
	snprintf(h->array60, sizeof(h->array60), "%s/array60mb.json", dir);
	snprintf(h->aliases_dir, sizeof(h->aliases_dir), "%s/aliases", dir);
}

int bench_gen_hostile(const char *dir, struct bench_hostile *h)
{
	bench_hostile_paths(dir, h);
	if (fanin_json(h->fanin_json) != 0 || fanin_tflite(h->fanin_tflite) != 0 ||
	    keras_chain(h->keras_seq, 0) != 0 || keras_chain(h->keras_func, 1) != 0 ||
	    array60(h->array60) != 0 || aliases(h->aliases_dir) != 0)
		return -1;
	return 0;
}

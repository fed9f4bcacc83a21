/*
 * bench_gen.c - the benchmark's generated inputs (see bench_gen.h).
 *
 * .tflite files are written with the flatbuffer byte builder of the unit
 * tests (tests/unit/tflite_gen.h: vtable, table, then children, every
 * uoffset pointing forwards), starting with its gen_write_preamble (the
 * Model, its operator codes and its one SubGraph table, as the fan-in of
 * hostile_gen.c), with field numbers from TFLite's schema.fbs:
 *   Tensor:         0 shape, 1 type, 2 buffer, 3 name, 4 quantization
 *   Quantization:   2 scale (float), 3 zero_point (long)
 *   Operator:       0 opcode_index, 1 inputs, 2 outputs,
 *                   3 builtin_options_type, 4 builtin_options
 *   Buffer:         0 data (ubyte, 16-aligned)
 * Builtin codes: ADD 0, FULLY_CONNECTED 9; options tags: FullyConnectedOptions
 * 8 (field 0 fused_activation_function: RELU 1), AddOptions 11. Tensor
 * types: INT32 2, INT8 9.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tflite_gen.h"

/*
 * Written 64 KiB at a time, as cp, curl and most tools write files: the
 * page cache then holds the file in small folios. (One 100 MB write() lets
 * Linux 6.x cache it in 2 MiB folios, and a process that maps the file and
 * reads one byte of each 50 KB buffer then has every folio mapped: its
 * peak RSS counts the whole file although it reads a few hundred KB of
 * it; bench/README.md.)
 */
int bench_write_file(const char *path, const void *data, size_t len)
{
	const unsigned char *p = data;
	FILE *f = fopen(path, "wb");
	size_t off = 0;
	if (!f)
		return -1;
	while (off < len) {
		size_t n = len - off < 65536 ? len - off : 65536;
		if (fwrite(p + off, 1, n, f) != n) {
			fclose(f);
			return -1;
		}
		off += n;
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* ---- .tflite ------------------------------------------------------------ */

struct tfl_tensor {
	int32_t shape[2];
	int rank;
	int8_t type;
	uint32_t buffer;
	char name[32];
};

/* One tensor table with per-tensor int8/int32 quantization (scale 0.05,
 * zero point 0). Returns the table position. */
static size_t write_tensor(struct fbb *b, const struct tfl_tensor *t)
{
	static const float scale = 0.05f;
	static const int64_t zero = 0;
	struct gen_table tb = fbb_table_begin(b, 5);
	struct gen_table q;
	size_t s_shape, s_name, s_quant, s_scale, s_zp, pos = tb.pos;
	s_shape = fbb_field_offset(b, &tb, 0);
	fbb_field(b, &tb, 1, 1, (uint8_t)t->type);
	fbb_field(b, &tb, 2, 4, t->buffer);
	s_name = fbb_field_offset(b, &tb, 3);
	s_quant = fbb_field_offset(b, &tb, 4);
	fbb_table_end(b, &tb);
	fbb_patch(b, s_shape, fbb_vec_i32(b, (uint32_t)t->rank, t->shape));
	fbb_patch(b, s_name, fbb_string(b, t->name));
	q = fbb_table_begin(b, 4);
	fbb_patch(b, s_quant, q.pos);
	s_scale = fbb_field_offset(b, &q, 2);
	s_zp = fbb_field_offset(b, &q, 3);
	fbb_table_end(b, &q);
	fbb_patch(b, s_scale, fbb_vector(b, 1, 4, &scale));
	fbb_patch(b, s_zp, fbb_vector(b, 1, 8, &zero));
	return pos;
}

static size_t write_op(struct fbb *b, uint32_t opcode, const int32_t *in, uint32_t n_in,
		       int32_t out, uint8_t options_type, int relu)
{
	struct gen_table tb = fbb_table_begin(b, 5);
	size_t s_in, s_out, s_opt = 0, pos = tb.pos;
	fbb_field(b, &tb, 0, 4, opcode);
	s_in = fbb_field_offset(b, &tb, 1);
	s_out = fbb_field_offset(b, &tb, 2);
	fbb_field(b, &tb, 3, 1, options_type);
	s_opt = fbb_field_offset(b, &tb, 4);
	fbb_table_end(b, &tb);
	fbb_patch(b, s_in, fbb_vec_i32(b, n_in, in));
	fbb_patch(b, s_out, fbb_vec_i32(b, 1, &out));
	{
		struct gen_table ot = fbb_table_begin(b, 1);
		fbb_patch(b, s_opt, ot.pos);
		if (relu)
			fbb_field(b, &ot, 0, 1, 1);
		fbb_table_end(b, &ot);
	}
	return pos;
}

/*
 * A chain of n_fc FULLY_CONNECTED+relu ops of width `width` (int8 weights
 * [width, width] and int32 bias [width] per op, each in its own buffer),
 * with an ADD of the chain's value and the value `residual` ops back after
 * every `residual` FC ops (0: none). Tensors: 0 input, then per FC op its
 * weights, bias and output; per ADD its output.
 */
static int write_tflite(const char *path, const char *name, uint32_t n_fc, uint32_t width,
			uint32_t residual)
{
	static const uint8_t codes[2] = { 9, 0 }; /* opcode 0 FULLY_CONNECTED, 1 ADD */
	struct fbb *b = calloc(1, sizeof(*b));
	struct gen_preamble p;
	struct gen_table t;
	uint32_t n_add = residual ? n_fc / residual : 0;
	uint32_t n_ops = n_fc + n_add, n_tensors = 1 + 3 * n_fc + n_add;
	uint32_t n_buffers = 1 + 2 * n_fc, i, ti, oi, bi;
	size_t vt, vo, vb;
	int32_t cur = 0, block_in = 0, zero = 0;
	int rc;
	if (!b)
		return -1;
	p = gen_write_preamble(b, codes, 2);

	/* tensors */
	vt = fbb_vector(b, n_tensors, 4, NULL);
	fbb_patch(b, p.s_t, vt);
	{
		struct tfl_tensor x;
		memset(&x, 0, sizeof(x));
		x.rank = 2;
		x.shape[0] = 1;
		x.shape[1] = (int32_t)width;
		x.type = 9;
		snprintf(x.name, sizeof(x.name), "input");
		fbb_patch(b, vt + 4, write_tensor(b, &x));
		ti = 1;
		bi = 1;
		for (i = 0; i < n_fc; i++) {
			struct tfl_tensor w = x, bias = x, y = x;
			w.shape[0] = (int32_t)width;
			w.buffer = bi++;
			snprintf(w.name, sizeof(w.name), "fc%u/weights", i);
			bias.rank = 1;
			bias.shape[0] = (int32_t)width;
			bias.type = 2;
			bias.buffer = bi++;
			snprintf(bias.name, sizeof(bias.name), "fc%u/bias", i);
			snprintf(y.name, sizeof(y.name), "fc%u", i);
			fbb_patch(b, vt + 4 + 4 * (size_t)ti, write_tensor(b, &w));
			ti++;
			fbb_patch(b, vt + 4 + 4 * (size_t)ti, write_tensor(b, &bias));
			ti++;
			fbb_patch(b, vt + 4 + 4 * (size_t)ti, write_tensor(b, &y));
			ti++;
			if (residual && (i + 1) % residual == 0) {
				snprintf(y.name, sizeof(y.name), "add%u", i / residual);
				fbb_patch(b, vt + 4 + 4 * (size_t)ti, write_tensor(b, &y));
				ti++;
			}
		}
	}
	fbb_patch(b, p.s_in, fbb_vec_i32(b, 1, &zero));

	/* operators, and the output (the last tensor) */
	{
		int32_t last = (int32_t)n_tensors - 1;
		fbb_patch(b, p.s_out, fbb_vec_i32(b, 1, &last));
	}
	vo = fbb_vector(b, n_ops, 4, NULL);
	fbb_patch(b, p.s_ops, vo);
	ti = 1;
	oi = 0;
	for (i = 0; i < n_fc; i++) {
		int32_t in[3];
		in[0] = cur;
		in[1] = (int32_t)ti;
		in[2] = (int32_t)ti + 1;
		cur = (int32_t)ti + 2;
		ti += 3;
		fbb_patch(b, vo + 4 + 4 * (size_t)oi++, write_op(b, 0, in, 3, cur, 8, 1));
		if (residual && (i + 1) % residual == 0) {
			in[0] = cur;
			in[1] = block_in;
			cur = (int32_t)ti++;
			fbb_patch(b, vo + 4 + 4 * (size_t)oi++, write_op(b, 1, in, 2, cur, 11, 0));
			block_in = cur;
		}
	}
	fbb_patch(b, p.s_name, fbb_string(b, "main"));

	/* buffers: 0 empty, then weights and bias of each FC op */
	vb = fbb_vector(b, n_buffers, 4, NULL);
	fbb_patch(b, p.s_buf, vb);
	for (i = 0; i < n_buffers; i++) {
		t = fbb_table_begin(b, 1);
		fbb_patch(b, vb + 4 + 4 * (size_t)i, t.pos);
		if (i == 0) {
			fbb_table_end(b, &t);
			continue;
		}
		{
			size_t s_data = fbb_field_offset(b, &t, 0);
			uint32_t bytes = (i % 2 == 1) ? width * width : 4 * width;
			fbb_table_end(b, &t);
			fbb_patch(b, s_data, fbb_vector(b, bytes, 1, NULL));
		}
	}
	fbb_align(b, 16);
	(void)name;
	rc = b->oom ? -1 : bench_write_file(path, b->buf, b->len);
	fbb_free(b);
	free(b);
	return rc;
}

/* ---- native JSON -------------------------------------------------------- */

void bench_text_putn(struct bench_text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 1 << 16;
		char *p;
		while (t->len + n + 1 > cap)
			cap *= 2;
		p = realloc(t->buf, cap);
		if (!p) {
			fprintf(stderr, "tinyfit_bench: out of memory\n");
			exit(1);
		}
		t->buf = p;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void bench_text_put(struct bench_text *t, const char *s)
{
	bench_text_putn(t, s, strlen(s));
}

int bench_text_write(struct bench_text *t, const char *path)
{
	int rc = bench_write_file(path, t->buf ? t->buf : "", t->len);
	free(t->buf);
	memset(t, 0, sizeof(*t));
	return rc;
}

/* n dense+relu layers of `width` units; with residual > 0, an add of the
 * block's input after every `residual` dense layers. */
static int write_json(const char *path, const char *name, uint32_t n_dense, uint32_t width,
		      uint32_t residual)
{
	struct bench_text t = { NULL, 0, 0 };
	char line[256];
	uint32_t i;
	const char *block_in = "x";
	char block_buf[32];
	snprintf(line, sizeof(line),
		 "{\"format\": \"tinyfit-model\", \"name\": \"%s\", \"dtype\": \"int8\",\n"
		 " \"inputs\": [{\"name\": \"x\", \"shape\": [%u]}],\n \"layers\": [\n", name, width);
	bench_text_put(&t, line);
	for (i = 0; i < n_dense; i++) {
		snprintf(line, sizeof(line),
			 "  {\"name\": \"fc%u\", \"type\": \"dense\", \"units\": %u, \"activation\": \"relu\"}",
			 i, width);
		bench_text_put(&t, line);
		if (residual && (i + 1) % residual == 0) {
			snprintf(line, sizeof(line),
				 ",\n  {\"name\": \"add%u\", \"type\": \"add\", \"inputs\": [\"fc%u\", \"%s\"]}",
				 i / residual, i, block_in);
			bench_text_put(&t, line);
			snprintf(block_buf, sizeof(block_buf), "add%u", i / residual);
			block_in = block_buf;
		}
		bench_text_put(&t, i + 1 < n_dense ? ",\n" : "\n");
	}
	bench_text_put(&t, " ]}\n");
	return bench_text_write(&t, path);
}

/* ---- device profiles ---------------------------------------------------- */

static const char *const cores[] = { "cortex-m0plus", "cortex-m4f", "cortex-m7", "cortex-m33",
				     "cortex-m55", "xtensa-lx7", "riscv32", "cortex-a53" };

static int write_devices(const char *dir, uint32_t n)
{
	uint32_t i;
	char path[1024], text[1024];
	for (i = 0; i < n; i++) {
		const char *core = cores[i % (sizeof(cores) / sizeof(cores[0]))];
		unsigned sram_kib = 32u << (i % 7), flash_kib = 256u << (i % 5);
		int len = snprintf(text, sizeof(text),
			"{\n"
			"  \"id\": \"bench_board_%05u\",\n"
			"  \"name\": \"Bench board %u\",\n"
			"  \"vendor\": \"Bench\",\n"
			"  \"mcu\": \"BENCH%u\",\n"
			"  \"core\": \"%s\",\n"
			"  \"clock_mhz\": %u,\n"
			"  \"flash\": \"%uKiB\",\n"
			"  \"sram\": \"%uKiB\",\n"
			"  \"regions\": [{\"name\": \"sram0\", \"kind\": \"sram\", \"size\": \"%uKiB\"}],\n"
			"  \"price_usd\": %u.%02u,\n"
			"  \"sources\": {\"core\": \"generated by bench/bench_gen.c\"}\n"
			"}\n",
			i, i, i, core, 48 + (i % 20) * 24, flash_kib, sram_kib, sram_kib,
			2 + i % 40, i % 100);
		if (len < 0 || (size_t)len >= sizeof(text))
			return -1;
		snprintf(path, sizeof(path), "%s/bench_board_%05u.json", dir, i);
		if (bench_write_file(path, text, (size_t)len) != 0)
			return -1;
	}
	return 0;
}

void bench_gen_paths(const char *dir, struct bench_inputs *in)
{
	memset(in, 0, sizeof(*in));
	snprintf(in->chain_json, sizeof(in->chain_json), "%s/chain100k.json", dir);
	snprintf(in->chain_tflite, sizeof(in->chain_tflite), "%s/chain100k.tflite", dir);
	snprintf(in->dag_json, sizeof(in->dag_json), "%s/dag10k.json", dir);
	snprintf(in->big_tflite, sizeof(in->big_tflite), "%s/weights100mb.tflite", dir);
	snprintf(in->devices_dir, sizeof(in->devices_dir), "%s/devices", dir);
	snprintf(in->devices10k_dir, sizeof(in->devices10k_dir), "%s/devices10k", dir);
}

int bench_gen_all(const char *dir, struct bench_inputs *in)
{
	bench_gen_paths(dir, in);
	/* 100,000 ops: dense+relu layers of 8 units (one FULLY_CONNECTED each) */
	if (write_json(in->chain_json, "chain100k", BENCH_CHAIN_OPS, 8, 0) != 0 ||
	    write_tflite(in->chain_tflite, "chain100k", BENCH_CHAIN_OPS, 8, 0) != 0)
		return -1;
	/* 10,000 ops: 6,667 dense layers of 16 units with an ADD of the block's
	 * input after every second one (3,333 adds) */
	if (write_json(in->dag_json, "dag10k", BENCH_DAG_DENSE, 16, 2) != 0)
		return -1;
	/* 2,000 FULLY_CONNECTED ops of 224 x 224 int8 weights: 100.35 MB */
	if (write_tflite(in->big_tflite, "weights100mb", BENCH_BIG_OPS, BENCH_BIG_WIDTH, 0) != 0)
		return -1;
	return bench_gen_devices(dir, in);
}

int bench_gen_devices(const char *dir, struct bench_inputs *in)
{
	bench_gen_paths(dir, in);
	if (mkdir(in->devices_dir, 0755) != 0 || write_devices(in->devices_dir, BENCH_DEVICES) != 0)
		return -1;
	if (mkdir(in->devices10k_dir, 0755) != 0 ||
	    write_devices(in->devices10k_dir, BENCH_DEVICES_10K) != 0)
		return -1;
	return 0;
}

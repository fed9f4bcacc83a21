/*
 * test_hostile_models.c - issue #17's wide and long models as tests, with
 * what they cost in memory by the IR's own accounting (no time, no RSS:
 * bench/ measures those, tinyfit_bench --hostile):
 *  - the .tflite 20,000-ADD fan-in (tests/unit/tflite_gen.h, the same
 *    bytes bench/hostile_gen.c writes): the bytes, its figures and arena;
 *  - the 50,000-layer Keras Sequential and functional chain of Dense(8)
 *    (the texts bench/hostile_gen.c writes): layer, tensor and param
 *    counts;
 *  - the heap each IR holds (tfit_model_heap_count): its names and index
 *    blocks are in a few pool blocks, not one malloc each, so the number
 *    of blocks does not grow with the model and the bytes are the arrays
 *    plus the names' own bytes;
 *  - struct tfit_layer's size, which bounds the layer list that is alive
 *    beside the IR while a JSON model is lowered.
 * The 20,000-way JSON fan-in is test_fanin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/layer.h"
#include "tflite_gen.h"
#include "tfit_test.h"
#include "tfit_test_plan.h"
#include "tinyfit/model_io.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"
#include "tinyfit/strbuf.h"

#define N_ADD 20000u
#define N_KERAS 50000u

static struct tfit_model *load(const void *buf, size_t len, const char *name)
{
	struct tfit_model *m = NULL;
	struct tfit_error err;
	char msg[1600];
	if (tfit_model_load_buffer(buf, len, name, NULL, &m, &err) != TFIT_OK) {
		tfit_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "load %s: %s\n", name, msg);
		CHECK(0);
		return NULL;
	}
	return m;
}

/* The bytes of the names of sg's tensors and ops, each with its NUL. */
static uint64_t name_bytes(const struct tfit_subgraph *sg)
{
	uint64_t n = 0;
	uint32_t i;
	for (i = 0; i < sg->n_tensors; i++)
		n += sg->tensors[i].name ? strlen(sg->tensors[i].name) + 1 : 0;
	for (i = 0; i < sg->n_ops; i++)
		n += sg->ops[i].name ? strlen(sg->ops[i].name) + 1 : 0;
	return n;
}

/* The pool's chunks double from 1 KiB to 1 MiB, each with a 24-byte
 * header (util/pool.c): the bytes of the first n of them. */
static uint64_t pool_chunks_bytes(uint32_t n)
{
	uint64_t sum = 0, cap = 1024;
	uint32_t i;
	for (i = 0; i < n; i++) {
		sum += 24 + cap;
		if (cap < 1024 * 1024)
			cap *= 2;
	}
	return sum;
}

/* FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3) */
static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;
	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void test_tflite_fanin(void)
{
	struct fbb *b = calloc(1, sizeof(*b));
	struct tfit_model *m = NULL;
	struct tfit_arena_plan plan;
	struct tfit_model_heap h;
	const struct tfit_subgraph *sg;

	memset(&plan, 0, sizeof(plan));
	CHECK(b != NULL);
	if (!b)
		return;
	gen_fanin_add(b, N_ADD);
	CHECK(!b->oom);
	/* the bytes themselves, as bench/hostile_gen.c writes them to
	 * fanin20k.tflite (2,400,256 bytes, sha256 1dd88fa5...283210c, from
	 * main at bdd5bda): pinned so that a change to the writer the bench
	 * shares (gen_write_preamble, also bench_gen.c's chains) shows */
	CHECK_U64(b->len, 2400256);
	CHECK_U64(fnv1a64(b->buf, b->len), 0x1efdfbc7d38e7ab6ull);
	if (b->oom || !(m = load(b->buf, b->len, "fanin20k.tflite")))
		goto out;
	sg = &m->subgraphs[0];
	CHECK_U64(m->n_subgraphs, 1);
	CHECK_U64(sg->n_ops, N_ADD);
	CHECK_U64(sg->n_tensors, 1 + N_ADD);
	CHECK_U64(sg->n_inputs, 1);
	CHECK_U64(sg->n_outputs, N_ADD);
	/* no constant tensors: no params, no weights; an ADD of [1, 8] is 8
	 * element operations and no MACs */
	CHECK_U64(m->params, 0);
	CHECK_U64(m->deployed_params, 0);
	CHECK_U64(m->weights_bytes, 0);
	CHECK_U64(m->macs, 0);
	CHECK_U64(m->elem_ops, (uint64_t)N_ADD * 8);

	/* The IR's heap: the model, its subgraph array, the model's and the
	 * subgraph's names, the tensor array (20,001 x 128 bytes) and op array
	 * (20,000 x 192, both trimmed to their counts), the subgraph's input
	 * and output lists, and the pool: 20,001 tensor names ("x", "add0" ..
	 * "add19999": 2 + 10 x 5 + 90 x 6 + 900 x 7 + 9,000 x 8 + 10,000 x 9
	 * = 168,892 bytes; the ops have none) and 20,000 index blocks of 3
	 * int32 (240,000 bytes) in the first 9 chunks (1 KiB .. 256 KiB:
	 * 523,480 bytes with their headers, for the 408,892 bytes used). It
	 * was one malloc per name and per index block: 40,001 more blocks of
	 * at least 32 bytes each (glibc's smallest chunk). */
	tfit_model_heap_count(m, &h);
	CHECK_U64(name_bytes(sg), 168892);
	CHECK_U64(h.pool_bytes, pool_chunks_bytes(9));
	CHECK_U64(h.pool_bytes, 523480);
	CHECK_U64(h.bytes - h.pool_bytes,
		  sizeof(*m) + sizeof(*sg) + (uint64_t)(1 + N_ADD) * sizeof(struct tfit_tensor) +
		  (uint64_t)N_ADD * sizeof(struct tfit_op) + 4 + (uint64_t)N_ADD * 4 +
		  strlen(m->name) + 1 + strlen(sg->name) + 1);
	/* besides the 9 pool chunks: model, subgraph array, model name,
	 * subgraph name, tensors, ops, inputs, outputs; none per tensor or op */
	CHECK_U64(h.blocks, 8 + 9);
	printf("tflite fan-in: %llu blocks, %llu bytes (%llu in the pool)\n",
	       (unsigned long long)h.blocks, (unsigned long long)h.bytes,
	       (unsigned long long)h.pool_bytes);

	/* Every tensor is float32 [1, 8] (32 bytes, 16-aligned), and the
	 * input and all 20,000 outputs are subgraph inputs and outputs, live
	 * for the whole run: 20,001 buffers side by side, the head 640,032
	 * bytes and the lower bound the same. */
	if (!tfit_test_plan_tflm(m, &plan))
		goto out;
	CHECK_U64(plan.n_buffers, 1 + N_ADD);
	CHECK_U64(plan.head_bytes, (uint64_t)(1 + N_ADD) * 32);
	CHECK_U64(plan.lower_bound_bytes, (uint64_t)(1 + N_ADD) * 32);
out:
	tfit_arena_plan_release(&plan);
	tfit_model_free(m);
	if (b)
		fbb_free(b);
	free(b);
}

/* The 50,000-layer Keras model of bench/hostile_gen.c: a Sequential of
 * Dense(8) on an 8-wide input, or the same as a functional chain. */
static void gen_keras(struct tfit_strbuf *sb, int functional)
{
	uint32_t i;
	if (functional)
		tfit_strbuf_puts(sb, "{\"class_name\": \"Functional\", \"config\": {\"name\": \"chain\", \"layers\": [\n"
				 "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8], "
				 "\"name\": \"in\"}, \"name\": \"in\", \"inbound_nodes\": []}");
	else
		tfit_strbuf_puts(sb, "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"seq\", \"layers\": [\n"
				 "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d0\", \"units\": 8, "
				 "\"batch_input_shape\": [null, 8]}}");
	for (i = functional ? 0 : 1; i < N_KERAS; i++) {
		char from[16];
		if (i)
			snprintf(from, sizeof(from), "d%u", i - 1);
		else
			snprintf(from, sizeof(from), "in");
		if (functional)
			tfit_strbuf_printf(sb, ",\n{\"class_name\": \"Dense\", \"config\": {\"name\": \"d%u\", "
					   "\"units\": 8}, \"name\": \"d%u\", \"inbound_nodes\": "
					   "[[[\"%s\", 0, 0, {}]]]}", i, i, from);
		else
			tfit_strbuf_printf(sb, ",\n{\"class_name\": \"Dense\", \"config\": "
					   "{\"name\": \"d%u\", \"units\": 8}}", i);
	}
	if (functional)
		tfit_strbuf_printf(sb, "\n], \"input_layers\": [[\"in\", 0, 0]], "
				   "\"output_layers\": [[\"d%u\", 0, 0]]}}\n", N_KERAS - 1);
	else
		tfit_strbuf_puts(sb, "\n]}}\n");
}

static void test_keras_chain(int functional)
{
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	struct tfit_model *m;
	struct tfit_model_heap h;
	const struct tfit_subgraph *sg;
	uint32_t i, n_fc = 0;

	gen_keras(&sb, functional);
	CHECK(!sb.oom);
	m = sb.oom ? NULL : load(sb.buf, sb.len, functional ? "chain.json" : "seq.json");
	if (!m)
		goto out;
	sg = &m->subgraphs[0];
	CHECK_U64(m->format, TFIT_MODEL_FORMAT_KERAS);
	/* each Dense is one FULLY_CONNECTED with its weights, bias and
	 * output; with the input, 150,001 tensors */
	CHECK_U64(sg->n_ops, N_KERAS);
	for (i = 0; i < sg->n_ops; i++)
		n_fc += sg->ops[i].type == TFIT_OP_FULLY_CONNECTED;
	CHECK_U64(n_fc, N_KERAS);
	CHECK_U64(sg->n_tensors, 1 + 3 * N_KERAS);
	/* 8 x 8 weights and 8 biases per layer, float32 */
	CHECK_U64(m->params, (uint64_t)N_KERAS * 72);
	CHECK_U64(m->deployed_params, (uint64_t)N_KERAS * 72);
	CHECK_U64(m->macs, (uint64_t)N_KERAS * 64);
	CHECK_U64(m->weights_bytes, (uint64_t)N_KERAS * 72 * 4);

	/* The heap: the tensor and op arrays at their counts, and a pool of
	 * the names' own bytes and 50,000 index blocks of 4 int32 (800,000
	 * bytes). Layer i of k digits names 3 tensors and its op: "d<i>/kernel",
	 * "d<i>/bias", "d<i>" twice, 4k + 20 bytes with the NULs; over the
	 * 50,000 layers 4 x (10 x 1 + 90 x 2 + 900 x 3 + 9,000 x 4 + 40,000 x
	 * 5) + 20 x 50,000 = 1,955,560; the input is "d0_input" (9 bytes, the
	 * Sequential's) or "in" (3). 2,755,569 or 2,755,563 bytes used: 12
	 * chunks (1 KiB .. 512 KiB and two of 1 MiB, 3,144,992 bytes with
	 * their headers). Without the pool: 250,001 more blocks. */
	tfit_model_heap_count(m, &h);
	printf("keras %s: %llu blocks, %llu bytes (%llu in the pool), names %llu bytes\n",
	       functional ? "functional" : "sequential", (unsigned long long)h.blocks,
	       (unsigned long long)h.bytes, (unsigned long long)h.pool_bytes,
	       (unsigned long long)name_bytes(sg));
	CHECK_U64(name_bytes(sg), functional ? 1955563 : 1955569);
	CHECK_U64(h.pool_bytes, pool_chunks_bytes(12));
	CHECK_U64(h.pool_bytes, 3144992);
	/* model, subgraph array, model name and path, subgraph name, tensors,
	 * ops, inputs, outputs, and the 12 chunks */
	CHECK_U64(h.blocks, 9 + 12);
	CHECK_U64(h.bytes - h.pool_bytes,
		  sizeof(*m) + sizeof(*sg) + (uint64_t)(1 + 3 * N_KERAS) * sizeof(struct tfit_tensor) +
		  (uint64_t)N_KERAS * sizeof(struct tfit_op) + 4 + 4 +
		  strlen(m->name) + 1 + strlen(m->path) + 1 + strlen(sg->name) + 1);
out:
	tfit_model_free(m);
	tfit_strbuf_release(&sb);
}

/* struct tfit_layer's union: each group's defaults are set for the types
 * in it (tfit_layer_list_add), and the list's pool shares a string equal
 * to one of the last TFIT_LAYER_RECENT it used. */
static void test_layer_records(void)
{
	struct tfit_layer_list l;
	struct tfit_layer *L;
	char name[16];
	int i;

	tfit_layer_list_init(&l);
	L = tfit_layer_list_add(&l, TFIT_LAYER_CONV2D);
	CHECK(L != NULL);
	if (!L)
		return;
	CHECK_I64(L->strides[0], 1);
	CHECK_I64(L->strides[1], 1);
	CHECK_I64(L->dilation[0], 1);
	CHECK_I64(L->dilation[1], 1);
	CHECK_I64(L->depth_multiplier, 1);
	CHECK_I64(L->filters, 0);
	CHECK_I64(L->use_bias, 1);
	CHECK_I64(L->padding, TFIT_PAD_VALID);
	CHECK_I64(L->activation, TFIT_LACT_LINEAR);
	CHECK(L->alpha == 0.3);
	L = tfit_layer_list_add(&l, TFIT_LAYER_GRU);
	CHECK_I64(L->reset_after, 1);
	CHECK_I64(L->units, 0);
	L = tfit_layer_list_add(&l, TFIT_LAYER_LSTM);
	CHECK_I64(L->reset_after, 0);
	L = tfit_layer_list_add(&l, TFIT_LAYER_ADD);
	CHECK_I64(L->axis, -1);
	L = tfit_layer_list_add(&l, TFIT_LAYER_BATCH_NORMALIZATION);
	CHECK_I64(L->bn_center, 1);
	CHECK_I64(L->bn_scale, 1);
	L = tfit_layer_list_add(&l, TFIT_LAYER_IDENTITY);
	CHECK_I64(L->declared_params, -1);
	CHECK(L->scale == 0.0 && L->offset == 0.0);
	L = tfit_layer_list_add(&l, TFIT_LAYER_ZERO_PADDING2D);
	CHECK_I64(L->pad[0] | L->pad[1] | L->pad[2] | L->pad[3] | L->size[0] | L->size[1], 0);
	L = tfit_layer_list_add(&l, TFIT_LAYER_INPUT);
	CHECK_I64(L->shape_rank, 0);
	CHECK_I64(L->input_dtype, TFIT_DTYPE_UNKNOWN);

	/* a chain: each layer's input is the name before it, one copy */
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "dense_%d", i);
		L = tfit_layer_list_add(&l, TFIT_LAYER_DENSE);
		CHECK(L && tfit_layer_set_str(&l, &L->name, name) == 0);
		CHECK(L && tfit_layer_set_str(&l, &L->class_name, "Dense") == 0);
		if (L && i > 0) {
			snprintf(name, sizeof(name), "dense_%d", i - 1);
			CHECK(tfit_layer_add_input(&l, L, name) == 0);
			CHECK(L->inputs[0] == tfit_layer_at(&l, l.n_layers - 2)->name);
			CHECK(L->class_name == tfit_layer_at(&l, l.n_layers - 2)->class_name);
		}
	}
	/* a string last used more than TFIT_LAYER_RECENT other strings ago
	 * is copied again (equal, not the same) */
	CHECK(tfit_layer_add_input(&l, L, "dense_0") == 0);
	CHECK_STR(L->inputs[1], "dense_0");
	CHECK(L->inputs[1] != tfit_layer_at(&l, 8)->name);
	CHECK(tfit_layer_set_str(&l, &L->path, NULL) == 0 && L->path == NULL);
	tfit_layer_list_release(&l);
}

/* tfit_layer_set_inputs: one array of exactly n names in the pool (the
 * first name copied right after its n slots), and tfit_layer_add_input
 * after it moves the array to the next power of two. */
static void test_layer_set_inputs(void)
{
	static const char *const names[] = { "in_a", "in_b", "in_c" };
	struct tfit_layer_list l;
	struct tfit_layer *L;
	tfit_layer_list_init(&l);
	L = tfit_layer_list_add(&l, TFIT_LAYER_CONCATENATE);
	CHECK(L != NULL);
	if (!L)
		goto out;
	CHECK(tfit_layer_set_inputs(&l, L, names, 3) == 0);
	CHECK_U64(L->n_inputs, 3);
	CHECK_STR(L->inputs[0], "in_a");
	CHECK_STR(L->inputs[2], "in_c");
	/* 3 slots of 8 bytes, then "in_a" (the pool's first chunk; with
	 * doubling it would be 1 + 2 + 4 slots) */
	CHECK_I64((char *)L->inputs[0] - (char *)L->inputs, 3 * (int64_t)sizeof(char *));
	CHECK_I64(L->inputs[1] - L->inputs[0], 5);
	CHECK(tfit_layer_add_input(&l, L, "in_d") == 0);
	CHECK(tfit_layer_add_input(&l, L, "in_e") == 0);
	CHECK_U64(L->n_inputs, 5);
	CHECK_STR(L->inputs[0], "in_a");
	CHECK_STR(L->inputs[2], "in_c");
	CHECK_STR(L->inputs[3], "in_d");
	CHECK_STR(L->inputs[4], "in_e");
	/* a layer with inputs gets the names added after them */
	CHECK(tfit_layer_set_inputs(&l, L, names + 1, 2) == 0);
	CHECK_U64(L->n_inputs, 7);
	CHECK_STR(L->inputs[5], "in_b");
	CHECK_STR(L->inputs[6], "in_c");
	/* none: nothing set */
	L = tfit_layer_list_add(&l, TFIT_LAYER_ADD);
	CHECK(L && tfit_layer_set_inputs(&l, L, names, 0) == 0 && L->n_inputs == 0 && !L->inputs);
out:
	tfit_layer_list_release(&l);
}

int main(void)
{
	/* LP64: 5 pointers, n_inputs and alpha (56 bytes), 8 byte-sized
	 * enums and flags, the union of the type groups
	 * (80: the conv/pool group's ten int64); it was 368, and 456 */
	if (sizeof(void *) == 8)
		CHECK_U64(sizeof(struct tfit_layer), 144);
	test_layer_records();
	test_layer_set_inputs();
	test_tflite_fanin();
	test_keras_chain(0);
	test_keras_chain(1);
	return tfit_test_finish();
}

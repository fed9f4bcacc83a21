/*
 * test_scale.c - a model with 10^6 layers: a native JSON model generated
 * here (a chain of ReLU activations with a residual ADD every 1,000 layers)
 * loads, plans and fits without crashing and in bounded memory. Numbers
 * are asserted from the structs; no timing is asserted (bench/ measures
 * speed).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "tfit_test.h"
#include "tfit_test_plan.h"
#include "tinyfit/model_io.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"
#include "tinyfit/strbuf.h"

#define N_LAYERS 1000000u
#define RESIDUAL_EVERY 1000u

/* Peak RSS allowed for load + plan of the 10^6-layer model, in KiB. About
 * 1.45 GiB are used without sanitizers (the 42 MB JSON text, its cJSON tree,
 * the layer list and the IR of 10^6 tensors and ops, the plan), 1.8 GiB
 * with AddressSanitizer (gcc 12, x86-64); a quadratic structure would not fit. */
#define MAX_RSS_KIB (3ull * 1024 * 1024)

static void gen_model(struct tfit_strbuf *sb)
{
	uint32_t i;
	tfit_strbuf_puts(sb, "{\"format\": \"tinyfit-model\", \"name\": \"million\", \"dtype\": \"int8\",\n"
			 " \"inputs\": [{\"name\": \"x\", \"shape\": [4, 4]}],\n \"layers\": [\n");
	for (i = 0; i < N_LAYERS; i++) {
		if (i % RESIDUAL_EVERY == RESIDUAL_EVERY - 1)
			tfit_strbuf_printf(sb, "  {\"name\": \"l%u\", \"type\": \"add\", \"inputs\": [\"l%u\", \"l%u\"]}",
					   i, i - 1, i - RESIDUAL_EVERY + 1);
		else if (i == 0)
			tfit_strbuf_puts(sb, "  {\"name\": \"l0\", \"type\": \"activation\", \"activation\": \"relu\", \"inputs\": \"x\"}");
		else
			tfit_strbuf_printf(sb, "  {\"name\": \"l%u\", \"type\": \"activation\", \"activation\": \"relu\"}", i);
		tfit_strbuf_puts(sb, i + 1 < N_LAYERS ? ",\n" : "\n");
	}
	tfit_strbuf_puts(sb, " ]}\n");
}

int main(void)
{
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	struct tfit_model *m = NULL;
	struct tfit_arena_plan plan;
	struct tfit_error err;
	struct rusage ru;
	char msg[1600];

	memset(&plan, 0, sizeof(plan));
	gen_model(&sb);
	CHECK(!sb.oom);
	if (tfit_model_load_buffer(sb.buf, sb.len, "million.json", NULL, &m, &err) != TFIT_OK) {
		tfit_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "load: %s\n", msg);
		CHECK(0);
		goto out;
	}
	tfit_strbuf_release(&sb);
	CHECK_U64(m->n_subgraphs, 1);
	/* one RELU or ADD per layer, except that the ReLU after each ADD but
	 * the last fuses into it (999 of them) */
	CHECK_U64(m->subgraphs[0].n_ops, N_LAYERS - (N_LAYERS / RESIDUAL_EVERY - 1));
	CHECK_U64(m->macs, 0);
	CHECK_U64(m->params, 0);

	if (!tfit_test_plan_tflm(m, &plan))
		goto out;
	/* 16 int8 elements per activation, aligned to 16: at most the residual
	 * source, the chain's current input and its output are alive, so the
	 * lower bound is 3 x 16 bytes whatever the length; TFLM's greedy order
	 * places one buffer a slot higher (64) */
	CHECK_U64(plan.lower_bound_bytes, 48);
	CHECK(plan.head_bytes >= 48 && plan.head_bytes <= 64);
	CHECK(plan.tail_bytes > (uint64_t)N_LAYERS * 16); /* per-op and per-tensor structs */

	CHECK(getrusage(RUSAGE_SELF, &ru) == 0);
	printf("peak RSS %ld KiB for %u layers\n", ru.ru_maxrss, N_LAYERS);
	CHECK((unsigned long long)ru.ru_maxrss < MAX_RSS_KIB);
out:
	tfit_arena_plan_release(&plan);
	tfit_model_free(m);
	tfit_strbuf_release(&sb);
	return tfit_test_finish();
}

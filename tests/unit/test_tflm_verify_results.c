/*
 * test_tflm_verify_results.c - tinyfit's `optimize` figures against what
 * the real TensorFlow Lite Micro did with the same models, recorded by
 * tools/tflm-verify in tools/tflm-verify/results/tflm-host.tsv (models/
 * and models/large; TFLM
 * 90b983c2b3f1 built on the host, reference kernels). For every recorded
 * model whose file is present:
 *  - tfit_optimize() (runtime tflm) today gives the recorded figures;
 *  - its head before and after equals the head TFLM planned for the original
 *    and for the optimised file (the head does not depend on the word size);
 *  - when only the plan changed: TFLM's tail is the same for both files and
 *    its arena_used_bytes() and smallest working arena shrink by exactly
 *    tinyfit's predicted saving; when a stage was rewritten into patches
 *    (the grid and the MACs recorded match tinyfit's), both tails grew
 *    (more nodes: a 64-bit figure this test cannot compare with tinyfit's
 *    32-bit one);
 *  - tinyfit's kTensorArenaSize for the optimised model equals TFLM's 32-bit
 *    minimum arena of the original (../shared/models/TFLM-TRUTH.md) minus
 *    the saving TFLM measured, i.e. the optimised model's TFLM arena;
 *  - Invoke() succeeded and the outputs were byte-identical on every input;
 *  - every model tinyfit accepts ran on TFLM (the rows tinyfit refused
 *    say so, and it still refuses them), and both files hold the same
 *    models.
 * tools/tflm-verify/results/tflm-arm32.tsv holds the same for TFLM built
 * for 32-bit Arm (arm-none-eabi, the Cortex-M structure layout, run under
 * qemu-arm, smallest arena searched to the byte): there, the original's
 * smallest arena must equal TFLM-TRUTH.md's (which validates that build)
 * and tinyfit's kTensorArenaSize must equal TFLM's smallest arena exactly,
 * before and after, for rewritten models too.
 * The results are committed; models missing from ../shared are skipped one
 * by one, and the whole test exits 77 only when none of them is present.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/fileio.h"
#include "tinyfit/optimize.h"
#include "tinyfit/runtime.h"

#define RESULTS TFIT_SOURCE_DIR "/tools/tflm-verify/results/"
#define MODELS TFIT_SHARED_DIR "/models"
#define NCOL 22
#define MNV2 "large/mobilenet_v2_quantized_1x3x224x224.tflite"

enum {
	C_MODEL, C_WRITTEN, C_HEAD_B, C_HEAD_A, C_ARENA_B, C_ARENA_A, C_TH_O, C_TH_P, C_TT_O, C_TT_P,
	C_USED_O, C_USED_P, C_MIN_O, C_MIN_P, C_OK, C_INPUTS, C_INVOKED, C_IDENT, C_PATCHES,
	C_MACS_B, C_MACS_A, C_NOTE
};

static const char *const header[NCOL] = {
	"model", "tinyfit_plan_written", "tinyfit_head_before", "tinyfit_head_after",
	"tinyfit_arena_before", "tinyfit_arena_after", "tflm_head_original", "tflm_head_optimised",
	"tflm_tail_original", "tflm_tail_optimised", "tflm_arena_used_original",
	"tflm_arena_used_optimised", "tflm_min_arena_original", "tflm_min_arena_optimised",
	"allocate_ok", "inputs", "invoked", "identical_outputs", "tinyfit_patches",
	"tinyfit_macs_before", "tinyfit_macs_after", "note"
};

static int split(char *line, char **col)
{
	int n = 0;
	char *p = line, *t;
	line[strcspn(line, "\r\n")] = '\0';
	while (n < NCOL) {
		col[n++] = p;
		if (!(t = strchr(p, '\t')))
			break;
		*t = '\0';
		p = t + 1;
	}
	return n;
}

static uint64_t u(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	CHECK(*s && *end == '\0');
	return (uint64_t)v;
}

/* TFLM's 32-bit minimum arena of model (reference kernels) from
 * TFLM-TRUTH.md; 0 when the model is not in its table. */
static uint64_t truth_min_arena(const char *model)
{
	FILE *f = fopen(MODELS "/TFLM-TRUTH.md", "r");
	char line[1024], name[256];
	unsigned long long used, min;
	uint64_t r = 0;
	if (!f)
		return 0;
	while (!r && fgets(line, sizeof(line), f))
		if (sscanf(line, "| `%255[^`]` | tflm (reference kernels) | %*d | %*d | %llu | %llu |",
			   name, &used, &min) == 3 && strcmp(name, model) == 0)
			r = min;
	fclose(f);
	return r;
}

static int present(const char *model)
{
	char path[600];
	FILE *f;
	snprintf(path, sizeof(path), MODELS "/%s", model);
	if (!(f = fopen(path, "rb")))
		return 0;
	fclose(f);
	return 1;
}

static int check_row(char **c, const struct tfit_runtime *rt, int arm32, int *verified,
		     int *patched)
{
	char path[600];
	char *data = NULL;
	size_t len = 0;
	struct tfit_optimize_request q;
	struct tfit_optimize_result r;
	struct tfit_error err;
	enum tfit_status st;
	uint64_t truth;
	snprintf(path, sizeof(path), MODELS "/%s", c[C_MODEL]);
	if (tfit_file_read(path, 1u << 30, &data, &len, &err) != TFIT_OK)
		return 0; /* not in ../shared */
	memset(&q, 0, sizeof(q));
	q.model_data = data;
	q.model_len = len;
	q.model_name = c[C_MODEL];
	q.rt = rt;
	st = tfit_optimize(&q, &r, &err);
	if (strcmp(c[C_WRITTEN], "-") == 0) {
		/* tinyfit refused it when recorded, and still does */
		CHECK(st != TFIT_OK);
		CHECK(strncmp(c[C_NOTE], "tinyfit optimize refused: ", 26) == 0);
		if (st == TFIT_OK)
			tfit_optimize_result_release(&r);
		free(data);
		return 1;
	}
	CHECK(st == TFIT_OK);
	if (st != TFIT_OK) {
		fprintf(stderr, "%s: %s\n", c[C_MODEL], err.message);
		free(data);
		return 1;
	}
	/* tinyfit today = tinyfit when recorded */
	CHECK_U64(r.plan_written, strcmp(c[C_WRITTEN], "yes") == 0);
	CHECK_U64(r.before.head_bytes, u(c[C_HEAD_B]));
	CHECK_U64(r.after.head_bytes, u(c[C_HEAD_A]));
	CHECK_U64(r.before.arena_bytes, u(c[C_ARENA_B]));
	CHECK_U64(r.after.arena_bytes, u(c[C_ARENA_A]));
	CHECK_U64(r.before.macs, u(c[C_MACS_B]));
	CHECK_U64(r.after.macs, u(c[C_MACS_A]));
	if (r.patches_done) {
		char grid[128];
		size_t n = 0;
		uint32_t i;
		grid[0] = '\0';
		for (i = 0; i < r.n_patch_stages && i < TFIT_OPTIMIZE_MAX_STAGES; i++)
			n += (size_t)snprintf(grid + n, sizeof(grid) - n, "%s%ux%u ops %u-%u",
					      i ? "; " : "", r.patch[i].rows, r.patch[i].cols,
					      r.patch[i].first_op, r.patch[i].last_op);
		CHECK_STR(c[C_PATCHES], grid);
	} else {
		CHECK_STR(c[C_PATCHES], "-");
	}
	/* every model tinyfit accepts ran on TFLM (both builds register every
	 * operator of the shared models); where the in-process arena search
	 * crashed (TFLM faults in some too small arenas: tools/tflm-verify/
	 * README.md), the row says so and how the arenas were found instead */
	CHECK_STR(c[C_OK], "yes");
	if (strcmp(c[C_OK], "yes") != 0) {
		fprintf(stderr, "%s: not run on TFLM (%s)\n", c[C_MODEL], c[C_NOTE]);
		tfit_optimize_result_release(&r);
		free(data);
		return 1;
	}
	CHECK(strcmp(c[C_NOTE], "-") == 0 ||
	      strncmp(c[C_NOTE], "in-process arena search crashed (exit status ", 45) == 0);
	(*verified)++;
	/* = what TFLM planned, original and optimised */
	CHECK_U64(r.before.head_bytes, u(c[C_TH_O]));
	CHECK_U64(r.after.head_bytes, u(c[C_TH_P]));
	(*patched) += r.patches_done;
	truth = truth_min_arena(c[C_MODEL]);
	if (arm32) {
		/* the 32-bit build: the original's smallest arena is TFLM-TRUTH.md's
		 * (which validates the build), and tinyfit's kTensorArenaSize is
		 * TFLM's, before and after, rewritten or not */
		if (truth)
			CHECK_U64(u(c[C_MIN_O]), truth);
		CHECK_U64(r.before.arena_bytes, u(c[C_MIN_O]));
		CHECK_U64(r.after.arena_bytes, u(c[C_MIN_P]));
	}
	if (r.patches_done) {
		/* a rewritten graph: more ops and tensors, so a larger tail, which
		 * this 64-bit host build cannot compare with tinyfit's 32-bit one;
		 * TFLM allocated it in its smallest arena and the outputs are
		 * byte-identical (below) */
		CHECK(u(c[C_TT_P]) > u(c[C_TT_O]));
		CHECK(r.after.tail_bytes > r.before.tail_bytes);
		CHECK(r.after.macs > r.before.macs);
		goto outputs;
	}
	/* the plan changes the head only: TFLM's arena shrinks by tinyfit's saving */
	CHECK_U64(u(c[C_TT_O]), u(c[C_TT_P]));
	CHECK_U64(u(c[C_USED_O]) - u(c[C_USED_P]), r.before.arena_bytes - r.after.arena_bytes);
	CHECK_U64(u(c[C_MIN_O]) - u(c[C_MIN_P]), r.before.arena_bytes - r.after.arena_bytes);
	/* kTensorArenaSize of the optimised model = TFLM's 32-bit arena of it */
	if (truth && !arm32) {
		CHECK_U64(r.before.arena_bytes, truth);
		CHECK_U64(r.after.arena_bytes, truth - (u(c[C_MIN_O]) - u(c[C_MIN_P])));
	}
outputs:
	/* Invoke() ran and the outputs were byte-identical on every input */
	CHECK(u(c[C_INPUTS]) >= (arm32 ? 1u : 5u));
	CHECK_U64(u(c[C_INVOKED]), u(c[C_INPUTS]));
	CHECK_U64(u(c[C_IDENT]), u(c[C_INPUTS]));
	tfit_optimize_result_release(&r);
	free(data);
	return 1;
}

/* One results file (tflm-host.tsv: x86-64; tflm-arm32.tsv: 32-bit Arm under
 * qemu-arm); counts into the totals. */
#define MAX_ROWS 64

/* The model names of one results file, in file order. */
struct names {
	char name[MAX_ROWS][128];
	int n;
};

static void check_file(const char *name, const struct tfit_runtime *rt, int arm32, int *rows,
		       int *ran, int *verified, int *patched, int *vww_int8, int *vww_float,
		       int *mnv2, struct names *models)
{
	FILE *f = fopen(name, "r");
	char line[4096];
	char *c[NCOL];
	int i, n;
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fgets(line, sizeof(line), f) != NULL);
	CHECK(split(line, c) == NCOL);
	for (i = 0; i < NCOL; i++)
		CHECK_STR(c[i], header[i]);
	while (fgets(line, sizeof(line), f)) {
		if ((n = split(line, c)) != NCOL) {
			CHECK_U64(n, NCOL);
			continue;
		}
		(*rows)++;
		CHECK(models->n < MAX_ROWS);
		if (models->n < MAX_ROWS)
			snprintf(models->name[models->n++], sizeof(models->name[0]), "%s", c[C_MODEL]);
		if (!check_row(c, rt, arm32, verified, patched))
			continue;
		(*ran)++;
		/* the target model: its optimised plan ran on TFLM */
		if (strcmp(c[C_MODEL], "vww_96_int8.tflite") == 0)
			*vww_int8 += strcmp(c[C_WRITTEN], "yes") == 0 && strcmp(c[C_OK], "yes") == 0;
		if (strcmp(c[C_MODEL], "vww_96_float.tflite") == 0)
			*vww_float += strcmp(c[C_WRITTEN], "yes") == 0 && strcmp(c[C_OK], "yes") == 0;
		/* the patch target: MobileNetV2 224 rewritten, run on TFLM,
		 * its head (TFLM's) at least 4x smaller for at most +15% MACs */
		if (strcmp(c[C_MODEL], MNV2) == 0 && strcmp(c[C_OK], "yes") == 0 &&
		    strcmp(c[C_PATCHES], "-") != 0) {
			(*mnv2)++;
			CHECK(u(c[C_TH_P]) * 4 <= u(c[C_TH_O]));
			CHECK(u(c[C_MACS_A]) * 100 <= u(c[C_MACS_B]) * 115);
		}
	}
	fclose(f);
}

int main(void)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	int rows = 0, ran = 0, verified = 0, patched = 0;
	int vww_int8 = 0, vww_float = 0, mnv2 = 0, i;
	static struct names host, arm;
	CHECK(tfit_runtime_load(TFIT_SOURCE_DIR "/data", "tflm", &rt, &err) == TFIT_OK);
	if (!rt)
		return tfit_test_finish();
	check_file(RESULTS "tflm-host.tsv", rt, 0, &rows, &ran, &verified, &patched, &vww_int8,
		   &vww_float, &mnv2, &host);
	check_file(RESULTS "tflm-arm32.tsv", rt, 1, &rows, &ran, &verified, &patched, &vww_int8,
		   &vww_float, &mnv2, &arm);
	/* both builds ran the same models */
	CHECK_U64(host.n, arm.n);
	for (i = 0; i < host.n && i < arm.n; i++)
		CHECK_STR(host.name[i], arm.name[i]);
	tfit_runtime_free(rt);
	printf("%d recorded rows (x86-64 and arm32), %d present, %d run by TFLM, %d of them "
	       "patched\n", rows, ran, verified, patched);
	CHECK(rows >= 60);
	if (!ran)
		return 77; /* ../shared absent */
	/* on both builds */
	CHECK(vww_int8 == 2 || !present("vww_96_int8.tflite"));
	CHECK(vww_float == 2 || !present("vww_96_float.tflite"));
	CHECK(mnv2 == 2 || !present(MNV2));
	return tfit_test_finish();
}

/*
 * The done-criterion, recomputed from the data files: every row of
 * ../shared/reference/latency-calibration.csv (MLPerf Tiny closed division)
 * estimated through tinyfit's own reader (the real .tflite models) and the
 * shipped cost tables (data/cost/), with each system mapped by
 * data/cost/calibration-systems.json. Asserts the median absolute error is
 * at most 15% and no point is off by more than 40%, except the points of a
 * system whose firmware ran other kernels than the ones TFLM pins today
 * (its kernels_ran: tools/kernel-cycles measured them, and fit_cpu.py fits
 * the CPI on that code): tinyfit estimates today's kernels for them, so
 * their error is the version's, reported and counted in the median but not
 * bounded (the NUCLEO-L4R5ZI's TensorFlow v2.3.1 ran 1.28-1.71x the
 * instructions; docs/kernel-cost.md, "The kernels a point ran").
 */
#define _POSIX_C_SOURCE 200809L
#include "tfit_test.h"
#include "tinyfit/cost.h"
#include "tinyfit/fileio.h"
#include "tinyfit/model_io.h"
#include "util/json_util.h"

#include <stdlib.h>

#define MAX_FIELDS 32
#define MAX_POINTS 1024

/* Split one CSV record (RFC 4180 quotes) in place; returns the field count. */
static int csv_split(char *line, char **f, int max)
{
	int n = 0;
	char *r = line, *w = line;
	while (n < max) {
		int quoted = *r == '"';
		f[n++] = w;
		if (quoted)
			r++;
		while (*r) {
			if (quoted && r[0] == '"' && r[1] == '"') {
				*w++ = '"';
				r += 2;
			} else if (quoted && *r == '"') {
				quoted = 0;
				r++;
			} else if (!quoted && (*r == ',' || *r == '\n' || *r == '\r')) {
				break;
			} else {
				*w++ = *r++;
			}
		}
		if (*r != ',') {
			*w = '\0';
			break;
		}
		*w = '\0';
		r++;
		w = r; /* the next field is written where it is read */
	}
	return n;
}

static int col(char **hdr, int n, const char *name)
{
	int i;
	for (i = 0; i < n; i++)
		if (strcmp(hdr[i], name) == 0)
			return i;
	return -1;
}

struct model_slot {
	const char *bench;
	struct tfit_model *int8, *f32;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static const cJSON *find_system(const cJSON *systems, const char *src)
{
	const cJSON *s;
	cJSON_ArrayForEach(s, systems) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(s, "system");
		if (cJSON_IsString(k) && strcmp(k->valuestring, src) == 0)
			return s;
	}
	return NULL;
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

int main(void)
{
	struct tfit_cost_db db;
	struct tfit_error err;
	char *map_text = NULL, *csv = NULL, *line, *save = NULL;
	size_t map_len = 0, csv_len = 0;
	cJSON *map = NULL;
	const cJSON *systems, *models;
	struct model_slot slots[4] = { { "kws", 0, 0 }, { "ic", 0, 0 }, { "ad", 0, 0 }, { "vww", 0, 0 } };
	char *hdr[MAX_FIELDS];
	int nh = 0, c_src, c_bench, c_var, c_lat, c_mcu, i;
	double *errs;
	size_t n = 0, over15 = 0, n_ran = 0;
	double worst = 0, worst_ran = 0;

	if (!tfit_test_have_shared())
		return 77; /* before any allocation: LeakSanitizer would fail the skip */
	errs = calloc(MAX_POINTS, sizeof(double));
	tfit_error_clear(&err);
	CHECK(errs != NULL);
	CHECK(tfit_cost_db_load(TFIT_SOURCE_DIR "/data", &db, &err) == TFIT_OK);
	CHECK(tfit_file_read(TFIT_SOURCE_DIR "/data/cost/calibration-systems.json", 1u << 24,
			     &map_text, &map_len, &err) == TFIT_OK);
	CHECK(map_text && tfit_json_parse(map_text, map_len, "calibration-systems.json", &map, &err) == TFIT_OK);
	CHECK(tfit_file_read(TFIT_SHARED_DIR "/reference/latency-calibration.csv", 1u << 24, &csv,
			     &csv_len, &err) == TFIT_OK);
	if (!map || !csv || !errs)
		return tfit_test_finish();
	systems = cJSON_GetObjectItemCaseSensitive(map, "systems");
	models = cJSON_GetObjectItemCaseSensitive(map, "models");
	for (i = 0; i < 4; i++) {
		char path[1024];
		const char *f = str_of(models, slots[i].bench);
		snprintf(path, sizeof(path), TFIT_SHARED_DIR "/models/%s", f ? f : "?");
		CHECK(tfit_model_load(path, NULL, &slots[i].int8, &err) == TFIT_OK);
		CHECK(tfit_model_load(path, NULL, &slots[i].f32, &err) == TFIT_OK);
		if (slots[i].f32)
			CHECK(tfit_model_convert_dtype(slots[i].f32, TFIT_DTYPE_FLOAT32, &err) == TFIT_OK);
	}

	line = strtok_r(csv, "\n", &save);
	if (line)
		nh = csv_split(line, hdr, MAX_FIELDS);
	c_src = col(hdr, nh, "system_source");
	c_bench = col(hdr, nh, "benchmark");
	c_var = col(hdr, nh, "model_variant");
	c_lat = col(hdr, nh, "latency_ms");
	c_mcu = col(hdr, nh, "mcu");
	CHECK(c_src >= 0 && c_bench >= 0 && c_var >= 0 && c_lat >= 0);
	while (c_src >= 0 && (line = strtok_r(NULL, "\n", &save)) != NULL && n < MAX_POINTS) {
		char *f[MAX_FIELDS];
		int nf = csv_split(line, f, MAX_FIELDS);
		const cJSON *s, *vd;
		struct tfit_cost_target t;
		struct tfit_cost_result r;
		const char *dtype, *fpu, *runtime;
		const struct model_slot *slot = NULL;
		double measured, e;
		if (nf <= c_lat || !f[c_lat][0])
			continue;
		s = find_system(systems, f[c_src]);
		CHECK(s != NULL);
		if (!s) {
			fprintf(stderr, "unmapped system %s\n", f[c_src]);
			continue;
		}
		for (i = 0; i < 4; i++)
			if (strcmp(slots[i].bench, f[c_bench]) == 0)
				slot = &slots[i];
		CHECK(slot != NULL);
		if (!slot || !slot->int8 || !slot->f32)
			continue;
		dtype = str_of(s, "dtype");
		vd = cJSON_GetObjectItemCaseSensitive(s, "variant_dtypes");
		if (vd && str_of(vd, f[c_var]))
			dtype = str_of(vd, f[c_var]);
		memset(&t, 0, sizeof(t));
		t.core_id = str_of(s, "core");
		t.family = str_of(s, "family");
		t.clock_mhz = cJSON_GetObjectItemCaseSensitive(s, "clock_mhz")->valuedouble;
		fpu = str_of(s, "fpu");
		t.fpu = fpu && strcmp(fpu, "none") == 0 ? TFIT_FPU_NONE : TFIT_FPU_SP;
		t.name = str_of(s, "label");
		runtime = str_of(s, "runtime");
		/* the chip picks its flash wait states (cost/flash.json); HALE's
		 * max-performance variant copies its weights to RAM */
		if (c_mcu >= 0 && nf > c_mcu && !strstr(runtime, "max-performance"))
			t.mcu = f[c_mcu];
		if (tfit_cost_estimate_target(&db, dtype && strcmp(dtype, "float32") == 0 ? slot->f32
											  : slot->int8,
					      &t, runtime, &r, &err) != TFIT_OK) {
			fprintf(stderr, "%s: %s\n", t.name, err.message);
			CHECK(0);
			continue;
		}
		measured = strtod(f[c_lat], NULL);
		e = fabs(r.latency_ms - measured) / measured;
		errs[n++] = e;
		if (e > 0.15)
			over15++;
		if (str_of(s, "kernels_ran")) {
			/* estimated for today's kernels, measured on the ones it ran */
			n_ran++;
			if (e > worst_ran)
				worst_ran = e;
		} else if (e > worst) {
			worst = e;
		}
		if (e > 0.40)
			fprintf(stderr, "%s %s (%s): estimate %.3f ms, measured %.3f ms\n", t.name,
				f[c_bench], runtime, r.latency_ms, measured);
		tfit_cost_result_release(&r);
	}
	CHECK_U64(n, 216);
	qsort(errs, n, sizeof(double), cmp_double);
	if (n) {
		double median = (errs[n / 2] + errs[(n - 1) / 2]) / 2;
		printf("%zu calibration points: median absolute error %.2f%%, largest %.2f%%, %zu above 15%%\n",
		       n, median * 100, worst * 100, over15);
		printf("%zu of them on firmware that ran other kernels (kernels_ran): largest %.2f%%, "
		       "not bounded\n", n_ran, worst_ran * 100);
		CHECK(median <= 0.15);
		CHECK(worst <= 0.40);
	}
	for (i = 0; i < 4; i++) {
		tfit_model_free(slots[i].int8);
		tfit_model_free(slots[i].f32);
	}
	cJSON_Delete(map);
	free(map_text);
	free(csv);
	free(errs);
	tfit_cost_db_release(&db);
	return tfit_test_finish();
}

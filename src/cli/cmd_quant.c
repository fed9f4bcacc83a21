/*
 * cmd_quant.c - `tinyfit quant`: the course's quantization formulas beside
 * TFLite's two int8 schemes for one float range (--range), or the
 * per-tensor quantization report of a model (docs/quantization.md). Parse
 * the options into a request, run tfit_quant_run() (engine.h), render
 * tfit_render_quant() (quant_report.h), write.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "commands.h"
#include "tinyfit/engine.h"
#include "tinyfit/quant_report.h"

static const struct tfit_optdef quant_opts[] = {
	{ "range", 'r', 1, "MIN,MAX", "the float range to quantize, e.g. -0.5,0.8" },
	{ "value", 'w', 1, "W", "with --range: a value to quantize and reconstruct" },
	{ "bits", 'b', 1, "BITS", "with --range: 8 (default), 16 or 4" },
	{ "method", 'm', 1, "METHOD", "with --range: textbook, tflite-activation, tflite-weight or all (default)" },
	TFIT_CLI_MODEL_FILE_OPTS,
	TFIT_CLI_COMMON_OPTS,
	TFIT_OPT_END
};

/*
 * A real number, strictly: optional sign, decimal digits with an optional
 * point and exponent; no spaces, hex, inf or nan. 0 or -1.
 */
static int parse_real(const char *s, double *out)
{
	const char *p = s;
	char *end;
	int digits = 0;
	if (*p == '+' || *p == '-')
		p++;
	while (isdigit((unsigned char)*p) || *p == '.') {
		digits += isdigit((unsigned char)*p) != 0;
		p++;
	}
	if (!digits)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end || errno == ERANGE || !isfinite(*out))
		return -1;
	return 0;
}

/* Read --range/--value/--bits/--method into req; 0 or an exit code. */
static int parse_range(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
		       struct tfit_quant_run_request *run)
{
	struct tfit_quant_request *req = &run->quant;
	const char *range = tfit_args_get(args, "range");
	const char *value = tfit_args_get(args, "value");
	const char *bits = tfit_args_get(args, "bits");
	const char *method = tfit_args_get(args, "method");
	const char *comma = strchr(range, ',');
	char lo[128];
	struct tfit_error err;
	size_t n;

	memset(req, 0, sizeof(*req));
	req->bits = 8;
	n = comma ? (size_t)(comma - range) : 0;
	if (!comma || strchr(comma + 1, ',') || n >= sizeof(lo))
		return tfit_cli_usage_error(ctx, "quant", "--range: expected MIN,MAX (two numbers "
					    "separated by a comma, e.g. -0.5,0.8), got '%s'", range);
	memcpy(lo, range, n);
	lo[n] = '\0';
	if (parse_real(lo, &req->range_min) != 0 || parse_real(comma + 1, &req->range_max) != 0)
		return tfit_cli_usage_error(ctx, "quant", "--range: expected MIN,MAX as two finite "
					    "decimal numbers (e.g. -0.5,0.8), got '%s'", range);
	if (value) {
		if (parse_real(value, &req->value) != 0)
			return tfit_cli_usage_error(ctx, "quant", "--value: expected a finite decimal "
						    "number, got '%s'", value);
		req->has_value = 1;
	}
	if (bits) {
		if (strcmp(bits, "4") == 0)
			req->bits = 4;
		else if (strcmp(bits, "8") == 0)
			req->bits = 8;
		else if (strcmp(bits, "16") == 0)
			req->bits = 16;
		else
			return tfit_cli_usage_error(ctx, "quant", "--bits: expected 4, 8 or 16, got '%s'", bits);
	}
	/* the range itself before --method (the order of the messages) */
	tfit_error_clear(&err);
	if (tfit_quant_check_request(req, &err) != TFIT_OK)
		return tfit_cli_usage_error(ctx, "quant", "%s", err.message);
	run->range = 1;
	run->all_methods = !method || strcmp(method, "all") == 0;
	if (!run->all_methods && tfit_quant_method_parse(method, &run->method) != 0)
		return tfit_cli_usage_error(ctx, "quant", "--method: unknown method '%s' (expected "
					    "textbook, tflite-activation, tflite-weight or all)", method);
	return 0;
}

int tfit_cmd_quant(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_quant_run_request req;
	struct tfit_quant_run_result res;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	struct tfit_render_opts ro;
	enum tfit_format fmt;
	int rc = TFIT_EXIT_ERROR, range;

	tfit_error_clear(&err);
	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	if (tfit_args_parse(&args, quant_opts, argc, argv, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "quant", "%s", err.message);
		goto out;
	}
	if (tfit_args_count(&args, "help")) {
		tfit_cli_print_help(ctx->out,
			"tinyfit quant --range MIN,MAX [--value W] [--bits 8|16|4] [--method M]\n"
			"       tinyfit quant MODEL [--dtype int8] [options]",
			"With --range: the scale, zero point, representable range and clipped share of\n"
			"a float range, and a value quantized and reconstructed, under the course's\n"
			"formulas (textbook: S = (max-min)/255, Z = -round(min/S), q clipped to\n"
			"-128..127), TFLite's asymmetric activations (Z = -128 - round(min/S), range\n"
			"nudged so 0.0 is exact) and its symmetric per-channel weights (Z = 0,\n"
			"S = max|w|/127), side by side with why they differ.\n"
			"With a MODEL: each tensor's dtype, scale(s) and zero point(s), the float\n"
			"range it can represent, its step and worst rounding error, and findings\n"
			"(asymmetric weights, per-channel scale spread, float ops left in an int8\n"
			"model, hybrid ops, int16 activations and their kernels, mismatched ranges).\n"
			"A JSON/Keras model, or --dtype int8, shows the scheme each tensor would get.\n"
			"Exit code 1 when a finding is an error (TFLM fails or computes wrong).\n"
			"See docs/quantization.md.",
			quant_opts);
		rc = TFIT_EXIT_OK;
		goto out;
	}
	if (tfit_cli_get_format(&args, (1u << TFIT_FORMAT_TEXT) | (1u << TFIT_FORMAT_MARKDOWN) |
				(1u << TFIT_FORMAT_CSV) | (1u << TFIT_FORMAT_JSON) | (1u << TFIT_FORMAT_HTML),
				&fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "quant", "%s", err.message);
		goto out;
	}
	range = tfit_args_get(&args, "range") != NULL;
	if (range && args.n_positional) {
		rc = tfit_cli_usage_error(ctx, "quant", "give either --range MIN,MAX or a MODEL, not both");
		goto out;
	}
	if (!range) {
		if (tfit_args_get(&args, "value") || tfit_args_get(&args, "bits") ||
		    tfit_args_get(&args, "method")) {
			rc = tfit_cli_usage_error(ctx, "quant", "--value, --bits and --method need --range MIN,MAX");
			goto out;
		}
		if (args.n_positional != 1) {
			rc = args.n_positional ?
			     tfit_cli_usage_error(ctx, "quant", "expected one MODEL, got %zu", args.n_positional) :
			     tfit_cli_usage_error(ctx, "quant", "missing --range MIN,MAX or a MODEL");
			goto out;
		}
	} else if (tfit_args_get(&args, "dtype")) {
		rc = tfit_cli_usage_error(ctx, "quant", "--dtype applies to a MODEL, not to --range (use --bits)");
		goto out;
	}
	if (range)
		rc = parse_range(ctx, &args, &req);
	else
		rc = tfit_cli_model_request(ctx, "quant", &args, args.positional[0], &req.model);
	if (rc != 0)
		goto out;

	/* run */
	rc = TFIT_EXIT_ERROR;
	if (tfit_quant_run(&req, &res, &err) != TFIT_OK) {
		if (!range)
			tfit_cli_model_warnings(ctx, &req.model, res.model);
		rc = tfit_cli_engine_fail(ctx, "quant", res.usage_error, &err);
		goto out;
	}
	if (!range)
		tfit_cli_model_warnings(ctx, &req.model, res.model);

	/* render, write */
	tfit_cli_render_opts(ctx, &args, &ro);
	tfit_render_quant(&res.report, fmt, &ro, &out);
	if (tfit_cli_emit(ctx, &args, &out, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	/* exit 1 when a finding is an error (TFLM fails or computes wrong) */
	rc = res.verdict == TFIT_VERDICT_FITS ? TFIT_EXIT_OK : TFIT_EXIT_NOFIT;
out:
	tfit_quant_run_result_release(&res);
	tfit_strbuf_release(&out);
	tfit_args_release(&args);
	return rc;
}

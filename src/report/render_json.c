/*
 * render_json.c - the versioned JSON documents (docs/output.md). Built with
 * cJSON (STYLE.md allows it in the JSON renderer); integers are emitted as
 * raw text so that 64-bit byte counts stay exact.
 */
#include "json_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/report.h"

static void add(cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !cJSON_AddItemToObject(obj, key, item))
		cJSON_Delete(item);
}

void tfit_jo_u64(cJSON *obj, const char *key, uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	add(obj, key, cJSON_CreateRaw(buf));
}

void tfit_jo_i64(cJSON *obj, const char *key, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	add(obj, key, cJSON_CreateRaw(buf));
}

void tfit_jo_num(cJSON *obj, const char *key, double v, int decimals)
{
	char buf[64];
	if (v != v || v > 1e300 || v < -1e300) {
		add(obj, key, cJSON_CreateNull());
		return;
	}
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	add(obj, key, cJSON_CreateRaw(buf));
}

void tfit_jo_str(cJSON *obj, const char *key, const char *s)
{
	add(obj, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

void tfit_jo_bool(cJSON *obj, const char *key, int v)
{
	add(obj, key, cJSON_CreateBool(v));
}

cJSON *tfit_jo_document(const char *command)
{
	cJSON *doc = cJSON_CreateObject();
	if (!doc)
		return NULL;
	tfit_jo_u64(doc, "schema_version", TFIT_JSON_SCHEMA_VERSION);
	tfit_jo_str(doc, "tinyfit_version", TFIT_VERSION);
	tfit_jo_str(doc, "command", command);
	return doc;
}

static cJSON *shape_array(const struct tfit_tensor *t)
{
	cJSON *a = cJSON_CreateArray();
	int32_t i;
	for (i = 0; a && t && i < t->rank; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%lld", (long long)t->dims[i]);
		cJSON_AddItemToArray(a, cJSON_CreateRaw(buf));
	}
	return a;
}

cJSON *tfit_jo_model(const struct tfit_model *m, int with_layers)
{
	cJSON *mo = cJSON_CreateObject();
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t i;
	if (!mo)
		return NULL;
	tfit_jo_str(mo, "name", m->name);
	tfit_jo_str(mo, "path", m->path);
	tfit_jo_str(mo, "format", tfit_model_format_name(m->format));
	tfit_jo_str(mo, "dtype", tfit_dtype_name(m->dtype));
	tfit_jo_u64(mo, "params", m->params);
	tfit_jo_u64(mo, "deployed_params", m->deployed_params);
	tfit_jo_u64(mo, "macs", m->macs);
	tfit_jo_u64(mo, "weights_bytes", m->weights_bytes);
	tfit_jo_u64(mo, "ops", sg->n_ops);
	tfit_jo_u64(mo, "tensors", sg->n_tensors);
	if (m->file_bytes)
		tfit_jo_u64(mo, "file_bytes", m->file_bytes);
	{
		cJSON *w = cJSON_CreateArray();
		for (i = 0; w && i < m->n_warnings; i++)
			cJSON_AddItemToArray(w, cJSON_CreateString(m->warnings[i]));
		add(mo, "warnings", w);
	}
	if (with_layers) {
		cJSON *layers = cJSON_CreateArray();
		for (i = 0; layers && i < sg->n_ops; i++) {
			const struct tfit_op *op = &sg->ops[i];
			const struct tfit_tensor *o = op->n_outputs && op->outputs[0] >= 0 ?
						      &sg->tensors[op->outputs[0]] : NULL;
			cJSON *lo = cJSON_CreateObject();
			char buf[256];
			if (!lo)
				break;
			tfit_jo_u64(lo, "index", i);
			tfit_jo_str(lo, "name", op->name ? op->name : (o ? o->name : NULL));
			tfit_jo_str(lo, "type", tfit_op_display_type(op, buf, sizeof(buf)));
			add(lo, "output_shape", shape_array(o));
			tfit_jo_str(lo, "output_dtype", o ? tfit_dtype_name(o->dtype) : NULL);
			tfit_jo_u64(lo, "params", op->params);
			tfit_jo_u64(lo, "source_params", op->source_params);
			tfit_jo_u64(lo, "macs", op->macs);
			tfit_jo_u64(lo, "elem_ops", op->elem_ops);
			tfit_jo_u64(lo, "weights_bytes", op->weights_bytes);
			tfit_jo_u64(lo, "output_bytes", op->output_bytes);
			cJSON_AddItemToArray(layers, lo);
		}
		add(mo, "layers", layers);
	}
	return mo;
}

void tfit_jo_finish(cJSON *doc, struct tfit_strbuf *out)
{
	char *text;
	if (!doc) {
		out->oom = 1;
		return;
	}
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text) {
		out->oom = 1;
		return;
	}
	tfit_strbuf_puts(out, text);
	tfit_strbuf_putc(out, '\n');
	free(text);
}

void tfit_render_layers_json(const struct tfit_model *m, struct tfit_strbuf *out)
{
	cJSON *doc = tfit_jo_document("layers");
	if (doc) {
		add(doc, "model", tfit_jo_model(m, 1));
		add(doc, "results", cJSON_CreateArray());
	}
	tfit_jo_finish(doc, out);
}

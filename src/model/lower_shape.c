/*
 * lower_shape.c - small helpers every layer builder uses: shapes of
 * tensors (copied, since tensor pointers move as tensors are added), the
 * layer's output tensors, a RESHAPE, and the layer's own activation
 * (lower_ctx.h).
 */
#include "lower_ctx.h"

#include <stdio.h>
#include <string.h>

void tfit_lower_shape_of(const struct lower_ctx *c, int32_t t, struct lower_shape *s)
{
	s->rank = c->sg->tensors[t].rank;
	tfit_tensor_copy_dims(&c->sg->tensors[t], s->d);
}

/* "49x10x1": the shape without the batch dimension, as users write it. */
const char *tfit_lower_shape_str(const struct lower_shape *s, char *buf, size_t size)
{
	size_t len = 0;
	int32_t i;
	buf[0] = '\0';
	if (s->rank <= 1) {
		snprintf(buf, size, "%s", s->rank == 0 ? "scalar" : "(batch only)");
		return buf;
	}
	for (i = 1; i < s->rank && len + 24 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%lld", i > 1 ? "x" : "",
					(long long)s->d[i]);
	return buf;
}

enum tfit_status tfit_lower_need_rank(struct lower_ctx *c, const struct lower_shape *s, int32_t rank,
				  const char *what)
{
	char buf[128];
	if (s->rank == rank)
		return TFIT_OK;
	return tfit_lower_fail(c, "inputs", "%s expects a %d-D input (%s, batch excluded), got %s",
			  tfit_layer_types[c->layer->type].name, rank - 1, what,
			  tfit_lower_shape_str(s, buf, sizeof(buf)));
}

/* Output tensor named after the layer. */
int32_t tfit_lower_out_tensor(struct lower_ctx *c, const struct lower_dtypes *dt, const struct lower_shape *s)
{
	return tfit_lower_act(c, c->layer->name, dt->act, dt->quantized, s->rank, s->d);
}

int32_t tfit_lower_named_tensor(struct lower_ctx *c, const char *suffix,
			    const struct lower_dtypes *dt, const struct lower_shape *s)
{
	char name[512];
	snprintf(name, sizeof(name), "%.400s/%.100s", c->layer->name, suffix);
	return tfit_lower_act(c, name, dt->act, dt->quantized, s->rank, s->d);
}


/* Shape [1, rest...] built from a list. */
void tfit_lower_mk(struct lower_shape *s, int32_t rank, const int64_t *d)
{
	int32_t i;
	s->rank = rank;
	for (i = 0; i < rank; i++)
		s->d[i] = d[i];
}

/* RESHAPE x to shape s (with a const int32 shape input). */
int32_t tfit_lower_reshape_to(struct lower_ctx *c, int32_t x, const struct lower_shape *s, const char *suffix,
			  const struct lower_dtypes *dt, int named_output)
{
	int32_t ins[2], out;
	char cfg[64];
	snprintf(cfg, sizeof(cfg), "%s_shape", suffix);
	ins[0] = x;
	ins[1] = tfit_lower_config(c, cfg, s->rank);
	if (ins[1] < 0)
		return -1;
	out = named_output ? tfit_lower_out_tensor(c, dt, s) : tfit_lower_named_tensor(c, suffix, dt, s);
	if (out < 0 || tfit_lower_op(c, TFIT_OP_RESHAPE, ins, 2, out, NULL) < 0)
		return -1;
	return out;
}

enum tfit_status tfit_lower_finish(struct lower_ctx *c, int32_t op, int32_t t,
			       const struct lower_dtypes *dt)
{
	t = tfit_lower_activation(c, op, t, c->layer->activation, c->layer->alpha, dt);
	if (t < 0)
		return c->err->code ? c->err->code : TFIT_ERR_NOMEM;
	/* the op that wrote t (for later folding/fusing) */
	tfit_lower_set_output(c, t, (int32_t)c->sg->n_ops - 1);
	return TFIT_OK;
}

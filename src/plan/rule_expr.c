/* rule_expr.c - compile and evaluate runtime-profile expressions (rule_expr.h). */
#include "rule_expr.h"
#include "rule_expr_nodes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPR_MAX_DEPTH 64
#define EXPR_MAX_TEXT 4096

static const struct { const char *name; enum op_var var; } op_vars[] = {
	{ "n_in", V_N_IN }, { "n_out", V_N_OUT },
	{ "stride_h", V_STRIDE_H }, { "stride_w", V_STRIDE_W },
	{ "dil_h", V_DIL_H }, { "dil_w", V_DIL_W },
	{ "filter_h", V_FILTER_H }, { "filter_w", V_FILTER_W },
	{ "depth_mult", V_DEPTH_MULT }, { "pad_same", V_PAD_SAME },
	{ "act", V_ACT }, { "units", V_UNITS }, { "svdf_rank", V_SVDF_RANK },
	{ "time_major", V_TIME_MAJOR }, { "axis", V_AXIS },
};

static const struct { const char *name; enum tfit_dtype t; } dtype_consts[] = {
	{ "f32", TFIT_DTYPE_FLOAT32 }, { "f16", TFIT_DTYPE_FLOAT16 },
	{ "bf16", TFIT_DTYPE_BFLOAT16 }, { "f64", TFIT_DTYPE_FLOAT64 },
	{ "i4", TFIT_DTYPE_INT4 }, { "i8", TFIT_DTYPE_INT8 }, { "u8", TFIT_DTYPE_UINT8 },
	{ "i16", TFIT_DTYPE_INT16 }, { "u16", TFIT_DTYPE_UINT16 },
	{ "i32", TFIT_DTYPE_INT32 }, { "u32", TFIT_DTYPE_UINT32 },
	{ "i64", TFIT_DTYPE_INT64 }, { "u64", TFIT_DTYPE_UINT64 },
	{ "bool8", TFIT_DTYPE_BOOL },
};

static const struct { const char *name; enum tensor_field f; uint32_t dim; } tensor_fields[] = {
	{ "present", F_PRESENT, 0 }, { "type", F_TYPE, 0 }, { "const", F_CONST, 0 },
	{ "var", F_VAR, 0 }, { "rank", F_RANK, 0 }, { "elems", F_ELEMS, 0 },
	{ "bytes", F_BYTES, 0 }, { "qch", F_QCH, 0 }, { "qdim", F_QDIM, 0 },
	{ "last", F_LAST, 0 }, { "h", F_DIM, 1 }, { "w", F_DIM, 2 }, { "c", F_DIM, 3 },
};

struct parser {
	const char *s;
	size_t pos;
	int depth;
	const char *file, *path;
	struct tfit_error *err;
	enum tfit_status st;
};

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	node_free(n->c);
	free(n);
}

static struct node *fail(struct parser *p, enum tfit_status code, const char *what)
{
	if (p->st == TFIT_OK)
		p->st = tfit_error_set(p->err, code, p->file, p->path,
				       "%s at column %zu of '%s'", what, p->pos + 1, p->s);
	return NULL;
}

static struct node *mk(struct parser *p, enum node_kind k, struct node *a,
		       struct node *b, struct node *c)
{
	struct node *n = calloc(1, sizeof(*n));
	if (!n) {
		node_free(a);
		node_free(b);
		node_free(c);
		if (p->st == TFIT_OK)
			p->st = tfit_error_set(p->err, TFIT_ERR_NOMEM, p->file, p->path,
					       "out of memory");
		return NULL;
	}
	n->kind = k;
	n->a = a;
	n->b = b;
	n->c = c;
	return n;
}

static void skip_ws(struct parser *p)
{
	while (p->s[p->pos] && isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

/* Consume the operator tok if it is next (and not the start of a longer one). */
static int accept(struct parser *p, const char *tok)
{
	size_t n = strlen(tok);
	skip_ws(p);
	if (strncmp(p->s + p->pos, tok, n) != 0)
		return 0;
	/* "<" must not eat "<=", "!" must not eat "!=" */
	if (n == 1 && (tok[0] == '<' || tok[0] == '>' || tok[0] == '!') &&
	    p->s[p->pos + 1] == '=')
		return 0;
	p->pos += n;
	return 1;
}

static struct node *parse_expr(struct parser *p);

static struct node *parse_name(struct parser *p)
{
	char name[64];
	size_t start = p->pos, n = 0, i;
	struct node *node;
	while (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_') {
		if (n + 1 >= sizeof(name))
			return fail(p, TFIT_ERR_INPUT, "name too long");
		name[n++] = p->s[p->pos++];
	}
	name[n] = '\0';

	/* functions */
	{
		static const struct { const char *name; enum node_kind k; int args; } fns[] = {
			{ "max", N_MAX, 2 }, { "min", N_MIN, 2 }, { "align", N_ALIGN, 2 },
			{ "ceil_div", N_CEIL_DIV, 2 },
		};
		for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
			struct node *a, *b;
			if (strcmp(name, fns[i].name) != 0)
				continue;
			if (!accept(p, "("))
				return fail(p, TFIT_ERR_INPUT, "expected '(' after function name");
			a = parse_expr(p);
			if (!a)
				return NULL;
			if (!accept(p, ",")) {
				node_free(a);
				return fail(p, TFIT_ERR_INPUT, "expected ','");
			}
			b = parse_expr(p);
			if (!b) {
				node_free(a);
				return NULL;
			}
			if (!accept(p, ")")) {
				node_free(a);
				node_free(b);
				return fail(p, TFIT_ERR_INPUT, "expected ')'");
			}
			return mk(p, fns[i].k, a, b, NULL);
		}
	}
	for (i = 0; i < sizeof(dtype_consts) / sizeof(dtype_consts[0]); i++) {
		if (strcmp(name, dtype_consts[i].name) == 0) {
			node = mk(p, N_CONST, NULL, NULL, NULL);
			if (node)
				node->value = (int64_t)dtype_consts[i].t;
			return node;
		}
	}
	for (i = 0; i < sizeof(op_vars) / sizeof(op_vars[0]); i++) {
		if (strcmp(name, op_vars[i].name) == 0) {
			node = mk(p, N_VAR, NULL, NULL, NULL);
			if (node)
				node->var = op_vars[i].var;
			return node;
		}
	}
	/* in<K>_<field> / out<K>_<field> */
	{
		int is_out = strncmp(name, "out", 3) == 0;
		const char *q = name + (is_out ? 3 : 2);
		char *end;
		unsigned long k;
		if ((is_out || strncmp(name, "in", 2) == 0) && isdigit((unsigned char)*q)) {
			k = strtoul(q, &end, 10);
			if (*end == '_' && k < 1000) {
				const char *f = end + 1;
				for (i = 0; i < sizeof(tensor_fields) / sizeof(tensor_fields[0]); i++) {
					if (strcmp(f, tensor_fields[i].name) != 0)
						continue;
					node = mk(p, N_VAR, NULL, NULL, NULL);
					if (node) {
						node->is_tensor = 1;
						node->is_output = is_out;
						node->index = (uint32_t)k;
						node->field = tensor_fields[i].f;
						node->dim = tensor_fields[i].dim;
					}
					return node;
				}
				if (f[0] == 'd' && f[1] >= '0' && f[1] <= '7' && f[2] == '\0') {
					node = mk(p, N_VAR, NULL, NULL, NULL);
					if (node) {
						node->is_tensor = 1;
						node->is_output = is_out;
						node->index = (uint32_t)k;
						node->field = F_DIM;
						node->dim = (uint32_t)(f[1] - '0');
					}
					return node;
				}
			}
		}
	}
	p->pos = start;
	return fail(p, TFIT_ERR_INPUT, "unknown name");
}

static struct node *parse_primary(struct parser *p)
{
	struct node *n;
	skip_ws(p);
	if (++p->depth > EXPR_MAX_DEPTH)
		return fail(p, TFIT_ERR_LIMIT, "expression nested too deeply");
	if (accept(p, "(")) {
		n = parse_expr(p);
		if (n && !accept(p, ")")) {
			node_free(n);
			n = fail(p, TFIT_ERR_INPUT, "expected ')'");
		}
	} else if (accept(p, "-")) {
		struct node *a = parse_primary(p);
		n = a ? mk(p, N_NEG, a, NULL, NULL) : NULL;
	} else if (accept(p, "!")) {
		struct node *a = parse_primary(p);
		n = a ? mk(p, N_NOT, a, NULL, NULL) : NULL;
	} else if (isdigit((unsigned char)p->s[p->pos])) {
		int64_t v = 0;
		while (isdigit((unsigned char)p->s[p->pos])) {
			int d = p->s[p->pos] - '0';
			if (v > (INT64_MAX - d) / 10)
				return fail(p, TFIT_ERR_INPUT, "number too large");
			v = v * 10 + d;
			p->pos++;
		}
		n = mk(p, N_CONST, NULL, NULL, NULL);
		if (n)
			n->value = v;
	} else if (isalpha((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_') {
		n = parse_name(p);
	} else {
		n = fail(p, TFIT_ERR_INPUT, p->s[p->pos] ? "unexpected character"
							 : "unexpected end of expression");
	}
	p->depth--;
	return n;
}

/* Binary levels, loosest first (after ?:). */
static const struct level {
	const char *ops[4];
	enum node_kind kinds[4];
} levels[] = {
	{ { "||" }, { N_OR } },
	{ { "&&" }, { N_AND } },
	{ { "==", "!=" }, { N_EQ, N_NE } },
	{ { "<=", ">=", "<", ">" }, { N_LE, N_GE, N_LT, N_GT } },
	{ { "+", "-" }, { N_ADD, N_SUB } },
	{ { "*", "/", "%" }, { N_MUL, N_DIV, N_MOD } },
};
#define N_LEVELS (sizeof(levels) / sizeof(levels[0]))

static struct node *parse_level(struct parser *p, size_t lv)
{
	struct node *lhs;
	if (lv == N_LEVELS)
		return parse_primary(p);
	lhs = parse_level(p, lv + 1);
	while (lhs) {
		size_t i;
		int matched = 0;
		for (i = 0; i < 4 && levels[lv].ops[i]; i++) {
			struct node *rhs;
			/* "&&"/"||" are not "&"/"|"; "-" after a value is binary */
			if (!accept(p, levels[lv].ops[i]))
				continue;
			rhs = parse_level(p, lv + 1);
			if (!rhs) {
				node_free(lhs);
				return NULL;
			}
			lhs = mk(p, levels[lv].kinds[i], lhs, rhs, NULL);
			matched = 1;
			break;
		}
		if (!matched)
			break;
	}
	return lhs;
}

static struct node *parse_expr(struct parser *p)
{
	struct node *c, *a, *b;
	if (++p->depth > EXPR_MAX_DEPTH)
		return fail(p, TFIT_ERR_LIMIT, "expression nested too deeply");
	c = parse_level(p, 0);
	if (c && accept(p, "?")) {
		a = parse_expr(p);
		if (!a) {
			node_free(c);
			c = NULL;
		} else if (!accept(p, ":")) {
			node_free(c);
			node_free(a);
			c = fail(p, TFIT_ERR_INPUT, "expected ':'");
		} else {
			b = parse_expr(p);
			if (!b) {
				node_free(c);
				node_free(a);
				c = NULL;
			} else {
				c = mk(p, N_COND, c, a, b);
			}
		}
	}
	p->depth--;
	return c;
}

enum tfit_status tfit_rule_expr_compile(const char *text, const char *file,
					const char *path, struct tfit_rule_expr **out,
					struct tfit_error *err)
{
	struct parser p;
	struct tfit_rule_expr *e = NULL;
	struct node *root;
	size_t len = strlen(text);

	*out = NULL;
	if (len > EXPR_MAX_TEXT)
		return tfit_error_set(err, TFIT_ERR_LIMIT, file, path,
				      "expression longer than %d characters", EXPR_MAX_TEXT);
	memset(&p, 0, sizeof(p));
	p.s = text;
	p.file = file;
	p.path = path;
	p.err = err;
	p.st = TFIT_OK;
	root = parse_expr(&p);
	if (root) {
		skip_ws(&p);
		if (p.s[p.pos]) {
			node_free(root);
			root = fail(&p, TFIT_ERR_INPUT, "unexpected text after expression");
		}
	}
	if (!root)
		return p.st;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->text = malloc(len + 1))) {
		free(e);
		node_free(root);
		return tfit_error_set(err, TFIT_ERR_NOMEM, file, path, "out of memory");
	}
	memcpy(e->text, text, len + 1);
	e->root = root;
	*out = e;
	return TFIT_OK;
}

enum tfit_status tfit_rule_expr_const(int64_t v, struct tfit_rule_expr **out,
				      struct tfit_error *err)
{
	char buf[32];
	if (v < 0) {
		*out = NULL;
		return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
				      "negative constant %lld", (long long)v);
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return tfit_rule_expr_compile(buf, NULL, NULL, out, err);
}

void tfit_rule_expr_free(struct tfit_rule_expr *e)
{
	if (!e)
		return;
	node_free(e->root);
	free(e->text);
	free(e);
}

static struct node *node_clone(const struct node *n, int *fail)
{
	struct node *c;
	if (!n || *fail)
		return NULL;
	c = malloc(sizeof(*c));
	if (!c) {
		*fail = 1;
		return NULL;
	}
	*c = *n;
	c->a = node_clone(n->a, fail);
	c->b = node_clone(n->b, fail);
	c->c = node_clone(n->c, fail);
	return c;
}

int tfit_rule_expr_clone(const struct tfit_rule_expr *e, struct tfit_rule_expr **out)
{
	struct tfit_rule_expr *c;
	int fail = 0;
	*out = NULL;
	if (!e)
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->root = node_clone(e->root, &fail);
	if (fail || tfit_strdup_to(&c->text, e->text) != TFIT_OK) {
		tfit_rule_expr_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

const char *tfit_rule_expr_text(const struct tfit_rule_expr *e)
{
	return e ? e->text : "";
}

struct ctx {
	const struct tfit_subgraph *sg;
	const struct tfit_op *op;
	const struct tfit_rule_expr *e;
	struct tfit_error *err;
};

static int64_t clamp_u64(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int64_t tensor_value(const struct ctx *c, const struct node *n)
{
	const int32_t *idx = n->is_output ? tfit_op_outputs(c->op) : c->op->inputs;
	uint32_t count = n->is_output ? c->op->n_outputs : c->op->n_inputs;
	const struct tfit_tensor *t;
	int32_t ti;

	if (n->index >= count || (ti = idx[n->index]) < 0 || (uint32_t)ti >= c->sg->n_tensors)
		return 0; /* absent: every field is 0 */
	t = &c->sg->tensors[ti];
	switch (n->field) {
	case F_PRESENT: return 1;
	case F_TYPE: return (int64_t)t->dtype;
	case F_CONST: return (t->flags & TFIT_TENSOR_CONST) ? 1 : 0;
	case F_VAR: return (t->flags & TFIT_TENSOR_VARIABLE) ? 1 : 0;
	case F_RANK: return t->rank;
	case F_ELEMS: return clamp_u64(tfit_tensor_elements(t));
	case F_BYTES: return clamp_u64(tfit_tensor_bytes(t));
	case F_QCH: return tfit_tensor_quant(t)->scale_count;
	case F_QDIM: return tfit_tensor_quant(t)->quantized_dimension;
	case F_LAST: return t->rank > 0 ? tfit_dim(t, t->rank - 1) : 0;
	case F_DIM: return (int32_t)n->dim < t->rank ? tfit_dim(t, n->dim) : 0;
	}
	return 0;
}

static int64_t op_value(const struct ctx *c, enum op_var v)
{
	const struct tfit_op_options *o = c->op->opt;
	switch (v) {
	case V_N_IN: return c->op->n_inputs;
	case V_N_OUT: return c->op->n_outputs;
	case V_STRIDE_H: return o->stride_h;
	case V_STRIDE_W: return o->stride_w;
	case V_DIL_H: return o->dilation_h;
	case V_DIL_W: return o->dilation_w;
	case V_FILTER_H: return o->filter_h;
	case V_FILTER_W: return o->filter_w;
	case V_DEPTH_MULT: return o->depth_multiplier;
	case V_PAD_SAME: return o->padding == TFIT_PAD_SAME;
	case V_ACT: return (int64_t)o->activation;
	case V_UNITS: return o->units;
	case V_SVDF_RANK: return o->rank;
	case V_TIME_MAJOR: return o->time_major;
	case V_AXIS: return o->axis;
	}
	return 0;
}

static enum tfit_status eval_err(const struct ctx *c, const char *what)
{
	return tfit_error_set(c->err, TFIT_ERR_INPUT, NULL, NULL,
			      "%s evaluating '%s'", what, c->e->text);
}

static enum tfit_status eval(const struct ctx *c, const struct node *n, int64_t *out)
{
	int64_t a = 0, b = 0;
	enum tfit_status st;

	switch (n->kind) {
	case N_CONST: *out = n->value; return TFIT_OK;
	case N_VAR: *out = n->is_tensor ? tensor_value(c, n) : op_value(c, n->var); return TFIT_OK;
	case N_COND:
		if ((st = eval(c, n->a, &a)) != TFIT_OK)
			return st;
		return eval(c, a ? n->b : n->c, out);
	case N_AND:
	case N_OR:
		if ((st = eval(c, n->a, &a)) != TFIT_OK)
			return st;
		if ((n->kind == N_AND && !a) || (n->kind == N_OR && a)) {
			*out = n->kind == N_OR;
			return TFIT_OK;
		}
		if ((st = eval(c, n->b, &b)) != TFIT_OK)
			return st;
		*out = b != 0;
		return TFIT_OK;
	default:
		break;
	}
	if ((st = eval(c, n->a, &a)) != TFIT_OK)
		return st;
	if (n->b && (st = eval(c, n->b, &b)) != TFIT_OK)
		return st;
	switch (n->kind) {
	case N_NEG:
		if (a == INT64_MIN)
			return eval_err(c, "overflow");
		*out = -a;
		break;
	case N_NOT: *out = !a; break;
	case N_ADD:
		if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
			return eval_err(c, "overflow");
		*out = a + b;
		break;
	case N_SUB:
		if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
			return eval_err(c, "overflow");
		*out = a - b;
		break;
	case N_MUL:
		if (a != 0 && b != 0) {
			if ((a > 0 && b > 0 && a > INT64_MAX / b) ||
			    (a < 0 && b < 0 && a < INT64_MAX / b) ||
			    (a > 0 && b < 0 && b < INT64_MIN / a) ||
			    (a < 0 && b > 0 && a < INT64_MIN / b))
				return eval_err(c, "overflow");
		}
		*out = a * b;
		break;
	case N_DIV:
	case N_MOD:
	case N_CEIL_DIV:
		if (b == 0)
			return eval_err(c, "division by zero");
		if (a == INT64_MIN && b == -1)
			return eval_err(c, "overflow");
		if (n->kind == N_DIV)
			*out = a / b;
		else if (n->kind == N_MOD)
			*out = a % b;
		else
			*out = a / b + ((a % b != 0) && ((a < 0) == (b < 0)));
		break;
	case N_ALIGN:
		if (b <= 0)
			return eval_err(c, "non-positive alignment");
		if (a > INT64_MAX - (b - 1))
			return eval_err(c, "overflow");
		*out = a < 0 ? a : (a + b - 1) / b * b;
		break;
	case N_LT: *out = a < b; break;
	case N_LE: *out = a <= b; break;
	case N_GT: *out = a > b; break;
	case N_GE: *out = a >= b; break;
	case N_EQ: *out = a == b; break;
	case N_NE: *out = a != b; break;
	case N_MAX: *out = a > b ? a : b; break;
	case N_MIN: *out = a < b ? a : b; break;
	default:
		return eval_err(c, "internal error");
	}
	return TFIT_OK;
}

enum tfit_status tfit_rule_expr_eval(const struct tfit_rule_expr *e,
				     const struct tfit_subgraph *sg,
				     const struct tfit_op *op, int64_t *out,
				     struct tfit_error *err)
{
	struct ctx c;
	c.sg = sg;
	c.op = op;
	c.e = e;
	c.err = err;
	return eval(&c, e->root, out);
}

/*
 * datagen_dedup.h - merge identical objects of the generated C (tfit_datagen).
 *
 * The emitters write every object of a profile on its own, so a runtime
 * that inherits from tflm repeats tflm's rules, and the same op list or
 * source citation stands many times. This pass keeps the first of each set
 * of identical `static const` definitions and points the later references
 * at it. Children are written before their parents, so one pass in order
 * also merges parents that differ only by which copy of a child they name.
 * Fewer objects are fewer pointers, and in a position-independent
 * executable every pointer of the compiled data is a relocation applied
 * at each start (bench/README.md).
 *
 * The data is read-only (compiled = 1: nothing is freed or written), so
 * sharing an object changes no value a reader can see; test_shipped_data
 * compares the compiled data with the loaders' field by field.
 */
#ifndef TFIT_DATAGEN_DEDUP_H
#define TFIT_DATAGEN_DEDUP_H

#include "tinyfit/strbuf.h"

/*
 * Append src (the generated file) to out with the identical `static const`
 * definitions merged. A definition starts at a line beginning with
 * "static const " and ends before the next line that begins a definition
 * ("static const ", "const "), a comment or is empty; its name is the
 * identifier before " =" or "[] =" on its first line. Returns 0, or -1 when
 * out of memory (out->oom is then set as well).
 */
int tfit_datagen_dedup(const char *src, struct tfit_strbuf *out);

#endif

/* device_internal.h - helpers shared by the src/device/ files only. */
#ifndef TINYFIT_DEVICE_INTERNAL_H
#define TINYFIT_DEVICE_INTERNAL_H

/* malloc'ed copy of s (NULL for NULL or on failure). */
char *tfit_device_strdup(const char *s);
/* ASCII case-insensitive compare (locale-independent). */
int tfit_device_strcasecmp(const char *a, const char *b);

/* ASCII case-insensitive substring test ("" is in everything). */
int tfit_device_contains_ci(const char *hay, const char *needle);

/*
 * Fields that state a hardware fact and so take a source, in the order
 * `tinyfit devices show` prints them; NULL-terminated.
 */
const char *const *tfit_device_sourced_fields(void);

/* ---- shared by device_parse.c and device_regions.c ---- */
#include <cJSON.h>
#include "tinyfit/device.h"
#include "util/json_util.h"

/* A size string item at path: *bytes > 0 on success. */
enum tfit_status tfit_device_size_item(const cJSON *it, const char *file, const char *path,
				       uint64_t *bytes, struct tfit_error *err);
/* Optional size key of obj at path p (*bytes left 0 when absent). */
enum tfit_status tfit_device_opt_size(const cJSON *obj, const char *key, const char *file,
				      const struct tfit_jpath *p, uint64_t *bytes,
				      struct tfit_error *err);
/* Required non-empty string key of obj, copied into *out. */
enum tfit_status tfit_device_req_text(const cJSON *obj, const char *key, const char *file,
				      const struct tfit_jpath *p, char **out,
				      struct tfit_error *err);
/*
 * A profile's input errors, collected so that all are reported
 * (device_parse.c). tfit_device_errors_keep() keeps err when rc is an
 * input error and returns TFIT_OK (the caller checks the next field or
 * list item); any other rc (out of memory, a limit) is returned to stop.
 */
struct tfit_device_errors;
enum tfit_status tfit_device_errors_keep(struct tfit_device_errors *es, enum tfit_status rc,
					 const struct tfit_error *err);
/*
 * The "regions" array of root (after the memory totals are parsed): fills
 * dev->regions with the listed regions, then the implicit ones, and checks
 * the rules of docs/device-format.md "Memory regions". Each wrong region
 * field is kept in es and the next checked; the totals are checked only
 * when every listed region is right. TFIT_OK when all errors were kept.
 */
enum tfit_status tfit_device_parse_regions(const cJSON *root, const char *file,
					   struct tfit_jpath *p, struct tfit_device *dev,
					   struct tfit_device_errors *es, struct tfit_error *err);
/* Free dev->regions. */
void tfit_device_regions_free(struct tfit_device *dev);

#endif

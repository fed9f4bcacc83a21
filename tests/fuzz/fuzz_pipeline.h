/*
 * fuzz_pipeline.h - what every fuzz harness does with an input that parses:
 * run it through the rest of tinyfit (arena plan, the check, compare,
 * layers, quant and optimize engines on a few boards, latency estimate, dtype
 * conversion, every renderer), so that a
 * reader that lets something odd through is caught where it hurts.
 *
 * The reference data (runtime profiles and cost tables from the repo's
 * data/, boards from devices/, one example model) is loaded once, on first
 * use, from TFIT_SOURCE_DIR (a compile definition). A reference file that
 * fails to load aborts: that is a broken checkout, not a finding.
 *
 * Ownership: the functions borrow their argument and free all they make.
 */
#ifndef TFIT_FUZZ_PIPELINE_H
#define TFIT_FUZZ_PIPELINE_H

#include "tinyfit/device.h"
#include "tinyfit/graph.h"

/* A model that loaded: plan, fit, cost, advise, convert, render. */
void fuzz_model_pipeline(struct tfit_model *m);

/* The bytes of any input as a `.tflite` file through `tinyfit optimize`
 * (tfit_optimize_run, plan-only; without a board and on nano33ble_sense):
 * the optimiser reads, rewrites and reads back the file itself, so every
 * harness's input goes through it, a model or not. */
void fuzz_optimize_pipeline(const void *data, size_t len);

/* A device that parsed (d, in db): check a fixed model on it through the
 * engine, render its tables. */
void fuzz_device_pipeline(const struct tfit_device_db *db, const struct tfit_device *d);

#endif

/*
 * recipe.h - `serve --recipe`: what the seed recipe's CloudFormation stack
 * deploys, made on the endpoint through its own services' handlers (so
 * they are validated as any client's requests): the Kinesis stream
 * SIM_RECIPE_KINESIS_STREAM, the export bucket SIM_RECIPE_BUCKET and the
 * QLDB journal stream SIM_RECIPE_JOURNAL_STREAM of financial-ledger into
 * that Kinesis stream. assets/recipe/validate.sh then runs the recipe's
 * "Validation & Testing" commands against them.
 */
#ifndef QLDBTOP_SIM_RECIPE_H
#define QLDBTOP_SIM_RECIPE_H

#include <stddef.h>

#include "sim/kinesis.h"
#include "sim/qldb_api.h"
#include "sim/s3.h"

#define SIM_RECIPE_KINESIS_STREAM "financial-ledger-journal"
#define SIM_RECIPE_JOURNAL_STREAM "ledger-journal-stream"
#define SIM_RECIPE_BUCKET "financial-ledger-exports-123456789012"
#define SIM_RECIPE_STREAM_ROLE "arn:aws:iam::123456789012:role/qldb-acid-stream-role"
#define SIM_RECIPE_EXPORT_ROLE "arn:aws:iam::123456789012:role/qldb-acid-export-role"

/* Returns 0, or -1 with err naming the step that failed. */
int sim_recipe_setup(struct sim_qldb *q, struct sim_kinesis *k, struct sim_s3 *s3,
		     const char *region, char *err, size_t cap);

#endif

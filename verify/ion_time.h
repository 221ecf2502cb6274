/*
 * ion_time.h - calendar helpers for Ion timestamps: validation and moving
 * between local time (as Ion text writes it) and UTC (as Ion binary and
 * Ion Hash use it). Pure functions.
 */
#ifndef QLDBTOP_VERIFY_ION_TIME_H
#define QLDBTOP_VERIFY_ION_TIME_H

#include <stdbool.h>

struct ion_time_fields {
	int year, month, day, hour, minute; /* seconds never change with offsets */
};

bool ion_time_is_leap(int year);
int ion_time_days_in_month(int year, int month);
/* Add minutes (may be negative) with carries across hour, day, month and
 * year. Returns false if the result leaves years 1..9999. */
bool ion_time_add_minutes(struct ion_time_fields *f, int minutes);

#endif

/* ion_time.c - see ion_time.h. */
#include "ion_time.h"

bool ion_time_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ion_time_days_in_month(int y, int m)
{
	static const int DAYS[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && ion_time_is_leap(y) ? 29 : DAYS[m - 1];
}

bool ion_time_add_minutes(struct ion_time_fields *f, int minutes)
{
	int total = f->hour * 60 + f->minute + minutes;
	int day_shift = 0;
	while (total < 0) {
		total += 24 * 60;
		day_shift--;
	}
	while (total >= 24 * 60) {
		total -= 24 * 60;
		day_shift++;
	}
	f->hour = total / 60;
	f->minute = total % 60;
	for (; day_shift > 0; day_shift--) {
		if (++f->day > ion_time_days_in_month(f->year, f->month)) {
			f->day = 1;
			if (++f->month > 12) {
				f->month = 1;
				f->year++;
			}
		}
	}
	for (; day_shift < 0; day_shift++) {
		if (--f->day < 1) {
			if (--f->month < 1) {
				f->month = 12;
				f->year--;
			}
			f->day = ion_time_days_in_month(f->year, f->month);
		}
	}
	return f->year >= 1 && f->year <= 9999;
}

/* layout.c - rectangle splitting (see layout.h). */
#include "widgets/layout.h"

#include <stdbool.h>

/* Share `rest` among the weighted parts: floors first, then one cell each
 * to the largest remainders. 64-bit products: weights times a screen size
 * cannot overflow. */
static int share_rest(int rest, const struct layout_part *parts, size_t n, int *sizes)
{
	long long wsum = 0;
	for (size_t i = 0; i < n; i++)
		if (parts[i].fixed <= 0 && parts[i].weight > 0)
			wsum += parts[i].weight;
	if (wsum == 0 || rest <= 0)
		return 0;
	int given = 0;
	for (size_t i = 0; i < n; i++)
		if (parts[i].fixed <= 0 && parts[i].weight > 0) {
			int s = (int)((long long)rest * parts[i].weight / wsum);
			sizes[i] += s;
			given += s;
		}
	/* fewer leftover cells than weighted parts: one each to the largest
	 * remainders, earlier parts first on ties. Parts are taken in that
	 * order, each pick the first part after the previous one. */
	long long prev_rem = -1;
	size_t prev = n;
	while (given < rest) {
		size_t best = n;
		long long best_rem = -1;
		for (size_t i = 0; i < n; i++) {
			if (parts[i].fixed > 0 || parts[i].weight <= 0)
				continue;
			long long rem = (long long)rest * parts[i].weight % wsum;
			bool after = prev == n || rem < prev_rem || (rem == prev_rem && i > prev);
			if (after && rem > best_rem) {
				best_rem = rem;
				best = i;
			}
		}
		if (best == n)
			break; /* cannot happen: leftovers < weighted parts */
		sizes[best]++;
		given++;
		prev = best;
		prev_rem = best_rem;
	}
	return given;
}

int layout_split(int total, const struct layout_part *parts, size_t n, int *sizes)
{
	int left = total > 0 ? total : 0;
	for (size_t i = 0; i < n; i++)
		sizes[i] = 0;
	for (size_t i = 0; i < n; i++)
		if (parts[i].fixed > 0) {
			sizes[i] = parts[i].fixed < left ? parts[i].fixed : left;
			left -= sizes[i];
		}
	for (size_t i = 0; i < n; i++)
		if (parts[i].fixed <= 0 && parts[i].min > 0) {
			sizes[i] = parts[i].min < left ? parts[i].min : left;
			left -= sizes[i];
		}
	left -= share_rest(left, parts, n, sizes);
	return (total > 0 ? total : 0) - left;
}

void layout_rows(struct layout_rect r, const struct layout_part *parts, size_t n,
		 struct layout_rect *out)
{
	int sizes[LAYOUT_MAX_PARTS];
	n = n < LAYOUT_MAX_PARTS ? n : LAYOUT_MAX_PARTS;
	layout_split(r.h, parts, n, sizes);
	int y = r.y;
	for (size_t i = 0; i < n; i++) {
		out[i] = (struct layout_rect){ y, r.x, sizes[i], r.w > 0 ? r.w : 0 };
		y += sizes[i];
	}
}

void layout_cols(struct layout_rect r, const struct layout_part *parts, size_t n,
		 struct layout_rect *out)
{
	int sizes[LAYOUT_MAX_PARTS];
	n = n < LAYOUT_MAX_PARTS ? n : LAYOUT_MAX_PARTS;
	layout_split(r.w, parts, n, sizes);
	int x = r.x;
	for (size_t i = 0; i < n; i++) {
		out[i] = (struct layout_rect){ r.y, x, r.h > 0 ? r.h : 0, sizes[i] };
		x += sizes[i];
	}
}

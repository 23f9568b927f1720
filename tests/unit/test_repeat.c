/*
 * The repeat rule after intake (transfers, unlinks): MARAC only, within
 * the months before the received date, the first day included.
 */
#include "unit.h"
#include "unit_date.h"

#include "core/repeat.h"

static const struct {
	enum forum	 forum;
	const char	*received;
	const char	*previous;	/* NULL: none */
	bool		 want;
} cases[] = {
	{ FORUM_MARAC, "2026-12-09", NULL, false },
	{ FORUM_MARAC, "2026-12-09", "2026-06-01", true },
	{ FORUM_MARAC, "2026-12-09", "2025-12-09", true },	/* first day */
	{ FORUM_MARAC, "2026-12-09", "2025-12-08", false },
	{ FORUM_MARAC, "2026-12-09", "2026-12-09", true },	/* same day, earlier */
	{ FORUM_MARAC, "2026-12-09", "2026-12-10", false },	/* after it */
	{ FORUM_MASC, "2026-12-09", "2026-06-01", false },	/* MARAC's rule */
	{ FORUM_NONE, "2026-12-09", "2026-06-01", false },
};

START_TEST(test_repeat)
{
	date_t prev = 0;
	bool got;

	if (cases[_i].previous != NULL)
		prev = D(cases[_i].previous);
	got = repeat_for_forum(cases[_i].forum, D(cases[_i].received),
	    cases[_i].previous != NULL ? &prev : NULL, 12);
	ck_assert_msg(got == cases[_i].want, "case %d: got %d", _i, got);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("repeat", &tc);

	tcase_add_loop_test(tc, test_repeat, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	return unit_run(s);
}

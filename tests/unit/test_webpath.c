/*
 * The paths a page may send a browser back to after signing in: this
 * site's only.
 */
#include <string.h>

#include "unit.h"

#include "core/webpath.h"

START_TEST(test_local_paths)
{
	char long_path[WEBPATH_MAX + 2];

	ck_assert(webpath_local("/"));
	ck_assert(webpath_local("/account/enrol"));
	ck_assert(webpath_local("/referrals?status=open&after=10"));
	ck_assert(webpath_local("/a%20b"));
	/* Another site, however written. */
	ck_assert(!webpath_local("//evil.example/"));
	ck_assert(!webpath_local("/\\evil.example/"));
	ck_assert(!webpath_local("https://evil.example/"));
	ck_assert(!webpath_local("evil.example"));
	ck_assert(!webpath_local("/x\\y"));
	/* Not text a browser would send. */
	ck_assert(!webpath_local("/a b"));
	ck_assert(!webpath_local("/a\tb"));
	ck_assert(!webpath_local("/a\r\nSet-Cookie: x=1"));
	ck_assert(!webpath_local("/caf\xc3\xa9"));
	ck_assert(!webpath_local(""));
	ck_assert(!webpath_local(NULL));
	/* Bounded. */
	memset(long_path, 'a', sizeof(long_path));
	long_path[0] = '/';
	long_path[WEBPATH_MAX] = '\0';
	ck_assert(webpath_local(long_path));
	long_path[WEBPATH_MAX] = 'a';
	long_path[WEBPATH_MAX + 1] = '\0';
	ck_assert(!webpath_local(long_path));
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("webpath", &tc);

	tcase_add_test(tc, test_local_paths);
	return unit_run(s);
}

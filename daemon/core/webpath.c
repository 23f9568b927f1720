/* Local paths to return to: see webpath.h. */
#include "core/webpath.h"

#include <string.h>

bool
webpath_local(const char *s)
{
	size_t n;

	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return false;
	n = strlen(s);
	if (n > WEBPATH_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '\\')
			return false;
	return true;
}

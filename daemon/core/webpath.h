/*
 * Where a page may send a browser back to after signing in (?next=): a
 * path on this site, never another site.  "//evil.example/" and
 * "/\evil.example/" are read by browsers as another host, a scheme
 * ("https:") or anything but printable ASCII (a raw target is
 * percent-encoded) is refused, as is an absurd length.
 */
#ifndef MARACD_CORE_WEBPATH_H
#define MARACD_CORE_WEBPATH_H

#include <stdbool.h>

#define WEBPATH_MAX	512	/* bytes */

/* s is "/" followed by printable ASCII, not "//" or "/\", no '\'. */
bool	webpath_local(const char *s);

#endif

/*
 * The pages that are only text: the home page of each role, the
 * accessibility statement and the privacy notice (maracd(8), WEB PAGES).
 */
#include "shell/web.h"

#include <string.h>

/*
 * GET /: what the signed-in person can do, by role (web_routes.c's
 * web_nav); staff start at their dashboard.
 */
void
web_home(struct http_req *r)
{
	if ((r->caller.role & ROLES_STAFF) != 0) {
		web_redirect(r, "/dashboard");
		return;
	}
	web_render(r, 200, "home", "Home", NULL);
}

void
web_accessibility(struct http_req *r)
{
	web_render(r, 200, "accessibility", "Accessibility statement", NULL);
}

void
web_privacy(struct http_req *r)
{
	web_render(r, 200, "privacy", "Privacy notice", NULL);
}

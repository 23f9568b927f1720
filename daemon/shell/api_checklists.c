/*
 * GET /v1/checklists: the questions of every checklist, in the
 * deployment's wording ([referrals] checklist_wording) or with maracd's
 * labels; and the reading of that file, at start and on SIGHUP.  The
 * wording is the licensed form's text, not case data: nothing is read
 * from the database and nothing is audited.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checklist.h"
#include "shell/api.h"
#include "shell/app.h"
#include "shell/checklists.h"

/* A wording file is a few dozen questions: anything larger is a mistake. */
#define WORDING_FILE_MAX	(1024 * 1024)

struct checklist_wording *
checklists_load(const char *path, char *err, size_t errlen)
{
	struct checklist_wording *w = NULL;
	char *text = NULL, why[200];
	size_t len = 0;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((text = malloc(WORDING_FILE_MAX + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
	} else if ((len = fread(text, 1, WORDING_FILE_MAX + 1, f)) > WORDING_FILE_MAX ||
	    ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ? "cannot read" :
		    "larger than 1 MB");
	} else if ((w = checklist_wording_parse(text, len, why, sizeof(why))) == NULL)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	fclose(f);
	return w;
}

void
api_checklists_get(struct http_req *r)
{
	http_reply_json(r, 200, checklist_json(r->app->wording));
}

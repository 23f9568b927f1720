/*
 * maracctl record SITTING | --referral ID [--format F] [--out FILE]: the
 * decision record, made and logged exactly as GET .../record makes it
 * (shell/record.h), so the hash is the one maracd gives for the same
 * rows; written out only once the export is committed.  record --verify
 * FILE checks a JSON export against the hash it states, the export log,
 * and what the database holds now.
 */
#include "ctl.h"
#include "shell/db.h"
#include "shell/readfile.h"
#include "shell/record.h"
#include "core/listquery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An export is a file a chair kept; a record is not larger than this. */
#define VERIFY_MAX	(256L * 1024 * 1024)

struct rec {
	struct ctl		*ctl;
	enum record_kind	 kind;
	const char		*id;	/* or the file --verify reads */
	struct recordexport	 x;	/* kept for after the commit */
	struct recordexport_check c;	/* --verify */
};

static void
exported(struct record_exported *e, void *arg)
{
	struct rec *rc = arg;

	if (!e->ok)
		ctl_done_fail(rc->ctl, e->why, e->res);
	else if (!e->found)
		ctl_done(rc->ctl, ctl_fail("no such %s: %s",
		    record_kind_name(rc->kind), rc->id));
	else {
		rc->x = *e->x;
		buf_init(&e->x->body);
		ctl_done(rc->ctl, CTL_OK);
	}
}

static void
verified(const struct record_verified *v, void *arg)
{
	struct rec *rc = arg;
	const char *kind = record_kind_name(rc->c.kind);

	if (!v->ok)
		ctl_done_fail(rc->ctl, v->why, v->res);
	else if (v->exports == 0)
		ctl_done(rc->ctl, ctl_fail("%s: its content matches its hash, but "
		    "no export of %s %lld with hash %s is logged", rc->id, kind,
		    rc->c.id, rc->c.computed));
	else {
		buf_printf(&rc->ctl->out, "%s: unaltered %s record %lld, sha256 "
		    "%s\nexported %lld time(s), first at %s\ncurrent: %s\n", rc->id,
		    kind, rc->c.id, rc->c.computed, v->exports, v->first,
		    v->current ? "yes" : "no, the record has changed since");
		ctl_done(rc->ctl, CTL_OK);
	}
}

static int
verify(struct ctl *ctl, const char *path)
{
	struct rec rc = { .ctl = ctl, .id = path };
	const char *why;
	char *text, err[512];
	size_t len;
	int r;

	if ((text = readfile(NULL, path, VERIFY_MAX, &len, err, sizeof(err))) == NULL)
		return ctl_fail("cannot read %s", err);
	r = recordexport_check(text, len, &rc.c, &why);
	free(text);
	if (r != 0)
		return ctl_fail("%s: %s", path, why);
	if (strcmp(rc.c.stated, rc.c.computed) != 0)
		return ctl_fail("%s: altered: its content hashes to %s, not to the "
		    "sha256 it states", path, rc.c.computed);
	snprintf(ctl->what, sizeof(ctl->what), "%s %lld",
	    record_kind_name(rc.c.kind), rc.c.id);
	if (!ctl_begin(ctl))
		return CTL_FAIL;
	record_verify(ctl->txn, &rc.c, verified, &rc);
	return ctl_wait(ctl);
}

int
ctl_record(struct ctl *ctl)
{
	const char *check = ctl_arg(ctl, "verify");
	const char *referral = ctl_arg(ctl, "referral");
	const char *out = ctl_arg(ctl, "out");
	struct rec rc = { .ctl = ctl };
	enum recordexport_format f;
	long long id;
	int r;

	if (check != NULL)
		return ctl->npos == 0 && referral == NULL && out == NULL &&
		    ctl_arg(ctl, "format") == NULL ? verify(ctl, check) :
		    ctl_usage(ctl);
	rc.kind = ctl->npos == 1 ? RECORD_SITTING : RECORD_REFERRAL;
	rc.id = ctl->npos == 1 ? ctl->pos[0] : referral;
	if ((ctl->npos == 1) == (referral != NULL) ||
	    (referral != NULL && !listquery_id(referral, &id)) ||
	    !recordexport_format_parse(ctl_arg(ctl, "format"), &f))
		return ctl_usage(ctl);
	snprintf(ctl->what, sizeof(ctl->what), "%s %s",
	    record_kind_name(rc.kind), rc.id);
	if (!ctl_begin(ctl))
		return CTL_FAIL;
	buf_init(&rc.x.body);
	record_export(ctl->txn, rc.kind, rc.id, f, true, exported, &rc);
	if ((r = ctl_wait(ctl)) == CTL_OK && out == NULL)
		buf_add(&ctl->out, rc.x.body.data, rc.x.body.len);
	else if (r == CTL_OK && (r = ctl_write_file(out, rc.x.body.data,
	    rc.x.body.len, 0666)) == CTL_OK)
		buf_printf(&ctl->out, "%s\n", rc.x.sha256);
	recordexport_free(&rc.x);
	return r;
}

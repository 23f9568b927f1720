/*
 * maracctl drive SITTING [--screen]: print a MARAC sitting's DRIVE
 * screening, after screening it again now with --screen (maracd's own
 * screening, shell/drivejob.h, with the [drive] rubric of this
 * maracd.conf).
 *
 * One line for the sitting, then one per perpetrator, tab-separated:
 *	initials, referral ids, candidate|-, eligible|excluded, score,
 *	recency/frequency/gravity/victims, reason codes
 * Initials and ids only: never a name.
 */
#include "ctl.h"
#include "statements/drive.h"
#include "shell/db.h"
#include "shell/drivejob.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A member, 0 or "" when absent or of another type (never a crash). */
static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *
str(const cJSON *o, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));

	return v != NULL ? v : "";
}

static void
print_ids(const cJSON *ids)
{
	const cJSON *id;
	bool first = true;

	cJSON_ArrayForEach(id, ids) {
		printf("%s%.0f", first ? "" : ",", id->valuedouble);
		first = false;
	}
}

static int
print_list(const char *text)
{
	cJSON *doc = cJSON_Parse(text);
	const cJSON *p, *c, *rs;
	const cJSON *sitting, *perps;

	if (doc == NULL)
		return ctl_fail("the screening is not JSON");
	sitting = cJSON_GetObjectItemCaseSensitive(doc, "sitting");
	printf("sitting %.0f\t%s\t", num(sitting, "id"), str(sitting, "date"));
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "screened"))) {
		printf("not screened\n");
		cJSON_Delete(doc);
		return CTL_OK;
	}
	printf("rubric %s\tscreened %s\n", str(doc, "rubric"),
	    str(doc, "screened_at"));
	perps = cJSON_GetObjectItemCaseSensitive(doc, "perpetrators");
	cJSON_ArrayForEach(p, perps) {
		bool first = true;

		c = cJSON_GetObjectItemCaseSensitive(p, "components");
		printf("%s\t", str(p, "initials"));
		print_ids(cJSON_GetObjectItemCaseSensitive(p, "referral_ids"));
		printf("\t%s\t%s\t%.0f\t%.0f/%.0f/%.0f/%.0f\t",
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "candidate")) ?
		    "candidate" : "-",
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "eligible")) ?
		    "eligible" : "excluded",
		    num(p, "score"), num(c, "recency"), num(c, "frequency"),
		    num(c, "gravity"), num(c, "victims"));
		cJSON_ArrayForEach(rs, cJSON_GetObjectItemCaseSensitive(p, "reasons")) {
			printf("%s%s", first ? "" : ",", str(rs, "code"));
			first = false;
		}
		printf("%s\n", first ? "-" : "");
	}
	cJSON_Delete(doc);
	return CTL_OK;
}

struct show {
	struct ctl	*ctl;
	const char	*sitting;
	long long	 id;
	bool		 again;
	char		*list;		/* the screening, kept for after the commit */
};

static void
got(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct show *sh = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1)
		ctl_done(sh->ctl, ctl_fail_res(res));
	else if (PQgetisnull(res, 0, 0))
		ctl_done(sh->ctl, ctl_fail("no MARAC sitting %s", sh->sitting));
	else if ((sh->list = strdup(PQgetvalue(res, 0, 0))) == NULL)
		ctl_done(sh->ctl, ctl_fail("out of memory"));
	else
		ctl_done(sh->ctl, CTL_OK);
}

static void
get(struct db_txn *txn, struct show *sh)
{
	const char *p[1] = { sh->sitting };

	db_query(txn, DRIVESTORE_SQL_GET, 1, p, got, sh);
}

static void
screened(const struct drivejob_done *d, void *arg)
{
	struct show *sh = arg;

	if (!d->ok)
		ctl_done(sh->ctl, d->why != NULL ? ctl_fail("%s", d->why) :
		    ctl_fail_res(d->res));
	else if (d->json == NULL)
		ctl_done(sh->ctl, ctl_fail("no MARAC sitting %s", sh->sitting));
	else
		get(sh->ctl->txn, sh);
}

/* As maracd's job screens it, with the [drive] rubric of maracd.conf. */
static void
start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	struct show *sh = arg;

	if (sh->again)
		drivejob_screen_sitting(txn, sh->id, &ctl->cfg.drive_rubric,
		    screened, sh);
	else
		get(txn, sh);
}

int
ctl_drive(struct ctl *ctl, int argc, char **argv)
{
	static const char *const line = "drive SITTING [--screen]";
	struct show sh = { ctl, argv[0], 0, false, NULL };
	char *end;
	int rc;

	if (argc < 1 || argc > 2)
		return ctl_usage(line);
	if (argc == 2) {
		if (strcmp(argv[1], "--screen") != 0)
			return ctl_usage(line);
		sh.again = true;
	}
	sh.id = strtoll(argv[0], &end, 10);
	if (*argv[0] == '\0' || *end != '\0' || sh.id < 1)
		return ctl_usage(line);
	if ((rc = ctl_run(ctl, "maracctl", start, &sh)) == CTL_OK)
		rc = print_list(sh.list);
	free(sh.list);
	return rc;
}

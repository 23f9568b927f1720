/*
 * maracctl drive SITTING [--screen]: print a MARAC sitting's DRIVE
 * screening, after screening it again now with --screen (as maracd's job
 * does: the same statements, statements/drive.h, and the same rules,
 * core/drivejson.h, with the [drive] rubric of this maracd.conf).
 *
 * One line for the sitting, then one per perpetrator, tab-separated:
 *	initials, referral ids, candidate|-, eligible|excluded, score,
 *	recency/frequency/gravity/victims, reason codes
 * Initials and ids only: never a name.
 */
#include "ctl.h"
#include "statements/drive.h"
#include "core/drivejson.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
run(struct ctl *ctl, const char *sql, int n, const char *const *p,
    PGresult **out)
{
	PGresult *res = ctl_exec(ctl, sql, n, p);

	if (res == NULL)
		return false;
	if (out != NULL)
		*out = res;
	else
		PQclear(res);
	return true;
}

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

/* Screen the sitting in this transaction; false after printing why. */
static bool
screen(struct ctl *ctl, const char *sitting)
{
	const struct drive_rubric *r = &ctl->cfg.drive_rubric;
	char window[12], settings[DRIVE_RUBRIC_TEXT_MAX], why[DRIVEJSON_WHY_MAX];
	const char *p[6];
	PGresult *res;
	char *out;
	bool ok;

	snprintf(window, sizeof(window), "%d", r->window_months);
	(void)drive_rubric_format(r, settings, sizeof(settings));
	p[0] = sitting;
	p[1] = window;
	if (!run(ctl, DRIVESTORE_SQL_SITTING_INPUT, 2, p, &res))
		return false;
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		ctl_fail("no MARAC sitting %s", sitting);
		return false;
	}
	out = drivejson_screen(PQgetvalue(res, 0, 0), r, false, why, sizeof(why));
	PQclear(res);
	if (out == NULL) {
		ctl_fail("%s", why);
		return false;
	}
	p[0] = sitting;
	p[1] = NULL;
	p[2] = NULL;
	p[3] = r->version;
	p[4] = settings;
	p[5] = out;
	ok = run(ctl, DRIVESTORE_SQL_STORE, 6, p, &res);
	cJSON_free(out);
	if (ok)
		PQclear(res);
	return ok;
}

int
ctl_drive(struct ctl *ctl, int argc, char **argv)
{
	static const char *const line = "drive SITTING [--screen]";
	const char *tz[1] = { ctl->cfg.timezone };
	const char *p[1];
	bool again = false;
	long long id;
	char *end;
	PGresult *res;
	int rc;

	if (argc < 1 || argc > 2)
		return ctl_usage(line);
	if (argc == 2) {
		if (strcmp(argv[1], "--screen") != 0)
			return ctl_usage(line);
		again = true;
	}
	id = strtoll(argv[0], &end, 10);
	if (*argv[0] == '\0' || *end != '\0' || id < 1)
		return ctl_usage(line);
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	p[0] = argv[0];
	if (!run(ctl, "SELECT set_config('TimeZone', $1, false)", 1, tz, NULL) ||
	    !run(ctl, "BEGIN", 0, NULL, NULL) ||
	    !run(ctl, "SELECT set_config('maracd.system', 'maracctl', true)", 0,
	    NULL, NULL))
		return CTL_FAIL;
	if (again && !screen(ctl, argv[0]))
		return CTL_FAIL;
	if (!run(ctl, DRIVESTORE_SQL_GET, 1, p, &res))
		return CTL_FAIL;
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return ctl_fail("no MARAC sitting %s", argv[0]);
	}
	if (!run(ctl, "COMMIT", 0, NULL, NULL)) {
		PQclear(res);
		return CTL_FAIL;
	}
	rc = print_list(PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

#include "core/intake.h"

#include <stdio.h>
#include <string.h>

void
intake_params_default(struct intake_params *p)
{
	dash_params_default(&p->risk);
	routing_params_default(&p->routing);
}

void
intake_prepare(const struct referral *ref, const char *default_area,
    date_t today, const struct intake_params *p, struct intake_decision *d)
{
	memset(d, 0, sizeof(*d));
	if (p != NULL)
		d->params = *p;
	else
		intake_params_default(&d->params);
	dash_assess(&ref->risk, &d->params.risk, &d->risk);
	identity_key(ref->victim.name, ref->victim.dob, d->victim_key,
	    sizeof(d->victim_key));
	if (ref->has_perpetrator && ref->perpetrator.has_dob)
		identity_key(ref->perpetrator.name, ref->perpetrator.dob,
		    d->perpetrator_key, sizeof(d->perpetrator_key));
	d->area = ref->area != NULL ? ref->area : default_area;
	d->today = today;
}

int
intake_unserved(const struct intake_decision *d, const struct intake_served *srv,
    char *why, size_t len)
{
	if (strcmp(d->area, srv->area) != 0) {
		snprintf(why, len, "is not an area maracd serves: it holds sittings "
		    "for %s only", srv->area);
		return -1;
	}
	if (d->route.outcome != ROUTING_LISTED)
		return 0;
	if ((d->route.forum == FORUM_MARAC && !srv->marac) ||
	    (d->route.forum == FORUM_MASC && !srv->masc)) {
		snprintf(why, len, "has no %s sittings: maracd holds none for %s "
		    "(no series in [calendar])", forum_label(d->route.forum), srv->area);
		return -1;
	}
	return 0;
}

void
intake_route(const struct referral *ref, const struct intake_facts *f,
    struct intake_decision *d)
{
	routing_decide(ref, &d->risk, f->received_date,
	    f->has_previous_marac ? &f->previous_marac : NULL,
	    &d->params.routing, &d->route);
	d->victim_age = date_age_on(ref->victim.dob, f->received_date);
	d->perpetrator_age = referral_perpetrator_age(ref, f->received_date);
}

cJSON *
intake_decision_json(const struct intake_decision *d, const struct intake_facts *f)
{
	const char *bases[RISK_BASIS_COUNT];
	size_t nbases = dash_basis_names(d->risk.bases, bases);
	char date[DATE_STRLEN], advice[640];
	cJSON *o = cJSON_CreateObject(), *a;

	cJSON_AddStringToObject(o, "received_at", f->received_at);
	cJSON_AddStringToObject(o, "received_date", date_format(f->received_date, date));
	cJSON_AddStringToObject(o, "area", d->area);
	cJSON_AddStringToObject(o, "today", date_format(d->today, date));
	if (d->coordinator != NULL && d->coordinator[0] != '\0')
		cJSON_AddStringToObject(o, "coordinator", d->coordinator);
	if (d->route.outcome == ROUTING_LISTED) {
		cJSON_AddStringToObject(o, "forum", forum_code(d->route.forum));
		cJSON_AddStringToObject(o, "status", "listed");
	} else {
		cJSON_AddNullToObject(o, "forum");
		cJSON_AddStringToObject(o, "status", "below_threshold");
		/* Why, then what to do instead: the referrer reads both. */
		snprintf(advice, sizeof(advice), "%s %s", d->route.reason,
		    d->route.advice);
		cJSON_AddStringToObject(o, "advice", advice);
	}
	cJSON_AddStringToObject(o, "risk_level", dash_risk_level_name(d->risk.level));
	a = cJSON_AddArrayToObject(o, "risk_bases");
	for (size_t i = 0; i < nbases; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(bases[i]));
	cJSON_AddNumberToObject(o, "dash_score", d->risk.dash_score);
	cJSON_AddNumberToObject(o, "sdash_score", d->risk.sdash_score);
	cJSON_AddBoolToObject(o, "repeat", d->route.repeat);
	cJSON_AddBoolToObject(o, "review", d->route.review);
	a = cJSON_AddArrayToObject(o, "warnings");
	for (size_t i = 0; i < d->route.nwarnings; i++) {
		cJSON *w = cJSON_CreateObject();

		cJSON_AddStringToObject(w, "code", d->route.warnings[i].code);
		cJSON_AddStringToObject(w, "message", d->route.warnings[i].message);
		cJSON_AddItemToArray(a, w);
	}
	cJSON_AddNumberToObject(o, "victim_age", d->victim_age);
	if (d->perpetrator_age >= 0)
		cJSON_AddNumberToObject(o, "perpetrator_age", d->perpetrator_age);
	cJSON_AddStringToObject(o, "victim_key", d->victim_key);
	if (d->perpetrator_key[0] != '\0')
		cJSON_AddStringToObject(o, "perpetrator_key", d->perpetrator_key);
	return o;
}

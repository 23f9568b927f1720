#include "statements/retention.h"
#include "shell/config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

int
retention_params_make(struct retention_params *p, const struct config *cfg)
{
	int n;

	clock_rfc3339(p->now, sizeof(p->now));
	date_format(clock_today(), p->today);
	n = snprintf(p->settings, sizeof(p->settings),
	    "{\"below_threshold_months\": %d, \"below_threshold_action\": \"%s\", "
	    "\"case_years\": %d, \"case_action\": \"%s\", \"outbox_days\": %d, "
	    "\"draft_days\": %d}",
	    cfg->retention_below_threshold_months, cfg->retention_below_threshold_action,
	    cfg->retention_case_years, cfg->retention_case_action,
	    cfg->retention_outbox_days, cfg->retention_draft_days);
	if (n < 0 || (size_t)n >= sizeof(p->settings))
		return -1;
	snprintf(p->batch, sizeof(p->batch), "%d", cfg->retention_batch);
	p->values[0] = p->now;
	p->values[1] = p->today;
	p->values[2] = p->settings;
	p->values[3] = p->batch;
	return 0;
}

int
retention_batch_parse(const char *json, struct retention_batch *out)
{
	cJSON *o = cJSON_Parse(json);
	const cJSON *total, *more, *counts;
	char *c;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (o == NULL)
		return -1;
	total = cJSON_GetObjectItemCaseSensitive(o, "total");
	more = cJSON_GetObjectItemCaseSensitive(o, "more");
	counts = cJSON_GetObjectItemCaseSensitive(o, "counts");
	if (cJSON_IsNumber(total) && cJSON_IsBool(more) && cJSON_IsObject(counts) &&
	    (c = cJSON_PrintUnformatted(counts)) != NULL) {
		out->total = (long)total->valuedouble;
		out->more = cJSON_IsTrue(more);
		snprintf(out->counts, sizeof(out->counts), "%s", c);
		cJSON_free(c);
		rc = 0;
	}
	cJSON_Delete(o);
	return rc;
}

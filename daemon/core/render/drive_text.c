/* A DRIVE screening as text lines; see drive_text.h. */
#include "core/render/drive_text.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

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

static bool
yes(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void
perpetrator(const cJSON *p, struct buf *out)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(p, "components");
	const cJSON *v;
	bool first = true;

	buf_printf(out, "%s\t", str(p, "initials"));
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(p, "referral_ids")) {
		buf_printf(out, "%s%.0f", first ? "" : ",", v->valuedouble);
		first = false;
	}
	buf_printf(out, "\t%s\t%s\t%.0f\t%.0f/%.0f/%.0f/%.0f\t",
	    yes(p, "candidate") ? "candidate" : "-",
	    yes(p, "eligible") ? "eligible" : "excluded", num(p, "score"),
	    num(c, "recency"), num(c, "frequency"), num(c, "gravity"),
	    num(c, "victims"));
	first = true;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(p, "reasons")) {
		buf_printf(out, "%s%s", first ? "" : ",", str(v, "code"));
		first = false;
	}
	buf_puts(out, first ? "-\n" : "\n");
}

int
drive_text(const char *json, struct buf *out)
{
	cJSON *doc = cJSON_Parse(json);
	const cJSON *sitting, *p;

	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return -1;
	}
	sitting = cJSON_GetObjectItemCaseSensitive(doc, "sitting");
	buf_printf(out, "sitting %.0f\t%s\t", num(sitting, "id"),
	    str(sitting, "date"));
	if (!yes(doc, "screened"))
		buf_puts(out, "not screened\n");
	else {
		buf_printf(out, "rubric %s\tscreened %s\n", str(doc, "rubric"),
		    str(doc, "screened_at"));
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(doc,
		    "perpetrators"))
			perpetrator(p, out);
	}
	cJSON_Delete(doc);
	return 0;
}

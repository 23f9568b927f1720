/*
 * libFuzzer target: the referral parser (POST /v1/referrals body), then
 * every pure step the daemon runs on a referral that parses: risk,
 * identity keys, routing and the decision document.
 *
 * Besides the sanitizers, a few invariants of referral.h are checked: a
 * parse that fails says why (at least one field error, or malformed), one
 * that succeeds has no errors and the fields the shell relies on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/intake.h"
#include "core/referral.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A fixed "today", so that a crash reproduces on any day. */
	const date_t today = date_from_ymd(2026, 6, 15);
	struct field_errors errs;
	struct referral ref;
	struct intake_decision d;
	struct intake_facts f;
	enum referral_parse_result rc;
	cJSON *dec;
	char *text;

	field_errors_init(&errs);
	rc = referral_parse((const char *)data, size, today, &ref, &errs);
	switch (rc) {
	case REFERRAL_MALFORMED:
		if (field_errors_any(&errs))
			abort();
		break;
	case REFERRAL_INVALID:
		if (!field_errors_any(&errs) || errs.count == 0)
			abort();
		break;
	case REFERRAL_OK:
		if (field_errors_any(&errs) || ref.external_ref == NULL ||
		    ref.referring_agency == NULL || ref.victim.name == NULL)
			abort();
		intake_prepare(&ref, "fuzzshire", today, NULL, &d);
		memset(&f, 0, sizeof(f));
		strcpy(f.received_at, "2026-06-15T10:00:00.000000+01:00");
		f.received_date = today;
		/* Half the inputs are repeats of a MARAC referral 100 days ago. */
		f.has_previous_marac = size % 2 == 1;
		f.previous_marac = today - 100;
		intake_route(&ref, &f, &d);
		if (d.route.outcome != ROUTING_REFUSED) {
			dec = intake_decision_json(&d, &f);
			text = cJSON_PrintUnformatted(dec);
			cJSON_Delete(dec);
			if (text == NULL)
				abort();
			cJSON_free(text);
		}
		break;
	}
	referral_free(&ref);
	return 0;
}

/*
 * A sitting's minutes as the SafeLives minutes checklist asks for them:
 * venue or link, chair, attendees by agency, observers and whether they
 * signed the confidentiality statement, apologies and whether the agency
 * sent its information, and the statement itself.  Pure.
 */
#ifndef MARACD_CORE_MINUTES_H
#define MARACD_CORE_MINUTES_H

#include <cjson/cJSON.h>

#include "core/fielderr.h"

#define MINUTES_PEOPLE_MAX	100

/* Read out at the start of every sitting unless the minutes give another. */
extern const char minutes_default_statement[];

/*
 * Checks the body of PUT /v1/sittings/{id}/minutes and returns it
 * normalised (every member present; the default statement filled in), or
 * NULL with errors added.
 */
cJSON  *minutes_normalise(const cJSON *body, struct field_errors *errs);

#endif

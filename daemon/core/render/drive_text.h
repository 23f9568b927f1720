/*
 * A sitting's DRIVE screening as text lines for a terminal (maracctl
 * drive): the screening as GET /v1/sittings/{id}/drive answers it in,
 * one line for the sitting, then one per perpetrator, tab-separated:
 *	initials, referral ids, candidate|-, eligible|excluded, score,
 *	recency/frequency/gravity/victims, reason codes (or -)
 * Initials and ids only: never a name.
 */
#ifndef MARACD_CORE_RENDER_DRIVE_TEXT_H
#define MARACD_CORE_RENDER_DRIVE_TEXT_H

#include "core/buf.h"

/* Appends the lines to out; -1 when json is not a JSON object. */
int	drive_text(const char *json, struct buf *out);

#endif

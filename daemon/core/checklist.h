/*
 * The wording of the checklists' questions (DASH in each version maracd
 * scores, and S-DASH).  maracd stores and exchanges question numbers only
 * (core/dash.h): the forms are licensed to MARACs, so a deployment with
 * a licence provides their wording as data, in a file named by
 * [referrals] checklist_wording (maracd.conf(5)).  A question the file
 * does not word is shown with maracd's own short label ("Question 7").
 *
 * The file is one JSON object: each member a checklist ("dash-2009",
 * "safelives-ric", "glos-2018", or "sdash"), its value an object of
 * question numbers ("1".."27") to their text.  Any checklist or question
 * may be left out.  Pure: the shell reads the file.
 */
#ifndef MARACD_CORE_CHECKLIST_H
#define MARACD_CORE_CHECKLIST_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define CHECKLIST_TEXT_MAX	1000	/* bytes of one question's wording */
#define CHECKLIST_SDASH		"sdash"

struct checklist_wording;

/*
 * The wording in text, or NULL with err saying what is wrong (a checklist
 * or question maracd does not know, a text that is not a string, empty
 * or too long).
 */
struct checklist_wording *checklist_wording_parse(const char *text, size_t len,
	    char *err, size_t errlen);
void	checklist_wording_free(struct checklist_wording *);
/* How many questions w words (0 for NULL). */
int	checklist_wording_count(const struct checklist_wording *w);

/*
 * Every checklist and its questions, worded by w (NULL: none) or with
 * maracd's labels: {"checklists": [{"checklist", "questions": [{"number",
 * "text", "source": "deployment"|"maracd"}]}]}.
 */
cJSON  *checklist_json(const struct checklist_wording *w);

#endif

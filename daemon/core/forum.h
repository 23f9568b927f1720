/*
 * The two forums a case can be heard at, and every way maracd spells them:
 * the code the API, the database and maracd.conf use ("marac", "masc"),
 * the label people read ("MARAC", "MASC") and the full name ("Multi-Agency
 * Risk Assessment Conference").  One table, so that a third forum or a new
 * label is a change here and nowhere else.
 */
#ifndef MARACD_CORE_FORUM_H
#define MARACD_CORE_FORUM_H

#include <stdbool.h>

enum forum {
	FORUM_NONE = 0,
	FORUM_MARAC,
	FORUM_MASC
};

/* "marac", "masc" and NULL: the codes, for jsonfield_choice and the like. */
extern const char *const forum_codes[];

/* "marac", "masc"; NULL for FORUM_NONE or anything else. */
const char *forum_code(enum forum);
/* "MARAC", "MASC"; NULL likewise. */
const char *forum_label(enum forum);
/* "Multi-Agency Risk Assessment Conference", ...; NULL likewise. */
const char *forum_name(enum forum);
/* The forum of a code; FORUM_NONE for NULL or anything not a code. */
enum forum forum_of(const char *code);
/*
 * The label of a code as the database hands it over, or the text itself
 * when it is no forum's code ("" for NULL): renderers print what they got.
 */
const char *forum_label_of(const char *code);

#endif

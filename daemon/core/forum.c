/* The forums' codes, labels and names: see forum.h. */
#include "core/forum.h"

#include <stddef.h>
#include <string.h>

static const struct {
	const char	*code;
	const char	*label;
	const char	*name;
} forums[] = {
	[FORUM_MARAC] = { "marac", "MARAC",
	    "Multi-Agency Risk Assessment Conference" },
	[FORUM_MASC] = { "masc", "MASC",
	    "Multi-Agency Stalking Coordination" },
};

const char *const forum_codes[] = { "marac", "masc", NULL };

static bool
known(enum forum f)
{
	return f == FORUM_MARAC || f == FORUM_MASC;
}

const char *
forum_code(enum forum f)
{
	return known(f) ? forums[f].code : NULL;
}

const char *
forum_label(enum forum f)
{
	return known(f) ? forums[f].label : NULL;
}

const char *
forum_name(enum forum f)
{
	return known(f) ? forums[f].name : NULL;
}

enum forum
forum_of(const char *code)
{
	if (code == NULL)
		return FORUM_NONE;
	if (strcmp(code, forums[FORUM_MARAC].code) == 0)
		return FORUM_MARAC;
	if (strcmp(code, forums[FORUM_MASC].code) == 0)
		return FORUM_MASC;
	return FORUM_NONE;
}

const char *
forum_label_of(const char *code)
{
	enum forum f = forum_of(code);

	if (f != FORUM_NONE)
		return forums[f].label;
	return code != NULL ? code : "";
}

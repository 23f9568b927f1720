#include "core/repeat.h"

bool
repeat_for_forum(enum forum forum, date_t received, const date_t *previous,
    int months)
{
	if (forum != FORUM_MARAC || previous == NULL || *previous > received)
		return false;
	return *previous >= date_add_months(received, -months);
}

/*
 * The checklists' wording file ([referrals] checklist_wording), read at
 * start and on SIGHUP (core/checklist.h says what it holds).
 */
#ifndef MARACD_SHELL_CHECKLISTS_H
#define MARACD_SHELL_CHECKLISTS_H

#include <stddef.h>

struct checklist_wording;

/* The wording in path, or NULL with err naming the file and the reason. */
struct checklist_wording *checklists_load(const char *path, char *err, size_t errlen);

#endif

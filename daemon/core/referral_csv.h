/*
 * A referral as one CSV row: the import's column set (maracctl(1),
 * COLUMNS), turned into the JSON document POST /v1/referrals takes and
 * validated by the same referral_from_json(), so that a CSV row and a
 * JSON body can never be judged differently.  Field errors come back by
 * column name: victim.dob is reported as victim_dob, dash.answers.5 as
 * dash_5, children[0].dob as child1_dob.
 *
 * The CSV's own conventions are the only additions:
 *  - a blank cell (empty, or only spaces and tabs) is an absent field;
 *  - yes/no cells read yes, no, true, false, y, n, 1 or 0 in any case;
 *  - lawful_basis lists codes separated by semicolons;
 *  - childN_name, childN_dob, childN_resident (N = 1..20) make child N
 *    when any of them is filled; gaps in the numbering do not matter;
 *  - external_ref is required: it is what makes running an import again
 *    safe (rows already stored come back as duplicates).
 * Everything else (codes, dates, lengths, question numbers per checklist
 * version) is referral.c's to judge.
 */
#ifndef MARACD_CORE_REFERRAL_CSV_H
#define MARACD_CORE_REFERRAL_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/date.h"
#include "core/fielderr.h"
#include "core/referral.h"

/* Every column there is; a header can name each at most once. */
#define REFERRAL_CSV_COLUMNS	138
/* Longest column name, with its NUL. */
#define REFERRAL_CSV_NAME_MAX	32

/* Which column each position of the header row names. */
struct referral_csv {
	size_t		ncolumns;
	unsigned char	column[REFERRAL_CSV_COLUMNS];
};

/*
 * Reads the header row.  Unknown, unnamed, repeated and missing required
 * columns are errors, each naming the column.
 */
bool	referral_csv_header(struct referral_csv *, const char *const *names,
	    size_t n, struct field_errors *);

/* True when every cell is blank: a spreadsheet's empty row, to skip. */
bool	referral_csv_blank(const char *const *fields, size_t n);

/*
 * One data row: the referral's JSON document (the caller deletes it) and
 * r validated from it, or NULL with errors in fe by column ("" for the
 * row as a whole) and r empty.
 */
cJSON  *referral_csv_row(const struct referral_csv *,
	    const char *const *fields, size_t n, date_t today,
	    struct referral *r, struct field_errors *);

/* The name of column number i (0 .. REFERRAL_CSV_COLUMNS - 1). */
void	referral_csv_column_name(unsigned i,
	    char name[REFERRAL_CSV_NAME_MAX]);

#endif

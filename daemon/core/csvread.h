/*
 * Reading CSV (RFC 4180) as a stream: bytes go in in chunks of any size,
 * records come out one at a time.
 *
 * The reader holds one record and nothing more, so a file of any length
 * goes through a buffer no larger than its largest record, and the limits
 * bound that: a field may hold at most field_max bytes and a record at
 * most fields_max fields.
 *
 * Accepted: fields separated by commas; records ended by CRLF or LF (the
 * last one may have neither); a field in double quotes may hold commas,
 * line breaks and doubled quotes ("" is one "); a UTF-8 byte order mark
 * at the very start is skipped.  Refused, as a bad record: a quote inside
 * a field that does not start with one, text after a closing quote, a
 * carriage return without a line feed outside quotes, a NUL byte, a
 * quoted field still open at the end, and anything over a limit.  A bad
 * record is skipped up to its end and reading goes on with the next, so
 * one mistake costs one record.  Bytes are not checked as UTF-8 here: the
 * consumer of each field knows what it should be.
 *
 * A blank line is a record of one empty field: whether it means anything
 * is the caller's business.  Line numbers count LFs, from 1; a record's
 * line is the one it starts on.
 */
#ifndef MARACD_CORE_CSVREAD_H
#define MARACD_CORE_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

#define CSVREAD_ERROR_MAX	160

enum csvread_result {
	CSVREAD_MORE,	/* every byte was used and no record ended: feed more */
	CSVREAD_RECORD,	/* a record is ready in fields, nfields, line */
	CSVREAD_BAD,	/* a record ended that is not good CSV: see error */
	CSVREAD_END,	/* (csvread_finish) no record is left */
	CSVREAD_NOMEM
};

struct csvread {
	/* A record, valid until the next csvread_feed or csvread_finish. */
	const char	**fields;	/* nfields NUL-terminated strings */
	size_t		  nfields;
	unsigned long	  line;		/* where the record (or bad one) starts */
	char		  error[CSVREAD_ERROR_MAX];	/* after CSVREAD_BAD */

	/* Private. */
	size_t		  field_max;
	size_t		  fields_max;
	char		 *buf;		/* the fields' bytes, each NUL-ended */
	size_t		  len;
	size_t		  cap;
	size_t		 *starts;	/* offset of each field in buf */
	size_t		  slots;	/* room in starts and fields */
	size_t		  field_start;
	int		  state;
	int		  bom;		/* BOM bytes matched; -1 once past it */
	bool		  in_record;
	bool		  bad;
	bool		  nomem;
	unsigned long	  cur_line;
	unsigned long	  quote_line;	/* where the open quote opened */
};

void	csvread_init(struct csvread *, size_t field_max, size_t fields_max);
void	csvread_free(struct csvread *);

/*
 * Reads from data until a record ends or the bytes run out; *used says
 * how many bytes were taken.  After CSVREAD_RECORD or CSVREAD_BAD, call
 * again with the rest (data + *used) before feeding anything new.
 */
enum csvread_result csvread_feed(struct csvread *, const void *data,
	    size_t len, size_t *used);
/*
 * At the end of the input: the last record if it had no line break
 * (CSVREAD_RECORD or CSVREAD_BAD), then CSVREAD_END.
 */
enum csvread_result csvread_finish(struct csvread *);

#endif

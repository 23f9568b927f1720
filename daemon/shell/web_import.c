/*
 * The coordinator's import page (maracd(8), WEB PAGES): a CSV file of
 * referrals sent from a browser's form (multipart/form-data, read by the
 * page layer: core/multipart.h, bounded by [server] max_body_size), given
 * to POST /v1/referrals/import's handler as its body, and what became of
 * each row shown as a table, the errors by row and column.  The import is
 * the API's (shell/importjob.c): the same rules, row-level security and
 * audit as for maracctl import and the API.
 */
#include "shell/api.h"
#include "shell/web.h"
#include "shell/web_agendaimport.h"

#include <stdio.h>
#include <string.h>

/* GET /import: the form. */
void
web_import(struct http_req *r)
{
	web_render(r, 200, "import", "Import referrals", NULL);
}

/* Words and a tag for a row's status: colour is never the only sign. */
static void
row_words(cJSON *row)
{
	static const struct { const char *status, *text, *cls; } words[] = {
		{ "created", "Imported", "govuk-tag--green" },
		{ "duplicate", "Already imported", "govuk-tag--grey" },
		{ "refused", "Refused", "govuk-tag--red" },
		{ "invalid", "Not valid", "govuk-tag--red" },
	};
	const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(row, "status"));
	const cJSON *e;

	for (size_t i = 0; st != NULL && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(st, words[i].status) == 0) {
			cJSON_AddStringToObject(row, "status_text", words[i].text);
			cJSON_AddStringToObject(row, "status_class", words[i].cls);
		}
	/* A row-wide error has no column. */
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(row, "errors"))
		if (!cJSON_IsString(cJSON_GetObjectItem(e, "field")))
			cJSON_ReplaceItemInObject((cJSON *)e, "field",
			    cJSON_CreateString("(the row)"));
}

static void
imported(struct http_req *r, int status, cJSON *answer)
{
	cJSON *row, *errors;

	if (status == 200) {
		errors = cJSON_CreateArray();
		cJSON_ArrayForEach(row, cJSON_GetObjectItem(answer, "results")) {
			row_words(row);
			if (cJSON_GetArraySize(cJSON_GetObjectItem(row, "errors")) > 0)
				cJSON_AddItemToArray(errors, cJSON_Duplicate(row, true));
		}
		cJSON_AddItemToObject(answer, "with_errors", errors);
		web_render(r, 200, "import", "Import referrals", answer);
		return;
	}
	if (status == 422) {
		/* The header row: nothing was imported; each column's fault. */
		const cJSON *f;
		char text[300];

		cJSON_ArrayForEach(f, cJSON_GetObjectItem(answer, "fields")) {
			const char *col = cJSON_GetStringValue(cJSON_GetObjectItem(f, "field"));

			snprintf(text, sizeof(text), "The header row (line 1)%s%s: %s",
			    col != NULL ? ", column " : "", col != NULL ? col : "",
			    cJSON_GetStringValue(cJSON_GetObjectItem(f, "reason")));
			web_error(r, "file", text);
		}
		if (cJSON_GetArraySize(cJSON_GetObjectItem(answer, "fields")) == 0)
			web_error(r, "file", "The file's header row is wrong: nothing was imported");
		cJSON_Delete(answer);
		web_render(r, 422, "import", "Import referrals", NULL);
		return;
	}
	web_fallback(r, status, answer);
}

/* POST /import: the file, imported row by row. */
void
web_import_post(struct http_req *r)
{
	const char *file = web_form_string(r, "file");

	/* A form sent with no file chosen has a file part with no name. */
	if (file == NULL || web_form_string(r, "file.filename") == NULL) {
		web_error(r, "file", "Select a CSV file of referrals");
		web_render(r, 422, "import", "Import referrals", NULL);
		return;
	}
	if (file[0] == '\0') {
		web_error(r, "file", "The selected file is empty");
		web_render(r, 422, "import", "Import referrals", NULL);
		return;
	}
	web_call_bytes(r, api_referrals_import, file, strlen(file), imported);
}

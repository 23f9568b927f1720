/*
 * GET /v1/openapi.json: the API's own description (docs/openapi.json),
 * compiled in by tools/embed-file so that it is always the document of
 * the running build.  Public: it describes the API and holds no data,
 * and a client needs it before it has a token.
 */
#include "shell/api.h"

extern const char openapi_json[];
extern const size_t openapi_json_len;

void
api_openapi(struct http_req *r)
{
	http_reply_body(r, 200, "application/json", openapi_json, openapi_json_len);
}

/*
 * The web assets, in memory: loaded whole (they are a few hundred kB)
 * so that serving one is a copy from memory and no request path is ever
 * joined to a folder.  The manifest (web/build.mjs) is the one list of
 * what exists: logical name -> hashed file name.
 */
#include "shell/assets.h"
#include "shell/http.h"
#include "shell/log.h"
#include "shell/readfile.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* web/build makes a handful; these bound a wrong folder, not a right one. */
#define ASSETS_MAX		64
#define ASSET_MAX_SIZE		(4 * 1024 * 1024)
#define ASSET_NAME_MAX		128
#define MANIFEST_MAX_SIZE	(64 * 1024)

struct asset {
	char	*logical;	/* "maracd.css" */
	char	*url;		/* "/assets/maracd-ab12cd34ef56.css" */
	const char *name;	/* the hashed name: url + 8 */
	const char *type;	/* Content-Type */
	char	*data;
	size_t	 len;
};

struct asset_set {
	struct asset	 a[ASSETS_MAX];
	int		 n;
};

static struct asset_set *loaded;

static void
set_free(struct asset_set *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < s->n; i++) {
		free(s->a[i].logical);
		free(s->a[i].url);
		free(s->a[i].data);
	}
	free(s);
}

/* A plain file name: no folder, no dot first, nothing a URL must escape. */
static int
name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= ASSET_NAME_MAX && s[0] != '.' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == n;
}

static const char *
type_of(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".css",	"text/css; charset=utf-8" },
		{ ".js",	"text/javascript; charset=utf-8" },
		{ ".svg",	"image/svg+xml" },
		{ ".png",	"image/png" },
		{ ".ico",	"image/x-icon" },
		{ ".json",	"application/json" },
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static int
add(struct asset_set *s, const char *dir, const cJSON *entry, char *why,
    size_t whylen)
{
	const char *logical = entry->string, *hashed = cJSON_GetStringValue(entry);
	struct asset *a;

	if (hashed == NULL || !name_ok(logical) || !name_ok(hashed)) {
		snprintf(why, whylen, "manifest.json: %.64s is not a plain file name",
		    hashed == NULL || name_ok(logical) ? logical : hashed);
		return -1;
	}
	if (s->n == ASSETS_MAX) {
		snprintf(why, whylen, "manifest.json: more than %d assets", ASSETS_MAX);
		return -1;
	}
	a = &s->a[s->n];
	if ((a->data = readfile(dir, hashed, ASSET_MAX_SIZE, &a->len, why,
	    whylen)) == NULL)
		return -1;
	s->n++;
	a->logical = strdup(logical);
	if ((a->url = malloc(strlen(hashed) + 9)) != NULL)
		snprintf(a->url, strlen(hashed) + 9, "/assets/%s", hashed);
	if (a->logical == NULL || a->url == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	a->name = a->url + 8;
	a->type = type_of(hashed);
	return 0;
}

static struct asset_set *
load(const char *dir, char *why, size_t whylen)
{
	struct asset_set *s;
	const cJSON *entry;
	cJSON *manifest;
	char *text;
	size_t len;

	if ((text = readfile(dir, "manifest.json", MANIFEST_MAX_SIZE, &len, why,
	    whylen)) == NULL)
		return NULL;
	manifest = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsObject(manifest)) {
		snprintf(why, whylen, "%.400s/manifest.json: not a JSON object", dir);
		cJSON_Delete(manifest);
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(why, whylen, "out of memory");
		cJSON_Delete(manifest);
		return NULL;
	}
	cJSON_ArrayForEach(entry, manifest) {
		if (add(s, dir, entry, why, whylen) != 0) {
			set_free(s);
			s = NULL;
			break;
		}
	}
	cJSON_Delete(manifest);
	return s;
}

int
assets_load(const char *dir)
{
	struct asset_set *s;
	char why[512];

	if ((s = load(dir, why, sizeof(why))) == NULL) {
		log_warn("[web] assets: %s; %s", why, loaded != NULL ?
		    "serving the assets loaded before" : "pages are served without styles");
		return -1;
	}
	set_free(loaded);
	loaded = s;
	log_info("[web] assets: %d loaded from %s", s->n, dir);
	return 0;
}

const char *
assets_url(const char *logical)
{
	for (int i = 0; loaded != NULL && i < loaded->n; i++)
		if (strcmp(loaded->a[i].logical, logical) == 0)
			return loaded->a[i].url;
	return NULL;
}

void
assets_serve(struct http_req *r)
{
	const char *name = r->path + strlen("/assets/");

	if (r->method != HTTP_GET) {
		http_reply_error(r, 405, "method_not_allowed",
		    "this method is not allowed on this path");
		return;
	}
	for (int i = 0; loaded != NULL && i < loaded->n; i++) {
		const struct asset *a = &loaded->a[i];

		if (strcmp(a->name, name) != 0)
			continue;
		/*
		 * No ETag: a name is its content's hash, so a browser that has
		 * it never needs to ask again (immutable), and one that asks
		 * has not got it.
		 */
		http_add_header(r, "Cache-Control", "public, max-age=31536000, immutable");
		/* An SVG opened on its own is a document: it may run nothing. */
		if (strcmp(a->type, "image/svg+xml") == 0)
			http_add_header(r, "Content-Security-Policy",
			    "default-src 'none'; style-src 'unsafe-inline'; sandbox");
		http_reply_body(r, 200, a->type, a->data, a->len);
		return;
	}
	http_reply_error(r, 404, "not_found", "no such resource");
}

void
assets_free(void)
{
	set_free(loaded);
	loaded = NULL;
}

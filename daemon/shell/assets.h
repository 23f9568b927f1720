/*
 * The web assets: what web/build made ([web] assets: manifest.json and
 * the files it names, under content-hashed names), held in memory and
 * served as GET /assets/NAME.  A changed file is a new name, so each is
 * cached by browsers for a year; only names the manifest lists are ever
 * served, so no request can reach another file.
 */
#ifndef MARACD_ASSETS_H
#define MARACD_ASSETS_H

struct http_req;

/*
 * Load dir's manifest and files, replacing what was loaded before; at
 * start and on SIGHUP.  On failure (no folder, a bad manifest, a file
 * missing) log one warning and keep what was loaded before, if anything:
 * maracd runs on, its pages unstyled.  Returns 0 or -1.
 */
int	 assets_load(const char *dir);
/*
 * "/assets/maracd-ab12cd34ef56.css" for "maracd.css", or NULL when no
 * such asset is loaded.  Valid until the next assets_load: copy it to
 * keep it.
 */
const char *assets_url(const char *logical);
/* GET /assets/NAME: the file, or 404 (http.c sends /assets/ here). */
void	 assets_serve(struct http_req *r);
void	 assets_free(void);

#endif

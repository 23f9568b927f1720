"""The web assets: web/build's output served by maracd under hashed
names with a year's caching, nothing else reachable under /assets/, a
stylesheet with no font file and nothing from another server, and the
folder re-read on SIGHUP."""
import json
import re
import shutil
import signal

import pytest

from conftest import BUILD, Maracd, wait_for

ASSETS = BUILD / "web/assets"


def manifest():
    return json.loads((ASSETS / "manifest.json").read_text())


def test_the_build_names_every_asset_by_a_hash_of_its_content():
    import hashlib
    m = manifest()
    assert {"maracd.css", "maracd.js", "govuk-frontend.js", "favicon.svg"} <= set(m)
    for logical, hashed in m.items():
        stem, ext = logical.rsplit(".", 1)
        digest = hashlib.sha256((ASSETS / hashed).read_bytes()).hexdigest()[:12]
        assert hashed == "%s-%s.%s" % (stem, digest, ext)


@pytest.mark.parametrize("logical,ctype", [
    ("maracd.css", "text/css; charset=utf-8"),
    ("maracd.js", "text/javascript; charset=utf-8"),
    ("govuk-frontend.js", "text/javascript; charset=utf-8"),
    ("favicon.svg", "image/svg+xml"),
])
def test_each_asset_is_served_with_its_type_and_a_years_caching(maracd, logical, ctype):
    hashed = manifest()[logical]
    r = maracd.request("GET", "/assets/" + hashed)
    assert r.status == 200
    assert r.headers["Content-Type"] == ctype
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert r.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.body == (ASSETS / hashed).read_bytes()


def test_the_logical_name_and_anything_unlisted_are_404(maracd):
    m = manifest()
    for path in ["/assets/maracd.css", "/assets/manifest.json", "/assets/",
                 "/assets/../maracd.conf", "/assets/%2e%2e/%2e%2e/etc/passwd",
                 "/assets/" + m["maracd.css"] + "/x",
                 "/assets/" + m["maracd.css"][:-1]]:
        r = maracd.request("GET", path)
        assert r.status == 404, path
        assert r.headers["Cache-Control"] == "no-store"
    r = maracd.request("POST", "/assets/" + m["maracd.css"], body=b"x")
    assert r.status == 405


def test_the_stylesheet_names_no_font_and_nothing_from_elsewhere(maracd):
    m = manifest()
    css = maracd.request("GET", "/assets/" + m["maracd.css"]).body.decode()
    assert "govuk-" in css and len(css) > 10000, "not the GOV.UK Frontend build"
    assert not re.search(r"@font-face|\.woff2?\b|\.ttf\b|\.otf\b|GDS Transport", css)
    assert "font-family:arial,helvetica,sans-serif" in css
    # What a stylesheet can fetch: url() and @import.  (The print styles'
    # [href^="http://"] selectors name no resource.)
    assert "@import" not in css
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    assert urls, "no image at all: the hashed-name check below proves nothing"
    for u in urls:
        assert not re.match(r"[a-z]+:|//|/", u, re.I), u
        assert u in m.values(), u
        assert maracd.request("GET", "/assets/" + u).status == 200
    js = maracd.request("GET", "/assets/" + m["maracd.js"]).body.decode()
    assert 'from "./%s"' % m["govuk-frontend.js"] in js
    assert "govuk-frontend-supported" in js
    # Scripts and images name no other server (an SVG's namespace is no fetch).
    for name in m.values():
        if not name.endswith(".css"):
            body = (ASSETS / name).read_bytes().decode(errors="replace")
            assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", body), name


def test_a_missing_folder_is_one_warning_and_sighup_takes_up_a_new_one(db, tmp):
    copy = tmp / "assets"
    db.write_conf(web={"assets": str(copy)})
    m = Maracd(db, tmp).start()
    try:
        warnings = [l for l in m.log_text().splitlines() if "[web] assets" in l]
        assert len(warnings) == 1 and "warn" in warnings[0], warnings
        css = manifest()["maracd.css"]
        assert m.request("GET", "/assets/" + css).status == 404
        assert m.request("GET", "/healthz").status == 200
        shutil.copytree(ASSETS, copy)
        m.signal(signal.SIGHUP)
        assert wait_for(lambda: m.request("GET", "/assets/" + css).status == 200)
        # A folder gone on the next reload: what was loaded is kept.
        shutil.rmtree(copy)
        m.signal(signal.SIGHUP)
        assert wait_for(lambda: m.log_text().count("[web] assets") == 3)
        assert m.request("GET", "/assets/" + css).status == 200
    finally:
        m.stop()
    m.assert_clean_log()


def test_a_manifest_naming_a_path_is_refused(db, tmp):
    bad = tmp / "bad"
    shutil.copytree(ASSETS, bad)
    (bad / "manifest.json").write_text(json.dumps({"passwd": "../../etc/passwd"}))
    db.write_conf(web={"assets": str(bad)})
    m = Maracd(db, tmp).start()
    try:
        assert "not a plain file name" in m.log_text()
        assert m.request("GET", "/assets/passwd").status == 404
        assert m.request("GET", "/assets/..%2f..%2fetc%2fpasswd").status == 404
    finally:
        m.stop()

// The asset build (web/build runs it): web/src/maracd.scss through sass,
// web/src/maracd.js with govuk-frontend's module beside it, and the images
// the stylesheet names, each under a content-hashed name, with
// manifest.json mapping each logical name to its hashed one.  maracd
// serves exactly what the manifest lists (daemon/shell/assets.c).
//
//   node web/build.mjs OUTDIR
//
// OUTDIR is replaced whole: the new assets are written beside it and
// renamed into place, so a maracd reloading on SIGHUP never sees half.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const web = path.dirname(fileURLToPath(import.meta.url));
const modules = path.join(web, "node_modules");
const govuk = path.join(modules, "govuk-frontend", "dist", "govuk");
// Our own images first: a MARAC service is not GOV.UK, so GOV.UK's
// crown favicon is never served; the generic mark in web/src/images is.
const imageDirs = [path.join(web, "src", "images"), path.join(govuk, "assets", "images")];

const out = process.argv[2];
if (!out) {
	console.error("usage: node web/build.mjs OUTDIR");
	process.exit(2);
}
const stage = `${out}.new-${process.pid}`;
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
const manifest = {};

// name-<12 hex of SHA-256>.ext: a changed file is a new URL, so every
// asset can be cached for a year without ever being stale.
function emit(logical, data) {
	const ext = path.extname(logical);
	const hash = createHash("sha256").update(data).digest("hex").slice(0, 12);
	const hashed = `${path.basename(logical, ext)}-${hash}${ext}`;
	if (manifest[logical] !== undefined && manifest[logical] !== hashed)
		throw new Error(`two different files named ${logical}`);
	fs.writeFileSync(path.join(stage, hashed), data);
	manifest[logical] = hashed;
	return hashed;
}

function image(name) {
	if (name.includes("/") || name.startsWith("."))
		throw new Error(`image name ${name} is not a plain file name`);
	for (const dir of imageDirs) {
		const file = path.join(dir, name);
		if (fs.existsSync(file))
			return emit(name, fs.readFileSync(file));
	}
	throw new Error(`no image ${name} in ${imageDirs.join(" or ")}`);
}

// The stylesheet, compressed; its images come through maracd-asset-url.
const css = sass.compile(path.join(web, "src", "maracd.scss"), {
	style: "compressed",
	loadPaths: [modules],
	quietDeps: true,
	functions: {
		"maracd-asset-url($name)": (args) => {
			const name = args[0].assertString("name").text;
			return new sass.SassString(image(name), { quotes: true });
		},
	},
}).css;
// What the issue forbids, refused here as well as tested: a font file
// (GDS Transport is GOV.UK's alone) or any URL off this server.
if (/@font-face|\.woff2?\b/.test(css))
	throw new Error("the stylesheet refers to a font file");
if (/url\(\s*["']?(?:[a-z]+:|\/\/)/i.test(css))
	throw new Error("the stylesheet refers to another server");
emit("maracd.css", css);

// govuk-frontend's own ES module, without its source map reference (the
// map is not shipped), then ours importing it by its hashed name.
const frontend = fs.readFileSync(path.join(govuk, "govuk-frontend.min.js"), "utf8")
	.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
const frontendName = emit("govuk-frontend.js", frontend);
const ours = fs.readFileSync(path.join(web, "src", "maracd.js"), "utf8");
const from = 'from "govuk-frontend";';
if (!ours.includes(from))
	throw new Error(`web/src/maracd.js must import ${from}`);
emit("maracd.js", ours.replace(from, `from "./${frontendName}";`));

// The favicon pages link to, whether or not the stylesheet names it.
image("favicon.svg");

const sorted = Object.fromEntries(Object.keys(manifest).sort().map((k) => [k, manifest[k]]));
fs.writeFileSync(path.join(stage, "manifest.json"), JSON.stringify(sorted, null, 1) + "\n");
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(stage, out);
for (const [logical, hashed] of Object.entries(sorted))
	console.log(`web/build: ${logical} -> ${hashed}`);

// The browser tests' shared helper: launch Debian's chromium through
// playwright-core, sign a person in, check a page with axe-core, keep a
// screenshot, move by keyboard.  Each journey (tests/browser/*.mjs) is run
// by pytest (test_journeys.py) against a real maracd, with these in its
// environment:
//   MARACD_URL            the maracd under test, http://127.0.0.1:PORT
//   MARACD_BUILDDIR       the build folder: screenshots go to its screenshots/
//   MARACD_CLOCK_OFFSET   seconds maracd's test clock is ahead of real time
// and whatever the journey's own test passes (MARACD_J_*).
import { createHmac } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The npm packages live in web/node_modules (tools/setup: npm ci there).
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "..", "web", "package.json"));
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const base = need("MARACD_URL").replace(/\/$/, "");
const screenshots = path.join(need("MARACD_BUILDDIR"), "screenshots");
const clockOffset = Number(process.env.MARACD_CLOCK_OFFSET || "0");

function need(name) {
	const v = process.env[name];
	if (!v)
		throw new Error(`${name} is not set: run the journeys through pytest (tests/browser)`);
	return v;
}

export function fail(message) {
	throw new Error(message);
}

export function expect(cond, message) {
	if (!cond)
		fail(message);
}

// Chromium as the issue says: Debian's, headless, nothing fetched from
// anywhere (no updates, no sync, no background networking), in a profile
// of its own that goes with it.
export async function launch(options = {}) {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), "maracd-chromium-"));
	const context = await chromium.launchPersistentContext(profile, {
		...options,
		executablePath: "/usr/bin/chromium",
		headless: true,
		args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--no-first-run", "--disable-sync"],
		viewport: { width: 1024, height: 768 },
		locale: "en-GB",
		timezoneId: "Europe/London",
	});
	const page = context.pages()[0] || await context.newPage();
	const problems = watch(page);
	return {
		context,
		page,
		problems,
		async close() {
			await context.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

// What must never happen on any page, gathered as the journey goes and
// checked at its end: a request to anywhere but maracd, a script error,
// a Content-Security-Policy refusal or a console error.
function watch(page) {
	const problems = [];
	page.on("request", (req) => {
		const u = req.url();
		if (!u.startsWith(base + "/") && !u.startsWith("data:") && u !== "about:blank")
			problems.push(`request to ${u}`);
	});
	// A page's own resources must all load (its address says which).
	page.on("response", (r) => {
		if (r.status() >= 400 && !r.request().isNavigationRequest())
			problems.push(`${r.status()} for ${r.url()} on ${page.url()}`);
	});
	page.on("pageerror", (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
	// Chromium's own "Failed to load resource" names no address: the
	// responses above do.  (The favicon the browser asks for by itself,
	// /favicon.ico when a page links none, is neither a page's resource
	// nor seen by the response event.)
	page.on("console", (msg) => {
		if ((msg.type() === "error" && !/^Failed to load resource/.test(msg.text())) ||
		    /Content Security Policy/i.test(msg.text()))
			problems.push(`console ${msg.type()} on ${page.url()}: ${msg.text()}`);
	});
	return problems;
}

// Run a journey: launch (with the browser context's options, such as
// javaScriptEnabled: false), call fn({page, context}), check what watch()
// gathered, close; any failure is printed and exits 1 (pytest shows it).
export async function journey(fn, options = {}) {
	const b = await launch(options);
	let code = 0;
	try {
		await fn(b);
		if (b.problems.length > 0)
			fail("problems seen on the way:\n  " + b.problems.join("\n  "));
	} catch (e) {
		console.error(`journey failed at ${b.page.url()}:\n${e.stack || e}`);
		try {
			await shot(b.page, `FAILED-${path.basename(process.argv[1], ".mjs")}`);
		} catch {
			// the page may be gone; the message above is what matters
		}
		code = 1;
	} finally {
		await b.close();
	}
	process.exit(code);
}

export async function shot(page, name) {
	fs.mkdirSync(screenshots, { recursive: true });
	const file = path.join(screenshots, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	console.log(`screenshot ${file}`);
	return file;
}

// axe-core, the test of WCAG 2.2 AA: every rule tagged for A and
// AA up to 2.2; any violation fails, each listed with where it is.  axe is
// evaluated through the DevTools protocol, which the page's
// Content-Security-Policy does not govern, so the policy stays as served.
export const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

export async function checkAxe(page) {
	if (!await page.evaluate(() => typeof window.axe === "object"))
		await page.evaluate(axeSource);
	const result = await page.evaluate((tags) => window.axe.run(document, {
		runOnly: { type: "tag", values: tags },
		resultTypes: ["violations"],
	}), WCAG);
	const lines = [];
	for (const v of result.violations) {
		lines.push(`${v.id} (${v.impact}): ${v.help}`);
		for (const n of v.nodes.slice(0, 5))
			lines.push(`    at ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`);
	}
	if (lines.length > 0)
		fail(`axe found ${result.violations.length} violation(s) on ${page.url()}:\n  ` +
			lines.join("\n  "));
	console.log(`axe: no violation on ${page.url()} (${result.passes === undefined ? "" :
		result.passes.length + " rules passed, "}${WCAG.join(" ")})`);
}

// Every page a journey reaches is checked and kept: axe, then a screenshot.
export async function checkPage(page, name) {
	await checkAxe(page);
	await shot(page, name);
}

// --- keyboard ---------------------------------------------------------

// What has the focus: tag, id, name, type and its text or label.
export async function focused(page) {
	return page.evaluate(() => {
		const e = document.activeElement;
		if (e === null || e === document.body)
			return null;
		const label = e.labels && e.labels.length > 0 ? e.labels[0].innerText : "";
		return {
			tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute("name") || "",
			type: e.getAttribute("type") || "",
			text: (e.innerText || e.value || label || e.getAttribute("aria-label") || "").trim(),
			label: label.trim(),
		};
	});
}

// Tab (forwards) until the focused element matches want ({id}, {name},
// {text: RegExp or string}), at most max presses; fails otherwise, so a
// control that cannot be reached by keyboard fails the journey.
export async function tabTo(page, want, max = 40) {
	const matches = (f) => f !== null &&
		(want.id === undefined || f.id === want.id) &&
		(want.name === undefined || f.name === want.name) &&
		(want.text === undefined || (want.text instanceof RegExp ?
			want.text.test(f.text) : f.text === want.text));
	for (let i = 0; i < max; i++) {
		await page.keyboard.press("Tab");
		const f = await focused(page);
		if (matches(f))
			return f;
	}
	fail(`no element matching ${JSON.stringify(want, (k, v) => v instanceof RegExp ?
		String(v) : v)} within ${max} Tab presses on ${page.url()}`);
}

// Tab to a field and type into it, as a person with a keyboard would
// (max: as for tabTo; long forms need more).
export async function typeInto(page, want, text, max = 40) {
	await tabTo(page, want, max);
	await page.keyboard.press("Control+A");
	await page.keyboard.type(text);
}

// Tab to a button or link and press Enter, waiting for the page it loads
// (a form's answer may come at the same address: wait for the navigation).
export async function activate(page, want, max = 40) {
	await tabTo(page, want, max);
	const loaded = page.waitForNavigation({ waitUntil: "load" });
	await page.keyboard.press("Enter");
	await loaded;
}

// --- signing in -------------------------------------------------------

// RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) for a base32 secret, at
// maracd's clock (the tests' clock is not the real one).
export function base32Decode(s) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	let bits = 0, value = 0;
	const out = [];
	for (const ch of s.replace(/[\s=]/g, "").toUpperCase()) {
		const i = alphabet.indexOf(ch);
		if (i < 0)
			fail(`not base32: ${ch}`);
		value = (value << 5) | i;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

// A date as the pages put it into words (core/words.h): "Tuesday 19 January 2027".
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"];
export const DAY_WORDS = /^[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}$/;
export function dayWords(iso) {
	const d = new Date(`${iso}T12:00:00Z`);
	return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function serverStep() {
	return Math.floor((Date.now() / 1000 + clockOffset) / 30);
}

export function totp(secret, step = serverStep()) {
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(step));
	const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
	const off = mac[mac.length - 1] & 0x0f;
	return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, "0");
}

// A code is taken once: each sign-in uses a later step than the last,
// waiting for maracd's clock when it has not moved on far enough.
const lastStep = new Map();

export async function nextCode(secret) {
	let step = Math.max(serverStep(), (lastStep.get(secret) ?? -1) + 1);
	// maracd takes one step either side of its own, but its clock may run
	// a second or two behind the estimate (it starts when the process has
	// started, which a loaded machine delays): a step is used only once
	// the estimate has reached it, so that maracd is at most one behind.
	while (step > serverStep())
		await new Promise((r) => setTimeout(r, 1000));
	lastStep.set(secret, step);
	return totp(secret, step);
}

// Sign in through the JSON API from inside the page (the browser keeps
// the session cookie as it would from the sign-in page), for journeys
// that are not about signing in.  The page must be one of maracd's.
// person: conftest.py's enrolled().
export async function signInByApi(page, person) {
	usedStep(person.secret, person.step);
	const post = (path, body) => page.evaluate(async ([p, b]) => {
		const r = await fetch(p, { method: "POST", credentials: "same-origin",
			headers: { "Content-Type": "application/json" }, body: JSON.stringify(b) });
		return { status: r.status, body: await r.text() };
	}, [path, body]);
	let r = await post("/v1/auth/signin", { email: person.email, password: person.password });
	expect(r.status === 200, `POST /v1/auth/signin: ${r.status} ${r.body}`);
	r = await post("/v1/auth/totp", { code: await nextCode(person.secret) });
	expect(r.status === 200, `POST /v1/auth/totp: ${r.status} ${r.body}`);
}

// The TOTP step a person's last code used (conftest.py passes enrolment's),
// so that the browser's next sign-in takes a later one.
export function usedStep(secret, step) {
	if (step !== undefined && step !== "")
		lastStep.set(secret, Math.max(Number(step), lastStep.get(secret) ?? -1));
}

// Sign in by keyboard from /sign-in: email and password, then the code
// (webcore's sign_in.html and sign_in_code.html).  Checks each page on
// the way (axe, screenshot) under prefix.
export async function signIn(page, { email, password, secret, step }, prefix = "sign-in") {
	// Enrolment's code (conftest.py's enrolled()) is spent: a later one.
	usedStep(secret, step);
	await page.goto(`${base}/sign-in`);
	await checkPage(page, `${prefix}-1-password`);
	await typeInto(page, { id: "email" }, email);
	await typeInto(page, { id: "password" }, password);
	await activate(page, { text: "Continue" });
	await checkPage(page, `${prefix}-2-code`);
	await typeInto(page, { id: "code" }, await nextCode(secret));
	await activate(page, { text: "Sign in" });
}

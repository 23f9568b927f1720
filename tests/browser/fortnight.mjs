// Journey: a whole MARAC fortnight from the browser (#21's moonshot), each
// person in a browser of their own, nothing moved along by the API or SQL:
// the police and the IDVA service each make a referral on /referrals/new;
// the coordinator finds them on the dashboard and the sitting's page, sets
// the information deadline, previews and issues the agenda and downloads
// it; both agencies return their research (one free text, one "nothing
// known" each); the dashboard and the sitting's page show who returned;
// the chair, by keyboard only, keeps the register (present, apologies with
// information sent, an observer who signed the statement), then for each
// case in agenda order reads the referral and the research, records the
// decision with DRIVE's question, gives an agency an action with a due
// date and signs off; the police complete their action on /actions; the
// chair downloads the sitting's and a case's JSON record, and the SHA-256
// of the downloaded bytes (what man/maracd.8 says is hashed: the bytes
// before the last member) is the one the page shows.  axe-core and a
// screenshot (fortnight-*) on every page.  Set up by test_fortnight.py.
import { createHash } from "node:crypto";
import fs from "node:fs";

import {
	activate, base, checkPage, dayWords, expect, fail, launch, shot, signIn, tabTo, typeInto,
} from "./lib.mjs";
import { at, mustSay } from "./agency.mjs";

const env = (k) => process.env[`MARACD_J_${k}`];
const who = (p) => ({ email: env(`${p}_EMAIL`), password: env(`${p}_PASSWORD`),
	secret: env(`${p}_SECRET`), step: env(`${p}_STEP`) });
// The test clock's day in London (a sitting date is compared with it).
const today = env("TODAY");
// The register and the decision are long forms: many Tab presses.
const FAR = 600;

// How long each stage took, for whoever reads the output.
const started = Date.now();
function stage(what) {
	console.log(`stage ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
}

// Each person's own browser, kept signed in for the fortnight.
const browsers = [];

async function person(name, creds) {
	const b = await launch();
	browsers.push([name, b]);
	await signIn(b.page, creds, `fortnight-${name}-sign-in`);
	return b.page;
}

async function heading(page) {
	return (await page.locator("h1").first().innerText()).trim();
}

// A button or link by its text, with the mouse, waiting for the page it loads.
async function click(page, name, role = "button") {
	const loaded = page.waitForNavigation({ waitUntil: "load" });
	await page.getByRole(role, { name, exact: typeof name === "string" }).first().click();
	await loaded;
}

async function download(page, start) {
	const d = page.waitForEvent("download");
	await start();
	return fs.readFileSync(await (await d).path());
}

function isoDay(iso, days) {
	const d = new Date(`${iso}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

// --- the agencies -----------------------------------------------------

// A referral made part by part on /referrals/new; its reference and the
// sitting's date in words, from the confirmation.
async function refer(page, tag, r) {
	const shotAs = (n) => checkPage(page, `fortnight-${tag}-referral-${n}`);
	await click(page, "Make a referral", "link");
	await at(page, "/referrals/new");
	await shotAs("1-start");
	await click(page, "Start a new referral");
	await at(page, /^\/referrals\/drafts\/\d+\/victim$/);
	await shotAs("2-victim");
	await page.fill("#external_ref", r.external);
	await page.fill("#referrer-name", r.referrer);
	await page.fill("#victim-name", r.victim);
	await page.fill("#victim-dob", r.dob);
	await click(page, "Save and continue");
	await at(page, /\/perpetrator$/);
	await shotAs("3-perpetrator");
	await page.fill("#perpetrator-name", r.perpetrator);
	await page.check("#perpetrator-in_custody-no");
	await click(page, "Save and continue");
	await at(page, /\/children$/);
	await shotAs("4-children");
	await click(page, "Save and continue");
	await at(page, /\/relationship$/);
	await shotAs("5-relationship");
	await page.fill("#perpetrator-relationship", "ex-partner");
	await page.check("#domestic_abuse");
	await page.check("#stalking-no");
	await click(page, "Save and continue");
	await at(page, /\/checklist$/);
	await page.check("#dash-version");
	for (let q = 1; q <= 27; q++)
		await page.check(q <= 15 ? `#dash-answers-${q}` : `#dash-answers-${q}-no`);
	await shotAs("6-checklist");
	await click(page, "Save and continue");
	await at(page, /\/sharing$/);
	await page.check("#lawful_basis");
	await page.check("#consent-not_sought");
	await page.fill("#summary", r.summary);
	await shotAs("7-sharing");
	await click(page, "Save and continue");
	await at(page, /\/check$/);
	await mustSay(page, "Check your answers", "Criteria met", /Forum ?MARAC/);
	await shotAs("8-check");
	await click(page, "Send the referral");
	await at(page, /^\/referrals\/\d+\/confirmation$/);
	const conf = await mustSay(page, "Referral made");
	const ref = conf.match(/Its reference is ?(MARAC-\d{4}-\d+)/);
	const on = conf.match(/heard at the MARAC sitting on ([A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4})/);
	expect(ref !== null && on !== null, `the confirmation: ${conf}`);
	await shotAs("9-confirmation");
	console.log(`${tag} referred ${ref[1]} to the MARAC of ${on[1]}`);
	return { reference: ref[1], sitting: on[1], ...r };
}

// An agency's research on one case: free text, or nothing known.
async function research(page, tag, sittingWords, c, text) {
	await click(page, "Research", "link");
	await at(page, "/research");
	await checkPage(page, `fortnight-${tag}-research-1-sittings`);
	await click(page, sittingWords, "link");
	await at(page, /^\/research\/\d+$/);
	await mustSay(page, "Return by", c.victim);
	await checkPage(page, `fortnight-${tag}-research-2-sitting`);
	await click(page, c.reference, "link");
	await checkPage(page, `fortnight-${tag}-research-3-${c.tag}`);
	if (text === null) {
		await page.check("#answer-nothing");
	} else {
		await page.check("#answer");
		await page.fill("#text", text);
	}
	await click(page, "Save the return");
	await at(page, /^\/research\/\d+\?returned=1$/);
	await mustSay(page, "saved");
	await checkPage(page, `fortnight-${tag}-research-4-${c.tag}-returned`);
}

// --- the chair, by keyboard -------------------------------------------

const typeAt = (page, want, text) => typeInto(page, want, text, FAR);
const press = (page, want) => activate(page, want, FAR);

// The row of the register that is the agency's.
async function registerRow(page, code) {
	return Number(await page.evaluate((c) => {
		const e = document.querySelector(`input[type=hidden][value="${c}"][name^="register["]`);
		return e.name.match(/^register\[(\d+)\]/)[1];
	}, code));
}

// One case, from the sitting's list to sign-off, by keyboard.
async function decide(page, sitting, c, n) {
	const shotAs = (s) => checkPage(page, `fortnight-chair-case${n + 1}-${s}`);
	await press(page, { text: c.reference });
	expect(await heading(page) === `Case ${c.reference}`, `case: ${await heading(page)}`);
	// The referral in full and both agencies' research.
	const referral = await page.locator("#referral + dl").innerText();
	expect(referral.includes(c.victim) && referral.includes(c.perpetrator) &&
		referral.includes(c.summary), `the referral is not shown in full:\n${referral}`);
	const returns = await page.locator("#research ~ table").first().innerText();
	expect(returns.includes(c.text) && returns.includes("Nothing known"),
		`the research returns:\n${returns}`);
	// Dates and codes in words, agencies by name, as on every other page.
	await mustSay(page, `Returns were due by ${dayWords(c.researchDue)}.`,
		/Not yet returned: Adult Social Care, [A-Z]/);
	const from = await page.locator("#research ~ table tbody td:first-child").allInnerTexts();
	expect(from.join() === "IDVA Service,Police", `the returns are from ${from}`);
	expect(new RegExp(`Referred by\\s+${c.by}, ${c.referrer}`).test(referral),
		`the referring agency is not named:\n${referral}`);
	expect(/High: Visible high risk/.test(referral) && !referral.includes("visible_high_risk"),
		`the risk's criteria are not in words:\n${referral}`);
	expect(await page.isChecked("#attendees-police") && await page.isChecked("#attendees-idva"),
		"the agencies present are not ticked from the register");
	await shotAs("1-case");

	await typeAt(page, { id: "areas-victim" }, c.safety);
	await typeAt(page, { id: "outcome" }, "Actions agreed");
	// DRIVE's question: the first Tab stop of its radios, then the arrow to No.
	await tabTo(page, { id: "drive_increases_risk" }, FAR);
	await page.keyboard.press("ArrowRight");
	await press(page, { text: "Save the decision" });
	await mustSay(page, "Not signed off");
	await shotAs("2-decision");

	const name = await page.evaluate((code) =>
		document.querySelector(`#agency option[value="${code}"]`).textContent.trim(), c.to);
	await tabTo(page, { id: "agency" }, FAR);
	await page.keyboard.type(name);
	await tabTo(page, { id: "area" }, FAR);
	await page.keyboard.type("Victim");
	await typeAt(page, { id: "description" }, c.action);
	await typeAt(page, { id: "due" }, c.due);
	await press(page, { text: "Add the action" });
	const actions = await page.locator("#actions + table").innerText();
	expect(actions.includes(c.action) && actions.includes(dayWords(c.due)),
		`the action is not listed with its due date:\n${actions}`);
	await shotAs("3-action");

	await press(page, { text: "Sign off the decision" });
	await mustSay(page, "Signed off", "Amend the decision");
	const signed = await page.locator("table", { hasText: "Signed versions" }).innerText();
	expect(/\d\d:\d\d on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}\s+First signed off/.test(signed),
		`the signed version's time is not in words:\n${signed}`);
	await shotAs("4-signed-off");
	await press(page, { text: "Back to the sitting's cases" });
	expect(new URL(page.url()).pathname === `/sittings/${sitting}/meeting`,
		`back: ${page.url()}`);
}

// The JSON record's SHA-256 from its bytes: the canonical JSON is all
// before the last member ,"sha256":"…" and the closing brace.
function recordHash(bytes) {
	const tail = /,"sha256":"([0-9a-f]{64})"\}$/.exec(bytes.toString("latin1"));
	expect(tail !== null, `not a JSON record: ...${bytes.toString("utf8").slice(-120)}`);
	const canon = Buffer.concat([bytes.subarray(0, bytes.length - tail[0].length),
		Buffer.from("}")]);
	const computed = createHash("sha256").update(canon).digest("hex");
	expect(computed === tail[1], `the record states ${tail[1]}, its bytes hash ${computed}`);
	return computed;
}

// --- the fortnight ----------------------------------------------------

async function fortnight() {
	// Day 1: two agencies refer.
	const police = await person("police", who("P"));
	const a = await refer(police, "police", { tag: "a", external: "PD-1",
		referrer: "DC Harper", victim: "Alice Fortnight", dob: "1988-04-02",
		perpetrator: "Adam Fortnight", summary: "Strangulation after separation.",
		text: "Three call-outs since June; bail conditions in place.",
		safety: "IDVA to offer a safety plan", action: "Offer the victim a safety plan",
		to: "idva", by: "Police" });
	const idva = await person("idva", who("I"));
	const b = await refer(idva, "idva", { tag: "b", external: "IDVA-7",
		referrer: "Sam Idva", victim: "Beth Fortnight", dob: "1992-09-17",
		perpetrator: "Ben Fortnight", summary: "Threats to kill by text.",
		text: "Engaged with the IDVA since October; moving address.",
		safety: "Police to flag the address", action: "Flag the new address",
		to: "police", by: "IDVA Service" });
	expect(a.sitting === b.sitting, `two sittings: ${a.sitting}, ${b.sitting}`);

	stage("referrals made");

	// The coordinator: the dashboard, the sitting, the deadline.
	const coord = await person("coordinator", who("C"));
	await coord.goto(`${base}/`);
	await at(coord, "/dashboard");
	const row = coord.locator("#next-sittings tbody tr",
		{ has: coord.getByRole("link", { name: new RegExp(`^MARAC .*${a.sitting}$`) }) });
	expect(await row.count() === 1, `the sitting of ${a.sitting} is not on the dashboard`);
	expect((await row.locator("td").nth(2).innerText()).trim().startsWith("2"),
		`cases: ${await row.locator("td").nth(2).innerText()}`);
	await checkPage(coord, "fortnight-coordinator-1-dashboard");
	await Promise.all([coord.waitForNavigation(), row.locator("a").first().click()]);
	const sitting = new URL(coord.url()).pathname.match(/^\/sittings\/(\d+)$/)[1];
	expect(await heading(coord) === `Sitting of ${a.sitting}`, `sitting: ${await heading(coord)}`);
	const cases = await coord.locator("#sitting-cases").innerText();
	expect(cases.includes(a.reference) && cases.includes(b.reference), `cases:\n${cases}`);
	const date = await coord.inputValue("#date");
	expect(dayWords(date) === a.sitting, `the sitting's date ${date}`);
	await checkPage(coord, "fortnight-coordinator-2-sitting");
	// Two days before the sitting, or today when that is sooner.
	const due = isoDay(date, -2) < today ? today : isoDay(date, -2);
	await coord.fill("#due", due);
	await click(coord, "Save the deadline");
	await at(coord, `/sittings/${sitting}`);
	const summary = await coord.locator("#sitting-summary").innerText();
	expect(summary.includes(dayWords(due)), `the deadline ${due} is not shown:\n${summary}`);
	await checkPage(coord, "fortnight-coordinator-3-deadline");

	stage("deadline set");

	// The agenda: previewed, issued, downloaded.
	await click(coord, "The agenda: preview, issue, versions", "link");
	await at(coord, `/sittings/${sitting}/agenda`);
	const draft = (await coord.locator("#draft ~ table").allInnerTexts()).join("\n");
	expect(draft.includes(a.reference) && draft.includes(b.reference), `draft:\n${draft}`);
	await checkPage(coord, "fortnight-coordinator-4-agenda-draft");
	await click(coord, "Issue the agenda");
	expect(new URL(coord.url()).search === "?issued=1", `after issue: ${coord.url()}`);
	await mustSay(coord, "The agenda has been issued", "Version 1, issued", "Added (2)");
	await checkPage(coord, "fortnight-coordinator-5-agenda-issued");
	// The printable agenda opens in the browser (no attachment): read what
	// its link gives, with the coordinator's session.
	const printable = await coord.locator('a[href$="format=html&version=1"]').getAttribute("href");
	const got = await coord.request.get(new URL(printable, coord.url()).href);
	expect(got.status() === 200, `${printable}: ${got.status()}`);
	const agenda = await got.text();
	expect(agenda.includes(a.reference) && agenda.includes(b.reference),
		"the downloaded agenda lacks a case");

	stage("agenda issued");

	// The agencies' research, each with one return of each kind.
	a.tag = "a"; b.tag = "b";
	await research(police, "police", a.sitting, a, a.text);
	await research(police, "police", a.sitting, b, null);
	await research(idva, "idva", a.sitting, a, null);
	await research(idva, "idva", a.sitting, b, b.text);

	stage("research returned");

	// Who has returned: the dashboard and the sitting's page.
	await coord.goto(`${base}/dashboard`);
	const returned = (await row.locator("td").nth(3).innerText()).trim();
	expect(/^2 of \d+ agencies returned on every case/.test(returned) &&
		returned.includes(`Due ${dayWords(due)}`), `the dashboard's research: ${returned}`);
	await mustSay(coord, `As of ${dayWords(today)}.`);
	await checkPage(coord, "fortnight-coordinator-6-dashboard-returned");
	await coord.goto(`${base}/sittings/${sitting}`);
	const rows = await coord.locator("#returns tbody tr").allInnerTexts();
	const done = rows.filter((t) => /2 of 2\s+Returned/.test(t));
	expect(done.length === 2 && rows.length > 2 &&
		rows.filter((t) => /0 of 2\s+Not all returned/.test(t)).length === rows.length - 2,
		`the returns:\n${rows.join("\n")}`);
	await checkPage(coord, "fortnight-coordinator-7-sitting-returned");

	stage("returns seen");

	// The sitting, chaired by keyboard only.
	const chair = await person("chair", who("H"));
	await chair.goto(`${base}/sittings`);
	await checkPage(chair, "fortnight-chair-1-sittings");
	await press(chair, { text: a.sitting });
	expect(new URL(chair.url()).pathname === `/sittings/${sitting}/meeting`,
		`the sittings' link led to ${chair.url()}`);
	const order = await chair.locator("#cases ~ table tbody td a").allInnerTexts();
	expect(order.length === 2 && order.includes(a.reference) && order.includes(b.reference),
		`the agenda's cases: ${order}`);
	await typeAt(chair, { id: "chair" }, "Chris Chair");
	const present = await Promise.all(["police", "idva"].map((c) => registerRow(chair, c)));
	const apologies = await registerRow(chair, "housing");
	for (const i of [...present, apologies].sort((x, y) => x - y)) {
		// Tab lands on the radio checked (Absent): right wraps to
		// Present, left is Apologies.
		await tabTo(chair, { name: `register[${i}].status` }, FAR);
		if (i === apologies) {
			await chair.keyboard.press("ArrowLeft");
			await tabTo(chair, { id: `register-${i}-information_sent` }, FAR);
			await chair.keyboard.press("Space");
		} else {
			await chair.keyboard.press("ArrowRight");
			await typeAt(chair, { id: `register-${i}-name` },
				i === present[0] ? "DS Harper" : "Sam Idva");
		}
	}
	await typeAt(chair, { id: "confidentiality_statement" },
		"What is shared here stays here and is used only to keep the victims safe.");
	await typeAt(chair, { id: "observers-0-name" }, "Olu Observer");
	await typeAt(chair, { id: "observers-0-organisation" }, "Health visiting");
	await tabTo(chair, { id: "observers-0-confidentiality_signed" }, FAR);
	await chair.keyboard.press("Space");
	await press(chair, { text: "Save the register" });
	await mustSay(chair, "2 agencies present, 1 sent apologies");
	expect(await chair.inputValue("#confidentiality_statement") ===
		"What is shared here stays here and is used only to keep the victims safe.",
		"the statement was not kept");
	await checkPage(chair, "fortnight-chair-2-register");

	stage("register kept");
	const byRef = { [a.reference]: a, [b.reference]: b };
	a.due = isoDay(date, 14);
	b.due = isoDay(date, 21);
	a.researchDue = b.researchDue = due;
	for (const [n, ref] of order.entries())
		await decide(chair, sitting, byRef[ref], n);

	stage("cases decided");

	// The police complete the action the sitting gave them.
	await click(police, "Our actions", "link");
	await at(police, "/actions");
	await mustSay(police, b.action);
	await checkPage(police, "fortnight-police-actions-1-list");
	await click(police, b.action, "link");
	await at(police, /^\/actions\/\d+$/);
	await mustSay(police, b.action, b.reference);
	await checkPage(police, "fortnight-police-actions-2-action");
	await police.check("#status-completed");
	await police.fill("#note", "Address flagged on the command system");
	await click(police, "Save");
	await mustSay(police, "The action has been updated", "Completed",
		"Address flagged on the command system");
	const history = await police.locator("table", { hasText: "Address flagged" }).innerText();
	expect(!/\d{4}-\d\d-\d\dT/.test(history) && / on [A-Z][a-z]+day /.test(history),
		`the action's history is not in words:\n${history}`);
	await checkPage(police, "fortnight-police-actions-3-completed");

	stage("action completed");

	// The records, by keyboard: the sitting's and a case's JSON, their
	// bytes hashed here.
	await chair.goto(`${base}/sittings/${sitting}/meeting`);
	await press(chair, { text: "Decision records of this sitting" });
	await checkPage(chair, "fortnight-chair-records");
	const shown = (await chair.locator("#sitting-sha256").innerText()).trim();
	await tabTo(chair, { text: /^JSON\s*of the sitting's record$/ }, FAR);
	const record = await download(chair, () => chair.keyboard.press("Enter"));
	const hash = recordHash(record);
	expect(hash === shown, `the sitting's record hashes ${hash}, the page shows ${shown}`);
	const doc = JSON.parse(record.toString("utf8"));
	const text = JSON.stringify(doc);
	expect(text.includes(a.action) && text.includes(b.action) && text.includes("completed"),
		"the record lacks the actions or the completion");
	expect(!text.includes(a.victim) && !text.includes(b.perpetrator),
		"the record names a victim or perpetrator");
	const rid = await chair.evaluate((r) => [...document.querySelectorAll("td a")]
		.find((e) => e.textContent.trim() === r).getAttribute("href").split("/").pop(),
	b.reference);
	const caseShown = (await chair.locator(`#case-${rid}-sha256`).innerText()).trim();
	await tabTo(chair, { text: new RegExp(`^JSON\\s*of ${b.reference}$`) }, FAR);
	const caseHash = recordHash(await download(chair, () => chair.keyboard.press("Enter")));
	expect(caseHash === caseShown, `${b.reference}'s record hashes ${caseHash}, the page ${caseShown}`);
	console.log(`sitting ${sitting} record sha256 ${hash} matches the page`);
	console.log(`case ${b.reference} record sha256 ${caseHash} matches the page`);
	console.log(`fortnight done: references ${a.reference} ${b.reference}; axe clean`);
}

let code = 0;
try {
	await fortnight();
	const problems = browsers.flatMap(([n, b]) => b.problems.map((p) => `${n}: ${p}`));
	if (problems.length > 0)
		fail("problems seen on the way:\n  " + problems.join("\n  "));
} catch (e) {
	console.error(`journey failed:\n${e.stack || e}`);
	for (const [n, b] of browsers) {
		console.error(`  ${n} was at ${b.page.url()}`);
		try {
			await shot(b.page, `FAILED-fortnight-${n}`);
		} catch {
			// the page may be gone; the message above is what matters
		}
	}
	code = 1;
} finally {
	for (const [, b] of browsers)
		await b.close();
}
process.exit(code);

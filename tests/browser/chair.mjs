// Journey: the chair holds a sitting, by keyboard only, with axe-core and
// a screenshot on every page: the attendance register (present, apologies
// with information sent, an observer who signed the statement), the case
// from the agenda, its decision (an area, the outcome, DRIVE's question,
// the review of an earlier action), a new action, sign-off, an amendment
// refused without its reason and then made with it, and the decision
// records: the sitting's JSON record downloaded and its SHA-256 checked
// against the one the page shows.
import fs from "node:fs";

import {
	activate, base, checkPage, expect, focused, journey, signInByApi, tabTo, typeInto, usedStep,
} from "./lib.mjs";

const person = {
	email: process.env.MARACD_J_EMAIL, password: process.env.MARACD_J_PASSWORD,
	secret: process.env.MARACD_J_SECRET, step: process.env.MARACD_J_STEP,
};
const sitting = process.env.MARACD_J_SITTING;
const reference = process.env.MARACD_J_REFERENCE;
// The register and the decision are long forms: many Tab presses.
const FAR = 600;

const typeAt = (page, want, text) => typeInto(page, want, text, FAR);
const press = (page, want) => activate(page, want, FAR);

// The row of the register that is agency code's.
async function row(page, code) {
	return page.evaluate((c) => {
		const e = document.querySelector(`input[type=hidden][value="${c}"][name^="register["]`);
		return e.name.match(/^register\[(\d+)\]/)[1];
	}, code);
}

async function text(page, selector) {
	return (await page.locator(selector).first().innerText()).trim();
}

await journey(async ({ page }) => {
	usedStep(person.secret, person.step);
	await page.goto(`${base}/sign-in`);
	await signInByApi(page, person);

	// The sitting: the register by keyboard.
	await page.goto(`${base}/sittings/${sitting}/meeting`);
	expect((await text(page, "h1")).startsWith("The sitting of"), `sitting: ${await text(page, "h1")}`);
	await checkPage(page, "chair-1-sitting");
	const police = await row(page, "police"), housing = await row(page, "housing");
	await typeAt(page, { id: "chair" }, "Chair Person");
	// A radio group is one Tab stop; Space picks the focused radio, arrows
	// the next.  The rows are taken in the page's order (by agency code).
	const rows = [
		[Number(police), async () => {
			// Tab lands on the radio checked (Absent); arrows move round.
			await tabTo(page, { name: `register[${police}].status` }, FAR);
			await page.keyboard.press("ArrowRight");
			await typeAt(page, { id: `register-${police}-name` }, "DS Smith");
		}],
		[Number(housing), async () => {
			await tabTo(page, { name: `register[${housing}].status` }, FAR);
			await page.keyboard.press("ArrowLeft");
			await tabTo(page, { id: `register-${housing}-information_sent` }, FAR);
			await page.keyboard.press("Space");
		}],
	].sort((a, b) => a[0] - b[0]);
	for (const [, fill] of rows)
		await fill();
	await typeAt(page, { id: "observers-0-name" }, "Sam Student");
	await typeAt(page, { id: "observers-0-organisation" }, "University");
	await tabTo(page, { id: "observers-0-confidentiality_signed" }, FAR);
	await page.keyboard.press("Space");
	await press(page, { text: "Save the register" });
	expect(page.url() === `${base}/sittings/${sitting}/meeting`, `after the register: ${page.url()}`);
	expect((await page.content()).includes("1 agency present, 1 sent apologies"),
		"the register was not saved");
	await checkPage(page, "chair-2-register");

	// The case, from the agenda's list.
	await press(page, { text: reference });
	expect(await text(page, "h1") === `Case ${reference}`, `case: ${await text(page, "h1")}`);
	await checkPage(page, "chair-3-case");

	// The decision.
	await typeAt(page, { id: "areas-victim" }, "IDVA to offer safety planning");
	await typeAt(page, { id: "outcome" }, "Actions agreed");
	await tabTo(page, { id: "drive_increases_risk" }, FAR);
	await page.keyboard.press("ArrowRight");
	await tabTo(page, { id: "reviews-0-result" }, FAR);
	for (let i = 0; i < 3; i++)
		await page.keyboard.press("ArrowDown");
	await typeAt(page, { id: "reviews-0-note" }, "Waiting for a programme place");
	await press(page, { text: "Save the decision" });
	expect((await page.content()).includes("Not signed off"), "the decision was not saved");
	await checkPage(page, "chair-4-decision");

	// A new action for housing.
	const housingName = await page.evaluate(() =>
		document.querySelector('#agency option[value="housing"]').textContent.trim());
	await tabTo(page, { id: "agency" }, FAR);
	await page.keyboard.type(housingName);
	await tabTo(page, { id: "area" }, FAR);
	await page.keyboard.type("Victim");
	await typeAt(page, { id: "description" }, "Check the tenancy");
	await press(page, { text: "Add the action" });
	expect((await page.content()).includes("Check the tenancy"), "the action was not added");
	await checkPage(page, "chair-5-action");

	// Sign-off.
	await press(page, { text: "Sign off the decision" });
	expect((await page.content()).includes("Amend the decision"), "not signed off");
	await checkPage(page, "chair-6-signed-off");

	// An amendment without its reason: the error summary, focused, leads to the field.
	await typeAt(page, { id: "outcome" }, "Actions agreed; police to review bail");
	await press(page, { text: "Amend the decision" });
	await page.locator(".govuk-error-summary").waitFor();
	const f = await focused(page);
	expect(f !== null && f.tag === "div", `the error summary is not focused: ${JSON.stringify(f)}`);
	await checkPage(page, "chair-7-amendment-error");
	await tabTo(page, { text: /signed off/i }, 10);
	await page.keyboard.press("Enter");
	const at = await focused(page);
	expect(at !== null && at.id === "amendment_reason", `the summary's link: ${JSON.stringify(at)}`);
	await page.keyboard.type("Bail conditions were missed");
	await press(page, { text: "Amend the decision" });
	expect((await page.content()).includes("Bail conditions were missed"), "no amendment");
	await checkPage(page, "chair-8-amended");

	// The records: the JSON download carries the hash the page shows.
	await press(page, { text: "Back to the sitting's cases" });
	await press(page, { text: "Decision records of this sitting" });
	await checkPage(page, "chair-9-records");
	const shown = await text(page, "#sitting-sha256");
	expect(/^[0-9a-f]{64}$/.test(shown), `sha256 shown: ${shown}`);
	await tabTo(page, { text: /^JSON/ }, FAR);
	const download = page.waitForEvent("download");
	await page.keyboard.press("Enter");
	const file = await (await download).path();
	const record = JSON.parse(fs.readFileSync(file, "utf8"));
	expect(record.sha256 === shown, `downloaded ${record.sha256}, page ${shown}`);
	console.log(`record sha256 ${shown} matches the page; axe clean`);
});

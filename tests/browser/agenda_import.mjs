// Journey: the coordinator's agenda and import pages and an agency's
// research return (#21), by keyboard, axe-core and a screenshot on every
// page.  The coordinator previews the draft of a sitting whose version 1
// is issued, issues version 2 and reads what changed, downloads the CSV;
// uploads a CSV file with a bad row and reads the errors by row and
// column.  Then an agency member opens its research, sends an incomplete
// return (the error summary), then a full one.  Set up by
// test_agenda_import.py (MARACD_J_*).
import {
	DAY_WORDS, activate, base, checkPage, expect, focused, journey, signInByApi, tabTo, typeInto,
} from "./lib.mjs";

const env = (k) => process.env[`MARACD_J_${k}`];
const coordinator = { email: env("C_EMAIL"), password: env("C_PASSWORD"),
	secret: env("C_SECRET"), step: env("C_STEP") };
const agency = { email: env("A_EMAIL"), password: env("A_PASSWORD"),
	secret: env("A_SECRET"), step: env("A_STEP") };
const sitting = env("SITTING");
const late = env("LATE");
const first = env("FIRST");

async function heading(page) {
	return (await page.locator("h1").first().innerText()).trim();
}

await journey(async ({ context, page }) => {
	await page.goto(`${base}/sign-in`);
	await signInByApi(page, coordinator);

	// The agenda: version 1 issued, the late case in the draft.
	await page.goto(`${base}/sittings/${sitting}/agenda`);
	expect(await heading(page) === "Agenda", `agenda: ${await heading(page)}`);
	const draft = (await page.locator("#draft ~ table").allInnerTexts()).join("\n");
	expect(draft.includes(late), "the late case is not in the draft");
	await checkPage(page, "agenda-1-draft");
	await activate(page, { text: "Issue the agenda" });
	expect(page.url() === `${base}/sittings/${sitting}/agenda?issued=2`, `after issue: ${page.url()}`);
	const changes = await page.locator("#changes").innerText();
	expect(/Added \(1\)/.test(changes) && changes.includes(late), `changes: ${changes}`);
	expect(!changes.includes(first), "an unchanged case is listed as changed");
	await checkPage(page, "agenda-2-issued");
	// Nothing has changed since version 2: the page says so, with no button.
	const inset = await page.locator("#unchanged").innerText();
	expect(/Version 2 is issued and nothing has changed since/.test(inset), `unchanged: ${inset}`);
	expect(await page.getByRole("button", { name: "Issue the agenda" }).count() === 0,
		"the agenda is offered for issue with nothing new in it");
	// Version 1 from the list of versions, by keyboard.
	await activate(page, { text: "Version 1" });
	expect(page.url().endsWith("?version=1"), `version 1: ${page.url()}`);
	await checkPage(page, "agenda-3-version-1");
	// The downloads answer with the file, by the same session.
	const csv = await page.request.get(`${base}/v1/sittings/${sitting}/agenda?format=csv&version=2`);
	expect(csv.status() === 200 && (await csv.text()).includes(late), `CSV: ${csv.status()}`);
	expect(/attachment/.test(csv.headers()["content-disposition"] || ""), "the CSV is no attachment");

	// The import: a file with a bad row.
	await page.goto(`${base}/import`);
	await checkPage(page, "import-1-form");
	await page.locator("#file").setInputFiles({ name: "referrals.csv", mimeType: "text/csv",
		buffer: Buffer.from(env("CSV")) });
	await activate(page, { text: "Import the file" });
	const errors = await page.locator("#errors").innerText();
	expect(/victim_dob/.test(errors) && /consent/.test(errors), `errors: ${errors}`);
	const rows = await page.locator("#rows").innerText();
	expect(/Imported/.test(rows) && /Not valid/.test(rows), `rows: ${rows}`);
	await checkPage(page, "import-2-result");

	// The agency's research.
	await context.clearCookies();
	await page.goto(`${base}/sign-in`);
	await signInByApi(page, agency);
	await page.goto(`${base}/research`);
	expect(await heading(page) === "Research", `research: ${await heading(page)}`);
	await checkPage(page, "research-1-sittings");
	await activate(page, { text: DAY_WORDS });
	await checkPage(page, "research-2-sitting");
	await activate(page, { text: first });
	await checkPage(page, "research-3-form");
	await activate(page, { text: "Save the return" });
	await page.locator(".govuk-error-summary").waitFor();
	const f = await focused(page);
	expect(f !== null && f.tag === "div", `the error summary is not focused: ${JSON.stringify(f)}`);
	await checkPage(page, "research-4-error");
	await tabTo(page, { id: "answer" });
	await page.keyboard.press("Space");
	await typeInto(page, { id: "text" }, "Two call-outs in 2026.");
	await activate(page, { text: "Save the return" });
	expect(page.url() === `${base}/research/${sitting}?returned=1`, `after return: ${page.url()}`);
	expect((await page.locator(".govuk-notification-banner").innerText()).includes("saved"),
		"no notice");
	await checkPage(page, "research-5-returned");
	console.log("agenda, import and research: done");
});

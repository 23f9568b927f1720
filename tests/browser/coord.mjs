// Journey: the coordinator's pages by keyboard, axe-core and a screenshot
// on every page: the dashboard; the case search, filtered by agency; a
// referral linked to another's case (a wrong reference refused first) and
// unlinked; a transfer refused without a reason, then made; the calendar;
// a sitting added (a bad date refused first), moved and cancelled; a held
// sitting whose cancellation the API refuses, shown with the error
// summary.  The referrals, the held sitting and two free days come from
// test_coord.py (MARACD_J_*).
import {
	activate, base, checkPage, dayWords, expect, journey, signInByApi, tabTo, typeInto,
} from "./lib.mjs";

const env = (k) => process.env[`MARACD_J_${k}`];
const person = { email: env("EMAIL"), password: env("PASSWORD"), secret: env("SECRET"),
	step: env("STEP") };

async function heading(page) {
	return (await page.locator("h1").first().innerText()).trim();
}

async function notice(page, text) {
	const n = await page.locator(".govuk-notification-banner").innerText();
	expect(n.includes(text), `no notice "${text}": ${n}`);
}

async function refused(page, text) {
	await page.locator(".govuk-error-summary").waitFor();
	const s = await page.locator(".govuk-error-summary").innerText();
	expect(s.includes(text), `the error summary does not say "${text}": ${s}`);
}

// A radio or a select, chosen by keyboard: Tab to it, then Space or a letter.
async function choose(page, want, key) {
	await tabTo(page, want);
	await page.keyboard.press(key);
}

await journey(async ({ page }) => {
	await page.goto(`${base}/healthz`);
	await signInByApi(page, person);

	// The dashboard, where staff start.
	await page.goto(`${base}/`);
	expect(page.url() === `${base}/dashboard`, `/ led to ${page.url()}`);
	expect(await heading(page) === "Dashboard", `dashboard: ${await heading(page)}`);
	expect(await page.locator("#next-sittings tbody tr").count() >= 1, "no sittings shown");
	await checkPage(page, "coord-dashboard");

	// The search, then filtered by agency.
	await activate(page, { text: "Search the cases" });
	expect(await heading(page) === "Cases", `cases: ${await heading(page)}`);
	expect(await page.locator("#cases tbody tr").count() === 2, "two cases expected");
	await checkPage(page, "coord-cases");
	await choose(page, { name: "agency" }, "p");
	await activate(page, { text: "Search" });
	expect(page.url().includes("agency=police"), `filter not sent: ${page.url()}`);
	expect(await page.locator("#cases tbody tr").count() === 1, "one police case expected");
	await checkPage(page, "coord-cases-filtered");

	// b linked to a's case: a wrong reference first.
	await page.goto(`${base}/cases/${env("B_ID")}`);
	await checkPage(page, "coord-case");
	await typeInto(page, { name: "to" }, "MARAC-1999-0001");
	await activate(page, { text: "Link" });
	await refused(page, "Is not a referral");
	await checkPage(page, "coord-case-link-error");
	await typeInto(page, { name: "to" }, env("A_REF"));
	await activate(page, { text: "Link" });
	await notice(page, "linked to the case");
	await checkPage(page, "coord-case-linked");
	await activate(page, { text: /^Unlink from/ });
	await notice(page, "unlinked");
	await checkPage(page, "coord-case-unlinked");

	// a transferred: no reason first.
	await page.goto(`${base}/cases/${env("A_ID")}`);
	await activate(page, { text: "Transfer the case" });
	await refused(page, "Select the forum");
	await checkPage(page, "coord-case-transfer-error");
	// The refused form offers both forums: the arrow selects MASC, the second.
	await choose(page, { name: "forum" }, "ArrowDown");
	await typeInto(page, { name: "reason" }, "Stalking by a stranger: MASC hears it");
	await activate(page, { text: "Transfer the case" });
	await notice(page, "transferred");
	expect((await page.locator(".govuk-caption-l").innerText()).includes("MASC"), "not MASC");
	await checkPage(page, "coord-case-transferred");

	// The calendar; a sitting added, a bad date first.
	await page.goto(`${base}/sittings`);
	await checkPage(page, "coord-sittings");
	await activate(page, { text: "Add a sitting" });
	await choose(page, { name: "forum" }, "Space");
	await typeInto(page, { name: "area" }, "cumbria");
	await typeInto(page, { name: "date" }, "2027-02-30");
	await activate(page, { text: "Add the sitting" });
	await refused(page, "");
	expect(await page.locator('.govuk-error-summary a[href="#date"]').count() === 1,
		"the error is not linked to the date");
	await checkPage(page, "coord-sitting-add-error");
	await typeInto(page, { name: "date" }, env("ADD"));
	await typeInto(page, { name: "venue" }, "Carlisle Civic Centre");
	await activate(page, { text: "Add the sitting" });
	await notice(page, "added");
	await checkPage(page, "coord-sitting-added");
	await typeInto(page, { name: "date" }, env("MOVE"));
	await activate(page, { text: "Save the sitting" });
	await notice(page, "changed");
	expect(await heading(page) === `Sitting of ${dayWords(env("MOVE"))}`, `moved: ${await heading(page)}`);
	await checkPage(page, "coord-sitting-moved");
	await activate(page, { text: "Cancel the sitting" });
	await notice(page, "cancelled");
	await checkPage(page, "coord-sitting-cancelled");

	// A held sitting: the API refuses, the page says why.
	await page.goto(`${base}/sittings/${env("HELD")}`);
	await activate(page, { text: "Cancel the sitting" });
	await refused(page, "has been held");
	await checkPage(page, "coord-sitting-held-error");
	console.log("coordinator's pages: every journey done by keyboard, axe clean");
});

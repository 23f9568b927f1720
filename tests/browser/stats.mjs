// Journey: the statistics page (web_stats.c) as a coordinator: the last
// quarter that ended by default, another chosen by keyboard through the
// form, the SafeLives return's download, and a quarter that is no quarter
// (the error summary).  axe-core and a screenshot on every page.
import { activate, base, checkPage, expect, journey, signInByApi, tabTo } from "./lib.mjs";

const person = {
	email: process.env.MARACD_J_EMAIL, password: process.env.MARACD_J_PASSWORD,
	secret: process.env.MARACD_J_SECRET, step: process.env.MARACD_J_STEP,
};
const text = (page, sel) => page.locator(sel).innerText();

await journey(async ({ page }) => {
	await page.goto(`${base}/privacy`);
	await signInByApi(page, person);

	// The last quarter that ended: 2026Q3 on the test clock (December 2026).
	await page.goto(`${base}/statistics`);
	await checkPage(page, "statistics-1-last-quarter");
	const sl = await text(page, "#safelives");
	expect(/MARAC meetings held\s+2/.test(sl), `meetings: ${sl}`);
	expect(/Cases discussed\s+3/.test(sl), `cases: ${sl}`);
	expect(/Repeat cases \(repeat rate\)\s+1\s+33\.3%\s+28 to 40\s+Green/.test(sl),
		`repeat rate and its RAG: ${sl}`);
	const masc = await text(page, "#masc");
	expect(/MASC meetings held\s+1/.test(masc), `MASC meetings: ${masc}`);
	const outcomes = await text(page, "#masc-outcomes");
	expect(/Stalking Protection Order considered\s+1/.test(outcomes), `outcomes: ${outcomes}`);

	// The download leaves the coordinator's hands: small numbers hidden.
	const href = await page.locator("a", { hasText: "Download the return as CSV" })
		.getAttribute("href");
	const csv = await page.evaluate(async (h) => {
		const r = await fetch(h, { credentials: "same-origin" });
		return { status: r.status, type: r.headers.get("Content-Type"), body: await r.text() };
	}, href);
	expect(csv.status === 200 && csv.type.startsWith("text/csv"), `CSV: ${csv.status} ${csv.type}`);
	expect(csv.body.includes('"Cases discussed","fewer than 5"'), `CSV: ${csv.body}`);

	// Another quarter, by keyboard: the option after the selected one is older.
	await tabTo(page, { id: "quarter" });
	await page.keyboard.press("ArrowDown");
	await activate(page, { text: "Show the quarter" });
	expect(page.url().includes("quarter=2026Q2"), `chose: ${page.url()}`);
	await checkPage(page, "statistics-2-chosen-quarter");
	const q2 = await text(page, "#safelives");
	expect(/MARAC meetings held\s+0/.test(q2), `Q2 meetings: ${q2}`);

	// A quarter that is none: the error summary, linked to the field.
	const r = await page.goto(`${base}/statistics?quarter=2026Q5`);
	expect(r.status() === 422, `bad quarter: ${r.status()}`);
	await checkPage(page, "statistics-3-error");
	const summary = await text(page, ".govuk-error-summary");
	expect(/must be a quarter/.test(summary), `summary: ${summary}`);
	expect(await page.locator(".govuk-error-summary a[href='#quarter']").count() === 1,
		"the error links to the quarter");
	console.log("statistics: pages checked");
});

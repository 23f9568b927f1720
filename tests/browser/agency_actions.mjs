// Journey: the agency's actions by keyboard.  The list shows each one's
// RAG status in words and colour (overdue red, due within 7 days amber,
// the rest green); the link in a reminder mail opens the overdue one's
// page; closing it without a note is refused (error summary, inline
// error, the status chosen kept); with a note it is saved, and the
// history shows it.
import { activate, checkPage, expect, journey, signIn, typeInto } from "./lib.mjs";
import { at, base, chooseRadio, mustSay, person } from "./agency.mjs";

const late = process.env.MARACD_J_LATE, soon = process.env.MARACD_J_SOON;
const later = process.env.MARACD_J_LATER, link = process.env.MARACD_J_LINK;

async function rag(page, id) {
	const row = page.locator("tr", { has: page.locator(`a[href="/actions/${id}"]`) });
	const tag = row.locator(".govuk-tag");
	return `${await tag.getAttribute("class")} ${(await tag.textContent()).trim()}`;
}

await journey(async ({ page }) => {
	await signIn(page, person, "agency-actions-sign-in");
	await activate(page, { text: "Our actions" });
	await at(page, "/actions");
	await mustSay(page, "Our actions", "Fit door locks", "Review the safety plan",
		"Housing transfer");
	const r = await rag(page, late), a = await rag(page, soon), g = await rag(page, later);
	expect(/govuk-tag--red Overdue/.test(r), `overdue: ${r}`);
	expect(/govuk-tag--yellow Due within 7 days/.test(a), `due soon: ${a}`);
	expect(/govuk-tag--green On track/.test(g), `later: ${g}`);
	await checkPage(page, "agency-actions-list");

	// The reminder mail's link: the action's own page.
	await page.goto(link);
	await at(page, `/actions/${late}`);
	await mustSay(page, "Fit door locks", "Overdue", "History");
	await checkPage(page, "agency-action-from-mail");

	// Completed without a note: refused, the choice kept.
	await chooseRadio(page, "status", 1);
	await activate(page, { text: "Save" });
	await mustSay(page, "There is a problem");
	expect(await page.isVisible(".govuk-error-summary a[href='#note']"), "no link to the note");
	expect(await page.isVisible("#note-error"), "no inline error at the note");
	expect(await page.isChecked("#status-completed"), "the status chosen was lost");
	await checkPage(page, "agency-action-error-summary");
	await typeInto(page, { id: "note" }, "Locks fitted on 8 December");
	await activate(page, { text: "Save" });
	await at(page, `/actions/${late}`);
	await mustSay(page, "The action has been updated", "Locks fitted on 8 December",
		"Completed");
	await checkPage(page, "agency-action-updated");
	await activate(page, { text: "Back to our actions" });
	const done = await rag(page, late);
	expect(/Closed/.test(done), `a completed action: ${done}`);
});

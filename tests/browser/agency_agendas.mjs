// Journey: the agendas of the sittings the agency is invited to, by
// keyboard: the list, the agenda in the minimised view (initials, no
// names), and each download answered by maracd for the same session.
import { DAY_WORDS, activate, checkPage, expect, journey, signIn } from "./lib.mjs";
import { at, mustSay, person } from "./agency.mjs";

const sitting = process.env.MARACD_J_SITTING, reference = process.env.MARACD_J_REFERENCE;

await journey(async ({ page }) => {
	await signIn(page, person, "agency-agendas-sign-in");
	await activate(page, { text: "Agendas" });
	await at(page, "/agendas");
	await checkPage(page, "agency-agendas");
	await activate(page, { text: DAY_WORDS });
	await at(page, `/agendas/${sitting}`);
	const t = await mustSay(page, "Agenda for", reference, "Download");
	expect(!t.includes("Jane Doe") && !t.includes("John Roe"), "names in the minimised view");
	await checkPage(page, "agency-agenda");
	for (const [format, type] of [["html", "text/html"], ["csv", "text/csv"],
		["ics", "text/calendar"]]) {
		const href = await page.getAttribute(`a[href*="format=${format}"]`, "href");
		const got = await page.request.get(new URL(href, page.url()).href);
		expect(got.status() === 200 && got.headers()["content-type"].startsWith(type),
			`${href}: ${got.status()} ${got.headers()["content-type"]}`);
		const body = await got.text();
		// The calendar entry is the sitting's, without cases.
		expect((format === "ics" ? body.includes("BEGIN:VCALENDAR") : body.includes(reference)) &&
			!body.includes("Jane Doe"), `${format} download is not the minimised agenda`);
	}
	// The download links are plain links a keyboard reaches.
	const [download] = await Promise.all([page.waitForEvent("download"),
		(async () => {
			const { tabTo } = await import("./lib.mjs");
			await tabTo(page, { text: /^Spreadsheet \(CSV\)/ });
			await page.keyboard.press("Enter");
		})()]);
	expect(/\.csv$/.test(download.suggestedFilename()), `download: ${download.suggestedFilename()}`);
	console.log("agendas: list, minimised view and downloads");
});

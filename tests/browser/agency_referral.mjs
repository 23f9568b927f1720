// Journey: an agency makes a referral by keyboard alone, one part per
// page: the victim (a bad date first: the error summary, the inline
// error, what was typed kept), the perpetrator, a child, their
// relationship, the DASH checklist (version chosen, the deployment's
// wording of question 1), then "Save and come back later" with the
// lawful basis still to do; later the draft is finished, checked (tick
// count, criteria met, sitting and cutoff) and sent: the confirmation
// has the reference, the forum, the sitting and its cutoff.  Then the
// agency's referrals and the referral's page.  axe and a screenshot on
// every page.
import { activate, checkPage, expect, journey, signIn, typeInto } from "./lib.mjs";
import { at, base, chooseRadio, mustSay, person, tick } from "./agency.mjs";

const wording = process.env.MARACD_J_WORDING;
const yes = Number(process.env.MARACD_J_YES || "15");

await journey(async ({ page }) => {
	await signIn(page, person, "agency-sign-in");
	await page.goto(`${base}/referrals/new`);
	await checkPage(page, "agency-01-make-a-referral");
	await activate(page, { text: "Start a new referral" });
	await at(page, /^\/referrals\/drafts\/\d+\/victim$/);
	const draft = new URL(page.url()).pathname.split("/")[3];
	await checkPage(page, "agency-02-victim");

	// The victim, with a date the API refuses.
	await typeInto(page, { id: "external_ref" }, "BR-1");
	await typeInto(page, { id: "referrer-name" }, "DC Browser");
	await typeInto(page, { id: "victim-name" }, "Jane Browser");
	await typeInto(page, { id: "victim-dob" }, "31/02/1990");
	await activate(page, { text: "Save and continue" });
	await at(page, `/referrals/drafts/${draft}/victim`);
	await mustSay(page, "There is a problem", "The victim's date of birth");
	expect(await page.isVisible(".govuk-error-summary a[href='#victim-dob']"),
		"the summary does not link to the date of birth");
	expect(await page.isVisible("#victim-dob-error"), "no inline error at the date of birth");
	expect(await page.inputValue("#victim-dob") === "31/02/1990", "the date typed is lost");
	expect(await page.inputValue("#victim-name") === "Jane Browser", "the name typed is lost");
	expect((await page.title()).startsWith("Error: "), `title: ${await page.title()}`);
	await checkPage(page, "agency-03-victim-error-summary");
	// The summary's link takes the focus to the field (GOV.UK's script).
	await page.focus(".govuk-error-summary a[href='#victim-dob']");
	await page.keyboard.press("Enter");
	await page.waitForFunction(() => document.activeElement.id === "victim-dob");
	await page.keyboard.press("Control+A");
	await page.keyboard.type("1990-02-01");
	await activate(page, { text: "Save and continue" });

	await at(page, `/referrals/drafts/${draft}/perpetrator`);
	await checkPage(page, "agency-04-perpetrator");
	await typeInto(page, { id: "perpetrator-name" }, "John Browser");
	await chooseRadio(page, "perpetrator.in_custody", 1);
	await activate(page, { text: "Save and continue" });

	await at(page, `/referrals/drafts/${draft}/children`);
	await checkPage(page, "agency-05-children");
	await typeInto(page, { id: "children-0-name" }, "Amy Browser");
	await typeInto(page, { id: "children-0-dob" }, "2015-01-01");
	await tick(page, "children-0-resident");
	await activate(page, { text: "Save and continue" });

	await at(page, `/referrals/drafts/${draft}/relationship`);
	await checkPage(page, "agency-06-relationship");
	await typeInto(page, { id: "perpetrator-relationship" }, "ex-partner");
	await chooseRadio(page, "domestic_abuse", 0);
	await chooseRadio(page, "stalking", 1);
	await activate(page, { text: "Save and continue" });

	await at(page, `/referrals/drafts/${draft}/checklist`);
	if (wording)
		await mustSay(page, `1. ${wording}`, "2. Question 2");
	await chooseRadio(page, "dash.version", 0);
	for (let q = 1; q <= 27; q++)
		await chooseRadio(page, `dash.answers.${q}`, q <= yes ? 0 : 1);
	await checkPage(page, "agency-07-checklist");
	await activate(page, { text: "Save and continue" });

	// The lawful basis left for later: the draft waits in the list.
	await at(page, `/referrals/drafts/${draft}/sharing`);
	await checkPage(page, "agency-08-sharing");
	await activate(page, { text: "Save and come back later" });
	await at(page, "/referrals/new");
	await mustSay(page, "Your drafts", "BR-1");
	await checkPage(page, "agency-09-drafts");
	await activate(page, { text: /^Continue/ });
	await at(page, `/referrals/drafts/${draft}/victim`);
	expect(await page.inputValue("#victim-dob") === "1990-02-01", "the draft lost the date");
	await activate(page, { text: "Lawful basis and consent" });
	await tick(page, "lawful_basis");
	await chooseRadio(page, "consent", 2);
	await typeInto(page, { id: "summary" }, "Threats after separation.");
	await activate(page, { text: "Save and continue" });

	await at(page, `/referrals/drafts/${draft}/check`);
	const check = await mustSay(page, "Check your answers", "Criteria met",
		"Cutoff for this sitting");
	const ticks = check.match(/DASH questions ticked yes ?(\d+)/);
	expect(ticks !== null && Number(ticks[1]) === yes, `tick count: ${ticks && ticks[1]}`);
	expect(/Visible high risk/.test(check), "the criteria met are not listed in words");
	await checkPage(page, "agency-10-check-your-answers");
	await activate(page, { text: "Send the referral" });

	await at(page, /^\/referrals\/\d+\/confirmation$/);
	const conf = await mustSay(page, "Referral made", "Cutoff for this sitting", "Sitting");
	const ref = conf.match(/Its reference is ?(MARAC-\d{4}-\d+)/);
	expect(ref !== null, `no reference: ${conf}`);
	expect(/It will be heard at the MARAC sitting on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}/.test(conf),
		"the forum and sitting are not said");
	await checkPage(page, "agency-11-confirmation");
	console.log(`referral ${ref[1]} made`);
	await activate(page, { text: "See the referral" });
	await mustSay(page, ref[1], "Jane Browser", "Amy Browser");
	await checkPage(page, "agency-12-referral");

	await page.goto(`${base}/referrals`);
	await mustSay(page, "Our referrals", ref[1]);
	await checkPage(page, "agency-13-our-referrals");
	await activate(page, { text: ref[1] });
	await mustSay(page, "Jane Browser");
});

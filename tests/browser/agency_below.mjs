// Journey: a referral made with JavaScript off (every page is a form and
// a link), with 3 DASH ticks and nothing else: the check page and the
// confirmation say it is below the threshold and what to do instead.
// No script runs in the page, nor can the test's own (axe, the keyboard's
// focus checks): the same pages pass axe in agency_referral.mjs.
import { expect, journey, nextCode, shot, usedStep } from "./lib.mjs";
import { at, base, mustSay, person } from "./agency.mjs";

async function next(page) {
	await Promise.all([page.waitForNavigation(), page.click("button:has-text('Save and continue')")]);
}

await journey(async ({ page }) => {
	usedStep(person.secret, person.step);
	await page.goto(`${base}/sign-in`);
	await page.fill("#email", person.email);
	await page.fill("#password", person.password);
	await Promise.all([page.waitForNavigation(), page.click("text=Continue")]);
	await page.fill("#code", await nextCode(person.secret));
	await Promise.all([page.waitForNavigation(), page.click("button:has-text('Sign in')")]);
	await page.goto(`${base}/referrals/new`);
	await Promise.all([page.waitForNavigation(), page.click("button:has-text('Start a new referral')")]);
	await at(page, /^\/referrals\/drafts\/\d+\/victim$/);
	await page.fill("#external_ref", "NOJS-1");
	await page.fill("#referrer-name", "PC No Script");
	await page.fill("#victim-name", "Ann Noscript");
	await page.fill("#victim-dob", "1980-03-04");
	await next(page);
	await page.fill("#perpetrator-name", "Bob Noscript");
	await next(page);
	await next(page);	// no children
	await page.fill("#perpetrator-relationship", "partner");
	await page.check("#domestic_abuse");
	await page.check("#stalking-no");
	await next(page);
	await page.check("#dash-version");
	for (let q = 1; q <= 27; q++)
		await page.check(q <= 3 ? `#dash-answers-${q}` : `#dash-answers-${q}-no`);
	await next(page);
	await page.check("#lawful_basis");
	await page.check("#consent");
	await next(page);
	await at(page, /^\/referrals\/drafts\/\d+\/check$/);
	const check = await mustSay(page, "Below the threshold", "Criteria met");
	expect(/DASH questions ticked yes ?3\b/.test(check), `tick count: ${check}`);
	expect(!/Cutoff for this sitting/.test(check), "a sitting for a referral below the threshold");
	await shot(page, "agency-nojs-check");
	await Promise.all([page.waitForNavigation(), page.click("button:has-text('Send the referral')")]);
	await at(page, /^\/referrals\/\d+\/confirmation$/);
	await mustSay(page, "Referral made", "Below the threshold");
	expect(await page.isVisible(".govuk-inset-text"), "no advice on the confirmation");
	await shot(page, "agency-nojs-confirmation-below-threshold");
	console.log("the referral is below the threshold: advice given");
}, { javaScriptEnabled: false });

// Journey: a form posted with a CSRF token that is not the session's (as
// a page of another site would post it) is refused with a page that says
// so, and nothing is made; the same form with its own token works.
import { checkPage, expect, journey, signIn } from "./lib.mjs";
import { at, base, mustSay, person } from "./agency.mjs";

await journey(async ({ page, problems }) => {
	await signIn(page, person, "agency-csrf-sign-in");
	await page.goto(`${base}/referrals/new`);
	await page.evaluate(() => {
		document.querySelector("form[action='/referrals/new'] input[name=csrf_token]").value =
			"0".repeat(43);
	});
	const [answer] = await Promise.all([page.waitForNavigation(),
		page.click("button:has-text('Start a new referral')")]);
	expect(answer.status() === 403, `a forged token: ${answer.status()}`);
	await at(page, "/referrals/new");
	await mustSay(page, /form|session|expired|refused|again/i);
	await checkPage(page, "agency-csrf-refused");
	// The document's own 403 is the point, not a fault of the page.
	problems.splice(0);
	await page.goto(`${base}/referrals/new`);
	await mustSay(page, "You have no drafts");
});

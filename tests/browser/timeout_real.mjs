// Journey: the session's real end on a page of maracd's (idle_timeout
// 60 s): the warning opens by itself with the focus on "Stay signed in";
// left alone, the page goes to the sign-in page, and maracd has ended the
// session (the page asked for is the sign-in page again).
import { base, checkPage, expect, focused, journey, signIn } from "./lib.mjs";
import { at, mustSay, person } from "./agency.mjs";

await journey(async ({ page }) => {
	await signIn(page, person, "agency-timeout-sign-in");
	await page.goto(`${base}/referrals`);
	await page.waitForSelector("dialog.maracd-timeout[open]", { timeout: 65000 });
	const f = await focused(page);
	expect(f !== null && f.text === "Stay signed in", `focus: ${JSON.stringify(f)}`);
	await checkPage(page, "agency-timeout-warning");
	await page.waitForURL(/\/sign-in/, { timeout: 90000 });
	await mustSay(page, /signed out|session/i);
	await checkPage(page, "agency-timeout-signed-out");
	const again = await page.goto(`${base}/referrals`);
	expect(new URL(page.url()).pathname === "/sign-in", `after the end: ${page.url()} ${again.status()}`);
	console.log("the session ended for real");
});

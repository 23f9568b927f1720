// Journey: the session time-out warning of maracd.js on a page that says
// its session ends after 60 idle seconds, warning 58 seconds before: the
// dialog opens with the focus on "Stay signed in", passes axe, and
// staying asks maracd (a session it does not know is refused, so the page
// goes to the sign-in page, as it must once the session is gone).
import { base, checkPage, expect, focused, journey } from "./lib.mjs";

const css = process.env.MARACD_J_CSS;
const js = process.env.MARACD_J_JS;
const html = `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head><meta charset="utf-8"><title>Your referrals - maracd</title>
<link rel="stylesheet" href="${css}"><script type="module" src="${js}"></script></head>
<body class="govuk-template__body" data-session-timeout="60" data-session-warning="58"
 data-session-expired="/harness/signed-out">
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
<h1 class="govuk-heading-l">Your referrals</h1><p class="govuk-body">None yet.</p>
</main></div></body></html>`;
const headers = {
	"Content-Type": "text/html; charset=utf-8",
	"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; " +
		"form-action 'self'; base-uri 'none'",
};

await journey(async ({ page, problems }) => {
	await page.route(`${base}/harness/referrals`, (route) =>
		route.fulfill({ status: 200, headers, body: html }));
	await page.route(`${base}/harness/signed-out`, (route) => route.fulfill({
		status: 200, headers,
		body: '<!DOCTYPE html><html lang="en"><head><title>Signed out</title></head>' +
			'<body><main><h1>Signed out</h1></main></body></html>',
	}));
	await page.goto(`${base}/harness/referrals`);
	expect(!await page.isVisible("dialog.maracd-timeout"), "the warning is open at once");
	await page.waitForSelector("dialog.maracd-timeout[open]", { timeout: 10000 });
	const text = await page.textContent("#maracd-timeout-text");
	expect(/signed out in \d+ seconds/.test(text), `the warning says: ${text}`);
	const f = await focused(page);
	expect(f !== null && f.text === "Stay signed in",
		`the focus is not on "Stay signed in": ${JSON.stringify(f)}`);
	await checkPage(page, "harness-timeout-warning");
	// Escape does not dismiss it: only maracd can say the session goes on.
	await page.keyboard.press("Escape");
	expect(await page.isVisible("dialog.maracd-timeout"), "Escape closed the warning");
	await Promise.all([page.waitForURL(`${base}/harness/signed-out`),
		page.keyboard.press("Enter")]);
	// The keep-alive without a session is refused by maracd: that 401 is
	// the point here, not a fault of the page.
	const refused = problems.splice(0);
	expect(refused.every((p) => /401/.test(p)), `unexpected: ${refused.join("; ")}`);
});

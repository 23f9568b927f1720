// Journey: a person's account through maracd's own pages, by keyboard
// only, with axe-core and a screenshot on every page: the invitation link
// (a password refused, then one accepted), the enrolment page (the key
// typed from the page into the code), the recovery codes, the home page,
// signing out, signing in again with a code, and the pages every visitor
// can read.  The link comes from maracctl (MARACD_J_LINK).
import {
	activate, base, checkPage, expect, focused, journey, nextCode, typeInto,
} from "./lib.mjs";

const link = process.env.MARACD_J_LINK;
const email = process.env.MARACD_J_EMAIL;
const password = "correct horse battery staple";

async function heading(page) {
	return (await page.locator("h1").first().innerText()).trim();
}

await journey(async ({ page, problems }) => {
	// The invitation: a password too short first, then a good one.
	await page.goto(link);
	expect(await heading(page) === "Choose a password", `invitation: ${await heading(page)}`);
	await checkPage(page, "account-invitation");
	await typeInto(page, { name: "password" }, "short");
	await activate(page, { text: "Continue" });
	await page.locator(".govuk-error-summary").waitFor();
	// GOV.UK Frontend moves the focus to the summary; its link leads to the field.
	const f = await focused(page);
	expect(f !== null && f.tag === "div", `the error summary is not focused: ${JSON.stringify(f)}`);
	await checkPage(page, "account-invitation-error");
	await typeInto(page, { name: "password" }, password);
	await activate(page, { text: "Continue" });

	// Enrolment: the key as typed into an app; its code into the form.
	await page.waitForURL(`${base}/account/enrol`);
	await checkPage(page, "account-enrol");
	const key = (await page.locator(".maracd-key").innerText()).replace(/\s/g, "");
	expect(/^[A-Z2-7]{32}$/.test(key), `key: ${key}`);
	const qr = await page.locator('img[src="/account/enrol/qr.svg"]').evaluate(
		(img) => img.complete && img.naturalWidth > 0);
	expect(qr, "the QR code image did not load");
	await typeInto(page, { name: "code" }, await nextCode(key));
	await activate(page, { text: "Continue" });
	await page.locator(".maracd-recovery-codes").waitFor();
	expect(await heading(page) === "Your account is set up", `after enrolment: ${await heading(page)}`);
	expect(await page.locator(".maracd-recovery-codes li").count() === 10, "not ten recovery codes");
	await checkPage(page, "account-recovery-codes");
	await activate(page, { text: /I have saved my codes/ });

	// Home, then sign out by keyboard.
	await page.waitForURL(`${base}/`);
	await checkPage(page, "home-agency");
	await activate(page, { text: "Sign out" });
	await page.waitForURL(`${base}/sign-in?signed_out=1`);
	expect((await page.locator(".govuk-notification-banner").innerText()).includes("You have signed out"),
		"no signed-out notice");
	await checkPage(page, "sign-in-signed-out");

	// Sign-in: an empty form first (the error summary), then the real thing.
	await page.goto(`${base}/sign-in`);
	await activate(page, { text: "Continue" });
	await page.locator(".govuk-error-summary").waitFor();
	expect(await page.locator(".govuk-error-summary a").count() === 2, "two errors expected");
	await checkPage(page, "sign-in-errors");
	await typeInto(page, { name: "email" }, email);
	await typeInto(page, { name: "password" }, password);
	await activate(page, { text: "Continue" });
	await page.waitForURL(`${base}/sign-in/code`);
	await checkPage(page, "sign-in-code");
	await typeInto(page, { name: "code" }, await nextCode(key));
	await activate(page, { text: "Sign in" });
	await page.waitForURL(`${base}/`);
	expect((await page.locator("main").innerText()).includes("Kay Board"), "not signed in as Kay");

	// Pages for everyone, and the page for none.
	for (const [where, name] of [["/accessibility", "accessibility"], ["/privacy", "privacy"],
	    ["/account/reset", "account-reset"]]) {
		await page.goto(`${base}${where}`);
		await checkPage(page, name);
	}
	const r = await page.goto(`${base}/nonesuch`);
	expect(r.status() === 404, `not found: ${r.status()}`);
	problems.splice(0);	// the 404 is logged by the browser as an error: the point here
	await checkPage(page, "not-found");
	console.log("account pages: every journey done by keyboard, axe clean");
});

// Journey: an admin at work on the /admin pages, by keyboard, with
// axe-core and a screenshot on every page: a user invited (a refused form
// first), disabled after the confirmation page, the last admin refused as
// an error on the page; an agency added; a bank holiday added and
// removed; an API token created, its secret shown once, then revoked.
// The admin is enrolled by conftest.py (MARACD_J_EMAIL ...).
import {
	activate, base, checkPage, expect, focused, journey, signInByApi, tabTo, typeInto,
} from "./lib.mjs";

const admin = {
	email: process.env.MARACD_J_EMAIL, password: process.env.MARACD_J_PASSWORD,
	secret: process.env.MARACD_J_SECRET, step: process.env.MARACD_J_STEP,
};

async function heading(page) {
	return (await page.locator("h1").first().innerText()).trim();
}

async function notice(page) {
	return (await page.locator(".govuk-notification-banner").innerText()).trim();
}

// Tab to a radio or checkbox and tick it with the space bar.
async function tick(page, id) {
	await tabTo(page, { id }, 60);
	await page.keyboard.press("Space");
}

// Tab to a link far down a long list and follow it.
async function follow(page, want) {
	await tabTo(page, want, 150);
	const loaded = page.waitForNavigation({ waitUntil: "load" });
	await page.keyboard.press("Enter");
	await loaded;
}

// Tab to a select and choose with the arrow keys until value is shown.
async function choose(page, id, value) {
	await tabTo(page, { id }, 60);
	for (let i = 0; i < 40; i++) {
		if (await page.locator(`#${id}`).inputValue() === value)
			return;
		await page.keyboard.press("ArrowDown");
	}
	expect(false, `${id}: no option ${value}`);
}

await journey(async ({ page }) => {
	await page.goto(`${base}/sign-in`);
	await signInByApi(page, admin);
	await page.goto(`${base}/admin`);
	expect(await heading(page) === "Administration", `admin: ${await heading(page)}`);
	await checkPage(page, "admin-1-home");

	// Users: the list, the invitation refused, then sent.
	await activate(page, { text: "Users" });
	await checkPage(page, "admin-2-users");
	await activate(page, { text: "Invite a user" });
	await checkPage(page, "admin-3-invite");
	await activate(page, { text: "Send the invitation" });
	await page.locator(".govuk-error-summary").waitFor();
	const f = await focused(page);
	expect(f !== null && f.tag === "div", `the error summary is not focused: ${JSON.stringify(f)}`);
	expect(await page.locator(".govuk-error-summary a").count() >= 3, "errors for each field");
	await checkPage(page, "admin-4-invite-errors");
	await typeInto(page, { id: "display_name" }, "Ivy Invitee");
	await typeInto(page, { id: "email" }, "ivy@police.example");
	await tick(page, "role");
	await choose(page, "agency", "police");
	await activate(page, { text: "Send the invitation" });
	await page.waitForURL(`${base}/admin/users?done=invited`);
	expect((await notice(page)).includes("The invitation has been sent"), "no invitation notice");
	await checkPage(page, "admin-5-invited");

	// The account's page; disabling asked first, then done.
	await activate(page, { text: "Ivy Invitee" });
	expect(await heading(page) === "Ivy Invitee", `user: ${await heading(page)}`);
	await checkPage(page, "admin-6-user");
	await activate(page, { text: "Disable the account" });
	expect(await heading(page) === "Disable this account?", `confirm: ${await heading(page)}`);
	await checkPage(page, "admin-7-confirm-disable");
	await activate(page, { text: "Disable the account" });
	expect((await notice(page)).includes("has been disabled"), "no disabled notice");
	await checkPage(page, "admin-8-disabled");

	// The last admin: the confirmation page again, with the error.
	const me = await page.evaluate(async () =>
		(await (await fetch("/v1/whoami", { credentials: "same-origin" })).json()).user_id);
	await page.goto(`${base}/admin/users/${me}/disable`);
	await activate(page, { text: "Disable the account" });
	await page.locator(".govuk-error-summary").waitFor();
	expect((await page.locator(".govuk-error-summary").innerText()).includes(
		"last active administrator"), "no last-admin error");
	await checkPage(page, "admin-9-last-admin");

	// Agencies: a refused form, then one added with its core forum.
	await page.goto(`${base}/admin/agencies`);
	await checkPage(page, "admin-10-agencies");
	await activate(page, { text: "Add an agency" });
	await activate(page, { text: "Add the agency" });
	await page.locator(".govuk-error-summary").waitFor();
	await checkPage(page, "admin-11-agency-errors");
	await typeInto(page, { id: "code" }, "housing_north");
	await typeInto(page, { id: "name" }, "North Housing");
	await typeInto(page, { id: "email" }, "marac@north.example");
	await tick(page, "core_of");
	await activate(page, { text: "Add the agency" });
	await page.waitForURL(`${base}/admin/agencies?done=agency_added`);
	expect((await page.locator("main").innerText()).includes("North Housing"), "agency not listed");
	await checkPage(page, "admin-12-agency-added");

	// Bank holidays: one added, then removed after its confirmation.
	await page.goto(`${base}/admin/holidays`);
	await checkPage(page, "admin-13-holidays");
	await typeInto(page, { id: "date" }, "14");
	await typeInto(page, { id: "date-month" }, "6");
	await typeInto(page, { id: "date-year" }, "2027");
	await typeInto(page, { id: "name" }, "Royal celebration");
	await activate(page, { text: "Add the bank holiday" });
	await page.waitForURL(`${base}/admin/holidays?done=holiday_added`);
	await checkPage(page, "admin-14-holiday-added");
	await follow(page, { text: /^Remove\s+Royal celebration/ });
	expect(await heading(page) === "Remove this bank holiday?", `confirm: ${await heading(page)}`);
	await checkPage(page, "admin-15-confirm-holiday");
	await activate(page, { text: "Remove the bank holiday" });
	await page.waitForURL(`${base}/admin/holidays?done=holiday_removed`);
	expect(!(await page.locator("main").innerText()).includes("Royal celebration"),
		"the holiday is still listed");

	// API tokens: made, the secret shown once; then revoked.
	await page.goto(`${base}/admin/tokens`);
	await checkPage(page, "admin-16-tokens");
	await activate(page, { text: "Create a token" });
	await typeInto(page, { id: "name" }, "Police nightly import");
	await tick(page, "role");
	await choose(page, "agency", "police");
	await activate(page, { text: "Create the token" });
	expect(await heading(page) === "API token created", `token: ${await heading(page)}`);
	const secret = (await page.locator("#token").innerText()).trim();
	expect(/^mrc_[A-Za-z0-9_-]{43}_[A-Za-z0-9_-]{6}$/.test(secret), `secret: ${secret}`);
	await checkPage(page, "admin-17-token-created");
	await page.goto(`${base}/admin/tokens`);
	expect(!(await page.content()).includes(secret), "the secret is shown again");
	await follow(page, { text: /^Revoke\s+Police nightly import/ });
	await checkPage(page, "admin-18-confirm-revoke");
	await activate(page, { text: "Revoke the token" });
	await page.waitForURL(`${base}/admin/tokens?done=token_revoked`);
	await checkPage(page, "admin-19-token-revoked");
	console.log("admin: every page axe clean");
});

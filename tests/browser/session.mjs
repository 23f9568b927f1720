// Journey: signing in through the JSON API from a page of maracd's: the
// browser keeps the __Host- session cookie (Secure: http://127.0.0.1 is a
// secure context) and sends it with the page's requests; before, maracd
// does not know the browser.
import { base, expect, journey, signInByApi } from "./lib.mjs";

const person = {
	email: process.env.MARACD_J_EMAIL, password: process.env.MARACD_J_PASSWORD,
	secret: process.env.MARACD_J_SECRET, step: process.env.MARACD_J_STEP,
};

await journey(async ({ context, page, problems }) => {
	const whoami = () => page.evaluate(async () => {
		const r = await fetch("/v1/whoami", { credentials: "same-origin" });
		return { status: r.status, body: await r.text() };
	});
	await page.goto(`${base}/healthz`);
	const before = await whoami();
	expect(before.status === 401, `before signing in: ${before.status}`);
	problems.splice(0);	// that 401 was the point
	await signInByApi(page, person);
	const cookies = await context.cookies(base);
	expect(cookies.some((c) => c.name === "__Host-maracd_session" && c.secure && c.httpOnly),
		`no session cookie kept: ${JSON.stringify(cookies.map((c) => c.name))}`);
	const after = await whoami();
	expect(after.status === 200 && JSON.parse(after.body).email === person.email,
		`after signing in: ${after.status} ${after.body}`);
	console.log("session: the browser is signed in");
});

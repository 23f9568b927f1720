// Journey: the harness itself fails when it should.  A page with faults
// axe must find (an image without a text alternative, a field without a
// label, text too faint to read) and a stylesheet from another server:
// checkAxe must throw, and the watch on requests must see the other
// server, or every other journey's "no violation" proves nothing.
import { base, checkAxe, expect, journey } from "./lib.mjs";

const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Faulty</title>
<link rel="stylesheet" href="http://cdn.invalid/style.css"></head>
<body><main><h1>Faulty page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input type="text" name="unlabelled"></form>
<p style="color:#eee;background:#fff">faint</p>
</main></body></html>`;

await journey(async ({ page, problems }) => {
	// Nothing may really leave the machine: the other server's request is
	// refused here, after the watch has seen it.
	await page.route("http://cdn.invalid/**", (route) => route.abort());
	await page.route(`${base}/harness/faulty`, (route) => route.fulfill({
		status: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: html,
	}));
	await page.goto(`${base}/harness/faulty`);
	let message = "";
	try {
		await checkAxe(page);
	} catch (e) {
		message = e.message;
	}
	for (const rule of ["image-alt", "label", "color-contrast"])
		expect(message.includes(rule), `checkAxe did not report ${rule}: ${message || "no failure"}`);
	const seen = problems.splice(0);
	expect(seen.some((p) => p.includes("request to http://cdn.invalid/style.css")),
		`the request to another server went unseen: ${JSON.stringify(seen)}`);
	console.log("harness: axe and the request watch both caught their faults");
});

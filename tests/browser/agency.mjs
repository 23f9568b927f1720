// What the agency journeys share (agency_*.mjs): the person from the
// test's environment, and the keyboard's ways with radios and boxes.
import { base, expect, fail, focused, tabTo } from "./lib.mjs";

export const person = {
	email: process.env.MARACD_J_EMAIL, password: process.env.MARACD_J_PASSWORD,
	secret: process.env.MARACD_J_SECRET, step: process.env.MARACD_J_STEP,
};

// Tab into the radio group called name and choose its nth button (0 the
// first) as a keyboard does: Space on the first, arrows to the others.
export async function chooseRadio(page, name, nth = 0) {
	await tabTo(page, { name });
	await page.keyboard.press("Space");
	for (let i = 0; i < nth; i++)
		await page.keyboard.press("ArrowRight");
	const f = await focused(page);
	const checked = await page.evaluate(() => document.activeElement.checked);
	expect(checked && f.name === name, `radio ${name}[${nth}] not chosen: ${JSON.stringify(f)}`);
}

// Tab to the checkbox with this id and tick it with Space.
export async function tick(page, id) {
	await tabTo(page, { id });
	await page.keyboard.press("Space");
	expect(await page.isChecked(`#${id}`), `#${id} not ticked`);
}

// The page's text, for what it must say.
export async function text(page, selector = "main") {
	return (await page.textContent(selector)).replace(/\s+/g, " ");
}

export async function mustSay(page, ...wanted) {
	const t = await text(page);
	for (const w of wanted)
		if (!(w instanceof RegExp ? w.test(t) : t.includes(w)))
			fail(`${page.url()} does not say ${w}:\n${t.slice(0, 1500)}`);
	return t;
}

export async function at(page, path) {
	const u = new URL(page.url());
	expect(path instanceof RegExp ? path.test(u.pathname + u.search) : u.pathname === path,
		`at ${u.pathname}${u.search}, not ${path}`);
}

export { base };

// Journey: maracd's stylesheet and script in a real browser, on a page
// of GOV.UK Frontend markup served under the pages' Content-Security-
// Policy (the page itself comes from the test, the assets from maracd):
// the styles apply with Arial, govuk-frontend starts (no inline script),
// nothing is fetched from elsewhere, axe finds nothing, and the page can
// be used by keyboard.
import { base, checkPage, expect, focused, journey, shot, tabTo } from "./lib.mjs";

const css = process.env.MARACD_J_CSS;
const js = process.env.MARACD_J_JS;
const favicon = process.env.MARACD_J_FAVICON;

const html = `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>Error: Sign in - maracd</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/svg+xml" href="${favicon}">
<link rel="stylesheet" href="${css}">
<script type="module" src="${js}"></script>
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
<p class="maracd-marking">OFFICIAL-SENSITIVE</p>
<div class="govuk-generic-header">
  <div class="govuk-generic-header__container govuk-width-container">
    <div class="govuk-generic-header__logo">
      <a href="/" class="govuk-generic-header__homepage-link">MARAC and MASC</a>
    </div>
  </div>
</div>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
<div class="govuk-error-summary" data-module="govuk-error-summary">
  <div role="alert">
    <h2 class="govuk-error-summary__title">There is a problem</h2>
    <div class="govuk-error-summary__body">
      <ul class="govuk-list govuk-error-summary__list">
        <li><a href="#email">Enter your email address</a></li>
      </ul>
    </div>
  </div>
</div>
<h1 class="govuk-heading-l">Sign in</h1>
<form method="post" action="/sign-in" novalidate>
  <div class="govuk-form-group govuk-form-group--error">
    <label class="govuk-label" for="email">Email address</label>
    <p id="email-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter your email address</p>
    <input class="govuk-input govuk-input--error" id="email" name="email" type="email" autocomplete="email" spellcheck="false" aria-describedby="email-error">
  </div>
  <div class="govuk-form-group govuk-password-input" data-module="govuk-password-input">
    <label class="govuk-label" for="password">Password</label>
    <div class="govuk-input__wrapper govuk-password-input__wrapper">
      <input class="govuk-input govuk-password-input__input govuk-js-password-input-input" id="password" name="password" type="password" spellcheck="false" autocomplete="current-password" autocapitalize="none">
      <button type="button" class="govuk-button govuk-button--secondary govuk-password-input__toggle govuk-js-password-input-toggle" data-module="govuk-button" aria-controls="password" aria-label="Show password" hidden>Show</button>
    </div>
  </div>
  <button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>
</form>
</main>
</div>
<footer class="govuk-footer">
  <div class="govuk-width-container">
    <ul class="govuk-footer__inline-list">
      <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/accessibility">Accessibility statement</a></li>
      <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/privacy">Privacy notice</a></li>
    </ul>
  </div>
</footer>
</body>
</html>`;

// The pages' headers, as the web contract gives them.
const headers = {
	"Content-Type": "text/html; charset=utf-8",
	"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; " +
		"form-action 'self'; base-uri 'none'",
	"Cache-Control": "no-store",
};

await journey(async ({ page }) => {
	await page.route(`${base}/harness/sign-in`, (route) =>
		route.fulfill({ status: 200, headers, body: html }));
	const loaded = [];
	page.on("response", (r) => loaded.push([r.url(), r.status()]));
	await page.goto(`${base}/harness/sign-in`);
	await page.waitForFunction(() =>
		document.body.classList.contains("govuk-frontend-supported"));

	for (const u of [css, js])
		expect(loaded.some(([url, status]) => url === base + u && status === 200),
			`${u} was not loaded from maracd: ${JSON.stringify(loaded)}`);
	expect(loaded.some(([url, status]) => /\/assets\/govuk-frontend-[0-9a-f]{12}\.js$/.test(url) &&
		status === 200), "maracd.js did not import govuk-frontend's module by its hashed name");
	for (const sel of ["h1", "label", ".govuk-button", ".govuk-footer__link"]) {
		const font = await page.evaluate((s) =>
			getComputedStyle(document.querySelector(s)).fontFamily, sel);
		expect(/^arial/i.test(font), `the font of ${sel} is ${font}, not Arial`);
	}
	const header = await page.evaluate(() => getComputedStyle(
		document.querySelector(".govuk-generic-header")).backgroundColor);
	expect(header !== "rgba(0, 0, 0, 0)", "the generic header has no styles");
	// govuk-frontend's components started: the password input's Show
	// button appears, and the error summary takes the focus.
	expect(await page.isVisible("button.govuk-password-input__toggle"),
		"govuk-frontend did not start the password input");
	const f = await focused(page);
	expect(f !== null && f.tag === "div", `the error summary did not take the focus: ${JSON.stringify(f)}`);

	await checkPage(page, "harness-sign-in");

	// By keyboard: the skip link comes first and leads to the main content.
	// Focus back at the top of the document, as on arriving at a page
	// whose error summary has not taken the focus.
	await page.evaluate(() => {
		document.body.setAttribute("tabindex", "-1");
		document.body.focus();
		document.body.removeAttribute("tabindex");
	});
	await page.keyboard.press("Tab");
	const skip = await focused(page);
	expect(skip !== null && skip.text === "Skip to main content",
		`the first Tab is not the skip link: ${JSON.stringify(skip)}`);
	await shot(page, "harness-skip-link");
	await tabTo(page, { id: "email" });
	await tabTo(page, { id: "password" });
	await page.keyboard.type("not a real one");
	await tabTo(page, { text: "Show" });
	await page.keyboard.press("Enter");
	expect(await page.getAttribute("#password", "type") === "text",
		"the Show button does not show the password");
});

// maracd's one script, an ES module (<script type=module>): browsers old
// enough to lack modules never run it, and every page works without it.
// GOV.UK Frontend only starts on a body marked govuk-frontend-supported;
// its usual inline snippet is not allowed under our Content-Security-Policy,
// so the mark is set here.  web/build points "govuk-frontend" at the hashed
// copy of govuk-frontend's own module served beside this file.
import { initAll } from "govuk-frontend";

document.body.classList.add("govuk-frontend-supported");
initAll();

// The session time-out warning (WCAG 2.2.1, Timing Adjustable).  A page
// whose body carries data-session-timeout (the seconds of idleness after
// which maracd ends the session) warns data-session-warning seconds
// before the end (default 120) in a dialog that says when and offers to
// stay signed in; staying asks maracd for data-session-keepalive (a GET,
// which counts as activity; default /v1/whoami).  When the time is up the
// page goes to data-session-expired (default /sign-in), since anything
// sent from it would be refused.  Typing in a page is not activity that
// maracd sees: only a request is.
function sessionTimeout(body) {
	const idle = Number(body.dataset.sessionTimeout);
	if (!(idle > 0))
		return;
	const before = Math.min(Number(body.dataset.sessionWarning) || 120, idle);
	const keepalive = body.dataset.sessionKeepalive || "/v1/whoami";
	const expired = body.dataset.sessionExpired || "/sign-in";
	let deadline = 0;
	let timers = [];

	const dialog = document.createElement("dialog");
	dialog.className = "maracd-timeout";
	dialog.setAttribute("aria-labelledby", "maracd-timeout-title");
	dialog.setAttribute("aria-describedby", "maracd-timeout-text");
	const title = document.createElement("h2");
	title.id = "maracd-timeout-title";
	title.className = "govuk-heading-m";
	title.textContent = "You are about to be signed out";
	const text = document.createElement("p");
	text.id = "maracd-timeout-text";
	text.className = "govuk-body";
	const stay = document.createElement("button");
	stay.type = "button";
	stay.className = "govuk-button";
	stay.textContent = "Stay signed in";
	dialog.append(title, text, stay);
	body.append(dialog);

	function left() {
		const s = Math.max(0, Math.round((deadline - Date.now()) / 1000));
		return s >= 120 ? `${Math.round(s / 60)} minutes` :
			s >= 60 ? "1 minute" : `${s} seconds`;
	}
	function say() {
		text.textContent = `For your security, you will be signed out in ${left()} ` +
			"if you do nothing. Anything you have not saved will be lost.";
	}
	function arm() {
		timers.forEach(clearTimeout);
		deadline = Date.now() + idle * 1000;
		timers = [
			setTimeout(() => {
				say();
				dialog.showModal();
				// The words change as time passes, quietly (not a live
				// region): they are read when the dialog opens.
				timers.push(setInterval(say, 15000));
			}, (idle - before) * 1000),
			setTimeout(() => window.location.assign(expired), idle * 1000),
		];
	}
	stay.addEventListener("click", async () => {
		let ok = false;
		try {
			const r = await fetch(keepalive, { credentials: "same-origin",
				headers: { Accept: "application/json" } });
			ok = r.ok;
		} catch {
			ok = false;
		}
		if (!ok) {
			window.location.assign(expired);
			return;
		}
		timers.forEach((t) => { clearTimeout(t); clearInterval(t); });
		dialog.close();
		arm();
	});
	// Escape would close the dialog without telling maracd anything.
	dialog.addEventListener("cancel", (e) => e.preventDefault());
	arm();
}

sessionTimeout(document.body);

/*
 * Annotator welfare on the annotate page: blurring the document text until the volunteer
 * chooses to read it, and a gentle reminder to take a break.
 *
 * Blur: the "Blur text" button (or Alt+B; plain letters are label keys, Alt+letters are not)
 * blurs the text now and on every later document in this browser (localStorage); "Show text"
 * reveals this document only, so the next one is blurred again.
 *
 * Break reminder: time on annotate pages is counted in this tab (sessionStorage), across
 * documents; an idle gap (no page open, or no keyboard or pointer use) of IDLE_MS is a break
 * and starts the count again. After the project's minutes (data-break-reminder-minutes; 0 is
 * off) a non-modal notice suggests a break.
 */
(function () {
  "use strict";

  const app = document.getElementById("annotate");
  if (!app) return;

  // ---- Blur -------------------------------------------------------------------------------

  const BLUR_KEY = "annotator:blur-text";
  const text = document.getElementById("document-text");
  const toggle = app.querySelector("[data-blur-toggle]");
  const cover = app.querySelector("[data-blur-cover]");
  const showButton = cover.querySelector("[data-show-text]");

  function stored(storage, key) {
    try { return storage.getItem(key); } catch (error) { return null; } // storage turned off
  }
  function store(storage, key, value) {
    try { storage.setItem(key, value); } catch (error) { /* storage turned off: this page only */ }
  }

  function setBlurred(blurred) {
    text.classList.toggle("blurred", blurred);
    // Kept from screen readers and the keyboard too while blurred: they meet "Show text".
    text.inert = blurred;
    cover.hidden = !blurred;
    toggle.setAttribute("aria-pressed", String(blurred));
  }

  function toggleBlur() {
    const blurred = !text.classList.contains("blurred");
    store(localStorage, BLUR_KEY, blurred ? "on" : "off");
    setBlurred(blurred);
    if (blurred) showButton.focus();
  }

  toggle.addEventListener("click", toggleBlur);
  showButton.addEventListener("click", () => {
    setBlurred(false);
    text.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== "KeyB") return;
    if (event.target.closest("input, select, textarea, [contenteditable]")) return;
    event.preventDefault();
    toggleBlur();
  });
  if (stored(localStorage, BLUR_KEY) === "on") {
    setBlurred(true);
    showButton.focus();
  }

  // ---- Break reminder ----------------------------------------------------------------------

  const minutes = parseInt(app.dataset.breakReminderMinutes, 10) || 0;
  if (minutes <= 0) return;
  const MINUTE = 60 * 1000;
  const IDLE_MS = 10 * MINUTE;
  const TICK_MS = 15 * 1000;
  const LATER_MS = Math.min(15, minutes) * MINUTE;
  const STATE_KEY = "annotator:annotating";
  const notice = app.querySelector("[data-break-notice]");
  const message = notice.querySelector("[data-break-message]");

  function fresh(now) {
    return { total: 0, last: now, remindAt: minutes * MINUTE };
  }

  function load(now) {
    try {
      const state = JSON.parse(stored(sessionStorage, STATE_KEY));
      if (state && now - state.last <= IDLE_MS) return state;
    } catch (error) { /* unreadable: start again */ }
    return fresh(now);
  }

  let state = load(Date.now());
  let lastActivity = Date.now();
  for (const type of ["keydown", "pointerdown", "wheel", "scroll"]) {
    document.addEventListener(type, () => { lastActivity = Date.now(); }, { passive: true });
  }

  function save() {
    store(sessionStorage, STATE_KEY, JSON.stringify(state));
  }

  function remindIfDue() {
    if (state.total < state.remindAt || !notice.hidden) return;
    const spent = Math.floor(state.total / MINUTE);
    message.textContent = "You have been annotating for " + spent + " minute" +
      (spent === 1 ? "" : "s") + ". Consider taking a break.";
    notice.hidden = false;
  }

  function tick() {
    const now = Date.now();
    if (now - lastActivity > IDLE_MS || now - state.last > IDLE_MS) {
      state = fresh(now); // away long enough: that was a break
      notice.hidden = true;
    } else if (document.visibilityState === "visible") {
      state.total += now - state.last;
    }
    state.last = now;
    save();
    remindIfDue();
  }

  function snooze(delay) {
    state.remindAt = state.total + delay;
    save();
    notice.hidden = true;
  }

  notice.querySelector("[data-break-later]").addEventListener("click", () => snooze(LATER_MS));
  notice.querySelector("[data-break-dismiss]").addEventListener("click", () => snooze(minutes * MINUTE));
  window.addEventListener("pagehide", tick); // the time up to leaving counts on the next page
  setInterval(tick, TICK_MS);
  save();
  remindIfDue();
})();

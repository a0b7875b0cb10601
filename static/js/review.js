/*
 * The review page's keyboard: j/k move between conflicts, 1-9 pick a variant, a accepts,
 * r rejects, e and n take the text selection, Shift+a label key relabels, u undoes,
 * Ctrl+Enter finishes. Every decision is one POST; the server answers with the review as it
 * now stands (or, 409, as another lead left it), which replaces the page's review part.
 */
(function () {
  "use strict";

  const csrfToken = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  let picked = new Map(); // conflict index → picked variant index
  let busy = false;

  function review() { return document.getElementById("review"); }
  function items() { return [...review().querySelectorAll(".conflict-item")]; }
  function currentIndex() { return Number(review().dataset.current || 0); }
  function shortcuts() { return JSON.parse(review().dataset.shortcuts || "{}"); }
  function isOpen() { return review().dataset.status !== "done"; }

  function show(index) {
    const all = items();
    if (!all.length) return;
    const bounded = Math.max(0, Math.min(index, all.length - 1));
    review().dataset.current = String(bounded);
    for (const item of all) {
      const here = Number(item.dataset.group) === bounded;
      item.classList.toggle("current", here);
      item.setAttribute("aria-current", here ? "true" : "false");
      if (here) item.scrollIntoView({ block: "nearest" });
    }
    for (const region of review().querySelectorAll(".conflict[data-group]")) {
      region.classList.toggle("current", Number(region.dataset.group) === bounded);
    }
    const region = review().querySelector(`.conflict[data-group="${bounded}"]`);
    if (region) region.scrollIntoView({ block: "center" });
    announce(all[bounded].querySelector(".conflict-head").textContent.trim());
  }

  function announce(message) {
    const status = document.getElementById("review-status");
    if (status) status.textContent = message;
  }

  function pick(variant) {
    const item = items()[currentIndex()];
    if (!item) return;
    const choice = item.querySelector(`.variants li[data-variant="${variant}"]`);
    if (!choice) return;
    picked.set(currentIndex(), variant);
    for (const li of item.querySelectorAll(".variants li")) li.classList.toggle("picked", li === choice);
    announce(`Picked ${variant + 1}: ${choice.textContent.trim()}`);
  }

  /* The picked variant, else the majority variant, else the only one; null (and the lead is
     told) when several are left to choose from. */
  function chosenVariant() {
    if (picked.has(currentIndex())) return picked.get(currentIndex());
    const item = items()[currentIndex()];
    const majority = item && item.querySelector(".variants li[data-variant] .majority");
    if (majority) return Number(majority.closest("li").dataset.variant);
    const count = item ? item.querySelectorAll(".variants li[data-variant]").length : 0;
    if (count === 1) return 0;
    announce(count ? `No majority here: pick a variant first (1–${count}).` : "Nothing to pick here.");
    return null;
  }

  function selection() {
    const text = document.getElementById("document-text");
    const chosen = window.getSelection();
    if (!chosen || chosen.isCollapsed || !chosen.rangeCount) return null;
    const range = chosen.getRangeAt(0);
    const start = Offsets.toCodePoint(text, range.startContainer, range.startOffset);
    const end = Offsets.toCodePoint(text, range.endContainer, range.endOffset);
    return start === null || end === null || start >= end ? null : { start, end };
  }

  async function decide(fields) {
    if (busy) { announce("Still saving the last decision…"); return; }
    busy = true;
    const why = {
      reason: (document.getElementById("decision-reason") || {}).value || "",
      note: (document.getElementById("decision-note") || {}).value || "",
    };
    const body = new URLSearchParams({
      version: review().dataset.version,
      names: review().dataset.names,
      ...why,
      ...fields,
    });
    try {
      const response = await fetch(review().dataset.decideUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual", // a redirect here means the session expired
        headers: { "X-CSRFToken": csrfToken, "HX-Request": "true" },
      });
      if (response.type === "opaqueredirect" || response.status === 401) {
        window.location.reload();
        return;
      }
      const html = await response.text();
      review().outerHTML = html;
      picked = new Map();
      start();
    } catch (error) {
      announce("The server could not be reached: nothing was changed. Try again.");
    } finally {
      busy = false;
    }
  }

  function onKey(event) {
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      const finish = document.getElementById("finish-form");
      if (finish) { event.preventDefault(); finish.submit(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (!isOpen() && event.key !== "j" && event.key !== "k") return; // a done review only reads
    const group = currentIndex();
    const key = event.key;
    if (event.shiftKey && key.length === 1 && shortcuts()[key.toLowerCase()]) {
      event.preventDefault();
      const variant = chosenVariant();
      if (variant !== null) decide({ action: "edit", group, variant, label: shortcuts()[key.toLowerCase()] });
      return;
    }
    if (event.shiftKey) return;
    if (key === "j" || key === "k") {
      event.preventDefault();
      show(group + (key === "j" ? 1 : -1));
    } else if (/^[1-9]$/.test(key)) {
      event.preventDefault();
      pick(Number(key) - 1);
    } else if (key === "a") {
      event.preventDefault();
      const variant = chosenVariant();
      if (variant !== null) decide({ action: "accept", group, variant });
    } else if (key === "r") {
      event.preventDefault();
      decide({ action: "reject", group });
    } else if (key === "e" || key === "n") {
      const range = selection();
      if (!range) { announce("Select the text first."); return; }
      event.preventDefault();
      if (key === "e") {
        const variant = chosenVariant();
        if (variant !== null) decide({ action: "edit", group, variant, ...range });
      } else {
        const item = items()[group];
        const index = picked.has(group) ? picked.get(group) : 0;
        const variant = item && item.querySelector(`.variants li[data-variant="${index}"]`);
        const label = variant ? variant.dataset.label : Object.values(shortcuts())[0];
        decide({ action: "add", label, ...range });
      }
    } else if (key === "u") {
      event.preventDefault();
      decide({ action: "undo" });
    }
  }

  function onClick(event) {
    const button = event.target.closest("[data-action]");
    if (!button || !review().contains(button)) return;
    const fields = { action: button.dataset.action };
    for (const name of ["group", "variant"]) {
      if (button.dataset[name] !== undefined) fields[name] = button.dataset[name];
    }
    if (button.dataset.goldSpan !== undefined) fields.gold_span = button.dataset.goldSpan;
    for (const name of ["start", "end", "label", "attributes", "source", "target", "kind"]) {
      if (button.dataset[name] !== undefined) fields[name] = button.dataset[name];
    }
    decide(fields);
  }

  function start() {
    show(currentIndex());
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onClick);
  start();
})();

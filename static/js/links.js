/*
 * Links between spans on the annotate page. With a casualty figure selected, `k` (or its
 * "Link…" button) starts link mode: a number key (or button) picks the kind, Tab / the arrow
 * keys (or a click on a span) pick the target among the spans of the label that kind needs,
 * Enter (or "Link") makes the link, Escape cancels. The server answers with the span list,
 * where each figure shows its links as chips; hovering a chip highlights its target.
 *
 * Link mode listens in the capture phase, so while it is on, its keys and clicks never reach
 * the span selection and label keys of annotate.js and suggestions.js.
 */
(function () {
  "use strict";

  const app = document.getElementById("annotate");
  const panel = document.getElementById("link-mode");
  if (!app || !panel) return;
  const textEl = document.getElementById("document-text");
  const statusEl = document.getElementById("save-status");
  const isOpen = app.dataset.open === "true";
  const kinds = JSON.parse(app.dataset.linkKinds || "[]");
  const chars = Array.from(textEl.textContent);
  const csrfToken = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const labelKeys = new Set(
    Array.from(document.querySelectorAll(".label-button"), (b) => b.dataset.shortcut.toLowerCase()));

  let mode = null; // {source, kind, candidates: [span ids], index}

  function say(message, kind) {
    statusEl.textContent = message;
    statusEl.className = "save-status " + (kind || "");
  }

  function marksOf(id) {
    return textEl.querySelectorAll('mark.span[data-span-id="' + CSS.escape(String(id)) + '"]');
  }

  function spanText(id) {
    const mark = marksOf(id)[0];
    return mark ? chars.slice(+mark.dataset.start, +mark.dataset.end).join("") : "";
  }

  function spanLabel(id) {
    const mark = marksOf(id)[0];
    return mark ? mark.dataset.label : null;
  }

  function selectedSpan() {
    const mark = textEl.querySelector("mark.span.selected[data-span-id]");
    return mark ? mark.dataset.spanId : null;
  }

  function spansLabelled(label, except) {
    const ids = [];
    for (const mark of textEl.querySelectorAll("mark.span[data-span-id]")) {
      const id = mark.dataset.spanId;
      if (mark.dataset.label === label && id !== except && !ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  // ---- Drawing the panel and the targets -------------------------------------------------

  function element(tag, text, attributes) {
    const made = document.createElement(tag);
    if (text) made.textContent = text;
    for (const [name, value] of Object.entries(attributes || {})) made.setAttribute(name, value);
    return made;
  }

  function clearTargets() {
    textEl.querySelectorAll(".link-candidate, .link-current").forEach((mark) =>
      mark.classList.remove("link-candidate", "link-current"));
  }

  function draw() {
    clearTargets();
    panel.replaceChildren();
    if (!mode) { panel.hidden = true; return; }
    panel.hidden = false;
    panel.append(element("h2", "Link “" + spanText(mode.source) + "”"));
    const choices = element("p", "Kind: ");
    kinds.forEach((kind, index) => {
      const button = element("button", (index + 1) + " " + kind.title,
        { type: "button", "data-link-kind": kind.key, "aria-pressed": String(mode.kind === kind) });
      button.className = "button";
      choices.append(button, " ");
    });
    panel.append(choices);
    if (mode.kind) {
      const target = mode.candidates[mode.index];
      for (const id of mode.candidates) marksOf(id).forEach((m) => m.classList.add("link-candidate"));
      marksOf(target).forEach((m) => m.classList.add("link-current"));
      const first = marksOf(target)[0];
      if (first) first.scrollIntoView({ block: "nearest" });
      panel.append(element("p", "→ " + mode.kind.title + " “" + spanText(target) + "” (" +
        (mode.index + 1) + " of " + mode.candidates.length + ")", { "data-link-target-text": "" }));
      panel.append(element("p", "Tab or the arrow keys choose another, Enter links, Escape cancels.",
        { class: "muted" }));
      const confirm = element("button", "Link", { type: "button", "data-link-confirm": "" });
      confirm.className = "button primary";
      panel.append(confirm, " ");
    } else {
      panel.append(element("p", "Press a number for the kind of link, Escape to cancel.", { class: "muted" }));
    }
    const cancel = element("button", "Cancel", { type: "button", "data-link-cancel": "" });
    cancel.className = "button";
    panel.append(cancel);
  }

  // ---- The steps -------------------------------------------------------------------------

  function start(source) {
    if (!isOpen) return;
    if (!source || spanLabel(source) !== "CASUALTY_FIGURE") {
      say("Select a casualty figure first: links go from a figure to its place, actor, source or total.", "");
      return;
    }
    mode = { source: source, kind: null, candidates: [], index: 0 };
    draw();
    say("Making a link: press 1 to " + kinds.length + " for its kind.", "");
  }

  function chooseKind(kind) {
    const candidates = spansLabelled(kind.target, mode.source);
    if (!candidates.length) {
      say("There is no " + kind.target + " span to link to: mark one first.", "error");
      return;
    }
    mode.kind = kind;
    mode.candidates = candidates;
    mode.index = 0;
    draw();
  }

  function step(by) {
    if (!mode || !mode.kind) return;
    mode.index = (mode.index + by + mode.candidates.length) % mode.candidates.length;
    draw();
  }

  function stop(message) {
    mode = null;
    draw();
    if (message) say(message, "");
  }

  function confirm() {
    if (!mode || !mode.kind) return;
    const made = mode;
    const target = made.candidates[made.index];
    window.htmx.ajax("POST", app.dataset.linkCreateUrl, {
      target: "#span-list",
      swap: "outerHTML",
      values: { source: String(made.source), target: String(target), kind: made.kind.key },
      headers: { "X-CSRFToken": csrfToken },
    });
    stop();
    say("Linking “" + spanText(made.source) + "” → " + made.kind.title + " “" + spanText(target) + "”…", "");
  }

  document.body.addEventListener("links-changed", (event) => {
    const change = event.detail || {};
    if (change.action === "created") {
      const kind = kinds.find((k) => k.key === change.kind);
      say("Linked: “" + spanText(change.from) + "” → " + (kind ? kind.title : change.kind) +
        " “" + spanText(change.to) + "”.", "ok");
    } else if (change.action === "deleted") {
      say("Link removed.", "ok");
    }
  });

  // ---- Keyboard and mouse ----------------------------------------------------------------

  window.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea, dialog, [contenteditable]")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (!mode) {
      const key = event.key.toLowerCase();
      if (key === "k" && !labelKeys.has("k") && !event.target.closest("summary")) {
        event.preventDefault();
        start(selectedSpan());
      }
      return;
    }
    let handled = true;
    const number = Number.parseInt(event.key, 10);
    if (number >= 1 && number <= kinds.length) chooseKind(kinds[number - 1]);
    else if (event.key === "Escape") stop("No link made.");
    else if (event.key === "Enter") confirm();
    else if ((event.key === "Tab" && !event.shiftKey) || event.key === "ArrowDown" || event.key === "ArrowRight") step(1);
    else if (event.key === "Tab" || event.key === "ArrowUp" || event.key === "ArrowLeft") step(-1);
    else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  window.addEventListener("click", (event) => {
    const starter = event.target.closest("[data-start-link]");
    if (starter) { start(starter.dataset.startLink); return; }
    if (!mode) return;
    const kindButton = event.target.closest("[data-link-kind]");
    if (kindButton) { chooseKind(kinds.find((k) => k.key === kindButton.dataset.linkKind)); return; }
    if (event.target.closest("[data-link-confirm]")) { confirm(); return; }
    if (event.target.closest("[data-link-cancel]")) { stop("No link made."); return; }
    const mark = event.target.closest("mark.span[data-span-id]");
    if (mark && mode.kind) {
      // A click on a text span picks the target rather than selecting the span.
      const index = mode.candidates.indexOf(mark.dataset.spanId);
      event.stopImmediatePropagation();
      if (index === -1) {
        say("A " + mode.kind.title + " link ends at a " + mode.kind.target + " span.", "error");
      } else {
        mode.index = index;
        draw();
      }
    }
  }, true);

  // Hovering (or focusing) a link chip highlights the span it points to.
  function highlight(event, on) {
    const chip = event.target.closest("[data-link-target]");
    if (chip) marksOf(chip.dataset.linkTarget).forEach((m) => m.classList.toggle("link-hover", on));
  }
  document.addEventListener("mouseover", (event) => highlight(event, true));
  document.addEventListener("mouseout", (event) => highlight(event, false));
  document.addEventListener("focusin", (event) => highlight(event, true));
  document.addEventListener("focusout", (event) => highlight(event, false));
})();

/*
 * The annotation workspace. The server draws the document and its spans once; this script
 * only adds, relabels and removes the marks of spans that change, so a long document is never
 * re-rendered. Every change is sent to the server and shown as saved only when acknowledged;
 * until then it stays visible as pending, kept in localStorage, with a retry.
 */
(function () {
  "use strict";

  const app = document.getElementById("annotate");
  if (!app) return;
  const textEl = document.getElementById("document-text");
  const statusEl = document.getElementById("save-status");
  const pendingEl = document.getElementById("pending");
  const pendingList = document.getElementById("pending-list");
  const isOpen = app.dataset.open === "true";
  const allowOverlap = app.dataset.allowOverlap === "true";
  const createUrl = app.dataset.spanCreateUrl;
  const storageKey = "annotator:pending:" + app.dataset.assignmentId;
  const csrfToken = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const chars = Array.from(textEl.textContent); // code points; the text never changes

  const labels = {};
  const labelByShortcut = {};
  for (const button of document.querySelectorAll(".label-button")) {
    labels[button.dataset.label] = {
      shortcut: button.dataset.shortcut,
      colour: button.dataset.labelColour,
    };
    labelByShortcut[button.dataset.shortcut.toLowerCase()] = button.dataset.label;
  }

  let selectedSpanId = null;
  let exactSelection = false;
  let keyboardSelection = null; // {anchor, focus}: token indices
  const undoStack = [];
  let pending = loadPending();

  // ---- URLs ------------------------------------------------------------------------------

  function spanUrl(id, suffix) {
    return app.dataset.spanUrlTemplate.replace(/\/0\/$/, "/" + id + "/") + (suffix || "");
  }

  // ---- Status ----------------------------------------------------------------------------

  function say(message, kind) {
    statusEl.textContent = message;
    statusEl.className = "save-status " + (kind || "");
  }

  // ---- Selection → code points -----------------------------------------------------------

  const wordChar = /[\p{L}\p{N}\p{M}]/u;
  const edgeChar = /[\s\p{P}]/u;

  /* Trim white space and punctuation at the edges, then widen to whole words. */
  function snap(start, end) {
    while (start < end && edgeChar.test(chars[start])) start++;
    while (end > start && edgeChar.test(chars[end - 1])) end--;
    if (start === end) return null;
    while (start > 0 && wordChar.test(chars[start - 1]) && wordChar.test(chars[start])) start--;
    while (end < chars.length && wordChar.test(chars[end]) && wordChar.test(chars[end - 1])) end++;
    return { start, end };
  }

  function domSelection() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!textEl.contains(range.startContainer) || !textEl.contains(range.endContainer)) return null;
    const start = Offsets.toCodePoint(textEl, range.startContainer, range.startOffset);
    const end = Offsets.toCodePoint(textEl, range.endContainer, range.endOffset);
    if (start === null || end === null || start === end) return null;
    if (exactSelection) return { start: Math.min(start, end), end: Math.max(start, end) };
    return snap(Math.min(start, end), Math.max(start, end));
  }

  function clearSelection() {
    window.getSelection().removeAllRanges();
    keyboardSelection = null;
  }

  let pressedAt = null;
  textEl.addEventListener("mousedown", (event) => {
    exactSelection = event.altKey;
    keyboardSelection = null;
    pressedAt = { x: event.clientX, y: event.clientY };
  });

  // ---- Keyboard selection by word ---------------------------------------------------------

  let tokenCache = null;
  function tokens() {
    if (!tokenCache) {
      tokenCache = [];
      let start = null;
      chars.forEach((char, index) => {
        if (wordChar.test(char)) { if (start === null) start = index; }
        else if (start !== null) { tokenCache.push([start, index]); start = null; }
      });
      if (start !== null) tokenCache.push([start, chars.length]);
    }
    return tokenCache;
  }

  function moveKeyboardSelection(step, extend) {
    const all = tokens();
    if (!all.length) return;
    if (!keyboardSelection) {
      const first = step > 0 ? 0 : all.length - 1;
      keyboardSelection = { anchor: first, focus: first };
    } else {
      const focus = Math.max(0, Math.min(all.length - 1, keyboardSelection.focus + step));
      keyboardSelection = extend ? { anchor: keyboardSelection.anchor, focus }
                                 : { anchor: focus, focus };
    }
    const low = Math.min(keyboardSelection.anchor, keyboardSelection.focus);
    const high = Math.max(keyboardSelection.anchor, keyboardSelection.focus);
    const range = Offsets.toRange(textEl, all[low][0], all[high][1]);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    exactSelection = false;
    const mark = range.startContainer.parentElement;
    if (mark && mark.scrollIntoView) mark.scrollIntoView({ block: "nearest" });
  }

  // ---- Drawing marks ---------------------------------------------------------------------

  function marksOf(id) {
    return textEl.querySelectorAll('mark[data-span-id="' + id + '"]');
  }

  function drawSpan(start, end, labelKey, attributes) {
    // Others drawing over the text (suggestions) step aside first, so that a span is one
    // mark wherever no line or paragraph boundary cuts it.
    textEl.dispatchEvent(new CustomEvent("span-drawing", { detail: { start, end } }));
    const pieces = [];
    let total = 0;
    for (const node of Offsets.textNodes(textEl)) {
      const length = Offsets.codePointsIn(node.data);
      const from = Math.max(start, total);
      const to = Math.min(end, total + length);
      if (from < to) {
        pieces.push({
          node,
          a: Offsets.unitsFor(node.data, from - total),
          b: Offsets.unitsFor(node.data, to - total),
        });
      }
      total += length;
      if (total >= end) break;
    }
    const marks = [];
    for (const piece of pieces) {
      let middle = piece.node;
      if (piece.b < middle.data.length) middle.splitText(piece.b);
      if (piece.a > 0) middle = middle.splitText(piece.a);
      const mark = document.createElement("mark");
      mark.className = "span";
      mark.dataset.start = start;
      mark.dataset.end = end;
      Object.assign(mark.dataset, attributes);
      middle.parentNode.replaceChild(mark, middle);
      mark.appendChild(middle);
      marks.push(mark);
    }
    if (marks.length) marks[marks.length - 1].classList.add("span-last");
    setLabel(marks, labelKey);
    return marks;
  }

  function setLabel(marks, labelKey) {
    for (const mark of marks) {
      mark.dataset.label = labelKey;
      mark.dataset.shortcut = labels[labelKey].shortcut;
      mark.style.setProperty("--label-colour", labels[labelKey].colour);
    }
  }

  function eraseMarks(marks) {
    for (const mark of marks) mark.replaceWith(...mark.childNodes);
    textEl.normalize();
  }

  function savedSpans() {
    const spans = new Map();
    for (const mark of textEl.querySelectorAll("mark.span")) {
      const key = mark.dataset.spanId || mark.dataset.clientId;
      spans.set(key, { start: +mark.dataset.start, end: +mark.dataset.end, label: mark.dataset.label });
    }
    return [...spans.values()];
  }

  // ---- Talking to the server -------------------------------------------------------------

  async function post(url, fields) {
    const body = new URLSearchParams(fields);
    return fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      redirect: "manual", // a redirect here means the session expired (login page)
      headers: { "X-CSRFToken": csrfToken, "HX-Request": "true" },
    });
  }

  function sessionExpired(response) {
    return response.type === "opaqueredirect" || response.status === 401;
  }

  function changeFrom(response) {
    const header = response.headers.get("HX-Trigger");
    return header ? JSON.parse(header)["spans-changed"] : null;
  }

  function announce(change) {
    if (window.htmx) window.htmx.trigger(document.body, "spans-changed", change);
  }

  // ---- Pending spans: kept until the server has them --------------------------------------

  function loadPending() {
    try { return JSON.parse(localStorage.getItem(storageKey) || "[]"); }
    catch (error) { return []; }
  }

  function storePending() {
    if (pending.length) localStorage.setItem(storageKey, JSON.stringify(pending));
    else localStorage.removeItem(storageKey);
    renderPending();
  }

  function renderPending() {
    pendingList.replaceChildren();
    const failed = pending.filter((item) => item.problem);
    pendingEl.hidden = failed.length === 0;
    for (const item of failed) {
      const li = document.createElement("li");
      li.dataset.clientId = item.clientId;
      const text = chars.slice(item.start, item.end).join("");
      li.textContent = item.label + " “" + text + "”: " + item.problem + " ";
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "button";
      retry.textContent = "Retry";
      retry.addEventListener("click", () => sendPending(item));
      li.appendChild(retry);
      if (item.login) {
        const link = document.createElement("a");
        link.href = app.dataset.loginUrl;
        link.textContent = " Log in again";
        li.appendChild(link);
      }
      pendingList.appendChild(li);
    }
  }

  async function createSpan(range, labelKey, attributes, fromSuggestion) {
    if (!allowOverlap) {
      const clash = savedSpans().find((span) => span.start < range.end && range.start < span.end);
      if (clash) {
        clearSelection();
        say("That overlaps a " + clash.label + " span. Spans may not overlap in this project.", "error");
        return;
      }
    }
    const item = {
      clientId: "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8),
      start: range.start, end: range.end, label: labelKey, attributes: attributes || null,
      fromSuggestion: Boolean(fromSuggestion),
    };
    drawSpan(item.start, item.end, item.label, { clientId: item.clientId })
      .forEach((mark) => mark.classList.add("pending"));
    pending.push(item);
    storePending();
    clearSelection();
    return sendPending(item);
  }

  async function sendPending(item) {
    say("Saving…", "busy");
    const fields = { label: item.label, start: item.start, end: item.end };
    if (item.attributes) fields.attributes = JSON.stringify(item.attributes);
    if (item.fromSuggestion) fields.from_suggestion = "1";
    let response;
    try {
      response = await post(createUrl, fields);
    } catch (error) {
      return keepPending(item, "the server did not answer.");
    }
    if (sessionExpired(response)) {
      return keepPending(item, "your session expired; log in again and it will be saved.", true);
    }
    const marks = textEl.querySelectorAll('mark[data-client-id="' + item.clientId + '"]');
    if (response.status === 200 || response.status === 201) {
      const change = changeFrom(response);
      for (const mark of marks) {
        mark.classList.remove("pending", "failed");
        delete mark.dataset.clientId;
        mark.dataset.spanId = change.id;
        mark.classList.toggle("incomplete", change.incomplete);
      }
      forget(item);
      undoStack.push({ kind: "create", id: String(change.id) }); // ids are kept as strings
      // 200: the same span was saved before, from another tab or a repeated request.
      say(response.status === 201 ? "Saved." : "Already saved.", "ok");
      announce(change);
      return change.id;
    }
    if (response.status === 400 || response.status === 409) {
      const message = await response.text();
      eraseMarks(marks);
      forget(item);
      say("Not saved: " + message, "error");
      return false;
    }
    if (response.status === 503) {
      // The database is out of reach for a moment (a restart): try again when the server
      // says to, so the annotator need not notice.
      const seconds = Math.min(Math.max(Number(response.headers.get("Retry-After")) || 5, 1), 60);
      retryLater(seconds);
      return keepPending(item, "the service is briefly unavailable; trying again in " +
        seconds + " s.");
    }
    return keepPending(item, "the server failed (error " + response.status + ").");
  }

  let retryTimer = null;
  function retryLater(seconds) {
    if (retryTimer) return;
    retryTimer = setTimeout(() => { retryTimer = null; retryAll(); }, seconds * 1000);
  }

  function keepPending(item, problem, login) {
    item.problem = problem;
    item.login = Boolean(login);
    for (const mark of textEl.querySelectorAll('mark[data-client-id="' + item.clientId + '"]')) {
      mark.classList.add("failed");
    }
    storePending();
    say("Not saved yet: " + problem, "error");
    return false;
  }

  function forget(item) {
    pending = pending.filter((other) => other.clientId !== item.clientId);
    storePending();
  }

  async function retryAll() {
    for (const item of [...pending]) {
      if (!(await sendPending(item))) break;
    }
  }

  // ---- Changing saved spans --------------------------------------------------------------

  async function changeSpan(id, url, fields, onSuccess) {
    say("Saving…", "busy");
    let response;
    try { response = await post(url, fields); }
    catch (error) { say("Not saved: the server did not answer. Try again.", "error"); return false; }
    if (sessionExpired(response)) {
      say("Not saved: your session expired. Log in again, then repeat the change.", "error");
      return false;
    }
    if (!response.ok) {
      say("Not saved: " + await response.text(), "error");
      return false;
    }
    const change = changeFrom(response);
    onSuccess(change);
    say("Saved.", "ok");
    announce(change);
    return true;
  }

  function relabelSpan(id, labelKey, undoable) {
    const marks = marksOf(id);
    if (!marks.length || marks[0].dataset.label === labelKey) return;
    const before = marks[0].dataset.label;
    return changeSpan(id, spanUrl(id), { label: labelKey }, (change) => {
      setLabel(marksOf(id), labelKey);
      marksOf(id).forEach((mark) => mark.classList.toggle("incomplete", change.incomplete));
      if (undoable !== false) undoStack.push({ kind: "relabel", id, label: before });
      if (selectedSpanId === id) loadDetail(id);
    });
  }

  function deleteSpan(id, undoable) {
    const marks = marksOf(id);
    if (!marks.length) return;
    const removed = {
      start: +marks[0].dataset.start, end: +marks[0].dataset.end, label: marks[0].dataset.label,
    };
    return changeSpan(id, spanUrl(id, "delete/"), {}, (change) => {
      removed.attributes = change.attributes || null;
      eraseMarks(marksOf(id));
      if (selectedSpanId === id) selectSpan(null);
      if (undoable !== false) undoStack.push({ kind: "delete", span: removed, id });
    });
  }

  async function undo() {
    const action = undoStack.pop();
    if (!action) { say("Nothing to undo.", ""); return; }
    if (action.kind === "create") await deleteSpan(action.id, false);
    else if (action.kind === "relabel") await relabelSpan(action.id, action.label, false);
    else if (action.kind === "delete") {
      const newId = await createSpan(action.span, action.span.label, action.span.attributes);
      if (newId) {
        undoStack.pop(); // recreating is the undo itself, not a new undoable action
        // The span came back under a new id: earlier steps about it must follow it.
        for (const step of undoStack) if (step.id === action.id) step.id = String(newId);
      }
    }
  }

  // ---- Selecting a span ------------------------------------------------------------------

  function selectSpan(id) {
    document.querySelectorAll(".selected").forEach((el) => el.classList.remove("selected"));
    selectedSpanId = id;
    if (id === null) {
      const panel = document.getElementById("span-detail");
      if (panel) panel.innerHTML = '<p class="muted">Select a span to see its attributes.</p>';
      return;
    }
    marksOf(id).forEach((mark) => mark.classList.add("selected"));
    const item = document.getElementById("span-" + id);
    if (item) item.classList.add("selected");
    const first = marksOf(id)[0];
    if (first) first.scrollIntoView({ block: "nearest" });
    loadDetail(id);
    say("Selected a " + (first ? first.dataset.label : "") + " span: a label key relabels it, Delete removes it.", "");
  }

  function loadDetail(id) {
    if (window.htmx) {
      window.htmx.ajax("GET", spanUrl(id, "attributes/"), { target: "#span-detail", swap: "outerHTML" });
    }
  }

  function stepSpan(step) {
    const ids = [];
    for (const mark of textEl.querySelectorAll("mark.span[data-span-id]")) {
      if (!ids.includes(mark.dataset.spanId)) ids.push(mark.dataset.spanId);
    }
    if (!ids.length) return;
    const index = ids.indexOf(selectedSpanId);
    const next = index === -1 ? (step > 0 ? 0 : ids.length - 1)
                              : (index + step + ids.length) % ids.length;
    clearSelection();
    selectSpan(ids[next]);
  }

  textEl.addEventListener("click", (event) => {
    // A drag selects text, not a span. Judge by the pointer, not the selection: Chrome keeps
    // an old selection through a click made inside it (it might become a drag).
    const moved = pressedAt &&
      Math.hypot(event.clientX - pressedAt.x, event.clientY - pressedAt.y) > 3;
    if (moved) return;
    clearSelection();
    const mark = event.target.closest("mark.span[data-span-id]");
    if (!mark) { selectSpan(null); return; }
    // Clicking a selected span again selects the span around it (stacked overlaps).
    let target = mark;
    if (mark.dataset.spanId === selectedSpanId) {
      const outer = mark.parentElement.closest("mark.span[data-span-id]");
      if (outer) target = outer;
    }
    selectSpan(target.dataset.spanId);
  });

  document.addEventListener("click", (event) => {
    const item = event.target.closest("[data-select-span]");
    if (item) selectSpan(item.dataset.selectSpan);
    const labelButton = event.target.closest(".label-button");
    if (labelButton && isOpen) applyLabel(labelButton.dataset.label);
    const opener = event.target.closest("[data-open-dialog]");
    if (opener) document.getElementById(opener.dataset.openDialog).showModal();
    if (event.target.closest("[data-retry-all]")) retryAll();
  });

  // Keep the text selection when a label button is pressed with the mouse.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest(".label-button")) event.preventDefault();
  });

  function applyLabel(labelKey) {
    const range = domSelection();
    if (range) return createSpan(range, labelKey);
    if (selectedSpanId) return relabelSpan(selectedSpanId, labelKey);
    say("Select some words first, or click a span to relabel it.", "");
  }

  // ---- Keyboard --------------------------------------------------------------------------

  document.addEventListener("keydown", (event) => {
    const inForm = event.target.closest("input, select, textarea, dialog, summary, [contenteditable]");
    const command = event.ctrlKey || event.metaKey;
    if (command && event.key === "Enter") {
      event.preventDefault();
      const form = document.getElementById("submit-form");
      if (form) form.requestSubmit();
      return;
    }
    if (inForm) return;
    if (command && event.key.toLowerCase() === "z") {
      event.preventDefault();
      if (isOpen) undo();
      return;
    }
    if (command) return;
    if (event.key === "Escape") { clearSelection(); selectSpan(null); return; }
    if (event.key === "?") { document.getElementById("guidelines").showModal(); return; }
    if (event.altKey && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      event.preventDefault();
      stepSpan(event.key === "ArrowRight" ? 1 : -1);
      return;
    }
    if (document.activeElement === textEl && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      event.preventDefault();
      moveKeyboardSelection(event.key === "ArrowRight" ? 1 : -1, event.shiftKey);
      return;
    }
    if (!isOpen) return;
    if ((event.key === "Delete" || event.key === "Backspace") && selectedSpanId && !domSelection()) {
      event.preventDefault();
      deleteSpan(selectedSpanId);
      return;
    }
    const labelKey = !event.altKey && labelByShortcut[event.key.toLowerCase()];
    if (labelKey) {
      event.preventDefault();
      applyLabel(labelKey);
    }
  });

  // ---- Submitting ------------------------------------------------------------------------

  const submitForm = document.getElementById("submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", (event) => {
      if (pending.length) {
        event.preventDefault();
        say(pending.length + " span(s) are not saved yet. Retry them before you submit.", "error");
      }
    });
  }

  // ---- htmx: the attributes panel and the span list ---------------------------------------

  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.responseURL && new URL(xhr.responseURL).pathname.startsWith("/login/")) {
      event.detail.shouldSwap = false;
      say("Not saved: your session expired. Log in again, then repeat the change.", "error");
    } else if (xhr.status === 400) {
      event.detail.shouldSwap = true; // the form comes back with each problem next to its field
      event.detail.isError = false;
    } else if (xhr.status === 404 && event.detail.target.id === "span-detail") {
      event.detail.shouldSwap = false; // the span was deleted meanwhile: nothing to show
      say(xhr.responseText, "error");
    } else if (xhr.status >= 400) {
      const plain = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/plain");
      say("Not saved: " + (plain ? xhr.responseText : "the server answered " + xhr.status + "."),
          "error");
    }
  });
  document.body.addEventListener("htmx:sendError", () => {
    say("Not saved: the server did not answer. Your entries are still in the form; save again.", "error");
  });
  document.body.addEventListener("spans-changed", (event) => {
    const change = event.detail || {};
    if (change.action === "updated" && change.id) {
      marksOf(change.id).forEach((mark) => mark.classList.toggle("incomplete", change.incomplete));
    }
  });
  document.body.addEventListener("htmx:afterSwap", () => {
    if (selectedSpanId) {
      const item = document.getElementById("span-" + selectedSpanId);
      if (item) item.classList.add("selected");
    }
  });

  // ---- Start: redraw and resend what an earlier visit could not save ----------------------

  // A span whose save reached the server but whose answer was lost is already drawn as saved.
  const alreadySaved = (item) => savedSpans().some(
    (span) => span.start === item.start && span.end === item.end && span.label === item.label);
  pending = pending.filter((item) => !alreadySaved(item));
  storePending();
  for (const item of pending) {
    drawSpan(item.start, item.end, item.label, { clientId: item.clientId })
      .forEach((mark) => mark.classList.add("pending"));
  }
  if (pending.length && isOpen) retryAll();
  window.addEventListener("online", () => { if (pending.length) retryAll(); });

  // suggestions.js turns an accepted suggestion into a span made here: saved, retried and
  // undone like any other.
  window.Annotate = {
    acceptSuggestion: (suggestion) =>
      createSpan(suggestion, suggestion.label, suggestion.attributes, true),
  };
})();

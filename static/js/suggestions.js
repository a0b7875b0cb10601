/*
 * Suggestions on the annotate page: drawn as dashed outlines over the text, stepped through
 * with s (Shift+S back), accepted with Enter or y (or all at once), hidden with x. Accepting
 * hands the suggestion to annotate.js, which saves it as a span like one made by hand; an
 * ignored suggestion is never sent anywhere, so it never counts.
 */
(function () {
  "use strict";

  const panel = document.getElementById("suggestions");
  const textEl = document.getElementById("document-text");
  if (!panel || !textEl || !window.Annotate) return;
  const statusEl = panel.querySelector("[data-suggestion-status]");
  const countEl = panel.querySelector("[data-suggestion-count]");

  const colours = {};
  const labelKeys = new Set();
  for (const button of document.querySelectorAll(".label-button")) {
    colours[button.dataset.label] = button.dataset.labelColour;
    labelKeys.add(button.dataset.shortcut.toLowerCase());
  }

  let suggestions = [...panel.querySelectorAll("li[data-start]")].map((item, index) => ({
    id: String(index),
    start: +item.dataset.start,
    end: +item.dataset.end,
    label: item.dataset.label,
    attributes: JSON.parse(item.dataset.attributes || "{}"),
    reason: item.dataset.reason,
  }));
  let current = null;

  function say(message) { statusEl.textContent = message; }

  function overlaps(a, b) { return a.start < b.end && b.start < a.end; }

  function spansOnPage() {
    return [...textEl.querySelectorAll("mark.span")].map(
      (mark) => ({ start: +mark.dataset.start, end: +mark.dataset.end }));
  }

  function marksOf(suggestion) {
    return textEl.querySelectorAll('mark.suggestion[data-suggestion="' + suggestion.id + '"]');
  }

  /* Wrap code points [start, end) in outline marks, one per text node it crosses. */
  function draw(suggestion) {
    let total = 0;
    const pieces = [];
    for (const node of Offsets.textNodes(textEl)) {
      const length = Offsets.codePointsIn(node.data);
      const from = Math.max(suggestion.start, total);
      const to = Math.min(suggestion.end, total + length);
      if (from < to) {
        pieces.push({ node, a: Offsets.unitsFor(node.data, from - total),
                      b: Offsets.unitsFor(node.data, to - total) });
      }
      total += length;
      if (total >= suggestion.end) break;
    }
    for (const piece of pieces) {
      let middle = piece.node;
      if (piece.b < middle.data.length) middle.splitText(piece.b);
      if (piece.a > 0) middle = middle.splitText(piece.a);
      const mark = document.createElement("mark");
      mark.className = "suggestion";
      mark.dataset.suggestion = suggestion.id;
      mark.dataset.label = suggestion.label;
      mark.dataset.labelColour = colours[suggestion.label] || "";
      mark.title = "Suggested " + suggestion.label + " (" + suggestion.reason + ")";
      middle.parentNode.replaceChild(mark, middle);
      mark.appendChild(middle);
    }
  }

  function remove(suggestion) {
    for (const mark of marksOf(suggestion)) mark.replaceWith(...mark.childNodes);
    textEl.normalize();
    suggestions = suggestions.filter((other) => other !== suggestion);
    if (current === suggestion) current = null;
    countEl.textContent = "(" + suggestions.length + ")";
  }

  function choose(suggestion) {
    textEl.querySelectorAll("mark.suggestion.current")
      .forEach((mark) => mark.classList.remove("current"));
    current = suggestion;
    if (!suggestion) return;
    const marks = marksOf(suggestion);
    marks.forEach((mark) => mark.classList.add("current"));
    if (marks[0]) marks[0].scrollIntoView({ block: "nearest" });
    const text = [...textEl.textContent].slice(suggestion.start, suggestion.end).join("");
    say("Suggested " + suggestion.label + " “" + text + "”: Enter or y accepts, x hides.");
  }

  function step(direction) {
    if (!suggestions.length) { say("No suggestions left."); return; }
    const index = suggestions.indexOf(current);
    const next = index === -1 ? (direction > 0 ? 0 : suggestions.length - 1)
                              : (index + direction + suggestions.length) % suggestions.length;
    choose(suggestions[next]);
  }

  async function accept(suggestion) {
    const following = suggestions[suggestions.indexOf(suggestion) + 1];
    remove(suggestion); // the span annotate.js draws takes its place
    const saved = await window.Annotate.acceptSuggestion(suggestion);
    if (following && suggestions.includes(following)) choose(following);
    return saved;
  }

  async function acceptAll() {
    let accepted = 0;
    for (const suggestion of [...suggestions]) {
      if (await accept(suggestion)) accepted++;
    }
    choose(null);
    say("Accepted " + accepted + " suggestion" + (accepted === 1 ? "" : "s") + ".");
  }

  // A span made by hand over a suggestion replaces it, before the span is drawn.
  textEl.addEventListener("span-drawing", (event) => {
    suggestions.filter((suggestion) => overlaps(suggestion, event.detail)).forEach(remove);
  });

  panel.querySelector("[data-accept-all]").addEventListener("click", acceptAll);

  textEl.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.suggestion");
    if (mark && !event.target.closest("mark.span")) {
      choose(suggestions.find((suggestion) => suggestion.id === mark.dataset.suggestion));
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea, dialog, summary, button, a, [contenteditable]")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key.length === 1 && labelKeys.has(key)) return; // a label's own key wins
    if (key === "s") {
      event.preventDefault();
      step(event.shiftKey ? -1 : 1);
    } else if ((key === "enter" || key === "y") && current) {
      event.preventDefault();
      accept(current);
    } else if (key === "x" && current) {
      event.preventDefault();
      const hidden = current;
      step(1);
      remove(hidden);
      if (!suggestions.length) say("No suggestions left.");
    }
  });

  // Spans saved since the page was drawn (pending ones from an earlier visit) win over
  // suggestions at the same place.
  const taken = spansOnPage();
  suggestions = suggestions.filter((suggestion) => !taken.some((span) => overlaps(suggestion, span)));
  suggestions.forEach(draw);
  countEl.textContent = "(" + suggestions.length + ")";
})();

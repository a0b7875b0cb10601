/*
 * The document page's "Ignore the selected text": the lead's selection in the text, as
 * code-point offsets (Offsets, the one conversion), fills the form's start and end.
 */
(function () {
  "use strict";

  const textEl = document.getElementById("document-text");
  const form = document.querySelector("[data-ignore-selection]");
  if (!textEl || !form) return;
  const button = form.querySelector("button[type=submit]");
  const note = form.querySelector("[data-selection-note]");

  function update() {
    const selection = window.getSelection();
    // Typing the reason moves the selection out of the text: keep the range chosen before.
    if (selection && selection.anchorNode && !textEl.contains(selection.anchorNode)) return;
    let start = null;
    let end = null;
    if (selection && selection.rangeCount && !selection.isCollapsed) {
      const range = selection.getRangeAt(0);
      start = Offsets.toCodePoint(textEl, range.startContainer, range.startOffset);
      end = Offsets.toCodePoint(textEl, range.endContainer, range.endOffset);
    }
    const usable = start !== null && end !== null && start < end;
    form.elements.start.value = usable ? start : "";
    form.elements.end.value = usable ? end : "";
    button.disabled = !usable;
    note.textContent = usable
      ? "Characters " + start + "–" + end + " selected."
      : "Select text in the document below first.";
  }

  document.addEventListener("selectionchange", update);
})();

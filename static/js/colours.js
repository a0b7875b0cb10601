/*
 * Label colours. The Content-Security-Policy forbids inline style attributes, so the server
 * writes a label's colour as data-label-colour and this script sets the --label-colour custom
 * property through the CSSOM, which the policy allows. It runs from <head> and watches the
 * whole document, so elements are coloured as the parser, htmx or our own scripts insert them,
 * before they are painted.
 */
(function () {
  "use strict";

  // Colours are validated on the server too; anything else would only be a broken colour.
  const colourPattern = /^#[0-9a-fA-F]{6}$/;

  function paint(element) {
    const colour = element.getAttribute("data-label-colour");
    if (colourPattern.test(colour)) element.style.setProperty("--label-colour", colour);
  }

  function paintWithin(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.hasAttribute("data-label-colour")) paint(node);
    for (const element of node.querySelectorAll("[data-label-colour]")) paint(element);
  }

  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") paint(record.target);
      else for (const node of record.addedNodes) paintWithin(node);
    }
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["data-label-colour"],
  });
  paintWithin(document.documentElement);
})();

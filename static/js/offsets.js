/*
 * The one conversion between browser and server offsets.
 *
 * The browser addresses text in UTF-16 code units inside DOM text nodes; the server stores
 * spans as Unicode code points into the document text (Python string indices). An emoji is
 * two code units but one code point, so counting the wrong unit shifts every later span.
 * The server renders the text so that the DOM text equals the stored text exactly (CR as
 * &#13;), which makes the conversion a pure count over the container's text nodes.
 */
(function (global) {
  "use strict";

  function isHighSurrogate(unit) { return unit >= 0xd800 && unit <= 0xdbff; }
  function isLowSurrogate(unit) { return unit >= 0xdc00 && unit <= 0xdfff; }

  /* Code points in string.slice(0, units). */
  function codePointsIn(string, units) {
    const limit = units === undefined ? string.length : units;
    let count = 0;
    for (let i = 0; i < limit; i++) {
      if (isHighSurrogate(string.charCodeAt(i)) && i + 1 < limit &&
          isLowSurrogate(string.charCodeAt(i + 1))) {
        i++;
      }
      count++;
    }
    return count;
  }

  /* UTF-16 units taken by the first `points` code points of string. */
  function unitsFor(string, points) {
    let units = 0;
    for (let seen = 0; seen < points && units < string.length; seen++) {
      const pair = isHighSurrogate(string.charCodeAt(units)) &&
        isLowSurrogate(string.charCodeAt(units + 1));
      units += pair ? 2 : 1;
    }
    return units;
  }

  function textNodes(root) {
    const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
    return nodes;
  }

  /* A DOM point (node, offset) inside root → code-point offset into root's text. */
  function toCodePoint(root, node, offset) {
    if (!root.contains(node)) return null;
    let total = 0;
    if (node.nodeType === Node.TEXT_NODE) {
      for (const text of textNodes(root)) {
        if (text === node) return total + codePointsIn(text.data, offset);
        total += codePointsIn(text.data);
      }
      return null;
    }
    // A point between child nodes: count the text of every text node that starts before it.
    const boundary = root.ownerDocument.createRange();
    boundary.setStart(node, offset);
    boundary.collapse(true);
    for (const text of textNodes(root)) {
      if (boundary.comparePoint(text, 0) >= 0) break;
      total += codePointsIn(text.data);
    }
    return total;
  }

  /* Code-point offset into root's text → {node, offset} (a text node, UTF-16 offset). */
  function toDomPoint(root, codePoint) {
    const nodes = textNodes(root);
    let total = 0;
    for (const text of nodes) {
      const length = codePointsIn(text.data);
      if (codePoint <= total + length) {
        return { node: text, offset: unitsFor(text.data, codePoint - total) };
      }
      total += length;
    }
    const last = nodes[nodes.length - 1];
    return last ? { node: last, offset: last.data.length } : { node: root, offset: 0 };
  }

  /* A DOM Range covering code points [start, end) of root's text. */
  function toRange(root, start, end) {
    const range = root.ownerDocument.createRange();
    const from = toDomPoint(root, start);
    const to = toDomPoint(root, end);
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  global.Offsets = { toCodePoint, toDomPoint, toRange, codePointsIn, unitsFor, textNodes };
})(window);

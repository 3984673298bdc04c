/* The small DOM helpers of the agent panel: $() by id, el() and svg() to build nodes,
 * clear(), and the panel's two error lines. */

export function $(id) {
  return document.getElementById(id);
}

// el("p", {class: "x", onclick: fn, "data-id": 1}, ["text", node]): attributes, listeners
// (on...), text (`text`), children (strings, numbers, nodes; null is skipped). `style` is
// set through the CSSOM: the pages' CSP (style-src 'self') blocks a style attribute.
export function el(tag, attrs, children) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "text") e.textContent = attrs[k];
    else if (k === "class") e.className = attrs[k];
    else if (k === "style") e.style.cssText = attrs[k];
    else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), attrs[k]);
    else e.setAttribute(k, attrs[k]);
  });
  (children || []).forEach(function (c) {
    if (c !== null && c !== undefined)
      e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  });
  return e;
}

var SVG = "http://www.w3.org/2000/svg";

export function svg(tag, attrs, children) {
  var e = document.createElementNS(SVG, tag);
  Object.keys(attrs || {}).forEach(function (k) {
    e.setAttribute(k, attrs[k]);
  });
  (children || []).forEach(function (c) {
    e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  });
  return e;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// an error line (role="alert"): shown with a message, hidden without one
export function showError(id, msg) {
  var box = $(id);
  box.textContent = msg;
  box.hidden = !msg;
}

// clears the open conversation's error line and the queue's
export function clearErrors() {
  showError("conv-error", "");
  showError("queue-error", "");
}

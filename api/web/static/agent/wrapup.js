/* Wrap-up at close: "Close conversation" opens the proposed wrap-up (GET .../wrapup):
 * what the customer wanted, what was done, what was promised, the next step (each line
 * with the turns it cites, which light up in the transcript on hover) and the suggested
 * disposition code. The agent edits lines, adds or empties them, picks another code, and
 * "Save and close" posts it with the close. Cancel leaves the conversation open. */

import { api, conversationPath } from "./api.js";
import { $, el, clear, clearErrors, showError } from "./dom.js";
import { t } from "./i18n.js";
import * as state from "./state.js";

// the wrap-up's sections: the API's field, and the catalogue key of its heading
var SECTIONS = [
  ["wanted", "wrapup.wanted"],
  ["done", "wrapup.done"],
  ["promised", "wrapup.promised"],
  ["next_step", "wrapup.next_step"],
];
var proposal = null; // the wrap-up being edited
var onClosed = function () {};

export function initWrapup(closed) {
  onClosed = closed;
  $("close-conv").addEventListener("click", openWrapup);
  $("wrapup").addEventListener("submit", onSave);
  $("wrapup-cancel").addEventListener("click", hideWrapup);
}

export function hideWrapup() {
  proposal = null;
  $("wrapup").hidden = true;
  clear($("wrapup-sections"));
}

function openWrapup() {
  var id = state.current();
  clearErrors();
  api("GET", conversationPath(id, "/wrapup")).then(
    function (w) {
      if (state.current() !== id) return;
      proposal = w;
      render(w);
      $("wrapup").hidden = false;
      $("wrapup-sections").querySelector("input").focus();
    },
    function (err) {
      showError("conv-error", t("wrapup.propose_failed", { error: err.message }));
    }
  );
}

// the transcript's numbering of a turn ("#3"), for citations
function turnNumber(turnId) {
  var items = $("transcript").children;
  for (var i = 0; i < items.length; i++) if (items[i].dataset.turnId === turnId) return i + 1;
  return null;
}

function highlight(ids, on) {
  ids.forEach(function (tid) {
    var li = $("transcript").querySelector('[data-turn-id="' + CSS.escape(tid) + '"]');
    if (li) li.classList.toggle("cited", on);
  });
}

function lineRow(line) {
  var ids = line.turn_ids || [];
  var cites = ids.map(turnNumber).filter(Boolean).map(function (n) { return "#" + n; });
  var input = el("input", { type: "text", maxlength: "1000", "aria-label": t("wrapup.line") });
  input.value = line.text;
  var row = el("li", { class: "wrapup-line" }, [
    input,
    el("span", { class: "muted small cites", title: t("wrapup.cites_title") },
      [cites.length ? t("wrapup.cites", { turns: cites.join(", ") }) : ""]),
  ]);
  row.turnIds = ids;
  row.addEventListener("mouseenter", function () { highlight(ids, true); });
  row.addEventListener("mouseleave", function () { highlight(ids, false); });
  return row;
}

function render(w) {
  var box = clear($("wrapup-sections"));
  SECTIONS.forEach(function (s) {
    var list = el("ul", { class: "wrapup-lines", "data-section": s[0] },
      (w[s[0]] || []).map(lineRow));
    var add = el("button", { type: "button", class: "link small", onclick: function () {
      var row = lineRow({ text: "", turn_ids: [] });
      list.appendChild(row);
      row.querySelector("input").focus();
    } }, [t("wrapup.add")]);
    box.appendChild(el("fieldset", { class: "wrapup-section" }, [
      el("legend", { "data-i18n": s[1] }, [t(s[1])]), list, add,
    ]));
  });
  var select = clear($("wrapup-code"));
  (w.options || []).forEach(function (o) {
    var opt = el("option", { value: o.code }, [o.code + " \u2013 " + o.label]);
    if (o.code === w.disposition) opt.selected = true;
    select.appendChild(opt);
  });
  $("wrapup-outcome").textContent = t("wrapup.outcome", { outcome: w.outcome.replace(/_/g, " ") }) +
    (w.intents.length ? t("wrapup.intents", { intents: w.intents.join(", ") }) : "");
}

function draft() {
  var out = { disposition: $("wrapup-code").value };
  SECTIONS.forEach(function (s) {
    var rows = $("wrapup-sections").querySelectorAll('[data-section="' + s[0] + '"] > li');
    out[s[0]] = Array.prototype.map.call(rows, function (row) {
      return { text: row.querySelector("input").value.trim(), turn_ids: row.turnIds || [] };
    }).filter(function (line) { return line.text; });
  });
  return out;
}

function onSave(e) {
  e.preventDefault();
  if (!proposal) return;
  var id = state.current();
  $("wrapup-save").disabled = true;
  api("POST", conversationPath(id, "/close"), { reason: "", wrapup: draft() }).then(
    function () {
      $("wrapup-save").disabled = false;
      hideWrapup();
      onClosed();
    },
    function (err) {
      $("wrapup-save").disabled = false;
      showError("conv-error", t("wrapup.close_failed", { error: err.message }));
    }
  );
}

/* The suggested replies card: each suggestion with Use (into the composer) and Dismiss.
 * Every suggestion shown and every one dismissed is recorded once (POST /v1/feedback);
 * the composer records the ones used or edited. Each record carries the suggestion's
 * position and propensity as served, for off-policy replays of the log. */

import { feedback } from "./api.js";
import { useSuggestion } from "./composer.js";
import { $, el, clear } from "./dom.js";
import { t } from "./i18n.js";
import * as state from "./state.js";

var shown = {}; // "<conversation>:<suggestion>" -> true
var dismissed = {};

function record(action, conversationId, s) {
  var turn = state.lastCustomerTurn();
  feedback({
    kind: "suggestion", action: action, conversation_id: conversationId,
    turn_id: turn ? turn.id : null,
    suggestion_id: s.id, suggestion_text: s.text,
    position: s.position || null, propensity: s.position ? s.propensity : null,
  });
}

export function renderSuggestions(p) {
  var list = clear($("card-suggestions"));
  var id = state.current();
  var items = (p.suggestions || []).filter(function (s) { return !dismissed[id + ":" + s.id]; });
  if (!items.length) list.appendChild(el("li", { class: "muted" }, [t("sugg.none")]));
  items.forEach(function (s) {
    var key = id + ":" + s.id;
    if (!shown[key]) {
      shown[key] = true;
      record("shown", id, s);
    }
    var li = el("li", { class: "sugg", "data-suggestion-id": s.id }, [
      el("p", { class: "sugg-title" }, [s.title || s.kind]),
      el("p", { class: "sugg-text" }, [s.text]),
      el("p", { class: "small muted" }, [t("sugg.source", { source: s.source || s.kind })]),
    ]);
    li.appendChild(el("div", { class: "row" }, [
      el("button", {
        type: "button", class: "primary", "aria-label": t("sugg.use_label", { title: s.title || "" }),
        onclick: function () { useSuggestion(s); },
      }, [t("sugg.use")]),
      el("button", {
        type: "button", "aria-label": t("sugg.dismiss_label", { title: s.title || "" }),
        onclick: function () {
          dismissed[key] = true;
          li.remove();
          record("dismissed", id, s);
        },
      }, [t("sugg.dismiss")]),
    ]));
    list.appendChild(li);
  });
}

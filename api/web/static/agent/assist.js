/* The assist column for the open conversation: the customer card, the stage with its
 * evidence, the intent (with its correction form), the suggested replies, the knowledge
 * articles and the next best action, from the assist payload (GET .../assist, or the
 * live "assist" event). The two charts are in charts.js. */

import { api, conversationPath } from "./api.js";
import { COLORS } from "./charts.js";
import { $, el, clear } from "./dom.js";
import { day, pct, when } from "./format.js";
import * as state from "./state.js";
import { renderSuggestions } from "./suggestions.js";

var labels = null; // the intent model's labels, sorted, for the correction

export function initAssist() {
  $("correct").addEventListener("submit", onCorrect);
}

// another conversation: its cards are on the way
export function resetAssist() {
  $("assist-cards").hidden = true;
  $("assist-empty").hidden = false;
  $("assist-empty").textContent = "Loading…";
}

export function loadAssist(id) {
  api("GET", conversationPath(id, "/assist")).then(
    function (p) {
      if (state.current() === id) renderAssist(p);
    },
    function (err) {
      if (state.current() !== id) return;
      $("assist-empty").hidden = false;
      $("assist-empty").textContent = err.status === 422
        ? "No customer message yet: assist starts with the customer's first message."
        : "Assist is unavailable: " + err.message + ".";
    }
  );
}

export function renderAssist(p) {
  if (!p) return;
  $("assist-empty").hidden = true;
  $("assist-cards").hidden = false;
  renderCustomer(p.customer_context);
  renderStage(p.journey_stage);
  renderRelated(p.related_history || []);
  renderIntent(p);
  renderSuggestions(p);
  renderArticles(p);
  renderNba(p);
  if ((p.warnings || []).length) {
    $("assist-empty").hidden = false;
    $("assist-empty").textContent = "Note: " + p.warnings.join("; ");
  }
}

// ------------------------------------------------------------------ intent correction

export function loadLabels() {
  if (labels) return;
  api("GET", "/v1/intent/model").then(function (m) {
    labels = (m.labels || []).slice().sort();
    var sel = clear($("correct-intent"));
    labels.forEach(function (l) {
      sel.appendChild(el("option", { value: l }, [l]));
    });
  }, function () {});
}

function onCorrect(e) {
  e.preventDefault();
  var turn = state.lastCustomerTurn();
  var label = $("correct-intent").value;
  if (!turn || !label) {
    $("correct-msg").textContent = "There is no customer message to correct yet.";
    return;
  }
  api("POST", "/v1/feedback", {
    kind: "intent_correction", action: "corrected", conversation_id: state.current(),
    turn_id: turn.id, corrected_intent: label,
  }).then(function () {
    $("correct-msg").textContent = "Saved: \u201c" + turn.text.slice(0, 60) + "\u201d is labelled " + label + " for retraining.";
  }, function (err) {
    $("correct-msg").textContent = "Not saved: " + err.message + ".";
  });
}

// ------------------------------------------------------------------ the cards

function dl(pairs) {
  var d = el("dl", { class: "kv" });
  pairs.forEach(function (p) {
    if (p[1] === null || p[1] === undefined || p[1] === "") return;
    d.appendChild(el("dt", {}, [p[0]]));
    d.appendChild(el("dd", {}, [p[1]]));
  });
  return d;
}

function renderCustomer(ctx) {
  var box = clear($("card-customer"));
  if (!ctx) {
    box.appendChild(el("p", { class: "muted" }, ["Anonymous visitor: no history."]));
    return;
  }
  box.appendChild(dl([
    ["Name", ctx.name + " (" + ctx.customer_id + ")"],
    ["Tier", ctx.tier],
    ["Customer since", ctx.customer_since ? day(ctx.customer_since) : null],
    ["Orders", String(ctx.orders_count) + " · lifetime value €" + Math.round(ctx.lifetime_value || 0)],
    ["Marketing", ctx.marketing_opt_out ? "opted out" : "accepted"],
  ]));
  box.appendChild(el("h4", {}, ["Open orders"]));
  var orders = el("ul", { class: "plain" });
  (ctx.open_orders || []).forEach(function (o) {
    orders.appendChild(el("li", {}, [
      el("strong", {}, [o.id]), " " + (o.summary || "") + " · " + String(o.status).replace(/_/g, " ") +
        (o.eta ? " · ETA " + day(o.eta) : "") + (o.carrier ? " · " + o.carrier : ""),
      o.tracking_url ? el("span", {}, [" · ", el("a", { href: o.tracking_url, target: "_blank", rel: "noopener" }, ["tracking"])]) : null,
    ]));
  });
  if (!orders.children.length) orders.appendChild(el("li", { class: "muted" }, ["none"]));
  box.appendChild(orders);
  box.appendChild(el("h4", {}, ["Open tickets"]));
  var tickets = el("ul", { class: "plain" });
  (ctx.open_tickets || []).forEach(function (t) {
    tickets.appendChild(el("li", {}, [
      el("strong", {}, [t.id]), " " + t.topic + " (" + t.priority + ", opened " + day(t.opened_at) + "): " + (t.summary || ""),
    ]));
  });
  if (!tickets.children.length) tickets.appendChild(el("li", { class: "muted" }, ["none"]));
  box.appendChild(tickets);
  box.appendChild(el("h4", {}, ["Last contact per channel"]));
  var last = el("ul", { class: "plain" });
  (ctx.last_interactions || []).forEach(function (i) {
    last.appendChild(el("li", {}, [
      el("span", { class: "badge ch", style: "border-color:" + (COLORS[i.channel] || "#374151") }, [i.channel]),
      " " + when(i.ts) + ": " + (i.text || i.type),
    ]));
  });
  if (!last.children.length) last.appendChild(el("li", { class: "muted" }, ["no earlier contact"]));
  box.appendChild(last);
}

function renderStage(stage) {
  var box = clear($("card-stage"));
  if (!stage) {
    box.appendChild(el("p", { class: "muted" }, ["Unknown (no history)."]));
    return;
  }
  box.appendChild(el("p", {}, [
    el("span", { class: "badge big stage-" + stage.stage, id: "stage-name" }, [stage.stage]),
    " confidence " + pct(stage.confidence),
  ]));
  var ul = el("ul", { class: "plain evidence", "aria-label": "Evidence" });
  (stage.evidence || []).forEach(function (e) {
    ul.appendChild(el("li", {}, [
      el("span", { class: "badge" }, [e.kind]), " " + (e.text || e.name) + (e.ts ? " (" + when(e.ts) + ")" : ""),
    ]));
  });
  box.appendChild(ul);
}

function renderIntent(p) {
  var box = clear($("card-intent"));
  var it = p.intent || {};
  box.appendChild(el("p", {}, [
    el("strong", { id: "intent-name" }, [it.name || "unknown"]),
    it.out_of_scope ? el("span", { class: "badge warn" }, ["out of scope"]) : null,
  ]));
  box.appendChild(el("div", { class: "bar", role: "img", "aria-label": "confidence " + pct(it.confidence) }, [
    el("span", { style: "width:" + pct(it.confidence).replace(" ", "") }),
  ]));
  box.appendChild(el("p", { class: "small" }, ["confidence " + pct(it.confidence) + " (calibrated)"]));
  var ranking = (it.ranking || []).slice(1, 4).map(function (r) { return r.name + " " + pct(r.confidence); });
  if (ranking.length) box.appendChild(el("p", { class: "small muted" }, ["then: " + ranking.join(", ")]));
  if ((p.entities || []).length) {
    box.appendChild(el("p", { class: "small" }, ["Entities: "].concat((p.entities || []).map(function (e) {
      return el("span", { class: "badge" }, [e.type + ": " + e.value]);
    }))));
  }
  if (labels && it.name && labels.indexOf(it.name) >= 0) $("correct-intent").value = it.name;
}

function renderArticles(p) {
  var box = clear($("card-articles"));
  var arts = p.knowledge_articles || [];
  if (!arts.length) box.appendChild(el("p", { class: "muted" }, ["No article for this turn."]));
  arts.forEach(function (a) {
    box.appendChild(el("details", {}, [el("summary", {}, [a.title || a.id]), el("p", {}, [a.text])]));
  });
}

// the customer's own past events / chats like this turn, then other customers' resolved
// cases (how the same problem was handled: their wrap-ups)
function renderRelated(items) {
  var box = clear($("card-related"));
  if (!items.length) {
    box.appendChild(el("li", { class: "muted" }, ["Nothing like this turn in the history yet."]));
    return;
  }
  items.forEach(function (r) {
    var own = r.kind !== "resolved_case";
    box.appendChild(el("li", { class: "rel " + (own ? "rel-own" : "rel-case"), "data-event-id": r.event_id }, [
      el("p", { class: "rel-head small" }, [
        el("span", { class: "badge" }, [
          !own ? "resolved case" : r.type === "chat_wrapup" ? "wrap-up" : r.channel,
        ]),
        " ", day(r.ts), " · ", pct(r.score) + " alike",
      ]),
      el("p", { class: "rel-text" }, [r.text]),
      el("p", { class: "muted small" }, [r.reason]),
    ]));
  });
}

function renderNba(p) {
  var box = clear($("card-nba"));
  var n = p.next_best_action;
  if (!n) {
    box.appendChild(el("p", { class: "muted" }, ["None."]));
    return;
  }
  box.appendChild(el("p", { class: "nba", id: "nba-action" }, [n.action]));
  var ok = !!n.marketing_allowed;
  box.appendChild(el("p", {}, [
    "Marketing allowed: ",
    el("strong", { id: "marketing", class: ok ? "ok" : "no" }, [ok ? "yes" : "no"]),
  ]));
  if ((n.marketing_reasons || []).length) {
    var ul = el("ul", { class: "plain small" });
    n.marketing_reasons.forEach(function (r) { ul.appendChild(el("li", {}, [r])); });
    box.appendChild(ul);
  }
}

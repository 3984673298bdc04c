/* The assist column for the open conversation: the customer card, the stage with its
 * evidence, the intent (with its correction form), the suggested replies, the knowledge
 * articles and the next best action, from the assist payload (GET .../assist, or the
 * live "assist" event). The two charts are in charts.js. */

import { api, conversationPath } from "./api.js";
import { COLORS } from "./charts.js";
import { $, el, clear } from "./dom.js";
import { day, pct, when } from "./format.js";
import { t } from "./i18n.js";
import * as state from "./state.js";
import { stageLabel, stageTitle } from "./stages.js";
import { renderSuggestions } from "./suggestions.js";

var labels = null; // the intent model's labels, sorted, for the correction

export function initAssist() {
  $("correct").addEventListener("submit", onCorrect);
}

// another conversation: its cards are on the way
export function resetAssist() {
  $("assist-cards").hidden = true;
  $("assist-empty").hidden = false;
  $("assist-empty").textContent = t("assist.loading");
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
        ? t("assist.no_message")
        : t("assist.unavailable", { error: err.message });
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
    $("assist-empty").textContent = t("assist.note", { warnings: p.warnings.join("; ") });
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
    $("correct-msg").textContent = t("intent.nothing");
    return;
  }
  api("POST", "/v1/feedback", {
    kind: "intent_correction", action: "corrected", conversation_id: state.current(),
    turn_id: turn.id, corrected_intent: label,
  }).then(function () {
    $("correct-msg").textContent = t("intent.saved", { text: turn.text.slice(0, 60), label: label });
  }, function (err) {
    $("correct-msg").textContent = t("intent.not_saved", { error: err.message });
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
    box.appendChild(el("p", { class: "muted" }, [t("customer.anonymous")]));
    return;
  }
  box.appendChild(dl([
    [t("customer.name"), ctx.name + " (" + ctx.customer_id + ")"],
    [t("customer.tier"), ctx.tier],
    [t("customer.since"), ctx.customer_since ? day(ctx.customer_since) : null],
    [t("customer.orders"), t("customer.orders_value", {
      count: ctx.orders_count, value: Math.round(ctx.lifetime_value || 0),
    })],
    [t("customer.marketing"), ctx.marketing_opt_out ? t("customer.opted_out") : t("customer.accepted")],
  ]));
  box.appendChild(el("h4", {}, [t("customer.open_orders")]));
  var orders = el("ul", { class: "plain" });
  (ctx.open_orders || []).forEach(function (o) {
    orders.appendChild(el("li", {}, [
      el("strong", {}, [o.id]), " " + (o.summary || "") + " · " + String(o.status).replace(/_/g, " ") +
        (o.eta ? t("customer.eta", { date: day(o.eta) }) : "") + (o.carrier ? " · " + o.carrier : ""),
      o.tracking_url ? el("span", {}, [" · ", el("a", { href: o.tracking_url, target: "_blank", rel: "noopener" }, [t("customer.tracking")])]) : null,
    ]));
  });
  if (!orders.children.length) orders.appendChild(el("li", { class: "muted" }, [t("customer.none")]));
  box.appendChild(orders);
  box.appendChild(el("h4", {}, [t("customer.open_tickets")]));
  var tickets = el("ul", { class: "plain" });
  (ctx.open_tickets || []).forEach(function (tk) {
    tickets.appendChild(el("li", {}, [
      el("strong", {}, [tk.id]), t("customer.ticket", {
        topic: tk.topic, priority: tk.priority, date: day(tk.opened_at), summary: tk.summary || "",
      }),
    ]));
  });
  if (!tickets.children.length) tickets.appendChild(el("li", { class: "muted" }, [t("customer.none")]));
  box.appendChild(tickets);
  box.appendChild(el("h4", {}, [t("customer.last_contact")]));
  var last = el("ul", { class: "plain" });
  (ctx.last_interactions || []).forEach(function (i) {
    last.appendChild(el("li", {}, [
      el("span", { class: "badge ch", style: "border-color:" + (COLORS[i.channel] || "#374151") }, [i.channel]),
      " " + when(i.ts) + ": " + (i.text || i.type),
    ]));
  });
  if (!last.children.length) last.appendChild(el("li", { class: "muted" }, [t("customer.no_contact")]));
  box.appendChild(last);
}

function renderStage(stage) {
  var box = clear($("card-stage"));
  if (!stage) {
    box.appendChild(el("p", { class: "muted" }, [t("stage.unknown")]));
    return;
  }
  // the configured model's display name (stages.js); data-stage relabels it once loaded
  box.appendChild(el("p", {}, [
    el("span", {
      class: "badge big stage-" + stage.stage, id: "stage-name",
      "data-stage": stage.stage, title: stageTitle(stage.stage),
    }, [stage.label || stageLabel(stage.stage)]),
    t("stage.confidence", { value: pct(stage.confidence) }),
  ]));
  var ul = el("ul", { class: "plain evidence", "aria-label": t("stage.evidence") });
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
    el("strong", { id: "intent-name" }, [it.name || t("intent.unknown")]),
    it.out_of_scope ? el("span", { class: "badge warn" }, [t("intent.out_of_scope")]) : null,
  ]));
  box.appendChild(el("div", { class: "bar", role: "img", "aria-label": t("intent.confidence", { value: pct(it.confidence) }) }, [
    el("span", { style: "width:" + pct(it.confidence).replace(" ", "") }),
  ]));
  box.appendChild(el("p", { class: "small" }, [t("intent.calibrated", { value: pct(it.confidence) })]));
  var ranking = (it.ranking || []).slice(1, 4).map(function (r) { return r.name + " " + pct(r.confidence); });
  if (ranking.length) box.appendChild(el("p", { class: "small muted" }, [t("intent.then", { ranking: ranking.join(", ") })]));
  if ((p.entities || []).length) {
    box.appendChild(el("p", { class: "small" }, [t("intent.entities")].concat((p.entities || []).map(function (e) {
      return el("span", { class: "badge" }, [e.type + ": " + e.value]);
    }))));
  }
  if (labels && it.name && labels.indexOf(it.name) >= 0) $("correct-intent").value = it.name;
}

function renderArticles(p) {
  var box = clear($("card-articles"));
  var arts = p.knowledge_articles || [];
  if (!arts.length) box.appendChild(el("p", { class: "muted" }, [t("articles.none")]));
  arts.forEach(function (a) {
    box.appendChild(el("details", {}, [el("summary", {}, [a.title || a.id]), el("p", {}, [a.text])]));
  });
}

// the customer's own past events / chats like this turn, then other customers' resolved
// cases (how the same problem was handled: their wrap-ups)
function renderRelated(items) {
  var box = clear($("card-related"));
  if (!items.length) {
    box.appendChild(el("li", { class: "muted" }, [t("related.none")]));
    return;
  }
  items.forEach(function (r) {
    var own = r.kind !== "resolved_case";
    box.appendChild(el("li", { class: "rel " + (own ? "rel-own" : "rel-case"), "data-event-id": r.event_id }, [
      el("p", { class: "rel-head small" }, [
        el("span", { class: "badge" }, [
          !own ? t("related.case") : r.type === "chat_wrapup" ? t("related.wrapup") : r.channel,
        ]),
        " ", day(r.ts), " · ", t("related.alike", { value: pct(r.score) }),
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
    box.appendChild(el("p", { class: "muted" }, [t("nba.none")]));
    return;
  }
  box.appendChild(el("p", { class: "nba", id: "nba-action" }, [n.action]));
  var ok = !!n.marketing_allowed;
  box.appendChild(el("p", {}, [
    t("nba.marketing"),
    el("strong", { id: "marketing", class: ok ? "ok" : "no" }, [ok ? t("nba.yes") : t("nba.no")]),
  ]));
  if ((n.marketing_reasons || []).length) {
    var ul = el("ul", { class: "plain small" });
    n.marketing_reasons.forEach(function (r) { ul.appendChild(el("li", {}, [r])); });
    box.appendChild(ul);
  }
}

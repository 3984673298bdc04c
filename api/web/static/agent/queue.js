/* The queue column: who waits for a person, in the API's order (the agent's own queues
 * first, then priority, then the longest wait), with the queue (skill) it waits in, the priority and its reasons, wait, the customer's language, reason,
 * stage, sentiment; Claim and View; and the agent's own conversations. The waits tick
 * every second; the order is refreshed on every queue event and every 30 s. */

import { api } from "./api.js";
import { $, el, clear, showError } from "./dom.js";
import { waited } from "./format.js";
import { languageBadge, moodName, t } from "./i18n.js";
import { queueBadge, refreshPresence } from "./routing.js";
import { stageLabel, stageTitle } from "./stages.js";
import * as state from "./state.js";

var actions = { claim: function () {}, view: function () {} };
var clock = null;
var pendingRefresh = null;

// claim(id) and view(id): what the queue's buttons do (conversation.js)
export function initQueue(claim, view) {
  actions = { claim: claim, view: view };
}

// the waits count up every second; the order is asked for again every 30 s (a wait past
// its target raises the priority without any event saying so)
export function startClock() {
  if (!clock) {
    clock = setInterval(tick, 1000);
    setInterval(refreshQueue, 30000);
  }
}

function tick() {
  var now = Date.now();
  document.querySelectorAll("[data-since]").forEach(function (n) {
    n.textContent = t("queue.waiting", { time: waited((now - Number(n.dataset.since)) / 1000) });
  });
}

// "priority 63: frustrated (0.82), gold tier, 1 open ticket" (each reason's points in
// its tooltip); the reasons' words are the API's
function priorityLine(item) {
  var reasons = item.priority_reasons || [];
  if (!reasons.length) return null;
  var score = Number(item.priority || 0).toFixed(0);
  return el("p", {
    class: "q-priority", "data-priority": String(item.priority || 0),
    title: reasons.map(function (r) { return r.detail + ": +" + Number(r.points).toFixed(1); }).join("\n"),
  }, [t("queue.priority", {
    score: score, reasons: reasons.map(function (r) { return r.detail; }).join(", "),
  })]);
}

function queueItem(item) {
  var c = item.conversation;
  var name = item.customer_name || c.customer_id || t("queue.anonymous");
  var since = Date.now() - item.wait_s * 1000;
  var s = item.sentiment;
  var label = moodName((s && s.label) || "neutral");
  var mood = s
    ? (s.frustration ? t("queue.frustration", { mood: label, value: Number(s.frustration).toFixed(2) }) : label)
    : moodName("unknown");
  return el("li", { class: "q-item", "data-conversation-id": c.id, "data-language": c.language || "" }, [
    el("div", { class: "q-top" }, [
      el("span", {}, [el("strong", {}, [name]), " ", languageBadge(c.language, "lang.customer")]),
      el("span", { class: "q-wait", "data-since": String(since) }, [t("queue.waiting", { time: waited(item.wait_s) })]),
    ]),
    priorityLine(item),
    el("p", { class: "q-reason" }, [item.reason || t("queue.requested")]),
    el("p", { class: "q-tags" }, [
      queueBadge(item),
      " ",
      item.stage
        ? el("span", {
          class: "badge stage", "data-stage": item.stage, "data-prefix": t("queue.stage"),
          title: stageTitle(item.stage),
        }, [t("queue.stage") + stageLabel(item.stage)])
        : el("span", { class: "badge stage" }, [t("queue.stage_unknown")]),
      " ",
      el("span", { class: "badge mood mood-" + ((s && s.label) || "unknown") }, [t("queue.sentiment", { mood: mood })]),
    ]),
    el("div", { class: "row" }, [
      el("button", {
        type: "button", class: "primary", "aria-label": t("queue.claim_label", { name: name }),
        onclick: function () { actions.claim(c.id); },
      }, [t("queue.claim")]),
      el("button", {
        type: "button", "aria-label": t("queue.view_label", { name: name }),
        onclick: function () { actions.view(c.id); },
      }, [t("queue.view")]),
    ]),
  ]);
}

export function refreshQueue() {
  if (!state.token()) return;
  refreshPresence();
  api("GET", "/v1/handoff/queue").then(function (items) {
    var list = clear($("queue"));
    items.forEach(function (it) {
      list.appendChild(queueItem(it));
    });
    $("queue-count").textContent = String(items.length);
    $("queue-empty").hidden = items.length > 0;
  }, function () { /* the connection line says it */ });
  api("GET", "/v1/conversations?state=human").then(function (convs) {
    var list = clear($("mine"));
    var mine = convs.filter(function (c) { return c.agent_id === state.agent(); });
    mine.forEach(function (c) {
      list.appendChild(el("li", { class: "q-item", "data-conversation-id": c.id }, [
        el("button", {
          type: "button", class: "link",
          onclick: function () { actions.view(c.id); },
        }, [t("queue.open", { name: c.customer_id || t("queue.anonymous") })]),
        " ",
        languageBadge(c.language, "lang.customer"),
      ]));
    });
    $("mine-empty").hidden = mine.length > 0;
  }, function () {});
}

// one refresh for a burst of events
export function scheduleQueueRefresh() {
  clearTimeout(pendingRefresh);
  pendingRefresh = setTimeout(refreshQueue, 150);
}

export function showQueueError(msg) {
  showError("queue-error", msg);
}

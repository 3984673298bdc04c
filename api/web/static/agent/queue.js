/* The queue column: who waits for a person (wait, reason, stage, sentiment; Claim and
 * View) and the agent's own conversations. The waits tick every second. */

import { api } from "./api.js";
import { $, el, clear, showError } from "./dom.js";
import { waited } from "./format.js";
import * as state from "./state.js";

var actions = { claim: function () {}, view: function () {} };
var clock = null;
var pendingRefresh = null;

// claim(id) and view(id): what the queue's buttons do (conversation.js)
export function initQueue(claim, view) {
  actions = { claim: claim, view: view };
}

// the waits count up every second
export function startClock() {
  if (!clock) clock = setInterval(tick, 1000);
}

function tick() {
  var now = Date.now();
  document.querySelectorAll("[data-since]").forEach(function (n) {
    n.textContent = "waiting " + waited((now - Number(n.dataset.since)) / 1000);
  });
}

function queueItem(item) {
  var c = item.conversation;
  var name = item.customer_name || c.customer_id || "Anonymous visitor";
  var since = Date.now() - item.wait_s * 1000;
  var s = item.sentiment;
  var mood = s
    ? (s.label || "neutral") + (s.frustration ? ", frustration " + Number(s.frustration).toFixed(2) : "")
    : "unknown";
  return el("li", { class: "q-item", "data-conversation-id": c.id }, [
    el("div", { class: "q-top" }, [
      el("strong", {}, [name]),
      el("span", { class: "q-wait", "data-since": String(since) }, ["waiting " + waited(item.wait_s)]),
    ]),
    el("p", { class: "q-reason" }, [item.reason || "hand-off requested"]),
    el("p", { class: "q-tags" }, [
      el("span", { class: "badge stage" }, ["stage: " + (item.stage || "unknown")]),
      " ",
      el("span", { class: "badge mood mood-" + ((s && s.label) || "unknown") }, ["sentiment: " + mood]),
    ]),
    el("div", { class: "row" }, [
      el("button", {
        type: "button", class: "primary", "aria-label": "Claim the conversation with " + name,
        onclick: function () { actions.claim(c.id); },
      }, ["Claim"]),
      el("button", {
        type: "button", "aria-label": "View the conversation with " + name,
        onclick: function () { actions.view(c.id); },
      }, ["View"]),
    ]),
  ]);
}

export function refreshQueue() {
  if (!state.token()) return;
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
      list.appendChild(el("li", { class: "q-item" }, [
        el("button", {
          type: "button", class: "link",
          onclick: function () { actions.view(c.id); },
        }, [(c.customer_id || "Anonymous visitor") + " · open"]),
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

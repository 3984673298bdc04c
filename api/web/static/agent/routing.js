/* Routing in the agent panel: the agent's own presence (Online / Away, with their open
 * chats and limit) above the queue, and Transfer on a conversation they own: to a queue
 * or to a colleague, with a note for agents only (the customer is told neutrally). Both
 * are built here, not in agent.html, and rebuilt on a language switch. */

import { api, conversationPath } from "./api.js";
import { $, el, clear, showError } from "./dom.js";
import { t } from "./i18n.js";
import * as state from "./state.js";

var queues = ["general"]; // every queue, from the presence answer (data/queue.yml)
var done = function () {};

// what to reload after a transfer (conversation.js / queue.js)
export function initRouting(afterTransfer) {
  done = afterTransfer;
}

function presenceBox() {
  var box = $("presence");
  if (!box) {
    box = el("div", { id: "presence", class: "presence row" }, []);
    var title = $("queue-title");
    title.parentNode.insertBefore(box, title);
  }
  return box;
}

var shown = null; // the presence last rendered

// "Online · 1 of 3 chats" and the toggle. `afterReturn`: routing has just taken a chat
// back for no answer (api/conversations/dispatch.py); if this agent went from online to
// away with it, it was theirs: say so.
export function refreshPresence(afterReturn) {
  if (!state.token()) return;
  api("GET", "/v1/agents/me/presence").then(function (me) {
    if (afterReturn && shown === "online" && me.presence === "away") {
      var line = $("assigned");
      line.textContent = t("queue.unanswered");
      line.hidden = false;
    }
    renderPresence(me);
  }, function () {});
}

function renderPresence(me) {
  shown = me.presence;
  if (me.queues && me.queues.length) queues = me.queues;
  var online = me.presence === "online";
  var box = clear(presenceBox());
  box.appendChild(el("span", { class: "badge presence-" + me.presence }, [
    online ? t("presence.online") : t("presence.away"),
  ]));
  box.appendChild(el("span", { class: "muted small" }, [
    " " + t("presence.chats", { open: String(me.open_chats), limit: String(me.limit) }),
    me.skills.length ? " · " + t("presence.skills", { skills: me.skills.join(", ") }) : "",
  ]));
  box.appendChild(el("button", {
    type: "button", "aria-pressed": online ? "true" : "false",
    onclick: function () {
      api("PUT", "/v1/agents/me/presence", { presence: online ? "away" : "online" })
        .then(renderPresence, function (err) { showError("queue-error", err.message); });
    },
  }, [online ? t("presence.go_away") : t("presence.go_online")]));
}

// the queue item's queue: its name, and whether it is one of the agent's own
export function queueBadge(item) {
  return el("span", {
    class: "badge queue-name" + (item.for_you === false ? " other" : ""),
    title: item.for_you === false ? t("queue.not_yours") : "",
  }, [t("queue.queue", { queue: item.queue || "general" })]);
}

// Transfer, under the composer, while the agent owns the open conversation
export function renderTransfer(conv) {
  var form = $("transfer");
  if (!form) {
    form = el("form", { id: "transfer", class: "transfer row" }, []);
    var composer = $("composer");
    composer.parentNode.insertBefore(form, composer.nextSibling);
  }
  clear(form);
  form.hidden = !(conv.state === "human" && conv.agent_id === state.agent());
  if (form.hidden) return;
  var target = el("select", { id: "transfer-to", "aria-label": t("transfer.to") }, queues.map(function (q) {
    return el("option", { value: "queue:" + q }, [t("queue.queue", { queue: q })]);
  }));
  var agent = el("input", {
    id: "transfer-agent", type: "text", maxlength: "64",
    placeholder: t("transfer.agent"), "aria-label": t("transfer.agent"),
  }, []);
  var note = el("input", {
    id: "transfer-note", type: "text", maxlength: "1000",
    placeholder: t("transfer.note"), "aria-label": t("transfer.note"),
  }, []);
  form.appendChild(target);
  form.appendChild(agent);
  form.appendChild(note);
  form.appendChild(el("button", { type: "submit" }, [t("transfer.submit")]));
  form.onsubmit = function (ev) {
    ev.preventDefault();
    var body = { note: note.value };
    if (agent.value.trim()) body.to_agent = agent.value.trim();
    else body.to_queue = target.value.slice("queue:".length);
    api("POST", conversationPath(conv.id, "/transfer"), body).then(
      function () { done(); },
      function (err) { showError("conv-error", t("transfer.failed", { error: err.message })); }
    );
  };
}

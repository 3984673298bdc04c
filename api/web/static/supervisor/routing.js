/* The supervisor page's live routing section: every queue with its waiting conversations
 * (priority, wait) and the agents online for it, every agent's presence, skills, open
 * chats and limit (GET /v1/supervisor/queues, asked again every 5 s while the board is
 * shown), and Reassign: a waiting conversation to an agent (POST .../reassign). */

import { api } from "../agent/api.js";
import { $, clear, el } from "../agent/dom.js";
import { number } from "../core/i18n.js";
import { t } from "./i18n.js";

var EVERY_MS = 5000;
var timer = null;
var last = null; // the last answer, to build again on a language switch
var failure = null; // the last error's message

export function startRouting() {
  if (timer) return;
  loadRouting();
  timer = setInterval(loadRouting, EVERY_MS);
}

export function stopRouting() {
  clearInterval(timer);
  timer = null;
}

export function loadRouting() {
  api("GET", "/v1/supervisor/queues").then(function (view) {
    last = view;
    failure = null;
    renderRouting();
  }, function (err) {
    failure = err.status === 403 ? t("routing.forbidden") : t("routing.failed", { error: err.message });
    renderRouting();
  });
}

function seconds(s) {
  return s < 60
    ? t("routing.secs", { n: number(Math.round(s)) })
    : t("routing.mins", { n: number(Math.round(s / 60)) });
}

function reassignControl(item, agents) {
  if (!agents.length) return el("span", { class: "muted small" }, [t("routing.nobody")]);
  var pick = el("select", { "aria-label": t("routing.reassign_to", { id: item.conversation_id }) },
    agents.map(function (a) {
      return el("option", { value: a.id }, [t("routing.agent_option", {
        name: a.display_name, open: String(a.open_chats), limit: String(a.limit),
      })]);
    }));
  var go = el("button", {
    type: "button",
    onclick: function () {
      api("POST", "/v1/conversations/" + encodeURIComponent(item.conversation_id) + "/reassign",
        { to_agent: pick.value }).then(loadRouting, function (err) {
        failure = t("routing.reassign_failed", { error: err.message });
        renderRouting();
      });
    },
  }, [t("routing.reassign")]);
  return el("span", { class: "reassign" }, [pick, " ", go]);
}

// online and available; online but their panel has gone quiet (a tab closed without
// signing out: no chats from auto-assignment, not in the expected wait); away
function presenceText(a) {
  if (a.presence !== "online") return t("routing.presence_away");
  return a.available ? t("routing.presence_online") : t("routing.presence_quiet");
}

export function renderRouting() {
  var box = $("routing-error");
  box.textContent = failure || "";
  box.hidden = !failure;
  if (!last) return;
  var online = last.agents.filter(function (a) { return a.presence === "online"; });
  var queues = clear($("routing-queues"));
  last.queues.forEach(function (q) {
    var items = q.waiting.map(function (w) {
      return el("li", { "data-conversation-id": w.conversation_id }, [
        el("strong", {}, [w.customer_name || w.conversation_id]), " ",
        el("span", { class: "muted small" }, [t("routing.item", {
          priority: number(Math.round(w.priority)), wait: seconds(w.wait_s),
        })]), " ",
        reassignControl(w, online),
      ]);
    });
    queues.appendChild(el("article", { class: "queue-card", "data-queue": q.name }, [
      el("h4", {}, [t("routing.queue", { name: q.name, n: String(q.waiting.length) })]),
      el("p", { class: "muted small" }, [t("routing.online", { n: String(q.agents_online) })]),
      items.length ? el("ol", {}, items) : el("p", { class: "muted small" }, [t("routing.empty")]),
    ]));
  });
  var rows = last.agents.map(function (a) {
    return el("tr", { "data-agent-id": a.id }, [
      el("td", {}, [a.display_name + " (" + a.id + ")"]),
      el("td", { "data-available": String(!!a.available) }, [presenceText(a)]),
      el("td", {}, [a.skills.length ? a.skills.join(", ") : t("routing.all_queues")]),
      el("td", {}, [t("routing.chats", { open: String(a.open_chats), limit: String(a.limit) })]),
    ]);
  });
  var table = clear($("routing-agents"));
  table.appendChild(el("thead", {}, [el("tr", {}, [
    el("th", {}, [t("routing.col_agent")]),
    el("th", {}, [t("routing.col_presence")]),
    el("th", {}, [t("routing.col_skills")]),
    el("th", {}, [t("routing.col_chats")]),
  ])]));
  table.appendChild(el("tbody", {}, rows));
}

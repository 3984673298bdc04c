/* Agent side panel, the entry module (<script type="module" src="/static/agent/main.js">):
 * sign in and out, and the wiring of the other modules. The panel: the live queue, claim,
 * the conversation with its hand-off packet, and the assist cards (customer context,
 * journey timeline chart, stage with evidence, intent, sentiment trend, suggested
 * replies, knowledge, next best action). Plain JavaScript modules against the API, no
 * build step: REST for reads and actions (api.js), `/v1/ws/agent` for live updates
 * (live.js: reconnects with backoff, and the panel reloads what it shows on every
 * connection). The requests and the socket come from the shared core, ../core/net.js.
 *
 *   main.js          sign-in, sign-out, live events -> the modules below
 *   queue.js         the queue and "my conversations"
 *   conversation.js  open, claim, load, header, hand back, close
 *   transcript.js    the turns         composer.js    the reply box
 *   assist.js        the assist cards  suggestions.js the suggested replies
 *   stages.js        the journey-stage model's display names (lifecycle, 5A, ...)
 *   i18n.js          the panel's words in English and Chinese (the EN / 中文 switch and
 *                    the rest: ../core/i18n.js, shared with the supervisor page)
 *   charts.js        timeline and sentiment charts
 *   live.js, api.js  the stream and the requests (../core/net.js)
 *   state.js         the session and the open conversation
 *   dom.js, format.js  small helpers */

import { applyPage, bindSwitch, onLanguageChange } from "../core/i18n.js";
import { api, onExpired } from "./api.js";
import { initAssist, loadLabels, renderAssist } from "./assist.js";
import { initComposer } from "./composer.js";
import {
  claim, initConversation, loadConversation, openConversation, refreshTranscript,
} from "./conversation.js";
import { $ } from "./dom.js";
import { t } from "./i18n.js";
import { connect, disconnect, initLive } from "./live.js";
import { initQueue, refreshQueue, scheduleQueueRefresh, startClock } from "./queue.js";
import { refreshPresence } from "./routing.js";
import { loadStages } from "./stages.js";
import * as state from "./state.js";
import { addTurn, clearTranscript } from "./transcript.js";

// ------------------------------------------------------------------ sign-in

function showSignIn(message) {
  $("signin-view").hidden = false;
  $("desk").hidden = true;
  $("me").hidden = true;
  var box = $("signin-error");
  box.textContent = message || "";
  box.hidden = !message;
  $("agent-id").focus();
}

function showDesk() {
  $("signin-view").hidden = true;
  $("desk").hidden = false;
  $("me").hidden = false;
  $("me-name").textContent = state.agent();
  connect();
  refreshQueue();
  loadLabels();
  loadStages();
  startClock();
}

function signOut(message) {
  state.signedOut();
  disconnect();
  showSignIn(message);
}

$("signin").addEventListener("submit", function (e) {
  e.preventDefault();
  var box = $("signin-error");
  box.hidden = true;
  api("POST", "/v1/auth/login", {
    agent_id: $("agent-id").value.trim(),
    password: $("password").value,
  }, true).then(
    function (res) {
      state.signedIn(res.access_token, res.agent_id);
      $("password").value = "";
      showDesk();
    },
    function (err) {
      box.textContent = err.status === 401
        ? t("signin.wrong")
        : err.status === 422
          ? t("signin.missing")
          : t("signin.failed", { error: err.message });
      box.hidden = false;
    }
  );
});

$("sign-out").addEventListener("click", function () {
  // end the token on the server (its sockets close everywhere), then forget it here
  var done = function () {
    signOut("");
  };
  if (state.token()) api("POST", "/v1/auth/logout").then(done, done);
  else done();
});

// ------------------------------------------------------------------ live events

function onEvent(msg) {
  var current = state.current();
  if (msg.type === "subscribed") {
    // everything from now on arrives live; reload what happened while offline
    refreshQueue();
    if (current) loadConversation();
    return;
  }
  if (msg.type === "queued" || msg.type === "customer_message" || msg.type === "state") {
    scheduleQueueRefresh();
  }
  if (msg.type === "state" && msg.action === "transfer_to_queue" && msg.actor === "routing") {
    refreshPresence(true); // no answer: if it was this agent's, they are away now
  }
  if (assignedToMe(msg)) {
    // auto-assignment gave this agent a conversation: say so, and open it when the agent
    // has none open (never pull them out of the one they are in)
    var line = $("assigned");
    line.textContent = t("queue.assigned");
    line.hidden = false;
    if (!current) {
      openConversation(msg.conversation_id);
      return;
    }
  }
  if (!current || msg.conversation_id !== current) return;
  if (msg.type === "message") {
    addTurn(msg.turn);
  } else if (msg.type === "state") {
    loadConversation();
  } else if (msg.type === "assist") {
    renderAssist(msg.payload);
    refreshTranscript(); // the new turn's sentiment for the trend
  }
}

// a claim made for this agent by routing ("agent:<me> via routing", api/conversations/dispatch.py)
function assignedToMe(msg) {
  return msg.type === "state" && msg.action === "claim" && msg.agent_id === state.agent() &&
    msg.actor === "agent:" + state.agent() + " via routing";
}

// ------------------------------------------------------------------ language

// EN / 中文 in the header: the static text switches in ../core/i18n.js, what the modules
// built is built again (the queue; the open conversation with its transcript and cards)
bindSwitch();

onLanguageChange(function () {
  if (!state.current()) $("assist-empty").textContent = t("assist.empty");
  if (!state.token()) return;
  refreshQueue();
  if (state.current()) {
    clearTranscript();
    loadConversation();
  }
});

// ------------------------------------------------------------------ start

applyPage(t);
$("assist-empty").textContent = t("assist.empty");
onExpired(function () {
  signOut(t("session.expired"));
});
initLive(onEvent, function () {
  signOut(t("session.expired"));
});
initQueue(claim, openConversation);
initConversation();
initComposer();
initAssist();

if (state.restoreSession()) showDesk();
else showSignIn("");

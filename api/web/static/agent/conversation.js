/* The open conversation: open (View) or claim it, load it with its hand-off packet,
 * the header (who owns it, what this agent may do), hand back to the bot; closing goes
 * through the wrap-up (wrapup.js). */

import { api, conversationPath } from "./api.js";
import { loadAssist, resetAssist } from "./assist.js";
import { loadTimeline, renderSentiment } from "./charts.js";
import { resetComposer } from "./composer.js";
import { $, clearErrors, showError } from "./dom.js";
import { connect } from "./live.js";
import { refreshQueue, showQueueError } from "./queue.js";
import * as state from "./state.js";
import { addTurn, clearTranscript } from "./transcript.js";
import { hideWrapup, initWrapup } from "./wrapup.js";

export function initConversation() {
  $("hand-back").addEventListener("click", function () {
    action("/hand-back");
  });
  initWrapup(function () {
    loadConversation();
    refreshQueue();
  });
  $("claim-open").addEventListener("click", function () {
    if (state.current()) claim(state.current());
  });
}

export function openConversation(id) {
  clearErrors();
  if (state.current() !== id) {
    state.setCurrent(id);
    resetComposer();
    clearTranscript();
    resetAssist();
    hideWrapup();
  }
  $("conv-none").hidden = true;
  $("conv").hidden = false;
  connect(); // the stream now carries this conversation too (and reloads it)
}

export function claim(id) {
  clearErrors();
  api("POST", conversationPath(id, "/claim"), {}).then(
    function () {
      openConversation(id);
      refreshQueue();
    },
    function (err) {
      var msg = err.status === 409
        ? "Too late: another agent has already taken this conversation (" + err.message + ")."
        : "Could not claim it: " + err.message + ".";
      showQueueError(msg);
      refreshQueue();
    }
  );
}

// the whole conversation again: header, packet, transcript, cards
export function loadConversation() {
  var id = state.current();
  if (!id) return Promise.resolve();
  return Promise.all([
    api("GET", conversationPath(id)),
    api("GET", conversationPath(id, "/handoff")),
  ]).then(function (res) {
    if (state.current() !== id) return;
    var t = res[0];
    var packet = res[1].packet || {};
    state.setConversation(t.conversation);
    renderHeader(t.conversation, packet);
    $("packet-reason").textContent = packet.reason || t.conversation.handoff_reason || "not handed off";
    $("packet-summary").textContent = packet.bot_summary || "nothing yet";
    t.turns.forEach(addTurn);
    renderSentiment(t.turns);
    loadAssist(id);
    loadTimeline(t.conversation.customer_id, t.turns);
  }, function (err) {
    showError("conv-error", "Could not load the conversation: " + err.message + ".");
  });
}

// the transcript and the sentiment trend only (a new turn's analysis came)
export function refreshTranscript() {
  var id = state.current();
  if (!id) return;
  api("GET", conversationPath(id)).then(function (t) {
    if (state.current() !== id) return;
    t.turns.forEach(addTurn);
    renderSentiment(t.turns);
  }, function () {});
}

function renderHeader(conv, packet) {
  var me = state.agent();
  var ctx = packet.customer_context || {};
  var who = ctx.name ? ctx.name + " (" + conv.customer_id + ")" : conv.customer_id || "Anonymous visitor";
  $("conv-title").textContent = who;
  var st = conv.state;
  var label = st === "queued" ? "waiting for a person"
    : st === "human" ? (conv.agent_id === me ? "with you" : "with " + conv.agent_id)
    : st === "bot" ? "with the bot" : "closed";
  $("conv-state").textContent = label;
  $("conv-state").className = "badge state-" + st;
  var owner = st === "human" && conv.agent_id === me;
  $("send").disabled = !owner;
  $("reply").disabled = !owner;
  $("hand-back").disabled = !owner;
  $("close-conv").disabled = st === "closed";
  $("claim-open").hidden = st !== "queued";
}

function action(path) {
  var id = state.current();
  clearErrors();
  return api("POST", conversationPath(id, path), { reason: "" }).then(
    function () {
      loadConversation();
      refreshQueue();
    },
    function (err) {
      showError("conv-error", "That did not work: " + err.message + ".");
    }
  );
}

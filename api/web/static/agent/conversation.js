/* The open conversation: open (View) or claim it, load it with its hand-off packet,
 * the header (who owns it, the customer's language, what this agent may do), hand back
 * to the bot; closing goes through the wrap-up (wrapup.js); Transfer is routing.js's. */

import { LANGUAGE_BADGES, languageOf, tagOf } from "../core/i18n.js";
import { api, conversationPath } from "./api.js";
import { loadAssist, resetAssist } from "./assist.js";
import { loadTimeline, renderSentiment } from "./charts.js";
import { resetComposer } from "./composer.js";
import { $, clearErrors, showError } from "./dom.js";
import { languageName, t } from "./i18n.js";
import { connect } from "./live.js";
import { refreshQueue, showQueueError } from "./queue.js";
import { initRouting, renderTransfer } from "./routing.js";
import * as state from "./state.js";
import { addTurn, clearTranscript, markLanguages } from "./transcript.js";
import { hideWrapup, initWrapup } from "./wrapup.js";

export function initConversation() {
  $("hand-back").addEventListener("click", function () {
    action("/hand-back");
  });
  initWrapup(function () {
    loadConversation();
    refreshQueue();
  });
  initRouting(function () {
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
        ? t("conv.too_late", { error: err.message })
        : t("conv.claim_failed", { error: err.message });
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
    var tr = res[0]; // the transcript
    var packet = res[1].packet || {};
    state.setConversation(tr.conversation);
    renderHeader(tr.conversation, packet);
    $("packet-reason").textContent = packet.reason || tr.conversation.handoff_reason || t("conv.not_handed_off");
    $("packet-summary").textContent = packet.bot_summary || t("conv.nothing_yet");
    tr.turns.forEach(addTurn);
    renderLanguage(tr.conversation);
    renderSentiment(tr.turns);
    loadAssist(id);
    loadTimeline(tr.conversation.customer_id, tr.turns);
  }, function (err) {
    showError("conv-error", t("conv.load_failed", { error: err.message }));
  });
}

// the transcript and the sentiment trend only (a new turn's analysis came)
export function refreshTranscript() {
  var id = state.current();
  if (!id) return;
  api("GET", conversationPath(id)).then(function (tr) {
    if (state.current() !== id) return;
    state.setConversation(tr.conversation); // its language follows the latest turn
    tr.turns.forEach(addTurn);
    renderLanguage(tr.conversation);
    renderSentiment(tr.turns);
  }, function () {});
}

// the customer's language in the header ("中文" / "EN"), and on each of their turns
// written in another language than the conversation's
function renderLanguage(conv) {
  var badge = $("conv-lang");
  var code = languageOf(conv.language);
  badge.hidden = !code;
  if (code) {
    badge.textContent = LANGUAGE_BADGES[code];
    badge.lang = tagOf(code);
    badge.dataset.language = code;
    badge.title = t("lang.customer", { language: languageName(code) });
  }
  markLanguages();
}

function renderHeader(conv, packet) {
  var me = state.agent();
  var ctx = packet.customer_context || {};
  var who = ctx.name ? ctx.name + " (" + conv.customer_id + ")" : conv.customer_id || t("queue.anonymous");
  $("conv-title").textContent = who;
  var st = conv.state;
  var label = st === "queued" ? t("conv.queued")
    : st === "human" ? (conv.agent_id === me ? t("conv.with_you") : t("conv.with_agent", { agent: conv.agent_id }))
    : st === "bot" ? t("conv.with_bot") : t("conv.closed");
  $("conv-state").textContent = label;
  $("conv-state").className = "badge state-" + st;
  var owner = st === "human" && conv.agent_id === me;
  $("send").disabled = !owner;
  $("reply").disabled = !owner;
  $("hand-back").disabled = !owner;
  $("close-conv").disabled = st === "closed";
  $("claim-open").hidden = st !== "queued";
  renderTransfer(conv);
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
      showError("conv-error", t("conv.action_failed", { error: err.message }));
    }
  );
}

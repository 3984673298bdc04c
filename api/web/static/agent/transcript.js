/* The open conversation's transcript: each turn once (by id), in time order, whether it
 * came from a reload or live. A customer turn carries its language (lang attribute), and
 * a badge when it is not the conversation's (the customer switched language). */

import { languageOf, tagOf } from "../core/i18n.js";
import { $, el, clear } from "./dom.js";
import { parseTs, when } from "./format.js";
import { languageBadge, t } from "./i18n.js";
import * as state from "./state.js";

var shown = {}; // turn id -> its <li>

export function clearTranscript() {
  shown = {};
  clear($("transcript"));
}

function roleLabel(turn) {
  if (turn.role === "agent") {
    var conv = state.conversation();
    var a = (turn.attributes && turn.attributes.agent_id) || (conv && conv.agent_id) || "agent";
    return t("role.agent", { agent: a });
  }
  return { customer: t("role.customer"), bot: t("role.bot"), system: t("role.system") }[turn.role] || turn.role;
}

// the language the analysis found in a customer turn (en / zh), or null
function turnLanguage(turn) {
  return turn.role === "customer" ? languageOf(turn.attributes && turn.attributes.language) : null;
}

export function addTurn(turn) {
  if (!turn || !turn.id) return;
  if (turn.role === "customer") state.noteCustomerTurn(turn);
  if (shown[turn.id]) {
    markLanguage(shown[turn.id], turn); // a live copy came before the turn's analysis
    markLanguages();
    return;
  }
  var ts = parseTs(turn.ts);
  var li = el("li", { class: "t t-" + turn.role, "data-turn-id": turn.id, "data-ts": String(ts) }, [
    el("p", { class: "t-meta" }, [
      el("strong", {}, [roleLabel(turn)]),
      " · ",
      el("time", { datetime: turn.ts }, [when(turn.ts)]),
      turn.intent ? el("span", { class: "badge intent" }, [turn.intent]) : null,
    ]),
    el("p", { class: "t-text" }, [turn.text]),
  ]);
  markLanguage(li, turn);
  shown[turn.id] = li;
  var list = $("transcript");
  var before = null;
  for (var n = list.lastElementChild; n; n = n.previousElementSibling) {
    if (Number(n.dataset.ts) <= ts) break;
    before = n;
  }
  list.insertBefore(li, before);
  list.scrollTop = list.scrollHeight;
  markLanguages();
}

// a customer turn's language, once its analysis has found it: the text's lang attribute,
// and its badge (hidden; markLanguages shows it when it is not the conversation's)
function markLanguage(li, turn) {
  var lang = turnLanguage(turn);
  if (!lang || li.querySelector(".badge.lang")) return;
  li.querySelector(".t-text").lang = tagOf(lang);
  var badge = languageBadge(lang, "lang.turn");
  badge.hidden = true;
  li.querySelector(".t-meta").appendChild(badge);
}

// a language badge on each customer turn whose language is not the conversation's
export function markLanguages() {
  var conv = state.conversation();
  var current = conv ? languageOf(conv.language) : null;
  $("transcript").querySelectorAll(".t-customer .badge.lang").forEach(function (b) {
    b.hidden = !current || b.dataset.language === current;
  });
}

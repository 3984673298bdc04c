/* The open conversation's transcript: each turn once (by id), in time order, whether it
 * came from a reload or live. */

import { $, el, clear } from "./dom.js";
import { parseTs, when } from "./format.js";
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
    return a + " (agent)";
  }
  return { customer: "Customer", bot: "Bot", system: "System" }[turn.role] || turn.role;
}

export function addTurn(turn) {
  if (!turn || !turn.id) return;
  if (turn.role === "customer") state.noteCustomerTurn(turn);
  if (shown[turn.id]) return;
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
  shown[turn.id] = li;
  var list = $("transcript");
  var before = null;
  for (var n = list.lastElementChild; n; n = n.previousElementSibling) {
    if (Number(n.dataset.ts) <= ts) break;
    before = n;
  }
  list.insertBefore(li, before);
  list.scrollTop = list.scrollHeight;
}

/* What several modules of the agent panel read, owned here and changed only through these
 * functions: who is signed in (kept in sessionStorage, so a reload stays signed in) and
 * which conversation is open, with its last customer turn. Everything else lives in the
 * one module that uses it (the socket in live.js, the transcript in transcript.js, the
 * suggestion in the composer in composer.js, ...). */

import { parseTs } from "./format.js";

var KEY = "agent-assist-agent";

var session = { token: null, agent: null };
var open = { id: null, conv: null, lastCustomerTurn: null };

// ------------------------------------------------------------------ the session

export function token() {
  return session.token;
}

export function agent() {
  return session.agent;
}

// the session this tab signed in earlier, if any; true when there is one
export function restoreSession() {
  try {
    var saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    if (saved && saved.token) session = { token: saved.token, agent: saved.agent };
  } catch (e) {
    /* ignore */
  }
  return !!session.token;
}

export function signedIn(tokenValue, agentId) {
  session = { token: tokenValue, agent: agentId };
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function signedOut() {
  session = { token: null, agent: null };
  sessionStorage.removeItem(KEY);
  open = { id: null, conv: null, lastCustomerTurn: null };
}

// ------------------------------------------------------------------ the open conversation

// its id, or null
export function current() {
  return open.id;
}

// another conversation is open: nothing is known of it yet
export function setCurrent(id) {
  open = { id: id, conv: null, lastCustomerTurn: null };
}

// the API's ConversationPublic of the open conversation, once loaded
export function conversation() {
  return open.conv;
}

export function setConversation(conv) {
  open.conv = conv;
}

// the latest customer turn seen: what suggestions answer and what a correction relabels
export function lastCustomerTurn() {
  return open.lastCustomerTurn;
}

export function noteCustomerTurn(turn) {
  var last = open.lastCustomerTurn;
  if (!last || parseTs(turn.ts) >= parseTs(last.ts)) open.lastCustomerTurn = turn;
}

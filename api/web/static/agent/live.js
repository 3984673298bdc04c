/* The agent's live stream, `/v1/ws/agent` (the queue, and the open conversation when
 * there is one), on the shared core's liveSocket: first-message auth, reconnect with
 * backoff. The page shows its state in #conn and in <body data-live="true|false">. */

import { liveSocket } from "../core/net.js";
import { $ } from "./dom.js";
import { t } from "./i18n.js";
import * as state from "./state.js";

var WS_API = location.origin.replace(/^http/, "ws");
var handlers = { event: function () {}, refused: function () {} };

var socket = liveSocket({
  url: function () {
    var id = state.current();
    return WS_API + "/v1/ws/agent" + (id ? "?conversation_id=" + encodeURIComponent(id) : "");
  },
  token: state.token,
  onMessage: function (msg) {
    if (msg.type === "subscribed") {
      connLine("conn.live");
      document.body.setAttribute("data-live", "true");
    }
    handlers.event(msg);
  },
  onDown: function () {
    document.body.setAttribute("data-live", "false");
  },
  onRefused: function () {
    handlers.refused();
  },
  onRetry: function () {
    connLine("conn.reconnecting");
  },
});

// the connection line; data-i18n: a language switch relabels it (i18n.js applyPage)
function connLine(key) {
  var line = $("conn");
  line.dataset.i18n = key;
  line.textContent = t(key);
}

// onEvent(msg): every event ("subscribed" on each (re)connection, when the panel reloads
// what it shows); onRefused(): the token was refused (4401/4403)
export function initLive(onEvent, onRefused) {
  handlers = { event: onEvent, refused: onRefused };
}

// a fresh connection for the open conversation (or the queue alone)
export function connect() {
  if (state.token()) socket.reopen();
  else socket.stop();
}

export function disconnect() {
  socket.stop();
}

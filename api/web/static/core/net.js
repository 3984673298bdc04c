/* The shared network core of the agent panel and the chat widget: JSON requests with the
 * API's error format decoded, and a WebSocket that authenticates with its first message
 * and reconnects with backoff.
 *
 * Where it lives. The agent panel imports this module (`import { request } from
 * "../core/net.js"`). The widget must stay ONE classic script that a third-party site
 * embeds with one <script src=".../widget.js"> tag, so it carries a generated copy of
 * this file between the "generated from core/net.js" markers in widget.js: the same text
 * with `export ` dropped, inside the widget's function. tests/api/test_api_web.py fails
 * when the copy is out of date, and `UPDATE_WIDGET_CORE=1 .venv/bin/python -m pytest
 * tests/api/test_api_web.py -k core` writes it. Loading this module from the widget with
 * `import()` instead was rejected: the module would be fetched cross-origin from the
 * embedding site, so every site would need CORS headers on /static/ (only /widget.js has
 * them), the widget would start one round trip later, and a cached widget.js could meet a
 * newer core; the copy keeps the widget one self-contained file with no new demand on the
 * embedder's Content Security Policy.
 *
 * So this file holds what a classic script can hold: declarations only, each `export`
 * at the start of a line, no `import`, and ES5 syntax like the widget. */

// ------------------------------------------------------------------ requests

// An error answer of the API ({"error": {"code", "message", ...}}), or status 0 when the
// service cannot be reached; `body` is the decoded error object
export function ApiError(status, code, message, body) {
  this.status = status;
  this.code = code;
  this.message = message;
  this.body = body || {};
}

// method, absolute url, JSON body (or undefined); options: token (sent as a bearer
// token), credentials (fetch's, "same-origin" by default), offline (the message when
// the service cannot be reached). Resolves with the decoded JSON (null for no body),
// rejects with an ApiError.
export function request(method, url, body, options) {
  var opts = options || {};
  var headers = { "Content-Type": "application/json" };
  if (opts.token) headers.Authorization = "Bearer " + opts.token;
  return fetch(url, {
    method: method,
    headers: headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: opts.credentials || "same-origin",
  }).then(
    function (r) {
      return r.text().then(function (txt) {
        var json = null;
        try {
          json = txt ? JSON.parse(txt) : null;
        } catch (e) {
          json = null;
        }
        if (!r.ok) {
          var err = (json && json.error) || {};
          throw new ApiError(r.status, err.code || "http_" + r.status, err.message || r.statusText, err);
        }
        return json;
      });
    },
    function () {
      throw new ApiError(0, "offline", opts.offline || "the service cannot be reached");
    }
  );
}

// ------------------------------------------------------------------ live updates

// close codes that mean "this credential may not listen here": no reconnect
var REFUSED = { 4401: true, 4403: true };

// the wait before reconnect attempt `attempt` (0, 1, ...): 0.5 s doubling to 15 s, +-20 %
export function backoff(attempt) {
  return Math.min(15000, 500 * Math.pow(2, attempt)) * (0.8 + Math.random() * 0.4);
}

// A live connection to one of the API's WebSockets. The token never goes in the URL
// (URLs end up in logs): it is the first message, {"type": "auth", "token": ...}.
// options:
//   url(), token(): read at every (re)connection;
//   onMessage(msg): every decoded message ("subscribed" first, once authenticated);
//   onDown(closeEvent): the connection closed (before onRefused or the retry);
//   onRefused(closeEvent): closed with 4401/4403; it stays closed;
//   onRetry(delayMs): any other close; it reconnects after delayMs by itself.
// Returns {open, reopen, stop, drop, connected}.
export function liveSocket(options) {
  var ws = null;
  var attempt = 0;
  var timer = null;
  var holdUntil = 0;

  function connect() {
    clearTimeout(timer);
    var sock = new WebSocket(options.url());
    ws = sock;
    sock.onopen = function () {
      sock.send(JSON.stringify({ type: "auth", token: options.token() }));
    };
    sock.onmessage = function (ev) {
      var msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      if (!msg) return;
      if (msg.type === "subscribed") attempt = 0;
      options.onMessage(msg);
    };
    sock.onclose = function (ev) {
      ws = null;
      if (options.onDown) options.onDown(ev);
      if (REFUSED[ev.code]) {
        if (options.onRefused) options.onRefused(ev);
        return;
      }
      var delay = Math.max(backoff(attempt), holdUntil - Date.now());
      attempt += 1;
      if (options.onRetry) options.onRetry(delay);
      timer = setTimeout(connect, delay);
    };
  }

  function stop() {
    clearTimeout(timer);
    if (ws) {
      ws.onclose = null;
      ws.close();
      ws = null;
    }
  }

  return {
    // connect unless a connection is open or opening
    open: function () {
      if (!ws) connect();
    },
    // a fresh connection now (the URL changed)
    reopen: function () {
      stop();
      connect();
    },
    // close it for good (until open or reopen)
    stop: stop,
    // drop the connection as a network fault would; the retry waits holdMs at least
    drop: function (holdMs) {
      holdUntil = Date.now() + (holdMs || 0);
      if (ws) ws.close(4000, "dropped by the page");
    },
    connected: function () {
      return !!ws && ws.readyState === 1;
    },
  };
}

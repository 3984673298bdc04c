/* Agent-assist customer chat widget. Embed with one script tag:
 *
 *   <script src="https://assist.example.com/widget.js"
 *           data-session-url="/chat/session"      (your backend: mints the conversation)
 *           data-customer-id="C-0002"             (optional; sent to data-session-url)
 *           data-lang="zh"></script>              (optional: en or zh; else the browser's)
 *
 * data-session-url answers POST {customer_id, language} with the API's
 * `POST /v1/conversations` answer ({conversation: {id, ...}, token}); your backend calls
 * the API with its own API key (and passes `language` on), so no key reaches the page.
 *           data-offer-url="/chat/offer"          (optional; your backend: the proactive offer)
 *
 * Without data-session-url the widget starts an anonymous conversation itself.
 * data-offer-url answers GET ?customer_id=&language= with the API's `GET
 * /v1/customers/{id}/proactive-offer` answer ({text, language}, or 204): while the chat is
 * closed the widget shows that text in a bubble by the launcher, and the bot says it
 * first when the chat opens (a new bot message while the chat is minimised shows there
 * too). The
 * conversation id and its customer token are kept in sessionStorage, so a reload resumes
 * the same chat. Live updates come over the customer WebSocket, which reconnects with
 * backoff and reloads the transcript from the API on every (re)connection, so nothing is
 * lost (turns are de-duplicated by id).
 * Plain JavaScript, no dependencies; the UI lives in a shadow root so the host page's CSS
 * cannot break it (and it cannot break the host page). The requests and the WebSocket
 * with backoff are a generated copy of /static/core/net.js, which the agent panel
 * imports: this file stays one classic script (why: the top of core/net.js).
 *
 * Languages: everything the widget itself says is in CATALOGUE below, in English (en)
 * and Simplified Chinese (zh, shown as zh-CN). The site picks one with data-lang, else
 * the browser's language decides (zh... -> zh, anything else -> en); the widget starts
 * the conversation in it and follows the conversation when the customer switches (the
 * API's `conversation.language`: the language of their latest message). What the
 * service and the bot say comes from the API, already in the conversation's language.
 * The API's error messages are English and for developers: the widget words an error
 * answer from its code and status itself ("api.*" in CATALOGUE, see apiError). */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.AgentAssistWidget) return;
  var data = script.dataset;
  var API = (data.api || new URL(script.src, location.href).origin).replace(/\/$/, "");
  var WS_API = API.replace(/^http/, "ws");
  var CUSTOMER = data.customerId || null;
  var SESSION_URL = data.sessionUrl ? new URL(data.sessionUrl, location.href).href : null;
  var OFFER_URL = data.offerUrl ? new URL(data.offerUrl, location.href).href : null;
  var KEY = "agent-assist-chat:" + (CUSTOMER || "anonymous");

  // ------------------------------------------------------------------ languages
  // The widget's own words. Kept as JSON between the two marker lines: the fast tests
  // (tests/api/test_api_web.py) read it and check that every language has the same keys
  // with the same {placeholders}. To add a language: a block here and a tag in TAGS.
  // BEGIN catalogue
  var CATALOGUE = {
    "en": {
      "launcher.open": "Chat with us",
      "launcher.hide": "Hide chat",
      "teaser.open": "Open the chat",
      "teaser.dismiss": "Dismiss this message",
      "title": "Customer service",
      "minimise": "Minimise the chat",
      "log": "Conversation",
      "input.label": "Your message",
      "input.placeholder": "Type your message…",
      "send": "Send",
      "human": "Talk to a person",
      "new": "Start a new chat",
      "leave": "Leave the queue",
      "choices": "Suggested answers",
      "who.customer": "You",
      "who.bot": "Assistant (automated)",
      "who.system": "Notice",
      "who.agent": "{name} (agent)",
      "said_at": " said at ",
      "an_agent": "an agent",
      "status.starting": "Starting the chat…",
      "status.bot": "You are chatting with our automated assistant.",
      "status.queued": "Waiting for a person. Please stay on this page.",
      "status.queued_at": "Waiting for a person: you are number {position} in the queue (waiting for {wait}). Please stay on this page.",
      "status.queued_eta": "Waiting for a person: you are number {position} in the queue (waiting for {wait}; expected wait: {eta}). Please stay on this page.",
      "status.human": "You are talking with {name} from our team.",
      "status.closed": "This conversation is closed.",
      "joined": "{name} from our team has joined the chat.",
      "wait.under_a_minute": "less than a minute",
      "wait.one_minute": "1 minute",
      "wait.minutes": "{n} minutes",
      "wait.about": "about {time}",
      "error.offline": "the chat service cannot be reached; check your connection",
      "error.reconnecting": "Connection lost: reconnecting…",
      "error.refused": "This chat cannot be opened with your access ({reason}). Start a new chat to continue.",
      "error.gone": "This chat no longer exists. Start a new chat to continue.",
      "error.start": "The chat could not start: {error}.",
      "error.load": "Could not load the conversation: {error}.",
      "error.empty": "Write a message first.",
      "error.retrying": "Not sent yet ({error}): trying again…",
      "error.not_sent": "Your message was not sent: {error}.",
      "error.no_person": "We could not reach a person: {error}.",
      "error.leave": "Could not leave the queue: {error}.",
      "api.invalid_input": "the message could not be accepted",
      "api.invalid_json": "the message could not be read",
      "api.payload_too_large": "your message is too long: shorten it",
      "api.payload_too_large.limit": "your message is too long ({limit} characters at most)",
      "api.rate_limited": "too many messages: wait a moment and try again",
      "api.rate_limited.wait": "too many messages: try again in {seconds} s",
      "api.conversation_closed": "this chat is closed; start a new chat to continue",
      "api.illegal_transition": "that is not possible in this chat right now",
      "api.conversation_not_found": "this chat no longer exists",
      "api.not_found": "this chat could not be found",
      "api.customer_not_found": "your customer account could not be found",
      "api.not_authenticated": "your chat session has expired",
      "api.forbidden": "access denied",
      "api.bot_unavailable": "our assistant is not available right now; try again in a moment",
      "api.store_unavailable": "the service is busy; try again in a few seconds",
      "api.not_ready": "the service is starting; try again in a few seconds",
      "api.internal_error": "the service had a problem; try again in a moment",
      "api.status.invalid": "the message could not be accepted",
      "api.status.rate": "too many messages: wait a moment and try again",
      "api.status.server": "the service had a problem; try again in a moment",
      "api.status.refused": "the request was refused"
    },
    "zh": {
      "launcher.open": "在线咨询",
      "launcher.hide": "收起聊天",
      "teaser.open": "打开聊天",
      "teaser.dismiss": "关闭此消息",
      "title": "在线客服",
      "minimise": "最小化聊天窗口",
      "log": "对话记录",
      "input.label": "您的消息",
      "input.placeholder": "请输入消息…",
      "send": "发送",
      "human": "转人工客服",
      "new": "开始新的对话",
      "leave": "退出排队",
      "choices": "可选回复",
      "who.customer": "您",
      "who.bot": "智能助手（自动回复）",
      "who.system": "通知",
      "who.agent": "{name}（客服）",
      "said_at": " 发送于 ",
      "an_agent": "客服人员",
      "status.starting": "正在开始对话…",
      "status.bot": "您正在与我们的智能助手对话。",
      "status.queued": "正在为您转接人工客服，请不要离开此页面。",
      "status.queued_at": "正在为您转接人工客服：您排在第 {position} 位（已等待{wait}）。请不要离开此页面。",
      "status.queued_eta": "正在为您转接人工客服：您排在第 {position} 位（已等待{wait}，预计还需{eta}）。请不要离开此页面。",
      "status.human": "客服 {name} 正在为您服务。",
      "status.closed": "本次对话已结束。",
      "joined": "客服 {name} 已加入对话。",
      "wait.under_a_minute": "不到 1 分钟",
      "wait.one_minute": "1 分钟",
      "wait.minutes": "{n} 分钟",
      "wait.about": "约 {time}",
      "error.offline": "无法连接客服系统，请检查您的网络连接",
      "error.reconnecting": "连接已断开，正在重新连接…",
      "error.refused": "您无权打开此对话（{reason}）。请开始新的对话。",
      "error.gone": "此对话已不存在。请开始新的对话。",
      "error.start": "无法开始对话：{error}。",
      "error.load": "无法加载对话：{error}。",
      "error.empty": "请先输入消息。",
      "error.retrying": "尚未发送（{error}），正在重试…",
      "error.not_sent": "您的消息未能发送：{error}。",
      "error.no_person": "暂时无法转接人工客服：{error}。",
      "error.leave": "无法退出排队：{error}。",
      "api.invalid_input": "消息无法被接受",
      "api.invalid_json": "消息无法被读取",
      "api.payload_too_large": "消息过长，请缩短后再发送",
      "api.payload_too_large.limit": "消息过长（最多 {limit} 个字符）",
      "api.rate_limited": "消息发送过于频繁，请稍后再试",
      "api.rate_limited.wait": "消息发送过于频繁，请在 {seconds} 秒后重试",
      "api.conversation_closed": "本次对话已结束，请开始新的对话",
      "api.illegal_transition": "当前对话状态下无法执行此操作",
      "api.conversation_not_found": "此对话已不存在",
      "api.not_found": "找不到此对话",
      "api.customer_not_found": "找不到您的客户账户",
      "api.not_authenticated": "您的聊天会话已失效",
      "api.forbidden": "访问被拒绝",
      "api.bot_unavailable": "智能助手暂时无法使用，请稍后再试",
      "api.store_unavailable": "服务繁忙，请几秒后再试",
      "api.not_ready": "服务正在启动，请几秒后再试",
      "api.internal_error": "服务出现问题，请稍后再试",
      "api.status.invalid": "消息无法被接受",
      "api.status.rate": "消息发送过于频繁，请稍后再试",
      "api.status.server": "服务出现问题，请稍后再试",
      "api.status.refused": "请求被拒绝"
    }
  };
  // END catalogue
  var TAGS = { en: "en", zh: "zh-CN" }; // each language's BCP 47 tag (lang attributes, dates)

  // "zh", "zh-CN", "zh-Hans-SG" -> "zh"; "en-GB" -> "en"; anything else -> null
  function languageOf(value) {
    var code = String(value || "").toLowerCase().split(/[-_]/)[0];
    return CATALOGUE.hasOwnProperty(code) ? code : null;
  }

  // the site's choice (data-lang), else the browser's, else English
  var LANG = languageOf(data.lang) || (/^zh\b/i.test(navigator.language || "") ? "zh" : "en");

  // the catalogue's text for `key` in the widget's language, {placeholders} filled; a
  // value that is an API error (ApiError) is worded in the widget's language (apiError)
  function t(key, values) {
    var text = CATALOGUE[S.lang][key];
    if (text === undefined) text = CATALOGUE.en[key];
    return String(text).replace(/\{(\w+)\}/g, function (m, name) {
      if (!values || values[name] === undefined) return m;
      return values[name] instanceof ApiError ? apiError(values[name]) : String(values[name]);
    });
  }

  // What an error answer of the API means, in the widget's language. The API's message
  // ({"error": {"code", "message", ...}}) is English and written for developers, so the
  // widget words the codes a customer can meet itself ("api.<code>" in CATALOGUE), with
  // the answer's figures (the text limit, the wait before a retry). A code it does not
  // know: in English the API's own message (the most specific there is), in another
  // language the text for its status (429, 5xx, 400/413/422, any other refusal).
  function apiError(err) {
    if (err.status === 0) return t("error.offline");
    var body = err.body || {};
    var key = "api." + err.code;
    if (CATALOGUE.en[key] !== undefined) {
      if (err.code === "payload_too_large" && typeof body.limit === "number") {
        return t(key + ".limit", { limit: number(body.limit) });
      }
      if (err.code === "rate_limited" && typeof body.retry_after_s === "number") {
        return t(key + ".wait", { seconds: number(body.retry_after_s) });
      }
      return t(key);
    }
    // no error body (a proxy's page, say): its code is "http_<status>", its message the
    // status line; the catalogue's text is better in every language
    if (S.lang === "en" && err.message && !/^http_/.test(err.code)) return err.message;
    if (err.status === 429) return t("api.status.rate");
    if (err.status >= 500) return t("api.status.server");
    if (err.status === 400 || err.status === 413 || err.status === 422) return t("api.status.invalid");
    return t("api.status.refused");
  }

  // a number in the widget's language ("2,000")
  function number(value) {
    return new Intl.NumberFormat(TAGS[S.lang]).format(value);
  }

  // the header's title: data-title-<lang> (data-titleZh), else data-title, else ours
  function title() {
    var own = data["title" + S.lang.charAt(0).toUpperCase() + S.lang.slice(1)];
    return own || data.title || t("title");
  }

  var S = {
    id: null,
    token: null,
    conv: null, // ConversationPublic
    queue: null, // {position, waiting, wait_s, expected_wait_s}
    turns: {}, // id -> {turn, el}
    pollTimer: null,
    fatal: null,
    open: false,
    busy: false,
    announcedVersion: -1,
    focusOnReady: false,
    lang: LANG, // the language the widget speaks now (en / zh)
    startedIn: null, // the language the conversation was started in
    alert: null, // the alert under the log: {key, values} (showError)
  };

  // ------------------------------------------------------------------ small helpers

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "class") e.className = attrs[k];
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  function parseTs(ts) {
    var s = String(ts || "").replace(" ", "T").replace(/(\.\d{3})\d+/, "$1");
    var t = Date.parse(s);
    return isNaN(t) ? Date.now() : t;
  }

  function clock(ts) {
    return new Date(parseTs(ts)).toLocaleTimeString(TAGS[S.lang], { hour: "2-digit", minute: "2-digit" });
  }

  function minutes(seconds) {
    var m = Math.round(seconds / 60);
    return m < 1 ? t("wait.under_a_minute") : m === 1 ? t("wait.one_minute") : t("wait.minutes", { n: m });
  }

  // an estimate in words: "about 3 minutes", "less than a minute"
  function about(seconds) {
    return Math.round(seconds / 60) < 1 ? t("wait.under_a_minute") : t("wait.about", { time: minutes(seconds) });
  }

  function save() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({
        id: S.id, token: S.token, open: S.open, lang: S.startedIn,
      }));
    } catch (e) {
      /* private mode: the chat still works, it just won't survive a reload */
    }
  }

  function load() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) || "null");
    } catch (e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ network
  // BEGIN generated from core/net.js: do not edit here (see the top of core/net.js)
  // ------------------------------------------------------------------ requests

  // An error answer of the API ({"error": {"code", "message", ...}}), or status 0 when the
  // service cannot be reached; `body` is the decoded error object
  function ApiError(status, code, message, body) {
    this.status = status;
    this.code = code;
    this.message = message;
    this.body = body || {};
  }

  // method, absolute url, JSON body (or undefined); options: token (sent as a bearer
  // token), credentials (fetch's, "same-origin" by default), offline (the message when
  // the service cannot be reached). Resolves with the decoded JSON (null for no body),
  // rejects with an ApiError.
  function request(method, url, body, options) {
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
  function backoff(attempt) {
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
  function liveSocket(options) {
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
  // END generated from core/net.js

  // the API with the customer's token (no cookies); the site's own session URL with them
  function call(method, url, body, token) {
    return request(method, url, body, {
      token: token,
      credentials: url.indexOf(API) === 0 ? "omit" : "same-origin",
      offline: t("error.offline"),
    });
  }

  function api(method, path, body) {
    return call(method, API + path, body, S.token);
  }

  // the customer's WebSocket: reloads the transcript on every (re)connection
  var socket = liveSocket({
    url: function () {
      return WS_API + "/v1/ws/conversations/" + encodeURIComponent(S.id);
    },
    token: function () {
      return S.token;
    },
    onMessage: function (msg) {
      if (msg.type === "subscribed") {
        // everything from now on arrives live; reload what happened while offline
        connText.textContent = "";
        panel.setAttribute("data-connected", "true");
        refresh();
      } else if (msg.type === "message") {
        var fresh = msg.turn && !S.turns[msg.turn.id];
        addTurn(msg.turn);
        if (fresh && msg.turn.role === "bot") tease(msg.turn.text);
        if (msg.turn && msg.turn.role === "system") refresh();
      } else if (msg.type === "state") {
        refresh();
      }
    },
    onDown: function () {
      panel.setAttribute("data-connected", "false");
    },
    onRefused: function (ev) {
      // 4401 / 4403: the socket's words for the API's 401 / 403 (its reason is English)
      var err = ev.code === 4401
        ? new ApiError(401, "not_authenticated", ev.reason)
        : new ApiError(403, "forbidden", ev.reason);
      fail("error.refused", { reason: err });
    },
    onRetry: function () {
      connText.textContent = t("error.reconnecting");
    },
  });

  // ------------------------------------------------------------------ the UI

  var host = el("div", { id: "agent-assist-widget" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.appendChild(el("link", { rel: "stylesheet", href: API + "/static/widget.css" }));

  // the nodes' words are set by applyLanguage (below), in the widget's language
  var launcher = el("button", {
    type: "button",
    class: "aaw-launcher",
    "aria-expanded": "false",
    "aria-controls": "aaw-panel",
    onclick: function () {
      setOpen(!S.open);
    },
  });
  var statusText = el("p", { class: "aaw-status-text", id: "aaw-status-text" });
  var connText = el("p", { class: "aaw-conn", "aria-live": "polite" });
  var humanBtn = el("button", {
    type: "button",
    class: "aaw-secondary aaw-human",
    onclick: askForPerson,
  });
  var newBtn = el("button", {
    type: "button",
    class: "aaw-secondary aaw-new",
    hidden: "",
    onclick: startOver,
  });
  var leaveBtn = el("button", {
    type: "button",
    class: "aaw-secondary aaw-leave",
    hidden: "",
    onclick: leaveQueue,
  });
  var status = el("div", { class: "aaw-status", role: "status", "aria-live": "polite" }, [
    statusText,
  ]);
  var log = el("ol", {
    class: "aaw-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    tabindex: "0",
  });
  var alertBox = el("p", { class: "aaw-alert", role: "alert", hidden: "" });
  var input = el("textarea", {
    id: "aaw-input",
    class: "aaw-input",
    rows: "2",
    maxlength: "2000",
    "aria-describedby": "aaw-status-text",
  });
  var sendBtn = el("button", { type: "submit", class: "aaw-send" });
  var inputLabel = el("label", { for: "aaw-input", class: "aaw-sr" });
  var form = el("form", { class: "aaw-form", onsubmit: onSubmit }, [inputLabel, input, sendBtn]);
  var closeBtn = el("button", {
    type: "button",
    class: "aaw-close",
    onclick: function () {
      setOpen(false);
    },
  }, ["×"]);
  var titleText = el("h2", { id: "aaw-title", class: "aaw-title" });
  var panel = el("section", {
    id: "aaw-panel",
    class: "aaw-panel",
    role: "dialog",
    "aria-modal": "false",
    "aria-labelledby": "aaw-title",
    hidden: "",
  }, [
    el("header", { class: "aaw-header" }, [titleText, closeBtn]),
    status,
    connText,
    log,
    alertBox,
    el("div", { class: "aaw-actions" }, [humanBtn, leaveBtn, newBtn]),
    form,
  ]);
  // the teaser: a proactive offer (or a bot message that came while the chat was
  // minimised), shown by the launcher while the chat is closed
  var teaserText = el("p", { class: "aaw-teaser-text" });
  var teaserOpen = el("button", {
    type: "button",
    class: "aaw-teaser-open",
    onclick: function () {
      setOpen(true);
    },
  });
  var teaserClose = el("button", {
    type: "button",
    class: "aaw-teaser-close",
    onclick: function () {
      S.teaserDismissed = true;
      teaser.hidden = true;
    },
  }, ["×"]);
  var teaser = el("div", { class: "aaw-teaser", role: "status", hidden: "" }, [
    teaserClose, teaserText, teaserOpen,
  ]);
  root.appendChild(panel);
  root.appendChild(teaser);
  root.appendChild(launcher);

  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : onSubmit(e);
    }
  });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      setOpen(false);
      launcher.focus();
    }
  });

  // speak `lang` (en / zh): every word the widget shows, and the lang attributes that
  // tell a screen reader how to read them (on the host element: the shadow tree inherits
  // it). The turns keep their text; their labels ("You", "Assistant") change.
  function applyLanguage(lang) {
    S.lang = languageOf(lang) || S.lang;
    host.setAttribute("lang", TAGS[S.lang]);
    panel.setAttribute("lang", TAGS[S.lang]);
    launcher.setAttribute("lang", TAGS[S.lang]);
    launcher.textContent = t(S.open ? "launcher.hide" : "launcher.open");
    titleText.textContent = title();
    closeBtn.setAttribute("aria-label", t("minimise"));
    teaserOpen.textContent = t("teaser.open");
    teaserClose.setAttribute("aria-label", t("teaser.dismiss"));
    log.setAttribute("aria-label", t("log"));
    inputLabel.textContent = t("input.label");
    input.setAttribute("placeholder", t("input.placeholder"));
    sendBtn.textContent = t("send");
    humanBtn.textContent = t("human");
    newBtn.textContent = t("new");
    leaveBtn.textContent = t("leave");
    Object.keys(S.turns).forEach(function (id) {
      labelTurn(S.turns[id]);
    });
    renderAlert();
    renderStatus();
  }

  function setOpen(open) {
    S.open = open;
    panel.hidden = !open;
    if (open) teaser.hidden = true;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.textContent = t(open ? "launcher.hide" : "launcher.open");
    save();
    if (open) {
      S.focusOnReady = true; // the input is disabled until the conversation is ready
      if (!S.id && !S.fatal) start();
      renderStatus();
    }
  }

  // the alert under the log: a catalogue key and its values (kept, so that a switch of
  // language words it again), or null for none
  function showError(key, values) {
    S.alert = key ? { key: key, values: values } : null;
    renderAlert();
  }

  function renderAlert() {
    alertBox.textContent = S.alert ? t(S.alert.key, S.alert.values) : "";
    alertBox.hidden = !S.alert;
  }

  function setBusy(busy) {
    S.busy = busy;
    sendBtn.disabled = busy || !canWrite();
    input.setAttribute("aria-busy", String(busy));
  }

  function canWrite() {
    return !!S.id && !S.fatal && !(S.conv && S.conv.state === "closed");
  }

  function agentName() {
    return (S.conv && S.conv.agent_name) || t("an_agent");
  }

  function renderStatus() {
    var c = S.conv;
    var st = c ? c.state : null;
    var hideHuman = st !== "bot" || !!S.fatal;
    // a button that disappears under the keyboard focus hands the focus to the message box
    if (hideHuman && !humanBtn.hidden && root.activeElement === humanBtn) S.focusOnReady = true;
    humanBtn.hidden = hideHuman;
    var hideLeave = st !== "queued" || !!S.fatal;
    if (hideLeave && !leaveBtn.hidden && root.activeElement === leaveBtn) S.focusOnReady = true;
    leaveBtn.hidden = hideLeave;
    newBtn.hidden = !(S.fatal || st === "closed");
    input.disabled = !canWrite();
    sendBtn.disabled = S.busy || !canWrite();
    if (S.focusOnReady && S.open && canWrite()) {
      S.focusOnReady = false;
      input.focus();
    }
    panel.setAttribute("data-state", S.fatal ? "error" : st || "starting");
    if (S.fatal) {
      statusText.textContent = t(S.fatal.key, S.fatal.values);
      return;
    }
    if (!c) {
      statusText.textContent = t("status.starting");
    } else if (st === "bot") {
      statusText.textContent = t("status.bot");
    } else if (st === "queued") {
      var q = S.queue;
      var known = q && typeof q.expected_wait_s === "number";
      statusText.textContent = !q ? t("status.queued")
        : known ? t("status.queued_eta", {
          position: q.position, wait: minutes(q.wait_s), eta: about(q.expected_wait_s),
        })
        : t("status.queued_at", { position: q.position, wait: minutes(q.wait_s) });
    } else if (st === "human") {
      statusText.textContent = t("status.human", { name: agentName() });
    } else {
      statusText.textContent = t("status.closed");
    }
  }

  function notice(key, text) {
    if (S.turns[key]) return;
    var li = el("li", { class: "aaw-msg aaw-event" }, [el("p", { class: "aaw-text" }, [text])]);
    S.turns[key] = { turn: { id: key, role: "event", ts: new Date().toISOString() }, el: li };
    li.dataset.ts = String(Date.now());
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }

  function buttonsFor(turn) {
    var buttons = turn.buttons || [];
    if (!buttons.length) return null;
    var box = el("div", { class: "aaw-buttons", role: "group", "aria-label": t("choices") });
    buttons.forEach(function (b) {
      var title = String(b.title || b.payload || "");
      var payload = String(b.payload || b.title || "");
      // Rasa intent payloads ("/intent{...}") are the bot's business: the API classifies
      // the customer's words, so the button's title is sent as the customer's turn
      var text = payload.charAt(0) === "/" ? title : payload;
      box.appendChild(
        el("button", {
          type: "button",
          class: "aaw-choice",
          onclick: function () {
            if (canWrite() && !S.busy) send(text);
          },
        }, [title])
      );
    });
    return box;
  }

  function addTurn(turn) {
    if (!turn || !turn.id) return;
    var known = S.turns[turn.id];
    if (known) {
      // a copy seen earlier without buttons (e.g. from an older server): add them
      var had = known.turn.buttons && known.turn.buttons.length;
      if (!had && turn.buttons && turn.buttons.length) {
        known.turn = turn;
        var b = buttonsFor(turn);
        if (b) known.el.appendChild(b);
      }
      return;
    }
    var li = el("li", { class: "aaw-msg aaw-" + turn.role, "data-turn-id": turn.id }, [
      el("p", { class: "aaw-meta" }, [
        el("span", { class: "aaw-who" }),
        el("span", { class: "aaw-sr aaw-said" }),
        el("time", { datetime: turn.ts }),
      ]),
      el("p", { class: "aaw-text" }, [turn.text]),
    ]);
    var buttons = buttonsFor(turn);
    if (buttons) li.appendChild(buttons);
    var ts = parseTs(turn.ts);
    li.dataset.ts = String(ts);
    S.turns[turn.id] = { turn: turn, el: li };
    labelTurn(S.turns[turn.id]);
    var before = null;
    for (var n = log.lastElementChild; n; n = n.previousElementSibling) {
      if (Number(n.dataset.ts) <= ts) break;
      before = n;
    }
    log.insertBefore(li, before);
    log.scrollTop = log.scrollHeight;
  }

  // a turn's labels (who, "said at", the time, the buttons' group) in the widget's language
  function labelTurn(entry) {
    var turn = entry.turn;
    var li = entry.el;
    var who = li.querySelector(".aaw-who");
    if (!who) return; // the widget's own notices have no labels
    who.textContent = turn.role === "agent" ? t("who.agent", { name: agentName() })
      : CATALOGUE.en["who." + turn.role] ? t("who." + turn.role) : turn.role;
    li.querySelector(".aaw-said").textContent = t("said_at");
    li.querySelector("time").textContent = " " + clock(turn.ts);
    var group = li.querySelector(".aaw-buttons");
    if (group) group.setAttribute("aria-label", t("choices"));
  }

  function setConversation(conv, queue) {
    var prev = S.conv;
    S.conv = conv;
    S.queue = queue || null;
    // the customer switched language (the API follows their latest message): so do we
    if (prev && prev.language && conv.language && conv.language !== prev.language &&
        languageOf(conv.language) && languageOf(conv.language) !== S.lang) {
      applyLanguage(conv.language);
    }
    if (prev && conv.version > prev.version && conv.version > S.announcedVersion) {
      S.announcedVersion = conv.version;
      var key = "state-" + conv.version;
      // the API writes its own notices for hand-off, hand-back and close
      if (conv.state === "human") notice(key, t("joined", { name: agentName() }));
    }
    clearInterval(S.pollTimer);
    if (conv.state === "queued") S.pollTimer = setInterval(refresh, 10000);
    renderStatus();
  }

  // ------------------------------------------------------------------ the conversation

  function start() {
    var stored = load();
    if (stored && stored.id && stored.token) {
      S.id = stored.id;
      S.token = stored.token;
      S.startedIn = stored.lang || null;
      return refresh().then(function () {
        // the site switched language before the customer wrote anything: a fresh chat,
        // greeted in the new language (nothing of the customer's is lost)
        if (S.conv && S.startedIn && S.startedIn !== S.lang && !S.fatal && !customerWrote()) {
          startOver();
        } else {
          connect();
        }
      });
    }
    renderStatus();
    S.startedIn = S.lang;
    var minted = SESSION_URL
      ? call("POST", SESSION_URL, { customer_id: CUSTOMER, language: S.lang })
      : call("POST", API + "/v1/conversations", { language: S.lang });
    return minted.then(
      function (res) {
        S.id = res.conversation.id;
        S.token = res.token;
        save();
        setConversation(res.conversation, null);
        connect();
      },
      function (err) {
        fail("error.start", { error: err });
      }
    );
  }

  function customerWrote() {
    return Object.keys(S.turns).some(function (id) {
      return S.turns[id].turn.role === "customer";
    });
  }

  // a fault the customer cannot fix in this chat: catalogue key and values (so that it
  // is shown in the widget's language, also after a switch; an ApiError value too)
  function fail(key, values) {
    S.fatal = { key: key, values: values };
    socket.stop();
    renderStatus();
  }

  function refresh() {
    if (!S.id) return Promise.resolve();
    return api("GET", "/v1/conversations/" + encodeURIComponent(S.id)).then(
      function (res) {
        res.turns.forEach(addTurn);
        setConversation(res.conversation, res.queue);
      },
      function (err) {
        if (err.status === 401 || err.status === 403) {
          fail("error.refused", { reason: err });
        } else if (err.status === 404) {
          fail("error.gone");
        } else {
          connText.textContent = t("error.load", { error: err });
        }
      }
    );
  }

  function connect() {
    if (S.id && !S.fatal) socket.open();
  }

  function onSubmit(e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) {
      showError("error.empty");
      return;
    }
    if (!canWrite() || S.busy) return;
    send(text).then(function (ok) {
      if (ok) input.value = "";
    });
  }

  function messageId() {
    if (window.crypto && window.crypto.randomUUID) return "m-" + window.crypto.randomUUID();
    return "m-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // failures worth retrying with the same message id: offline, overloaded, store or bot
  // briefly unavailable; the server stores a message once per id, so nothing is doubled
  var RETRYABLE = { 0: true, 429: true, 502: true, 503: true, 504: true };
  var SEND_DELAYS = [1000, 2000, 4000, 8000, 15000];

  function send(text) {
    showError(null);
    setBusy(true);
    var id = messageId();
    var path = "/v1/conversations/" + encodeURIComponent(S.id) + "/messages";
    function attempt(k) {
      return api("POST", path, { text: text, client_message_id: id }).then(
        function (res) {
          addTurn(res.turn);
          res.replies.forEach(addTurn);
          setBusy(false);
          showError(null);
          // the state may have changed, and the conversation's language with the message
          refresh();
          return true;
        },
        function (err) {
          if (RETRYABLE[err.status] && k < SEND_DELAYS.length) {
            showError("error.retrying", { error: err });
            return new Promise(function (resolve) {
              setTimeout(resolve, SEND_DELAYS[k]);
            }).then(function () {
              return attempt(k + 1);
            });
          }
          setBusy(false);
          if (err.code === "conversation_closed") refresh();
          showError("error.not_sent", { error: err });
          return false;
        }
      );
    }
    return attempt(0);
  }

  function askForPerson() {
    showError(null);
    api("POST", "/v1/conversations/" + encodeURIComponent(S.id) + "/handoff", {
      reason: "the customer asked for a person (chat button)",
    }).then(refresh, function (err) {
      showError("error.no_person", { error: err });
    });
  }

  // the customer ends the chat while waiting: the API closes it as abandoned (its notice
  // arrives as a turn) and it leaves the agents' queue
  function leaveQueue() {
    showError(null);
    api("POST", "/v1/conversations/" + encodeURIComponent(S.id) + "/leave", {
      departure: "ended",
    }).then(refresh, function (err) {
      showError("error.leave", { error: err });
    });
  }

  // the page goes away (closed, or navigated) while waiting: say so, with a request that
  // outlives the page. Only a "maybe": a reload or the site's next page resumes this chat
  // (sessionStorage) and its first poll takes it back; the API closes it as abandoned
  // when no sign of life follows within its grace (settings.queue_leave_grace_s).
  window.addEventListener("pagehide", function () {
    if (!S.id || !S.token || !S.conv || S.conv.state !== "queued") return;
    try {
      fetch(API + "/v1/conversations/" + encodeURIComponent(S.id) + "/leave", {
        method: "POST",
        keepalive: true,
        credentials: "omit",
        headers: { "Content-Type": "application/json", Authorization: "Bearer " + S.token },
        body: JSON.stringify({ departure: "page_left" }),
      }).catch(function () {});
    } catch (e) {
      /* an old browser without keepalive: the silence sweep closes it later */
    }
  });

  function startOver() {
    socket.stop();
    clearInterval(S.pollTimer);
    try {
      sessionStorage.removeItem(KEY);
    } catch (e) {
      /* ignore */
    }
    S.id = S.token = S.conv = S.queue = S.fatal = S.startedIn = null;
    S.turns = {};
    S.announcedVersion = -1;
    log.textContent = "";
    showError(null);
    S.focusOnReady = true;
    start();
  }

  // a small handle for the page and for tests: open it, speak another language (a site
  // that switches language without a reload), drop the live connection (reconnects by
  // itself, not before holdMs) and read the widget's state
  window.AgentAssistWidget = {
    open: function () {
      setOpen(true);
    },
    setLanguage: function (lang) {
      applyLanguage(lang);
    },
    dropConnection: function (holdMs) {
      socket.drop(holdMs);
    },
    state: function () {
      return {
        conversationId: S.id,
        state: S.conv && S.conv.state,
        connected: socket.connected(),
        turns: Object.keys(S.turns).length,
        language: S.lang,
      };
    },
  };

  // `text` in the teaser, unless the chat is open or the customer dismissed it
  function tease(text) {
    if (S.open || S.teaserDismissed || !text) return;
    teaserText.textContent = text.length > 220 ? text.slice(0, 217) + "…" : text;
    teaser.hidden = false;
  }

  // the site's backend says whether a proactive offer waits for this customer: shown in
  // the teaser; the bot says it when the chat opens (the API's conversation opening)
  function peekOffer() {
    if (!OFFER_URL || !CUSTOMER || S.id) return;
    var url = new URL(OFFER_URL);
    url.searchParams.set("customer_id", CUSTOMER);
    url.searchParams.set("language", S.lang);
    fetch(url.href, { credentials: "same-origin" }).then(function (res) {
      return res.status === 200 ? res.json() : null;
    }).then(function (body) {
      if (body && body.text && !S.id) tease(body.text);
    }, function () { /* no offer shown: the chat works as ever */ });
  }

  function mount() {
    document.body.appendChild(host);
    var stored = load();
    if (stored && stored.id) {
      S.open = !!stored.open;
      panel.hidden = !S.open;
      launcher.setAttribute("aria-expanded", String(S.open));
    }
    applyLanguage(S.lang); // every label, and the status line
    if (stored && stored.id) start();
    else peekOffer();
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();

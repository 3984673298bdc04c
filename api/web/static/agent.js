/* Agent side panel: sign in, the live queue, claim, the conversation with its hand-off
 * packet, and the assist cards (customer context, journey timeline chart, stage with
 * evidence, intent, sentiment trend, suggested replies, knowledge, next best action).
 * Plain JavaScript against the API: REST for reads and actions, `/v1/ws/agent` for live
 * updates (reconnects with backoff and reloads what it shows on every connection). */
(function () {
  "use strict";

  var API = location.origin;
  var WS_API = API.replace(/^http/, "ws");
  var KEY = "agent-assist-agent";
  var CHANNELS = ["web", "app", "email", "phone", "store", "chat", "social"];
  var COLORS = {
    web: "#1d4ed8", app: "#7c3aed", email: "#0f766e", phone: "#b45309", store: "#be123c",
    chat: "#047857", social: "#4338ca", "this chat": "#111827",
  };

  var S = {
    token: null,
    agent: null,
    ws: null,
    wsFor: null,
    attempt: 0,
    timer: null,
    queueTimer: null,
    current: null, // conversation id
    conv: null,
    turns: {},
    lastCustomerTurn: null,
    pending: null, // the suggestion put in the composer {id, title, text}
    shown: {},
    dismissed: {},
    labels: null,
  };

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "class") e.className = attrs[k];
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined)
        e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
    return e;
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, children) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function parseTs(ts) {
    if (typeof ts === "number") return ts;
    var s = String(ts || "").replace(" ", "T").replace(/(\.\d{3})\d+/, "$1");
    var t = Date.parse(s);
    return isNaN(t) ? Date.now() : t;
  }

  function when(ts) {
    return new Date(parseTs(ts)).toLocaleString([], {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    });
  }

  function day(ts) {
    return new Date(parseTs(ts)).toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" });
  }

  function waited(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    if (seconds < 60) return seconds + " s";
    var m = Math.floor(seconds / 60);
    return m < 60 ? m + " min " + (seconds % 60) + " s" : Math.floor(m / 60) + " h " + (m % 60) + " min";
  }

  function pct(x) {
    return Math.round((Number(x) || 0) * 100) + " %";
  }

  // ------------------------------------------------------------------ API

  function ApiError(status, code, message, body) {
    this.status = status;
    this.code = code;
    this.message = message;
    this.body = body || {};
  }

  function api(method, path, body, noAuth) {
    var headers = { "Content-Type": "application/json" };
    if (S.token && !noAuth) headers.Authorization = "Bearer " + S.token;
    return fetch(API + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
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
            var e = new ApiError(r.status, err.code || "http_" + r.status, err.message || r.statusText, err);
            if (r.status === 401 && !noAuth) signOut("Your session has expired: sign in again.");
            throw e;
          }
          return json;
        });
      },
      function () {
        throw new ApiError(0, "offline", "the service cannot be reached (check that it is running)");
      }
    );
  }

  function feedback(body) {
    return api("POST", "/v1/feedback", body).catch(function (err) {
      showConvError("Feedback was not recorded: " + err.message + ".");
    });
  }

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
    $("me-name").textContent = S.agent;
    connect();
    refreshQueue();
    loadLabels();
    if (!S.queueTimer) S.queueTimer = setInterval(tick, 1000);
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
        S.token = res.access_token;
        S.agent = res.agent_id;
        sessionStorage.setItem(KEY, JSON.stringify({ token: S.token, agent: S.agent }));
        $("password").value = "";
        showDesk();
      },
      function (err) {
        box.textContent = err.status === 401
          ? "Sign-in failed: wrong agent name or password."
          : err.status === 422
            ? "Sign-in failed: enter your agent name and password."
            : "Sign-in failed: " + err.message + ".";
        box.hidden = false;
      }
    );
  });

  function signOut(message) {
    S.token = S.agent = null;
    sessionStorage.removeItem(KEY);
    dropSocket();
    S.current = null;
    showSignIn(message);
  }

  $("sign-out").addEventListener("click", function () {
    // end the token on the server (its sockets close everywhere), then forget it here
    var done = function () {
      signOut("");
    };
    if (S.token) api("POST", "/v1/auth/logout").then(done, done);
    else done();
  });

  // ------------------------------------------------------------------ live stream

  function dropSocket() {
    clearTimeout(S.timer);
    if (S.ws) {
      S.ws.onclose = null;
      S.ws.close();
      S.ws = null;
    }
  }

  function connect() {
    dropSocket();
    if (!S.token) return;
    // the token never goes in the URL (URLs end up in logs): it is the first message
    var url = WS_API + "/v1/ws/agent" +
      (S.current ? "?conversation_id=" + encodeURIComponent(S.current) : "");
    var ws = new WebSocket(url);
    S.ws = ws;
    S.wsFor = S.current;
    ws.onopen = function () {
      ws.send(JSON.stringify({ type: "auth", token: S.token }));
    };
    ws.onmessage = function (ev) {
      var msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      onEvent(msg);
    };
    ws.onclose = function (ev) {
      S.ws = null;
      document.body.setAttribute("data-live", "false");
      if (ev.code === 4401 || ev.code === 4403) {
        signOut("Your session has expired: sign in again.");
        return;
      }
      var delay = Math.min(15000, 500 * Math.pow(2, S.attempt)) * (0.8 + Math.random() * 0.4);
      S.attempt += 1;
      $("conn").textContent = "Live updates lost: reconnecting…";
      S.timer = setTimeout(connect, delay);
    };
  }

  function onEvent(msg) {
    var mine = S.current && msg.conversation_id === S.current;
    if (msg.type === "subscribed") {
      S.attempt = 0;
      $("conn").textContent = "Live";
      document.body.setAttribute("data-live", "true");
      refreshQueue();
      if (S.current) loadConversation();
      return;
    }
    if (msg.type === "queued" || msg.type === "customer_message" || msg.type === "state") {
      scheduleQueueRefresh();
    }
    if (!mine) return;
    if (msg.type === "message") {
      addTurn(msg.turn);
    } else if (msg.type === "state") {
      loadConversation();
    } else if (msg.type === "assist") {
      renderAssist(msg.payload);
      refreshTranscript(); // the new turn's sentiment for the trend
    }
  }

  var queueRefresh = null;
  function scheduleQueueRefresh() {
    clearTimeout(queueRefresh);
    queueRefresh = setTimeout(refreshQueue, 150);
  }

  // ------------------------------------------------------------------ queue

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-since]").forEach(function (n) {
      n.textContent = "waiting " + waited((now - Number(n.dataset.since)) / 1000);
    });
  }

  function queueItem(item) {
    var c = item.conversation;
    var name = item.customer_name || c.customer_id || "Anonymous visitor";
    var since = Date.now() - item.wait_s * 1000;
    var s = item.sentiment;
    var mood = s
      ? (s.label || "neutral") + (s.frustration ? ", frustration " + Number(s.frustration).toFixed(2) : "")
      : "unknown";
    return el("li", { class: "q-item", "data-conversation-id": c.id }, [
      el("div", { class: "q-top" }, [
        el("strong", {}, [name]),
        el("span", { class: "q-wait", "data-since": String(since) }, ["waiting " + waited(item.wait_s)]),
      ]),
      el("p", { class: "q-reason" }, [item.reason || "hand-off requested"]),
      el("p", { class: "q-tags" }, [
        el("span", { class: "badge stage" }, ["stage: " + (item.stage || "unknown")]),
        " ",
        el("span", { class: "badge mood mood-" + ((s && s.label) || "unknown") }, ["sentiment: " + mood]),
      ]),
      el("div", { class: "row" }, [
        el("button", {
          type: "button", class: "primary", "aria-label": "Claim the conversation with " + name,
          onclick: function () { claim(c.id); },
        }, ["Claim"]),
        el("button", {
          type: "button", "aria-label": "View the conversation with " + name,
          onclick: function () { openConversation(c.id); },
        }, ["View"]),
      ]),
    ]);
  }

  function refreshQueue() {
    if (!S.token) return;
    api("GET", "/v1/handoff/queue").then(function (items) {
      var list = clear($("queue"));
      items.forEach(function (it) {
        list.appendChild(queueItem(it));
      });
      $("queue-count").textContent = String(items.length);
      $("queue-empty").hidden = items.length > 0;
    }, function () { /* the connection line says it */ });
    api("GET", "/v1/conversations?state=human").then(function (convs) {
      var list = clear($("mine"));
      var mine = convs.filter(function (c) { return c.agent_id === S.agent; });
      mine.forEach(function (c) {
        list.appendChild(el("li", { class: "q-item" }, [
          el("button", {
            type: "button", class: "link",
            onclick: function () { openConversation(c.id); },
          }, [(c.customer_id || "Anonymous visitor") + " · open"]),
        ]));
      });
      $("mine-empty").hidden = mine.length > 0;
    }, function () {});
  }

  function claim(id) {
    clearConvError();
    api("POST", "/v1/conversations/" + encodeURIComponent(id) + "/claim", {}).then(
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

  function showQueueError(msg) {
    var box = $("queue-error");
    if (!box) {
      box = el("p", { id: "queue-error", class: "error", role: "alert" });
      $("queue").parentNode.insertBefore(box, $("queue"));
    }
    box.textContent = msg;
    box.hidden = !msg;
  }

  // ------------------------------------------------------------------ conversation

  function showConvError(msg) {
    $("conv-error").textContent = msg;
    $("conv-error").hidden = !msg;
  }

  function clearConvError() {
    showConvError("");
    showQueueError("");
  }

  function openConversation(id) {
    clearConvError();
    if (S.current !== id) {
      S.current = id;
      S.conv = null;
      S.turns = {};
      S.lastCustomerTurn = null;
      S.pending = null;
      $("reply").value = "";
      $("reply-from").hidden = true;
      clear($("transcript"));
      $("assist-cards").hidden = true;
      $("assist-empty").hidden = false;
      $("assist-empty").textContent = "Loading…";
    }
    $("conv-none").hidden = true;
    $("conv").hidden = false;
    connect(); // the stream now carries this conversation too (and reloads it)
  }

  function loadConversation() {
    var id = S.current;
    if (!id) return Promise.resolve();
    return Promise.all([
      api("GET", "/v1/conversations/" + encodeURIComponent(id)),
      api("GET", "/v1/conversations/" + encodeURIComponent(id) + "/handoff"),
    ]).then(function (res) {
      if (S.current !== id) return;
      var t = res[0];
      var packet = res[1].packet || {};
      S.conv = t.conversation;
      renderHeader(t.conversation, packet);
      $("packet-reason").textContent = packet.reason || t.conversation.handoff_reason || "not handed off";
      $("packet-summary").textContent = packet.bot_summary || "nothing yet";
      t.turns.forEach(addTurn);
      renderSentiment(t.turns);
      loadAssist(id);
      loadTimeline(t.conversation.customer_id, t.turns);
    }, function (err) {
      showConvError("Could not load the conversation: " + err.message + ".");
    });
  }

  function refreshTranscript() {
    var id = S.current;
    if (!id) return;
    api("GET", "/v1/conversations/" + encodeURIComponent(id)).then(function (t) {
      if (S.current !== id) return;
      t.turns.forEach(addTurn);
      renderSentiment(t.turns);
    }, function () {});
  }

  function renderHeader(conv, packet) {
    var ctx = packet.customer_context || {};
    var who = ctx.name ? ctx.name + " (" + conv.customer_id + ")" : conv.customer_id || "Anonymous visitor";
    $("conv-title").textContent = who;
    var st = conv.state;
    var label = st === "queued" ? "waiting for a person"
      : st === "human" ? (conv.agent_id === S.agent ? "with you" : "with " + conv.agent_id)
      : st === "bot" ? "with the bot" : "closed";
    $("conv-state").textContent = label;
    $("conv-state").className = "badge state-" + st;
    var owner = st === "human" && conv.agent_id === S.agent;
    $("send").disabled = !owner;
    $("reply").disabled = !owner;
    $("hand-back").disabled = !owner;
    $("close-conv").disabled = st === "closed";
    $("claim-open").hidden = st !== "queued";
  }

  function roleLabel(turn) {
    if (turn.role === "agent") {
      var a = (turn.attributes && turn.attributes.agent_id) || (S.conv && S.conv.agent_id) || "agent";
      return a + " (agent)";
    }
    return { customer: "Customer", bot: "Bot", system: "System" }[turn.role] || turn.role;
  }

  function addTurn(turn) {
    if (!turn || !turn.id) return;
    if (turn.role === "customer") {
      if (!S.lastCustomerTurn || parseTs(turn.ts) >= parseTs(S.lastCustomerTurn.ts)) S.lastCustomerTurn = turn;
    }
    if (S.turns[turn.id]) return;
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
    S.turns[turn.id] = li;
    var list = $("transcript");
    var before = null;
    for (var n = list.lastElementChild; n; n = n.previousElementSibling) {
      if (Number(n.dataset.ts) <= ts) break;
      before = n;
    }
    list.insertBefore(li, before);
    list.scrollTop = list.scrollHeight;
  }

  $("composer").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = $("reply").value.trim();
    if (!text) {
      showConvError("Write a reply first.");
      return;
    }
    var id = S.current;
    var from = S.pending;
    var about = S.lastCustomerTurn;
    clearConvError();
    $("send").disabled = true;
    api("POST", "/v1/conversations/" + encodeURIComponent(id) + "/agent-messages", {
      text: text,
      suggestion_id: from ? from.id : null,
    }).then(
      function (turn) {
        addTurn(turn);
        $("reply").value = "";
        $("reply-from").hidden = true;
        $("send").disabled = false;
        S.pending = null;
        if (from) {
          var edited = text !== from.text.trim();
          feedback({
            kind: "suggestion",
            action: edited ? "edited" : "used",
            conversation_id: id,
            turn_id: about ? about.id : null,
            suggestion_id: from.id,
            suggestion_text: from.text,
            edited_text: edited ? text : null,
          });
        }
      },
      function (err) {
        $("send").disabled = false;
        showConvError(
          err.status === 409 ? "Not sent: claim the conversation first (" + err.message + ")."
            : err.status === 403 ? "Not sent: " + err.message + "."
              : "Not sent: " + err.message + ". Your text is still in the box."
        );
      }
    );
  });

  function action(path, done) {
    var id = S.current;
    clearConvError();
    return api("POST", "/v1/conversations/" + encodeURIComponent(id) + path, { reason: "" }).then(
      function () {
        loadConversation();
        refreshQueue();
        if (done) done();
      },
      function (err) {
        showConvError("That did not work: " + err.message + ".");
      }
    );
  }

  $("hand-back").addEventListener("click", function () {
    action("/hand-back");
  });
  $("close-conv").addEventListener("click", function () {
    action("/close");
  });
  $("claim-open").addEventListener("click", function () {
    if (S.current) claim(S.current);
  });

  // ------------------------------------------------------------------ assist cards

  function loadAssist(id) {
    api("GET", "/v1/conversations/" + encodeURIComponent(id) + "/assist").then(
      function (p) {
        if (S.current === id) renderAssist(p);
      },
      function (err) {
        if (S.current !== id) return;
        $("assist-empty").hidden = false;
        $("assist-empty").textContent = err.status === 422
          ? "No customer message yet: assist starts with the customer's first message."
          : "Assist is unavailable: " + err.message + ".";
      }
    );
  }

  function loadLabels() {
    if (S.labels) return;
    api("GET", "/v1/intent/model").then(function (m) {
      S.labels = (m.labels || []).slice().sort();
      var sel = clear($("correct-intent"));
      S.labels.forEach(function (l) {
        sel.appendChild(el("option", { value: l }, [l]));
      });
    }, function () {});
  }

  function dl(pairs) {
    var d = el("dl", { class: "kv" });
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") return;
      d.appendChild(el("dt", {}, [p[0]]));
      d.appendChild(el("dd", {}, [p[1]]));
    });
    return d;
  }

  function renderCustomer(ctx) {
    var box = clear($("card-customer"));
    if (!ctx) {
      box.appendChild(el("p", { class: "muted" }, ["Anonymous visitor: no history."]));
      return;
    }
    box.appendChild(dl([
      ["Name", ctx.name + " (" + ctx.customer_id + ")"],
      ["Tier", ctx.tier],
      ["Customer since", ctx.customer_since ? day(ctx.customer_since) : null],
      ["Orders", String(ctx.orders_count) + " · lifetime value €" + Math.round(ctx.lifetime_value || 0)],
      ["Marketing", ctx.marketing_opt_out ? "opted out" : "accepted"],
    ]));
    box.appendChild(el("h4", {}, ["Open orders"]));
    var orders = el("ul", { class: "plain" });
    (ctx.open_orders || []).forEach(function (o) {
      orders.appendChild(el("li", {}, [
        el("strong", {}, [o.id]), " " + (o.summary || "") + " · " + String(o.status).replace(/_/g, " ") +
          (o.eta ? " · ETA " + day(o.eta) : "") + (o.carrier ? " · " + o.carrier : ""),
        o.tracking_url ? el("span", {}, [" · ", el("a", { href: o.tracking_url, target: "_blank", rel: "noopener" }, ["tracking"])]) : null,
      ]));
    });
    if (!orders.children.length) orders.appendChild(el("li", { class: "muted" }, ["none"]));
    box.appendChild(orders);
    box.appendChild(el("h4", {}, ["Open tickets"]));
    var tickets = el("ul", { class: "plain" });
    (ctx.open_tickets || []).forEach(function (t) {
      tickets.appendChild(el("li", {}, [
        el("strong", {}, [t.id]), " " + t.topic + " (" + t.priority + ", opened " + day(t.opened_at) + "): " + (t.summary || ""),
      ]));
    });
    if (!tickets.children.length) tickets.appendChild(el("li", { class: "muted" }, ["none"]));
    box.appendChild(tickets);
    box.appendChild(el("h4", {}, ["Last contact per channel"]));
    var last = el("ul", { class: "plain" });
    (ctx.last_interactions || []).forEach(function (i) {
      last.appendChild(el("li", {}, [
        el("span", { class: "badge ch", style: "border-color:" + (COLORS[i.channel] || "#374151") }, [i.channel]),
        " " + when(i.ts) + ": " + (i.text || i.type),
      ]));
    });
    if (!last.children.length) last.appendChild(el("li", { class: "muted" }, ["no earlier contact"]));
    box.appendChild(last);
  }

  function renderStage(stage) {
    var box = clear($("card-stage"));
    if (!stage) {
      box.appendChild(el("p", { class: "muted" }, ["Unknown (no history)."]));
      return;
    }
    box.appendChild(el("p", {}, [
      el("span", { class: "badge big stage-" + stage.stage, id: "stage-name" }, [stage.stage]),
      " confidence " + pct(stage.confidence),
    ]));
    var ul = el("ul", { class: "plain evidence", "aria-label": "Evidence" });
    (stage.evidence || []).forEach(function (e) {
      ul.appendChild(el("li", {}, [
        el("span", { class: "badge" }, [e.kind]), " " + (e.text || e.name) + (e.ts ? " (" + when(e.ts) + ")" : ""),
      ]));
    });
    box.appendChild(ul);
  }

  function renderIntent(p) {
    var box = clear($("card-intent"));
    var it = p.intent || {};
    box.appendChild(el("p", {}, [
      el("strong", { id: "intent-name" }, [it.name || "unknown"]),
      it.out_of_scope ? el("span", { class: "badge warn" }, ["out of scope"]) : null,
    ]));
    box.appendChild(el("div", { class: "bar", role: "img", "aria-label": "confidence " + pct(it.confidence) }, [
      el("span", { style: "width:" + pct(it.confidence).replace(" ", "") }),
    ]));
    box.appendChild(el("p", { class: "small" }, ["confidence " + pct(it.confidence) + " (calibrated)"]));
    var ranking = (it.ranking || []).slice(1, 4).map(function (r) { return r.name + " " + pct(r.confidence); });
    if (ranking.length) box.appendChild(el("p", { class: "small muted" }, ["then: " + ranking.join(", ")]));
    if ((p.entities || []).length) {
      box.appendChild(el("p", { class: "small" }, ["Entities: "].concat((p.entities || []).map(function (e) {
        return el("span", { class: "badge" }, [e.type + ": " + e.value]);
      }))));
    }
    if (S.labels && it.name && S.labels.indexOf(it.name) >= 0) $("correct-intent").value = it.name;
  }

  function renderSentiment(turns) {
    var box = clear($("card-sentiment"));
    var pts = turns.filter(function (t) {
      return t.role === "customer" && t.attributes && t.attributes.sentiment;
    }).map(function (t) {
      return { text: t.text, s: t.attributes.sentiment };
    });
    if (!pts.length) {
      box.appendChild(el("p", { class: "muted" }, ["No customer message analysed yet."]));
      return;
    }
    var last = pts[pts.length - 1].s;
    box.appendChild(el("p", {}, [
      el("strong", {}, [last.label || "neutral"]),
      " · frustration " + Number(last.frustration || 0).toFixed(2) +
        ((last.signals || []).length ? " (" + last.signals.join(", ") + ")" : ""),
    ]));
    var W = 220, H = 48, pad = 5;
    var x = function (i) { return pts.length === 1 ? W / 2 : pad + (i * (W - 2 * pad)) / (pts.length - 1); };
    var yC = function (v) { return H / 2 - (Number(v) || 0) * (H / 2 - pad); }; // compound -1..1
    var yF = function (v) { return H - pad - (Number(v) || 0) * (H - 2 * pad); }; // frustration 0..1
    var chart = svg("svg", {
      class: "spark", viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img",
      "aria-label": "Sentiment over the customer's " + pts.length + " message(s): last is " + (last.label || "neutral"),
    });
    chart.appendChild(svg("line", { x1: 0, x2: W, y1: H / 2, y2: H / 2, class: "axis" }));
    var line = function (f, cls) {
      return svg("polyline", {
        class: cls, fill: "none",
        points: pts.map(function (p, i) { return x(i) + "," + f(p.s); }).join(" "),
      });
    };
    chart.appendChild(line(function (s) { return yC(s.compound); }, "tone"));
    chart.appendChild(line(function (s) { return yF(s.frustration); }, "frus"));
    pts.forEach(function (p, i) {
      chart.appendChild(svg("circle", { cx: x(i), cy: yC(p.s.compound), r: 3, class: "tone" }, [
        svg("title", {}, ["\u201c" + p.text.slice(0, 80) + "\u201d: tone " + Number(p.s.compound || 0).toFixed(2) +
          ", frustration " + Number(p.s.frustration || 0).toFixed(2)]),
      ]));
    });
    box.appendChild(chart);
    box.appendChild(el("p", { class: "small muted" }, [
      el("span", { class: "key tone" }, ["tone"]), " ", el("span", { class: "key frus" }, ["frustration"]),
      " per customer message, oldest left",
    ]));
  }

  function renderSuggestions(p) {
    var list = clear($("card-suggestions"));
    var id = S.current;
    var items = (p.suggestions || []).filter(function (s) { return !S.dismissed[id + ":" + s.id]; });
    if (!items.length) list.appendChild(el("li", { class: "muted" }, ["No suggestion for this turn."]));
    items.forEach(function (s) {
      var key = id + ":" + s.id;
      if (!S.shown[key]) {
        S.shown[key] = true;
        feedback({
          kind: "suggestion", action: "shown", conversation_id: id,
          turn_id: S.lastCustomerTurn ? S.lastCustomerTurn.id : null,
          suggestion_id: s.id, suggestion_text: s.text,
        });
      }
      var li = el("li", { class: "sugg", "data-suggestion-id": s.id }, [
        el("p", { class: "sugg-title" }, [s.title || s.kind]),
        el("p", { class: "sugg-text" }, [s.text]),
        el("p", { class: "small muted" }, ["source: " + (s.source || s.kind)]),
      ]);
      li.appendChild(el("div", { class: "row" }, [
        el("button", {
          type: "button", class: "primary", "aria-label": "Use this reply: " + (s.title || ""),
          onclick: function () {
            var box = $("reply");
            box.value = s.text;
            S.pending = { id: s.id, title: s.title, text: s.text };
            $("reply-from").textContent = "From the suggestion \u201c" + (s.title || s.id) + "\u201d: edit it before sending if needed.";
            $("reply-from").hidden = false;
            box.focus();
          },
        }, ["Use"]),
        el("button", {
          type: "button", "aria-label": "Dismiss this suggestion: " + (s.title || ""),
          onclick: function () {
            S.dismissed[key] = true;
            li.remove();
            feedback({
              kind: "suggestion", action: "dismissed", conversation_id: id,
              turn_id: S.lastCustomerTurn ? S.lastCustomerTurn.id : null,
              suggestion_id: s.id, suggestion_text: s.text,
            });
          },
        }, ["Dismiss"]),
      ]));
      list.appendChild(li);
    });
  }

  function renderArticles(p) {
    var box = clear($("card-articles"));
    var arts = p.knowledge_articles || [];
    if (!arts.length) box.appendChild(el("p", { class: "muted" }, ["No article for this turn."]));
    arts.forEach(function (a) {
      box.appendChild(el("details", {}, [el("summary", {}, [a.title || a.id]), el("p", {}, [a.text])]));
    });
  }

  function renderNba(p) {
    var box = clear($("card-nba"));
    var n = p.next_best_action;
    if (!n) {
      box.appendChild(el("p", { class: "muted" }, ["None."]));
      return;
    }
    box.appendChild(el("p", { class: "nba", id: "nba-action" }, [n.action]));
    var ok = !!n.marketing_allowed;
    box.appendChild(el("p", {}, [
      "Marketing allowed: ",
      el("strong", { id: "marketing", class: ok ? "ok" : "no" }, [ok ? "yes" : "no"]),
    ]));
    if ((n.marketing_reasons || []).length) {
      var ul = el("ul", { class: "plain small" });
      n.marketing_reasons.forEach(function (r) { ul.appendChild(el("li", {}, [r])); });
      box.appendChild(ul);
    }
  }

  function renderAssist(p) {
    if (!p) return;
    $("assist-empty").hidden = true;
    $("assist-cards").hidden = false;
    renderCustomer(p.customer_context);
    renderStage(p.journey_stage);
    renderIntent(p);
    renderSuggestions(p);
    renderArticles(p);
    renderNba(p);
    if ((p.warnings || []).length) {
      $("assist-empty").hidden = false;
      $("assist-empty").textContent = "Note: " + p.warnings.join("; ");
    }
  }

  $("correct").addEventListener("submit", function (e) {
    e.preventDefault();
    var turn = S.lastCustomerTurn;
    var label = $("correct-intent").value;
    if (!turn || !label) {
      $("correct-msg").textContent = "There is no customer message to correct yet.";
      return;
    }
    api("POST", "/v1/feedback", {
      kind: "intent_correction", action: "corrected", conversation_id: S.current,
      turn_id: turn.id, corrected_intent: label,
    }).then(function () {
      $("correct-msg").textContent = "Saved: \u201c" + turn.text.slice(0, 60) + "\u201d is labelled " + label + " for retraining.";
    }, function (err) {
      $("correct-msg").textContent = "Not saved: " + err.message + ".";
    });
  });

  // ------------------------------------------------------------------ the timeline chart

  function loadTimeline(customerId, turns) {
    var box = $("card-timeline");
    if (!customerId) {
      clear(box).appendChild(el("p", { class: "muted" }, ["Anonymous visitor: no history."]));
      return;
    }
    api("GET", "/v1/customers/" + encodeURIComponent(customerId) + "/timeline?limit=300").then(
      function (tl) {
        drawTimeline(tl.events || [], turns || []);
      },
      function (err) {
        clear(box).appendChild(el("p", { class: "muted" }, ["No timeline: " + err.message + "."]));
      }
    );
  }

  // lanes = channels, dots = events; the time axis is a square root of the age, so the
  // last days get room while years of history still fit
  function drawTimeline(events, turns) {
    var box = clear($("card-timeline"));
    var now = Date.now();
    var pts = events.map(function (e) {
      return { t: parseTs(e.ts), lane: e.channel, label: (e.text || e.type), type: e.type, id: e.id };
    });
    turns.filter(function (t) { return t.role === "customer"; }).forEach(function (t) {
      pts.push({ t: parseTs(t.ts), lane: "this chat", label: t.text, type: "message", id: t.id });
    });
    if (!pts.length) {
      box.appendChild(el("p", { class: "muted" }, ["No events yet."]));
      return;
    }
    var lanes = CHANNELS.filter(function (c) { return pts.some(function (p) { return p.lane === c; }); });
    pts.forEach(function (p) { if (lanes.indexOf(p.lane) < 0) lanes.push(p.lane); });
    var maxAge = Math.max(3600e3, now - Math.min.apply(null, pts.map(function (p) { return p.t; })));
    var W = 420, L = 62, R = 12, T = 8, LANE = 24, B = 22;
    var H = T + lanes.length * LANE + B;
    var x = function (t) { return L + (W - L - R) * (1 - Math.sqrt(Math.max(0, now - t) / maxAge)); };
    var chart = svg("svg", {
      class: "timeline", viewBox: "0 0 " + W + " " + H, role: "img", width: "100%",
      "aria-label": "Journey timeline: " + pts.length + " events on " + lanes.length + " channels",
    });
    lanes.forEach(function (lane, i) {
      var y = T + i * LANE + LANE / 2;
      chart.appendChild(svg("line", { x1: L, x2: W - R, y1: y, y2: y, class: "lane" }));
      chart.appendChild(svg("text", { x: L - 6, y: y + 4, "text-anchor": "end", class: "lane-label" }, [lane]));
    });
    var ticks = [[0, "now"], [86400e3, "1 d"], [7 * 86400e3, "1 wk"], [30 * 86400e3, "1 mo"],
      [365 * 86400e3, "1 yr"], [3 * 365 * 86400e3, "3 yr"]];
    var axisY = T + lanes.length * LANE;
    ticks.forEach(function (tk) {
      if (tk[0] > maxAge) return;
      var tx = x(now - tk[0]);
      chart.appendChild(svg("line", { x1: tx, x2: tx, y1: T, y2: axisY + 3, class: "tick" }));
      chart.appendChild(svg("text", { x: tx, y: axisY + 15, "text-anchor": "middle", class: "tick-label" }, [tk[1]]));
    });
    pts.sort(function (a, b) { return a.t - b.t; }).forEach(function (p) {
      var y = T + lanes.indexOf(p.lane) * LANE + LANE / 2;
      chart.appendChild(svg("circle", {
        cx: x(p.t).toFixed(1), cy: y, r: p.lane === "this chat" ? 4 : 5,
        fill: COLORS[p.lane] || "#374151", class: "dot", "data-event-id": p.id,
        tabindex: "0",
      }, [svg("title", {}, [when(p.t) + " · " + p.lane + " · " + p.type + ": " + p.label])]));
    });
    box.appendChild(chart);
    box.appendChild(el("p", { class: "small muted" }, [
      pts.length + " events; hover or focus a dot for details. Time runs left to right (square-root scale).",
    ]));
  }

  // ------------------------------------------------------------------ start

  try {
    var saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    if (saved && saved.token) {
      S.token = saved.token;
      S.agent = saved.agent;
    }
  } catch (e) {
    /* ignore */
  }
  if (S.token) showDesk();
  else showSignIn("");
})();

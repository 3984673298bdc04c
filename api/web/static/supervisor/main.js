/* The supervisor page: sign in (a supervisor's account), pick a period and a channel, and
 * read GET /v1/analytics/summary as key figures, SVG bar charts and the journey's flow
 * chart (stages named by GET /v1/journey/model); "Download CSV" saves
 * the same figures (format=csv). Shares the agent panel's session (same tab), request
 * helper and DOM helpers, and the staff pages' languages (../core/i18n.js: the EN / 中文
 * switch; the page's words are in ./i18n.js). Numbers and dates are written with Intl in
 * the page's language; what the API reports (reasons, intents, codes, names) as it comes. */

import {
  applyPage, bindSwitch, lang, list, locale, number, onLanguageChange,
} from "../core/i18n.js";
import { api, onExpired } from "../agent/api.js";
import { $, clear, el, svg } from "../agent/dom.js";
import * as state from "../agent/state.js";
import { t } from "./i18n.js";
import { renderRouting, startRouting, stopRouting } from "./routing.js";

// what the page shows, kept to build it again in the other language on a switch
var shown = { summary: null, unanswered: null, boardError: null, signinError: null };
// the journey-stage model the service runs (GET /v1/journey/model): its stages in order
// and their names in both languages; null until loaded
var journey = null;

// an error line: a catalogue key and its values (null: none), in the page's language
function message(m) {
  return m ? t(m.key, m.values) : "";
}

function renderSignInError() {
  $("signin-error").textContent = message(shown.signinError);
  $("signin-error").hidden = !shown.signinError;
}

function showSignIn(key, values) {
  stopRouting();
  $("signin-view").hidden = false;
  $("board").hidden = true;
  $("me").hidden = true;
  shown.signinError = key ? { key: key, values: values } : null;
  renderSignInError();
}

function showBoard() {
  $("signin-view").hidden = true;
  $("board").hidden = false;
  $("me").hidden = false;
  $("me-name").textContent = state.agent();
  loadJourney();
  load();
  startRouting(); // the live queues and agents (./routing.js)
}

// ------------------------------------------------------------------ journey stages

// a stage's name in the page's language ("Consider" / "考虑"); the API's name until the
// model has loaded or when it does not know the stage
function stageName(name) {
  var s = journey && journey.stages.filter(function (x) { return x.name === name; })[0];
  if (!s) return name;
  return lang() === "zh" && s.zh ? s.zh : s.en;
}

// the stage filter's options, in the model's order and the page's language
function renderStageOptions() {
  var select = $("stage");
  var chosen = select.value;
  while (select.options.length > 1) select.remove(1);
  (journey ? journey.stages : []).forEach(function (s) {
    select.appendChild(el("option", { value: s.name }, [stageName(s.name)]));
  });
  select.value = chosen;
}

function loadJourney() {
  if (journey) return;
  api("GET", "/v1/journey/model").then(function (m) {
    journey = m;
    renderStageOptions();
    if (shown.summary) render(shown.summary);
  }, function () {});
}

function query(format) {
  var until = new Date();
  var since = new Date(until.getTime() - Number($("period").value) * 86400000);
  var q = "since=" + encodeURIComponent(since.toISOString()) +
    "&until=" + encodeURIComponent(until.toISOString());
  ["channel", "agent", "intent", "stage"].forEach(function (name) {
    var v = $(name).value.trim();
    if (v) q += "&" + name + "=" + encodeURIComponent(v);
  });
  return "/v1/analytics/summary?" + q + (format ? "&format=" + format : "");
}

function renderBoardError() {
  $("board-error").textContent = message(shown.boardError);
  $("board-error").hidden = !shown.boardError;
}

function showError(key, values) {
  shown.boardError = key ? { key: key, values: values } : null;
  renderBoardError();
}

// ------------------------------------------------------------------ numbers and dates

var NONE = "–"; // no value (nothing measured): the same sign in every language

function count(x) {
  return number(x);
}

function pct(x) {
  return x === null || x === undefined ? NONE : number(x, { style: "percent", maximumFractionDigits: 0 });
}

// a rate with its count: "45% (9)"
function rate(x, n) {
  return t("value.rate", { rate: pct(x), count: count(n) });
}

function secs(x) {
  if (x === null || x === undefined) return NONE;
  return x < 90 ? t("unit.s", { n: number(Math.round(x)) }) : t("unit.min", { n: number(Math.round(x / 60)) });
}

function dateTime(value) {
  return new Date(value).toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });
}

// "1 May 2024, 10:00 – 8 May 2024, 10:00" in the page's language
function period(since, until) {
  var format = new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" });
  return format.formatRange(new Date(since), new Date(until));
}

// ------------------------------------------------------------------ figures and charts

function tile(key, value, name) {
  return el("div", { class: "tile", "data-metric": name }, [
    el("p", { class: "v" }, [String(value)]),
    el("p", { class: "k" }, [key]),
  ]);
}

// horizontal bars: [{name, count, id?}], longest first as given; `itemKey` names one
// bar for a screen reader and the tooltip ("{name}: {value} conversations"), `digits`
// the fraction digits of the values
function bars(box, items, empty, itemKey, digits) {
  clear(box);
  if (!items.length) {
    box.appendChild(el("p", { class: "muted" }, [empty]));
    return;
  }
  var value = function (item) {
    return number(item.count, { maximumFractionDigits: digits || 0 });
  };
  var said = function (item) {
    return t(itemKey, { name: item.name, value: value(item) });
  };
  var max = Math.max.apply(null, items.map(function (i) { return i.count; }));
  var row = 24, left = 220, width = 290;
  var chart = svg("svg", {
    class: "bars", viewBox: "0 0 " + (left + width + 50) + " " + (items.length * row + 6),
    role: "img", "aria-label": t("chart.label", { items: list(items.map(said)) }),
  });
  items.forEach(function (item, k) {
    var y = k * row + 3;
    var w = Math.max(2, Math.round((item.count / max) * width));
    var name = item.name.length > 34 ? item.name.slice(0, 33) + "…" : item.name;
    chart.appendChild(svg("text", { class: "label", x: left - 6, y: y + 14, "text-anchor": "end" }, [name]));
    chart.appendChild(svg("rect", {
      class: "bar", x: left, y: y, width: w, height: row - 6, "data-name": item.id || item.name,
    }, [svg("title", {}, [said(item)])]));
    chart.appendChild(svg("text", { class: "value", x: left + w + 6, y: y + 14 }, [value(item)]));
  });
  box.appendChild(chart);
}

// the API's {name, count} lists: their names as they come
function counted(items) {
  return items.map(function (i) { return { name: i.name, count: i.count }; });
}

function render(a) {
  $("period-shown").textContent = t("period.shown", { range: period(a.since, a.until) });
  var box = clear($("tiles"));
  box.appendChild(tile(t("tile.conversations"), count(a.conversations), "conversations"));
  box.appendChild(tile(t("tile.contained"), rate(a.containment_rate, a.contained), "contained"));
  box.appendChild(tile(t("tile.handed_off"), rate(a.handoff_rate, a.handed_off), "handed_off"));
  box.appendChild(tile(t("tile.abandoned"), count(a.abandoned_in_queue), "abandoned_in_queue"));
  box.appendChild(tile(t("tile.queue_wait"),
    secs(a.queue_wait.median_s) + " / " + secs(a.queue_wait.p90_s), "queue_wait"));
  box.appendChild(tile(t("tile.first_reply"),
    secs(a.first_agent_reply.median_s) + " / " + secs(a.first_agent_reply.p90_s), "first_agent_reply"));
  box.appendChild(tile(t("tile.csat", { count: count(a.csat.ratings) }), a.csat.mean === null
    ? NONE
    : t("value.csat", { mean: number(a.csat.mean, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }),
  "csat"));
  box.appendChild(tile(t("tile.repeat"), rate(a.repeat_contact_rate, a.repeat_contacts), "repeat_contacts"));
  box.appendChild(tile(t("tile.suggestion_use"), pct(a.suggestions.use_rate), "suggestion_use"));
  bars($("chart-reasons"), counted(a.handoff_reasons), t("empty.handoff"), "bar.conversations");
  bars($("chart-dispositions"), counted(a.dispositions), t("empty.wrapup"), "bar.wrapups");
  bars($("chart-outcomes"), counted(a.outcomes), t("empty.wrapup"), "bar.wrapups");
  var dist = ["1", "2", "3", "4", "5"].map(function (r) {
    return { name: number(Number(r)), count: a.csat.distribution[r] || 0, id: r };
  });
  bars($("chart-csat"), a.csat.ratings ? dist : [], t("empty.rating"), "bar.ratings");
  bars($("chart-intents"), counted(a.intents), t("empty.intent"), "bar.conversations");
  bars($("chart-by-agent"), a.csat.by_agent.map(function (r) {
    return {
      name: t("by_agent.name", { name: r.name, count: count(r.ratings) }),
      count: Math.round(r.mean * 10) / 10,
      id: r.name,
    };
  }), t("empty.rating"), "bar.mean", 1);
  var used = a.suggestions.actions;
  var actions = {
    shown: t("action.shown"), used: t("action.used"),
    edited: t("action.edited"), dismissed: t("action.dismissed"),
  };
  bars($("chart-suggestions"), ["shown", "used", "edited", "dismissed"].filter(function (k) {
    return used[k];
  }).map(function (k) {
    return { name: actions[k], count: used[k], id: k };
  }), t("empty.suggestion"), "bar.times");
  renderJourney(a);
}

function renderJourney(a) {
  var j = a.journey;
  var stages = j ? j.stages.filter(function (s) { return s.conversations; }) : [];
  bars($("chart-stages"), stages.map(function (s) {
    return { name: stageName(s.stage), count: s.conversations, id: s.stage };
  }), t("empty.intent"), "bar.conversations");
  bars($("chart-by-stage"), a.csat.by_stage.map(function (r) {
    return {
      name: t("by_agent.name", { name: stageName(r.name), count: count(r.ratings) }),
      count: Math.round(r.mean * 10) / 10,
      id: r.name,
    };
  }), t("empty.rating"), "bar.mean", 1);
  bars($("chart-suggestions-intent"), a.suggestions.by_intent.filter(function (u) {
    return u.shown;
  }).map(function (u) {
    return {
      name: t("intent.used_of", { name: u.intent, used: count(u.used + u.edited), shown: count(u.shown) }),
      count: u.used + u.edited,
      id: u.intent,
    };
  }), t("empty.suggestion"), "bar.times");
  flowChart($("flows"), j);
  var stalls = clear($("stalls"));
  (j ? j.stages : []).filter(function (s) { return s.customers; }).forEach(function (s) {
    stalls.appendChild(el("li", { "data-stage": s.stage, "data-stayed": String(s.stayed) }, [
      t("flow.stall", {
        stage: stageName(s.stage), entered: count(s.customers), stayed: count(s.stayed),
        rate: pct(s.stayed / s.customers),
      }),
    ]));
  });
}

// The flows as a two-column chart: on the left the stage of each followed customer's
// first conversation, on the right their stage at the end of the period; a band per
// (from, to) pair, as thick as its customers, grey where they stayed, blue where they
// moved on in the model's order, amber where they moved back.
function flowChart(box, j) {
  clear(box);
  if (!j || !j.flows.length) {
    box.appendChild(el("p", { class: "muted" }, [t("empty.flow")]));
    return;
  }
  var order = {};
  j.stages.forEach(function (s, k) { order[s.stage] = k; });
  var total = j.followed;
  var unit = Math.max(3, Math.min(26, 260 / total)); // px per customer
  var gap = 14, nodeW = 12, left = 170, right = 590, top = 6;
  var sums = function (key) {
    var out = {};
    j.flows.forEach(function (f) { out[f[key]] = (out[f[key]] || 0) + f.customers; });
    return Object.keys(out).sort(function (a, b) { return order[a] - order[b]; }).map(function (k) {
      return { stage: k, count: out[k] };
    });
  };
  var place = function (nodes) {
    var y = top, at = {};
    nodes.forEach(function (n) { at[n.stage] = y; n.y = y; y += n.count * unit + gap; });
    return { nodes: nodes, at: at, height: y };
  };
  var from = place(sums("from_stage")), to = place(sums("to_stage"));
  var height = Math.max(from.height, to.height) + 4;
  var said = j.flows.map(function (f) {
    return t("flow.link", { from: stageName(f.from_stage), to: stageName(f.to_stage), count: count(f.customers) });
  });
  var chart = svg("svg", {
    class: "flows", viewBox: "0 0 " + (right + nodeW + 170) + " " + height,
    role: "img", "aria-label": t("flow.label", { count: count(total), items: list(said) }),
  });
  var outAt = Object.assign({}, from.at), inAt = Object.assign({}, to.at);
  var links = j.flows.slice().sort(function (a, b) {
    return order[a.from_stage] - order[b.from_stage] || order[a.to_stage] - order[b.to_stage];
  });
  var inOrder = links.slice().sort(function (a, b) {
    return order[a.to_stage] - order[b.to_stage] || order[a.from_stage] - order[b.from_stage];
  });
  var y1 = {};
  inOrder.forEach(function (f) {
    y1[f.from_stage + ">" + f.to_stage] = inAt[f.to_stage];
    inAt[f.to_stage] += f.customers * unit;
  });
  var x0 = left + nodeW, x1 = right, mid = (x0 + x1) / 2;
  links.forEach(function (f) {
    var h = f.customers * unit, a = outAt[f.from_stage], b = y1[f.from_stage + ">" + f.to_stage];
    outAt[f.from_stage] += h;
    var kind = f.from_stage === f.to_stage ? "stay" : order[f.to_stage] > order[f.from_stage] ? "on" : "back";
    var d = "M" + x0 + "," + a + " C" + mid + "," + a + " " + mid + "," + b + " " + x1 + "," + b +
      " L" + x1 + "," + (b + h) + " C" + mid + "," + (b + h) + " " + mid + "," + (a + h) + " " + x0 + "," + (a + h) + " Z";
    chart.appendChild(svg("path", {
      class: "link " + kind, d: d, "data-from": f.from_stage, "data-to": f.to_stage,
      "data-customers": String(f.customers),
    }, [svg("title", {}, [t("flow.link", {
      from: stageName(f.from_stage), to: stageName(f.to_stage), count: count(f.customers),
    })])]));
  });
  [[from, left, "end", -6, "from"], [to, right, "start", nodeW + 6, "to"]].forEach(function (side) {
    side[0].nodes.forEach(function (n) {
      var h = Math.max(2, n.count * unit);
      chart.appendChild(svg("rect", {
        class: "node", x: side[1], y: n.y, width: nodeW, height: h, "data-side": side[4],
        "data-stage": n.stage,
      }));
      chart.appendChild(svg("text", {
        class: "label", x: side[1] + side[3], y: n.y + h / 2 + 4, "text-anchor": side[2],
      }, [t("flow.node", { name: stageName(n.stage), count: count(n.count) })]));
    });
  });
  box.appendChild(chart);
  box.appendChild(el("p", { class: "legend" }, [
    el("span", { class: "key stay" }, []), t("flow.stay"),
    el("span", { class: "key on" }, []), t("flow.on"),
    el("span", { class: "key back" }, []), t("flow.back"),
  ]));
}

function renderUnanswered(u) {
  var box = clear($("unanswered"));
  if (!u.clusters.length) {
    box.appendChild(el("li", { class: "muted" }, [
      u.warnings.length ? u.warnings.join("; ") : t("empty.unanswered"),
    ]));
    return;
  }
  var trends = { rising: t("trend.rising"), falling: t("trend.falling"), steady: t("trend.steady") };
  u.clusters.forEach(function (c) {
    var trend = c.second_half > c.first_half ? "rising" : c.second_half < c.first_half ? "falling" : "steady";
    box.appendChild(el("li", {
      "data-size": String(c.size), "data-trend": trend,
      title: t("cluster.seen", { first: dateTime(c.first_seen), last: dateTime(c.last_seen) }),
    }, [
      el("strong", {}, [t("cluster.turns", { count: count(c.size) })]), " ",
      el("span", { class: "trend" }, [t("cluster.trend", {
        trend: trends[trend], first: count(c.first_half), second: count(c.second_half),
      })]), " ",
      list(c.examples.slice(0, 3).map(function (x) { return "\u201c" + x + "\u201d"; })),
    ]));
  });
}

function load() {
  showError(null);
  api("GET", query()).then(function (a) {
    shown.summary = a;
    render(a);
  }, function (err) {
    if (err.status === 403) showError("not_supervisor");
    else showError("error.load", { error: err.message });
  });
  var range = query().split("?")[1].split("&").filter(function (kv) {
    return kv.indexOf("since=") === 0 || kv.indexOf("until=") === 0;
  }).join("&");
  api("GET", "/v1/analytics/unanswered?" + range).then(function (u) {
    shown.unanswered = u;
    renderUnanswered(u);
  }, function () {});
}

// the CSV through an authenticated request, saved as a file
function downloadCsv() {
  fetch(query("csv"), { headers: { Authorization: "Bearer " + state.token() } }).then(function (r) {
    if (!r.ok) {
      var err = new Error("HTTP " + r.status);
      err.status = r.status;
      throw err;
    }
    return r.blob();
  }).then(function (blob) {
    var a = el("a", { href: URL.createObjectURL(blob), download: "agent-assist-summary.csv" });
    document.body.appendChild(a);
    a.click();
    a.remove();
  }, function (err) {
    if (err.status === 403) showError("not_supervisor");
    else showError("error.csv", { error: err.message });
  });
}

// ------------------------------------------------------------------ wiring

$("signin").addEventListener("submit", function (e) {
  e.preventDefault();
  api("POST", "/v1/auth/login", {
    agent_id: $("agent-id").value.trim(),
    password: $("password").value,
  }, true).then(function (res) {
    state.signedIn(res.access_token, res.agent_id);
    $("password").value = "";
    showBoard();
  }, function (err) {
    if (err.status === 401) showSignIn("signin.wrong");
    else if (err.status === 422) showSignIn("signin.missing");
    else showSignIn("signin.failed", { error: err.message });
  });
});
$("sign-out").addEventListener("click", function () {
  var done = function () {
    state.signedOut();
    shown.summary = shown.unanswered = null;
    showSignIn(null);
  };
  api("POST", "/v1/auth/logout").then(done, done);
});
$("filters").addEventListener("submit", function (e) {
  e.preventDefault();
  load();
});
$("csv").addEventListener("click", downloadCsv);
onExpired(function () {
  state.signedOut();
  showSignIn("session.expired");
});

// EN / 中文 in the header: the static text switches in ../core/i18n.js; the figures,
// the charts and the error lines are built again from what the API last answered
bindSwitch();
onLanguageChange(function () {
  renderSignInError();
  renderBoardError();
  renderStageOptions();
  if (shown.summary) render(shown.summary);
  if (shown.unanswered) renderUnanswered(shown.unanswered);
  renderRouting();
});

applyPage(t);
if (state.restoreSession()) showBoard();
else showSignIn(null);

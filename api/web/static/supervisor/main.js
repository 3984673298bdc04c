/* The supervisor page: sign in (a supervisor's account), pick a period and a channel, and
 * read GET /v1/analytics/summary as key figures and SVG bar charts; "Download CSV" saves
 * the same figures (format=csv). Shares the agent panel's session (same tab), request
 * helper and DOM helpers. */

import { api, onExpired } from "../agent/api.js";
import { $, clear, el, svg } from "../agent/dom.js";
import * as state from "../agent/state.js";

var NOT_SUPERVISOR = "These figures are for supervisors: sign in with a supervisor's account.";

function showSignIn(message) {
  $("signin-view").hidden = false;
  $("board").hidden = true;
  $("me").hidden = true;
  $("signin-error").textContent = message || "";
  $("signin-error").hidden = !message;
}

function showBoard() {
  $("signin-view").hidden = true;
  $("board").hidden = false;
  $("me").hidden = false;
  $("me-name").textContent = state.agent();
  load();
}

function query(format) {
  var until = new Date();
  var since = new Date(until.getTime() - Number($("period").value) * 86400000);
  var q = "since=" + encodeURIComponent(since.toISOString()) +
    "&until=" + encodeURIComponent(until.toISOString());
  ["channel", "agent", "intent"].forEach(function (name) {
    var v = $(name).value.trim();
    if (v) q += "&" + name + "=" + encodeURIComponent(v);
  });
  return "/v1/analytics/summary?" + q + (format ? "&format=" + format : "");
}

function showError(message) {
  $("board-error").textContent = message || "";
  $("board-error").hidden = !message;
}

function pct(x) {
  return x === null || x === undefined ? "–" : Math.round(x * 100) + " %";
}

function secs(x) {
  if (x === null || x === undefined) return "–";
  return x < 90 ? Math.round(x) + " s" : Math.round(x / 60) + " min";
}

function tile(key, value, name) {
  return el("div", { class: "tile", "data-metric": name }, [
    el("p", { class: "v" }, [String(value)]),
    el("p", { class: "k" }, [key]),
  ]);
}

// horizontal bars: [{name, count}], longest first as given
function bars(box, items, empty) {
  clear(box);
  if (!items.length) {
    box.appendChild(el("p", { class: "muted" }, [empty]));
    return;
  }
  var max = Math.max.apply(null, items.map(function (i) { return i.count; }));
  var row = 24, left = 220, width = 290;
  var chart = svg("svg", {
    class: "bars", viewBox: "0 0 " + (left + width + 50) + " " + (items.length * row + 6),
    role: "img", "aria-label": items.map(function (i) { return i.name + ": " + i.count; }).join("; "),
  });
  items.forEach(function (item, k) {
    var y = k * row + 3;
    var w = Math.max(2, Math.round((item.count / max) * width));
    var name = item.name.length > 34 ? item.name.slice(0, 33) + "…" : item.name;
    chart.appendChild(svg("text", { class: "label", x: left - 6, y: y + 14, "text-anchor": "end" }, [name]));
    chart.appendChild(svg("rect", { class: "bar", x: left, y: y, width: w, height: row - 6, "data-name": item.name }, [
      svg("title", {}, [item.name + ": " + item.count]),
    ]));
    chart.appendChild(svg("text", { class: "value", x: left + w + 6, y: y + 14 }, [String(item.count)]));
  });
  box.appendChild(chart);
}

function render(a) {
  var t = clear($("tiles"));
  t.appendChild(tile("conversations started", a.conversations, "conversations"));
  t.appendChild(tile("contained by the bot", pct(a.containment_rate) + " (" + a.contained + ")", "contained"));
  t.appendChild(tile("handed to a person", pct(a.handoff_rate) + " (" + a.handed_off + ")", "handed_off"));
  t.appendChild(tile("left while waiting", a.abandoned_in_queue, "abandoned_in_queue"));
  t.appendChild(tile("queue wait, median / p90", secs(a.queue_wait.median_s) + " / " + secs(a.queue_wait.p90_s), "queue_wait"));
  t.appendChild(tile("first agent reply, median / p90", secs(a.first_agent_reply.median_s) + " / " + secs(a.first_agent_reply.p90_s), "first_agent_reply"));
  t.appendChild(tile("rating (" + a.csat.ratings + ")", a.csat.mean === null ? "–" : a.csat.mean.toFixed(1) + " / 5", "csat"));
  t.appendChild(tile("came back within 7 days, same request", pct(a.repeat_contact_rate) + " (" + a.repeat_contacts + ")", "repeat_contacts"));
  t.appendChild(tile("suggested replies used", pct(a.suggestions.use_rate), "suggestion_use"));
  bars($("chart-reasons"), a.handoff_reasons, "No hand-off in this period.");
  bars($("chart-dispositions"), a.dispositions, "No wrap-up saved in this period.");
  bars($("chart-outcomes"), a.outcomes, "No wrap-up saved in this period.");
  var dist = ["1", "2", "3", "4", "5"].map(function (r) { return { name: r, count: a.csat.distribution[r] || 0 }; });
  bars($("chart-csat"), a.csat.ratings ? dist : [], "No rating in this period.");
  bars($("chart-intents"), a.intents, "No customer request in this period.");
  bars($("chart-by-agent"), a.csat.by_agent.map(function (r) {
    return { name: r.name + " (" + r.ratings + ")", count: Math.round(r.mean * 10) / 10 };
  }), "No rating in this period.");
  var used = a.suggestions.actions;
  bars($("chart-suggestions"), ["shown", "used", "edited", "dismissed"].filter(function (k) {
    return used[k];
  }).map(function (k) { return { name: k, count: used[k] }; }), "No suggestion shown in this period.");
}

function renderUnanswered(u) {
  var box = clear($("unanswered"));
  if (!u.clusters.length) {
    box.appendChild(el("li", { class: "muted" }, [
      u.warnings.length ? u.warnings.join("; ") : "Nothing the bot could not answer came up twice.",
    ]));
    return;
  }
  u.clusters.forEach(function (c) {
    var trend = c.second_half > c.first_half ? "rising" : c.second_half < c.first_half ? "falling" : "steady";
    box.appendChild(el("li", { "data-size": String(c.size) }, [
      el("strong", {}, [c.size + " turns"]), " ",
      el("span", { class: "trend" }, ["(" + trend + ": " + c.first_half + " then " + c.second_half + ")"]), ": ",
      c.examples.slice(0, 3).map(function (x) { return "\u201c" + x + "\u201d"; }).join(", "),
    ]));
  });
}

function load() {
  showError("");
  api("GET", query()).then(render, function (err) {
    showError(err.status === 403 ? NOT_SUPERVISOR : "Could not load the figures: " + err.message + ".");
  });
  var period = query().split("?")[1].split("&").filter(function (kv) {
    return kv.indexOf("since=") === 0 || kv.indexOf("until=") === 0;
  }).join("&");
  api("GET", "/v1/analytics/unanswered?" + period).then(renderUnanswered, function () {});
}

// the CSV through an authenticated request, saved as a file
function downloadCsv() {
  fetch(query("csv"), { headers: { Authorization: "Bearer " + state.token() } }).then(function (r) {
    if (!r.ok) throw new Error(r.status === 403 ? NOT_SUPERVISOR : "HTTP " + r.status);
    return r.blob();
  }).then(function (blob) {
    var a = el("a", { href: URL.createObjectURL(blob), download: "agent-assist-summary.csv" });
    document.body.appendChild(a);
    a.click();
    a.remove();
  }, function (err) {
    showError("Could not download the CSV: " + err.message);
  });
}

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
    showSignIn(err.status === 401 ? "Sign-in failed: wrong name or password." : "Sign-in failed: " + err.message + ".");
  });
});
$("sign-out").addEventListener("click", function () {
  var done = function () {
    state.signedOut();
    showSignIn("");
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
  showSignIn("Your session has expired: sign in again.");
});

if (state.restoreSession()) showBoard();
else showSignIn("");

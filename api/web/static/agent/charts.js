/* The two SVG charts of the assist column: the customer's journey across channels (a
 * timeline: one lane per channel, one dot per event, this chat's messages included) and
 * the sentiment trend of the customer's messages (a sparkline). */

import { api } from "./api.js";
import { $, el, svg, clear } from "./dom.js";
import { parseTs, when } from "./format.js";
import { moodName, t } from "./i18n.js";

var CHANNELS = ["web", "app", "email", "phone", "store", "chat", "social"];

// one colour per channel (the customer card's badges use them too)
export var COLORS = {
  web: "#1d4ed8", app: "#7c3aed", email: "#0f766e", phone: "#b45309", store: "#be123c",
  chat: "#047857", social: "#4338ca", "this chat": "#111827",
};

// ------------------------------------------------------------------ journey timeline

export function loadTimeline(customerId, turns) {
  var box = $("card-timeline");
  if (!customerId) {
    clear(box).appendChild(el("p", { class: "muted" }, [t("customer.anonymous")]));
    return;
  }
  api("GET", "/v1/customers/" + encodeURIComponent(customerId) + "/timeline?limit=300").then(
    function (tl) {
      drawTimeline(tl.events || [], turns || []);
    },
    function (err) {
      clear(box).appendChild(el("p", { class: "muted" }, [t("timeline.none", { error: err.message })]));
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
  turns.filter(function (turn) { return turn.role === "customer"; }).forEach(function (turn) {
    pts.push({ t: parseTs(turn.ts), lane: "this chat", label: turn.text, type: "message", id: turn.id });
  });
  if (!pts.length) {
    box.appendChild(el("p", { class: "muted" }, [t("timeline.empty")]));
    return;
  }
  var lanes = CHANNELS.filter(function (c) { return pts.some(function (p) { return p.lane === c; }); });
  pts.forEach(function (p) { if (lanes.indexOf(p.lane) < 0) lanes.push(p.lane); });
  var maxAge = Math.max(3600e3, now - Math.min.apply(null, pts.map(function (p) { return p.t; })));
  var W = 420, L = 62, R = 12, T = 8, LANE = 24, B = 22;
  var H = T + lanes.length * LANE + B;
  var x = function (ms) { return L + (W - L - R) * (1 - Math.sqrt(Math.max(0, now - ms) / maxAge)); };
  var chart = svg("svg", {
    class: "timeline", viewBox: "0 0 " + W + " " + H, role: "img", width: "100%",
    "aria-label": t("timeline.label", { events: pts.length, lanes: lanes.length }),
  });
  lanes.forEach(function (lane, i) {
    var y = T + i * LANE + LANE / 2;
    chart.appendChild(svg("line", { x1: L, x2: W - R, y1: y, y2: y, class: "lane" }));
    chart.appendChild(svg("text", { x: L - 6, y: y + 4, "text-anchor": "end", class: "lane-label" }, [laneName(lane)]));
  });
  var ticks = [[0, t("timeline.now")], [86400e3, t("timeline.day")], [7 * 86400e3, t("timeline.week")],
    [30 * 86400e3, t("timeline.month")], [365 * 86400e3, t("timeline.year")],
    [3 * 365 * 86400e3, t("timeline.years")]];
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
    }, [svg("title", {}, [when(p.t) + " · " + laneName(p.lane) + " · " + p.type + ": " + p.label])]));
  });
  box.appendChild(chart);
  box.appendChild(el("p", { class: "small muted" }, [
    t("timeline.help", { events: pts.length }),
  ]));
}

// a lane's label: the channel as the API names it, or "this chat" in the panel's language
function laneName(lane) {
  return lane === "this chat" ? t("timeline.this_chat") : lane;
}

// ------------------------------------------------------------------ sentiment trend

// the tone (compound, -1..1) and the frustration (0..1) of each analysed customer turn
export function renderSentiment(turns) {
  var box = clear($("card-sentiment"));
  var pts = turns.filter(function (turn) {
    return turn.role === "customer" && turn.attributes && turn.attributes.sentiment;
  }).map(function (turn) {
    return { text: turn.text, s: turn.attributes.sentiment };
  });
  if (!pts.length) {
    box.appendChild(el("p", { class: "muted" }, [t("sentiment.none")]));
    return;
  }
  var last = pts[pts.length - 1].s;
  var mood = moodName(last.label || "neutral");
  box.appendChild(el("p", {}, [
    el("strong", {}, [mood]),
    t("sentiment.frustration", { value: Number(last.frustration || 0).toFixed(2) }) +
      ((last.signals || []).length ? " (" + last.signals.join(", ") + ")" : ""),
  ]));
  var W = 220, H = 48, pad = 5;
  var x = function (i) { return pts.length === 1 ? W / 2 : pad + (i * (W - 2 * pad)) / (pts.length - 1); };
  var yC = function (v) { return H / 2 - (Number(v) || 0) * (H / 2 - pad); }; // compound -1..1
  var yF = function (v) { return H - pad - (Number(v) || 0) * (H - 2 * pad); }; // frustration 0..1
  var chart = svg("svg", {
    class: "spark", viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img",
    "aria-label": t("sentiment.label", { count: pts.length, mood: mood }),
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
      svg("title", {}, [t("sentiment.point", {
        text: p.text.slice(0, 80), tone: Number(p.s.compound || 0).toFixed(2),
        frustration: Number(p.s.frustration || 0).toFixed(2),
      })]),
    ]));
  });
  box.appendChild(chart);
  box.appendChild(el("p", { class: "small muted" }, [
    el("span", { class: "key tone" }, [t("sentiment.tone")]), " ",
    el("span", { class: "key frus" }, [t("sentiment.frus")]), t("sentiment.legend"),
  ]));
}

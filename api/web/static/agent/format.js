/* How the agent panel writes times, waits and shares. */

// the API's timestamps ("2024-05-01 10:00:00.123456", ISO, or epoch ms) as epoch ms
export function parseTs(ts) {
  if (typeof ts === "number") return ts;
  var s = String(ts || "").replace(" ", "T").replace(/(\.\d{3})\d+/, "$1");
  var t = Date.parse(s);
  return isNaN(t) ? Date.now() : t;
}

export function when(ts) {
  return new Date(parseTs(ts)).toLocaleString([], {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
}

export function day(ts) {
  return new Date(parseTs(ts)).toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" });
}

export function waited(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  if (seconds < 60) return seconds + " s";
  var m = Math.floor(seconds / 60);
  return m < 60 ? m + " min " + (seconds % 60) + " s" : Math.floor(m / 60) + " h " + (m % 60) + " min";
}

export function pct(x) {
  return Math.round((Number(x) || 0) * 100) + " %";
}

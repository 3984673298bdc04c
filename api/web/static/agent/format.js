/* How the agent panel writes times, waits and shares (in the panel's language). */

import { locale } from "../core/i18n.js";
import { t } from "./i18n.js";

// the API's timestamps ("2024-05-01 10:00:00.123456", ISO, or epoch ms) as epoch ms
export function parseTs(ts) {
  if (typeof ts === "number") return ts;
  var s = String(ts || "").replace(" ", "T").replace(/(\.\d{3})\d+/, "$1");
  var ms = Date.parse(s);
  return isNaN(ms) ? Date.now() : ms;
}

export function when(ts) {
  return new Date(parseTs(ts)).toLocaleString(locale(), {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
}

export function day(ts) {
  return new Date(parseTs(ts)).toLocaleDateString(locale(), { day: "numeric", month: "short", year: "numeric" });
}

export function waited(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  if (seconds < 60) return t("time.s", { s: seconds });
  var m = Math.floor(seconds / 60);
  return m < 60 ? t("time.min_s", { m: m, s: seconds % 60 }) : t("time.h_min", { h: Math.floor(m / 60), m: m % 60 });
}

export function pct(x) {
  return Math.round((Number(x) || 0) * 100) + " %";
}

/* The agent panel's requests: the shared core's request() with the signed-in agent's
 * token; a 401 ends the session (onExpired). */

import { request } from "../core/net.js";
import { showError } from "./dom.js";
import { t } from "./i18n.js";
import * as state from "./state.js";

var API = location.origin;
var expired = function () {};

// what to do when the API no longer accepts the token (main.js: sign out)
export function onExpired(fn) {
  expired = fn;
}

// resolves with the JSON answer, rejects with the core's ApiError {status, code, message}
export function api(method, path, body, noAuth) {
  return request(method, API + path, body, {
    token: noAuth ? null : state.token(),
    offline: t("offline"),
  }).catch(function (err) {
    if (err.status === 401 && !noAuth) expired();
    throw err;
  });
}

// "/v1/conversations/<id><tail>"
export function conversationPath(id, tail) {
  return "/v1/conversations/" + encodeURIComponent(id) + (tail || "");
}

// records a suggestion's or an intent's feedback; a failure is shown, never thrown
export function feedback(body) {
  return api("POST", "/v1/feedback", body).catch(function (err) {
    showError("conv-error", t("feedback.failed", { error: err.message }));
  });
}

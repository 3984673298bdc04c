/* The journey-stage model the service runs (GET /v1/journey/model: lifecycle, 5A, ...)
 * and how people name its stages ("Ask · 问询"), so the panel holds no list of stages of
 * its own and shows whichever model is configured. Until the model has loaded, a stage
 * shows as its API name; nodes drawn before then carry data-stage and are relabelled. */

import { api } from "./api.js";
import { t } from "./i18n.js";

var model = null; // {model, title, stages: [{name, en, zh, label}]}
var byName = {};

// loads the model once (again after a failure); resolves with it, or null
export function loadStages() {
  if (model) return Promise.resolve(model);
  return api("GET", "/v1/journey/model").then(function (m) {
    model = m;
    byName = {};
    (m.stages || []).forEach(function (s) {
      byName[s.name] = s;
    });
    document.querySelectorAll("[data-stage]").forEach(function (n) {
      n.textContent = (n.dataset.prefix || "") + stageLabel(n.dataset.stage);
      n.title = stageTitle(n.dataset.stage);
    });
    return m;
  }, function () {
    return null;
  });
}

// "Ask · 问询" for "ask"; the name itself when the model does not know it (yet)
export function stageLabel(name) {
  var s = byName[name];
  return s ? s.label : name;
}

// the tooltip: the API's name of the stage and the model it belongs to
export function stageTitle(name) {
  return model ? t("stage.model", { name: name, model: model.model, title: model.title }) : name;
}

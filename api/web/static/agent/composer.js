/* The reply box: a suggested reply goes in (useSuggestion), the agent may edit it, Send
 * posts it and records whether the suggestion was used as it was or edited. */

import { api, conversationPath, feedback } from "./api.js";
import { $, clearErrors, showError } from "./dom.js";
import { t } from "./i18n.js";
import * as state from "./state.js";
import { addTurn } from "./transcript.js";

var pending = null; // the suggestion put in the box {id, title, text, position, propensity}

export function initComposer() {
  $("composer").addEventListener("submit", onSubmit);
}

// an empty box, for another conversation
export function resetComposer() {
  pending = null;
  $("reply").value = "";
  $("reply-from").hidden = true;
}

export function useSuggestion(s) {
  var box = $("reply");
  box.value = s.text;
  pending = { id: s.id, title: s.title, text: s.text, position: s.position, propensity: s.propensity };
  $("reply-from").textContent = t("composer.from", { title: s.title || s.id });
  $("reply-from").hidden = false;
  box.focus();
}

function onSubmit(e) {
  e.preventDefault();
  var text = $("reply").value.trim();
  if (!text) {
    showError("conv-error", t("composer.empty"));
    return;
  }
  var id = state.current();
  var from = pending;
  var about = state.lastCustomerTurn();
  clearErrors();
  $("send").disabled = true;
  api("POST", conversationPath(id, "/agent-messages"), {
    text: text,
    suggestion_id: from ? from.id : null,
  }).then(
    function (turn) {
      addTurn(turn);
      $("reply").value = "";
      $("reply-from").hidden = true;
      $("send").disabled = false;
      pending = null;
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
          position: from.position || null,
          propensity: from.position ? from.propensity : null,
        });
      }
    },
    function (err) {
      $("send").disabled = false;
      showError("conv-error",
        err.status === 409 ? t("composer.claim_first", { error: err.message })
          : err.status === 403 ? t("composer.refused", { error: err.message })
            : t("composer.failed", { error: err.message })
      );
    }
  );
}

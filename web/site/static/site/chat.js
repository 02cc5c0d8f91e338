// The chat form: say the coach is thinking while the answer is on its way (the first one loads a model).
// A plain form POST without this script works the same, only without the "sending" state.
"use strict";
// Open at the latest message with the box in reach: the history box starts at its end (CSS), and the page
// scrolls so that the form's bottom is on the screen, right under the latest message.
function showLatest() {
  var history = document.querySelector(".conversation-scroll");
  var form = document.querySelector("form.chat-form");
  if (!history || !form) {
    return;
  }
  history.scrollTop = history.scrollHeight;
  form.scrollIntoView({block: "end"});
}
window.addEventListener("load", showLatest);
document.querySelectorAll("form.chat-form").forEach(function (form) {
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    var thinking = form.querySelector(".chat-thinking");
    if (button) {
      button.disabled = true;
      button.textContent = form.dataset.sending || button.textContent;
    }
    if (thinking) {
      thinking.hidden = false;
    }
    form.setAttribute("aria-busy", "true");
  });
  var field = form.querySelector("textarea");
  if (field) {
    // Enter sends, Shift+Enter makes a new line, as in a messaging app.
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && field.value.trim()) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }
});

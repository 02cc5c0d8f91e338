// The chat form: say the coach is thinking while the answer is on its way (the first one loads a model).
// A plain form POST without this script works the same, only without the "sending" state.
"use strict";
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

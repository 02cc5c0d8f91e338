// The upload form with progress: each file is sent alone, in turn, with the bytes sent shown while it
// travels, then "importing…", then its result line as the server returns it (one line a file, or one
// per activity of a Strava zip). There is no background job system yet (issue 21): the progress shown
// is the upload's, and the import's own is a result per file. One request a file, sequentially, so each
// result appears as soon as its file is imported, and one failed request costs one file, not the batch.
// Without this script the form is a plain POST and the page comes back with every result, as before.
"use strict";
(function () {
  var form = document.querySelector("form.upload-form");
  var input = form && form.querySelector("input[type=file]");
  if (!form || !input || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var progressBox = document.getElementById("upload-progress");
  var progress = document.getElementById("upload-bytes");
  var status = document.getElementById("upload-status");
  var section = document.getElementById("import-section");
  var summary = document.getElementById("import-summary");
  var rows = document.querySelector("#import-results tbody");
  var button = form.querySelector("button[type=submit]");
  var language = document.documentElement.lang || undefined;
  var kib = new Intl.NumberFormat(language, {minimumFractionDigits: 1, maximumFractionDigits: 1});

  function words(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function errorRow(name, detail) {
    var row = document.createElement("tr");
    row.className = "import-error";
    var file = document.createElement("th");
    file.scope = "row";
    file.textContent = name;
    var result = document.createElement("td");
    result.textContent = form.dataset.error;
    var activity = document.createElement("td");
    var text = document.createElement("td");
    text.textContent = detail;
    row.append(file, result, activity, text);
    rows.append(row);
  }

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) {
      return; // the server says the field is required, as without the script
    }
    event.preventDefault();
    var total = files.reduce(function (sum, file) { return sum + file.size; }, 0);
    var counts = {imported: 0, duplicates: 0, errors: 0};
    var before = 0;
    var base = new FormData(form);
    base.delete(input.name);
    rows.textContent = "";
    summary.textContent = "";
    section.hidden = false;
    progressBox.hidden = false;
    progress.max = Math.max(total, 1);
    progress.value = 0;
    button.disabled = true;
    form.setAttribute("aria-busy", "true");

    function showSent(file, sent) {
      progress.value = before + sent;
      say(words(form.dataset.sending, {
        file: file.name,
        sent: kib.format((before + sent) / 1024),
        total: kib.format(total / 1024),
      }));
    }

    function finished() {
      progress.value = progress.max;
      say(form.dataset.done);
      button.disabled = false;
      form.removeAttribute("aria-busy");
      input.value = "";
    }

    function send(index) {
      if (index >= files.length) {
        finished();
        return;
      }
      var file = files[index];
      var data = new FormData();
      base.forEach(function (value, key) { data.append(key, value); });
      data.append(input.name, file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (progressEvent) {
        showSent(file, progressEvent.loaded);
      });
      request.upload.addEventListener("load", function () {
        showSent(file, file.size);
        say(words(form.dataset.importing, {file: file.name}));
      });
      request.addEventListener("load", function () {
        var answer = null;
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = null;
        }
        if (answer && typeof answer.rows === "string") {
          rows.insertAdjacentHTML("beforeend", answer.rows);
          counts.imported += answer.imported;
          counts.duplicates += answer.duplicates;
          counts.errors += answer.errors;
        } else {
          errorRow(file.name, answer && answer.errors ? answer.errors.join(" ") : String(request.status));
          counts.errors += 1;
        }
        summary.textContent = words(form.dataset.summary, counts);
        before += file.size;
        send(index + 1);
      });
      request.addEventListener("error", function () {
        errorRow(file.name, words(form.dataset.failed, {file: file.name}));
        counts.errors += 1;
        summary.textContent = words(form.dataset.summary, counts);
        before += file.size;
        send(index + 1);
      });
      request.send(data);
    }

    send(0);
  });
})();

// Paper and counter entry: keyboard only. After a scale point or an option
// number is complete (no longer number could still fit), or "n" (non so), the
// cursor moves to the next field, so an officer types a questionnaire as a
// run of digits. Tab and Shift+Tab work as usual; Enter saves.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) { return; }
  var fields = Array.prototype.slice.call(
    form.querySelectorAll("input:not([type=hidden]):not([type=radio]), textarea, select, button[type=submit]")
  );

  function next(field) {
    var index = fields.indexOf(field);
    if (index >= 0 && index + 1 < fields.length) { fields[index + 1].focus(); }
  }

  function complete(value, max) {
    if (/^n$/i.test(value)) { return true; }
    if (!/^\d+$/.test(value)) { return false; }
    return Number(value) * 10 > max;
  }

  form.addEventListener("input", function (event) {
    var field = event.target;
    var max = Number(field.getAttribute("data-advance"));
    if (!max || event.inputType === "deleteContentBackward") { return; }
    if (complete(field.value.trim(), max)) { next(field); }
  });

  // After a refused save: the first field with an error (the number first),
  // whose message it reads (aria-describedby), rather than the summary the
  // other forms focus: keying goes on from there. Registered after qclub.js's
  // own listener, so it runs last.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = form.querySelector("[aria-invalid=true]");
    var target = invalid || document.getElementById("numero");
    if (target) { target.focus(); if (target.select) { target.select(); } }
  });
})();

/* A charter standard's form: the buttons of the target proposed from the
   peers ("Usa la mediana", "Usa il quartile migliore") write the value into
   the field it is compared with, and move the focus there. The proposal
   itself is refreshed by htmx (attributes in the template); the form works
   without this file: the values are shown and can be typed. */
(function () {
  "use strict";
  // Buttons that only work with JavaScript are shown only with it.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-qc-js-only]").forEach(function (element) { element.hidden = false; });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-qc-fill]") : null;
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-qc-fill"));
    if (!field) { return; }
    field.value = button.getAttribute("data-qc-value") || "";
    field.focus();
    // The proposal follows the value: which comuni already meet it.
    field.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();

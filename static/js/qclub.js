/* QClub page behaviour. Works without it: every form posts normally. */
(function () {
  "use strict";
  var script = document.currentScript;
  // Bootstrap Italia loads its fonts from JS; point it at our own copy (no third-party request).
  if (window.bootstrap && window.bootstrap.loadFonts && script && script.dataset.fonts) {
    window.bootstrap.loadFonts(script.dataset.fonts);
  }
  document.addEventListener("DOMContentLoaded", function () {
    // After a failed submit, move focus to the error summary so screen readers hear it first.
    var summary = document.querySelector(".qc-error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();

/* QClub page behaviour. Works without it: every form posts normally.
   No inline script or handler anywhere (Content-Security-Policy): behaviour is
   attached here, from data- attributes. */
(function () {
  "use strict";
  // Bootstrap Italia's fonts are declared in css/fonts.css (its loadFonts() would
  // inject an inline <style>, which the policy refuses).
  document.addEventListener("DOMContentLoaded", function () {
    // After a failed submit, move focus to the error summary so screen readers hear it first.
    var summary = document.querySelector(".qc-error-summary");
    if (summary) {
      summary.focus();
    }
  });
  // <select data-qc-split="a b">: its value "x|y" fills the form's fields a and b.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-qc-split]") || !select.form) { return; }
    var names = select.getAttribute("data-qc-split").split(" ");
    var parts = select.value.split("|");
    names.forEach(function (name, index) {
      var field = select.form.elements.namedItem(name);
      if (field) { field.value = parts[index] || ""; }
    });
  });
})();

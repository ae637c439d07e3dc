/* Data entry: live checks while typing. The form works without it (htmx
   posts the whole form to the preview; saving posts normally). */
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) {
    return;
  }
  // Tell the server which field is being typed in: its messages are announced.
  form.addEventListener("htmx:configRequest", function (event) {
    var trigger = event.detail.triggeringEvent;
    if (trigger && trigger.target && trigger.target.name) {
      event.detail.parameters.campo = trigger.target.name;
    }
  });
  // Keep each figure's invalid state in step with the messages beside it.
  document.body.addEventListener("htmx:afterSettle", function () {
    var boxes = form.querySelectorAll(".qc-field-messages");
    for (var i = 0; i < boxes.length; i++) {
      var input = document.getElementById("v-" + boxes[i].id.slice(4));
      if (!input) {
        continue;
      }
      var invalid = boxes[i].dataset.invalid === "true";
      input.classList.toggle("is-invalid", invalid);
      if (invalid) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    }
  });
})();

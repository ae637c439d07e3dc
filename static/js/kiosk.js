// The kiosk resets itself: after the thanks (a few seconds) or a reason left
// unanswered (half a minute), back to the three faces for the next person.
// Any touch or key on the reason page starts the wait again.
(function () {
  "use strict";
  var body = document.body;
  var seconds = Number(body.getAttribute("data-reset-after"));
  var url = body.getAttribute("data-reset-url");
  if (!seconds || !url) { return; }
  var timer = null;
  function arm() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () { window.location.assign(url); }, seconds * 1000);
  }
  ["pointerdown", "keydown"].forEach(function (name) { document.addEventListener(name, arm); });
  arm();
})();

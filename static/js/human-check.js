/* The anti-spam proof of work of public forms (qclub/antispam.py): finds the
   number n such that SHA-256(salt + n) is the challenge (the ALTCHA v1
   protocol), with the browser's Web Crypto, and puts the payload in the form's
   hidden field. No inline code (strict CSP). Without Web Crypto (an insecure
   context) the field stays empty and the server applies its no-script limit. */
(function () {
  "use strict";

  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = "";
    for (var i = 0; i < bytes.length; i++) {
      out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return out;
  }

  async function solve(challenge) {
    var encoder = new TextEncoder();
    var batch = 256;
    for (var start = 0; start <= challenge.maxNumber; start += batch) {
      var jobs = [];
      for (var n = start; n < start + batch && n <= challenge.maxNumber; n++) {
        jobs.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      var digests = await Promise.all(jobs);
      for (var k = 0; k < digests.length; k++) {
        if (hex(digests[k]) === challenge.challenge) {
          return start + k;
        }
      }
    }
    return null;
  }

  function setStatus(status, key) {
    if (status && status.dataset[key]) {
      status.textContent = status.dataset[key];
    }
  }

  function start(input) {
    if (!window.crypto || !crypto.subtle || !window.TextEncoder) {
      return;
    }
    var form = input.form;
    var status = form ? form.querySelector("[data-human-check-status]") : null;
    var challenge = JSON.parse(input.dataset.altchaChallenge);
    var began = Date.now();
    var solved = false;
    var submitWhenSolved = null;
    setStatus(status, "working");
    if (form) {
      form.addEventListener("submit", function (event) {
        if (!solved) {
          event.preventDefault();
          submitWhenSolved = event.submitter || true;
          setStatus(status, "waiting");
        }
      });
    }
    solve(challenge).then(function (number) {
      if (number === null) {
        return;
      }
      input.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number: number,
        salt: challenge.salt,
        signature: challenge.signature,
        took: Date.now() - began
      }));
      solved = true;
      setStatus(status, "done");
      if (submitWhenSolved && form) {
        if (submitWhenSolved !== true && form.requestSubmit) {
          form.requestSubmit(submitWhenSolved);
        } else if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      }
    });
  }

  document.querySelectorAll("input[data-altcha-challenge]").forEach(start);
})();

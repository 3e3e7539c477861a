/* Kiosk thank-you screen: count down, then return to the empty form. A button stops the timer
   (WCAG 2.2.1 timing adjustable). Without JavaScript the "Next person" button does the job. */
(function () {
  "use strict";
  var box = document.querySelector("[data-kiosk-countdown]");
  if (!box) { return; }
  var remaining = parseInt(box.getAttribute("data-kiosk-countdown"), 10) || 15;
  var url = box.getAttribute("data-kiosk-url");
  var label = box.querySelector("[data-kiosk-remaining]");
  var stop = box.querySelector("[data-kiosk-stop]");
  box.hidden = false;
  var timer = window.setInterval(function () {
    remaining -= 1;
    label.textContent = String(Math.max(remaining, 0));
    if (remaining <= 0) {
      window.clearInterval(timer);
      window.location.replace(url);
    }
  }, 1000);
  stop.addEventListener("click", function () {
    window.clearInterval(timer);
    box.querySelector("[data-kiosk-text]").hidden = true;
    box.querySelector("[data-kiosk-message]").textContent = box.getAttribute("data-stopped-text");
    stop.hidden = true;
    document.getElementById("next-person").focus();
  });
})();

/* giapranh - progressive enhancement only: pages work without it.
 * Sends the CSRF token with htmx requests and asks before deleting. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.addEventListener("htmx:configRequest", function (ev) {
    if (meta) { ev.detail.headers["X-CSRF-Token"] = meta.content; }
  });
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });
})();

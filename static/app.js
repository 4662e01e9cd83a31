/* giapranh - progressive enhancement only: pages work without it.
 * Sends the CSRF token with htmx requests, asks before deleting, and turns
 * the id inputs of large reference pickers into search-as-you-type selects
 * (without JavaScript the id input is what the form sends). */
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

  function enablePickers(root) {
    var pickers = root.querySelectorAll("[data-picker]:not(.ready)");
    Array.prototype.forEach.call(pickers, function (p) {
      var sel = p.querySelector("select");
      var num = p.querySelector("input.nojs");
      if (!sel || !window.htmx) { return; }
      sel.disabled = false;
      if (num) { num.disabled = true; }
      p.classList.add("ready");
      /* Enter in the search box searches; it must not submit the form */
      var search = p.querySelector('input[type="search"]');
      if (search) {
        search.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter") { ev.preventDefault(); window.htmx.trigger(search, "search"); }
        });
      }
    });
  }
  function ready() { enablePickers(document); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

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
    var form = ev.target, msg = form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); return; }
    /* a form that opens a confirmation page posts at once, confirmed
     * here (data-confirm-post): the page is for browsers without us */
    if (msg && form.hasAttribute("data-confirm-post")) {
      ev.preventDefault();
      var post = document.createElement("form"), tok = document.createElement("input");
      post.method = "post";
      post.action = form.action;
      tok.type = "hidden";
      tok.name = "_csrf";
      tok.value = meta ? meta.content : "";
      post.appendChild(tok);
      document.body.appendChild(post);
      post.submit();
    }
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

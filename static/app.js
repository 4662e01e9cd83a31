/* giapranh - progressive enhancement only: pages work without it.
 * Sends the CSRF token with htmx requests and asks before deleting or
 * issuing.  The search-as-you-type pickers are picker.js. */
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
})();

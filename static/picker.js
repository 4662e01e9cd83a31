/* giapranh - search-as-you-type pickers: progressive enhancement only.
 *
 * The server marks a form field; without JavaScript the field works as it is:
 *   <select data-pick="ENTITY">    a choice among the records listed
 *   <input data-pick="ENTITY">     the id of a record (too many to list)
 *   <input data-pick-scope="[{kind, entity, label}, ...]">
 *                                  a report scope written KIND:ID
 * With JavaScript the field is hidden and a search box stands in its place:
 * what is typed is searched on the server (GET /e/ENTITY/pick?q=, folded as
 * every list search is: "dong van" finds "Đồng Văn"), and a choice writes the
 * id (KIND:ID) into the field, which the form sends as before.
 *   data-pick-label         the name of the value the field holds
 *   data-pick-create        FIELD: offer to create a record named by the typed
 *                           text (POST /api/v1/ENTITY {FIELD: text}: the
 *                           normal write path, its authorization and
 *                           validation), then choose it
 *   data-pick-create-label  what such a record is called ("cá nhân mới")
 * Also: a button[data-add-row=ID] adds a row to the rows ([data-row]) of
 * element ID: a form of several records (the attendees of a meeting).
 */
(function () {
  "use strict";
  var DELAY = 250;          /* ms after the last key before searching */
  var count = 0;            /* ids of the boxes made */
  var meta = document.querySelector('meta[name="csrf-token"]');

  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text != null) { e.textContent = text; }
    return e;
  }

  /* Write a value into the field the form sends: a select gets the option
   * when it lacks it. */
  function setValue(field, value, display) {
    if (field.tagName === "SELECT" && value !== "") {
      var has = Array.prototype.some.call(field.options, function (o) { return o.value === value; });
      if (!has) { field.appendChild(new Option(display || value, value)); }
    }
    field.value = value;
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  /* Hide the field the box stands for; its "required" goes to the box
   * (a hidden required field would stop the form without a word). */
  function standIn(field, box, input) {
    if (field.required) {
      field.required = false;
      input.setAttribute("aria-required", "true");
    }
    field.classList.add("pick-field");
    field.hidden = true;
    var l = field.id ? document.querySelector('label[for="' + field.id + '"]') : null;
    if (l) { l.htmlFor = input.id; }
    field.parentNode.insertBefore(box, field.nextSibling);
  }

  /* A search box with its list; `entity()` says where to search,
   * `choose(item)` takes {id, display}. */
  function combobox(host, label, entity, choose, opts) {
    var n = ++count;
    var box = make("div", "pick");
    var input = make("input", "pick-input");
    var list = make("ul", "pick-list");
    var status = make("small", "pick-status");
    var timer = null, token = 0, active = -1, items = [], shown = "";

    input.type = "text";
    input.id = (host.id || "pick" + n) + "-pick";
    input.autocomplete = "off";
    input.placeholder = opts.placeholder || "Gõ tên để tìm (không cần dấu)";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", input.id + "-list");
    if (label) { input.setAttribute("aria-label", label); }
    if (host.getAttribute("aria-invalid")) {
      input.setAttribute("aria-invalid", host.getAttribute("aria-invalid"));
      input.setAttribute("aria-describedby", host.getAttribute("aria-describedby") || "");
    }
    list.id = input.id + "-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.setAttribute("role", "status");
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(i) {
      var lis = list.querySelectorAll('[role="option"]');
      Array.prototype.forEach.call(lis, function (li, k) {
        li.setAttribute("aria-selected", k === i ? "true" : "false");
      });
      active = i;
      if (i >= 0 && lis[i]) {
        input.setAttribute("aria-activedescendant", lis[i].id);
        lis[i].scrollIntoView({ block: "nearest" });
      }
    }
    /* no search started before may open the list again */
    function quiet() {
      clearTimeout(timer);
      token++;
    }
    function pick(item) {
      quiet();
      shown = item.display;
      input.value = item.display;
      status.textContent = "";
      close();
      choose(item);
    }
    function create(text) {
      var body = {};
      body[opts.create] = text;
      status.textContent = "Đang thêm…";
      fetch("/api/v1/" + encodeURIComponent(entity()), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json",
          "X-CSRF-Token": meta ? meta.content : "" },
        body: JSON.stringify(body)
      }).then(function (r) {
        return r.json().then(function (j) { return { ok: r.ok, j: j }; });
      }).then(function (res) {
        if (!res.ok) {
          var err = res.j && res.j.error ? res.j.error : {};
          var why = err.fields ? Object.keys(err.fields).map(function (k) {
            return err.fields[k];
          }).join("; ") : "";
          status.textContent = "Không thêm được: " + (why || err.message || "lỗi");
          return;
        }
        pick({ id: res.j.id, display: res.j[opts.create] || text, created: true });
        status.textContent = "Đã thêm " + (opts.createLabel || "bản ghi mới") + " “" + text + "”.";
      }).catch(function () { status.textContent = "Không thêm được: mất kết nối"; });
    }
    function render(data, text) {
      list.textContent = "";
      items = data.items || [];
      items.forEach(function (it, k) {
        var li = make("li", "pick-option", it.display);
        li.id = input.id + "-o" + k;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.id = it.id;
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(it); });
        list.appendChild(li);
      });
      if (items.length === 0) {
        list.appendChild(make("li", "pick-note", "Không tìm thấy" + (text ? " “" + text + "”" : "")));
      } else if (data.more) {
        list.appendChild(make("li", "pick-note", items.length + " trong " + data.total +
          " kết quả — gõ thêm để thu hẹp"));
      }
      if (opts.create && text.trim() !== "") {
        var add = make("li", "pick-option pick-create",
          "＋ Thêm “" + text.trim() + "” (" + (opts.createLabel || "mới") + ")");
        add.id = input.id + "-create";
        add.setAttribute("role", "option");
        add.setAttribute("aria-selected", "false");
        add.addEventListener("mousedown", function (ev) { ev.preventDefault(); create(text.trim()); });
        items = items.concat([{ create: text.trim() }]);
        list.appendChild(add);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }
    function search() {
      /* the name chosen is no search: the first records then */
      var text = input.value === shown ? "" : input.value, mine = ++token, ent = entity();
      if (!ent) { return; }
      fetch("/e/" + encodeURIComponent(ent) + "/pick?q=" + encodeURIComponent(text), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (mine === token) { render(data, text); } })
        .catch(function () { if (mine === token) { status.textContent = "Không tìm được: mất kết nối"; } });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    input.addEventListener("focus", function () {
      input.select();
      if (list.hidden) { search(); }
    });
    input.addEventListener("keydown", function (ev) {
      var len = items.length;
      if (ev.key === "ArrowDown" && len) {
        ev.preventDefault();
        if (list.hidden) { list.hidden = false; }
        mark((active + 1) % len);
      } else if (ev.key === "ArrowUp" && len) {
        ev.preventDefault();
        mark(active <= 0 ? len - 1 : active - 1);
      } else if (ev.key === "Enter") {
        /* Enter chooses; it never submits the form from the search box */
        ev.preventDefault();
        var it = items[active >= 0 ? active : (len === 1 ? 0 : -1)];
        if (it && it.create) { create(it.create); } else if (it) { pick(it); }
      } else if (ev.key === "Escape") {
        close();
        input.value = shown;
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(function () {
        quiet();
        close();
        /* emptied: no value; anything else typed returns to the choice */
        if (input.value.trim() === "") {
          shown = "";
          choose(null);
        } else {
          input.value = shown;
        }
      }, 150);
    });
    return {
      box: box,
      input: input,
      set: function (text) { shown = text || ""; input.value = shown; },
      clear: function () { shown = ""; input.value = ""; status.textContent = ""; }
    };
  }

  function labelOf(field) {
    var l = field.id ? document.querySelector('label[for="' + field.id + '"]') : null;
    return l ? l.textContent.replace("*", "").trim() : (field.getAttribute("aria-label") || "");
  }

  /* A select or an id input: the box writes the chosen id into it. */
  function enhanceRecord(field) {
    var entity = field.getAttribute("data-pick");
    var isSelect = field.tagName === "SELECT";
    var cb = combobox(field, labelOf(field), function () { return entity; }, function (item) {
      setValue(field, item ? String(item.id) : "", item ? item.display : "");
    }, {
      create: field.getAttribute("data-pick-create"),
      createLabel: field.getAttribute("data-pick-create-label")
    });
    var current = field.getAttribute("data-pick-label");
    if (isSelect && field.selectedIndex >= 0 && field.value !== "") {
      current = current || field.options[field.selectedIndex].text;
    }
    if (field.value !== "" && current) { cb.set(current); }
    /* the name shown beside an id without JavaScript is the box's now */
    var now = field.parentNode.querySelector(".pick-now");
    if (now) { now.hidden = true; }
    standIn(field, cb.box, cb.input);
  }

  /* A report scope: a kind, then a record of that kind (KIND:ID). */
  function enhanceScope(field) {
    var kinds;
    try {
      /* [[name, entity or null, label], ...] */
      kinds = JSON.parse(field.getAttribute("data-pick-scope")).map(function (k) {
        return { kind: k[0], entity: k[1], label: k[2] };
      });
    } catch (e) { return; }
    var wrap = make("div", "pick-scope");
    var sel = make("select", "pick-kind");
    sel.setAttribute("aria-label", "Loại phạm vi");
    var m = /^([a-z_]+)(?::(.*))?$/.exec(field.value || "");
    var kind = m ? m[1] : "";
    kinds.forEach(function (k) {
      var o = new Option(k.label, k.kind);
      if (k.kind === kind) { o.selected = true; }
      sel.appendChild(o);
    });
    if (!kind) { sel.insertBefore(new Option("— chọn loại —", ""), sel.firstChild); sel.value = ""; }
    function current() {
      for (var i = 0; i < kinds.length; i++) { if (kinds[i].kind === sel.value) { return kinds[i]; } }
      return null;
    }
    var cb = combobox(field, labelOf(field), function () {
      var k = current();
      return k ? k.entity : null;
    }, function (item) {
      var k = current();
      setValue(field, item && k ? k.kind + ":" + item.id : "", item ? item.display : "");
    }, {});
    function shape() {
      var k = current();
      cb.box.hidden = !k || !k.entity;
    }
    sel.addEventListener("change", function () {
      var k = current();
      cb.clear();
      /* a kind without records (the whole country) is the scope itself */
      setValue(field, k && !k.entity ? k.kind : "", k ? k.label : "");
      shape();
      if (k && k.entity) { cb.input.focus(); }
    });
    var shown = field.getAttribute("data-pick-label");
    if (!shown && field.tagName === "SELECT" && field.selectedIndex >= 0) {
      shown = field.options[field.selectedIndex].text;
    }
    if (shown && m && m[2]) { cb.set(shown); }
    wrap.appendChild(sel);
    wrap.appendChild(cb.box);
    shape();
    standIn(field, wrap, cb.input);
  }

  /* One more row of a form of several records (the attendees of a
   * meeting): the last row again, emptied, its names and ids renumbered
   * ("person_id_5" -> "person_id_6") and its pickers made anew. */
  function addRow(button) {
    var box = document.getElementById(button.getAttribute("data-add-row"));
    if (!box) { return; }
    var rows = box.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var next = rows.length + 1;
    function renum(v) { return v.replace(/_\d+$/, "_" + next); }
    Array.prototype.forEach.call(copy.querySelectorAll(".pick, .pick-scope, .field-error, .error, .pick-now"),
      function (e) { e.remove(); });
    Array.prototype.forEach.call(copy.querySelectorAll("[name]"), function (f) {
      f.name = renum(f.name);
      if (f.id) { f.id = renum(f.id); }
      if (f.type === "checkbox") { f.checked = false; }
      else if (f.tagName === "SELECT") { f.selectedIndex = 0; }
      else if (f.type !== "hidden") { f.value = ""; }
      f.hidden = false;
      f.classList.remove("pick-field");
      f.removeAttribute("data-pick-label");
      f.removeAttribute("aria-invalid");
      f.removeAttribute("aria-describedby");
    });
    Array.prototype.forEach.call(copy.querySelectorAll("label[for]"), function (l) {
      l.htmlFor = renum(l.htmlFor.replace(/-pick$/, ""));
    });
    Array.prototype.forEach.call(copy.querySelectorAll("[data-row-number]"), function (c) {
      c.textContent = String(next);
    });
    last.parentNode.insertBefore(copy, last.nextSibling);
    enhance(copy);
    var first = copy.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  }

  function enhance(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-pick]:not(.pick-field)"), enhanceRecord);
    Array.prototype.forEach.call(root.querySelectorAll("[data-pick-scope]:not(.pick-field)"), enhanceScope);
  }

  function ready() {
    enhance(document);
    Array.prototype.forEach.call(document.querySelectorAll("button[data-add-row]"), function (b) {
      b.hidden = false;
      b.addEventListener("click", function (ev) { ev.preventDefault(); addRow(b); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

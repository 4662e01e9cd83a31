/* giapranh - the map of /map (pages_map.c) with Leaflet: the shipped
 * boundaries as the base (from 1/7/2025, or before it with the districts),
 * a tile layer only when the server names one (data-tiles), and the
 * records of /map/features (GeoJSON) as coloured points per layer, each
 * with a popup.  Without JavaScript the tables below the map list them. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var L = window.L;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error(url + ": " + r.status); }
        return r.json();
      });
  }

  /* text only: nothing of a record is read as HTML */
  function node(tag, text, cls) {
    var n = document.createElement(tag);
    if (text) { n.textContent = text; }
    if (cls) { n.className = cls; }
    return n;
  }

  function popup(p) {
    var box = node("div", null, "map-popup");
    var h = node("strong");
    var a = node("a", p.headline || "(không tên)");
    a.href = p.href;
    h.appendChild(a);
    box.appendChild(h);
    if (p.clearance_only) { box.appendChild(document.createTextNode(" ")); box.appendChild(node("span", "mật", "badge secret")); }
    box.appendChild(node("div", p.layer_label + (p.what ? ": " + p.what : "")));
    if (p.date) { box.appendChild(node("div", "Ngày: " + p.date)); }
    if (p.unit_name) { box.appendChild(node("div", "Địa bàn: " + p.unit_name)); }
    if (p.other) { box.appendChild(node("div", (p.layer === "twinning" ? "Kết nghĩa với: " : "Phía đối diện: ") + p.other)); }
    box.appendChild(node("div", p.where, p.approximate ? "map-where approximate" : "map-where"));
    return box;
  }

  function tooltip(f) {
    return node("span", (f.properties && f.properties.name) || "");
  }

  el.textContent = "";
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Ranh giới: dvhcvn (GPL-3.0), gis.chinhphu.vn");
  map.setView([22.3, 104.5], 7);

  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: "Bản đồ nền: " + new URL(el.dataset.tiles.replace(/[{}]/g, "")).host }).addTo(map);
  }

  /* the boundaries in a pane below the points, whichever is added last */
  map.createPane("boundaries");
  map.getPane("boundaries").style.zIndex = 350;
  var b2025 = L.layerGroup();
  var b2024 = L.layerGroup();
  /* on a phone the layers' box folds into a button, or it hides the map */
  var control = L.control.layers({}, {}, { collapsed: el.clientWidth < 600 }).addTo(map);
  control.addBaseLayer(b2025, "Ranh giới từ 1/7/2025");
  control.addBaseLayer(b2024, "Ranh giới trước 1/7/2025 (có huyện)");
  b2025.addTo(map);
  el.setAttribute("data-boundaries", "2025");

  var pending = 0;
  function loading(p) {
    pending++;
    return p.catch(function (e) {
      el.setAttribute("data-error", e.message);
    }).then(function () {
      if (--pending === 0) { el.setAttribute("data-state", "ready"); }
    });
  }

  /* the filled provinces below, the points above them */
  loading(getJSON(el.getAttribute("data-provinces-2025")).then(function (gj) {
    var layer = L.geoJSON(gj, {
      pane: "boundaries",
      style: { color: "#37474f", weight: 1.5, fillColor: "#e3eaee", fillOpacity: 0.7, className: "gp-boundary gp-b2025" },
      onEachFeature: function (f, l) { l.bindTooltip(tooltip(f), { sticky: true }); }
    }).addTo(b2025);
    /* on a wide screen the layers' box stands over the right side */
    map.fitBounds(layer.getBounds(), {
      paddingTopLeft: [10, 10], paddingBottomRight: [el.clientWidth > 700 ? 240 : 10, 10]
    });
  }));

  var got2024 = null;
  function load2024() {
    if (got2024) { return got2024; }
    got2024 = loading(Promise.all([getJSON(el.getAttribute("data-provinces-2024")), getJSON(el.getAttribute("data-districts-2024"))])
      .then(function (both) {
        L.geoJSON(both[1], {
          pane: "boundaries",
          style: { color: "#78909c", weight: 0.8, dashArray: "3 3", fillColor: "#e0f2f1", fillOpacity: 0.25, className: "gp-boundary gp-district" },
          onEachFeature: function (f, l) { l.bindTooltip(tooltip(f), { sticky: true }); }
        }).addTo(b2024);
        L.geoJSON(both[0], {
          pane: "boundaries",
          style: { color: "#263238", weight: 2, fill: false, className: "gp-boundary gp-b2024" },
          interactive: false
        }).addTo(b2024);
      }));
    return got2024;
  }
  map.on("baselayerchange", function (ev) {
    if (ev.layer === b2024) {
      el.setAttribute("data-state", "loading");
      load2024();
      el.setAttribute("data-boundaries", "2024");
    } else {
      el.setAttribute("data-boundaries", "2025");
    }
  });

  loading(getJSON(el.dataset.features).then(function (fc) {
    var groups = {};
    (fc.legend || []).forEach(function (l) {
      groups[l.layer] = { group: L.layerGroup().addTo(map), label: l.layer_label, n: 0 };
    });
    (fc.features || []).forEach(function (f) {
      var p = f.properties || {};
      var g = groups[p.layer];
      if (!g || !f.geometry) { return; }
      var c = f.geometry.coordinates;
      L.circleMarker([c[1], c[0]], {
        radius: 7, color: p.color, weight: 2, fillColor: p.color,
        /* a place that stands for the unit, not the spot, looks hollow */
        fillOpacity: p.approximate ? 0.25 : 0.85, dashArray: p.approximate ? "2 2" : null,
        className: "gp-place gp-layer-" + p.layer + (p.approximate ? " gp-approximate" : "")
      }).bindPopup(popup(p)).addTo(g.group);
      g.n++;
    });
    (fc.legend || []).forEach(function (l) {
      var g = groups[l.layer];
      var label = document.createElement("span");
      label.textContent = g.label + " (" + g.n + ")";
      /* a class, not a style attribute (the CSP refuses those) */
      var dot = node("span", null, "map-dot map-dot-" + l.layer);
      var wrap = node("span");
      wrap.appendChild(dot);
      wrap.appendChild(label);
      /* Leaflet writes a name as HTML: ours is an element's markup */
      control.addOverlay(g.group, wrap.outerHTML);
    });
    el.setAttribute("data-places", String((fc.features || []).length));
  }));
})();

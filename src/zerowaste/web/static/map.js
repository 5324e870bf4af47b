/* Site maps: reads the JSON block named by each [data-map] element and draws it with Leaflet.
   No base map unless the server configured a tile URL; markers are plain coloured dots. */
(function () {
  "use strict";

  function popupFor(point, labels) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("strong");
    title.textContent = point.name;
    box.appendChild(title);
    var kind = document.createElement("div");
    kind.textContent = point.kind;
    box.appendChild(kind);
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.firm;
    link.title = labels.view_firm;
    box.appendChild(link);
    return box;
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-map"));
    if (!source || typeof L === "undefined") {
      return;
    }
    var config = JSON.parse(source.textContent);
    var map = L.map(element, { attributionControl: Boolean(config.tiles), scrollWheelZoom: false });
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 18 }).addTo(map);
      map.attributionControl.setPrefix(false);
    } else {
      element.classList.add("map-plain");
    }
    L.control.scale({ imperial: false }).addTo(map);
    var corners = [];
    config.points.forEach(function (point) {
      var icon = L.divIcon({
        className: "site-marker site-marker-" + point.kind_code,
        iconSize: [16, 16],
        iconAnchor: [8, 8],
        popupAnchor: [0, -8]
      });
      L.marker([point.lat, point.lng], { icon: icon, title: point.name + " · " + point.kind })
        .bindPopup(popupFor(point, config.labels))
        .addTo(map);
      corners.push([point.lat, point.lng]);
    });
    if (corners.length) {
      map.fitBounds(corners, { padding: [40, 40], maxZoom: 12 });
    } else {
      map.setView([35, 105], 4);
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

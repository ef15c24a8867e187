/* evacmap's overlay layer: a user's GIS file (e.g. admin boundaries) drawn under the
 * flows, with tooltips and optional labels. Part of evacmap (MIT).
 *
 * Tooltips ("tip") and labels arrive already HTML-escaped by Python; nothing here
 * builds markup from raw user text.
 */
(function (L) {
  "use strict";
  if (!L) {
    return;
  }
  var E = (L.evacmap = L.evacmap || {});
  if (E.overlay) {
    return;
  }

  function pane(map, name, zIndex, interactive) {
    if (!map.getPane(name)) {
      var p = map.createPane(name);
      p.style.zIndex = String(zIndex);
      if (!interactive) {
        p.style.pointerEvents = "none";
      }
    }
    return name;
  }

  // Above the offline basemap (150) and any tiles (200), below the flows (400).
  E.Overlay = L.GeoJSON.extend({
    onAdd: function (map) {
      pane(map, "evacmapOverlay", 350, true);
      pane(map, "evacmapOverlayLabels", 360, false);
      L.GeoJSON.prototype.onAdd.call(this, map);
    }
  });

  E.overlay = function (data, options) {
    var colour = options.colour;
    var layer = new E.Overlay(data, {
      pane: "evacmapOverlay",
      attribution: options.attribution,
      style: function () {
        return {
          pane: "evacmapOverlay",
          color: colour,
          weight: 1.3,
          opacity: 0.9,
          fillColor: colour,
          fillOpacity: 0.05,
          className: "evacmap-overlay"
        };
      },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          pane: "evacmapOverlay",
          radius: 3,
          color: colour,
          weight: 1.2,
          fillColor: colour,
          fillOpacity: 0.6,
          className: "evacmap-overlay"
        });
      },
      onEachFeature: function (feature, item) {
        var p = feature.properties || {};
        if (p.tip) {
          item.bindTooltip(p.tip, { sticky: true, className: "evacmap-tooltip" });
        }
      }
    });
    (data.features || []).forEach(function (f) {
      var p = f.properties || {};
      if (p.label && p.at) {
        layer.addLayer(L.marker([p.at[1], p.at[0]], {
          pane: "evacmapOverlayLabels",
          interactive: false,
          keyboard: false,
          icon: L.divIcon({
            className: "evacmap-label-icon",
            iconSize: null,
            html: '<span class="evacmap-overlay-label">' + p.label + "</span>"
          })
        }));
      }
    });
    return layer;
  };
})(window.L);

/* evacmap's Leaflet plugin: flow arcs with arrowheads, place circles and labels,
 * the offline background, the legend and the title. Part of evacmap (MIT).
 *
 * Data arrive as JSON built in Python, where every piece of user text has already
 * been HTML-escaped; strings marked "html" below are inserted as HTML for that
 * reason and must never be built from raw user text.
 */
(function (L) {
  "use strict";
  if (!L || (L.evacmap && L.evacmap.flowLayer)) {
    return;
  }
  var E = (L.evacmap = L.evacmap || {});

  // Make a layer or control from the page's JSON block `id` (written by Python as
  // <script type="application/json">): data never pass through a template or eval.
  E.fromPage = function (factory, id) {
    var block = document.getElementById(id);
    var payload = JSON.parse(block.textContent);
    return factory(payload.data, payload.options || {});
  };

  // A map pane, created on first use. Panes that are not interactive let the
  // mouse through to the layers below.
  E.pane = function (map, name, zIndex, interactive) {
    if (!map.getPane(name)) {
      var pane = map.createPane(name);
      pane.style.zIndex = String(zIndex);
      if (!interactive) {
        pane.style.pointerEvents = "none";
      }
    }
    return name;
  };

  // GeoJSON LineString / MultiLineString -> array of LatLng arrays (one per part).
  function toParts(geometry) {
    if (geometry.type === "LineString") {
      return [L.GeoJSON.coordsToLatLngs(geometry.coordinates, 0)];
    }
    return L.GeoJSON.coordsToLatLngs(geometry.coordinates, 1);
  }

  function lengthOf(pts) {
    var total = 0;
    for (var i = 1; i < pts.length; i++) {
      total += pts[i].distanceTo(pts[i - 1]);
    }
    return total;
  }

  // The point `dist` pixels back from the end of the polyline `pts`, with the index
  // of the last vertex before it.
  function fromEnd(pts, dist) {
    var left = dist;
    for (var i = pts.length - 1; i > 0; i--) {
      var a = pts[i];
      var b = pts[i - 1];
      var d = a.distanceTo(b);
      if (d > 0 && d >= left) {
        var t = left / d;
        return { index: i - 1, point: L.point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t) };
      }
      left -= d;
    }
    return { index: 0, point: pts[0] };
  }

  // Arrowhead size in pixels for a line `w` pixels wide.
  function headSize(w) {
    return {
      len: Math.min(32, Math.max(11, 6 + 1.9 * w)),
      half: Math.min(18, Math.max(5.5, 2.5 + 1.05 * w))
    };
  }

  // Triangle at the end of `pts` (layer pixels), its tip `gap` pixels short of the
  // end (the edge of the destination circle). Returns the triangle and the line cut
  // at the triangle's base, or null when the line is too short for a head.
  function arrowhead(pts, w, gap) {
    var size = headSize(w);
    var room = lengthOf(pts) - gap;
    if (room < 4) {
      return null;
    }
    var scale = Math.min(1, (0.6 * room) / size.len);
    var len = size.len * scale;
    var half = size.half * scale;
    var tip = fromEnd(pts, gap).point;
    var cut = fromEnd(pts, gap + len);
    var base = cut.point;
    var dx = tip.x - base.x;
    var dy = tip.y - base.y;
    var d = Math.sqrt(dx * dx + dy * dy) || 1;
    var px = (-dy / d) * half;
    var py = (dx / d) * half;
    return {
      head: [tip, L.point(base.x + px, base.y + py), L.point(base.x - px, base.y - py)],
      line: pts.slice(0, cut.index + 1).concat([base])
    };
  }

  function dash(w) {
    return Math.max(5, 2.4 * w).toFixed(1) + " " + Math.max(3.5, 1.5 * w).toFixed(1);
  }

  function isHollow(p) {
    return !p.unknown && p.kind !== "moved";
  }

  var tooltipOptions = { sticky: true, className: "evacmap-tooltip", direction: "top", offset: [0, -6] };

  // All flows of a map: lines (one SVG path each), arrowheads and count labels.
  E.FlowLayer = L.FeatureGroup.extend({
    options: {
      colours: {},
      opacity: 0.88,
      attribution: null
    },

    initialize: function (data, options) {
      L.FeatureGroup.prototype.initialize.call(this, [], options);
      this._data = data;
      this._items = null;
    },

    onAdd: function (map) {
      if (!this._items) {
        this._build(map);
      }
      L.FeatureGroup.prototype.onAdd.call(this, map);
      map.on("zoomend", this._reshape, this);
      this._reshape();
      // Once the rest of the page's layers (place labels) are on the map too.
      L.Util.requestAnimFrame(this._placeLabels, this);
    },

    onRemove: function (map) {
      map.off("zoomend", this._reshape, this);
      L.FeatureGroup.prototype.onRemove.call(this, map);
    },

    _lineStyle: function (p, part) {
      var c = this.options.colours;
      var w = p.w;
      var classes = ["evacmap-flow", "evacmap-" + p.role, "evacmap-" + p.kind];
      var style = {
        weight: w,
        opacity: this.options.opacity,
        lineCap: p.role === "trunk" ? "round" : "butt",
        lineJoin: "round",
        fill: false,
        interactive: true
      };
      if (p.unknown) {
        classes.push("evacmap-unknown");
        style.color = p.kind === "moved" ? c.unknown : c[p.kind];
        style.lineCap = "round";
        style.dashArray = "0.1 " + (2.5 * w + 2.5).toFixed(1);
      } else if (part === "core") {
        classes = ["evacmap-flow-core", "evacmap-" + p.kind];
        style.color = c[p.kind + "Core"];
        style.weight = Math.max(1, w - 2.6);
        style.opacity = 1;
        style.interactive = false;
      } else {
        style.color = c[p.kind];
        if (p.role === "branch") {
          style.dashArray = dash(w);
        }
      }
      style.className = classes.join(" ");
      return style;
    },

    _arrowStyle: function (p) {
      var c = this.options.colours;
      var style = {
        className: "evacmap-arrowhead evacmap-" + p.kind,
        fill: true,
        fillOpacity: this.options.opacity,
        stroke: false,
        interactive: true
      };
      if (p.unknown) {
        style.fillColor = p.kind === "moved" ? c.unknown : c[p.kind];
      } else if (isHollow(p)) {
        style.fillColor = c[p.kind + "Core"];
        style.fillOpacity = 1;
        style.stroke = true;
        style.color = c[p.kind];
        style.weight = 1.6;
        style.opacity = 1;
      } else {
        style.fillColor = c[p.kind];
      }
      return style;
    },

    _build: function (map) {
      var self = this;
      var tips = this._data.tooltips || [];
      var labelPane = E.pane(map, "evacmapLabels", 620, false);
      this._byMovement = {};
      this._labelled = [];
      this._items = (this._data.features || []).map(function (f) {
        return { p: f.properties, parts: toParts(f.geometry), lines: [], arrow: null };
      });
      var add = function (item, layer) {
        var m = item.p.m;
        (self._byMovement[m] = self._byMovement[m] || []).push(layer);
        if (layer.options.interactive !== false) {
          layer.bindTooltip(tips[m] || "", tooltipOptions);
          layer.on("mouseover", function () { self._highlight(m, true); });
          layer.on("mouseout", function () { self._highlight(m, false); });
        }
        self.addLayer(layer);
        return layer;
      };
      var items = this._items;
      // Hollow outlines, then their pale cores (so a fork's trunk and branches merge),
      // then solid lines, then arrowheads on top, then labels.
      items.forEach(function (it) {
        if (isHollow(it.p)) {
          it.lines.push(add(it, L.polyline(it.parts, self._lineStyle(it.p, "outline"))));
        }
      });
      items.forEach(function (it) {
        if (isHollow(it.p) && it.p.w >= 5) {
          it.lines.push(add(it, L.polyline(it.parts, self._lineStyle(it.p, "core"))));
        }
      });
      items.forEach(function (it) {
        if (!isHollow(it.p)) {
          it.lines.push(add(it, L.polyline(it.parts, self._lineStyle(it.p, "line"))));
        }
      });
      items.forEach(function (it) {
        if (it.p.role !== "trunk") {
          it.arrow = add(it, L.polygon([], self._arrowStyle(it.p)));
        }
      });
      // Labels: people who moved first, so they get the best place on their line.
      items.filter(function (it) { return it.p.label && it.p.at; })
        .sort(function (a, b) { return (a.p.kind === "moved" ? 0 : 1) - (b.p.kind === "moved" ? 0 : 1); })
        .forEach(function (it) {
          var icon = L.divIcon({
            className: "evacmap-label-icon",
            iconSize: null,
            html: '<span class="evacmap-count-label evacmap-' + it.p.kind + '">' + it.p.label + "</span>"
          });
          it.label = L.marker([it.p.at[1], it.p.at[0]], {
            icon: icon, pane: labelPane, interactive: false, keyboard: false
          });
          self.addLayer(it.label);
          self._labelled.push(it);
        });
    },

    _highlight: function (m, on) {
      (this._byMovement[m] || []).forEach(function (layer) {
        if (layer._path) {
          (on ? L.DomUtil.addClass : L.DomUtil.removeClass)(layer._path, "evacmap-active");
        }
      });
    },

    // Recompute arrowheads, and cut each line at its arrowhead's base, in pixels at
    // the current zoom.
    _reshape: function () {
      var map = this._map;
      if (!map || !this._items) {
        return;
      }
      this._items.forEach(function (it) {
        if (!it.arrow) {
          return;
        }
        var last = it.parts[it.parts.length - 1];
        var pts = last.map(function (ll) { return map.latLngToLayerPoint(ll); });
        var gap = it.p.r > 0 ? it.p.r + 1.5 : 0;  // stop at the edge of the circle
        var shape = arrowhead(pts, it.p.w, gap);
        var toLatLng = function (pt) { return map.layerPointToLatLng(pt); };
        var parts = it.parts;
        if (shape) {
          parts = it.parts.slice(0, -1).concat([shape.line.map(toLatLng)]);
          it.arrow.setLatLngs(shape.head.map(toLatLng));
        } else {
          it.arrow.setLatLngs([]);
        }
        it.lines.forEach(function (line) { line.setLatLngs(parts); });
      });
      this._placeLabels();
    },

    // Put each count label on its own line, at the first of a few spots along it
    // where it overlaps neither a place name nor a label placed before it.
    _placeLabels: function () {
      var map = this._map;
      if (!map || !this._labelled || !this._labelled.length) {
        return;
      }
      var container = map.getContainer();
      var origin = container.getBoundingClientRect();
      var taken = [];
      var nodes = container.querySelectorAll(".evacmap-place-label");
      for (var i = 0; i < nodes.length; i++) {
        var r = nodes[i].getBoundingClientRect();
        taken.push({ l: r.left - origin.left, t: r.top - origin.top, r: r.right - origin.left, b: r.bottom - origin.top });
      }
      var overlaps = function (box) {
        return taken.some(function (o) {
          return box.l < o.r && box.r > o.l && box.t < o.b && box.b > o.t;
        });
      };
      var spots = [0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8];
      this._labelled.forEach(function (it) {
        var el = it.label.getElement();
        var span = el && el.firstChild;
        var w = span ? span.offsetWidth + 4 : 40;
        var h = span ? span.offsetHeight + 2 : 16;
        var line = it.parts.reduce(function (a, b) { return b.length > a.length ? b : a; });
        var pts = line.map(function (ll) { return map.latLngToContainerPoint(ll); });
        var total = lengthOf(pts);
        var best = null;
        for (var k = 0; k < spots.length && !best; k++) {
          var pt = fromEnd(pts, total * (1 - spots[k])).point;
          var box = { l: pt.x - w / 2, t: pt.y - h / 2, r: pt.x + w / 2, b: pt.y + h / 2 };
          if (!overlaps(box)) {
            best = { pt: pt, box: box };
          }
        }
        if (!best) {
          var mid = fromEnd(pts, total / 2).point;
          best = { pt: mid, box: { l: mid.x - w / 2, t: mid.y - h / 2, r: mid.x + w / 2, b: mid.y + h / 2 } };
        }
        taken.push(best.box);
        it.label.setLatLng(map.containerPointToLatLng(best.pt));
      });
    }
  });

  E.flowLayer = function (data, options) {
    return new E.FlowLayer(data, options);
  };

  // Place circles (area by people through the place), name labels and tooltips.
  E.PlaceLayer = L.FeatureGroup.extend({
    options: { colours: {} },

    initialize: function (data, options) {
      L.FeatureGroup.prototype.initialize.call(this, [], options);
      this._data = data;
      this._built = false;
    },

    onAdd: function (map) {
      if (!this._built) {
        this._build(map);
      }
      L.FeatureGroup.prototype.onAdd.call(this, map);
    },

    _build: function (map) {
      var self = this;
      var colour = this.options.colours.place;
      var pane = E.pane(map, "evacmapPlaces", 450, true);
      var labelPane = E.pane(map, "evacmapLabels", 620, false);
      (this._data.features || []).forEach(function (f) {
        var p = f.properties;
        var latlng = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        var classes = ["evacmap-place"];
        var style = {
          pane: pane,
          radius: p.r,
          color: "#ffffff",
          weight: 1.5,
          opacity: 1,
          fillColor: colour,
          fillOpacity: 0.85
        };
        if (p.hollow) {
          classes.push("evacmap-place-hollow");
          style.color = colour;
          style.weight = 1.8;
          style.fillColor = "#ffffff";
          style.fillOpacity = 0.95;
        }
        if (p.approximate) {
          classes.push("evacmap-approximate");
          style.color = colour;
          style.dashArray = "3 2.2";
          if (!p.hollow) {
            style.fillOpacity = 0.6;
          }
        }
        style.className = classes.join(" ");
        var circle = L.circleMarker(latlng, style);
        circle.bindTooltip(p.tip, { className: "evacmap-tooltip", direction: "top", offset: [0, -p.r] });
        self.addLayer(circle);
        if (p.label) {
          var icon = L.divIcon({
            className: "evacmap-label-icon",
            iconSize: null,
            html: '<span class="evacmap-place-label" style="left:' + (p.r + 4).toFixed(1) + 'px">' +
              p.label + "</span>"
          });
          self.addLayer(L.marker(latlng, { icon: icon, pane: labelPane, interactive: false, keyboard: false }));
        }
      });
      this._built = true;
    }
  });

  E.placeLayer = function (data, options) {
    return new E.PlaceLayer(data, options);
  };

  // The offline background: country outlines on a pale sea, with faint country
  // names; never interactive.
  E.Basemap = L.GeoJSON.extend({
    onAdd: function (map) {
      E.pane(map, "evacmapBasemap", 150, false);
      E.pane(map, "evacmapCountryLabels", 160, false);
      L.DomUtil.addClass(map.getContainer(), "evacmap-sea");
      map.getContainer().style.backgroundColor = this.options.sea;
      L.GeoJSON.prototype.onAdd.call(this, map);
    },
    onRemove: function (map) {
      L.DomUtil.removeClass(map.getContainer(), "evacmap-sea");
      map.getContainer().style.backgroundColor = "";
      L.GeoJSON.prototype.onRemove.call(this, map);
    }
  });

  E.basemap = function (data, options) {
    var layer = new E.Basemap(data, {
      pane: "evacmapBasemap",
      interactive: false,
      attribution: options.attribution,
      sea: options.sea,
      style: function () {
        return {
          color: options.border,
          weight: 0.9,
          opacity: 1,
          fillColor: options.land,
          fillOpacity: 1,
          interactive: false,
          className: "evacmap-country"
        };
      }
    });
    (data.labels || []).forEach(function (label) {
      layer.addLayer(L.marker([label.at[1], label.at[0]], {
        pane: "evacmapCountryLabels",
        interactive: false,
        keyboard: false,
        icon: L.divIcon({
          className: "evacmap-label-icon",
          iconSize: null,
          html: '<span class="evacmap-country-label">' + label.name + "</span>"
        })
      }));
    });
    return layer;
  };

  // A control holding ready-made (escaped) HTML.
  E.HtmlControl = L.Control.extend({
    options: { position: "bottomright", className: "" },
    initialize: function (html, options) {
      L.setOptions(this, options);
      this._html = html;
    },
    onAdd: function () {
      var div = L.DomUtil.create("div", this.options.className);
      div.innerHTML = this._html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    }
  });

  // Online tiles, only when the map was made with them.
  E.tileLayer = function (url, options) {
    return L.tileLayer(url, options);
  };

  // Leaflet's attribution prefix replaced by evacmap's (already escaped) text.
  E.attributionPrefix = function (prefix) {
    return {
      addTo: function (map) {
        if (map.attributionControl) {
          map.attributionControl.setPrefix(prefix);
        }
        return this;
      }
    };
  };

  E.legend = function (html, options) {
    return new E.HtmlControl(html, L.extend({ className: "evacmap-legend" }, options));
  };

  E.title = function (html, options) {
    return new E.HtmlControl(html, L.extend({ className: "evacmap-title" }, options));
  };
})(window.L);

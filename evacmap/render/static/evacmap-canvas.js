/* evacmap's canvas flow layer: every flow of a large map on one <canvas>, no Leaflet
 * object per flow. Part of evacmap (MIT).
 *
 * Data arrive packed (evacmap/render/pack.py): typed arrays deflated and base64'd in a
 * JSON block, decoded here with the browser's DecompressionStream. Strings (names,
 * sources, evidence) are raw text: they reach the page only through textContent and
 * fillText, never as HTML.
 *
 * Drawing: curved arcs with arrowheads (the two directions of a pair bend to opposite
 * sides), one fork per movement with several destinations and no reported split
 * (the trunk carries the total), rings for movements within one place, short stubs for
 * movements with one unknown end, paths through waypoints. Above `aggregateAbove`
 * movements, flows are summed per pair of clusters of a place hierarchy chosen by zoom,
 * in integers and per count kind; flows within one cluster become its internal total.
 * The canvas is CSS-transformed during a zoom animation and redrawn once at its end.
 * Hover uses a uniform grid over the drawn curves; the hovered flow is drawn on an
 * overlay canvas.
 */
(function (L) {
  "use strict";
  if (!L || !L.evacmap || L.evacmap.flowCanvas) {
    return;
  }
  var E = L.evacmap;
  var KIND_NAMES = ["reported", "estimated", "planned", "cumulative"];
  var UNKNOWN_BIT = 4;
  var NO_STEP = 0xffff;
  var NO_GROUP = 0xffff;
  var CELL = 32; // hover grid cell, pixels
  var SAMPLES = 8; // segments per curve in the hover index
  var TYPES = {
    i1: Int8Array, u1: Uint8Array, u2: Uint16Array, i4: Int32Array,
    u4: Uint32Array, f4: Float32Array, f8: Float64Array
  };
  // Kind class of a movement: what it may be added to.
  var MOVED = 0, PLANNED = 1, CUMULATIVE = 2;
  var CLASS_NAMES = ["moved", "planned", "cumulative"];

  function fmt(n) {
    return Math.round(n).toLocaleString("en-US");
  }

  // -- decoding ---------------------------------------------------------------------
  function b64bytes(text) {
    var bin = atob(text);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out;
  }

  function inflate(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer();
  }

  function view(buffer, spec) {
    var T = TYPES[spec.type];
    var size = T.BYTES_PER_ELEMENT;
    var arr;
    if (spec.shuffle) {
      var src = new Uint8Array(buffer, spec.offset, spec.length * size);
      var bytes = new Uint8Array(spec.length * size);
      for (var b = 0; b < size; b++) {
        var plane = b * spec.length;
        for (var i = 0; i < spec.length; i++) {
          bytes[i * size + b] = src[plane + i];
        }
      }
      arr = new T(bytes.buffer);
    } else {
      arr = new T(buffer.slice(spec.offset, spec.offset + spec.length * size));
    }
    if (spec.delta) {
      for (var k = 1; k < arr.length; k++) {
        arr[k] += arr[k - 1];
      }
    }
    return arr;
  }

  // The packed object -> {arrays by name, and the JSON parts}.
  E.decodePacked = function (packed) {
    if (packed.format !== 1) {
      return Promise.reject(new Error("evacmap: packed flows of format " + packed.format + " cannot be read"));
    }
    return inflate(b64bytes(packed.b64)).then(function (buffer) {
      var a = {};
      packed.arrays.forEach(function (spec) {
        a[spec.name] = view(buffer, spec);
      });
      return a;
    });
  };

  // Per-movement lists (sources, groups...) from a sorted movement column: start offsets.
  function offsets(mov, n) {
    var start = new Int32Array(n + 1);
    if (!mov) {
      return start;
    }
    for (var i = 0; i < mov.length; i++) {
      start[mov[i] + 1]++;
    }
    for (var k = 0; k < n; k++) {
      start[k + 1] += start[k];
    }
    return start;
  }

  // -- geometry -----------------------------------------------------------------------
  function headSize(w) {
    return {
      len: Math.min(26, Math.max(8, 5 + 1.7 * w)),
      half: Math.min(14, Math.max(4, 2 + 0.95 * w))
    };
  }

  // A quadratic arc from (ax, ay) to (bx, by), bent to the right of its direction (so
  // the way back bends to the other side), ending `gap` short of b with room for an
  // arrowhead. Writes [ax, ay, cx, cy, ex, ey, tipx, tipy, hx1, hy1, hx2, hy2] into out.
  function arc(ax, ay, bx, by, bend, w, gap, head, out) {
    var dx = bx - ax, dy = by - ay;
    var len = Math.sqrt(dx * dx + dy * dy);
    if (len < 0.5) {
      return -1; // both ends on one pixel: nothing to draw
    }
    var cx = (ax + bx) / 2 - dy * bend, cy = (ay + by) / 2 + dx * bend;
    var tx = bx - cx, ty = by - cy;
    var tl = Math.sqrt(tx * tx + ty * ty) || 1;
    tx /= tl; ty /= tl;
    var size = headSize(w);
    var room = len - gap;
    var hl = 0, hh = 0;
    if (head && room > 4) {
      var s = Math.min(1, (0.5 * room) / size.len);
      hl = size.len * s; hh = size.half * s;
    }
    var g = Math.min(gap, Math.max(0, len - 2));
    var tipx = bx - tx * g, tipy = by - ty * g;
    var ex = tipx - tx * hl, ey = tipy - ty * hl;
    out[0] = ax; out[1] = ay; out[2] = cx; out[3] = cy; out[4] = ex; out[5] = ey;
    out[6] = tipx; out[7] = tipy;
    out[8] = ex - ty * hh; out[9] = ey + tx * hh; out[10] = ex + ty * hh; out[11] = ey - tx * hh;
    return hl > 0 ? 1 : 0;
  }

  function quadAt(g, t, out, k) {
    var u = 1 - t;
    out[k] = u * u * g[0] + 2 * u * t * g[2] + t * t * g[4];
    out[k + 1] = u * u * g[1] + 2 * u * t * g[3] + t * t * g[5];
  }

  function segDist2(px, py, ax, ay, bx, by) {
    var dx = bx - ax, dy = by - ay;
    var l2 = dx * dx + dy * dy;
    var t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    var x = ax + t * dx - px, y = ay + t * dy - py;
    return x * x + y * y;
  }

  // -- the layer ----------------------------------------------------------------------
  E.FlowCanvas = L.Layer.extend({
    options: {
      colours: {},
      opacity: 0.85,
      attribution: null,
      noun: "people",
      maxWidth: 16,
      minWidth: 1.2,
      maxRadius: 14,
      minRadius: 2.5,
      hollowRadius: 4,
      vmax: 1,
      pmax: 1,
      bend: 0.18,
      colorBy: "kind",
      palette: [],
      ramp: [],
      aggregateAbove: 20000,
      maxElements: 20000,
      minCellPx: 44,
      labels: 40,
      padding: 0.1,
      cutNote: null
    },

    initialize: function (packed, options) {
      L.setOptions(this, options);
      this._packed = packed;
      this._strings = packed.strings || {};
      this._a = null;
      this._window = { mode: "all", step: 0 };
      this._hiddenGroups = {};
      this._pinned = false;
      this._cache = {};
    },

    getAttribution: function () {
      return this.options.attribution;
    },

    onAdd: function (map) {
      var pane = E.pane(map, "evacmapFlows", 420, false);
      this._box = L.DomUtil.create("div", "evacmap-canvas leaflet-zoom-animated", map.getPane(pane));
      this._canvas = L.DomUtil.create("canvas", "evacmap-flow-canvas", this._box);
      this._overlay = L.DomUtil.create("canvas", "evacmap-flow-overlay", this._box);
      this._overlay.style.position = this._canvas.style.position = "absolute";
      this._overlay.style.left = this._canvas.style.left = "0";
      this._overlay.style.top = this._canvas.style.top = "0";
      this._tip = L.DomUtil.create("div", "leaflet-tooltip evacmap-tooltip evacmap-canvas-tip", map.getContainer());
      this._tip.style.display = "none";
      this._tip.style.position = "absolute";
      this._tip.style.zIndex = "800";
      this._tip.style.pointerEvents = "none";
      map.on("moveend resize viewreset", this._reset, this);
      map.on("zoomanim", this._animateZoom, this);
      map.on("mousemove", this._onMove, this);
      map.on("click", this._onClick, this);
      map.on("mouseout", this._onOut, this);
      map.on("zoomstart movestart", this._hideHover, this);
      var self = this;
      var start = window.performance ? performance.now() : 0;
      if (!this._ready) {
        this._ready = E.decodePacked(this._packed).then(function (a) {
          self._a = a;
          self._prepare();
          self._decodeMs = (window.performance ? performance.now() : 0) - start;
        });
      }
      this._ready.then(function () {
        if (self._map) {
          self._reset();
          self.fire("ready");
        }
      }).catch(function (err) {
        self._error = String(err);
        if (window.console) {
          console.error(err);
        }
      });
    },

    onRemove: function (map) {
      map.off("moveend resize viewreset", this._reset, this);
      map.off("zoomanim", this._animateZoom, this);
      map.off("mousemove", this._onMove, this);
      map.off("click", this._onClick, this);
      map.off("mouseout", this._onOut, this);
      map.off("zoomstart movestart", this._hideHover, this);
      L.DomUtil.remove(this._box);
      L.DomUtil.remove(this._tip);
      this._box = null;
    },

    // -- data -------------------------------------------------------------------------
    _prepare: function () {
      var a = this._a;
      var n = a.mo.length;
      this._n = n;
      this._nPlaces = a.plat.length;
      // Place positions at zoom 0, projected once.
      var map = this._map;
      var px = new Float64Array(this._nPlaces), py = new Float64Array(this._nPlaces);
      for (var i = 0; i < this._nPlaces; i++) {
        var p = map.project([a.plat[i], a.plon[i]], 0);
        px[i] = p.x; py[i] = p.y;
      }
      this._p0 = { x: px, y: py };
      // Linked rows.
      this._src = offsets(a.sMov, n);
      this._grp = offsets(a.gMov, n);
      this._ev = offsets(a.eMov, n);
      this._way = offsets(a.wMov, n);
      // Cluster levels: positions (weighted by people, as Python names them), names.
      var levels = this._packed.levels || [];
      this._levels = levels.map(function (lv, k) {
        var parent = a["lv" + k];
        var m = lv.clusters;
        var wsum = new Float64Array(m), wx = new Float64Array(m), wy = new Float64Array(m);
        var top = new Int32Array(m).fill(-1), size = new Int32Array(m);
        for (var j = 0; j < parent.length; j++) {
          var c = parent[j];
          var w = a.pp[j] + 1;
          wsum[c] += w; wx[c] += w * a.plat[j]; wy[c] += w * a.plon[j];
          size[c]++;
          if (top[c] < 0 || a.pp[j] > a.pp[top[c]]) {
            top[c] = j;
          }
        }
        var cx = new Float64Array(m), cy = new Float64Array(m);
        for (var q = 0; q < m; q++) {
          var pt = map.project([wx[q] / wsum[q], wy[q] / wsum[q]], 0);
          cx[q] = pt.x; cy[q] = pt.y;
        }
        return { kind: lv.kind, cellDeg: lv.cellDeg, parent: parent, x: cx, y: cy, top: top, size: size, n: m };
      });
      // Groups drawn: all.
      this._groupCount = (this._strings.groups || []).length;
    },

    // Movement indices [lo, hi) in the time window, and whether undated ones are in.
    _range: function () {
      var a = this._a;
      var steps = this._strings.dates || [];
      var starts = a.stepStart;
      var w = this._window;
      if (w.mode === "all" || !steps.length) {
        return [0, this._n];
      }
      var s = Math.max(0, Math.min(steps.length - 1, w.step));
      if (w.mode === "step") {
        // With date ranges, earlier movements may still be going on (see _elements).
        return [a.mt1 ? 0 : starts[s], starts[s + 1]];
      }
      return [0, starts[s + 1]]; // cumulative: everything up to and including the step
    },

    _levelFor: function (zoom, count) {
      if (!this._levels.length || count <= this.options.aggregateAbove) {
        return -1;
      }
      var pxPerDeg = (256 * Math.pow(2, zoom)) / 360;
      var best = -1;
      for (var k = 0; k < this._levels.length; k++) {
        if (this._levels[k].cellDeg * pxPerDeg >= this.options.minCellPx) {
          best = k; // levels run coarsest first: keep the finest that is still big
        }
      }
      return best === -1 ? 0 : (this._levels[best].cellDeg * pxPerDeg > 4 * this.options.minCellPx ? -1 : best);
    },

    _kindClass: function (k) {
      var kind = k & 3;
      return kind <= 1 ? MOVED : kind === 2 ? PLANNED : CUMULATIVE;
    },

    // The elements to draw for the window and level: sums per pair of nodes, per kind.
    _elements: function (level) {
      var key = level + ":" + this._window.mode + ":" + this._window.step + ":" + Object.keys(this._hiddenGroups).join(",");
      if (this._cache.key === key) {
        return this._cache.value;
      }
      var a = this._a;
      var range = this._range();
      var lv = level >= 0 ? this._levels[level] : null;
      var parent = lv ? lv.parent : null;
      var nNodes = lv ? lv.n : this._nPlaces;
      var hidden = this._hiddenGroups;
      var anyHidden = Object.keys(hidden).length > 0;
      var groupOf = a.mg;
      var byKey = new Map();
      var els = [];
      var pairRank = new Map();
      var totals = [0, 0, 0];
      var unknownCount = 0;
      var movements = 0;
      var nodeOut = new Float64Array(nNodes), nodeIn = new Float64Array(nNodes), nodeInt = new Float64Array(nNodes);
      var nodeUnsplit = new Float64Array(nNodes);
      var setStart = a.setStart, setPlace = a.setPlace;
      var self = this;

      function node(p) {
        return p < 0 ? -1 : parent ? parent[p] : p;
      }
      function addTo(el, i, v, unknown) {
        el.n++;
        el.v += v;
        if (unknown) {
          el.unknown++;
        }
        if (el.n === 1) {
          el.m = i;
        }
      }
      function element(type, o, d, cls, g, extra) {
        var el = { type: type, o: o, d: d, cls: cls, g: g, v: 0, n: 0, unknown: 0, m: -1, rank: 0 };
        if (extra) {
          L.extend(el, extra);
        }
        els.push(el);
        return el;
      }
      var ends = this._window.mode === "step" && this._strings.dates && this._strings.dates.length ? a.mt1 : null;
      var stepNow = this._window.step;
      for (var i = range[0]; i < range[1]; i++) {
        if (ends && ends[i] < stepNow) {
          continue; // over before the date shown
        }
        var g = groupOf ? groupOf[i] : NO_GROUP;
        if (anyHidden && hidden[g === NO_GROUP ? "none" : g]) {
          continue;
        }
        movements++;
        var k = a.mk[i];
        var cls = this._kindClass(k);
        var unknown = (k & UNKNOWN_BIT) !== 0;
        var v = unknown ? 0 : a.mc[i];
        if (unknown) {
          unknownCount++;
        } else {
          totals[cls] += v;
        }
        var o = node(a.mo[i]);
        var dRaw = a.md[i];
        var colourKey = this.options.colorBy === "group" ? g : 0;
        var hasWay = this._way[i + 1] > this._way[i];
        if (dRaw <= -2) {
          // Several destinations, split not reported: one fork, carried once.
          var s = -2 - dRaw;
          var ds = [];
          for (var j = setStart[s]; j < setStart[s + 1]; j++) {
            var dn = node(setPlace[j]);
            if (dn !== o && ds.indexOf(dn) < 0) {
              ds.push(dn);
            }
          }
          if (o < 0) {
            // Arrived in one of several places: a stub into each, the total shown once.
            for (var q2 = 0; q2 < ds.length; q2++) {
              addTo(element("stubIn", -1, ds[q2], cls, colourKey, { unsplit: true, dup: q2 > 0 }), i, v, unknown);
            }
            if (cls === MOVED) {
              ds.forEach(function (dn4) { nodeUnsplit[dn4] += v; });
            }
            continue;
          }
          if (cls === MOVED) {
            nodeOut[o] += v;
            ds.forEach(function (dn3) { nodeUnsplit[dn3] += v; });
          }
          if (ds.length === 0) {
            dRaw = a.mo[i]; // every destination inside the origin's cluster
          } else if (ds.length === 1 && !hasWay) {
            dRaw = -100; // one cluster holds them all: the total certainly went there
          } else {
            var fk = o + ":" + ds.join(",");
            var fr = pairRank.get(fk) || 0;
            pairRank.set(fk, fr + 1);
            addTo(element("fork", o, -1, cls, colourKey, { dests: ds, rank: fr }), i, v, unknown);
            continue;
          }
          var only = ds.length ? ds[0] : o;
          var pk0 = ((o * nNodes + only) * 4 + cls) * 65536 + colourKey;
          var el0 = byKey.get(pk0);
          if (!el0 || !lv) {
            el0 = element(only === o ? "ring" : "flow", o, only, cls, colourKey);
            if (lv) {
              byKey.set(pk0, el0);
            }
          }
          addTo(el0, i, v, unknown);
          if (only === o && cls === MOVED) {
            nodeInt[o] += v;
            nodeOut[o] -= v;
          }
          continue;
        }
        var d = node(dRaw);
        if (o < 0 || d < 0) {
          var type = o < 0 ? "stubIn" : "stubOut";
          var at = o < 0 ? d : o;
          var sk = -(((at * 2 + (o < 0 ? 1 : 0)) * 4 + cls) * 65536 + colourKey) - 1;
          var st = lv ? byKey.get(sk) : null;
          if (!st) {
            st = element(type, o, d, cls, colourKey);
            if (lv) {
              byKey.set(sk, st);
            }
          }
          addTo(st, i, v, unknown);
          if (cls === MOVED) {
            if (o < 0) { nodeIn[d] += v; } else { nodeOut[o] += v; }
          }
          continue;
        }
        if (hasWay) {
          var path = [o];
          for (var w = this._way[i]; w < this._way[i + 1]; w++) {
            var wn = node(a.wPlace[w]);
            if (wn !== path[path.length - 1]) {
              path.push(wn);
            }
          }
          if (d !== path[path.length - 1]) {
            path.push(d);
          }
          if (path.length > 2) {
            addTo(element("path", o, d, cls, colourKey, { path: path }), i, v, unknown);
            if (cls === MOVED) {
              nodeOut[o] += v; nodeIn[d] += v;
            }
            continue;
          }
        }
        if (cls === MOVED) {
          if (o === d) {
            nodeInt[o] += v;
          } else {
            nodeOut[o] += v; nodeIn[d] += v;
          }
        }
        var pk = ((o * nNodes + d) * 4 + cls) * 65536 + colourKey;
        var el = lv ? byKey.get(pk) : null;
        if (!el) {
          el = element(o === d ? "ring" : "flow", o, d, cls, colourKey);
          if (lv) {
            byKey.set(pk, el);
          } else {
            // Repeated movements between the same places bend further out.
            var rk = o * nNodes + d;
            var r = pairRank.get(rk) || 0;
            pairRank.set(rk, r + 1);
            el.rank = r;
          }
        }
        addTo(el, i, v, unknown);
      }
      // Undated movements in "all" mode only: say how many the window leaves out.
      var value = {
        els: els, totals: totals, unknown: unknownCount, movements: movements, level: level,
        nodeOut: nodeOut, nodeIn: nodeIn, nodeInt: nodeInt, nodeUnsplit: nodeUnsplit, nNodes: nNodes,
        range: range
      };
      // One width scale per level, fixed for every date and group: at the places, the
      // largest movement; at a cluster level, the largest sum of all dates and groups.
      var scale = this.options.vmax;
      if (lv) {
        if (!lv.vmax) {
          if (range[0] === 0 && range[1] === this._n && !anyHidden) {
            var top = this.options.vmax;
            els.forEach(function (e) { top = Math.max(top, e.v); });
            lv.vmax = top;
          } else {
            this._allElements(level); // sets lv.vmax
          }
        }
        scale = lv.vmax;
      }
      value.scale = scale;
      // Drawing order: hollow kinds first, wide lines below narrow ones, unknown on top.
      els.forEach(function (e) {
        e.w = self._width(e, scale);
      });
      els.sort(function (x, y) {
        var hx = x.cls === MOVED ? 1 : 0, hy = y.cls === MOVED ? 1 : 0;
        if (hx !== hy) { return hx - hy; }
        var ux = x.unknown === x.n ? 1 : 0, uy = y.unknown === y.n ? 1 : 0;
        if (ux !== uy) { return ux - uy; }
        return y.w - x.w;
      });
      this._cache = { key: key, value: value };
      return value;
    },

    // The elements of a level for all dates and groups (its width scale, its size).
    _allElements: function (level) {
      this._allCache = this._allCache || {};
      if (!this._allCache[level]) {
        var saved = [this._window, this._hiddenGroups, this._cache];
        this._window = { mode: "all", step: 0 };
        this._hiddenGroups = {};
        this._cache = {};
        this._allCache[level] = this._elements(level);
        this._window = saved[0]; this._hiddenGroups = saved[1]; this._cache = saved[2];
      }
      return this._allCache[level];
    },

    // Canvas positions of the nodes (places, or clusters of a level).
    _positions: function (level) {
      var map = this._map;
      var scale = Math.pow(2, this._zoom);
      var po = map.getPixelOrigin();
      var ox = this._origin.x + po.x, oy = this._origin.y + po.y;
      var src = level >= 0 ? this._levels[level] : this._p0;
      var n = src.x.length;
      var nx = new Float64Array(n), ny = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        nx[i] = src.x[i] * scale - ox;
        ny[i] = src.y[i] * scale - oy;
      }
      return { x: nx, y: ny };
    },

    // How many elements have an end in (or near) the view.
    _inView: function (data, pos) {
      var w = this._w, h = this._h, m = 60, count = 0;
      var inside = function (k) {
        return k >= 0 && pos.x[k] >= -m && pos.x[k] <= w + m && pos.y[k] >= -m && pos.y[k] <= h + m;
      };
      for (var i = 0; i < data.els.length; i++) {
        var e = data.els[i];
        if (inside(e.o) || inside(e.d)) {
          count++;
        }
      }
      return count;
    },

    _width: function (e, scale) {
      var o = this.options;
      if (e.unknown === e.n || e.v <= 0) {
        return o.minWidth;
      }
      var w = o.maxWidth * Math.sqrt(e.v / (scale || o.vmax));
      return Math.max(o.minWidth, Math.min(o.maxWidth, w));
    },

    _radius: function (v) {
      var o = this.options;
      if (v <= 0) {
        return o.hollowRadius;
      }
      return Math.max(o.minRadius, Math.min(o.maxRadius, o.maxRadius * Math.sqrt(v / o.pmax)));
    },

    _colour: function (e) {
      var c = this.options.colours;
      var by = this.options.colorBy;
      if (e.unknown === e.n) {
        return e.cls === MOVED ? c.unknown : c[CLASS_NAMES[e.cls]];
      }
      if (e.cls !== MOVED || by === "kind") {
        return c[CLASS_NAMES[e.cls]];
      }
      if (by === "group") {
        var pal = this.options.palette;
        return e.g === NO_GROUP || e.g >= pal.length ? c.unknown : pal[e.g];
      }
      var ramp = this.options.ramp; // by count: classes of sqrt(v / vmax)
      var f = Math.min(0.9999, Math.sqrt(e.v / ((this._data && this._data.scale) || this.options.vmax)));
      return ramp[Math.floor(f * ramp.length)];
    },

    // -- view -------------------------------------------------------------------------
    _animateZoom: function (e) {
      if (!this._origin) {
        return;
      }
      var map = this._map;
      var scale = map.getZoomScale(e.zoom, this._zoom);
      var offset = map._latLngToNewLayerPoint(this._originLatLng, e.zoom, e.center);
      L.DomUtil.setTransform(this._box, offset, scale);
    },

    _reset: function () {
      if (!this._a || !this._map || !this._box) {
        return;
      }
      var t0 = window.performance ? performance.now() : 0;
      var map = this._map;
      var size = map.getSize();
      var pad = size.multiplyBy(this.options.padding).round();
      var min = map.containerPointToLayerPoint([0, 0]).subtract(pad).round();
      var w = size.x + 2 * pad.x, h = size.y + 2 * pad.y;
      var ratio = Math.min(window.devicePixelRatio || 1, this._n > 20000 ? 1 : 2);
      this._origin = min;
      this._originLatLng = map.layerPointToLatLng(min);
      this._zoom = map.getZoom();
      L.DomUtil.setTransform(this._box, min, 1);
      [this._canvas, this._overlay].forEach(function (c) {
        c.width = Math.round(w * ratio);
        c.height = Math.round(h * ratio);
        c.style.width = w + "px";
        c.style.height = h + "px";
      });
      this._ratio = ratio;
      this._w = w; this._h = h;
      // Pixel position of every node (canvas coordinates).
      var now = function () { return window.performance ? performance.now() : 0; };
      this._t = {};
      var tA = now();
      // The level follows the zoom and all movements (never the dates or groups shown,
      // so the width scale stays fixed while the slider plays); too many sums in view
      // to draw quickly: the next coarser level (still exact).
      var level = this._levelFor(this._zoom, this._n);
      while (level > 0 && this._inView(this._allElements(level), this._positions(level)) > this.options.maxElements) {
        level--;
      }
      var data = this._elements(level);
      this._nodes = this._positions(level);
      this._data = data;
      this._t.elements = now() - tA;
      this._draw();
      var drawnAt = window.performance ? performance.now() : 0;
      this._drawMs = drawnAt - t0;
      this._draws = (this._draws || 0) + 1;
      this._hideHover();
      var container = map.getContainer();
      container.setAttribute("data-evacmap-drawn", String(this._drawn));
      container.setAttribute("data-evacmap-level", String(level));
      if (!this._firstDrawn) {
        this._firstDrawn = drawnAt;
        container.setAttribute("data-evacmap-first-drawn-ms", String(Math.round(drawnAt)));
      }
      this._relabelLegend(container, data);
      this.fire("drawn", this.stats());
      // The hover index after the picture is on screen.
      var self = this;
      clearTimeout(this._gridTimer);
      this._grid = null;
      this._gridTimer = setTimeout(function () { self._buildGrid(); }, 0);
    },

    // The legend's reference widths, in people of the width scale in use.
    _relabelLegend: function (container, data) {
      var spans = container.querySelectorAll(".evacmap-legend-width span");
      var ratio = (data.scale || this.options.vmax) / this.options.vmax;
      for (var i = 0; i < spans.length; i++) {
        var span = spans[i];
        if (!span.hasAttribute("data-people")) {
          span.setAttribute("data-people", span.textContent.replace(/[^0-9]/g, ""));
          span.setAttribute("data-suffix", /or more/.test(span.textContent) ? " or more" : "");
        }
        var v = +span.getAttribute("data-people") * ratio;
        var text = ratio === 1 ? fmt(v) : "≈ " + Number(v.toPrecision(2)).toLocaleString("en-US");
        span.textContent = text + span.getAttribute("data-suffix") + (ratio === 1 ? "" : " (sums)");
      }
    },

    // Totals of what is on the screen (for the status line and tests).
    stats: function () {
      var d = this._data;
      if (!d) {
        return null;
      }
      return {
        movements: d.movements,
        elements: d.els.length,
        drawn: this._drawn,
        level: d.level,
        levelKind: d.level >= 0 ? this._levels[d.level].kind : "places",
        levelDeg: d.level >= 0 ? this._levels[d.level].cellDeg : 0,
        moved: d.totals[MOVED],
        planned: d.totals[PLANNED],
        cumulative: d.totals[CUMULATIVE],
        unknown: d.unknown,
        internal: d.nodeInt.reduce(function (s, x) { return s + x; }, 0),
        drawnSum: d.els.reduce(function (s, e) { return s + (e.cls === MOVED && !e.dup ? e.v : 0); }, 0),
        decodeMs: this._decodeMs,
        drawMs: this._drawMs,
        scale: d.scale,
        zoom: this._zoom,
        draws: this._draws,
        times: this._t
      };
    },

    setWindow: function (mode, step) {
      this._window = { mode: mode, step: step || 0 };
      this._reset();
      return this;
    },

    setGroupVisible: function (g, on) {
      if (on) {
        delete this._hiddenGroups[g];
      } else {
        this._hiddenGroups[g] = true;
      }
      this._reset();
      return this;
    },

    // -- drawing ----------------------------------------------------------------------
    _geometry: function (e, out) {
      // Fills out (12 numbers) for a flow; returns false when nothing to draw.
      var x = this._nodes.x, y = this._nodes.y;
      var gap = this._nodeR ? this._nodeR[e.d] + 1.5 : 0;
      var bend = this.options.bend * (1 + 1.5 * Math.min(e.rank, 3));
      return arc(x[e.o], y[e.o], x[e.d], y[e.d], bend, e.w, gap, true, out) >= 0;
    },

    _visible: function (xs, ys, m) {
      var minx = Infinity, maxx = -Infinity, miny = Infinity, maxy = -Infinity;
      for (var i = 0; i < xs.length; i++) {
        if (xs[i] < minx) { minx = xs[i]; }
        if (xs[i] > maxx) { maxx = xs[i]; }
        if (ys[i] < miny) { miny = ys[i]; }
        if (ys[i] > maxy) { maxy = ys[i]; }
      }
      return maxx >= -m && minx <= this._w + m && maxy >= -m && miny <= this._h + m;
    },

    _style: function (ctx, e, colour, pass) {
      var c = this.options.colours;
      var hollow = e.cls !== MOVED && e.unknown < e.n;
      ctx.lineWidth = e.w;
      ctx.strokeStyle = colour;
      ctx.setLineDash([]);
      if (e.unknown === e.n) {
        ctx.lineWidth = Math.max(1.6, e.w);
        ctx.setLineDash([0.1, 2.5 * e.w + 2.5]);
        ctx.lineCap = "round";
      } else if (pass === "core") {
        ctx.strokeStyle = c[CLASS_NAMES[e.cls] + "Core"];
        ctx.lineWidth = Math.max(1, e.w - 2.6);
      } else if (e.branch) {
        ctx.setLineDash([Math.max(5, 2.4 * e.w), Math.max(3.5, 1.5 * e.w)]);
      }
      return hollow;
    },

    _draw: function () {
      var ctx = this._canvas.getContext("2d");
      var r = this._ratio;
      ctx.setTransform(r, 0, 0, r, 0, 0);
      ctx.clearRect(0, 0, this._w, this._h);
      var data = this._data;
      var els = data.els;
      var nx = this._nodes.x, ny = this._nodes.y;
      // Node radii (window totals, on the fixed scale).
      var nR = new Float64Array(data.nNodes);
      var nV = new Float64Array(data.nNodes);
      for (var i = 0; i < data.nNodes; i++) {
        nV[i] = Math.max(data.nodeOut[i], data.nodeIn[i], data.nodeInt[i]);
        nR[i] = this._radius(nV[i]);
      }
      this._nodeR = nR;
      this._nodeV = nV;
      var g = new Float64Array(12);
      var drawn = 0;
      var batch = 0;
      var style = null;
      var heads = {};
      var self = this;
      // Dense maps get lighter lines, so crossings stay readable.
      var opacity = Math.max(0.3, Math.min(this.options.opacity, this.options.opacity * Math.sqrt(400 / Math.max(1, els.length))));
      ctx.lineJoin = "round";
      ctx.globalAlpha = opacity;
      // Geometry of every element, kept for the hover index: a polyline per element.
      var geo = [];
      function flush() {
        if (batch) {
          ctx.stroke();
          batch = 0;
        }
      }
      function begin(key, colour, e, pass) {
        if (key !== style || batch >= 16) {
          flush();
          style = key;
          ctx.lineCap = e.type === "fork" && pass !== "branch" ? "round" : "butt";
          self._style(ctx, e, colour, pass);
          ctx.beginPath();
        }
        batch++;
      }
      function head(colour, pts) {
        (heads[colour] = heads[colour] || []).push(pts);
      }
      var M = 40; // off-screen margin
      var tL = window.performance ? performance.now() : 0;
      for (var k = 0; k < els.length; k++) {
        var e = els[k];
        var colour = this._colour(e);
        var hollow = e.cls !== MOVED && e.unknown < e.n;
        var passes = hollow && e.w >= 5 ? ["line", "core"] : ["line"];
        var poly = null;
        if (e.type === "flow") {
          if (!this._geometry(e, g)) {
            continue;
          }
          if (!this._visible([g[0], g[2], g[6]], [g[1], g[3], g[7]], M)) {
            continue;
          }
          passes.forEach(function (pass) {
            begin(colour + "|" + e.w.toFixed(1) + "|" + pass + "|" + (e.unknown === e.n), colour, e, pass);
            ctx.moveTo(g[0], g[1]);
            ctx.quadraticCurveTo(g[2], g[3], g[4], g[5]);
          });
          if (g[4] !== g[6] || g[5] !== g[7]) {
            head(hollow ? colour + "|hollow|" + e.cls : colour, [g[6], g[7], g[8], g[9], g[10], g[11]]);
          }
          poly = [];
          for (var s = 0; s <= SAMPLES; s++) {
            quadAt(g, s / SAMPLES, poly, 2 * s);
          }
          poly.push(g[6], g[7]);
        } else if (e.type === "ring") {
          var rr = nR[e.o] + 3 + e.w / 2;
          var cx = nx[e.o] + rr * 0.7, cy = ny[e.o] - rr * 0.7;
          if (!this._visible([cx - rr, cx + rr], [cy - rr, cy + rr], M)) {
            continue;
          }
          passes.forEach(function (pass) {
            begin(colour + "|" + e.w.toFixed(1) + "|" + pass + "|ring", colour, e, pass);
            ctx.moveTo(cx + rr, cy);
            ctx.arc(cx, cy, rr, 0, 2 * Math.PI * 0.92);
          });
          poly = [];
          for (var q = 0; q <= 12; q++) {
            var ang = (q / 12) * 2 * Math.PI;
            poly.push(cx + rr * Math.cos(ang), cy + rr * Math.sin(ang));
          }
          var a1 = 2 * Math.PI * 0.92;
          var hx = cx + rr * Math.cos(a1), hy = cy + rr * Math.sin(a1);
          var tx = -Math.sin(a1), ty = Math.cos(a1);
          var hs = headSize(e.w);
          head(colour, [hx + tx * hs.len * 0.6, hy + ty * hs.len * 0.6, hx - ty * hs.half * 0.6, hy + tx * hs.half * 0.6,
            hx + ty * hs.half * 0.6, hy - tx * hs.half * 0.6]);
        } else if (e.type === "stubOut" || e.type === "stubIn") {
          var at = e.type === "stubOut" ? e.o : e.d;
          var len = 26 + e.w;
          var r0 = nR[at] + 2;
          // Out of the place up and to the right; into it from the upper left.
          var dxs = e.type === "stubOut" ? 0.8 : -0.8, dys = -0.6;
          var ax = nx[at] + dxs * r0, ay = ny[at] + dys * r0;
          var bx = nx[at] + dxs * (r0 + len), by = ny[at] + dys * (r0 + len);
          if (e.type === "stubIn") {
            var tmpx = ax, tmpy = ay;
            ax = bx; ay = by; bx = tmpx; by = tmpy;
          }
          if (!this._visible([ax, bx], [ay, by], M)) {
            continue;
          }
          if (arc(ax, ay, bx, by, 0, e.w, 0, true, g) < 0) {
            continue;
          }
          passes.forEach(function (pass) {
            begin(colour + "|" + e.w.toFixed(1) + "|" + pass + "|stub", colour, e, pass);
            ctx.moveTo(g[0], g[1]);
            ctx.lineTo(g[4], g[5]);
          });
          head(colour, [g[6], g[7], g[8], g[9], g[10], g[11]]);
          poly = [g[0], g[1], g[6], g[7]];
          e.labelAt = [e.type === "stubOut" ? bx : ax, e.type === "stubOut" ? by : ay];
        } else if (e.type === "fork" || e.type === "path") {
          poly = this._drawMulti(ctx, e, colour, passes, begin, head, g, nR);
          if (!poly) {
            continue;
          }
        }
        geo.push({ e: e, pts: poly });
        drawn++;
      }
      flush();
      var tH = window.performance ? performance.now() : 0;
      this._t.lines = tH - tL;
      // Arrowheads on top of the lines, one fill per colour.
      // Short batches: one fill of a path of thousands of triangles is far slower.
      ctx.setLineDash([]);
      Object.keys(heads).forEach(function (key) {
        var parts = key.split("|");
        var list = heads[key];
        var hollowHead = parts[1] === "hollow";
        if (hollowHead) {
          ctx.globalAlpha = 1;
          ctx.fillStyle = self.options.colours[CLASS_NAMES[+parts[2]] + "Core"];
          ctx.strokeStyle = parts[0];
          ctx.lineWidth = 1.6;
        } else {
          ctx.fillStyle = parts[0];
        }
        for (var b0 = 0; b0 < list.length; b0 += 32) {
          ctx.beginPath();
          for (var b = b0; b < Math.min(list.length, b0 + 32); b++) {
            var t = list[b];
            ctx.moveTo(t[0], t[1]);
            ctx.lineTo(t[2], t[3]);
            ctx.lineTo(t[4], t[5]);
            ctx.closePath();
          }
          ctx.fill();
          if (hollowHead) {
            ctx.stroke();
          }
        }
        ctx.globalAlpha = opacity;
      });
      ctx.globalAlpha = 1;
      this._geo = geo;
      this._drawn = drawn;
      var tN = window.performance ? performance.now() : 0;
      this._t.heads = tN - tH;
      this._drawNodes(ctx, data, nR, nV);
      var tB = window.performance ? performance.now() : 0;
      this._t.nodes = tB - tN;
      this._drawLabels(ctx, data, geo);
      this._t.labels = (window.performance ? performance.now() : 0) - tB;
    },

    // A fork (trunk to the branching point, dashed branches) or a path through waypoints.
    _drawMulti: function (ctx, e, colour, passes, begin, head, g, nR) {
      var x = this._nodes.x, y = this._nodes.y;
      var poly = [];
      var self = this;
      var legs = [];
      if (e.type === "path") {
        for (var i = 0; i + 1 < e.path.length; i++) {
          legs.push({ a: [x[e.path[i]], y[e.path[i]]], b: e.path[i + 1], head: i + 2 === e.path.length, branch: false });
        }
      } else {
        // Branching point: towards the centre of the destinations, at most half way and
        // 60 % of the way to the nearest one (as evacmap.arcs.fork_point).
        var ox = x[e.o], oy = y[e.o];
        var cx = 0, cy = 0, nearest = Infinity;
        e.dests.forEach(function (d) {
          cx += x[d]; cy += y[d];
          nearest = Math.min(nearest, Math.hypot(x[d] - ox, y[d] - oy));
        });
        cx = cx / e.dests.length - ox; cy = cy / e.dests.length - oy;
        var cl = Math.hypot(cx, cy);
        var f = cl > 0 ? Math.min(0.5 * cl, 0.6 * nearest) / cl : 0;
        var fx = ox + cx * f, fy = oy + cy * f;
        if (cl > 0) {
          legs.push({ a: [ox, oy], bxy: [fx, fy], head: false, branch: false });
        }
        e.dests.forEach(function (d) {
          legs.push({ a: [fx, fy], b: d, head: true, branch: true });
        });
        e.forkAt = [fx, fy];
      }
      var xs = [], ys = [];
      legs.forEach(function (leg) {
        var bx = leg.bxy ? leg.bxy[0] : x[leg.b], by = leg.bxy ? leg.bxy[1] : y[leg.b];
        xs.push(leg.a[0], bx); ys.push(leg.a[1], by);
      });
      if (!this._visible(xs, ys, 40)) {
        return null;
      }
      var trunkW = e.w;
      legs.forEach(function (leg) {
        var bx = leg.bxy ? leg.bxy[0] : x[leg.b], by = leg.bxy ? leg.bxy[1] : y[leg.b];
        var gap = leg.bxy ? 0 : nR[leg.b] + 1.5;
        var w = leg.branch ? Math.max(self.options.minWidth, 0.5 * trunkW) : trunkW;
        var saved = e.w;
        e.w = w;
        e.branch = leg.branch;
        var step = self.options.bend * 1.5 * Math.min(e.rank || 0, 3);
        var bend = (leg.branch || e.type === "path" ? self.options.bend : 0) + step;
        var hasHead = arc(leg.a[0], leg.a[1], bx, by, bend, w, gap, leg.head, g);
        if (hasHead < 0) {
          e.w = saved;
          e.branch = false;
          return;
        }
        passes.forEach(function (pass) {
          begin(colour + "|" + w.toFixed(1) + "|" + pass + "|" + (leg.branch ? "b" : "t") + (e.unknown === e.n), colour, e, pass);
          ctx.moveTo(g[0], g[1]);
          ctx.quadraticCurveTo(g[2], g[3], g[4], g[5]);
        });
        if (hasHead > 0) {
          var hollow = e.cls !== MOVED && e.unknown < e.n;
          head(hollow ? colour + "|hollow|" + e.cls : colour, [g[6], g[7], g[8], g[9], g[10], g[11]]);
        }
        for (var s = 0; s <= SAMPLES; s++) {
          quadAt(g, s / SAMPLES, poly, poly.length);
        }
        poly.push(NaN, NaN); // a break between legs
        e.w = saved;
        e.branch = false;
      });
      return poly;
    },

    _drawNodes: function (ctx, data, nR, nV) {
      var c = this.options.colours;
      var nx = this._nodes.x, ny = this._nodes.y;
      var a = this._a;
      var level = data.level;
      var order = [];
      for (var i = 0; i < data.nNodes; i++) {
        var touched = nV[i] > 0 || (level < 0 && a.pp[i] > 0) || data.nodeUnsplit[i] > 0;
        if (nx[i] < -20 || nx[i] > this._w + 20 || ny[i] < -20 || ny[i] > this._h + 20) {
          continue;
        }
        if (touched || level < 0) {
          order.push(i);
        }
      }
      order.sort(function (p, q) { return nR[q] - nR[p]; });
      this._visibleNodes = order;
      var solid = [], hollow = [];
      order.forEach(function (k) { (nV[k] > 0 ? solid : hollow).push(k); });
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
      ctx.fillStyle = c.place;
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 1.2;
      var batch = 0;
      ctx.beginPath();
      solid.forEach(function (k) {
        ctx.moveTo(nx[k] + nR[k], ny[k]);
        ctx.arc(nx[k], ny[k], nR[k], 0, 2 * Math.PI);
        if (++batch >= 64) {
          ctx.globalAlpha = 0.85; ctx.fill(); ctx.globalAlpha = 1; ctx.stroke();
          ctx.beginPath(); batch = 0;
        }
      });
      ctx.globalAlpha = 0.85; ctx.fill(); ctx.globalAlpha = 1; ctx.stroke();
      ctx.beginPath();
      hollow.forEach(function (k) {
        ctx.moveTo(nx[k] + nR[k], ny[k]);
        ctx.arc(nx[k], ny[k], nR[k], 0, 2 * Math.PI);
      });
      ctx.fillStyle = "#ffffff";
      ctx.fill();
      ctx.strokeStyle = c.place;
      ctx.lineWidth = 1.4;
      ctx.stroke();
    },

    _nodeName: function (k) {
      var names = this._strings.names || [];
      var level = this._data.level;
      if (level < 0) {
        return names[k];
      }
      var lv = this._levels[level];
      var n = lv.size[k];
      var top = names[lv.top[k]];
      return n > 1 ? top + " and " + fmt(n - 1) + " more place" + (n > 2 ? "s" : "") : top;
    },

    // Names of the biggest places and counts of the biggest flows, where they fit.
    _drawLabels: function (ctx, data, geo) {
      var limit = this.options.labels;
      if (!limit) {
        return;
      }
      var taken = [];
      var self = this;
      function free(b) {
        for (var i = 0; i < taken.length; i++) {
          var t = taken[i];
          if (b[0] < t[2] && b[2] > t[0] && b[1] < t[3] && b[3] > t[1]) {
            return false;
          }
        }
        return true;
      }
      function text(str, x, y, font, colour, align) {
        ctx.font = font;
        var w = ctx.measureText(str).width;
        var l = align === "left" ? x : x - w / 2;
        var box = [l - 2, y - 9, l + w + 2, y + 9];
        if (box[0] < 0 || box[2] > self._w || box[1] < 0 || box[3] > self._h || !free(box)) {
          return false;
        }
        taken.push(box);
        ctx.textAlign = "left";
        ctx.textBaseline = "middle";
        ctx.lineWidth = 3;
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.lineJoin = "round";
        ctx.strokeText(str, l, y);
        ctx.fillStyle = colour;
        ctx.fillText(str, l, y);
        return true;
      }
      var nx = this._nodes.x, ny = this._nodes.y;
      // The largest flows' counts first, then place names.
      var big = geo.filter(function (gm) { return gm.e.unknown < gm.e.n && gm.e.v > 0; })
        .sort(function (p, q) { return (p.e.cls === MOVED ? 0 : 1) - (q.e.cls === MOVED ? 0 : 1) || q.e.v - p.e.v; })
        .slice(0, Math.ceil(limit / 2));
      var nodes = (this._visibleNodes || []).slice(0, limit);
      nodes.forEach(function (k) {
        var name = self._nodeName(k);
        if (name) {
          text(name, nx[k] + self._nodeR[k] + 4, ny[k], "600 12px sans-serif", "#1c2733", "left");
        }
      });
      big.forEach(function (gm) {
        var e = gm.e;
        var pts = gm.pts;
        var label = (e.n === 1 ? self._countText(e.m) : fmt(e.v)) +
          (e.cls === PLANNED ? " planned" : e.cls === CUMULATIVE ? " cumulative" : "");
        var colour = e.cls === MOVED ? "#8c1323" : e.cls === PLANNED ? "#9a4d05" : "#4a2c80";
        // The first of a few spots along the first leg where the label fits.
        var spots = e.labelAt ? [e.labelAt] : [4, 3, 5, 2, 6].map(function (k) { return [pts[2 * k], pts[2 * k + 1]]; });
        for (var q = 0; q < spots.length; q++) {
          if (text(label, spots[q][0], spots[q][1], "700 12px sans-serif", colour, "center")) {
            break;
          }
        }
      });
    },

    // -- hover --------------------------------------------------------------------------
    _buildGrid: function () {
      var geo = this._geo;
      if (!geo) {
        return;
      }
      var cols = Math.ceil(this._w / CELL) + 1, rows = Math.ceil(this._h / CELL) + 1;
      var counts = new Int32Array(cols * rows + 1);
      var pass = function (fill, start, out) {
        for (var k = 0; k < geo.length; k++) {
          var pts = geo[k].pts;
          var tol = geo[k].e.w / 2 + 4;
          var last = -1;
          for (var i = 0; i + 3 < pts.length; i += 2) {
            var ax = pts[i], ay = pts[i + 1], bx = pts[i + 2], by = pts[i + 3];
            if (ax !== ax || bx !== bx) {
              continue; // NaN: a break between legs
            }
            var c0 = Math.max(0, Math.floor((Math.min(ax, bx) - tol) / CELL));
            var c1 = Math.min(cols - 1, Math.floor((Math.max(ax, bx) + tol) / CELL));
            var r0 = Math.max(0, Math.floor((Math.min(ay, by) - tol) / CELL));
            var r1 = Math.min(rows - 1, Math.floor((Math.max(ay, by) + tol) / CELL));
            for (var r = r0; r <= r1; r++) {
              for (var c = c0; c <= c1; c++) {
                var cell = r * cols + c;
                if (cell === last) {
                  continue;
                }
                if (fill) {
                  out[start[cell] + counts[cell]++] = k;
                } else {
                  counts[cell + 1]++;
                }
              }
            }
            last = r1 * cols + c1;
          }
        }
      };
      pass(false);
      for (var i = 0; i < cols * rows; i++) {
        counts[i + 1] += counts[i];
      }
      var start = counts.slice();
      var items = new Int32Array(start[cols * rows]);
      counts.fill(0);
      pass(true, start, items);
      this._grid = { cols: cols, rows: rows, start: start, items: items };
    },

    // The element or node under canvas point (x, y), or null.
    _pick: function (x, y) {
      var nx = this._nodes.x, ny = this._nodes.y;
      var nodes = this._visibleNodes || [];
      for (var i = nodes.length - 1; i >= 0; i--) {
        var k = nodes[i];
        var r = this._nodeR[k] + 2;
        if ((nx[k] - x) * (nx[k] - x) + (ny[k] - y) * (ny[k] - y) <= r * r) {
          return { node: k };
        }
      }
      var grid = this._grid;
      if (!grid) {
        return null;
      }
      var c = Math.floor(x / CELL), rr = Math.floor(y / CELL);
      if (c < 0 || rr < 0 || c >= grid.cols || rr >= grid.rows) {
        return null;
      }
      var cell = rr * grid.cols + c;
      var best = -1;
      for (var j = grid.start[cell]; j < grid.start[cell + 1]; j++) {
        var k2 = grid.items[j];
        if (k2 <= best) {
          continue;
        }
        var pts = this._geo[k2].pts;
        var tol = this._geo[k2].e.w / 2 + 3;
        for (var s = 0; s + 3 < pts.length; s += 2) {
          if (pts[s] !== pts[s] || pts[s + 2] !== pts[s + 2]) {
            continue;
          }
          if (segDist2(x, y, pts[s], pts[s + 1], pts[s + 2], pts[s + 3]) <= tol * tol) {
            best = k2;
            break;
          }
        }
      }
      return best >= 0 ? { geo: this._geo[best] } : null;
    },

    _canvasPoint: function (e) {
      var p = e.layerPoint.subtract(this._origin);
      return p;
    },

    _onMove: function (e) {
      if (this._pinned || !this._data || !this._origin) {
        return;
      }
      var self = this;
      this._lastMove = e;
      if (this._moveQueued) {
        return;
      }
      this._moveQueued = true;
      L.Util.requestAnimFrame(function () {
        self._moveQueued = false;
        var ev = self._lastMove;
        if (!ev || !self._map) {
          return;
        }
        var p = self._canvasPoint(ev);
        var hit = self._pick(p.x, p.y);
        self._show(hit, ev.containerPoint);
      });
    },

    _onClick: function (e) {
      if (!this._data || !this._origin) {
        return;
      }
      var p = this._canvasPoint(e);
      var hit = this._pick(p.x, p.y);
      this._pinned = false;
      this._show(hit, e.containerPoint);
      this._pinned = !!hit;
    },

    _onOut: function () {
      if (!this._pinned) {
        this._hideHover();
      }
    },

    _hideHover: function () {
      this._pinned = false;
      if (this._tip) {
        this._tip.style.display = "none";
      }
      if (this._overlay) {
        var ctx = this._overlay.getContext("2d");
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this._overlay.width, this._overlay.height);
      }
      this._hovered = null;
    },

    _show: function (hit, at) {
      var key = hit ? (hit.node !== undefined ? "n" + hit.node : hit.geo) : null;
      if (key === this._hovered) {
        if (hit) {
          this._placeTip(at);
        }
        return;
      }
      this._hideHover();
      if (!hit) {
        this._map.getContainer().style.cursor = "";
        return;
      }
      this._hovered = key;
      this._map.getContainer().style.cursor = "pointer";
      var ctx = this._overlay.getContext("2d");
      var r = this._ratio;
      ctx.setTransform(r, 0, 0, r, 0, 0);
      var tip = this._tip;
      while (tip.firstChild) {
        tip.removeChild(tip.firstChild);
      }
      if (hit.node !== undefined) {
        var k = hit.node;
        ctx.beginPath();
        ctx.arc(this._nodes.x[k], this._nodes.y[k], this._nodeR[k] + 2, 0, 2 * Math.PI);
        ctx.strokeStyle = "#111";
        ctx.lineWidth = 2;
        ctx.stroke();
        this._nodeTip(k);
      } else {
        var pts = hit.geo.pts;
        ctx.beginPath();
        var open = false;
        for (var s = 0; s + 1 < pts.length; s += 2) {
          if (pts[s] !== pts[s]) {
            open = false;
            continue;
          }
          if (!open) {
            ctx.moveTo(pts[s], pts[s + 1]);
            open = true;
          } else {
            ctx.lineTo(pts[s], pts[s + 1]);
          }
        }
        ctx.lineCap = "round";
        ctx.lineJoin = "round";
        ctx.strokeStyle = "rgba(17,17,17,0.55)";
        ctx.lineWidth = hit.geo.e.w + 4;
        ctx.stroke();
        ctx.strokeStyle = this._colour(hit.geo.e);
        ctx.lineWidth = hit.geo.e.w;
        ctx.stroke();
        this._flowTip(hit.geo.e);
      }
      tip.style.display = "block";
      this._placeTip(at);
    },

    _placeTip: function (at) {
      var tip = this._tip;
      var size = this._map.getSize();
      var w = tip.offsetWidth, h = tip.offsetHeight;
      var x = Math.min(at.x + 14, size.x - w - 4);
      var y = at.y - h - 12 < 0 ? at.y + 18 : at.y - h - 12;
      tip.style.left = Math.max(0, x) + "px";
      tip.style.top = Math.max(0, y) + "px";
    },

    _line: function (text, cls, tag) {
      var el = document.createElement(tag || "div");
      if (cls) {
        el.className = cls;
      }
      el.textContent = text;
      this._tip.appendChild(el);
      return el;
    },

    _countText: function (i) {
      var a = this._a;
      var k = a.mk[i];
      var bits = a.mb ? a.mb[i] : 0;
      if (k & UNKNOWN_BIT) {
        return "count unknown";
      }
      if (bits === 3) {
        return fmt(a.mlo[i]) + "–" + fmt(a.mhi[i]);
      }
      if (bits === 2) {
        return "up to " + fmt(a.mhi[i]);
      }
      if (bits === 1) {
        return "at least " + fmt(a.mlo[i]);
      }
      return fmt(a.mc[i]);
    },

    _kindNote: function (i) {
      var k = this._a.mk[i] & 3;
      return ["reported", "estimated", "planned, not added to the people who moved",
        "cumulative total, not added to the stages it contains"][k];
    },

    _flowTip: function (e) {
      var a = this._a, s = this._strings;
      var names = s.names || [];
      var noun = this.options.noun;
      var self = this;
      if (e.n === 1) {
        var i = e.m;
        var o = a.mo[i], d = a.md[i];
        var dests;
        if (d <= -2) {
          var set = -2 - d;
          dests = [];
          for (var j = a.setStart[set]; j < a.setStart[set + 1]; j++) {
            dests.push(names[a.setPlace[j]]);
          }
          dests = dests.join(", ");
        } else {
          dests = d < 0 ? "?" : names[d];
        }
        this._line((o < 0 ? "?" : names[o]) + " → " + dests, "evacmap-tip-route", "b");
        var ways = [];
        for (var w = this._way[i]; w < this._way[i + 1]; w++) {
          ways.push(names[a.wPlace[w]]);
        }
        if (ways.length) {
          this._line("via " + ways.join(", "));
        }
        var count = this._countText(i);
        var line = (count === "count unknown" ? count : count + " " + noun) + " (" + this._kindNote(i) + ")";
        var groups = [];
        for (var gq = this._grp[i]; gq < this._grp[i + 1]; gq++) {
          groups.push(fmt(a.mc[i] - a.gRest[gq]) + " " + s.groups[a.gName[gq]]);
        }
        if (groups.length) {
          line += ", including " + groups.join(", ");
        }
        this._line(line, "evacmap-tip-count");
        if (d <= -2) {
          this._line("Split between destinations not reported.", null, "i");
        }
        var when = [];
        if (a.mt[i] !== NO_STEP && this._packed.counts.stepKind !== "stages") {
          var d0 = s.dates[a.mt[i]];
          var d1 = a.mt1 ? s.dates[a.mt1[i]] : d0;
          when.push("Date: " + (d1 && d1 !== d0 ? d0 + " to " + d1 : d0));
        }
        if (a.ms && s.stages[a.ms[i]]) {
          when.push("stage: " + s.stages[a.ms[i]]);
        }
        if (when.length) {
          this._line(when.join(" · "));
        }
        var srcs = [];
        for (var q = this._src[i]; q < this._src[i + 1]; q++) {
          srcs.push(s.sources[a.sIdx[q]]);
        }
        if (srcs.length) {
          this._line((srcs.length === 1 ? "Source: " : "Sources: ") + srcs.join("; "));
        }
        for (var v = this._ev[i]; v < this._ev[i + 1] && v < this._ev[i] + 3; v++) {
          var loc = s.evidenceFiles[a.eFile[v]] + (a.eLine[v] ? ":" + a.eLine[v] : "") + (a.eCol[v] ? ":" + a.eCol[v] : "");
          var t = a.eText[v] >= 0 ? "“" + s.evidence[a.eText[v]] + "” (" + loc + ")" : "Evidence: " + loc;
          this._line(t, "evacmap-evidence");
        }
        return;
      }
      // A sum of several movements.
      var from = e.type === "stubIn" ? "?" : this._nodeName(e.o);
      var to = e.type === "stubOut" ? "?" : e.type === "fork" ? e.dests.map(function (x) { return self._nodeName(x); }).join(", ") : this._nodeName(e.d);
      this._line(e.type === "ring" ? "Within " + from : from + " → " + to, "evacmap-tip-route", "b");
      var kind = ["people who moved (reported or estimated)", "planned, not added to the people who moved",
        "cumulative totals, not added to the stages"][e.cls];
      this._line(fmt(e.v) + " " + noun + ": " + kind, "evacmap-tip-count");
      this._line(fmt(e.n) + " movements summed" + (e.unknown ? " (" + fmt(e.unknown) + " with no count)" : ""));
      if (e.g !== NO_GROUP && this.options.colorBy === "group" && s.groups[e.g]) {
        this._line("largest group: " + s.groups[e.g]);
      }
      this._line("Zoom in to see each movement.", null, "i");
    },

    _nodeTip: function (k) {
      var data = this._data;
      var a = this._a;
      var noun = this.options.noun;
      var name = this._nodeName(k);
      if (data.level < 0) {
        var info = (this._strings.info || [])[a.pi[k]];
        this._line(name + (info ? " (" + info + ")" : ""), "evacmap-tip-route", "b");
      } else {
        this._line(name, "evacmap-tip-route", "b");
      }
      var rows = [
        [data.nodeOut[k], "left: ", ""],
        [data.nodeIn[k], "arrived: ", ""],
        [data.nodeUnsplit[k], "arrived: up to ", " (split between destinations not reported)"],
        [data.nodeInt[k], data.level < 0 ? "moved within the place: " : "moved within these places: ", ""]
      ];
      var any = false;
      var self = this;
      rows.forEach(function (r) {
        if (r[0] > 0) {
          self._line(r[1] + fmt(r[0]) + " " + noun + r[2]);
          any = true;
        }
      });
      if (!any) {
        this._line("no count of " + noun + " who moved, in this view");
      }
      if (this._window.mode !== "all") {
        this._line("(in the dates shown)", null, "i");
      }
      if (data.level < 0 && a.pf[k] & 2) {
        this._line("approximate location", null, "i");
      }
    }
  });

  E.flowCanvas = function (data, options) {
    return new E.FlowCanvas(data, options);
  };

  // -- controls: time, groups, totals ---------------------------------------------------
  // Time: a slider over the movements' dates, play/pause, per step or cumulative.
  E.TimeControl = L.Control.extend({
    options: { position: "bottomleft", interval: 900 },
    initialize: function (layer, dates, options) {
      L.setOptions(this, options);
      this._layer = layer;
      this._dates = dates;
    },
    onAdd: function () {
      var div = L.DomUtil.create("div", "evacmap-time leaflet-bar");
      var self = this;
      var mode = L.DomUtil.create("select", "evacmap-time-mode", div);
      var unit = this.options.stages ? "stage" : "date";
      [["all", "all " + unit + "s"], ["step", "per " + unit], ["cumulative", "up to " + unit]].forEach(function (m) {
        var opt = document.createElement("option");
        opt.value = m[0];
        opt.textContent = m[1];
        mode.appendChild(opt);
      });
      var play = L.DomUtil.create("button", "evacmap-time-play", div);
      play.type = "button";
      play.textContent = "▶";
      play.title = "play / pause";
      var slider = L.DomUtil.create("input", "evacmap-time-slider", div);
      slider.type = "range";
      slider.min = "0";
      slider.max = String(Math.max(0, this._dates.length - 1));
      slider.value = "0";
      var label = L.DomUtil.create("span", "evacmap-time-label", div);
      label.textContent = "all " + unit + "s";
      this._mode = mode; this._slider = slider; this._label = label; this._play = play;
      var apply = function () {
        var m = mode.value;
        var s = +slider.value;
        label.textContent = m === "all" ? "all " + unit + "s" : (m === "cumulative" ? "up to " : "") + self._dates[s];
        self._layer.setWindow(m, s);
      };
      mode.addEventListener("change", apply);
      slider.addEventListener("input", function () {
        if (mode.value === "all") {
          mode.value = "step";
        }
        apply();
      });
      play.addEventListener("click", function () {
        if (self._timer) {
          clearInterval(self._timer);
          self._timer = null;
          play.textContent = "▶";
          return;
        }
        if (mode.value === "all") {
          mode.value = "cumulative";
          slider.value = "0";
        }
        play.textContent = "❚❚";
        apply();
        self._timer = setInterval(function () {
          var next = +slider.value + 1;
          if (next > +slider.max) {
            clearInterval(self._timer);
            self._timer = null;
            play.textContent = "▶";
            return;
          }
          slider.value = String(next);
          apply();
        }, self.options.interval);
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    },
    onRemove: function () {
      clearInterval(this._timer);
    }
  });

  // A switch per group (drawn or not).
  E.GroupControl = L.Control.extend({
    options: { position: "topleft" },
    initialize: function (layer, groups, palette, options) {
      L.setOptions(this, options);
      this._layer = layer;
      this._groups = groups;
      this._palette = palette;
    },
    onAdd: function () {
      var div = L.DomUtil.create("div", "evacmap-groups leaflet-bar");
      var self = this;
      var title = L.DomUtil.create("div", "evacmap-legend-title", div);
      title.textContent = "Groups (largest in each movement)";
      var rows = this._groups.map(function (g, k) { return [k, g, self._palette[k]]; });
      rows.push(["none", "no group given", null]);
      rows.forEach(function (r) {
        var lab = L.DomUtil.create("label", "evacmap-group", div);
        var box = document.createElement("input");
        box.type = "checkbox";
        box.checked = true;
        box.addEventListener("change", function () { self._layer.setGroupVisible(r[0], box.checked); });
        lab.appendChild(box);
        if (r[2]) {
          var sw = document.createElement("span");
          sw.className = "evacmap-swatch";
          sw.style.background = r[2];
          lab.appendChild(sw);
        }
        var t = document.createElement("span");
        t.textContent = r[1];
        lab.appendChild(t);
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    }
  });

  // What is on the screen, summed: always equal to the flows drawn.
  E.TotalsControl = L.Control.extend({
    options: { position: "bottomleft", noun: "people", cutNote: null },
    initialize: function (layer, options) {
      L.setOptions(this, options);
      this._layer = layer;
    },
    onAdd: function () {
      var div = L.DomUtil.create("div", "evacmap-totals");
      this._div = div;
      this._layer.on("drawn", this._update, this);
      return div;
    },
    onRemove: function () {
      this._layer.off("drawn", this._update, this);
    },
    _update: function (s) {
      var div = this._div;
      while (div.firstChild) {
        div.removeChild(div.firstChild);
      }
      var noun = this.options.noun;
      var add = function (text, cls) {
        var el = document.createElement("div");
        if (cls) {
          el.className = cls;
        }
        el.textContent = text;
        div.appendChild(el);
      };
      var how = s.level < 0 ? "each movement drawn"
        : "summed by " + (s.levelKind === "admin1" ? "governorate (admin1)" : s.levelDeg + "° grid cell") + "; zoom in for more detail";
      add(fmt(s.movements) + " movements: " + how, "evacmap-totals-head");
      var moved = fmt(s.moved) + " " + noun + " moved";
      if (s.internal > 0) {
        moved += " (" + fmt(s.internal) + " within one " + (s.level < 0 ? "place" : "cluster") + ")";
      }
      add(moved, "evacmap-totals-moved");
      if (s.planned > 0) {
        add(fmt(s.planned) + " planned (not added)");
      }
      if (s.cumulative > 0) {
        add(fmt(s.cumulative) + " in cumulative totals (not added)");
      }
      if (s.unknown > 0) {
        add(fmt(s.unknown) + " movements with no count");
      }
      if (s.level >= 0) {
        add("widest line: " + fmt(s.scale) + " " + noun + " (the largest sum at this zoom, all dates)", "evacmap-totals-scale");
      }
      if (this.options.cutNote) {
        add(this.options.cutNote, "evacmap-totals-cut");
      }
    }
  });

  // The canvas layer with its controls, from the page's JSON block.
  E.flowCanvasMap = function (data, options) {
    var layer = new E.FlowCanvas(data, options);
    var add = layer.onAdd;
    layer.onAdd = function (map) {
      add.call(layer, map);
      if (!layer._controls) {
        layer._controls = [];
        var dates = (data.strings && data.strings.dates) || [];
        layer._controls.push(new E.TotalsControl(layer, { noun: options.noun, cutNote: options.cutNote }));
        if (dates.length > 1) {
          layer._controls.push(new E.TimeControl(layer, dates, { stages: data.counts.stepKind === "stages" }));
        }
        var groups = (data.strings && data.strings.groups) || [];
        if (groups.length) {
          layer._controls.push(new E.GroupControl(layer, groups, options.colorBy === "group" ? options.palette || [] : []));
        }
        layer._controls.forEach(function (c) { c.addTo(map); });
      }
      window.__evacmapCanvas = layer;
    };
    var remove = layer.onRemove;
    layer.onRemove = function (map) {
      (layer._controls || []).forEach(function (c) { c.remove(); });
      layer._controls = null;
      remove.call(layer, map);
    };
    return layer;
  };
})(window.L);

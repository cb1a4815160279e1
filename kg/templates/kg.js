/* kg graph page, drawn with sigma.js (WebGL) over a graphology graph. Every piece of text from
   the data is set with textContent (labels are drawn on a canvas with fillText); links are made
   only for http(s) URLs, through the DOM `href` property. Nothing here fetches anything.
   Positions come from the build (kg.layout): nothing moves unless "Re-lay out shown" is asked. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeStyles = data.nodeStyles;
  var edgeStyles = data.edgeStyles;
  var names = data.names || {};
  var articles = data.articles || {};
  var attributions = data.attributions || {};
  // The build puts the first LIST_MAX items of a long list in the page, and its length as
  // "<list>Total" (kg/html.py); total() is a list's full length either way.
  var LIST_MAX = data.listMax || 200;
  var PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#8c6d1f",
    "#6a3d9a"];
  var OTHER_COLOUR = "#9e9e9e";
  var NONE_COLOUR = "#dcdcdc";
  var DIM_NODE = "#e4e4e8";
  var DIM_EDGE = "#f0f0f2";
  var CITATION_TYPES = { cites: true, cites_derived: true, links_to: true };

  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });

  // ---- small DOM helpers (text only) ---------------------------------------------------------
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function nameOf(id) {
    if (byId[id]) { return byId[id].name; }
    if (names[id] !== undefined) { return names[id]; }
    if (articles[id]) { return articles[id].name; }
    return id;
  }
  function safeHttpUrl(url) {
    if (typeof url !== "string" || !url) { return null; }
    var parsed;
    try { parsed = new URL(url); } catch (e) { return null; }
    return (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.href : null;
  }
  function link(url, text) {
    var href = safeHttpUrl(url);
    if (href === null) {
      return el("span", text && text !== url ? text + " (" + url + ")" : url, "kg-url");
    }
    var a = el("a", text || url, "kg-url");
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.referrerPolicy = "no-referrer";
    return a;
  }
  function button(text, cls, onClick) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function nodeRef(id) {
    if (byId[id]) { return button(nameOf(id), "kg-node-link", function () { focusNode(id); }); }
    return el("span", nameOf(id));
  }
  function addRow(dl, term, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", term));
    var dd = el("dd");
    if (typeof value === "object" && value.nodeType) { dd.appendChild(value); }
    else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }
  function typeBadge(type) {
    var st = nodeStyles[type] || nodeStyles.other;
    var badge = el("span", st.label, "kg-type");
    badge.style.background = st.color;
    return badge;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function typeLabel(type) { return (nodeStyles[type] || nodeStyles.other).label; }

  // ---- colours -------------------------------------------------------------------------------
  var STATE_CONTROL = { SC: "state-controlled", CaPu: "captured public/state-managed",
    CaPr: "captured private", ISFM: "independent state-funded and state-managed",
    ISF: "independent state-funded", ISM: "independent state-managed", IP: "independent public" };
  var colourModes = {
    type: { label: "Type", value: function (d) { return d.type; },
      name: function (v) { return typeLabel(v); } },
    community: { label: "Community", value: function (d) {
      return d.community !== undefined ? String(d.community) : null; },
      name: function (v) { return "Community " + v + communityHead(v); } },
    kind: { label: "Outlet kind", value: function (d) { return d.kind || null; },
      name: function (v) { return v.replace(/_/g, " "); } },
    state_control: { label: "State control", value: function (d) { return d.state_control || null; },
      name: function (v) { return STATE_CONTROL[v] ? v + " (" + STATE_CONTROL[v] + ")" : v; } },
    country: { label: "Country", value: function (d) { return d.country || null; },
      name: function (v) { return v; } }
  };
  function communityHead(v) {
    var c = (data.communities || []).filter(function (x) { return String(x.id) === v; })[0];
    return c ? ": " + nameOf(c.members[0]) + (c.members.length > 1 ? " and " + (c.members.length - 1) + " more" : "") : "";
  }
  var colourBy = null;
  var colourTable = {};
  function computeColours(mode) {
    var spec = colourModes[mode];
    var counts = {};
    data.nodes.forEach(function (d) {
      var v = spec.value(d);
      if (v !== null) { counts[v] = (counts[v] || 0) + 1; }
    });
    var values = Object.keys(counts);
    if (mode === "type") {
      values.sort(function (a, b) {
        return Object.keys(nodeStyles).indexOf(a) - Object.keys(nodeStyles).indexOf(b); });
    } else {
      values.sort(function (a, b) { return (counts[b] - counts[a]) || (a < b ? -1 : a > b ? 1 : 0); });
    }
    var table = { order: [], colour: {}, counts: counts, rest: 0 };
    values.forEach(function (v, i) {
      if (mode === "type") { table.colour[v] = (nodeStyles[v] || nodeStyles.other).color; }
      else if (i < PALETTE.length) { table.colour[v] = PALETTE[i]; }
      else { table.colour[v] = OTHER_COLOUR; table.rest += counts[v]; return; }
      table.order.push(v);
    });
    return table;
  }
  function colourOf(d) {
    var v = colourModes[colourBy].value(d);
    if (v === null) { return NONE_COLOUR; }
    return colourTable.colour[v] || OTHER_COLOUR;
  }

  // ---- graph ---------------------------------------------------------------------------------
  function nodeSize(d) {
    if (d.type === "article") { return 2.5; }
    return Math.min(3 + 1.8 * Math.sqrt(d.cited || 0), 26);
  }
  function edgeSize(e) { return Math.min(0.6 + 0.8 * Math.log2(e.weight || 1), 6); }
  function edgeColour(e) { return (edgeStyles[e.type] || edgeStyles.cites).color; }

  // The first frame is the only one drawn at start: colours and the default filters are
  // settled before sigma sees the graph (each full refresh of a 20k-node page costs seconds
  // in a software-rendered browser).
  function hasValues(mode) {
    return data.nodes.some(function (d) { return colourModes[mode].value(d) !== null; });
  }
  colourBy = data.view === "outlets" && (data.communities || []).length ? "community" :
    data.view === "outlets" && hasValues("kind") ? "kind" : "type";
  colourTable = computeColours(colourBy);
  var defaultHidden = {};
  (data.defaultHidden || []).forEach(function (t) { defaultHidden[t] = true; });

  var graph = new graphology.MultiDirectedGraph();
  data.nodes.forEach(function (d) {
    graph.addNode(d.id, { x: d.x || 0, y: -(d.y || 0), size: nodeSize(d), label: d.label,
      color: colourOf(d), forceLabel: !!d.top, zIndex: d.top ? 2 : 1 });
  });
  data.edges.forEach(function (e) {
    graph.addEdgeWithKey(e.id, e.from, e.to, { size: edgeSize(e), color: edgeColour(e) });
  });

  var container = document.getElementById("kg-network");
  var progress = document.getElementById("kg-progress");
  var tooltip = document.getElementById("kg-tooltip");
  var panel = document.getElementById("kg-panel");
  var pathbar = document.getElementById("kg-pathbar");
  window.kgStats = { nodes: data.nodes.length, edges: data.edges.length };
  window.kgReady = false;
  document.getElementById("kg-counts").textContent =
    plural(window.kgStats.nodes, "node") + ", " + plural(window.kgStats.edges, "edge") + " in this page";

  // Visibility (filters) and emphasis (a selected node, a path, a community).
  var hiddenNodes = {};
  var hiddenEdges = {};
  data.nodes.forEach(function (d) { if (defaultHidden[d.type]) { hiddenNodes[d.id] = true; } });
  data.edges.forEach(function (e) {
    if (hiddenNodes[e.from] || hiddenNodes[e.to]) { hiddenEdges[e.id] = true; }
  });
  var focus = null; // { nodes: {id: true}, edges: {id: true} }

  // Labels actually drawn in the last frame (tests and the SVG export read them). sigma hands
  // us the labels it would draw (the forced ones: the most cited, or a selection; and one per
  // cell of its label grid); we draw them after the frame, most important first, and skip any
  // that would overlap a label already drawn, so no two labels ever cover each other.
  var drawnLabels = [];
  var drawnBoxes = [];  // their boxes on screen, in the same order
  var labelLeft = {};
  var pendingLabels = [];
  var labelContext = null;
  var labelSettings = null;
  function drawLabel(context, d, settings) {
    if (!d.label) { return; }
    labelContext = context;
    labelSettings = settings;
    pendingLabels.push({ key: d.key, label: d.label, x: d.x, y: d.y, size: d.size,
      forced: !!d.forceLabel, z: d.zIndex || 0 });
  }
  function labelOrder(a, b) {
    if (a.forced !== b.forced) { return a.forced ? -1 : 1; }
    if (a.z !== b.z) { return b.z - a.z; }
    if (a.size !== b.size) { return b.size - a.size; }
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  }
  function drawPendingLabels() {
    var todo = pendingLabels;
    pendingLabels = [];
    if (!todo.length || labelContext === null) { return; }
    var context = labelContext;
    var settings = labelSettings;
    var size = settings.labelSize;
    context.font = settings.labelWeight + " " + size + "px " + settings.labelFont;
    context.lineWidth = 3;
    context.lineJoin = "round";
    var boxes = [];
    var right = renderer.getDimensions().width;
    todo.sort(labelOrder);
    todo.forEach(function (d) {
      var width = context.measureText(d.label).width;
      var x = d.x + d.size + 3;
      // at the right edge of the view, the label goes on the node's left, not off the canvas
      var left = x + width > right - 2 && d.x - d.size - 3 - width >= 2;
      if (left) { x = d.x - d.size - 3 - width; }
      var y = d.y + size / 3;
      var box = { left: x - 2, right: x + width + 2, top: y - size, bottom: y + size * 0.3 };
      for (var i = 0; i < boxes.length; i++) {
        var o = boxes[i];
        if (box.left < o.right && o.left < box.right && box.top < o.bottom && o.top < box.bottom) {
          return;
        }
      }
      boxes.push(box);
      drawnLabels.push(d.key);
      drawnBoxes.push(box);
      if (left) { labelLeft[d.key] = true; } else { delete labelLeft[d.key]; }
      context.strokeStyle = "rgba(255,255,255,0.9)";
      context.strokeText(d.label, x, y);
      context.fillStyle = "#1d1d1f";
      context.fillText(d.label, x, y);
    });
  }

  var EDGE_EVENTS_MAX = 10000;
  var big = data.nodes.length > 5000 || data.edges.length > 15000;
  // Above this many edges, unfocused edges are drawn as 1-pixel lines (WebGL LINES) instead of
  // arrows (two triangles and a head each): without a GPU (software WebGL) filling the arrows of
  // tens of thousands of overlapping edges is what makes every frame slow (20k nodes / 60k edges:
  // a click answered in 1.7 s instead of 8 s). The edges of a focused node or path are still
  // drawn as arrows, so direction is there where one looks.
  var THIN_EDGES_FROM = 5000;
  var thin = data.edges.length > THIN_EDGES_FROM;
  // sigma draws a frame as soon as it has a graph: it gets the graph once the handlers that
  // finish a frame (labels, readiness) are in place.
  var renderer = new Sigma(new graphology.MultiDirectedGraph(), container, {
    defaultEdgeType: thin ? "thin" : "arrow",
    edgeProgramClasses: {
      arrow: Sigma.rendering.EdgeArrowProgram,
      thin: Sigma.rendering.EdgeLineProgram
    },
    renderEdgeLabels: false,
    // Clickable edges cost a second drawing of every edge (sigma's picking layer) in each frame;
    // above this many, an edge's evidence is one click away in its nodes' panels instead.
    enableEdgeEvents: data.edges.length <= EDGE_EVENTS_MAX,
    hideEdgesOnMove: big,
    labelFont: "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
    labelSize: 12,
    labelWeight: "500",
    labelDensity: 0.6,
    labelGridCellSize: 110,
    labelRenderedSizeThreshold: 9,
    defaultDrawNodeLabel: drawLabel,
    zIndex: true,
    minCameraRatio: 0.02,
    maxCameraRatio: 4,
    nodeReducer: function (node, attrs) {
      if (hiddenNodes[node]) { return { hidden: true, x: attrs.x, y: attrs.y, size: attrs.size }; }
      if (focus !== null && !focus.nodes[node]) {
        return { x: attrs.x, y: attrs.y, size: attrs.size, color: DIM_NODE, label: "", zIndex: 0 };
      }
      if (focus !== null) {
        var out = Object.assign({}, attrs);
        out.forceLabel = true;
        out.zIndex = 3;
        return out;
      }
      return attrs;
    },
    edgeReducer: function (edge, attrs) {
      if (hiddenEdges[edge]) { return { hidden: true }; }
      if (focus !== null && !focus.edges[edge]) {
        // With thousands of edges, the others are left out while a node or path is in focus:
        // its own edges read at once, and the frame draws tens of edges, not tens of thousands.
        if (thin) { return { hidden: true }; }
        return { size: attrs.size, color: DIM_EDGE, zIndex: 0 };
      }
      if (focus !== null) {
        var out = Object.assign({}, attrs);
        out.color = "#111111";
        out.size = Math.max(attrs.size, 1.5);
        out.type = "arrow";
        out.zIndex = 2;
        return out;
      }
      return attrs;
    }
  });
  window.kgRenderer = renderer;
  renderer.on("beforeRender", function () {
    drawnLabels = [];
    drawnBoxes = [];
    pendingLabels = [];
  });
  renderer.on("afterRender", drawPendingLabels);
  renderer.once("afterRender", function () {
    progress.hidden = true;
    requestAnimationFrame(function () { window.kgReady = true; });
  });
  renderer.setGraph(graph);
  if (data.nodes.length === 0) {
    progress.hidden = false;
    progress.textContent = "This graph is empty.";
    window.kgReady = true;
  }

  function setColourBy(mode) {
    if (mode !== colourBy) {
      colourBy = mode;
      colourTable = computeColours(mode);
      graph.updateEachNodeAttributes(function (node, attrs) {
        attrs.color = colourOf(byId[node]);
        return attrs;
      }, { attributes: ["color"] });
    }
    renderColourLegend();
  }

  // ---- hover label (plain text, our own element) ----------------------------------------------
  function showTooltip(text, x, y) {
    tooltip.textContent = text;
    tooltip.hidden = false;
    tooltip.style.left = (x + 14) + "px";
    tooltip.style.top = (y + 14) + "px";
  }
  function hideTooltip() { tooltip.hidden = true; }
  renderer.on("enterNode", function (p) {
    var d = byId[p.node];
    if (!d) { return; }
    var when = d.first ? " · " + d.first + (d.last && d.last !== d.first ? " – " + d.last : "") : "";
    showTooltip(d.name + " — " + typeLabel(d.type) + (d.cited ? " · cited " + d.cited + "×" : "") +
      when, p.event.x, p.event.y);
  });
  renderer.on("enterEdge", function (p) {
    var e = edgeById[p.edge];
    if (!e) { return; }
    var count = e.evidence ? " (" + plural(total(e, "evidence"), "attribution") + ")" : "";
    var label = nameOf(e.from) + " → " + nameOf(e.to) + " · " +
      (edgeStyles[e.type] || edgeStyles.cites).label + count;
    var first = e.evidence && e.evidence.length ? attributions[e.evidence[0]] : null;
    if (first && first.sentence) {
      var sentence = first.sentence.replace(/\s+/g, " ").trim();
      if (sentence.length > 200) { sentence = sentence.slice(0, 199) + "…"; }
      label += "\n“" + sentence + "”";
    }
    showTooltip(label, p.event.x, p.event.y);
  });
  ["leaveNode", "leaveEdge", "downStage", "wheelStage"].forEach(function (ev) {
    renderer.on(ev, hideTooltip);
  });

  // ---- emphasis ------------------------------------------------------------------------------
  function setFocus(nodeIds, edgeIds) {
    focus = { nodes: {}, edges: {} };
    nodeIds.forEach(function (n) { focus.nodes[n] = true; });
    edgeIds.forEach(function (e) { focus.edges[e] = true; });
    renderer.refresh({ skipIndexation: true });  // nothing moved: keep sigma's spatial indexes
  }
  function clearFocus() {
    if (focus !== null) { focus = null; renderer.refresh({ skipIndexation: true }); }
  }
  function highlight(id) {
    var nodeIds = [id];
    var edgeIds = [];
    graph.forEachEdge(id, function (edge, attrs, source, target) {
      if (hiddenEdges[edge]) { return; }
      edgeIds.push(edge);
      nodeIds.push(source === id ? target : source);
    });
    setFocus(nodeIds, edgeIds);
  }

  // ---- side panel ------------------------------------------------------------------------------
  function articleBlock(aid) {
    var a = articles[aid] || { name: nameOf(aid) };
    var wrap = el("div");
    var title = a.title || a.name || aid;
    if (a.url) { wrap.appendChild(link(a.url, title)); } else { wrap.appendChild(el("strong", title)); }
    var meta = [];
    if (a.outlet) { meta.push(nameOf(a.outlet)); }
    if (a.published) { meta.push(a.published); }
    if (!a.url && a.path) { meta.push(a.path); }
    if (meta.length) { wrap.appendChild(el("div", meta.join(" · "), "kg-meta")); }
    if (byId[aid]) {
      wrap.appendChild(button("show in graph", "kg-node-link", function () { focusNode(aid); }));
    }
    return wrap;
  }
  function evidenceBlock(attrId, withArticle, withSource) {
    var at = attributions[attrId];
    var li = el("li");
    if (!at) { li.textContent = attrId; return li; }
    if (withArticle) { li.appendChild(articleBlock(at.article)); }
    if (withSource) {
      var who = el("div");
      who.appendChild(el("span", "cites ", "kg-meta"));
      who.appendChild(nodeRef(at.source));
      li.appendChild(who);
    }
    if (at.sentence) { li.appendChild(el("blockquote", at.sentence, "kg-sentence")); }
    var dl = el("dl");
    addRow(dl, "Cue", at.cue);
    addRow(dl, "Source text", at.source_text);
    addRow(dl, "Content", at.content);
    addRow(dl, "Kind", at.kind);
    addRow(dl, "Confidence", at.confidence !== undefined ? at.confidence.toFixed(2) : "");
    addRow(dl, "Rule", at.rule ? at.rule + (at.source_rule ? " (source: " + at.source_rule + ")" : "") : "");
    if (at.via) { addRow(dl, "Via", nodeRef(at.via)); }
    // A hyperlink behind the attribution, or a cited article of the corpus: show the target.
    if (at.url) { addRow(dl, "Link target", link(at.url, at.url)); }
    if (articles[at.source] && articles[at.source].url) {
      addRow(dl, "Cited article", link(articles[at.source].url, articles[at.source].title ||
        articles[at.source].url));
    }
    li.appendChild(dl);
    return li;
  }
  function total(obj, key) {
    var items = obj[key] || [];
    return obj[key + "Total"] || items.length;
  }
  function cappedList(tag, items, render, count) {
    var list = el(tag, null, "kg-list");
    var shown = items.slice(0, LIST_MAX);
    shown.forEach(function (x) { list.appendChild(render(x)); });
    var more = (count || items.length) - shown.length;
    if (more > 0) {
      list.appendChild(el("li", "… and " + more + " more", "kg-meta"));
    }
    return list;
  }
  function groupByArticle(attrIds) {
    var order = [];
    var groups = {};
    attrIds.forEach(function (id) {
      var at = attributions[id];
      var aid = at ? at.article : id;
      if (!groups[aid]) { groups[aid] = []; order.push(aid); }
      groups[aid].push(id);
    });
    return order.map(function (aid) { return { article: aid, ids: groups[aid] }; });
  }
  function lagText(lag) {
    if (!lag) { return ""; }
    var span = lag.min === lag.max ? plural(lag.min, "day") : lag.min + " to " + lag.max + " days";
    return span + " after the cited outlet's article (" + plural(lag.count, "article pair") + ")";
  }

  function showNode(id) {
    var d = byId[id];
    if (!d) { return; }
    clear(panel);
    panel.appendChild(typeBadge(d.type));
    panel.appendChild(el("h3", d.name));
    var actions = el("div", null, "kg-buttons");
    actions.appendChild(button("Paths from here", "kg-action", function () { startPath(id); }));
    panel.appendChild(actions);
    var dl = el("dl");
    addRow(dl, "Type", typeLabel(d.type));
    addRow(dl, "Aliases", d.aliases ? d.aliases.join(", ") : "");
    addRow(dl, "Kind", d.kind ? d.kind.replace(/_/g, " ") : "");
    addRow(dl, "State control", d.state_control ? colourModes.state_control.name(d.state_control) : "");
    addRow(dl, "Lists", d.labels ? d.labels.map(function (l) {
      var extra = [l.source, l.date].filter(function (x) { return !!x; }).join(", ");
      return l.name + (extra ? " (" + extra + ")" : "");
    }).join("; ") : "");
    addRow(dl, "Country", d.country);
    addRow(dl, "Languages", d.languages ? d.languages.join(", ") : "");
    if (d.community !== undefined) {
      addRow(dl, "Community", button("Community " + d.community, "kg-node-link", function () {
        showCommunity(d.community); }));
    }
    if (d.affiliation) { addRow(dl, "Affiliation", nodeRef(d.affiliation)); }
    if (d.outlet) { addRow(dl, "Outlet", nodeRef(d.outlet)); }
    if (d.url) { addRow(dl, "URL", link(d.url, d.url)); }
    addRow(dl, "Published", d.published);
    if (d.type !== "article") {
      addRow(dl, "First seen", d.first);
      addRow(dl, "Last seen", d.last);
    }
    addRow(dl, "File", d.path);
    var citedIn = d.citedIn || [];
    addRow(dl, "Cited", plural(d.cited, "time") + " in " +
      plural(d.citedArticles || groupByArticle(citedIn).length, "article"));
    addRow(dl, "Cites", plural(d.cites, "time"));
    panel.appendChild(dl);

    if (d.citesList && d.citesList.length) {
      panel.appendChild(el("h2", "Cites"));
      panel.appendChild(cappedList("ol", d.citesList, function (aid) {
        return evidenceBlock(aid, false, true);
      }, total(d, "citesList")));
    }
    // People and organisations an outlet's articles cite, folded into its panel.
    var cited = [];
    graph.forEachOutEdge(id, function (edge, attrs, source, target) {
      var e = edgeById[edge];
      if (e && e.type === "cites_derived" && byId[target] && byId[target].type !== "outlet") {
        cited.push(e);
      }
    });
    if (cited.length) {
      cited.sort(function (a, b) { return (b.weight - a.weight) || (a.to < b.to ? -1 : 1); });
      panel.appendChild(el("h2", "People and organisations its articles cite (" + cited.length + ")"));
      panel.appendChild(cappedList("ul", cited, function (e) {
        var li = el("li");
        li.appendChild(button(nameOf(e.to) + " · " + plural(e.weight, "article"), "kg-node-link",
          function () { selectEdge(e.id); }));
        return li;
      }));
    }
    if (d.publishedArticles && d.publishedArticles.length) {
      panel.appendChild(el("h2", "Articles published (" + total(d, "publishedArticles") + ")"));
      panel.appendChild(cappedList("ul", d.publishedArticles, function (aid) {
        var li = el("li");
        li.appendChild(articleBlock(aid));
        return li;
      }, total(d, "publishedArticles")));
    }
    if (citedIn.length) {
      var groups = groupByArticle(citedIn);
      var citing = d.citedArticles || groups.length;
      panel.appendChild(el("h2", "Cited in (" + citing + " articles)"));
      panel.appendChild(cappedList("ul", groups, function (g) {
        var li = el("li");
        li.appendChild(articleBlock(g.article));
        var inner = el("ul", null, "kg-list");
        g.ids.forEach(function (aid) { inner.appendChild(evidenceBlock(aid, false, false)); });
        li.appendChild(inner);
        return li;
      }, citing));
    }
  }

  function showEdge(id) {
    var e = edgeById[id];
    if (!e) { return; }
    clear(panel);
    var style = edgeStyles[e.type] || edgeStyles.cites;
    panel.appendChild(el("span", style.label, "kg-meta"));
    var h = el("h3");
    h.appendChild(nodeRef(e.from));
    h.appendChild(el("span", " → "));
    h.appendChild(nodeRef(e.to));
    panel.appendChild(h);
    var dl = el("dl");
    addRow(dl, "Relation", style.label);
    if (e.articles) { addRow(dl, "Backing articles", String(total(e, "articles"))); }
    if (e.evidence) { addRow(dl, "Attributions", String(total(e, "evidence"))); }
    if (e.days && e.days.length) {
      addRow(dl, "Dates", e.days[0] + (e.days.length > 1 ? " – " + e.days[e.days.length - 1] : ""));
    }
    addRow(dl, "Lag", lagText(e.lag));
    addRow(dl, "Mentions", e.count);
    addRow(dl, "Mentioned as", e.text);
    panel.appendChild(dl);
    if (e.lag && e.lag.pairs) {
      panel.appendChild(el("h2", "Cited and citing articles"));
      panel.appendChild(cappedList("ul", e.lag.pairs, function (pair) {
        var li = el("li");
        li.appendChild(articleBlock(pair[1]));
        li.appendChild(el("div", "→ " + plural(pair[2], "day") + " later:", "kg-meta"));
        li.appendChild(articleBlock(pair[0]));
        return li;
      }));
    }
    if (e.target) {
      panel.appendChild(el("h2", "Link target"));
      panel.appendChild(articleBlock(e.target));
    }
    if (e.links && e.links.length) {
      panel.appendChild(el("h2", "Hyperlinks"));
      panel.appendChild(cappedList("ul", e.links, function (l) {
        var li = el("li");
        if (l.text) { li.appendChild(el("div", "“" + l.text + "”")); }
        li.appendChild(link(l.url, l.url));
        return li;
      }, total(e, "links")));
    }
    if (e.evidence && e.evidence.length) {
      panel.appendChild(el("h2", "Evidence"));
      panel.appendChild(cappedList("ol", e.evidence, function (aid) {
        return evidenceBlock(aid, true, e.type === "cites_derived");
      }, total(e, "evidence")));
    } else if (e.articles && e.articles.length) {
      panel.appendChild(el("h2", "Backing articles"));
      panel.appendChild(cappedList("ul", e.articles, function (aid) {
        var li = el("li");
        li.appendChild(articleBlock(aid));
        return li;
      }, total(e, "articles")));
    }
  }

  function resetPanel() {
    clear(panel);
    panel.appendChild(el("p", "Click a node or an edge to see its sources and evidence.", "kg-hint"));
  }

  // ---- paths -----------------------------------------------------------------------------------
  // A path follows citations: A → B when A (or its articles) cites B. Information travels the
  // other way: a path from a mainstream outlet to a state outlet is how the claim reached it.
  var pathStart = null;
  function startPath(id) {
    pathStart = id;
    pathbar.hidden = false;
    pathbar.textContent = "Click another node to see the citation paths between " + nameOf(id) +
      " and it (click empty space to cancel).";
  }
  function citationAdjacency(reverse) {
    var adj = {};
    data.edges.forEach(function (e) {
      if (!CITATION_TYPES[e.type] || hiddenEdges[e.id] || hiddenNodes[e.from] || hiddenNodes[e.to]) {
        return;
      }
      var a = reverse ? e.to : e.from;
      var b = reverse ? e.from : e.to;
      (adj[a] = adj[a] || []).push({ to: b, edge: e.id });
    });
    return adj;
  }
  // Every shortest path from `a` to `b` along citations (at most `limit`), as lists of hops
  // { from, to, edges: [edge ids] }.
  function shortestPaths(a, b, limit) {
    var adj = citationAdjacency(false);
    var dist = {};
    dist[a] = 0;
    var queue = [a];
    var parents = {};
    for (var i = 0; i < queue.length; i++) {
      var u = queue[i];
      if (u === b) { break; }
      (adj[u] || []).forEach(function (step) {
        if (dist[step.to] === undefined) {
          dist[step.to] = dist[u] + 1;
          queue.push(step.to);
        }
        if (dist[step.to] === dist[u] + 1) {
          (parents[step.to] = parents[step.to] || {})[u] = true;
        }
      });
    }
    if (dist[b] === undefined || a === b) { return []; }
    var out = [];
    function walk(node, suffix) {
      if (out.length >= limit) { return; }
      if (node === a) { out.push(suffix.slice()); return; }
      Object.keys(parents[node] || {}).sort().forEach(function (p) {
        var edges = (adj[p] || []).filter(function (s) { return s.to === node; })
          .map(function (s) { return s.edge; });
        walk(p, [{ from: p, to: node, edges: edges }].concat(suffix));
      });
    }
    walk(b, []);
    return out;
  }
  function findPaths(a, b) {
    return { forward: shortestPaths(a, b, 10), backward: shortestPaths(b, a, 10) };
  }
  function showPaths(a, b) {
    pathStart = null;
    pathbar.hidden = true;
    var found = findPaths(a, b);
    var all = found.forward.concat(found.backward);
    var nodeIds = [a, b];
    var edgeIds = [];
    all.forEach(function (path) {
      path.forEach(function (hop) {
        nodeIds.push(hop.from, hop.to);
        edgeIds = edgeIds.concat(hop.edges);
      });
    });
    setFocus(nodeIds, edgeIds);
    clear(panel);
    panel.appendChild(el("span", "Citation paths", "kg-meta"));
    var h = el("h3");
    h.appendChild(nodeRef(a));
    h.appendChild(el("span", " ↔ "));
    h.appendChild(nodeRef(b));
    panel.appendChild(h);
    if (!all.length) {
      panel.appendChild(el("p", "No chain of citations links these two among the nodes shown.",
        "kg-hint"));
    }
    [[found.forward, a, b], [found.backward, b, a]].forEach(function (group) {
      if (!group[0].length) { return; }
      panel.appendChild(el("h2", nameOf(group[1]) + " cites … " + nameOf(group[2]) + " (" +
        plural(group[0][0].length, "hop") + ")"));
      var list = el("ol", null, "kg-list");
      group[0].forEach(function (path) {
        var li = el("li", null, "kg-path");
        var chain = [path[0].from].concat(path.map(function (hop) { return hop.to; }));
        li.appendChild(el("div", chain.map(nameOf).join(" → "), "kg-path-chain"));
        path.forEach(function (hop) {
          var div = el("div", null, "kg-hop");
          div.appendChild(el("strong", nameOf(hop.from) + " cites " + nameOf(hop.to)));
          hop.edges.forEach(function (eid) {
            var e = edgeById[eid];
            var first = e.evidence && e.evidence.length ? attributions[e.evidence[0]] : null;
            if (first) {
              var art = articles[first.article] || {};
              div.appendChild(el("div", (art.title || art.name || first.article) +
                (art.published ? " · " + art.published : ""), "kg-meta"));
              if (first.sentence) { div.appendChild(el("blockquote", first.sentence, "kg-sentence")); }
            } else if (e.links && e.links.length) {
              div.appendChild(link(e.links[0].url, e.links[0].url));
            }
            if (e.lag) { div.appendChild(el("div", "Lag: " + lagText(e.lag), "kg-meta")); }
            div.appendChild(button("all evidence (" + plural(total(e, "evidence"),
              "attribution") + ")", "kg-node-link", function () { selectEdge(eid); }));
          });
          li.appendChild(div);
        });
        list.appendChild(li);
      });
      panel.appendChild(list);
    });
    return found;
  }
  window.kgPaths = function (a, b) { return showPaths(a, b); };

  // ---- communities ---------------------------------------------------------------------------
  function showCommunity(number) {
    var c = (data.communities || []).filter(function (x) { return x.id === number; })[0];
    if (!c) { return; }
    var members = {};
    c.members.forEach(function (m) { members[m] = true; });
    var edgeIds = data.edges.filter(function (e) { return members[e.from] && members[e.to]; })
      .map(function (e) { return e.id; });
    setFocus(c.members, edgeIds);
    clear(panel);
    panel.appendChild(el("span", "Community", "kg-meta"));
    panel.appendChild(el("h3", "Community " + number + " (" + plural(c.members.length, "outlet") + ")"));
    panel.appendChild(cappedList("ul", c.members, function (m) {
      var li = el("li");
      li.appendChild(nodeRef(m));
      li.appendChild(el("span", " · cited " + plural(byId[m] ? byId[m].cited : 0, "time"), "kg-meta"));
      return li;
    }));
  }
  function renderCommunities() {
    var box = document.getElementById("kg-communities-box");
    var list = document.getElementById("kg-communities");
    var communities = data.communities || [];
    box.hidden = communities.length === 0;
    var table = computeColours("community");
    communities.forEach(function (c) {
      var li = el("li");
      var b = button("", null, function () { showCommunity(c.id); });
      var dot = el("span", null, "kg-dot");
      dot.style.background = table.colour[String(c.id)] || OTHER_COLOUR;
      b.appendChild(dot);
      var heads = c.members.slice(0, 3).map(nameOf).join(", ");
      b.appendChild(el("span", c.id + ". " + heads + (c.members.length > 3 ? " and " +
        (c.members.length - 3) + " more" : "") + " (" + c.members.length + ")"));
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  // ---- clicks --------------------------------------------------------------------------------
  function onNodeClick(p) {
    hideTooltip();
    if (pathStart !== null && pathStart !== p.node) { showPaths(pathStart, p.node); return; }
    showNode(p.node);
    highlight(p.node);
  }
  renderer.on("clickNode", onNodeClick);
  // A second click soon after the first is a double click to sigma (which would zoom): a
  // user picking two nodes quickly means two clicks.
  renderer.on("doubleClickNode", function (p) {
    if (p.preventSigmaDefault) { p.preventSigmaDefault(); }
    onNodeClick(p);
  });
  renderer.on("clickEdge", function (p) { hideTooltip(); selectEdge(p.edge); });
  function onStageClick() {
    hideTooltip();
    pathStart = null;
    pathbar.hidden = true;
    clearFocus();
    resetPanel();
  }
  renderer.on("clickStage", onStageClick);
  // sigma reports a second click within its double-click delay (300 ms, longer when the page
  // is busy drawing) as a double click even when the first was on a node: clear the panel too.
  renderer.on("doubleClickStage", onStageClick);
  function selectEdge(id) {
    var e = edgeById[id];
    if (!e) { return; }
    setFocus([e.from, e.to], [id]);
    showEdge(id);
  }
  function focusNode(id) {
    if (!byId[id]) { return; }
    if (hiddenNodes[id]) { resetFilters(); }
    var d = renderer.getNodeDisplayData(id);
    var camera = renderer.getCamera();
    if (d) { camera.setState({ x: d.x, y: d.y, ratio: Math.min(camera.ratio, 0.6) }); }
    showNode(id);
    highlight(id);
  }
  window.kgFocus = focusNode;
  window.kgShowEdge = selectEdge;
  // Where a node is drawn, in CSS pixels of the graph's container (tests click there).
  window.kgNodePoint = function (id) {
    var d = renderer.getNodeDisplayData(id);
    if (!d || d.hidden) { return null; }
    var p = renderer.framedGraphToViewport(d);
    var box = container.getBoundingClientRect();
    return { x: p.x + box.left, y: p.y + box.top, inside: p.x >= 0 && p.y >= 0 &&
      p.x <= box.width && p.y <= box.height };
  };
  window.kgEdgePoint = function (id) {
    var s = window.kgNodePoint(graph.source(id));
    var t = window.kgNodePoint(graph.target(id));
    return s && t ? { x: (s.x + t.x) / 2, y: (s.y + t.y) / 2 } : null;
  };

  // ---- search ------------------------------------------------------------------------------
  var searchIndex = data.nodes.map(function (d) {
    return { id: d.id, keys: [d.name].concat(d.aliases || []).map(function (s) {
      return String(s).toLowerCase();
    }) };
  });
  var search = document.getElementById("kg-search");
  var matchesList = document.getElementById("kg-matches");
  var currentMatches = [];
  function findMatches(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var out = [];
    searchIndex.forEach(function (entry) {
      for (var i = 0; i < entry.keys.length; i++) {
        if (entry.keys[i].indexOf(q) !== -1) { out.push(entry.id); return; }
      }
    });
    out.sort(function (a, b) {
      return (byId[b].cited - byId[a].cited) || (a < b ? -1 : a > b ? 1 : 0);
    });
    return out;
  }
  function renderMatches() {
    clear(matchesList);
    currentMatches.slice(0, 50).forEach(function (id) {
      var li = el("li");
      var b = button(byId[id].name, null, function () { focusNode(id); });
      b.appendChild(el("span", " · " + typeLabel(byId[id].type), "kg-meta"));
      li.appendChild(b);
      matchesList.appendChild(li);
    });
    if (currentMatches.length > 50) {
      matchesList.appendChild(el("li", "… " + (currentMatches.length - 50) + " more", "kg-meta"));
    }
    if (search.value.trim() && !currentMatches.length) {
      matchesList.appendChild(el("li", "No match", "kg-meta"));
    }
  }
  search.addEventListener("input", function () {
    currentMatches = findMatches(search.value);
    renderMatches();
    if (currentMatches.length === 1) { focusNode(currentMatches[0]); }
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && currentMatches.length) {
      ev.preventDefault();
      focusNode(currentMatches[0]);
    }
  });

  // ---- filters -------------------------------------------------------------------------------
  var typeBoxes = {};
  var present = {};
  data.nodes.forEach(function (d) { present[d.type] = (present[d.type] || 0) + 1; });
  var typeFilters = document.getElementById("kg-type-filters");
  function checkbox(parent, text, checked) {
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", function () { applyFilters(); });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + text));
    parent.appendChild(label);
    return box;
  }
  Object.keys(nodeStyles).forEach(function (type) {
    if (!present[type]) { return; }
    typeBoxes[type] = checkbox(typeFilters, nodeStyles[type].label + " (" + present[type] + ")",
      !defaultHidden[type]);
    typeBoxes[type].value = type;
  });
  // Kind, country, state control: one box per value present; unticking hides those nodes.
  var valueBoxes = {};
  var valueFilters = document.getElementById("kg-value-filters");
  ["kind", "state_control", "country"].forEach(function (field) {
    var counts = {};
    data.nodes.forEach(function (d) { if (d[field]) { counts[d[field]] = (counts[d[field]] || 0) + 1; } });
    var values = Object.keys(counts).sort();
    if (!values.length) { return; }
    var details = el("details");
    details.appendChild(el("summary", colourModes[field].label));
    valueBoxes[field] = {};
    values.forEach(function (v) {
      valueBoxes[field][v] = checkbox(details, colourModes[field].name(v) + " (" + counts[v] + ")", true);
    });
    valueFilters.appendChild(details);
  });
  var minCited = document.getElementById("kg-min-cited");
  var minCitedValue = document.getElementById("kg-min-cited-value");
  var maxCited = 0;
  data.nodes.forEach(function (d) { if (d.cited > maxCited) { maxCited = d.cited; } });
  minCited.max = String(maxCited);
  minCited.addEventListener("input", function () { applyFilters(); });
  // Dates: every date some node or edge carries, as the steps of two range inputs.
  var daySet = {};
  data.nodes.forEach(function (d) { (d.days || []).forEach(function (x) { daySet[x] = true; }); });
  data.edges.forEach(function (e) { (e.days || []).forEach(function (x) { daySet[x] = true; }); });
  var allDays = Object.keys(daySet).sort();
  var dateFrom = document.getElementById("kg-date-from");
  var dateTo = document.getElementById("kg-date-to");
  var datesBox = document.getElementById("kg-dates");
  if (allDays.length < 2) { datesBox.hidden = true; }
  dateFrom.max = dateTo.max = String(Math.max(allDays.length - 1, 0));
  dateTo.value = dateTo.max;
  document.getElementById("kg-dates-note").textContent =
    "Articles outside the range are hidden, with the edges they back; undated ones stay.";
  [dateFrom, dateTo].forEach(function (input) {
    input.addEventListener("input", function () { applyFilters(); });
  });

  function inRange(days, lo, hi) {
    if (!days || !days.length) { return true; }
    for (var i = 0; i < days.length; i++) { if (days[i] >= lo && days[i] <= hi) { return true; } }
    return false;
  }
  function applyFilters(startup) {
    var min = parseInt(minCited.value, 10) || 0;
    minCitedValue.textContent = String(min);
    var i0 = Math.min(parseInt(dateFrom.value, 10) || 0, parseInt(dateTo.value, 10) || 0);
    var i1 = Math.max(parseInt(dateFrom.value, 10) || 0, parseInt(dateTo.value, 10) || 0);
    var lo = allDays[i0] || "";
    var hi = allDays[i1] || "";
    var dated = allDays.length > 1 && (i0 > 0 || i1 < allDays.length - 1);
    document.getElementById("kg-date-from-value").textContent = lo;
    document.getElementById("kg-date-to-value").textContent = hi;
    hiddenNodes = {};
    hiddenEdges = {};
    var shownNodes = 0;
    data.nodes.forEach(function (d) {
      var box = typeBoxes[d.type];
      var hide = (box && !box.checked) || (d.type !== "article" && d.cited < min);
      Object.keys(valueBoxes).forEach(function (field) {
        if (d[field] && valueBoxes[field][d[field]] && !valueBoxes[field][d[field]].checked) {
          hide = true;
        }
      });
      if (!hide && dated && !inRange(d.days, lo, hi)) { hide = true; }
      if (hide) { hiddenNodes[d.id] = true; } else { shownNodes += 1; }
    });
    var shownEdges = 0;
    data.edges.forEach(function (e) {
      var hide = !!(hiddenNodes[e.from] || hiddenNodes[e.to]) || (dated && !inRange(e.days, lo, hi));
      if (hide) { hiddenEdges[e.id] = true; } else { shownEdges += 1; }
    });
    document.getElementById("kg-filter-counts").textContent = "Showing " + shownNodes + " of " +
      plural(data.nodes.length, "node") + ", " + shownEdges + " of " + plural(data.edges.length, "edge") + ".";
    window.kgShown = { nodes: shownNodes, edges: shownEdges };
    if (focus !== null) { focus = null; }
    if (startup !== true) { renderer.refresh(); }  // at start the first frame already has them
  }
  function resetFilters() {
    Object.keys(typeBoxes).forEach(function (t) { typeBoxes[t].checked = true; });
    Object.keys(valueBoxes).forEach(function (f) {
      Object.keys(valueBoxes[f]).forEach(function (v) { valueBoxes[f][v].checked = true; });
    });
    minCited.value = "0";
    dateFrom.value = "0";
    dateTo.value = dateTo.max;
    applyFilters();
  }
  document.getElementById("kg-reset").addEventListener("click", resetFilters);

  // ---- re-layout of what is shown (ForceAtlas2, in the page, on request) -----------------------
  function relayout() {
    var fa2 = window.kgForceAtlas2 && (window.kgForceAtlas2["default"] || window.kgForceAtlas2);
    var sub = new graphology.Graph({ multi: false, type: "undirected" });
    graph.forEachNode(function (node, attrs) {
      if (!hiddenNodes[node]) { sub.addNode(node, { x: attrs.x, y: attrs.y, size: attrs.size }); }
    });
    if (sub.order < 2 || !fa2) { return; }
    graph.forEachEdge(function (edge, attrs, s, t) {
      if (!hiddenEdges[edge] && sub.hasNode(s) && sub.hasNode(t) && s !== t && !sub.hasEdge(s, t)) {
        sub.addEdge(s, t);
      }
    });
    var settings = fa2.inferSettings(sub);
    settings.barnesHutOptimize = sub.order > 500;
    fa2.assign(sub, { iterations: sub.order > 2000 ? 80 : 200, settings: settings });
    // Rescale into the current frame so the camera and the hidden nodes keep their places.
    var box = { x: [Infinity, -Infinity], y: [Infinity, -Infinity] };
    var nb = { x: [Infinity, -Infinity], y: [Infinity, -Infinity] };
    sub.forEachNode(function (node, attrs) {
      var old = graph.getNodeAttributes(node);
      box.x = [Math.min(box.x[0], old.x), Math.max(box.x[1], old.x)];
      box.y = [Math.min(box.y[0], old.y), Math.max(box.y[1], old.y)];
      nb.x = [Math.min(nb.x[0], attrs.x), Math.max(nb.x[1], attrs.x)];
      nb.y = [Math.min(nb.y[0], attrs.y), Math.max(nb.y[1], attrs.y)];
    });
    var scale = Math.min((box.x[1] - box.x[0]) / ((nb.x[1] - nb.x[0]) || 1),
      (box.y[1] - box.y[0]) / ((nb.y[1] - nb.y[0]) || 1)) || 1;
    var cx = (box.x[0] + box.x[1]) / 2;
    var cy = (box.y[0] + box.y[1]) / 2;
    var ncx = (nb.x[0] + nb.x[1]) / 2;
    var ncy = (nb.y[0] + nb.y[1]) / 2;
    sub.forEachNode(function (node, attrs) {
      graph.mergeNodeAttributes(node, { x: cx + (attrs.x - ncx) * scale, y: cy + (attrs.y - ncy) * scale });
    });
    renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    renderer.refresh();
  }
  document.getElementById("kg-relayout").addEventListener("click", relayout);
  window.kgRelayout = relayout;

  // ---- export ----------------------------------------------------------------------------------
  function download(blob, filename) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  function pngCanvas() {
    renderer.refresh(); // draw now, so the WebGL buffers hold this frame while they are copied
    var layers = renderer.getCanvases();
    var w = container.offsetWidth;
    var h = container.offsetHeight;
    var ratio = window.devicePixelRatio || 1;
    var out = document.createElement("canvas");
    out.width = Math.round(w * ratio);
    out.height = Math.round(h * ratio);
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ["edges", "nodes", "edgeLabels", "labels", "hovers", "hoverNodes"].forEach(function (name) {
      if (layers[name]) { ctx.drawImage(layers[name], 0, 0, out.width, out.height); }
    });
    return out;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }
  function svgText() {
    renderer.refresh();
    var w = container.offsetWidth;
    var h = container.offsetHeight;
    var root = svgEl("svg", { xmlns: SVG, width: w, height: h, viewBox: "0 0 " + w + " " + h });
    root.appendChild(svgEl("rect", { x: 0, y: 0, width: w, height: h, fill: "#ffffff" }));
    var edgesG = svgEl("g", { "stroke-linecap": "round" });
    var nodesG = svgEl("g", { stroke: "#333333", "stroke-width": 0.5 });
    var labelsG = svgEl("g", { "font-family": "sans-serif", "font-size": 12, fill: "#1d1d1f" });
    function point(node) {
      var d = renderer.getNodeDisplayData(node);
      if (!d || d.hidden) { return null; }
      var p = renderer.framedGraphToViewport(d);
      return { x: p.x, y: p.y, r: renderer.scaleSize(d.size), color: d.color, label: d.label };
    }
    function onScreen(p) { return p.x > -50 && p.y > -50 && p.x < w + 50 && p.y < h + 50; }
    graph.forEachEdge(function (edge, attrs, s, t) {
      if (hiddenEdges[edge]) { return; }
      var a = point(s);
      var b = point(t);
      if (!a || !b || (!onScreen(a) && !onScreen(b))) { return; }
      var dim = focus !== null && !focus.edges[edge];
      edgesG.appendChild(svgEl("line", { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1),
        y2: b.y.toFixed(1), stroke: dim ? DIM_EDGE : (focus !== null ? "#111111" : attrs.color),
        "stroke-width": Math.max(0.5, attrs.size).toFixed(1) }));
    });
    var labelled = {};
    drawnLabels.forEach(function (n) { labelled[n] = true; });
    graph.forEachNode(function (node) {
      var p = point(node);
      if (!p || !onScreen(p)) { return; }
      var dim = focus !== null && !focus.nodes[node];
      var circle = svgEl("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: p.r.toFixed(1),
        fill: dim ? DIM_NODE : graph.getNodeAttribute(node, "color") });
      circle.appendChild(svgEl("title", {})).textContent = nameOf(node);
      nodesG.appendChild(circle);
      if (labelled[node] && !dim) {
        var left = labelLeft[node];  // drawn on the node's left (at the view's right edge)
        var text = svgEl("text", left
          ? { x: (p.x - p.r - 3).toFixed(1), y: (p.y + 4).toFixed(1), "text-anchor": "end" }
          : { x: (p.x + p.r + 3).toFixed(1), y: (p.y + 4).toFixed(1) });
        text.textContent = graph.getNodeAttribute(node, "label");
        labelsG.appendChild(text);
      }
    });
    root.appendChild(edgesG);
    root.appendChild(nodesG);
    root.appendChild(labelsG);
    return new XMLSerializer().serializeToString(root);
  }
  function exportView(kind) {
    if (kind === "svg") {
      var text = svgText();
      download(new Blob([text], { type: "image/svg+xml" }), "kg-" + data.view + ".svg");
      return text.length;
    }
    var canvas = pngCanvas();
    var url = canvas.toDataURL("image/png");
    canvas.toBlob(function (blob) { download(blob, "kg-" + data.view + ".png"); }, "image/png");
    return url.length;
  }
  document.getElementById("kg-export-png").addEventListener("click", function () { exportView("png"); });
  document.getElementById("kg-export-svg").addEventListener("click", function () { exportView("svg"); });
  window.kgExport = exportView;
  window.kgSnapshot = function () { return pngCanvas().toDataURL("image/png"); };

  // ---- legend and colour choice ---------------------------------------------------------------
  var colourSelect = document.getElementById("kg-colour-by");
  ["type", "community", "kind", "state_control", "country"].forEach(function (mode) {
    if (!hasValues(mode)) { return; }
    var option = el("option", colourModes[mode].label);
    option.value = mode;
    colourSelect.appendChild(option);
  });
  colourSelect.addEventListener("change", function () { setColourBy(colourSelect.value); });
  function renderColourLegend() {
    var list = document.getElementById("kg-legend-colours");
    clear(list);
    colourTable.order.forEach(function (v) {
      var li = el("li");
      var dot = el("span", null, "kg-dot");
      dot.style.background = colourTable.colour[v];
      li.appendChild(dot);
      li.appendChild(el("span", colourModes[colourBy].name(v) + " (" + colourTable.counts[v] + ")"));
      list.appendChild(li);
    });
    if (colourTable.rest) {
      var li = el("li");
      var dot = el("span", null, "kg-dot");
      dot.style.background = OTHER_COLOUR;
      li.appendChild(dot);
      li.appendChild(el("span", "other (" + colourTable.rest + ")"));
      list.appendChild(li);
    }
  }
  var legendEdges = document.getElementById("kg-legend-edges");
  var edgeTypesPresent = {};
  data.edges.forEach(function (e) { edgeTypesPresent[e.type] = true; });
  Object.keys(edgeStyles).forEach(function (type) {
    if (!edgeTypesPresent[type]) { return; }
    var st = edgeStyles[type];
    var li = el("li");
    var svg = svgEl("svg", { width: 18, height: 18, viewBox: "0 0 18 18", "class": "kg-swatch" });
    var line = svgEl("line", { x1: 1, y1: 9, x2: 13, y2: 9, stroke: st.color, "stroke-width": 2 });
    svg.appendChild(line);
    svg.appendChild(svgEl("polygon", { points: "12,5 17,9 12,13", fill: st.color }));
    li.appendChild(svg);
    li.appendChild(el("span", st.label));
    legendEdges.appendChild(li);
  });

  // Page state for tests and for anyone scripting the page: what is drawn right now.
  window.kgState = function () {
    return {
      nodesShown: data.nodes.filter(function (d) { return !hiddenNodes[d.id]; }).length,
      edgesShown: data.edges.filter(function (e) { return !hiddenEdges[e.id]; }).length,
      labels: drawnLabels.slice(),
      labelBoxes: drawnBoxes.slice(),
      colourBy: colourBy,
      focus: focus === null ? null : { nodes: Object.keys(focus.nodes).sort(),
        edges: Object.keys(focus.edges).sort() }
    };
  };
  window.kgFilters = { apply: applyFilters, reset: resetFilters };

  colourSelect.value = colourBy;
  renderCommunities();
  setColourBy(colourBy);
  applyFilters(true);
})();

/* kg graph page. Every piece of text from the data is set with textContent; links are made
   only for http(s) URLs, through the DOM `href` property. Nothing here fetches anything. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeStyles = data.nodeStyles;
  var edgeStyles = data.edgeStyles;
  var names = data.names || {};
  var articles = data.articles || {};
  var attributions = data.attributions || {};
  var LIST_MAX = 200;

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
      var span = el("span", text && text !== url ? text + " (" + url + ")" : url, "kg-url");
      return span;
    }
    var a = el("a", text || url, "kg-url");
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.referrerPolicy = "no-referrer";
    return a;
  }
  function nodeRef(id) {
    if (byId[id]) {
      var b = el("button", nameOf(id), "kg-node-link");
      b.type = "button";
      b.addEventListener("click", function () { focusNode(id); });
      return b;
    }
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

  // ---- vis data ------------------------------------------------------------------------------
  function nodeColor(type) {
    var c = (nodeStyles[type] || nodeStyles.other).color;
    return { background: c, border: "#333333", highlight: { background: c, border: "#000000" },
      hover: { background: c, border: "#000000" } };
  }
  function edgeStyle(e) { return edgeStyles[e.type] || edgeStyles.cites; }
  function edgeColor(e) {
    var c = edgeStyle(e).color;
    return { color: c, highlight: "#000000", hover: "#000000", inherit: false };
  }
  function edgeWidth(e) {
    var w = e.weight || 1;
    return Math.min(1 + 1.5 * Math.log2(w), 10);
  }
  var visNodes = data.nodes.map(function (n) {
    return { id: n.id, label: n.label, shape: (nodeStyles[n.type] || nodeStyles.other).shape,
      size: n.size, color: nodeColor(n.type) };
  });
  var visEdges = data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, color: edgeColor(e), dashes: !!edgeStyle(e).dashes,
      width: edgeWidth(e) };
  });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  window.kgStats = { nodes: nodes.length, edges: edges.length };
  window.kgReady = false;

  var n = nodes.length;
  var big = n > 1500;
  var iterations = n <= 300 ? 500 : n <= 1000 ? 250 : n <= 3000 ? 120 : n <= 8000 ? 70 : 40;
  var options = {
    autoResize: true,
    layout: { randomSeed: 7, improvedLayout: n <= 150 },
    physics: {
      enabled: n > 0,
      solver: "barnesHut",
      barnesHut: { gravitationalConstant: -5000, centralGravity: 0.3, springLength: 110,
        springConstant: 0.04, damping: 0.4, avoidOverlap: 0.05 },
      maxVelocity: 60,
      minVelocity: 1,
      timestep: 0.5,
      stabilization: { enabled: true, iterations: iterations, updateInterval: 10, fit: true }
    },
    interaction: { hover: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false,
      multiselect: false, navigationButtons: false, tooltipDelay: 150 },
    nodes: { borderWidth: 1, font: { size: 12, color: "#1d1d1f", strokeWidth: 3,
      strokeColor: "#ffffff", face: "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, selectionWidth: 1.5,
      hoverWidth: 0.5, smooth: big ? false : { enabled: true, type: "continuous", roundness: 0.3 } }
  };

  var container = document.getElementById("kg-network");
  var progress = document.getElementById("kg-progress");
  var tooltip = document.getElementById("kg-tooltip");
  var panel = document.getElementById("kg-panel");
  var network = new vis.Network(container, {}, options);
  window.kgNetwork = network;

  document.getElementById("kg-counts").textContent =
    plural(window.kgStats.nodes, "node") + ", " + plural(window.kgStats.edges, "edge") + " drawn";

  function markReady() {
    progress.hidden = true;
    network.once("afterDrawing", function () { window.kgReady = true; });
    network.redraw();
  }
  network.on("stabilizationProgress", function (p) {
    progress.textContent = "Laying out the graph… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    markReady();
  });
  network.setData({ nodes: nodes, edges: edges });
  if (n === 0) {
    progress.textContent = "This graph is empty.";
    window.kgReady = true;
  }

  // ---- hover label (plain text, our own element) ----------------------------------------------
  function showTooltip(text, pointer) {
    tooltip.textContent = text;
    tooltip.hidden = false;
    tooltip.style.left = (pointer.DOM.x + 14) + "px";
    tooltip.style.top = (pointer.DOM.y + 14) + "px";
  }
  function hideTooltip() { tooltip.hidden = true; }
  network.on("hoverNode", function (p) {
    var d = byId[p.node];
    if (!d) { return; }
    var st = nodeStyles[d.type] || nodeStyles.other;
    showTooltip(d.name + " — " + st.label + (d.cited ? " · cited " + d.cited + "×" : ""), p.pointer);
  });
  network.on("hoverEdge", function (p) {
    var e = edgeById[p.edge];
    if (!e) { return; }
    var count = e.evidence ? " (" + plural(e.evidence.length, "attribution") + ")" : "";
    var label = nameOf(e.from) + " → " + nameOf(e.to) + " · " + edgeStyle(e).label + count;
    // The first evidence sentence, shortened: the side panel (click) has all of them.
    var first = e.evidence && e.evidence.length ? attributions[e.evidence[0]] : null;
    if (first && first.sentence) {
      var sentence = first.sentence.replace(/\s+/g, " ").trim();
      if (sentence.length > 200) { sentence = sentence.slice(0, 199) + "…"; }
      label += "\n“" + sentence + "”";
    }
    showTooltip(label, p.pointer);
  });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) { network.on(ev, hideTooltip); });

  // ---- neighbourhood highlight ------------------------------------------------------------------
  // Dimming by rewriting every node's and edge's colour costs a DataSet update per item, which
  // takes seconds on big graphs. Instead, after vis draws a frame, veil it with translucent white
  // and draw the selected node's neighbourhood again on top (vis-network 9.1.2 Node/Edge.draw).
  var focusSet = null;
  function highlight(id) {
    var keepNodes = network.getConnectedNodes(id).slice();
    keepNodes.push(id);
    focusSet = { nodes: keepNodes, edges: network.getConnectedEdges(id) };
    network.redraw();
  }
  function unhighlight() {
    if (focusSet !== null) {
      focusSet = null;
      network.redraw();
    }
  }
  network.on("afterDrawing", function (ctx) {
    if (focusSet === null) { return; }
    var body = network.body;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "rgba(255, 255, 255, 0.82)";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
    focusSet.edges.forEach(function (eid) {
      var edge = body.edges[eid];
      if (edge && edge.connected && !edge.options.hidden) { edge.draw(ctx); edge.drawArrows(ctx); }
    });
    var labels = [];
    focusSet.nodes.forEach(function (nid) {
      var node = body.nodes[nid];
      if (node && !node.options.hidden) {
        var drawn = node.draw(ctx);
        if (drawn && drawn.drawExternalLabel) { labels.push(drawn.drawExternalLabel); }
      }
    });
    labels.forEach(function (draw) { draw(); });
  });

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
      var show = el("button", "show in graph", "kg-node-link");
      show.type = "button";
      show.addEventListener("click", function () { focusNode(aid); });
      wrap.appendChild(show);
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
    li.appendChild(dl);
    return li;
  }
  function cappedList(tag, items, render) {
    var list = el(tag, null, "kg-list");
    items.slice(0, LIST_MAX).forEach(function (x) { list.appendChild(render(x)); });
    if (items.length > LIST_MAX) {
      list.appendChild(el("li", "… and " + (items.length - LIST_MAX) + " more", "kg-meta"));
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

  function showNode(id) {
    var d = byId[id];
    if (!d) { return; }
    clear(panel);
    panel.appendChild(typeBadge(d.type));
    panel.appendChild(el("h3", d.name));
    var dl = el("dl");
    addRow(dl, "Type", (nodeStyles[d.type] || nodeStyles.other).label);
    addRow(dl, "Aliases", d.aliases ? d.aliases.join(", ") : "");
    addRow(dl, "Kind", d.kind);
    addRow(dl, "Country", d.country);
    if (d.affiliation) { addRow(dl, "Affiliation", nodeRef(d.affiliation)); }
    if (d.outlet) { addRow(dl, "Outlet", nodeRef(d.outlet)); }
    if (d.url) { addRow(dl, "URL", link(d.url, d.url)); }
    addRow(dl, "Published", d.published);
    addRow(dl, "File", d.path);
    var citedIn = d.citedIn || [];
    addRow(dl, "Cited", plural(d.cited, "time") + " in " +
      plural(groupByArticle(citedIn).length, "article"));
    addRow(dl, "Cites", plural(d.cites, "time"));
    panel.appendChild(dl);

    if (d.citesList && d.citesList.length) {
      panel.appendChild(el("h2", "Cites"));
      panel.appendChild(cappedList("ol", d.citesList, function (aid) {
        return evidenceBlock(aid, false, true);
      }));
    }
    if (d.publishedArticles && d.publishedArticles.length) {
      panel.appendChild(el("h2", "Articles published (" + d.publishedArticles.length + ")"));
      panel.appendChild(cappedList("ul", d.publishedArticles, function (aid) {
        var li = el("li");
        li.appendChild(articleBlock(aid));
        return li;
      }));
    }
    if (citedIn.length) {
      var groups = groupByArticle(citedIn);
      panel.appendChild(el("h2", "Cited in (" + groups.length + " articles)"));
      panel.appendChild(cappedList("ul", groups, function (g) {
        var li = el("li");
        li.appendChild(articleBlock(g.article));
        var inner = el("ul", null, "kg-list");
        g.ids.forEach(function (aid) { inner.appendChild(evidenceBlock(aid, false, false)); });
        li.appendChild(inner);
        return li;
      }));
    }
  }

  function showEdge(id) {
    var e = edgeById[id];
    if (!e) { return; }
    clear(panel);
    panel.appendChild(el("span", edgeStyle(e).label, "kg-meta"));
    var h = el("h3");
    h.appendChild(nodeRef(e.from));
    h.appendChild(el("span", " → "));
    h.appendChild(nodeRef(e.to));
    panel.appendChild(h);
    var dl = el("dl");
    addRow(dl, "Relation", edgeStyle(e).label);
    if (e.articles) { addRow(dl, "Backing articles", String(e.articles.length)); }
    if (e.evidence) { addRow(dl, "Attributions", String(e.evidence.length)); }
    addRow(dl, "Mentions", e.count);
    addRow(dl, "Mentioned as", e.text);
    panel.appendChild(dl);
    if (e.evidence && e.evidence.length) {
      panel.appendChild(el("h2", "Evidence"));
      panel.appendChild(cappedList("ol", e.evidence, function (aid) {
        return evidenceBlock(aid, true, e.type === "cites_derived");
      }));
    } else if (e.articles && e.articles.length) {
      panel.appendChild(el("h2", "Backing articles"));
      panel.appendChild(cappedList("ul", e.articles, function (aid) {
        var li = el("li");
        li.appendChild(articleBlock(aid));
        return li;
      }));
    }
    if (e.links && e.links.length) {
      panel.appendChild(el("h2", "Hyperlinks"));
      panel.appendChild(cappedList("ul", e.links, function (l) {
        var li = el("li");
        li.appendChild(link(l.url, l.text || l.url));
        return li;
      }));
    }
  }

  function resetPanel() {
    clear(panel);
    panel.appendChild(el("p", "Click a node or an edge to see its sources and evidence.", "kg-hint"));
  }

  network.on("click", function (p) {
    hideTooltip();
    if (p.nodes.length) {
      showNode(p.nodes[0]);
      highlight(p.nodes[0]);
    } else if (p.edges.length) {
      unhighlight();
      showEdge(p.edges[0]);
    } else {
      unhighlight();
      resetPanel();
    }
  });

  function focusNode(id) {
    if (!byId[id]) { return; }
    if (hiddenNodes[id]) { resetFilters(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(id);
    highlight(id);
  }
  window.kgFocus = focusNode;
  window.kgShowEdge = function (id) { unhighlight(); network.selectEdges([id]); showEdge(id); };

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
      var b = el("button", byId[id].name, null);
      b.type = "button";
      b.appendChild(el("span", " · " + (nodeStyles[byId[id].type] || nodeStyles.other).label,
        "kg-meta"));
      b.addEventListener("click", function () { focusNode(id); });
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
  var typeFilters = document.getElementById("kg-type-filters");
  var present = {};
  data.nodes.forEach(function (d) { present[d.type] = (present[d.type] || 0) + 1; });
  Object.keys(nodeStyles).forEach(function (type) {
    if (!present[type]) { return; }
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = type;
    box.addEventListener("change", applyFilters);
    typeBoxes[type] = box;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + nodeStyles[type].label + " (" + present[type] + ")"));
    typeFilters.appendChild(label);
  });
  var minCited = document.getElementById("kg-min-cited");
  var minCitedValue = document.getElementById("kg-min-cited-value");
  var maxCited = 0;
  data.nodes.forEach(function (d) { if (d.cited > maxCited) { maxCited = d.cited; } });
  minCited.max = String(maxCited);
  minCited.addEventListener("input", applyFilters);
  var hiddenNodes = {};
  var hiddenEdges = {};

  function applyFilters() {
    var min = parseInt(minCited.value, 10) || 0;
    minCitedValue.textContent = String(min);
    var nodeUpdates = [];
    data.nodes.forEach(function (d) {
      var box = typeBoxes[d.type];
      var hide = (box && !box.checked) || (d.type !== "article" && d.cited < min);
      if (hide !== !!hiddenNodes[d.id]) {
        if (hide) { hiddenNodes[d.id] = true; } else { delete hiddenNodes[d.id]; }
        nodeUpdates.push({ id: d.id, hidden: hide });
      }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var hide = !!(hiddenNodes[e.from] || hiddenNodes[e.to]);
      if (hide !== !!hiddenEdges[e.id]) {
        if (hide) { hiddenEdges[e.id] = true; } else { delete hiddenEdges[e.id]; }
        edgeUpdates.push({ id: e.id, hidden: hide });
      }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
  }
  function resetFilters() {
    Object.keys(typeBoxes).forEach(function (t) { typeBoxes[t].checked = true; });
    minCited.value = "0";
    applyFilters();
  }

  // ---- legend (inline SVG drawn from the same styles as the graph) ---------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  var SHAPES = {
    dot: function (c) { return svgEl("circle", { cx: 9, cy: 9, r: 7, fill: c }); },
    square: function (c) { return svgEl("rect", { x: 2, y: 2, width: 14, height: 14, fill: c }); },
    triangle: function (c) { return svgEl("polygon", { points: "9,1 17,16 1,16", fill: c }); },
    triangleDown: function (c) { return svgEl("polygon", { points: "1,2 17,2 9,17", fill: c }); },
    diamond: function (c) { return svgEl("polygon", { points: "9,1 17,9 9,17 1,9", fill: c }); },
    star: function (c) {
      return svgEl("polygon", { points: "9,1 11.4,6.6 17,7 12.8,10.8 14,16.5 9,13.5 4,16.5 5.2,10.8 1,7 6.6,6.6", fill: c });
    }
  };
  var legendNodes = document.getElementById("kg-legend-nodes");
  Object.keys(nodeStyles).forEach(function (type) {
    var st = nodeStyles[type];
    var li = el("li");
    var svg = svgEl("svg", { width: 18, height: 18, viewBox: "0 0 18 18", "class": "kg-swatch" });
    svg.appendChild((SHAPES[st.shape] || SHAPES.dot)(st.color));
    li.appendChild(svg);
    li.appendChild(el("span", st.label + (present[type] ? "" : " (none)")));
    legendNodes.appendChild(li);
  });
  var legendEdges = document.getElementById("kg-legend-edges");
  var edgeTypesPresent = {};
  data.edges.forEach(function (e) { edgeTypesPresent[e.type] = true; });
  Object.keys(edgeStyles).forEach(function (type) {
    if (!edgeTypesPresent[type]) { return; }
    var st = edgeStyles[type];
    var li = el("li");
    var svg = svgEl("svg", { width: 18, height: 18, viewBox: "0 0 18 18", "class": "kg-swatch" });
    var line = svgEl("line", { x1: 1, y1: 9, x2: 13, y2: 9, stroke: st.color, "stroke-width": 2 });
    if (st.dashes) { line.setAttribute("stroke-dasharray", "3,2"); }
    svg.appendChild(line);
    svg.appendChild(svgEl("polygon", { points: "12,5 17,9 12,13", fill: st.color }));
    li.appendChild(svg);
    li.appendChild(el("span", st.label));
    legendEdges.appendChild(li);
  });
})();

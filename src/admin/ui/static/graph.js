// Draws the associations graph (nodes + edges JSON from /documents/{id}/associations) as inline SVG:
// SubmissionSets and Folders on the left, the document and its versions in the middle, related documents
// (RPLC / APND / XFRM / signs targets and sources) on the right.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 230, H = 48, GAP_Y = 26, COL_X = [20, 360, 700], TOP = 20;

  function el(name, attrs, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function clip(s, n) { return s && s.length > n ? s.slice(0, n - 1) + '…' : s || ''; }

  function layout(graph) {
    const versionOfFocus = new Set([graph.focus]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const e of graph.edges) {
        if (e.type !== 'version') continue;
        if (versionOfFocus.has(e.source) !== versionOfFocus.has(e.target)) { versionOfFocus.add(e.source); versionOfFocus.add(e.target); grew = true; }
      }
    }
    const cols = [[], [], []];
    for (const n of graph.nodes) {
      const c = n.kind === 'SubmissionSet' || n.kind === 'Folder' ? 0 : versionOfFocus.has(n.id) ? 1 : 2;
      cols[c].push(n);
    }
    cols[0].sort((a, b) => a.kind.localeCompare(b.kind));
    cols[1].sort((a, b) => (b.version || 0) - (a.version || 0));
    const pos = new Map();
    cols.forEach((list, c) => list.forEach((n, i) => pos.set(n.id, { x: COL_X[c], y: TOP + i * (H + GAP_Y) })));
    const rows = Math.max(1, ...cols.map((l) => l.length));
    return { pos, height: TOP * 2 + rows * (H + GAP_Y) };
  }

  /** the point where the line from a's centre towards b leaves a's box. */
  function anchor(a, b) {
    const ax = a.x + W / 2, ay = a.y + H / 2, bx = b.x + W / 2, by = b.y + H / 2;
    if (Math.abs(ax - bx) < 1) return { x: ax, y: by > ay ? a.y + H : a.y };
    return { x: bx > ax ? a.x + W : a.x, y: ay };
  }

  window.drawAssociationGraph = function (graph, onOpen) {
    const { pos, height } = layout(graph);
    const svg = el('svg', { class: 'graph', viewBox: `0 0 960 ${height}`, role: 'img', 'aria-label': 'associations graph' });
    const defs = el('defs');
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
    marker.appendChild(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#7b8794' }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    for (const e of graph.edges) {
      const a = pos.get(e.source), b = pos.get(e.target);
      if (!a || !b) continue;
      const p = anchor(a, b), q = anchor(b, a);
      const g = el('g', { class: `edge ${e.type}`, 'data-type': e.type });
      g.appendChild(el('line', { x1: p.x, y1: p.y, x2: q.x, y2: q.y, 'marker-end': 'url(#arrow)' }));
      const mx = (p.x + q.x) / 2, my = (p.y + q.y) / 2 - 4;
      g.appendChild(el('text', { x: mx, y: my, 'text-anchor': 'middle' }, e.type));
      svg.appendChild(g);
    }
    for (const n of graph.nodes) {
      const p = pos.get(n.id);
      const g = el('g', { class: `node ${n.kind}${n.focus ? ' focus' : ''}`, 'data-id': n.id, transform: `translate(${p.x},${p.y})`, tabindex: 0 });
      g.appendChild(el('title', {}, `${n.kind} ${n.uniqueId || ''} (${n.status})`));
      g.appendChild(el('rect', { width: W, height: H }));
      g.appendChild(el('text', { x: 10, y: 18, class: 'kind' }, `${n.kind}${n.version ? ' v' + n.version : ''} · ${n.status}`));
      g.appendChild(el('text', { x: 10, y: 36 }, clip(n.label, 32)));
      g.style.cursor = 'pointer';
      g.addEventListener('click', () => onOpen(n));
      svg.appendChild(g);
    }
    return svg;
  };
})();

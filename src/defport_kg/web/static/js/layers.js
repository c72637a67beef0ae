/* Positions for a supply tree drawn in columns: the system on the left, each tier one column to
   the right. A supply tree is a layered picture by nature (what the system needs, who makes it,
   what they need in turn); a force or circle layout of 150 nodes hides that and crosses every
   edge. Within a column the order comes from the barycentre heuristic (Sugiyama et al. 1981):
   each node moves towards the mean place of its neighbours in the column before, then after,
   which removes most crossings in a few sweeps. Pure function, no Cytoscape needed. */
(function () {
  "use strict";

  /* Nodes: [{id, depth}] in the order to start from; edges: [{source, target}] (either direction
     across columns; edges within one column do not move anything). Returns {id: {x, y}}. */
  function layeredPositions(nodes, edges, options) {
    const opts = Object.assign({ columnGap: 230, rowGap: 36, sweeps: 4 }, options || {});
    const depth = new Map(nodes.map((n) => [n.id, n.depth || 0]));
    const columns = new Map();
    for (const n of nodes) {
      const d = depth.get(n.id);
      if (!columns.has(d)) columns.set(d, []);
      columns.get(d).push(n.id);
    }
    const order = Array.from(columns.keys()).sort((a, b) => a - b);
    const before = new Map(nodes.map((n) => [n.id, []]));
    const after = new Map(nodes.map((n) => [n.id, []]));
    for (const e of edges) {
      if (!depth.has(e.source) || !depth.has(e.target)) continue;
      const [low, high] = depth.get(e.source) <= depth.get(e.target) ? [e.source, e.target] : [e.target, e.source];
      if (depth.get(low) === depth.get(high)) continue;
      after.get(low).push(high);
      before.get(high).push(low);
    }
    const place = new Map();
    const settle = (column) => column.forEach((id, i) => place.set(id, i - (column.length - 1) / 2));
    for (const d of order) settle(columns.get(d));

    function sweep(sequence, neighbours) {
      for (const d of sequence) {
        const column = columns.get(d);
        const centre = new Map();
        for (const id of column) {
          const others = neighbours.get(id);
          centre.set(id, others.length ? others.reduce((sum, o) => sum + place.get(o), 0) / others.length : place.get(id));
        }
        // Array.prototype.sort is stable: equal centres keep their order (labels, from the server).
        column.sort((a, b) => centre.get(a) - centre.get(b));
        settle(column);
      }
    }
    for (let i = 0; i < opts.sweeps; i++) {
      sweep(order.slice(1), before);
      sweep(order.slice(0, -1).reverse(), after);
    }
    const positions = {};
    order.forEach((d, column) => {
      for (const id of columns.get(d)) positions[id] = { x: column * opts.columnGap, y: place.get(id) * opts.rowGap };
    });
    return positions;
  }

  /* How many pairs of edges between neighbouring columns cross: what the layout tries to lower. */
  function crossings(positions, edges) {
    const spans = [];
    for (const e of edges) {
      const a = positions[e.source];
      const b = positions[e.target];
      if (!a || !b || a.x === b.x) continue;
      spans.push(a.x < b.x ? [a, b] : [b, a]);
    }
    let count = 0;
    for (let i = 0; i < spans.length; i++) {
      for (let j = i + 1; j < spans.length; j++) {
        const [p, q] = spans[i];
        const [r, s] = spans[j];
        if (p.x !== r.x || q.x !== s.x) continue;
        if ((p.y - r.y) * (q.y - s.y) < 0) count++;
      }
    }
    return count;
  }

  window.DPLayers = { layeredPositions: layeredPositions, crossings: crossings };
})();

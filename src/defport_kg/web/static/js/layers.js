/* Positions for a supply tree drawn in columns: the system on the left, what it needs, who makes
   that and what they need in turn one column further right each. A supply tree is a layered picture by nature (what the system needs, who makes it,
   what they need in turn); a force or circle layout of 150 nodes hides that and crosses every
   edge. Within a column the order comes from the barycentre heuristic (Sugiyama et al. 1981):
   each node moves towards the mean place of its neighbours in the column before, then after,
   which removes most crossings in a few sweeps. Pure function, no Cytoscape needed. */
(function () {
  "use strict";

  /* The column of each node: the longest chain of edges from the system (or any node nothing
     points to), so edges point right. The tier (shortest chain, `depth`) would put a supplier in the
     same column as an item it makes when it was first met higher up, and draw the edge through the
     nodes between them. Inputs can loop (a bearing maker needs steel whose maker needs bearings):
     a depth-first walk from the roots finds the edges that close a loop, and the chains ignore
     them, so only those edges point left. */
  function longestPathLayers(nodes, edges) {
    const next = new Map(nodes.map((n) => [n.id, []]));
    const pointedTo = new Set();
    for (const e of edges) {
      if (!next.has(e.source) || !next.has(e.target) || e.source === e.target) continue;
      next.get(e.source).push(e.target);
      pointedTo.add(e.target);
    }
    const roots = nodes.filter((n) => !pointedTo.has(n.id)).map((n) => n.id);
    const state = new Map(); // 1: on the walk's path, 2: done
    const finished = []; // reverse topological order of the edges kept
    const kept = new Map(nodes.map((n) => [n.id, []]));
    for (const start of roots.concat(nodes.map((n) => n.id))) {
      if (state.has(start)) continue;
      const stack = [[start, 0]];
      state.set(start, 1);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const [id, i] = top;
        const targets = next.get(id);
        if (i === targets.length) {
          stack.pop();
          state.set(id, 2);
          finished.push(id);
          continue;
        }
        top[1] = i + 1;
        const target = targets[i];
        if (state.get(target) === 1) continue; // closes a loop: not a chain
        kept.get(id).push(target);
        if (!state.has(target)) {
          state.set(target, 1);
          stack.push([target, 0]);
        }
      }
    }
    const layer = new Map(nodes.map((n) => [n.id, 0]));
    for (let k = finished.length - 1; k >= 0; k--) {
      const id = finished[k];
      for (const target of kept.get(id)) layer.set(target, Math.max(layer.get(target), layer.get(id) + 1));
    }
    return layer;
  }

  /* Nodes: [{id}] in the order to start from; edges: [{source, target}] (either direction
     across columns; edges within one column do not move anything). Returns {id: {x, y}}. */
  function layeredPositions(nodes, edges, options) {
    const opts = Object.assign({ columnGap: 150, rowGap: 58, sweeps: 4 }, options || {});
    const layerOf = longestPathLayers(nodes, edges);
    const columns = new Map();
    for (const n of nodes) {
      const d = layerOf.get(n.id);
      if (!columns.has(d)) columns.set(d, []);
      columns.get(d).push(n.id);
    }
    const order = Array.from(columns.keys()).sort((a, b) => a - b);
    const before = new Map(nodes.map((n) => [n.id, []]));
    const after = new Map(nodes.map((n) => [n.id, []]));
    for (const e of edges) {
      if (!layerOf.has(e.source) || !layerOf.has(e.target)) continue;
      const [low, high] = layerOf.get(e.source) <= layerOf.get(e.target) ? [e.source, e.target] : [e.target, e.source];
      if (layerOf.get(low) === layerOf.get(high)) continue;
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

  window.DPLayers = { layeredPositions: layeredPositions, longestPathLayers: longestPathLayers, crossings: crossings };
})();

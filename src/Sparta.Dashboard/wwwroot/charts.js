// Interaction on the server's SVG charts, with nothing but the data the marks carry (see
// src/Sparta/Charts/README.md): hovering shows the nearest mark's values (the server leaves out the
// reports' per-mark <title> tooltips: this reads the same values from the data-* attributes), dragging over a plot
// zooms to that range (the server draws the chart again on it, so every mark still carries its
// data): across to zoom on x, up or down to zoom on y, a box for both; "reset zoom" or a double click
// zooms back out), and clicking a legend entry hides or shows its series.
'use strict';

const Charts = (() => {
  /** x (or y) of a plot area: data to a fraction of its width (height from the bottom) and back, linear or log. */
  function scale(area, axis) {
    const log = area.dataset[`${axis}Scale`] === 'log';
    const t = v => (log ? Math.log10(v) : v);
    const min = t(Number(area.dataset[`${axis}Min`])), max = t(Number(area.dataset[`${axis}Max`]));
    return {
      fraction: v => (t(v) - min) / (max - min),
      value: f => { const v = min + f * (max - min); return log ? 10 ** v : v; },
    };
  }

  /**
   * Where a plot area is on the screen: its own rectangle (x, y, width, height) carried to the page by
   * the chart's transform. Not its bounding box, which also covers whatever is drawn past its edges
   * (parallel coordinates' axis names above it, the circle of a point on its border).
   */
  function plotBox(area) {
    const m = area.parentNode.getScreenCTM();
    const x = area.x.baseVal.value, y = area.y.baseVal.value;
    const a = new DOMPoint(x, y).matrixTransform(m), b = new DOMPoint(x + area.width.baseVal.value, y + area.height.baseVal.value).matrixTransform(m);
    return { left: a.x, top: a.y, right: b.x, bottom: b.y, width: b.x - a.x, height: b.y - a.y };
  }

  /** Each plot area's marks as points in its own units, made on the first hover after the chart is drawn or its series shown or hidden. */
  const pointsOf = new WeakMap();

  /** Every shown mark of a plot area as points in the area's units: a line's drawn points, a circle's centre. */
  function points(area) {
    if (!area.dataset.xScale) return [];
    if (pointsOf.has(area)) return pointsOf.get(area);
    const x = scale(area, 'x'), y = scale(area, 'y'), width = area.width.baseVal.value, height = area.height.baseVal.value;
    const found = [];
    for (const mark of area.querySelectorAll('.mark')) {
      if (mark.style.display === 'none') continue;
      const series = mark.dataset.series ?? '';
      if (mark.classList.contains('line')) {
        const xs = (mark.dataset.x ?? '').split(' ').map(Number), ys = (mark.dataset.y ?? '').split(' ').map(Number);
        for (let i = 0; i < xs.length; i++)
          found.push({ series, x: xs[i], y: ys[i], at: [x.fraction(xs[i]) * width, height - y.fraction(ys[i]) * height] });
      } else if (mark.dataset.x !== undefined && mark.dataset.y !== undefined && mark.cx) {
        found.push({ series, x: Number(mark.dataset.x), y: Number(mark.dataset.y), trial: mark.dataset.trial, state: mark.dataset.state,
          count: Number(mark.dataset.count ?? 1), at: [mark.cx.baseVal.value, mark.cy.baseVal.value] });
      }
    }
    pointsOf.set(area, found);
    return found;
  }

  /** The point of `area` nearest the mouse within 40 pixels, with where it is on the screen; null when none is that near. */
  function nearest(area, event) {
    const toScreen = area.getScreenCTM();
    if (!toScreen) return null;
    const mouse = new DOMPoint(event.clientX, event.clientY).matrixTransform(toScreen.inverse());
    const pixels = Math.hypot(toScreen.a, toScreen.b); // screen pixels per unit of the area
    let best = null, distance = Infinity;
    for (const p of points(area)) {
      // A trial's point wins over a line drawn through the same place, to within a pixel (the best value so far passes through each best trial).
      const d = (p.at[0] - mouse.x) ** 2 + (p.at[1] - mouse.y) ** 2 - (p.trial !== undefined ? 1 : 0);
      if (d < distance) { best = p; distance = d; }
    }
    if (!best || Math.sqrt(Math.max(distance, 0)) * pixels > 40) return null;
    const at = new DOMPoint(best.at[0], best.at[1]).matrixTransform(toScreen);
    return { ...best, left: at.x, top: at.y };
  }

  function areaAt(svg, event) {
    for (const area of svg.querySelectorAll('svg.plot-area')) {
      const b = plotBox(area);
      if (event.clientX >= b.left && event.clientX <= b.right && event.clientY >= b.top && event.clientY <= b.bottom) return area;
    }
    return null;
  }

  function short(v) { return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+(e|$)/, '$1'); }

  /** What hovering a point says: its trial (or series), its values (a category by its name), its state, and how many trials a binned mark stands for. */
  function describe(p, area) {
    const categories = area.dataset.xCategories ? JSON.parse(area.dataset.xCategories) : null;
    const x = categories?.[p.x] ?? short(p.x);
    const state = p.state && p.state !== 'complete' ? ` (${p.state})` : '';
    const more = p.count > 1 ? `; ${p.count - 1} more nearby` : '';
    return `${p.trial !== undefined ? `trial ${p.trial}` : p.series || 'value'}: x=${x}, y=${short(p.y)}${state}${more}`;
  }

  /** What hovering a mark that is not a point says: a bar's category and value, a parallel-coordinates line's trial and objective. */
  function describeMark(mark) {
    if (mark.dataset.category !== undefined) return `${mark.dataset.category}: ${short(Number(mark.dataset.value))}`;
    if (mark.dataset.objective !== undefined) return `trial ${mark.dataset.trial}: ${short(Number(mark.dataset.objective))}`;
    return null;
  }

  /** A legend entry stands for the marks of its series; a scatter series' entry "S (state)" for its marks in that state. */
  function matches(mark, label) {
    const series = mark.dataset.series;
    return series === label || (mark.dataset.state !== undefined && `${series} (${mark.dataset.state})` === label);
  }

  function applyHidden(container) {
    const hidden = container.hiddenSeries;
    for (const entry of container.querySelectorAll('g.legend-entry')) {
      const off = hidden.has(entry.dataset.series);
      entry.classList.toggle('off', off);
      entry.style.opacity = off ? '0.35' : '';
    }
    // Nothing to hide or show (a chart just drawn, nothing hidden): its marks are left untouched.
    if (hidden.size === 0 && !container.someHidden) return;
    container.someHidden = hidden.size > 0;
    for (const mark of container.querySelectorAll('.mark[data-series]')) {
      const off = [...hidden].some(label => matches(mark, label));
      mark.style.display = off ? 'none' : '';
    }
    for (const area of container.querySelectorAll('svg.plot-area')) pointsOf.delete(area); // hovering finds the marks now shown
  }

  const MIN_DRAG_PX = 5; // a drag shorter than this along an axis leaves that axis as it is

  /** The part of the plot a drag from `start` to `end` covers: an axis dragged less than MIN_DRAG_PX along keeps its whole span. */
  function dragged(box, start, end) {
    const clamp = (v, lo, hi) => Math.max(lo, Math.min(v, hi));
    const x0 = start.x, x1 = clamp(end.x, box.left, box.right), y0 = start.y, y1 = clamp(end.y, box.top, box.bottom);
    const alongX = Math.abs(x1 - x0) >= MIN_DRAG_PX, alongY = Math.abs(y1 - y0) >= MIN_DRAG_PX;
    return {
      alongX, alongY,
      left: alongX ? Math.min(x0, x1) : box.left, right: alongX ? Math.max(x0, x1) : box.right,
      top: alongY ? Math.min(y0, y1) : box.top, bottom: alongY ? Math.max(y0, y1) : box.bottom,
    };
  }

  function setup(container) {
    container.hiddenSeries = new Set();
    container.classList.add('interactive');
    const tip = document.createElement('div');
    tip.className = 'tooltip';
    tip.hidden = true;
    const band = document.createElement('div');
    band.className = 'zoom-band';
    band.hidden = true;
    const reset = document.createElement('button');
    reset.className = 'zoom-reset';
    reset.textContent = 'reset zoom';
    reset.hidden = true;
    reset.addEventListener('click', () => zoom(container, null));
    container.append(tip, band, reset);
    let drag = null;

    container.addEventListener('click', e => {
      const entry = e.target.closest('g.legend-entry');
      if (!entry) return;
      const label = entry.dataset.series;
      if (container.hiddenSeries.has(label)) container.hiddenSeries.delete(label); else container.hiddenSeries.add(label);
      applyHidden(container);
    });

    container.addEventListener('mousemove', e => {
      const svg = container.querySelector('svg.chart');
      const area = svg && areaAt(svg, e);
      const outer = container.getBoundingClientRect();
      if (drag) {
        const r = dragged(drag.box, drag.start, { x: e.clientX, y: e.clientY });
        band.style.left = `${r.left - outer.left}px`;
        band.style.width = `${r.right - r.left}px`;
        band.style.top = `${r.top - outer.top}px`;
        band.style.height = `${r.bottom - r.top}px`;
        band.hidden = !(r.alongX || r.alongY);
        return;
      }
      const hovered = e.target.closest?.('.mark');
      const text = hovered && describeMark(hovered);
      if (text) {
        tip.textContent = text;
        for (const key of ['series', 'x', 'y']) delete tip.dataset[key];
        tip.style.left = `${e.clientX - outer.left + 10}px`;
        tip.style.top = `${e.clientY - outer.top - 28}px`;
        tip.hidden = false;
        return;
      }
      const best = area && nearest(area, e);
      if (!best) { tip.hidden = true; return; }
      tip.textContent = describe(best, area);
      tip.dataset.series = best.series;
      tip.dataset.x = String(best.x);
      tip.dataset.y = String(best.y);
      tip.style.left = `${best.left - outer.left + 10}px`;
      tip.style.top = `${best.top - outer.top - 28}px`;
      tip.hidden = false;
    });
    container.addEventListener('mouseleave', () => { tip.hidden = true; });

    container.addEventListener('mousedown', e => {
      const svg = container.querySelector('svg.chart');
      const area = svg && container.dataset.zoomable === 'true' ? areaAt(svg, e) : null;
      if (!area || e.target.closest('g.legend-entry')) return;
      e.preventDefault();
      drag = { area, start: { x: e.clientX, y: e.clientY }, box: plotBox(area) };
    });
    window.addEventListener('mouseup', async e => {
      if (!drag) return;
      const { area, start, box } = drag;
      drag = null;
      band.hidden = true;
      const r = dragged(box, start, { x: e.clientX, y: e.clientY });
      if (!r.alongX && !r.alongY) return;
      const x = scale(area, 'x'), y = scale(area, 'y');
      // Zooming again narrows the range zoomed to: an axis not dragged along keeps its zoom.
      await zoom(container, {
        x: r.alongX ? [x.value((r.left - box.left) / box.width), x.value((r.right - box.left) / box.width)] : container.range?.x ?? null,
        y: r.alongY ? [y.value((box.bottom - r.bottom) / box.height), y.value((box.bottom - r.top) / box.height)] : container.range?.y ?? null,
      });
    });
    container.addEventListener('dblclick', () => { if (container.range) zoom(container, null); });
  }

  async function zoom(container, range) {
    container.range = range;
    container.dataset.signature = '';
    await container.redraw?.();
  }

  /** The query a zoomed chart adds to its address: x_min, x_max, y_min, y_max for the axes zoomed. */
  function rangeQuery(range) {
    const q = new URLSearchParams();
    for (const axis of ['x', 'y'])
      if (range?.[axis]) { q.set(`${axis}_min`, String(range[axis][0])); q.set(`${axis}_max`, String(range[axis][1])); }
    return q.toString();
  }

  /**
   * Puts the SVG at `url` into `container` when `signature` (a fingerprint of the data it draws) or
   * the zoom changed, keeping what the reader chose: hidden series and the zoomed range. A null
   * signature asks for the chart now and takes its fingerprint from the answer (X-Data-Version), so a
   * page can ask for its charts before it knows the fingerprints.
   */
  async function show(container, url, signature, zoomable = true) {
    if (!container.hiddenSeries) setup(container);
    container.dataset.zoomable = String(zoomable);
    container.redraw = () => show(container, url, signature, zoomable);
    const zoomed = rangeQuery(container.range);
    const range = zoomed ? `${url.includes('?') ? '&' : '?'}${zoomed}` : '';
    if (signature !== null && container.dataset.signature === `${signature}|${url}${range}`) return;
    const r = await fetch(url + range, { cache: 'no-store' });
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    const svg = await r.text();
    for (const old of container.querySelectorAll('svg.chart')) old.remove();
    container.insertAdjacentHTML('afterbegin', svg);
    container.dataset.signature = `${signature ?? r.headers.get('X-Data-Version')}|${url}${range}`;
    container.dataset.zoomed = String(Boolean(zoomed));
    container.querySelector('.zoom-reset').hidden = !zoomed;
    container.querySelector('.tooltip').hidden = true; // it named a mark of the chart just replaced
    applyHidden(container);
  }

  return { show, scale, plotBox };
})();

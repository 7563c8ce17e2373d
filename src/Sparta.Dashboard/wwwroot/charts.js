// Interaction on the server's SVG charts, with nothing but the data the marks carry (see
// src/Sparta/Charts/README.md): hovering shows the nearest mark's values, dragging across a plot
// zooms to that x range (the server draws the chart again on it, so every mark still carries its
// data; a double click zooms back out), and clicking a legend entry hides or shows its series.
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

  /** Every mark of a plot area as points on the screen: a line's drawn points, a circle's centre. */
  function points(area) {
    const box = area.getBoundingClientRect();
    if (!area.dataset.xScale || box.width === 0) return [];
    const x = scale(area, 'x'), y = scale(area, 'y');
    const found = [];
    for (const mark of area.querySelectorAll('.mark')) {
      if (mark.style.display === 'none') continue;
      const series = mark.dataset.series ?? '';
      if (mark.classList.contains('line')) {
        const xs = (mark.dataset.x ?? '').split(' ').map(Number), ys = (mark.dataset.y ?? '').split(' ').map(Number);
        for (let i = 0; i < xs.length; i++)
          found.push({ series, x: xs[i], y: ys[i], left: box.left + x.fraction(xs[i]) * box.width, top: box.bottom - y.fraction(ys[i]) * box.height });
      } else if (mark.dataset.x !== undefined && mark.dataset.y !== undefined) {
        const b = mark.getBoundingClientRect();
        found.push({ series, x: Number(mark.dataset.x), y: Number(mark.dataset.y), trial: mark.dataset.trial, left: b.left + b.width / 2, top: b.top + b.height / 2 });
      }
    }
    return found;
  }

  function areaAt(svg, event) {
    for (const area of svg.querySelectorAll('svg.plot-area')) {
      const b = area.getBoundingClientRect();
      if (event.clientX >= b.left && event.clientX <= b.right && event.clientY >= b.top && event.clientY <= b.bottom) return area;
    }
    return null;
  }

  function short(v) { return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+(e|$)/, '$1'); }

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
    for (const mark of container.querySelectorAll('.mark[data-series]')) {
      const off = [...hidden].some(label => matches(mark, label));
      mark.style.display = off ? 'none' : '';
    }
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
    container.append(tip, band);
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
        const left = Math.max(drag.box.left, Math.min(e.clientX, drag.box.right));
        band.style.left = `${Math.min(drag.start, left) - outer.left}px`;
        band.style.width = `${Math.abs(left - drag.start)}px`;
        band.style.top = `${drag.box.top - outer.top}px`;
        band.style.height = `${drag.box.height}px`;
        band.hidden = false;
        return;
      }
      if (!area) { tip.hidden = true; return; }
      let best = null, distance = Infinity;
      for (const p of points(area)) {
        const d = (p.left - e.clientX) ** 2 + (p.top - e.clientY) ** 2;
        if (d < distance) { best = p; distance = d; }
      }
      if (!best || distance > 40 ** 2) { tip.hidden = true; return; }
      tip.textContent = `${best.trial !== undefined ? `trial ${best.trial}` : best.series || 'value'}: x=${short(best.x)}, y=${short(best.y)}`;
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
      drag = { area, start: e.clientX, box: area.getBoundingClientRect() };
    });
    window.addEventListener('mouseup', async e => {
      if (!drag) return;
      const { area, start, box } = drag;
      drag = null;
      band.hidden = true;
      const end = Math.max(box.left, Math.min(e.clientX, box.right));
      if (Math.abs(end - start) < 5) return;
      const x = scale(area, 'x');
      const from = x.value((Math.min(start, end) - box.left) / box.width), to = x.value((Math.max(start, end) - box.left) / box.width);
      await zoom(container, [from, to]);
    });
    container.addEventListener('dblclick', () => { if (container.range) zoom(container, null); });
  }

  async function zoom(container, range) {
    container.range = range;
    container.dataset.signature = '';
    await container.redraw?.();
  }

  /**
   * Puts the SVG at `url` into `container` when `signature` (the data it draws) or the zoom changed,
   * keeping what the reader chose: hidden series and the zoomed range.
   */
  async function show(container, url, signature, zoomable = true) {
    if (!container.hiddenSeries) setup(container);
    container.dataset.zoomable = String(zoomable);
    container.redraw = () => show(container, url, signature, zoomable);
    const range = container.range ? `${url.includes('?') ? '&' : '?'}x_min=${container.range[0]}&x_max=${container.range[1]}` : '';
    const key = `${signature}|${url}${range}`;
    if (container.dataset.signature === key) return;
    const r = await fetch(url + range, { cache: 'no-store' });
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    const svg = await r.text();
    for (const old of container.querySelectorAll('svg.chart')) old.remove();
    container.insertAdjacentHTML('afterbegin', svg);
    container.dataset.signature = key;
    container.dataset.zoomed = String(Boolean(container.range));
    container.querySelector('.tooltip').hidden = true; // it named a mark of the chart just replaced
    applyHidden(container);
  }

  return { show, scale };
})();

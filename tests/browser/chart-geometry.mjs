// Checks where the page takes a chart's plot to be when it reads the mouse (hover and zoom):
//   node chart-geometry.mjs URL STUDY
// On STUDY's page, for every plot area: the rectangle the page's script maps the mouse through
// (Charts.plotBox), the one its own SVG attributes give (x, y, width and height from the chart's
// corner: the charts are drawn at their own size), and its bounding box, which also covers whatever
// is drawn past its edges (axis names, a point's circle on the border). Then, on the optimization
// history, hovers a point at its centre and reads the tooltip, and drags a box from one whole pixel to
// another: prints the ranges the chart was drawn again on beside the values those pixels stand for
// by the SVG's attributes. Prints JSON; fails with one line otherwise.
import { launch, run, check, openPage, plotRect, WAIT_MS } from './browser.mjs';

const [url, study] = process.argv.slice(2);
const TIMEOUT = { timeout: WAIT_MS };
const CHARTS = ['history', 'intermediate', 'parallel', 'slices', 'importance'];

run(async () => {
  check(url && study, 'usage: node chart-geometry.mjs URL STUDY');
  const browser = await launch();
  try {
    const page = await openPage(browser, { width: 1300, height: 1000 });
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(`${url}#/study/${encodeURIComponent(study)}`);
    for (const id of CHARTS) await page.waitForSelector(`#${id}-chart svg .mark`, TIMEOUT);

    const areas = await page.$$eval('svg.plot-area', all => all.map(area => {
      const corner = area.ownerSVGElement.getBoundingClientRect();
      const own = { left: corner.left + area.x.baseVal.value, top: corner.top + area.y.baseVal.value, width: area.width.baseVal.value, height: area.height.baseVal.value };
      const b = area.getBoundingClientRect(), used = Charts.plotBox(area);
      return { chart: area.closest('div.chart').id, own, used: { left: used.left, top: used.top, width: used.width, height: used.height },
        bounds: { left: b.left, top: b.top, width: b.width, height: b.height } };
    }));

    const history = '#history-chart';
    await page.$eval(history, c => c.scrollIntoView({ block: 'start' }));
    const plot = await plotRect(page, history);
    check(plot.xScale === 'linear' && plot.yScale === 'linear', `the history's axes are ${plot.xScale}, ${plot.yScale}: this check reads linear ones`);
    // A point's centre in page pixels, from the circle's own cx, cy.
    const point = await page.$eval(`${history} svg.plot-area circle.mark`, (c, p) => ({
      left: p.left + c.cx.baseVal.value, top: p.top + c.cy.baseVal.value, x: Number(c.dataset.x), y: Number(c.dataset.y), trial: c.dataset.trial }), plot);
    await page.mouse.move(point.left, point.top);
    await page.waitForSelector(`${history} .tooltip:not([hidden])`, TIMEOUT);
    const tooltip = await page.$eval(`${history} .tooltip`, t => ({ text: t.textContent, x: Number(t.dataset.x), y: Number(t.dataset.y) }));
    await page.mouse.move(plot.left - 100, plot.top - 100);

    // A box from a fifth to three fifths of the width and from a quarter to three quarters of the height, at whole pixels.
    const from = { x: Math.round(plot.left + 0.2 * plot.width), y: Math.round(plot.top + 0.25 * plot.height) };
    const to = { x: Math.round(plot.left + 0.6 * plot.width), y: Math.round(plot.top + 0.75 * plot.height) };
    const valueX = px => plot.x[0] + (px - plot.left) / plot.width * (plot.x[1] - plot.x[0]);
    const valueY = px => plot.y[0] + (plot.top + plot.height - px) / plot.height * (plot.y[1] - plot.y[0]);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(([root, min]) => Number(document.querySelector(`${root} svg.plot-area`).dataset.xMin) !== min, [history, plot.x[0]], TIMEOUT);
    const zoomed = await plotRect(page, history);

    check(errors.length === 0, `script errors on the page: ${errors.join('; ')}`);
    return { areas, point, tooltip, before: { x: plot.x, y: plot.y },
      expected: { x: [valueX(from.x), valueX(to.x)], y: [valueY(to.y), valueY(from.y)] }, zoomed: { x: zoomed.x, y: zoomed.y } };
  } finally {
    await browser.close();
  }
});

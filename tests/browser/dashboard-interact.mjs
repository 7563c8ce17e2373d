// Uses the dashboard as a person would, with the mouse and the page's controls:
//   node dashboard-interact.mjs URL LIVE_RUN STUDY PARETO_STUDY SCREENSHOT_DIR
// 1. watches LIVE_RUN's page while it trains: its curves gain epochs without a reload;
// 2. compares runs a and b: one chart per quantity, a line per run; moves the smoothing slider and
//    switches the x axis to time; hides run a by its legend entry and shows it again; hovers a
//    point and reads the tooltip; drags across the plot to zoom on x and double-clicks to zoom out,
//    drags a box to zoom on x and y and presses "reset zoom"; reads the experiment table's highlighted keys;
// 3. on STUDY's page sees every chart of the study report, sorts the trials by value both ways,
//    filters them by state and by a parameter range, and watches the page poll: an unchanged study's
//    trials are answered "not modified", not sent again;
// 4. on PARETO_STUDY's page (two objectives) sees the Pareto front and a column per objective.
// Prints what it saw as JSON for the caller to compare with the data; fails with one line otherwise.
import { launch, marks, screenshot, run, check, openPage, plotRect, WAIT_MS } from './browser.mjs';
import { join } from 'node:path';

const [url, liveRun, study, paretoStudy, screenshots] = process.argv.slice(2);
const TIMEOUT = { timeout: WAIT_MS };

const lineData = (page, root) => page.$$eval(`${root} svg .mark.line`, nodes => Object.fromEntries(nodes.map(n => [n.dataset.series,
  { x: n.dataset.x.split(' ').map(Number), y: n.dataset.y.split(' ').map(Number), shown: n.getBoundingClientRect().width > 0 }])));

const plotRange = (page, root) => page.$eval(`${root} svg.plot-area`, a => [Number(a.dataset.xMin), Number(a.dataset.xMax)]);
const plotBox = (page, root) => page.$eval(`${root} svg.plot-area`, a => [Number(a.dataset.xMin), Number(a.dataset.xMax), Number(a.dataset.yMin), Number(a.dataset.yMax)]);

let stage = 'start'; // named in a failure, so a timeout says what it waited for

run(async () => {
  try {
    return await main();
  } catch (e) {
    throw new Error(`${stage}: ${e.message}`);
  }
});

async function main() {
  check(url && liveRun && study && paretoStudy && screenshots, 'usage: node dashboard-interact.mjs URL LIVE_RUN STUDY PARETO_STUDY SCREENSHOT_DIR');
  const browser = await launch();
  try {
    const page = await openPage(browser, { width: 1300, height: 1000 });
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));

    stage = 'live run';
    // 1. The live run's page grows while it trains.
    await page.goto(`${url}#/run/${encodeURIComponent(liveRun)}`);
    await page.waitForSelector('#run-chart svg .mark.line', TIMEOUT);
    await page.evaluate(() => { window.keptSinceOpened = true; });
    const epochsSeen = [];
    const lossPoints = async () => (await page.$$eval('#run-chart svg svg.chart[data-title="loss"] .mark.line[data-series="training"]',
      n => n.map(l => l.dataset.x.split(' ').length)))[0] ?? 0;
    for (const deadline = Date.now() + 60_000; ;) {
      const n = await lossPoints();
      if (epochsSeen.at(-1) !== n) epochsSeen.push(n);
      if (epochsSeen.length >= 3) break;
      check(Date.now() < deadline, `live run: its loss curve did not grow (points seen: ${epochsSeen.join(', ')})`);
      await page.waitForTimeout(100);
    }
    check(await page.evaluate(() => window.keptSinceOpened === true), 'the live run page was reloaded');
    const liveState = await page.textContent('#run-state');
    await screenshot(page, join(screenshots, 'dashboard-live-run.png'));

    stage = 'compare';
    // 2. Runs compared.
    await page.goto(`${url}#/compare/a,b`);
    const loss = '#compare-charts div.chart[data-key="loss"]';
    await page.waitForSelector(`${loss} svg .mark.line`, TIMEOUT);
    const raw = await lineData(page, loss);
    const keys = await page.$$eval('#compare-charts div.chart', n => n.map(c => c.dataset.key));
    const differing = await page.$$eval('#experiment-diff tr.differs', rows => rows.map(r => r.dataset.key));
    await screenshot(page, join(screenshots, 'dashboard-compare.png'));

    stage = 'smoothing';
    await page.$eval('#smoothing', s => { s.value = '0.6'; s.dispatchEvent(new Event('input')); });
    await page.waitForFunction(([root, before]) => {
      const line = document.querySelector(`${root} svg .mark.line[data-series="a"]`);
      return line && line.dataset.y !== before;
    }, [loss, raw.a.y.join(' ')], TIMEOUT);
    const smoothed = await lineData(page, loss);

    stage = 'time axis';
    await page.selectOption('#x-axis', 'time');
    await page.waitForFunction(([root, before]) => {
      const line = document.querySelector(`${root} svg .mark.line[data-series="b"]`);
      return line && line.dataset.x !== before;
    }, [loss, raw.b.x.join(' ')], TIMEOUT);
    const byTime = await lineData(page, loss);
    await page.selectOption('#x-axis', 'epoch');
    await page.$eval('#smoothing', s => { s.value = '0'; s.dispatchEvent(new Event('input')); });
    await page.waitForFunction(([root, x, y]) => document.querySelector(`${root} svg .mark.line[data-series="b"]`)?.dataset.x === x
      && document.querySelector(`${root} svg .mark.line[data-series="a"]`)?.dataset.y === y, [loss, raw.b.x.join(' '), raw.a.y.join(' ')], TIMEOUT);

    stage = 'legend toggle';
    // Toggle run a off and on by its legend entry.
    await page.click(`${loss} g.legend-entry[data-series="a"]`);
    const hidden = await lineData(page, loss);
    await page.click(`${loss} g.legend-entry[data-series="a"]`);
    const shownAgain = await lineData(page, loss);

    stage = 'hover';
    // Hover over run b's second point: the tooltip names its values.
    // Where the plot is drawn: its own rectangle, not the box of its lines, which need not reach its edges.
    const plot = await plotRect(page, loss);
    const fraction = (v, [min, max]) => (v - min) / (max - min);
    const target = { left: plot.left + fraction(raw.b.x[1], plot.x) * plot.width, top: plot.top + plot.height - fraction(raw.b.y[1], plot.y) * plot.height };
    await page.mouse.move(target.left + 2, target.top + 2);
    await page.waitForSelector(`${loss} .tooltip:not([hidden])`, TIMEOUT);
    const tooltip = await page.$eval(`${loss} .tooltip`, t => ({ text: t.textContent, series: t.dataset.series, x: Number(t.dataset.x), y: Number(t.dataset.y) }));

    stage = 'zoom';
    // Drag from a quarter to three quarters of the plot's width: the chart comes back drawn on that range.
    const before = await plotRange(page, loss);
    const box = await plotRect(page, loss);
    await page.mouse.move(box.left + box.width * 0.25, box.top + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.left + box.width * 0.5, box.top + box.height / 2, { steps: 4 });
    await page.mouse.move(box.left + box.width * 0.75, box.top + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(([root, min]) => Number(document.querySelector(`${root} svg.plot-area`).dataset.xMin) !== min, [loss, before[0]], TIMEOUT);
    const zoomed = await plotRange(page, loss);
    const resetShown = await page.$eval(`${loss} .zoom-reset`, b => !b.hidden);
    await screenshot(page, join(screenshots, 'dashboard-compare-zoomed.png'));
    stage = 'zoom out';
    await page.mouse.dblclick(box.left + box.width / 2, box.top + box.height / 2);
    await page.waitForFunction(([root, min]) => Number(document.querySelector(`${root} svg.plot-area`).dataset.xMin) === min, [loss, before[0]], TIMEOUT);
    const unzoomed = await plotRange(page, loss);

    stage = 'box zoom';
    // A box from a fifth to three fifths of the width and from a quarter to three quarters of the height: both axes zoom.
    const beforeBox = await plotBox(page, loss);
    await page.mouse.move(box.left + box.width * 0.2, box.top + box.height * 0.25);
    await page.mouse.down();
    await page.mouse.move(box.left + box.width * 0.4, box.top + box.height * 0.5, { steps: 4 });
    await page.mouse.move(box.left + box.width * 0.6, box.top + box.height * 0.75, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(([root, min]) => Number(document.querySelector(`${root} svg.plot-area`).dataset.yMin) !== min, [loss, beforeBox[2]], TIMEOUT);
    const boxed = await plotBox(page, loss);
    stage = 'reset zoom';
    await page.click(`${loss} .zoom-reset`);
    await page.waitForFunction(([root, min]) => Number(document.querySelector(`${root} svg.plot-area`).dataset.yMin) === min, [loss, beforeBox[2]], TIMEOUT);
    const reset = await plotBox(page, loss);
    const resetHidden = await page.$eval(`${loss} .zoom-reset`, b => b.hidden);

    stage = 'study charts';
    // 3. The study's page: every chart, the trials sorted and filtered.
    const trialAnswers = [];
    page.on('response', r => { if (/\/api\/studies\/[^/]+\/trials\?/.test(r.url())) trialAnswers.push(r.status()); });
    await page.goto(`${url}#/study/${encodeURIComponent(study)}`);
    const charts = ['history', 'intermediate', 'parallel', 'slices', 'importance'];
    for (const id of charts) await page.waitForSelector(`#${id}-chart svg .mark`, TIMEOUT);
    const chartMarks = {};
    for (const id of charts) chartMarks[id] = (await marks(page, `#${id}-chart`)).length;
    await screenshot(page, join(screenshots, 'dashboard-study-charts.png'));
    stage = 'hover marks';
    // The charts come without a <title> per mark: hovering a bar or a trial's line still says what it is.
    const hoverTip = async (chart, mark, at) => {
      await page.$eval(`#${chart}-chart svg ${mark}`, m => m.scrollIntoView({ block: 'center' }));
      const point = await page.$eval(`#${chart}-chart svg ${mark}`, at);
      await page.mouse.move(point.left, point.top);
      await page.waitForSelector(`#${chart}-chart .tooltip:not([hidden])`, TIMEOUT);
      const hovered = await page.evaluate(([x, y]) => ({ ...document.elementFromPoint(x, y)?.closest('.mark')?.dataset }), [point.left, point.top]);
      return { text: await page.textContent(`#${chart}-chart .tooltip`), hovered };
    };
    const titles = await page.$$eval('#view svg.chart title', ts => ts.length);
    const barTip = await hoverTip('importance', '.mark.bar', bar => { const b = bar.getBoundingClientRect(); return { left: b.left + b.width / 2, top: b.top + b.height / 2 }; });
    // A trial's line halfway along its first segment, in the page's pixels.
    const lineTip = await hoverTip('parallel', '.mark.trial', line => {
      const [[x0, y0], [x1, y1]] = line.getAttribute('points').split(' ').map(p => p.split(',').map(Number));
      const p = new DOMPoint((x0 + x1) / 2, (y0 + y1) / 2).matrixTransform(line.getScreenCTM());
      return { left: p.x, top: p.y };
    });
    stage = 'trials table';
    const rows = () => page.$$eval('#trials tbody tr', trs => trs.map(tr => ({ number: Number(tr.dataset.number), state: tr.dataset.state })));
    const header = name => page.click(`#trials th[data-column="${name}"]`);
    stage = 'polling';
    // The study does not change: after the first answer the page's polls are answered "not modified".
    const polled = trialAnswers.length;
    for (const deadline = Date.now() + 30_000; trialAnswers.length < polled + 3;) {
      check(Date.now() < deadline, `polling: ${trialAnswers.length - polled} polls of the trials in 30 s`);
      await page.waitForTimeout(200);
    }
    const polls = trialAnswers.slice(polled);

    stage = 'trials table';
    await header('value');
    await page.waitForSelector('#trials th[data-column="value"][data-sort="ascending"]', TIMEOUT);
    const ascending = await rows();
    await header('value');
    await page.waitForSelector('#trials th[data-column="value"][data-sort="descending"]', TIMEOUT);
    const descending = await rows();
    await page.click('#state-filter input[value="COMPLETE"]');
    await page.waitForFunction(() => ![...document.querySelectorAll('#trials tbody tr')].some(tr => tr.dataset.state === 'COMPLETE'), null, TIMEOUT);
    const withoutComplete = await rows();
    await page.click('#state-filter input[value="COMPLETE"]');
    await page.waitForFunction(() => [...document.querySelectorAll('#trials tbody tr')].some(tr => tr.dataset.state === 'COMPLETE'), null, TIMEOUT);
    await page.selectOption('#param-filter', 'x');
    const pagerBefore = await page.textContent('#pager');
    await page.fill('#param-value', '0.01..0.1');
    await page.waitForFunction(before => document.querySelector('#pager').textContent !== before, pagerBefore, TIMEOUT);
    const inRange = await rows();
    const pager = await page.textContent('#pager');

    stage = 'pareto';
    // 4. Two objectives: the Pareto front drawn, a sortable column per objective named as the study names it.
    await page.goto(`${url}#/study/${encodeURIComponent(paretoStudy)}`);
    await page.waitForSelector('#pareto-chart svg .mark.point', TIMEOUT);
    await page.waitForSelector('#trials th[data-column="value:1"]', TIMEOUT);
    const paretoColumns = await page.$$eval('#trials th', ths => ths.map(th => ({ key: th.dataset.column, title: th.textContent })));
    const front = await page.$$eval('#pareto-chart svg .mark.point[data-series="Pareto front"]', ms => ms.map(m => Number(m.dataset.trial)));
    await page.click('#trials th[data-column="value:1"]');
    await page.waitForSelector('#trials th[data-column="value:1"][data-sort="ascending"]', TIMEOUT);
    const bySecond = await rows();
    const oneObjectiveChartsHidden = await page.$$eval(['history', 'intermediate', 'parallel', 'slices', 'importance'].map(id => `#${id}-chart`).join(','), cs => cs.every(c => c.hidden));
    await screenshot(page, join(screenshots, 'dashboard-pareto.png'));

    check(errors.length === 0, `script errors on the page: ${errors.join('; ')}`);
    return { epochsSeen, liveState, keys, differing, raw, smoothed, byTime, hidden, shownAgain, tooltip, before, zoomed, unzoomed, resetShown,
      beforeBox, boxed, reset, resetHidden, chartMarks, titles, barTip, lineTip, polls, ascending, descending, withoutComplete, inRange, pager, paretoColumns, front, bySecond, oneObjectiveChartsHidden };
  } finally {
    await browser.close();
  }
}

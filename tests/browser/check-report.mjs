// Opens a self-contained HTML report from disk and checks that its charts are drawn, not just
// present in the source:
//   node check-report.mjs REPORT.html SCREENSHOT.png
// Every `svg .mark` must be laid out with a size, carry its data in data-* attributes and sit
// inside its plot area; the page must need no network. Prints, per chart (the outermost
// svg.chart elements, by section), its title and its marks' kinds and data, for the caller to
// compare with the data the report was made from.
import { launch, screenshot, run, check, openPage } from './browser.mjs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, shot] = process.argv.slice(2);
const SLACK_PX = 6; // a point's radius and stroke may overhang the plot area's edge

run(async () => {
  check(file && shot, 'usage: node check-report.mjs REPORT.html SCREENSHOT.png');
  const browser = await launch();
  try {
    const page = await openPage(browser, { width: 1300, height: 1000 });
    const requests = [];
    page.on('request', r => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(resolve(file)).href);
    const charts = await page.$$eval('svg.chart', (nodes, slack) => nodes
      .filter(n => !n.parentElement.closest('svg.chart'))
      .map(chart => ({
        section: chart.closest('section')?.id ?? null,
        title: chart.dataset.title,
        marks: [...chart.querySelectorAll('.mark')].map(m => {
          const box = m.getBoundingClientRect();
          const area = m.closest('svg.plot-area')?.getBoundingClientRect();
          const inside = !area || (box.left >= area.left - slack && box.right <= area.right + slack
            && box.top >= area.top - slack && box.bottom <= area.bottom + slack);
          return { kind: m.getAttribute('class'), width: box.width, height: box.height, inside, data: { ...m.dataset } };
        }),
      })), SLACK_PX);
    check(charts.length > 0, `${file}: no chart (svg.chart) in the page`);
    for (const chart of charts) {
      for (const m of chart.marks) {
        const where = `${file}: chart '${chart.title}' mark ${m.kind} ${JSON.stringify(m.data)}`;
        check(m.width > 0 || m.height > 0, `${where} has an empty box`);
        check(Object.keys(m.data).length > 0, `${where} carries no data-* attribute`);
        check(m.inside, `${where} lies outside its plot area`);
      }
    }
    check(requests.length === 0, `${file} asked the network for ${requests.join(', ')}`);
    await screenshot(page, shot);
    return { charts: charts.map(({ section, title, marks }) => ({ section, title, marks: marks.map(({ kind, data }) => ({ kind, data })) })) };
  } finally {
    await browser.close();
  }
});

// Times a dashboard page in Chromium, as a person opening it waits for it (a benchmark, not a test):
//   node time-page.mjs URL REPEATS SELECTOR...
// Opens URL (a page of the dashboard, e.g. http://127.0.0.1:8080/#/study/NAME) REPEATS times in a new
// tab and prints, for each, the milliseconds until every SELECTOR is on the page (e.g. the trials
// table's rows and each chart's marks), then their median. Beside each wall time, the time the page's
// main thread was busy (parsing, script, style, layout, paint: Chromium's TaskDuration), which other
// processes on a shared machine inflate far less than the wall time. The selectors are checked with the
// browser's own querySelector (waitForAll), which costs the page's main thread next to nothing.
import { launch, run, check, waitForAll } from './browser.mjs';

const [url, repeatsArg, ...selectors] = process.argv.slice(2);
const repeats = Number(repeatsArg);
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

run(async () => {
  check(url && repeats > 0 && selectors.length > 0, 'usage: node time-page.mjs URL REPEATS SELECTOR...');
  const browser = await launch();
  try {
    const times = [], busy = [];
    for (let r = 0; r < repeats; r++) {
      const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const start = Date.now();
      await page.goto(url);
      await waitForAll(page, selectors);
      times.push(Date.now() - start);
      const { metrics } = await cdp.send('Performance.getMetrics');
      busy.push(Math.round(1000 * metrics.find(m => m.name === 'TaskDuration').value));
      await page.close();
    }
    return { url, times, median: median(times), busy, busyMedian: median(busy) };
  } finally {
    await browser.close();
  }
});

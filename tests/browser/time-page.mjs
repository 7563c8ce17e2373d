// Times a dashboard page in Chromium, as a person opening it waits for it (a benchmark, not a test):
//   node time-page.mjs URL REPEATS SELECTOR...
// Opens URL (a page of the dashboard, e.g. http://127.0.0.1:8080/#/study/NAME) REPEATS times in a new
// tab and prints, for each, the milliseconds until every SELECTOR is on the page (e.g. the trials
// table's rows and each chart's marks), then their median.
import { launch, run, check } from './browser.mjs';

const [url, repeatsArg, ...selectors] = process.argv.slice(2);
const repeats = Number(repeatsArg);

run(async () => {
  check(url && repeats > 0 && selectors.length > 0, 'usage: node time-page.mjs URL REPEATS SELECTOR...');
  const browser = await launch();
  try {
    const times = [];
    for (let r = 0; r < repeats; r++) {
      const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
      const start = Date.now();
      await page.goto(url);
      for (const selector of selectors) await page.waitForSelector(selector, { timeout: 120_000 });
      times.push(Date.now() - start);
      await page.close();
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { url, times, median: sorted[Math.floor(sorted.length / 2)] };
  } finally {
    await browser.close();
  }
});

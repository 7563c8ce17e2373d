// Watches a study's page on a running dashboard while the study runs, as a person would:
//   node dashboard.mjs URL STUDY TRIALS SCREENSHOT_DIR
// Opens URL, clicks STUDY in the list of studies, prints "opened" (the caller then starts the
// study), sees the trials table grow to TRIALS finished rows without a reload, sees the
// optimization history drawn (its marks laid out with a size), opens the first complete trial
// and sees its learning curve drawn, and its run's learning curves when the trial names its run
// directory. Prints what it saw as JSON for the caller to compare with the storage; fails with
// one line and exit code 1 otherwise.
import { launch, marks, screenshot, run, check, openPage, WAIT_MS } from './browser.mjs';
import { join } from 'node:path';

const [url, study, trialsArg, screenshots] = process.argv.slice(2);
const trials = Number(trialsArg);
const TIMEOUT_MS = WAIT_MS;

const finishedRows = () => [...document.querySelectorAll('#trials tbody tr')]
  .filter(tr => ['COMPLETE', 'PRUNED', 'FAIL'].includes(tr.dataset.state)).length;

run(async () => {
  check(url && study && trials > 0 && screenshots, 'usage: node dashboard.mjs URL STUDY TRIALS SCREENSHOT_DIR');
  const browser = await launch();
  try {
    const page = await openPage(browser, { width: 1200, height: 900 });
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    // From the list of studies, as a person would find it.
    await page.goto(url);
    await page.waitForSelector(`tr[data-study="${study}"]`);
    const runs = await page.$$eval('tr[data-run]', rows => rows.map(r => r.dataset.run));
    await page.click(`tr[data-study="${study}"]`);
    await page.waitForSelector('#trials table');
    // A mark on the window: a reload would drop it.
    await page.evaluate(() => { window.keptSinceOpened = true; });
    console.log('opened'); // the caller starts the study now

    // The row counts seen while the study runs: they must grow while the page stays loaded.
    const counts = [];
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const count = await page.evaluate(finishedRows);
      if (counts.at(-1) !== count) counts.push(count);
      if (count >= trials) break;
      check(Date.now() < deadline, `trials table: ${count} finished rows after ${TIMEOUT_MS} ms, expected ${trials} (seen: ${counts.join(', ')})`);
      await page.waitForTimeout(100);
    }
    check(await page.evaluate(() => window.keptSinceOpened === true), 'the page was reloaded while the study ran');
    check(counts.length >= 2, `the trials table never grew while the page was open (rows seen: ${counts.join(', ')}); the study finished before the page loaded`);

    // The chart follows the table: wait until it shows one point per complete trial.
    const complete = await page.$$eval('#trials tbody tr[data-state="COMPLETE"]', rows => rows.map(r => Number(r.dataset.number)));
    await page.waitForFunction(n => document.querySelectorAll('#history-chart svg .mark[data-trial]').length >= n, complete.length, { timeout: TIMEOUT_MS });
    const history = await marks(page, '#history-chart');
    for (const m of history) check(m.width > 0 || m.height > 0, `history chart: a mark has an empty box (${JSON.stringify(m.data)})`);
    await screenshot(page, join(screenshots, 'dashboard-study.png'));

    // Open the first complete trial and see its learning curve.
    const opened = complete[0];
    await page.click(`#trials tbody tr[data-number="${opened}"]`);
    await page.waitForSelector('#curve-chart svg .mark');
    check(await page.evaluate(() => window.keptSinceOpened === true), 'opening a trial reloaded the page');
    const curve = await marks(page, '#curve-chart');
    for (const m of curve) check(m.width > 0 || m.height > 0, `learning curve: a mark has an empty box (${JSON.stringify(m.data)})`);
    // A trial that names its run directory also shows that run's learning curves.
    const detail = await page.evaluate(async path => (await fetch(path)).json(), `api/studies/${encodeURIComponent(study)}/trials/${opened}`);
    let linkedRun = null;
    if (detail.run) {
      await page.waitForSelector('#run-chart svg .mark');
      linkedRun = { name: detail.run, marks: await marks(page, '#run-chart') };
      for (const m of linkedRun.marks) check(m.width > 0 || m.height > 0, `run chart: a mark has an empty box (${JSON.stringify(m.data)})`);
    }
    await screenshot(page, join(screenshots, 'dashboard-trial.png'));

    check(errors.length === 0, `script errors on the page: ${errors.join('; ')}`);
    return { runs, counts, history, opened, curve, run: linkedRun };
  } finally {
    await browser.close();
  }
});

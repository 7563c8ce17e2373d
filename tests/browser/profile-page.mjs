// Where a dashboard page's load time goes in Chromium (a benchmark tool, not a test):
//   node profile-page.mjs URL SELECTOR...
// Opens URL once with Chromium's timeline tracing on, waits until every SELECTOR is on the page, and
// prints: the wall time; the main thread's time by kind (script, parsing HTML, style, layout, paint,
// other) from the trace; and each request the page made with its bytes, when it was sent and how
// long the server took to answer it (time to first byte) and to send it.
import { launch, run, check, waitForAll } from './browser.mjs';

const [url, ...selectors] = process.argv.slice(2);

/** Trace event names grouped by what the main thread was doing. */
const KINDS = {
  script: ['EvaluateScript', 'FunctionCall', 'TimerFire', 'EventDispatch', 'V8.Execute', 'RunMicrotasks', 'FireAnimationFrame', 'v8.compile', 'v8.run'],
  parse: ['ParseHTML', 'ParseAuthorStyleSheet'],
  style: ['UpdateLayoutTree', 'RecalculateStyles', 'ScheduleStyleRecalculation'],
  layout: ['Layout', 'UpdateLayerTree', 'PrePaint', 'Layerize'],
  paint: ['Paint', 'PaintImage', 'CompositeLayers', 'RasterTask', 'Commit'],
  gc: ['MajorGC', 'MinorGC', 'V8.GCScavenger', 'V8.GCFinalizeMC', 'BlinkGC.AtomicPhase'],
};

/** Self time of each complete event on the renderer's main thread: nested events counted once, in the innermost. */
function selfTimes(events) {
  const main = events.find(e => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter(e => e.ph === 'X' && e.dur !== undefined && main && e.pid === main.pid && e.tid === main.tid)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const totals = new Map(), stack = [];
  for (const e of onMain) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    if (stack.length) totals.set(stack.at(-1).name, (totals.get(stack.at(-1).name) ?? 0) - e.dur);
    totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur);
    stack.push(e);
  }
  const top = onMain.filter(e => !onMain.some(o => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur));
  return { totals, busy: top.reduce((s, e) => s + e.dur, 0) };
}

run(async () => {
  check(url && selectors.length > 0, 'usage: node profile-page.mjs URL SELECTOR...');
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const requests = [];
    page.on('requestfinished', async request => {
      const response = await request.response();
      const timing = request.timing();
      const sizes = await request.sizes().catch(() => ({ responseBodySize: -1 }));
      requests.push({ url: request.url().replace(/^https?:\/\/[^/]+\//, ''), status: response?.status(), bytes: sizes.responseBodySize,
        sentMs: Math.round(timing.startTime - start), waitMs: Math.round(timing.responseStart - timing.requestStart), receiveMs: Math.round(timing.responseEnd - timing.responseStart) });
    });
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'] });
    const start = Date.now();
    await page.goto(url);
    // Each selector waited for at once: the time each part of the page appeared, in any order.
    const reached = {};
    await Promise.all(selectors.map(selector => waitForAll(page, [selector]).then(() => { reached[selector] = Date.now() - start; })));
    const wallMs = Date.now() - start;
    const trace = JSON.parse((await browser.stopTracing()).toString());
    const { totals, busy } = selfTimes(trace.traceEvents ?? trace);
    const byKind = Object.fromEntries(Object.keys(KINDS).map(k => [k, 0]));
    let other = 0;
    for (const [name, us] of totals) {
      const kind = Object.keys(KINDS).find(k => KINDS[k].includes(name));
      if (kind) byKind[kind] += us; else other += us;
    }
    const ms = us => Math.round(us / 1000);
    const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([n, us]) => `${n} ${ms(us)}`);
    return {
      url, wallMs, reached, mainThreadBusyMs: ms(busy),
      mainThreadMs: { ...Object.fromEntries(Object.entries(byKind).map(([k, us]) => [k, ms(us)])), other: ms(other) },
      topEvents: top,
      elements: await page.evaluate(() => document.getElementsByTagName('*').length),
      requests: requests.sort((a, b) => a.sentMs - b.sentMs),
    };
  } finally {
    await browser.close();
  }
});

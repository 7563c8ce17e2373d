// Launches Debian's Chromium headless through playwright-core (no browser is ever downloaded).
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const executablePath = process.env.SPARTA_CHROMIUM ?? '/usr/bin/chromium';

export async function launch() {
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: install Debian's chromium (test.sh does) or set SPARTA_CHROMIUM`);
  // The sandbox needs user namespaces, which CI containers running as root usually lack.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}

/**
 * How long any wait for the page may take. Playwright's own default (30 s) is too short for a
 * dashboard started by a test on a heavily loaded CI machine; a real failure still ends the wait.
 */
export const WAIT_MS = 120_000;

/** A new page of the given size whose waits (selectors, functions, clicks) all allow WAIT_MS. */
export async function openPage(browser, viewport) {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(WAIT_MS);
  return page;
}

export async function screenshot(page, path) {
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}

/** Every `.mark` inside an SVG under `root`: its bounding box and data-* attributes, as the browser laid it out. */
export async function marks(page, root = 'body') {
  return page.$$eval(`${root} svg .mark`, nodes => nodes.map(n => {
    const box = n.getBoundingClientRect();
    return { kind: n.getAttribute('class'), width: box.width, height: box.height, data: { ...n.dataset } };
  }));
}

/**
 * The page rectangle of the first plot area under `root`, from its own SVG attributes (x, y, width,
 * height from the chart's corner; the charts are drawn at their own size), with its axes' ranges:
 * where the chart's data is drawn, whatever is drawn past its edges.
 */
export async function plotRect(page, root) {
  return page.$eval(`${root} svg.plot-area`, area => {
    const corner = area.ownerSVGElement.getBoundingClientRect();
    const d = area.dataset;
    return { left: corner.left + area.x.baseVal.value, top: corner.top + area.y.baseVal.value, width: area.width.baseVal.value, height: area.height.baseVal.value,
      x: [Number(d.xMin), Number(d.xMax)], y: [Number(d.yMin), Number(d.yMax)], xScale: d.xScale, yScale: d.yScale };
  });
}

/**
 * Waits until every CSS selector matches an element laid out with a size (what waitForSelector
 * waits for), checked with the browser's own querySelector at each frame. Playwright's
 * waitForSelector runs its selector engine, written in script, in the page at each frame: on a page
 * of 4,000 SVG elements that took 0.2-0.4 s of the very main thread a benchmark times.
 */
export async function waitForAll(page, selectors, timeout = WAIT_MS) {
  await page.waitForFunction(all => all.every(s => {
    const e = document.querySelector(s);
    if (!e) return false;
    const box = e.getBoundingClientRect();
    return box.width > 0 || box.height > 0;
  }), selectors, { polling: 'raf', timeout });
}

/** Runs `main`, printing its result as JSON on success, or the failure on one line with exit code 1. */
export async function run(main) {
  try {
    console.log(JSON.stringify(await main()));
  } catch (e) {
    console.error(`browser check failed: ${e.message}`);
    process.exit(1);
  }
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

// The dashboard page: one view per address (#/, #/study/NAME, #/study/NAME/trial/N, #/run/NAME),
// each refreshed by polling the JSON endpoints, so trials appear as they finish without a reload.
// Charts are drawn by the server as SVG and swapped in when the data behind them changes.
'use strict';

const POLL_MS = 1000;
let timer = null;
let shown = 0; // which navigation the polling belongs to: a view left behind stops polling

const view = document.getElementById('view');
const status = document.getElementById('status');

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

async function getJson(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: ${r.status} ${(await r.json().catch(() => ({}))).error ?? ''}`);
  return r.json();
}

async function getText(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.text();
}

function fmt(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+(e|$)/, '$1');
  return String(v);
}

function seconds(s) { return s === null || s === undefined ? '' : s.toFixed(1) + ' s'; }

function table(headers, rows, onClick) {
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr', onClick ? { class: 'link' } : {}, ...row.cells.map(c => c instanceof Node ? el('td', {}, c) : el('td', {}, fmt(c))));
    for (const [k, v] of Object.entries(row.data ?? {})) tr.dataset[k] = v;
    if (onClick) tr.addEventListener('click', () => onClick(row));
    body.append(tr);
  }
  return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map(h => el('th', {}, h)))), body);
}

function state(name) { return el('span', { class: name }, name); }

/** Replaces the chart's SVG only when the data it shows changed, so the page does not flicker. */
async function swapChart(container, url, signature) {
  if (container.dataset.signature === signature) return;
  container.innerHTML = await getText(url);
  container.dataset.signature = signature;
}

function enc(s) { return encodeURIComponent(s); }

// ---- views ----

async function home() {
  const [studies, runs] = await Promise.all([getJson('api/studies'), getJson('api/runs')]);
  const studyRows = studies.map(s => ({
    cells: [s.name, s.directions.join(', ').toLowerCase(), s.trials, s.states.COMPLETE ?? 0, s.states.PRUNED ?? 0,
      s.states.FAIL ?? 0, s.states.RUNNING ?? 0, s.best ? s.best.value : '', s.best ? s.best.number : ''],
    data: { study: s.name },
  }));
  const runRows = runs.map(r => ({ cells: [r.name, r.epochs, Object.entries(r.result).map(([k, v]) => `${k}=${fmt(v)}`).join(' ')], data: { run: r.name } }));
  view.replaceChildren(
    el('h2', {}, 'Studies'),
    studyRows.length ? table(['study', 'direction', 'trials', 'complete', 'pruned', 'failed', 'running', 'best value', 'best trial'], studyRows,
      r => { location.hash = `#/study/${enc(r.data.study)}`; }) : el('p', { class: 'empty' }, 'no study in the storage'),
    el('h2', {}, 'Runs'),
    runRows.length ? table(['run', 'epochs', 'result'], runRows, r => { location.hash = `#/run/${enc(r.data.run)}`; })
      : el('p', { class: 'empty' }, 'no run in the runs directory'));
}

function studyView(name) {
  const chart = el('div', { class: 'chart', id: 'history-chart' });
  const trials = el('div', { id: 'trials' });
  view.replaceChildren(el('h2', {}, `Study ${name}`), chart, el('h2', {}, 'Trials'), trials);
  return async () => {
    const data = await getJson(`api/studies/${enc(name)}/trials`);
    const params = [...new Set(data.trials.flatMap(t => Object.keys(t.params)))];
    const rows = data.trials.map(t => ({
      cells: [t.number, state(t.state), t.values ? t.values.map(fmt).join(', ') : '', ...params.map(p => t.params[p]), t.last_step, seconds(t.duration_seconds)],
      data: { number: t.number, state: t.state },
    }));
    trials.replaceChildren(table(['#', 'state', 'value', ...params, 'last step', 'duration'], rows,
      r => { location.hash = `#/study/${enc(name)}/trial/${r.data.number}`; }));
    const signature = JSON.stringify(data.trials.map(t => [t.number, t.state, t.values]));
    await swapChart(chart, `api/studies/${enc(name)}/history.svg`, signature);
  };
}

function trialView(name, number) {
  const summary = el('div', { id: 'trial' });
  const curve = el('div', { class: 'chart', id: 'curve-chart' });
  const run = el('div', { class: 'chart', id: 'run-chart' });
  view.replaceChildren(el('h2', {}, el('a', { href: `#/study/${enc(name)}` }, `Study ${name}`), ` / trial ${number}`), summary,
    el('h2', {}, 'Learning curve (intermediate values)'), curve, run);
  return async () => {
    const d = await getJson(`api/studies/${enc(name)}/trials/${number}`);
    const t = d.trial;
    summary.replaceChildren(table(['state', 'value', 'started', 'completed', 'duration'],
      [{ cells: [state(t.state), t.values ? t.values.map(fmt).join(', ') : '', t.datetime_start, t.datetime_complete, seconds(t.duration_seconds)] }]),
    el('h2', {}, 'Parameters'), table(['name', 'value'], Object.entries(t.params).map(([k, v]) => ({ cells: [k, v] }))));
    await swapChart(curve, `api/studies/${enc(name)}/trials/${number}/curve.svg`, JSON.stringify(d.intermediate_values));
    if (d.run && !run.dataset.signature) {
      run.before(el('h2', {}, el('a', { href: `#/run/${enc(d.run)}` }, `Run ${d.run}`)));
      await swapChart(run, `api/runs/${enc(d.run)}/history.svg`, d.run);
    }
    return t.state === 'RUNNING' || t.state === 'WAITING';
  };
}

function runView(name) {
  const chart = el('div', { class: 'chart', id: 'run-chart' });
  const details = el('div', { id: 'run' });
  view.replaceChildren(el('h2', {}, `Run ${name}`), chart, details);
  return async () => {
    const run = await getJson(`api/runs/${enc(name)}`);
    details.replaceChildren(el('h2', {}, 'Result'), table(['score', 'value'], Object.entries(run.result).map(([k, v]) => ({ cells: [k, v] }))),
      el('h2', {}, 'Experiment'), el('pre', {}, run.experiment ?? '(no experiment.yaml)'));
    await swapChart(chart, `api/runs/${enc(name)}/history.svg`, name);
    return false; // a finished run does not change
  };
}

// ---- routing and polling ----

function route() {
  clearTimeout(timer);
  const navigation = ++shown;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  let refresh;
  if (parts[0] === 'study' && parts[2] === 'trial') refresh = trialView(parts[1], Number(parts[3]));
  else if (parts[0] === 'study') refresh = studyView(parts[1]);
  else if (parts[0] === 'run') refresh = runView(parts[1]);
  else refresh = home;
  const tick = async () => {
    let again = true;
    try {
      again = (await refresh()) !== false;
      status.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      status.textContent = String(e.message ?? e);
    }
    if (again && navigation === shown) timer = setTimeout(tick, POLL_MS);
  };
  tick();
}

window.addEventListener('hashchange', route);
route();

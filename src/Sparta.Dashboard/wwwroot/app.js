// The dashboard page: one view per address (#/, #/study/NAME, #/study/NAME/trial/N, #/run/NAME,
// #/compare/A,B), each refreshed by polling the JSON endpoints, so trials and epochs appear as they
// finish without a reload. Charts are drawn by the server as SVG and swapped in (charts.js) when
// the data behind them changes.
'use strict';

const POLL_MS = 1000;
const PAGE_ROWS = 100; // trials shown at once: a study of 10,000 trials stays quick to draw
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
    if (row.class) tr.classList.add(row.class);
    if (onClick) tr.addEventListener('click', e => { if (!e.target.closest('input')) onClick(row); });
    body.append(tr);
  }
  return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map(h => h instanceof Node ? h : el('th', {}, h)))), body);
}

function state(name) { return el('span', { class: name }, name); }

function enc(s) { return encodeURIComponent(s); }

// ---- home ----

async function home() {
  const [studies, runs] = await Promise.all([getJson('api/studies'), getJson('api/runs')]);
  const studyRows = studies.map(s => ({
    cells: [s.name, s.directions.join(', ').toLowerCase(), s.trials, s.states.COMPLETE ?? 0, s.states.PRUNED ?? 0,
      s.states.FAIL ?? 0, s.states.RUNNING ?? 0, s.best ? s.best.value : '', s.best ? s.best.number : ''],
    data: { study: s.name },
  }));
  const picked = new Set([...view.querySelectorAll('input.pick:checked')].map(c => c.value));
  const runRows = runs.map(r => ({
    cells: [el('input', { type: 'checkbox', class: 'pick', value: r.name, ...(picked.has(r.name) ? { checked: '' } : {}) }), r.name,
      r.live ? state('TRAINING') : 'finished', r.epochs, Object.entries(r.result).map(([k, v]) => `${k}=${fmt(v)}`).join(' ')],
    data: { run: r.name, live: r.live },
  }));
  const compare = el('button', { id: 'compare-runs' }, 'compare selected runs');
  compare.addEventListener('click', () => {
    const names = [...view.querySelectorAll('input.pick:checked')].map(c => c.value);
    if (names.length) location.hash = `#/compare/${names.map(enc).join(',')}`;
  });
  view.replaceChildren(
    el('h2', {}, 'Studies'),
    studyRows.length ? table(['study', 'direction', 'trials', 'complete', 'pruned', 'failed', 'running', 'best value', 'best trial'], studyRows,
      r => { location.hash = `#/study/${enc(r.data.study)}`; }) : el('p', { class: 'empty' }, 'no study in the storage'),
    el('h2', {}, 'Runs'),
    runRows.length ? el('div', {}, table(['', 'run', 'state', 'epochs', 'result'], runRows, r => { location.hash = `#/run/${enc(r.data.run)}`; }), compare)
      : el('p', { class: 'empty' }, 'no run in the runs directory'));
}

// ---- a study ----

const STUDY_CHARTS = [
  ['history', 'Optimization history'],
  ['intermediate', 'Intermediate values'],
  ['parallel', 'Parallel coordinates'],
  ['slices', 'Slices'],
  ['importance', 'Parameter importance'],
  ['pareto', 'Pareto front'], // only for a study of several objectives
];

/** A filter typed for a parameter: "a..b" (a range), ">x", "<=x" and the like, or text the value contains. */
function parameterFilter(text) {
  text = text.trim();
  if (!text) return () => true;
  const range = text.match(/^(-?[\d.e+-]+)\s*\.\.\s*(-?[\d.e+-]+)$/i);
  if (range) return v => typeof v === 'number' && v >= Number(range[1]) && v <= Number(range[2]);
  const bound = text.match(/^(<=|>=|<|>|=)\s*(-?[\d.e+-]+)$/i);
  if (bound) {
    const x = Number(bound[2]);
    const test = { '<': v => v < x, '<=': v => v <= x, '>': v => v > x, '>=': v => v >= x, '=': v => v === x }[bound[1]];
    return v => typeof v === 'number' && test(v);
  }
  return v => v !== undefined && v !== null && String(v).toLowerCase().includes(text.toLowerCase());
}

/** Orders two cells; a missing one goes last whichever the direction. */
function compareValues(a, b, descending) {
  const missing = v => v === undefined || v === null || v === '';
  if (missing(a) || missing(b)) return missing(a) - missing(b);
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
  return descending ? -order : order;
}

/** The trials table's controls and what they ask for; kept while the page polls. */
function trialControls(onChange) {
  const wanted = { sort: '#', descending: false, states: new Set(), param: '', filter: '', page: 0 };
  const states = el('span', { id: 'state-filter' });
  const param = el('select', { id: 'param-filter' }, el('option', { value: '' }, 'parameter…'));
  const filter = el('input', { id: 'param-value', type: 'text', placeholder: 'a..b, >x, <x or text', size: '18' });
  const pager = el('span', { id: 'pager' });
  param.addEventListener('change', () => { wanted.param = param.value; wanted.page = 0; onChange(); });
  filter.addEventListener('input', () => { wanted.filter = filter.value; wanted.page = 0; onChange(); });
  const bar = el('div', { class: 'controls' }, 'state: ', states, ' ', param, ' ', filter, ' ', pager);
  return {
    wanted, bar,
    /** Adds a checkbox per state and an option per parameter as new ones appear. */
    offer(stateNames, params) {
      for (const s of stateNames) {
        if (states.querySelector(`input[value="${s}"]`)) continue;
        const box = el('input', { type: 'checkbox', value: s, checked: '' });
        box.addEventListener('change', () => { if (box.checked) wanted.states.delete(s); else wanted.states.add(s); wanted.page = 0; onChange(); });
        states.append(el('label', { class: s }, box, s), ' ');
      }
      for (const p of params)
        if (![...param.options].some(o => o.value === p)) param.append(el('option', { value: p }, p));
    },
    pager(total, first, last) {
      const previous = el('button', { id: 'previous-page' }, '‹'), next = el('button', { id: 'next-page' }, '›');
      previous.disabled = first === 0;
      next.disabled = last >= total;
      previous.addEventListener('click', () => { wanted.page--; onChange(); });
      next.addEventListener('click', () => { wanted.page++; onChange(); });
      pager.replaceChildren(previous, ` ${total ? first + 1 : 0}–${last} of ${total} `, next);
    },
  };
}

function studyView(name) {
  const charts = Object.fromEntries(STUDY_CHARTS.map(([id]) => [id, el('div', { class: 'chart', id: `${id}-chart` })]));
  const trials = el('div', { id: 'trials' });
  let data = null;
  const controls = trialControls(() => drawTrials());
  view.replaceChildren(el('h2', {}, `Study ${name}`),
    ...STUDY_CHARTS.flatMap(([id, title]) => [el('h3', {}, title), charts[id]]),
    el('h2', {}, 'Trials'), controls.bar, trials);

  function drawTrials() {
    if (!data) return;
    const params = [...new Set(data.trials.flatMap(t => Object.keys(t.params)))];
    controls.offer([...new Set(data.trials.map(t => t.state))], params);
    const w = controls.wanted;
    const keep = parameterFilter(w.filter);
    const columns = ['#', 'state', 'value', ...params, 'last step', 'duration'];
    const cell = (t, c) => ({ '#': t.number, state: t.state, value: t.values ? t.values[0] : null, 'last step': t.last_step, duration: t.duration_seconds })[c] ?? t.params[c];
    const rows = data.trials
      .filter(t => !w.states.has(t.state) && (!w.param || keep(t.params[w.param])))
      .sort((a, b) => compareValues(cell(a, w.sort), cell(b, w.sort), w.descending) || a.number - b.number);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
    w.page = Math.min(Math.max(0, w.page), pages - 1);
    const first = w.page * PAGE_ROWS, last = Math.min(rows.length, first + PAGE_ROWS);
    controls.pager(rows.length, first, last);
    const headers = columns.map(c => {
      const th = el('th', { class: 'sortable', 'data-column': c }, c + (w.sort === c ? (w.descending ? ' ▼' : ' ▲') : ''));
      if (w.sort === c) th.dataset.sort = w.descending ? 'descending' : 'ascending';
      th.addEventListener('click', () => { w.descending = w.sort === c ? !w.descending : false; w.sort = c; drawTrials(); });
      return th;
    });
    trials.replaceChildren(table(headers, rows.slice(first, last).map(t => ({
      cells: [t.number, state(t.state), t.values ? t.values.map(fmt).join(', ') : '', ...params.map(p => t.params[p]), t.last_step, seconds(t.duration_seconds)],
      data: { number: t.number, state: t.state },
    })), r => { location.hash = `#/study/${enc(name)}/trial/${r.data.number}`; }));
  }

  return async () => {
    data = await getJson(`api/studies/${enc(name)}/trials`);
    drawTrials();
    const finished = JSON.stringify(data.trials.map(t => [t.number, t.state, t.values]));
    const reported = JSON.stringify(data.trials.map(t => [t.number, t.state, t.last_step]));
    const complete = JSON.stringify(data.trials.filter(t => t.state === 'COMPLETE').map(t => [t.number, t.values]));
    // An importance still being fitted is asked for again at every refresh until it is there.
    const fitting = charts.importance.querySelector('svg.chart')?.dataset.title.includes('being fitted');
    const signature = { history: finished, intermediate: reported, parallel: complete, slices: complete, importance: fitting ? String(Date.now()) : complete };
    signature.pareto = complete;
    const zoomable = { history: true, intermediate: true, parallel: false, slices: false, importance: false, pareto: true };
    const shown = STUDY_CHARTS.map(([id]) => id).filter(id => id !== 'pareto' || data.directions.length > 1);
    for (const [id] of STUDY_CHARTS) charts[id].previousSibling.hidden = charts[id].hidden = !shown.includes(id);
    await Promise.all(shown.map(id => Charts.show(charts[id], `api/studies/${enc(name)}/${id}.svg`, signature[id], zoomable[id])));
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
    await Charts.show(curve, `api/studies/${enc(name)}/trials/${number}/curve.svg`, JSON.stringify(d.intermediate_values));
    if (d.run && !run.dataset.signature) {
      run.before(el('h2', {}, el('a', { href: `#/run/${enc(d.run)}`, id: 'run-link' }, `Run ${d.run}`), ' (its curves, result and diagnostics)'));
      await Charts.show(run, `api/runs/${enc(d.run)}/history.svg`, d.run, false);
    }
    return t.state === 'RUNNING' || t.state === 'WAITING';
  };
}

// ---- runs ----

function runView(name) {
  const chart = el('div', { class: 'chart', id: 'run-chart' });
  const details = el('div', { id: 'run' });
  const progress = el('p', { id: 'run-state' });
  view.replaceChildren(el('h2', {}, `Run ${name} `, el('a', { href: `#/compare/${enc(name)}`, class: 'small' }, 'compare with other runs')), progress, chart, details);
  return async () => {
    const run = await getJson(`api/runs/${enc(name)}`);
    const epochs = run.history.epochs.length;
    progress.textContent = run.live ? `training: ${epochs} epoch${epochs === 1 ? '' : 's'} so far` : `finished after ${epochs} epochs`;
    progress.className = run.live ? 'RUNNING' : '';
    const doctor = run.findings.length ? el('ul', { id: 'findings' }, ...run.findings.map(f => el('li', {}, f)))
      : el('p', { id: 'findings', class: 'empty' }, 'no problem found in the learning curves');
    // Without validation values the doctor cannot read the gap that tells over- from underfitting.
    const gap = 'val_loss' in run.history ? '' : el('p', { class: 'empty' }, 'no validation values: set data.validation_split to see training against validation');
    details.replaceChildren(el('h2', {}, "Doctor's findings"), doctor, gap, el('h2', {}, 'Result'),
      Object.keys(run.result).length ? table(['score', 'value'], Object.entries(run.result).map(([k, v]) => ({ cells: [k, v] }))) : el('p', { class: 'empty' }, 'not yet: the run is training'),
      el('h2', {}, 'Experiment'), el('pre', {}, run.experiment ?? '(no experiment.yaml)'));
    await Charts.show(chart, `api/runs/${enc(name)}/history.svg`, `${epochs}:${run.live}`, false);
    return run.live; // a finished run does not change
  };
}

// Kept across views: a reader who set the smoothing keeps it while picking other runs.
const comparing = { smoothing: 0, x: 'epoch', onlyDiffering: false };

function compareView(names) {
  const picker = el('div', { id: 'run-picker', class: 'controls' });
  const smoothing = el('input', { id: 'smoothing', type: 'range', min: '0', max: '0.99', step: '0.01', value: String(comparing.smoothing) });
  const shownSmoothing = el('span', { id: 'smoothing-value' }, String(comparing.smoothing));
  const axis = el('select', { id: 'x-axis' }, el('option', { value: 'epoch' }, 'by epoch'), el('option', { value: 'time' }, 'by training time'));
  axis.value = comparing.x;
  const only = el('input', { id: 'only-differing', type: 'checkbox', ...(comparing.onlyDiffering ? { checked: '' } : {}) });
  const charts = el('div', { class: 'charts', id: 'compare-charts' });
  const experiment = el('div', { id: 'experiment-diff' });
  let refresh = null;
  smoothing.addEventListener('input', () => { comparing.smoothing = Number(smoothing.value); shownSmoothing.textContent = smoothing.value; refresh(); });
  axis.addEventListener('change', () => { comparing.x = axis.value; refresh(); });
  only.addEventListener('change', () => { comparing.onlyDiffering = only.checked; refresh(); });
  view.replaceChildren(el('h2', {}, 'Runs compared'), picker,
    el('div', { class: 'controls' }, 'smoothing ', smoothing, ' ', shownSmoothing, '   x axis ', axis),
    charts, el('h2', {}, 'Experiment files'), el('label', {}, only, ' only the keys that differ'), experiment);

  refresh = async () => {
    const all = await getJson('api/runs');
    picker.replaceChildren('runs: ', ...all.map(r => {
      const box = el('input', { type: 'checkbox', value: r.name, ...(names.includes(r.name) ? { checked: '' } : {}) });
      box.addEventListener('change', () => {
        const chosen = all.map(x => x.name).filter(n => n === r.name ? box.checked : names.includes(n));
        location.hash = `#/compare/${chosen.map(enc).join(',')}`;
      });
      return el('label', { 'data-run': r.name }, box, r.name, r.live ? ' (training)' : '', '  ');
    }));
    if (!names.length) { charts.replaceChildren(el('p', { class: 'empty' }, 'pick runs to compare')); experiment.replaceChildren(); return false; }
    const query = `runs=${names.map(enc).join(',')}`;
    const d = await getJson(`api/compare?${query}`);
    const chosen = all.filter(r => names.includes(r.name));
    const signature = JSON.stringify(chosen.map(r => [r.name, r.epochs]));
    for (const key of d.keys) {
      let holder = charts.querySelector(`div.chart[data-key="${CSS.escape(key)}"]`);
      if (!holder) { holder = el('div', { class: 'chart', 'data-key': key }); charts.append(holder); }
      await Charts.show(holder, `api/compare/${enc(key)}.svg?${query}&smoothing=${comparing.smoothing}&x=${comparing.x}`, signature);
    }
    for (const holder of charts.querySelectorAll('div.chart')) if (!d.keys.includes(holder.dataset.key)) holder.remove();
    const rows = d.experiment.filter(k => k.differs || !comparing.onlyDiffering)
      .map(k => ({ cells: [k.key, ...k.values.map(v => v ?? '—')], class: k.differs ? 'differs' : null, data: { key: k.key } }));
    experiment.replaceChildren(table(['key', ...d.runs], rows));
    return chosen.some(r => r.live);
  };
  return refresh;
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
  else if (parts[0] === 'compare') refresh = compareView(location.hash.replace(/^#\/?compare\/?/, '').split(',').filter(Boolean).map(decodeURIComponent));
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

// The dashboard page: one view per address (#/, #/study/NAME, #/study/NAME/trial/N, #/run/NAME,
// #/compare/A,B), each refreshed by polling the JSON endpoints, so trials and epochs appear as they
// finish without a reload. Charts are drawn by the server as SVG and swapped in (charts.js) when
// the data behind them changes.
'use strict';

const POLL_MS = 1000;
const IDLE_POLLS = 10, IDLE_POLL_MS = 5000; // a study unchanged for 10 polls is asked every 5 s until it changes
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

/** The trials table's controls and what they ask for; kept while the page polls. */
function trialControls(onChange) {
  const wanted = { sort: 'number', descending: false, hidden: new Set(), param: '', filter: '', page: 0 };
  const states = el('span', { id: 'state-filter' });
  const param = el('select', { id: 'param-filter' }, el('option', { value: '' }, 'parameter…'));
  const filter = el('input', { id: 'param-value', type: 'text', placeholder: 'a..b, >x, <x or text', size: '18' });
  const pager = el('span', { id: 'pager' });
  param.addEventListener('change', () => { wanted.param = param.value; wanted.page = 0; onChange(); });
  filter.addEventListener('input', () => { wanted.filter = filter.value; wanted.page = 0; onChange(); });
  const bar = el('div', { class: 'controls' }, 'state: ', states, ' ', param, ' ', filter, ' ', pager);
  return {
    wanted, bar,
    /** The query the server answers with the page of trials these controls ask for. */
    query() {
      const q = new URLSearchParams({ offset: String(wanted.page * PAGE_ROWS), limit: String(PAGE_ROWS), sort: wanted.sort, descending: String(wanted.descending) });
      if (wanted.hidden.size) q.set('hide', [...wanted.hidden].join(','));
      if (wanted.param) { q.set('param', wanted.param); q.set('filter', wanted.filter); }
      return q.toString();
    },
    /** Adds a checkbox per state and an option per parameter as new ones appear. */
    offer(stateNames, params) {
      for (const s of stateNames) {
        if (states.querySelector(`input[value="${s}"]`)) continue;
        const box = el('input', { type: 'checkbox', value: s, checked: '' });
        box.addEventListener('change', () => { if (box.checked) wanted.hidden.delete(s); else wanted.hidden.add(s); wanted.page = 0; onChange(); });
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

/**
 * A study's page of trials, fetched again only when it changed: the server names its answer (ETag)
 * and says "not modified" while the trials and the query stay the same.
 */
function trialPages(name) {
  let etag = null, last = null;
  return async query => {
    const url = `api/studies/${enc(name)}/trials?${query}`;
    const r = await fetch(url, { cache: 'no-store', headers: etag && last?.query === query ? { 'If-None-Match': etag } : {} });
    if (r.status === 304) return { ...last, changed: false };
    if (!r.ok) throw new Error(`${url}: ${r.status} ${(await r.json().catch(() => ({}))).error ?? ''}`);
    etag = r.headers.get('ETag');
    last = { query, data: await r.json() };
    return { ...last, changed: true };
  };
}

function studyView(name) {
  const charts = Object.fromEntries(STUDY_CHARTS.map(([id]) => [id, el('div', { class: 'chart', id: `${id}-chart` })]));
  const trials = el('div', { id: 'trials' });
  const pages = trialPages(name);
  const zoomable = { history: true, intermediate: true, parallel: false, slices: false, importance: false, pareto: true };
  let unchanged = 0; // polls in a row that found nothing new: the page then polls less often
  const controls = trialControls(() => { unchanged = 0; drawTrials(); });
  view.replaceChildren(el('h2', {}, `Study ${name}`),
    ...STUDY_CHARTS.flatMap(([id, title]) => [el('h3', {}, title), charts[id]]),
    el('h2', {}, 'Trials'), controls.bar, trials);

  /** Fetches the page of trials the controls ask for and draws it when it changed; returns the study's data. */
  async function drawTrials() {
    const query = controls.query();
    const { data, changed } = await pages(query);
    // A page asked for before the reader changed the controls is not drawn over the one now asked for.
    if (!changed || query !== controls.query()) return { data, changed: false };
    const w = controls.wanted;
    controls.offer(data.states, data.params);
    const objectives = data.directions.length > 1 ? data.objective_names.map((n, i) => [`value:${i}`, n]) : [['value', 'value']];
    const columns = [['number', '#'], ['state', 'state'], ...objectives, ...data.params.map(p => [`param:${p}`, p]), ['last_step', 'last step'], ['duration', 'duration']];
    const first = data.offset, last = data.offset + data.trials.length;
    if (first >= data.matched && data.matched > 0) { w.page = Math.floor((data.matched - 1) / PAGE_ROWS); return drawTrials(); }
    controls.pager(data.matched, first, last);
    const headers = columns.map(([key, title]) => {
      const th = el('th', { class: 'sortable', 'data-column': key }, title + (w.sort === key ? (w.descending ? ' ▼' : ' ▲') : ''));
      if (w.sort === key) th.dataset.sort = w.descending ? 'descending' : 'ascending';
      th.addEventListener('click', () => { w.descending = w.sort === key ? !w.descending : false; w.sort = key; w.page = 0; drawTrials(); });
      return th;
    });
    const values = t => data.directions.length > 1 ? data.objective_names.map((_, i) => t.values ? t.values[i] : '') : [t.values ? t.values.map(fmt).join(', ') : ''];
    trials.replaceChildren(table(headers, data.trials.map(t => ({
      cells: [t.number, state(t.state), ...values(t), ...data.params.map(p => t.params[p]), t.last_step, seconds(t.duration_seconds)],
      data: { number: t.number, state: t.state },
    })), r => { location.hash = `#/study/${enc(name)}/trial/${r.data.number}`; }));
    return { data, changed };
  }

  let opened = false;
  return async () => {
    // On opening, the charts of one objective are asked for with the trials, not after them: each
    // answer names the fingerprint it was drawn from.
    const early = opened ? [] : STUDY_CHARTS.map(([id]) => id).filter(id => id !== 'pareto')
      .map(id => Charts.show(charts[id], `api/studies/${enc(name)}/${id}.svg`, null, zoomable[id]));
    opened = true;
    const { data, changed } = await drawTrials();
    await Promise.all(early);
    // An importance still being fitted is asked for again at every refresh until it is there.
    const fitting = charts.importance.querySelector('svg.chart')?.dataset.title.includes('being fitted');
    unchanged = changed || fitting ? 0 : unchanged + 1;
    const signature = { ...data.chart_versions, ...(fitting ? { importance: String(Date.now()) } : {}) };
    // A study of several objectives has its Pareto front; the other charts draw one objective's values, which it has not.
    const shown = STUDY_CHARTS.map(([id]) => id).filter(id => (id === 'pareto') === data.directions.length > 1);
    for (const [id] of STUDY_CHARTS) charts[id].previousSibling.hidden = charts[id].hidden = !shown.includes(id);
    await Promise.all(shown.map(id => Charts.show(charts[id], `api/studies/${enc(name)}/${id}.svg`, signature[id], zoomable[id])));
    return unchanged >= IDLE_POLLS ? IDLE_POLL_MS : POLL_MS;
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
    const query = `runs=${names.map(enc).join(',')}`;
    // The runs and their comparison asked for together: neither waits for the other.
    const [all, d] = await Promise.all([getJson('api/runs'), names.length ? getJson(`api/compare?${query}`) : null]);
    picker.replaceChildren('runs: ', ...all.map(r => {
      const box = el('input', { type: 'checkbox', value: r.name, ...(names.includes(r.name) ? { checked: '' } : {}) });
      box.addEventListener('change', () => {
        const chosen = all.map(x => x.name).filter(n => n === r.name ? box.checked : names.includes(n));
        location.hash = `#/compare/${chosen.map(enc).join(',')}`;
      });
      return el('label', { 'data-run': r.name }, box, r.name, r.live ? ' (training)' : '', '  ');
    }));
    if (!names.length) { charts.replaceChildren(el('p', { class: 'empty' }, 'pick runs to compare')); experiment.replaceChildren(); return false; }
    const chosen = all.filter(r => names.includes(r.name));
    const signature = JSON.stringify(chosen.map(r => [r.name, r.epochs]));
    const rows = d.experiment.filter(k => k.differs || !comparing.onlyDiffering)
      .map(k => ({ cells: [k.key, ...k.values.map(v => v ?? '—')], class: k.differs ? 'differs' : null, data: { key: k.key } }));
    experiment.replaceChildren(table(['key', ...d.runs], rows));
    for (const holder of charts.querySelectorAll('div.chart')) if (!d.keys.includes(holder.dataset.key)) holder.remove();
    // Every chart asked for at once, each drawn as it arrives, in the order of the keys.
    await Promise.all(d.keys.map(key => {
      let holder = charts.querySelector(`div.chart[data-key="${CSS.escape(key)}"]`);
      if (!holder) { holder = el('div', { class: 'chart', 'data-key': key }); charts.append(holder); }
      return Charts.show(holder, `api/compare/${enc(key)}.svg?${query}&smoothing=${comparing.smoothing}&x=${comparing.x}`, signature);
    }));
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
      again = await refresh(); // false: the view is final; a number: the milliseconds until the next poll
      status.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      status.textContent = String(e.message ?? e);
    }
    if (again !== false && navigation === shown) timer = setTimeout(tick, typeof again === 'number' ? again : POLL_MS);
  };
  tick();
}

window.addEventListener('hashchange', route);
route();

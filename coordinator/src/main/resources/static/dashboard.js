'use strict';
// The coordinator's dashboard: polls GET /api/v1/migrations with the bearer token the user typed in, and draws each
// migration. Every value from the API goes into the page through textContent (names come from users), never as HTML.
(() => {
  const POLL_MS = 1500;
  const HISTORY_POINTS = 120; // per chart: the last three minutes at one point a poll
  const TOKEN_KEY = 'tidemark.api-token';
  const PIPELINES = {
    // 'checking' only for a migration submitted with Prefer: respond-async, while its prechecks run
    all: ['checking', 'pending', 'snapshotting', 'importing', 'replicating'],
    full: ['checking', 'pending', 'snapshotting', 'importing', 'completed'],
    incremental: ['checking', 'pending', 'replicating'],
    import: ['checking', 'pending', 'importing', 'completed'],
  };
  const STAGE_PHASES = {snapshot: 'snapshotting', import: 'importing', replication: 'replicating'};
  const ACTIONS = {
    stop: phase => !['checking', 'stopped', 'failed', 'completed'].includes(phase),
    resume: phase => phase === 'stopped',
    retry: phase => phase === 'failed',
  };

  const $ = id => document.getElementById(id);
  const login = $('login');
  const dashboard = $('dashboard');
  const list = $('migrations');
  const template = $('migration-template');
  const sections = new Map(); // migration id -> {el, history}
  let timer = null;

  class Unauthorized extends Error {
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function showLogin(refusal) {
    clearTimeout(timer);
    sessionStorage.removeItem(TOKEN_KEY);
    dashboard.hidden = true;
    $('sign-out').hidden = true;
    login.hidden = false;
    const error = $('login-error');
    error.hidden = !refusal;
    if (refusal) {
      error.textContent = [refusal.code, refusal.message, refusal.remedy].filter(Boolean).join(' — ');
    }
    $('token').value = '';
    $('token').focus();
  }

  function showDashboard() {
    login.hidden = true;
    dashboard.hidden = false;
    $('sign-out').hidden = false;
  }

  async function api(method, path) {
    const response = await fetch(path, {
      method, cache: 'no-store',
      headers: {'Authorization': 'Bearer ' + token(), 'Accept': 'application/json'},
    });
    const body = await response.json().catch(() => null);
    if (response.status === 401) {
      showLogin(body || {message: 'the coordinator refused the token (401)'});
      throw new Unauthorized();
    }
    if (!response.ok) {
      const e = new Error((body && body.message) || ('HTTP ' + response.status));
      e.body = body;
      throw e;
    }
    return body;
  }

  async function poll() {
    clearTimeout(timer);
    if (!token()) {
      return;
    }
    try {
      render(await api('GET', '/api/v1/migrations'));
      $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
      $('status').classList.remove('error-text');
    } catch (e) {
      if (e instanceof Unauthorized) {
        return;
      }
      $('status').textContent = 'cannot reach the coordinator: ' + e.message;
      $('status').classList.add('error-text');
    }
    timer = setTimeout(poll, POLL_MS);
  }

  function render(migrations) {
    const now = Date.now();
    const seen = new Set();
    for (const m of migrations) {
      seen.add(m.id);
      let entry = sections.get(m.id);
      if (!entry) {
        entry = create(m.id);
        sections.set(m.id, entry);
      }
      update(entry, m, now);
    }
    for (const [id, entry] of sections) {
      if (!seen.has(id)) {
        entry.el.remove();
        sections.delete(id);
      }
    }
    $('empty').hidden = migrations.length > 0;
  }

  function create(id) {
    const el = template.content.firstElementChild.cloneNode(true);
    el.dataset.id = id;
    for (const action of Object.keys(ACTIONS)) {
      el.querySelector('.' + action).addEventListener('click', () => act(el, id, action));
    }
    list.appendChild(el);
    return {el, history: [], previous: null, tables: new Map(), lastActive: null};
  }

  async function act(el, id, action) {
    const button = el.querySelector('.' + action);
    const problem = el.querySelector('.action-error');
    button.disabled = true;
    try {
      await api('POST', '/api/v1/migrations/' + encodeURIComponent(id) + '/' + action);
      problem.hidden = true;
    } catch (e) {
      if (e instanceof Unauthorized) {
        return;
      }
      const b = e.body || {};
      problem.textContent = action + ' refused: ' + [b.code, b.message || e.message, b.remedy]
          .filter(Boolean).join(' — ');
      problem.hidden = false;
    }
    poll();
  }

  function text(el, selector, value) {
    el.querySelector(selector).textContent = value;
  }

  function update(entry, m, now) {
    const el = entry.el;
    el.dataset.phase = m.phase;
    text(el, '.name', m.name);
    text(el, '.id', m.id);
    text(el, '.mode', m.mode);
    const phase = el.querySelector('.phase');
    phase.textContent = m.phase;
    phase.dataset.phase = m.phase;

    const steps = PIPELINES[m.mode] || PIPELINES.all;
    if (steps.includes(m.phase)) {
      entry.lastActive = m.phase;
    } else if (!entry.lastActive && m.error) {
      // failed before the page first saw it: the error's stage tells where
      entry.lastActive = STAGE_PHASES[m.error.stage] || null;
    }
    drawPipeline(el.querySelector('.pipeline'), steps, m.phase, entry.lastActive);

    for (const [action, allowed] of Object.entries(ACTIONS)) {
      el.querySelector('.' + action).disabled = !allowed(m.phase);
    }

    // throughput: the replication's own rate, else rows dumped and imported since the last poll
    const tables = m.tables || [];
    const done = tables.reduce((sum, t) => sum + t.rowsDumped + t.rowsImported, 0);
    let rate = m.rowsPerSecond;
    if (rate == null && entry.previous && now > entry.previous.at) {
      rate = Math.max(0, (done - entry.previous.done) * 1000 / (now - entry.previous.at));
    }
    entry.previous = {at: now, done};
    entry.history.push({at: now, rate: rate == null ? null : rate, lag: m.lagSeconds});
    if (entry.history.length > HISTORY_POINTS) {
      entry.history.shift();
    }
    const lag = el.querySelector('.lag');
    lag.textContent = m.lagSeconds == null ? '–' : m.lagSeconds + ' s';
    lag.dataset.seconds = m.lagSeconds == null ? '' : String(m.lagSeconds);
    text(el, '.rate', rate == null ? '–' : Math.round(rate).toLocaleString() + ' rows/s');
    text(el, '.updated', m.updatedAt ? new Date(m.updatedAt).toLocaleTimeString() : '–');
    drawChart(el.querySelector('.throughput-chart'), entry.history.map(p => p.rate), '#2a7ab0');
    drawChart(el.querySelector('.lag-chart'), entry.history.map(p => p.lag), '#c0562b');

    const error = el.querySelector('.error');
    error.hidden = !m.error;
    if (m.error) {
      text(error, '.error-code', m.error.code);
      text(error, '.error-stage', 'in ' + m.error.stage + (m.error.retriable ? ' (retriable)' : ''));
      text(error, '.error-message', m.error.message);
      text(error, '.error-remedy', m.error.remedy ? 'Remedy: ' + m.error.remedy : '');
    }
    const warnings = el.querySelector('.warnings');
    warnings.replaceChildren(...(m.warnings || []).map(w => {
      const li = document.createElement('li');
      li.textContent = [w.name, w.message, w.instruction].filter(Boolean).join(': ');
      return li;
    }));

    drawTables(entry, el.querySelector('.tables tbody'), tables, now);
  }

  function drawPipeline(ol, steps, phase, lastActive) {
    const halted = !steps.includes(phase);
    const reached = steps.indexOf(lastActive);
    ol.replaceChildren(...steps.map((step, i) => {
      const li = document.createElement('li');
      li.textContent = step;
      if (i < reached) {
        li.className = 'done';
      } else if (i === reached) {
        li.className = halted ? 'halted' : (step === 'completed' ? 'done' : 'current');
      }
      return li;
    }));
    if (halted) {
      const li = document.createElement('li');
      li.textContent = phase;
      li.className = 'halted';
      ol.appendChild(li);
    }
  }

  function drawTables(entry, tbody, tables, now) {
    const rows = tables.map(t => {
      const tr = document.createElement('tr');
      tr.dataset.table = t.table;
      const rowsDone = Math.max(t.rowsDumped, t.rowsImported);
      const percent = t.bytesTotal > 0 ? Math.floor(100 * t.bytesImported / t.bytesTotal)
          : (t.state === 'dumped' || t.state === 'imported' ? 100 : 0);
      // the ETA from the bytes imported since the last poll, smoothed so one slow chunk does not swing it
      const before = entry.tables.get(t.table);
      let bytesPerMs = before ? before.bytesPerMs : null;
      if (before && now > before.at && t.bytesImported > before.bytes) {
        const current = (t.bytesImported - before.bytes) / (now - before.at);
        bytesPerMs = bytesPerMs == null ? current : 0.7 * bytesPerMs + 0.3 * current;
      }
      entry.tables.set(t.table, {at: now, bytes: t.bytesImported, bytesPerMs});
      let eta = '–';
      if (t.state === 'imported' || (t.bytesTotal > 0 && t.bytesImported >= t.bytesTotal)) {
        eta = 'done';
      } else if (t.bytesTotal > 0 && bytesPerMs) {
        eta = duration((t.bytesTotal - t.bytesImported) / bytesPerMs);
      }
      const name = t.target ? t.table + ' → ' + t.target : t.table;
      cell(tr, name);
      cell(tr, t.state);
      const rowsCell = cell(tr, rowsDone.toLocaleString());
      rowsCell.className = 'rows';
      rowsCell.dataset.rows = String(rowsDone);
      rowsCell.title = 'dumped ' + t.rowsDumped + ', imported ' + t.rowsImported
          + (t.rowsInTarget != null ? ', in the target ' + t.rowsInTarget : '');
      cell(tr, t.bytesTotal > 0 ? bytes(t.bytesImported) + ' / ' + bytes(t.bytesTotal) : '–');
      const bar = cell(tr, '');
      bar.className = 'bar-cell';
      const track = document.createElement('div');
      track.className = 'bar';
      const fill = document.createElement('div');
      fill.className = 'fill ' + t.state;
      fill.style.width = percent + '%';
      const label = document.createElement('span');
      label.textContent = percent + ' %';
      track.append(fill, label);
      bar.appendChild(track);
      cell(tr, eta).className = 'eta';
      return tr;
    });
    tbody.replaceChildren(...rows);
  }

  function cell(tr, value) {
    const td = document.createElement('td');
    td.textContent = value;
    tr.appendChild(td);
    return td;
  }

  function drawChart(canvas, values, colour) {
    const g = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    const pad = 18;
    g.clearRect(0, 0, w, h);
    g.fillStyle = '#fbfcfd';
    g.fillRect(0, 0, w, h);
    g.strokeStyle = '#d5dbe1';
    g.beginPath();
    g.moveTo(pad, pad / 2);
    g.lineTo(pad, h - pad);
    g.lineTo(w - 4, h - pad);
    g.stroke();
    const present = values.filter(v => v != null);
    const max = Math.max(1, ...present);
    g.fillStyle = '#56626e';
    g.font = '11px sans-serif';
    g.fillText(max >= 10 ? String(Math.round(max)) : max.toFixed(1), pad + 4, 12);
    g.fillText(present.length ? 'now ' + Math.round(present[present.length - 1]) : 'no data yet', w - 90, 12);
    const x = i => pad + (w - pad - 6) * i / Math.max(1, HISTORY_POINTS - 1);
    const y = v => h - pad - (h - pad * 1.5) * v / max;
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.beginPath();
    let drawing = false;
    values.forEach((v, i) => {
      if (v == null) {
        drawing = false;
        return;
      }
      if (drawing) {
        g.lineTo(x(i), y(v));
      } else {
        g.moveTo(x(i), y(v));
        drawing = true;
      }
    });
    g.stroke();
    g.lineWidth = 1;
  }

  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function duration(ms) {
    const s = Math.max(1, Math.round(ms / 1000));
    if (s < 60) {
      return s + ' s';
    }
    if (s < 3600) {
      return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    }
    return Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min';
  }

  login.addEventListener('submit', e => {
    e.preventDefault();
    const value = $('token').value.trim();
    if (!value) {
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    showDashboard();
    poll();
  });
  $('sign-out').addEventListener('click', () => showLogin(null));

  if (token()) {
    showDashboard();
    poll();
  } else {
    showLogin(null);
  }
})();

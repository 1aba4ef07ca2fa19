// One session's traffic: its entries, paged in and then followed live, in a virtualised table
// with filters; the chosen entry's detail beside it; exports as downloads.
import {api, follow, download} from './api.js';
import {h, replace, toast, formatBytes, formatMs, formatTime} from './dom.js';
import {VirtualTable} from './vtable.js';
import {renderDetail} from './detail.js';
import {matchStatus, matchHost} from './filters.js';

export const EXPORTS = [
  ['har', 'HAR 1.2', 'export'],
  ['wiremock', 'WireMock stub mappings', 'export'],
  ['mockd', 'mockd YAML', 'export'],
  ['postman', 'Postman collection', 'export'],
  ['insomnia-v4', 'Insomnia v4 (JSON)', 'export'],
  ['insomnia-v5', 'Insomnia v5 (YAML)', 'export'],
  ['openapi', 'OpenAPI 3.1', 'export'],
  ['k6', 'k6 load script', 'export-perf'],
  ['node-test', 'node:test script', 'export-test'],
  ['collection', 'API Tester collection', 'export-collection'],
];

/** An entry (full or live summary) as a table row. */
export function toRow(e) {
  let host = '', path = e.request?.url || '';
  try {
    const u = new URL(e.request.url);
    host = u.host;
    path = u.pathname + u.search;
  } catch { /* a tunnel's host:port */ }
  const status = e.response?.statusCode;
  return {
    id: e.id, sessionId: e.sessionId, sequence: e.sequence, type: e.entryType || 'http', startedAt: e.startedAt,
    durationMs: e.durationMs, method: e.request?.method || '', url: e.request?.url || '', host, path,
    status: status ?? null, size: e.response?.bodySize ?? e.response?.body?.size ?? null, error: e.error,
    cls: e.error || status >= 500 ? 'bad' : status >= 400 ? 'warn' : '',
  };
}

export const COLUMNS = [
  {key: 'seq', label: '#', cls: 'num narrow-hide', value: (r) => String(r.sequence ?? '')},
  {key: 'time', label: 'Time', cls: 'narrow-hide', value: (r) => formatTime(r.startedAt)},
  {key: 'method', label: 'Method', cls: 'method', value: (r) => r.method},
  {key: 'host', label: 'Host', cls: 'narrow-hide', value: (r) => r.host},
  {key: 'path', label: 'Path', cls: 'grow', value: (r) => r.path},
  {key: 'status', label: 'Status', cls: 'num', value: (r) => (r.status ?? (r.error ? 'error' : ''))+''},
  {key: 'type', label: 'Type', cls: 'narrow-hide', value: (r) => r.type},
  {key: 'size', label: 'Size', cls: 'num narrow-hide', value: (r) => formatBytes(r.size)},
  {key: 'time', label: 'Duration', cls: 'num', value: (r) => formatMs(r.durationMs)},
];

export function renderTraffic(root, sessionId, entryId) {
  const byId = new Map();
  let rows = [];
  let session = null;
  let stop = null;
  let closed = false;
  let selected = entryId || null;

  const title = h('h2', null, 'Session');
  const liveState = h('span', {class: 'live-state', role: 'status', 'aria-live': 'polite'}, 'connecting');
  const count = h('span', {class: 'muted', id: 'entry-count'});
  const filters = {
    method: h('select', {id: 'f-method'}, ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'CONNECT'].map((m) => h('option', {value: m}, m || 'any'))),
    status: h('input', {id: 'f-status', placeholder: '2xx, 404, 500-503', size: 10}),
    host: h('input', {id: 'f-host', placeholder: '*.example.com', size: 14}),
    text: h('input', {id: 'f-text', type: 'search', placeholder: 'text in URL', size: 16}),
  };
  const table = new VirtualTable({label: 'Entries', columns: COLUMNS, onOpen: (r) => openEntry(r.id)});
  const detail = h('section', {class: 'detail', id: 'entry-detail', 'aria-label': 'Entry detail', tabindex: -1});
  const exportFormat = h('select', {id: 'export-format'}, EXPORTS.map(([v, label]) => h('option', {value: v}, label)));
  const exportFiltered = h('input', {type: 'checkbox', id: 'export-filtered'});

  const page = h('div', {class: 'traffic'},
    h('div', {class: 'bar'},
      h('a', {href: '#/sessions', class: 'back'}, '← Sessions'),
      title, liveState, count),
    h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter entries', onsubmit: (e) => e.preventDefault()},
      h('div', {class: 'field inline'}, h('label', {for: 'f-method'}, 'Method'), filters.method),
      h('div', {class: 'field inline'}, h('label', {for: 'f-status'}, 'Status'), filters.status),
      h('div', {class: 'field inline'}, h('label', {for: 'f-host'}, 'Host'), filters.host),
      h('div', {class: 'field inline'}, h('label', {for: 'f-text'}, 'Text'), filters.text),
      h('a', {href: `#/search`, class: 'quiet', onclick: () => sessionStorage.setItem('tapedeck.searchSession', sessionId)}, 'Search headers and bodies…')),
    h('div', {class: 'split'}, table.el, detail),
    h('form', {class: 'exports card', 'aria-label': 'Export', onsubmit: (e) => { e.preventDefault(); doExport(); }},
      h('div', {class: 'field inline'}, h('label', {for: 'export-format'}, 'Export as'), exportFormat),
      h('div', {class: 'field check'}, exportFiltered, h('label', {for: 'export-filtered'}, 'only the entries shown')),
      h('button', {type: 'submit', id: 'export-button'}, 'Download')));
  replace(root, page);
  replace(detail, h('p', {class: 'muted'}, 'Choose an entry to see its headers, bodies and timings.'));

  for (const el of Object.values(filters)) el.addEventListener('input', refilter);

  function matches(r) {
    const m = filters.method.value;
    if (m && r.method !== m) return false;
    if (!matchStatus(filters.status.value, r.status)) return false;
    if (!matchHost(filters.host.value, r.host)) return false;
    const t = filters.text.value.trim().toLowerCase();
    if (t && !r.url.toLowerCase().includes(t)) return false;
    return true;
  }

  let refilterFrame = 0;
  function refilter() {
    if (refilterFrame) return;
    refilterFrame = requestAnimationFrame(() => {
      refilterFrame = 0;
      const shown = rows.filter(matches);
      table.setRows(shown);
      count.textContent = shown.length === rows.length ? `${rows.length} entries` : `${shown.length} of ${rows.length} entries`;
    });
  }

  function add(entry) {
    if (byId.has(entry.id)) return;
    const r = toRow(entry);
    byId.set(r.id, r);
    if (rows.length && rows[rows.length - 1].sequence > r.sequence) {
      rows.push(r);
      rows.sort((a, b) => a.sequence - b.sequence);
    } else {
      rows.push(r);
    }
  }

  function evict(id) {
    if (!byId.delete(id)) return;
    rows = rows.filter((r) => r.id !== id);
  }

  async function pageIn() {
    let cursor = null;
    do {
      const p = await api('GET', `recorder/${encodeURIComponent(sessionId)}/entries`, {query: {limit: 1000, cursor}});
      for (const e of p.entries || []) add(e);
      refilter();
      cursor = p.nextCursor;
    } while (cursor && !closed);
  }

  async function openEntry(id) {
    location.hash = `#/sessions/${encodeURIComponent(sessionId)}/traffic/${encodeURIComponent(id)}`;
  }

  function select(id) {
    selected = id || null;
    table.select(selected);
    if (!selected) {
      replace(detail, h('p', {class: 'muted'}, 'Choose an entry to see its headers, bodies and timings.'));
      return;
    }
    renderDetail(detail, sessionId, selected, {
      onDeleted: () => { evict(selected); refilter(); location.hash = `#/sessions/${encodeURIComponent(sessionId)}/traffic`; },
    });
  }

  async function doExport() {
    const [format, , path] = EXPORTS.find(([v]) => v === exportFormat.value);
    const body = {};
    if (path === 'export') body.format = format;
    if (exportFiltered.checked) body.entryIds = table.rows.map((r) => r.id);
    try {
      const name = await download('POST', `recorder/${encodeURIComponent(sessionId)}/${path}`, {body, fallbackName: `${sessionId}.${format}`});
      toast(`Downloaded ${name}`);
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  (async () => {
    try {
      session = (await api('GET', `recorder/${encodeURIComponent(sessionId)}`)).session;
      title.textContent = `${session.name} (${session.status}, port ${session.listenPort || '–'})`;
    } catch (e) {
      replace(root, h('p', {class: 'field-error', role: 'alert'}, e.message), h('a', {href: '#/sessions'}, 'Back to sessions'));
      closed = true;
      return;
    }
    stop = follow(sessionId, {
      onMessage: (m) => {
        if (m.type !== 'entry' || !m.entry) return;
        if (m.entry.id === '__evict__') evict(m.entry.notes);
        else add(m.entry);
        refilter();
      },
      onState: (s) => {
        liveState.textContent = s;
        liveState.dataset.state = s;
      },
      // Each (re)connection pages in what the stream did not carry: before it, or while away.
      onOpen: () => pageIn().catch((e) => toast(e.message, 'error')),
    });
    if (selected) select(selected);
  })();

  return {
    sessionId,
    select,
    cleanup: () => {
      closed = true;
      stop?.();
    },
  };
}

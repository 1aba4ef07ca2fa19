// Search across every session the key can see (GET /api/v1/recorder/search): text in URLs,
// headers and bodies, method, status, host, type, time.
import {api, ApiError} from './api.js';
import {h, replace} from './dom.js';
import {VirtualTable} from './vtable.js';
import {COLUMNS, toRow} from './traffic.js';

export function renderSearch(root) {
  const f = (id, label, input, hint) => {
    input.id = 's-' + id;
    input.name = id;
    input.setAttribute('aria-describedby', `s-${id}-error`);
    return h('div', {class: 'field', dataset: {field: id}}, h('label', {for: input.id}, label), input,
      hint && h('p', {class: 'hint'}, hint), h('p', {class: 'field-error', id: `s-${id}-error`}));
  };
  const session = h('select', null, h('option', {value: ''}, 'all sessions'));
  const form = h('form', {class: 'card search-form', role: 'search', 'aria-label': 'Search traffic'},
    h('div', {class: 'grid'},
      f('q', 'Text', h('input', {type: 'search', placeholder: 'in URLs, headers and bodies'})),
      f('method', 'Methods', h('input', {placeholder: 'GET,POST'})),
      f('status', 'Status', h('input', {placeholder: '404, 4xx, 500-503'})),
      f('host', 'Host', h('input', {placeholder: '*.example.com'})),
      f('type', 'Types', h('input', {placeholder: 'http,websocket,sse,grpc'})),
      f('sessionId', 'Session', session),
      f('from', 'From', h('input', {type: 'datetime-local'})),
      f('to', 'To', h('input', {type: 'datetime-local'}))),
    h('button', {type: 'submit'}, 'Search'));
  const result = h('p', {class: 'muted', role: 'status'});
  const table = new VirtualTable({label: 'Search results', columns: [{key: 'session', label: 'Session', cls: 'narrow-hide', value: (r) => r.sessionName}, ...COLUMNS.slice(1)],
    onOpen: (r) => (location.hash = `#/sessions/${encodeURIComponent(r.sessionId)}/traffic/${encodeURIComponent(r.id)}`)});
  replace(root, h('div', {class: 'search'}, h('h2', null, 'Search traffic'), form, result, table.el));

  const names = new Map();
  api('GET', 'recorder/sessions').then((a) => {
    for (const s of a.sessions || []) {
      names.set(s.id, s.name);
      session.appendChild(h('option', {value: s.id}, s.name));
    }
    const wanted = sessionStorage.getItem('tapedeck.searchSession');
    if (wanted) {
      session.value = wanted;
      sessionStorage.removeItem('tapedeck.searchSession');
    }
  }).catch(() => {});

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const query = {limit: 500};
    for (const name of ['q', 'method', 'status', 'host', 'type', 'sessionId']) query[name] = form.elements[name].value.trim();
    for (const name of ['from', 'to']) {
      const v = form.elements[name].value;
      if (v) query[name] = new Date(v).toISOString();
    }
    result.textContent = 'Searching…';
    try {
      const a = await api('GET', 'recorder/search', {query});
      const rows = (a.entries || []).map((x) => ({...toRow(x), sessionName: names.get(x.sessionId) || x.sessionId}));
      table.follow = false;
      table.setRows(rows);
      table.el.scrollTop = 0;
      result.textContent = `${a.total} match(es)` + (a.total > rows.length ? `, the newest ${rows.length} shown` : '');
    } catch (err) {
      result.textContent = err.message;
      if (err instanceof ApiError) {
        for (const x of err.fields) {
          const box = form.querySelector(`[data-field="${CSS.escape(String(x.field))}"]`);
          if (box) {
            box.querySelector('.field-error').textContent = x.message;
            box.querySelector('input, select').setAttribute('aria-invalid', 'true');
          }
        }
      }
    }
  });
}

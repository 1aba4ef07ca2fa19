// Mocks: the caller's mocks with their call counts; toggle, reset counts, delete, export.
import {api, download} from './api.js';
import {h, replace, toast} from './dom.js';

export function renderMocks(root) {
  const ns = h('input', {id: 'm-namespace', placeholder: 'all namespaces'});
  const status = h('p', {class: 'muted', role: 'status'});
  const tbody = h('tbody');
  const page = h('div', {class: 'mocks'},
    h('div', {class: 'bar'}, h('h2', null, 'Mocks'),
      h('button', {type: 'button', onclick: () => load()}, 'Refresh'),
      h('button', {type: 'button', onclick: () => exportMocks()}, 'Download WireMock mappings'),
      h('button', {type: 'button', onclick: () => resetAll()}, 'Reset all call counts')),
    h('form', {class: 'filters', onsubmit: (e) => { e.preventDefault(); load(); }},
      h('div', {class: 'field inline'}, h('label', {for: 'm-namespace'}, 'Namespace'), ns),
      h('button', {type: 'submit'}, 'Show')),
    status,
    h('div', {class: 'scroll-x'}, h('table', {class: 'list', id: 'mock-table'},
      h('caption', {class: 'sr-only'}, 'Mocks'),
      h('thead', null, h('tr', null, ['Enabled', 'Request', 'Status', 'Namespace', 'Calls', 'Last called', 'Id', 'Actions'].map((c) => h('th', {scope: 'col'}, c)))),
      tbody)));
  replace(root, page);

  async function load() {
    try {
      const a = await api('GET', 'mocks', {query: {namespace: ns.value.trim()}});
      const mocks = a.mocks || [];
      status.textContent = `${a.total ?? mocks.length} mock(s)`;
      replace(tbody, mocks.length ? mocks.map(row) : h('tr', null, h('td', {colspan: 8, class: 'muted'}, 'No mocks. Make some from a session\'s entries.')));
    } catch (e) {
      status.textContent = e.message;
    }
  }

  function row(m) {
    const d = m.definition || {};
    const r = d.request || {};
    const url = r.url || r.urlPath || r.urlPathTemplate || r.urlPathPattern || r.urlPattern || '';
    const calls = h('td', {class: 'num', 'data-label': 'Calls'}, '…');
    const last = h('td', {'data-label': 'Last called'});
    api('GET', `mocks/${encodeURIComponent(m.id)}/verify`).then((v) => {
      calls.textContent = String(v.callCount);
      last.textContent = v.lastCalledAt ? new Date(v.lastCalledAt).toLocaleString() : '';
    }).catch(() => (calls.textContent = '?'));
    const toggle = h('input', {type: 'checkbox', checked: m.enabled !== false, 'aria-label': `Enabled: ${r.method || 'ANY'} ${url}`});
    toggle.addEventListener('change', async () => {
      try {
        const a = await api('POST', `mocks/${encodeURIComponent(m.id)}/toggle`);
        const enabled = (a.mock || a).enabled;
        if (enabled != null) toggle.checked = enabled;
        toast(`Mock ${m.id} ${toggle.checked ? 'enabled' : 'disabled'}`);
      } catch (e) {
        toggle.checked = !toggle.checked;
        toast(e.message, 'error');
      }
    });
    return h('tr', null,
      h('td', null, toggle),
      h('td', {class: 'ellipsis', title: url, 'data-label': 'Request'}, `${r.method || 'ANY'} ${url}`),
      h('td', {class: 'num', 'data-label': 'Status'}, String(d.response?.status ?? '')),
      h('td', {'data-label': 'Namespace'}, m.namespace || ''),
      calls, last,
      h('td', {class: 'ellipsis mono', title: m.id, 'data-label': 'Id'}, m.id),
      h('td', {class: 'actions'},
        h('button', {type: 'button', onclick: async () => {
          try { await api('DELETE', `mocks/${encodeURIComponent(m.id)}/invocations`); toast('Calls forgotten'); load(); } catch (e) { toast(e.message, 'error'); }
        }}, 'Reset calls'),
        h('button', {type: 'button', class: 'danger', onclick: async () => {
          if (!confirm(`Delete mock ${m.id}?`)) return;
          try { await api('DELETE', `mocks/${encodeURIComponent(m.id)}`); toast('Mock deleted'); load(); } catch (e) { toast(e.message, 'error'); }
        }}, 'Delete')));
  }

  async function exportMocks() {
    try {
      const q = ns.value.trim() ? `?namespace=${encodeURIComponent(ns.value.trim())}` : '';
      await download('GET', 'mocks/export' + q, {fallbackName: 'mappings.json'});
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  async function resetAll() {
    try {
      await api('DELETE', 'mocks/verify');
      toast('All call counts reset');
      load();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  load();
}

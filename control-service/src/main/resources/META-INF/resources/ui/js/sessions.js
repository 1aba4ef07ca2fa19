// Sessions: the list (status, port, entry counts), the start form, stop/restart/delete, and the
// proxy settings of a session ready to copy.
import {api, ApiError} from './api.js';
import {h, replace, toast, copyText, formatTime} from './dom.js';

const HOST_KEY = 'tapedeck.proxyHost';

export function renderSessions(root) {
  let sessions = [];
  let shown = null; // id of the session whose proxy settings are open
  const tbody = h('tbody');
  const status = h('p', {class: 'muted', role: 'status'});
  const settings = h('section', {id: 'proxy-settings', 'aria-labelledby': 'proxy-settings-title', hidden: true});
  const form = startForm(async (session) => {
    shown = session.id;
    await load();
  });

  const page = h('div', {class: 'sessions'},
    h('div', {class: 'bar'},
      h('h2', null, 'Sessions'),
      h('button', {type: 'button', onclick: () => load()}, 'Refresh')),
    status,
    h('div', {class: 'scroll-x'},
      h('table', {class: 'list', id: 'session-table'},
        h('caption', {class: 'sr-only'}, 'Recording sessions'),
        h('thead', null, h('tr', null,
          ['Name', 'Status', 'Mode', 'Port', 'Entries', 'Target', 'Created', 'Actions'].map((c) => h('th', {scope: 'col'}, c)))),
        tbody)),
    settings,
    form);
  replace(root, page);

  async function act(s, action) {
    try {
      if (action === 'delete') {
        if (!confirm(`Delete session ${s.name} and its entries?`)) return;
        await api('DELETE', `recorder/${s.id}`);
        if (shown === s.id) shown = null;
      } else {
        await api('POST', `recorder/${s.id}/${action}`);
      }
      toast(`Session ${s.name}: ${action === 'delete' ? 'deleted' : action === 'stop' ? 'stopped' : 'restarted'}`);
    } catch (e) {
      toast(e.message, 'error');
    }
    await load();
  }

  function row(s) {
    const count = s.entryCount == null ? '?' : String(s.entryCount);
    return h('tr', {dataset: {id: s.id}},
      h('td', null, h('a', {href: `#/sessions/${encodeURIComponent(s.id)}/traffic`, dataset: {focus: s.id + ':open'}}, s.name)),
      h('td', {'data-label': 'Status'}, h('span', {class: 'badge ' + s.status}, s.status)),
      h('td', {'data-label': 'Mode'}, s.mode + (s.trafficMode && s.trafficMode !== 'record' ? ` (${s.trafficMode})` : '')),
      h('td', {class: 'num', 'data-label': 'Port'}, s.listenPort ? String(s.listenPort) : '–'),
      h('td', {class: 'num', 'data-label': 'Entries'}, count),
      h('td', {class: 'ellipsis', title: s.targetUrl || '', 'data-label': 'Target'}, s.targetUrl || (s.mode === 'forward' ? 'any (forward proxy)' : '')),
      h('td', {'data-label': 'Created'}, formatTime(s.createdAt)),
      h('td', {class: 'actions'},
        h('button', {type: 'button', dataset: {focus: s.id + ':settings'}, 'aria-expanded': String(shown === s.id),
          onclick: () => { shown = shown === s.id ? null : s.id; draw(); }}, 'Proxy settings'),
        s.status === 'running'
          ? h('button', {type: 'button', dataset: {focus: s.id + ':stop'}, onclick: () => act(s, 'stop')}, 'Stop')
          : h('button', {type: 'button', dataset: {focus: s.id + ':restart'}, onclick: () => act(s, 'restart')}, 'Restart'),
        h('button', {type: 'button', class: 'danger', dataset: {focus: s.id + ':delete'}, onclick: () => act(s, 'delete')}, 'Delete')));
  }

  function draw() {
    // Keep keyboard focus on the same control across a refresh.
    const focusKey = document.activeElement?.dataset?.focus;
    replace(tbody, sessions.length ? sessions.map(row) : h('tr', null, h('td', {colspan: 8, class: 'muted'}, 'No sessions yet: start one below.')));
    if (focusKey) tbody.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`)?.focus();
    const s = sessions.find((x) => x.id === shown);
    settings.hidden = !s;
    if (s) replace(settings, proxySettings(s));
  }

  async function load() {
    try {
      const answer = await api('GET', 'recorder/sessions');
      sessions = answer.sessions || [];
      status.textContent = `${answer.total ?? sessions.length} session(s)`;
      draw();
    } catch (e) {
      status.textContent = e.message;
    }
  }

  load();
  const timer = setInterval(load, 5000);
  return () => clearInterval(timer);
}

/** How to send traffic through a session, ready to copy. */
function proxySettings(s) {
  const hostInput = h('input', {id: 'proxy-host', value: localStorage.getItem(HOST_KEY) || location.hostname, spellcheck: 'false'});
  const lines = h('div');
  const draw = () => {
    const host = hostInput.value.trim() || location.hostname;
    const proxy = `http://${host}:${s.listenPort}`;
    const items = s.mode === 'forward'
      ? [
          ['Environment', `export HTTP_PROXY=${proxy} HTTPS_PROXY=${proxy}`],
          ['curl', `curl -x ${proxy} http://example.com/`],
          s.mitm?.enabled
            ? ['curl (HTTPS, intercepted)', `curl -x ${proxy} --cacert tapedeck-ca.pem https://example.com/`]
            : ['curl (HTTPS, tunnelled)', `curl -x ${proxy} https://example.com/`],
        ]
      : [
          ['Base URL', proxy],
          ['curl', `curl ${proxy}/`],
        ];
    replace(lines, h('dl', {class: 'copy-list'}, items.map(([label, text]) => [
      h('dt', null, label),
      h('dd', null, h('code', null, text), ' ', h('button', {type: 'button', class: 'quiet', 'aria-label': 'Copy ' + label, onclick: () => copyText(text, label)}, 'Copy')),
    ])));
  };
  hostInput.addEventListener('input', () => {
    localStorage.setItem(HOST_KEY, hostInput.value.trim());
    draw();
  });
  draw();
  return [
    h('h3', {id: 'proxy-settings-title'}, `Proxy settings: ${s.name}`),
    h('p', {class: 'muted'}, s.mode === 'forward'
      ? 'Point your client\'s HTTP_PROXY / HTTPS_PROXY at the session\'s port.'
      : `Point your application's base URL at the session's port instead of ${s.targetUrl}.`),
    h('div', {class: 'field inline'}, h('label', {for: 'proxy-host'}, 'Proxy host'), hostInput),
    lines,
  ];
}

/** The start form: the common start fields, the others as JSON; errors at their field. */
function startForm(onStarted) {
  const field = (name, label, input, hint) => {
    input.id = 'start-' + name;
    input.name = name;
    input.setAttribute('aria-describedby', `start-${name}-error${hint ? ` start-${name}-hint` : ''}`);
    return h('div', {class: 'field', dataset: {field: name}},
      h('label', {for: input.id}, label), input,
      hint && h('p', {class: 'hint', id: `start-${name}-hint`}, hint),
      h('p', {class: 'field-error', id: `start-${name}-error`}));
  };
  const mode = h('select', null, h('option', {value: 'reverse'}, 'reverse (base URL)'), h('option', {value: 'forward'}, 'forward (HTTP_PROXY)'));
  const target = h('input', {type: 'url', placeholder: 'https://api.example.com', spellcheck: 'false'});
  const mitm = h('input', {type: 'checkbox'});
  const mitmField = h('div', {class: 'field check', dataset: {field: 'mitm'}, hidden: true},
    mitm, h('label', {for: 'start-mitm'}, 'Intercept HTTPS (trust the CA first)'), h('p', {class: 'field-error', id: 'start-mitm-error'}));
  mitm.id = 'start-mitm';
  mitm.setAttribute('aria-describedby', 'start-mitm-error');
  const targetField = field('targetUrl', 'Target URL', target, 'Every request goes to this URL (reverse mode).');
  mode.addEventListener('change', () => {
    targetField.hidden = mode.value === 'forward';
    mitmField.hidden = mode.value !== 'forward';
  });
  const formError = h('p', {class: 'field-error', role: 'alert'});
  const form = h('form', {id: 'start-form', class: 'card', novalidate: true, 'aria-labelledby': 'start-title'},
    h('h2', {id: 'start-title'}, 'Start a session'),
    h('div', {class: 'grid'},
      field('name', 'Name', h('input', {placeholder: 'optional'})),
      field('mode', 'Mode', mode),
      targetField,
      mitmField,
      field('listenPort', 'Listen port', h('input', {type: 'number', min: 0, placeholder: 'auto (8081-8999)'})),
      field('namespace', 'Mock namespace', h('input', {placeholder: 'default'})),
      field('trafficMode', 'Traffic mode', h('select', null, ['record', 'passthrough', 'playback'].map((v) => h('option', {value: v}, v)))),
      field('captureBodyLimitBytes', 'Body capture limit (bytes)', h('input', {type: 'number', min: 0, placeholder: '1048576'}))),
    field('advanced', 'More settings (JSON: filters, toxics, modifications, ...)',
      h('textarea', {rows: 3, spellcheck: 'false', placeholder: '{"filters": {"excludePaths": ["/health"]}}'})),
    formError,
    h('button', {type: 'submit'}, 'Start'));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    formError.textContent = '';
    const v = (n) => form.elements[n].value.trim();
    let body = {};
    if (v('advanced')) {
      try {
        body = JSON.parse(v('advanced'));
        if (typeof body !== 'object' || Array.isArray(body) || body === null) throw new Error('must be a JSON object');
      } catch (err) {
        return showErrors([{field: 'advanced', message: 'Not a JSON object: ' + err.message}]);
      }
    }
    if (v('name')) body.name = v('name');
    body.mode = mode.value;
    if (mode.value === 'reverse' && v('targetUrl')) body.targetUrl = v('targetUrl');
    if (mode.value === 'forward' && mitm.checked) body.mitm = {...(body.mitm || {}), enabled: true};
    if (v('listenPort')) body.listenPort = Number(v('listenPort'));
    if (v('namespace')) body.namespace = v('namespace');
    if (form.elements.trafficMode.value !== 'record') body.trafficMode = form.elements.trafficMode.value;
    if (v('captureBodyLimitBytes')) body.captureBodyLimitBytes = Number(v('captureBodyLimitBytes'));
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const answer = await api('POST', 'recorder/start', {body});
      toast(`Session ${answer.session.name} started on port ${answer.session.listenPort}`);
      form.reset();
      mode.dispatchEvent(new Event('change'));
      await onStarted(answer.session);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) showErrors(err.fields, err.message);
      else formError.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  });

  function showErrors(fields, message) {
    let first = null;
    const rest = [];
    for (const f of fields) {
      const top = String(f.field || '').split(/[.[]/)[0];
      const box = form.querySelector(`[data-field="${CSS.escape(top)}"]`) || form.querySelector('[data-field="advanced"]');
      const err = box.querySelector('.field-error');
      err.textContent = (err.textContent ? err.textContent + ' ' : '') + (box.dataset.field === top ? f.message : `${f.field}: ${f.message}`);
      const input = box.querySelector('input, select, textarea');
      input.setAttribute('aria-invalid', 'true');
      first ??= input;
      if (!f.field) rest.push(f.message);
    }
    formError.textContent = message || rest.join(' ') || 'Some fields need attention.';
    first?.focus();
  }
  return form;
}

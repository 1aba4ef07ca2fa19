// One entry: request and response (headers in captured order, bodies by type), frames as a
// timeline, the timing waterfall, tags and notes, and the actions (curl, mock, replay, delete).
import {api, ApiError} from './api.js';
import {h, replace, toast, copyText, formatBytes, formatMs, formatTime} from './dom.js';
import {renderBody, hexDump} from './bodies.js';
import {curlOf} from './curl.js';

export async function renderDetail(root, sessionId, entryId, {onDeleted}) {
  root.dataset.loading = entryId;
  replace(root, h('p', {class: 'muted'}, 'Loading…'));
  const base = `recorder/${encodeURIComponent(sessionId)}/entries/${encodeURIComponent(entryId)}`;
  let entry;
  try {
    entry = (await api('GET', base)).entry;
  } catch (e) {
    if (root.dataset.loading === entryId) replace(root, h('p', {class: 'field-error', role: 'alert'}, e.message));
    return;
  }
  if (root.dataset.loading !== entryId) return; // another entry was chosen meanwhile
  const req = entry.request || {};
  const res = entry.response;
  const replayOut = h('div', {id: 'replay-result', 'aria-live': 'polite'});
  const mockOut = h('p', {'aria-live': 'polite'});

  const flags = ['mapLocal', 'playbackMiss', 'modified', 'refused'].filter((f) => entry[f]);
  replace(root,
    h('h3', {class: 'entry-title'}, h('span', {class: 'method'}, req.method), ' ', h('span', {class: 'url'}, req.url)),
    h('p', {class: 'summary'},
      res ? h('span', {class: 'badge ' + (res.statusCode >= 400 ? 'bad' : 'ok')}, `${res.statusCode} ${res.statusText || ''}`) : h('span', {class: 'badge bad'}, 'no response'),
      ` ${entry.entryType} · ${formatTime(entry.startedAt)} · ${formatMs(entry.durationMs)}`,
      entry.clientAddress ? ` · from ${entry.clientAddress}` : '',
      flags.length ? ` · ${flags.join(', ')}` : '',
      entry.toxics?.length ? ` · toxics: ${entry.toxics.join(', ')}` : ''),
    entry.error && h('p', {class: 'field-error'}, entry.error),
    entry.loss && h('p', {class: 'warn-text'}, `Recording incomplete (${entry.loss.kind}): ${entry.loss.reason || ''}`),
    h('div', {class: 'actions', role: 'group', 'aria-label': 'Entry actions'},
      h('button', {type: 'button', onclick: () => copyText(curlOf(entry), 'curl command')}, 'Copy as curl'),
      h('button', {type: 'button', onclick: () => makeMock()}, 'Make a mock'),
      h('button', {type: 'button', id: 'replay-button', onclick: () => replay()}, 'Replay'),
      h('button', {type: 'button', class: 'danger', onclick: () => remove()}, 'Delete entry')),
    mockOut,
    replayOut,
    section('Timings', waterfall(entry.timings)),
    section('Request', meta(req.httpVersion), headerTable('Request headers', req.headers), bodySection('Request body', req.body)),
    entry.originalRequest && section('Original request (before modifications)', headerTable('Original request headers', entry.originalRequest.headers), bodySection('Original request body', entry.originalRequest.body)),
    res && section('Response', meta(res.httpVersion), headerTable('Response headers', res.headers), bodySection('Response body', res.body),
      res.trailers?.length ? headerTable('Trailers', res.trailers) : null),
    entry.frames?.length ? section(`Frames (${entry.frames.length})`, frameTimeline(entry.frames)) : null,
    entry.grpcInfo && section('gRPC', kv({service: entry.grpcInfo.service, method: entry.grpcInfo.method, status: entry.grpcInfo.statusCode, message: entry.grpcInfo.statusMessage})),
    entry.graphqlInfo && section('GraphQL', kv(entry.graphqlInfo)),
    entry.soapInfo && section('SOAP', kv(entry.soapInfo)),
    entry.mcpInfo && section('MCP', kv(entry.mcpInfo)),
    entry.tunnel && section('Tunnel', kv(entry.tunnel)),
    section('Tags and notes', annotations()));

  function annotations() {
    const tags = h('input', {id: 'entry-tags', value: (entry.tags || []).join(', '), 'aria-describedby': 'entry-tags-error'});
    const notes = h('textarea', {id: 'entry-notes', rows: 3, 'aria-describedby': 'entry-notes-error'}, entry.notes || '');
    const errs = {tags: h('p', {class: 'field-error', id: 'entry-tags-error'}), notes: h('p', {class: 'field-error', id: 'entry-notes-error'})};
    return h('form', {class: 'annotations', onsubmit: async (e) => {
      e.preventDefault();
      errs.tags.textContent = errs.notes.textContent = '';
      const body = {tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean), notes: notes.value};
      try {
        entry = (await api('PATCH', base, {body})).entry;
        toast('Tags and notes saved');
      } catch (err) {
        const fields = err instanceof ApiError ? err.fields : [];
        for (const f of fields) (errs[String(f.field).split(/[.[]/)[0]] || errs.notes).textContent = f.message;
        if (!fields.length) toast(err.message, 'error');
      }
    }},
    h('div', {class: 'field'}, h('label', {for: 'entry-tags'}, 'Tags (comma-separated)'), tags, errs.tags),
    h('div', {class: 'field'}, h('label', {for: 'entry-notes'}, 'Notes'), notes, errs.notes),
    h('button', {type: 'submit'}, 'Save'));
  }

  async function makeMock() {
    try {
      const r = await api('POST', `recorder/${encodeURIComponent(sessionId)}/mocks`, {body: {entryIds: [entryId]}});
      mockOut.textContent = `Mocks: ${r.created} created, ${r.updated} updated, ${r.skipped} skipped` + (r.mockIds?.length ? ` (${r.mockIds.join(', ')})` : '') + '. See Mocks.';
    } catch (e) {
      mockOut.textContent = e.message;
    }
  }

  async function replay() {
    replace(replayOut, h('p', {class: 'muted'}, 'Replaying…'));
    try {
      const r = await api('POST', base + '/replay', {body: {}});
      replace(replayOut, section('Replay', replayView(r)));
    } catch (e) {
      // A server without the replay endpoint answers 404 with no matching resource.
      const absent = e.status === 404 && (e.code !== 'not_found' || /matching target resource/i.test(e.message)) || e.status === 405;
      replace(replayOut, h('p', {class: 'field-error'}, absent ? 'Replay is not available on this server.' : `Replay failed: ${e.message}`));
    }
  }

  async function remove() {
    if (!confirm('Delete this entry?')) return;
    try {
      await api('DELETE', base);
      toast('Entry deleted');
      onDeleted();
    } catch (e) {
      toast(e.message, 'error');
    }
  }
}

function section(title, ...content) {
  return h('section', {class: 'block'}, h('h4', null, title), content);
}

function meta(version) {
  return version ? h('p', {class: 'muted'}, version) : null;
}

function kv(obj) {
  return h('dl', {class: 'kv'}, Object.entries(obj).filter(([, v]) => v != null && v !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, String(v))]));
}

/** Headers in the order they were captured, duplicates and case kept. */
export function headerTable(caption, headers) {
  if (!headers?.length) return h('p', {class: 'muted'}, `${caption}: none`);
  return h('table', {class: 'headers'},
    h('caption', null, caption),
    h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Name'), h('th', {scope: 'col'}, 'Value'))),
    h('tbody', null, headers.map((x) => h('tr', null, h('th', {scope: 'row'}, x.name), h('td', null, x.value)))));
}

function bodySection(title, body) {
  if (!body || (!body.text && !body.base64 && !body.size)) return h('p', {class: 'muted'}, `${title}: empty`);
  return h('div', {class: 'body'},
    h('p', {class: 'muted'}, `${title}: ${body.contentType || 'no type'} · ${formatBytes(body.size)}` +
      (body.contentEncoding ? ` · ${body.contentEncoding} (decoded)` : '') + (body.truncated ? ' · truncated at the capture limit' : '')),
    renderBody(body));
}

const PHASES = [['dnsMs', 'DNS'], ['connectMs', 'Connect'], ['tlsMs', 'TLS'], ['sendMs', 'Send'], ['waitMs', 'Wait'], ['recvMs', 'Receive']];

/** The upstream leg's phases as bars laid end to end; -1 phases did not happen. */
export function waterfall(t) {
  if (!t) return h('p', {class: 'muted'}, 'No timings.');
  const total = t.totalMs > 0 ? t.totalMs : PHASES.reduce((s, [k]) => s + Math.max(0, t[k] ?? 0), 0) || 1;
  let offset = 0;
  return h('table', {class: 'waterfall', id: 'timings'},
    h('caption', {class: 'sr-only'}, 'Timings'),
    h('tbody', null, PHASES.map(([k, label]) => {
      const v = t[k];
      const happened = v != null && v >= 0;
      const bar = h('span', {class: 'wf-bar wf-' + k});
      if (happened) {
        bar.style.marginLeft = (offset / total) * 100 + '%';
        bar.style.width = Math.max(0.5, (v / total) * 100) + '%';
        offset += v;
      }
      return h('tr', {class: happened ? '' : 'muted'},
        h('th', {scope: 'row'}, label),
        h('td', {class: 'wf-track'}, happened ? bar : null),
        h('td', {class: 'num'}, happened ? formatMs(v) : '–'));
    }),
    h('tr', {class: 'total'}, h('th', {scope: 'row'}, 'Total'), h('td'), h('td', {class: 'num'}, formatMs(t.totalMs)))));
}

const OPCODES = {0: 'data', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong'};

/** WebSocket, SSE and gRPC frames in the order they passed, with the time since the first. */
function frameTimeline(frames) {
  const t0 = Date.parse(frames[0].time);
  const list = h('ol', {class: 'frames'});
  let shown = 0;
  const more = h('button', {type: 'button', class: 'quiet', onclick: () => drawMore()}, 'Show more frames');
  function drawMore() {
    const next = frames.slice(shown, shown + 200);
    for (const f of next) {
      const dt = Date.parse(f.time) - t0;
      const dir = f.type === 'send' ? '↑ sent' : '↓ received';
      const label = f.event ? `event ${f.event}` : OPCODES[f.opcode] ?? `opcode ${f.opcode}`;
      const content = f.text != null ? h('pre', null, f.text) : f.base64 ? h('pre', {class: 'hex'}, hexDump(f.base64, 4096)) : null;
      list.appendChild(h('li', {class: 'frame ' + f.type},
        h('span', {class: 'frame-head'}, `+${isNaN(dt) ? '?' : dt} ms · ${dir} · ${label} · ${formatBytes(f.size)}${f.truncated ? ' (truncated)' : ''}${f.eventId ? ' · id ' + f.eventId : ''}`),
        content));
    }
    shown += next.length;
    more.hidden = shown >= frames.length;
  }
  drawMore();
  return [list, more];
}

/**
 * The replay answer (POST .../entries/{entryId}/replay): the outcome, the recorded and new status
 * and duration side by side, the differences as JSON paths, the noise left aside, and the whole
 * answer.
 */
function replayView(r) {
  const out = [];
  const result = r.result || {};
  const recorded = r.recorded || {};
  const replayed = r.replayed;
  out.push(h('p', null, `Outcome: ${result.outcome || 'unknown'}`
    + (result.error ? ` (${result.error})` : '') + (result.reason ? ` (${result.reason})` : '')));
  out.push(h('table', {class: 'headers diff'},
    h('caption', null, 'Recorded and replayed'),
    h('thead', null, h('tr', null, ['', 'Recorded', 'Replayed'].map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', null,
      h('tr', null, h('th', {scope: 'row'}, 'Status'), h('td', null, fmt(recorded.statusCode)), h('td', null, fmt(replayed?.statusCode))),
      h('tr', null, h('th', {scope: 'row'}, 'Duration ms'),
        h('td', null, fmt(recorded.durationMs != null ? Math.round(recorded.durationMs) : null)),
        h('td', null, fmt(replayed?.durationMs != null ? Math.round(replayed.durationMs) : null))))));
  const differences = Array.isArray(result.differences) ? result.differences : [];
  if (differences.length) {
    out.push(diffTable('Differences from the recording', differences));
    if (result.differenceCount > differences.length) {
      out.push(h('p', null, `${result.differenceCount - differences.length} more not listed.`));
    }
  } else if (result.outcome === 'matched') {
    out.push(h('p', null, 'No differences from the recording.'));
  }
  if (Array.isArray(result.noise) && result.noise.length) {
    out.push(h('details', null, h('summary', null, `Noise left aside (${result.noise.length})`),
      diffTable('Values that vary between recordings', result.noise)));
  }
  out.push(h('details', null, h('summary', null, 'The whole answer'), h('pre', null, JSON.stringify(r, null, 2))));
  return out;
}

function diffTable(caption, rows) {
  return h('table', {class: 'headers diff'},
    h('caption', null, caption),
    h('thead', null, h('tr', null, ['Where', 'Recorded', 'Replayed'].map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', null, rows.map((d) => h('tr', null,
      h('td', null, d.kind === 'body' || d.kind === 'status' ? d.path : `${d.kind} ${d.path}`),
      h('td', null, fmt(d.recorded)),
      h('td', null, fmt(d.actual))))));
}

function fmt(v) {
  return v == null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

// The REST API, relative to the page (/ui/ -> ../api/v1/), so the UI works behind any Ingress
// prefix. The key lives in sessionStorage: this tab only, gone when it closes.

const KEY = 'tapedeck.apiKey';
const base = new URL('../api/v1/', document.baseURI);

export const apiKey = () => sessionStorage.getItem(KEY);
export const setApiKey = (k) => sessionStorage.setItem(KEY, k);
export const forgetApiKey = () => sessionStorage.removeItem(KEY);

/** An API error: status, the {"error","message","fields"} body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || body.error || 'HTTP ' + status);
    this.status = status;
    this.code = body.error;
    this.fields = body.fields || (body.field ? [{field: body.field, message: body.message}] : []);
    this.body = body;
  }
}

export function url(path, query) {
  const u = new URL(path, base);
  for (const [k, v] of Object.entries(query || {})) {
    if (v != null && v !== '') u.searchParams.set(k, v);
  }
  return u;
}

function headers(extra) {
  const h = {Accept: 'application/json', ...extra};
  const key = apiKey();
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

/** Calls the API; resolves to the parsed JSON (or the Response with raw), rejects with ApiError. */
export async function api(method, path, {body, query, raw, signal} = {}) {
  const init = {method, headers: headers(body !== undefined ? {'Content-Type': 'application/json'} : {}), signal};
  if (body !== undefined) init.body = JSON.stringify(body);
  let res;
  try {
    res = await fetch(url(path, query), init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, {error: 'network_error', message: 'Tapedeck cannot be reached: ' + e.message});
  }
  if (!res.ok) {
    let b;
    try {
      b = await res.json();
    } catch {
      b = {error: 'http_' + res.status, message: `${res.status} ${res.statusText}`};
    }
    if (res.status === 401) window.dispatchEvent(new CustomEvent('tapedeck:unauthorized'));
    throw new ApiError(res.status, b);
  }
  if (raw) return res;
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

/** Calls the API and saves the answer as a file, named by Content-Disposition. */
export async function download(method, path, {body, fallbackName = 'download'} = {}) {
  const res = await api(method, path, {body, raw: true});
  const blob = await res.blob();
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : fallbackName;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}

/**
 * Follows a session's live stream (server-sent events read with fetch, so the key travels in the
 * Authorization header rather than the URL). Reconnects with backoff; onState gets 'connecting',
 * 'live', 'reconnecting' or 'closed'; onOpen runs each time a connection is up (to page in what
 * was missed). Returns a function that stops it.
 */
export function follow(sessionId, {onMessage, onState, onOpen}) {
  const ctrl = new AbortController();
  let stopped = false;
  (async () => {
    let delay = 500;
    while (!stopped) {
      onState?.('connecting');
      try {
        const res = await fetch(url(`recorder/${encodeURIComponent(sessionId)}/events`), {
          headers: headers({Accept: 'text/event-stream'}), signal: ctrl.signal, cache: 'no-store'});
        if (res.status === 401 || res.status === 404) {
          onState?.('closed');
          if (res.status === 401) window.dispatchEvent(new CustomEvent('tapedeck:unauthorized'));
          return;
        }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        onState?.('live');
        delay = 500;
        onOpen?.();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const {value, done} = await reader.read();
          if (done) break;
          buf += value.replace(/\r\n?/g, '\n');
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
            if (!data) continue;
            try {
              onMessage(JSON.parse(data));
            } catch (e) {
              console.warn('live message not understood', e);
            }
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      if (stopped) return;
      onState?.('reconnecting');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(5000, delay * 2);
    }
  })();
  return () => {
    stopped = true;
    ctrl.abort();
    onState?.('closed');
  };
}

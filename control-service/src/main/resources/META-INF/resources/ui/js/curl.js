// An entry's request as a curl command line (POSIX shell quoting).

const SKIP = new Set(['host', 'content-length', 'connection', 'proxy-connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'proxy-authorization']);

const q = (s) => "'" + String(s).replace(/'/g, "'\\''") + "'";

export function curlOf(entry) {
  const req = entry.request || {};
  const parts = ['curl'];
  if (req.method && req.method !== 'GET' && !(req.method === 'POST' && req.body?.text)) parts.push('-X', req.method);
  if (req.method === 'HEAD') parts.splice(1, 2, '-I');
  parts.push(q(req.url));
  if (req.httpVersion === 'HTTP/2' || req.httpVersion === 'HTTP/2.0') parts.push('--http2');
  let compressed = false;
  for (const x of req.headers || []) {
    const name = x.name.toLowerCase();
    if (SKIP.has(name) || name.startsWith(':')) continue;
    if (name === 'accept-encoding') compressed = true;
    parts.push('-H', q(`${x.name}: ${x.value}`));
  }
  if (compressed) parts.push('--compressed');
  if (req.body?.text) parts.push('--data-raw', q(req.body.text));
  else if (req.body?.base64) parts.push("--data-binary '@body.bin'  # binary body: save it as body.bin first");
  return parts.join(' ');
}

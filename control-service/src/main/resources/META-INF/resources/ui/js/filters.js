// Filters shared by the traffic table and search: status (404, 4xx, 500-503) and host (exact,
// glob *.example.com, or a part of the name).

export function matchStatus(spec, status) {
  spec = (spec || '').trim().toLowerCase();
  if (!spec) return true;
  return spec.split(',').some((p) => {
    p = p.trim();
    if (!p) return false;
    if (p === 'error') return status == null;
    if (status == null) return false;
    let m;
    if ((m = /^([1-5])xx$/.exec(p))) return Math.floor(status / 100) === Number(m[1]);
    if ((m = /^(\d{3})-(\d{3})$/.exec(p))) return status >= Number(m[1]) && status <= Number(m[2]);
    return String(status) === p;
  });
}

export function matchHost(spec, host) {
  spec = (spec || '').trim().toLowerCase();
  if (!spec) return true;
  host = (host || '').toLowerCase();
  if (spec.includes('*')) {
    const re = new RegExp('^' + spec.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    return re.test(host) || re.test(host.replace(/:\d+$/, ''));
  }
  return host.includes(spec);
}

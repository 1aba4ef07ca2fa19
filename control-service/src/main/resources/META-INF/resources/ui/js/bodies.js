// Bodies by type: JSON and XML pretty-printed, forms as a table, images shown, other binary as hex.
import {h} from './dom.js';

const HEX_LIMIT = 64 * 1024;

export function renderBody(body) {
  const type = (body.contentType || '').toLowerCase().split(';')[0].trim();
  if (body.text != null) {
    if (type.includes('json') || looksJson(body.text)) {
      try {
        return pre(JSON.stringify(JSON.parse(body.text), null, 2), 'json');
      } catch { /* not quite JSON: shown as text */ }
    }
    if (type.includes('xml')) {
      const pretty = prettyXml(body.text);
      if (pretty) return pre(pretty, 'xml');
    }
    if (type === 'application/x-www-form-urlencoded') return formTable(body.text);
    return pre(body.text, 'text');
  }
  if (body.base64 != null) {
    if (type.startsWith('image/') && !type.includes('svg')) {
      return h('img', {class: 'body-image', src: `data:${type};base64,${body.base64}`, alt: `Image body (${type})`});
    }
    return pre(hexDump(body.base64, HEX_LIMIT), 'hex');
  }
  return h('p', {class: 'muted'}, 'Body not kept.');
}

function pre(text, kind) {
  return h('pre', {class: 'body-' + kind, tabindex: 0, 'aria-label': kind + ' body'}, text);
}

function looksJson(t) {
  const s = t.trimStart()[0];
  return s === '{' || s === '[';
}

function formTable(text) {
  const params = new URLSearchParams(text);
  return h('table', {class: 'headers'},
    h('caption', null, 'Form fields'),
    h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Name'), h('th', {scope: 'col'}, 'Value'))),
    h('tbody', null, [...params].map(([k, v]) => h('tr', null, h('th', {scope: 'row'}, k), h('td', null, v)))));
}

/** XML indented two spaces per level; null when it does not parse. */
export function prettyXml(text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) return null;
  const out = [];
  const walk = (node, depth) => {
    const pad = '  '.repeat(depth);
    if (node.nodeType === Node.ELEMENT_NODE) {
      const attrs = [...node.attributes].map((a) => ` ${a.name}="${a.value}"`).join('');
      const kids = [...node.childNodes].filter((c) => !(c.nodeType === Node.TEXT_NODE && !c.nodeValue.trim()));
      if (!kids.length) out.push(`${pad}<${node.nodeName}${attrs}/>`);
      else if (kids.length === 1 && kids[0].nodeType === Node.TEXT_NODE) out.push(`${pad}<${node.nodeName}${attrs}>${kids[0].nodeValue.trim()}</${node.nodeName}>`);
      else {
        out.push(`${pad}<${node.nodeName}${attrs}>`);
        kids.forEach((c) => walk(c, depth + 1));
        out.push(`${pad}</${node.nodeName}>`);
      }
    } else if (node.nodeType === Node.TEXT_NODE) out.push(pad + node.nodeValue.trim());
    else if (node.nodeType === Node.CDATA_SECTION_NODE) out.push(`${pad}<![CDATA[${node.nodeValue}]]>`);
    else if (node.nodeType === Node.COMMENT_NODE) out.push(`${pad}<!--${node.nodeValue}-->`);
  };
  [...doc.childNodes].forEach((c) => walk(c, 0));
  return out.join('\n');
}

/** offset, 16 bytes in hex, and their printable ASCII; at most limit bytes. */
export function hexDump(base64, limit = HEX_LIMIT) {
  const bin = atob(base64);
  const n = Math.min(bin.length, limit);
  const lines = [];
  for (let i = 0; i < n; i += 16) {
    let hex = '', ascii = '';
    for (let j = i; j < i + 16; j++) {
      if (j < n) {
        const c = bin.charCodeAt(j);
        hex += c.toString(16).padStart(2, '0') + ' ';
        ascii += c >= 32 && c < 127 ? bin[j] : '.';
      } else hex += '   ';
    }
    lines.push(i.toString(16).padStart(8, '0') + '  ' + hex + ' ' + ascii);
  }
  if (bin.length > n) lines.push(`… ${bin.length - n} more bytes`);
  return lines.join('\n');
}

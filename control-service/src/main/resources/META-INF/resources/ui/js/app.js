// Entry point: asks for the API key once per tab, then routes #/... to a view.
import {api, apiKey, setApiKey, forgetApiKey, ApiError} from './api.js';
import {renderSessions} from './sessions.js';
import {renderTraffic} from './traffic.js';
import {renderSearch} from './search.js';
import {renderMocks} from './mocks.js';
import {renderCa} from './ca.js';

const view = document.getElementById('view');
const prompt = document.getElementById('key-prompt');
const nav = document.getElementById('nav');
const forget = document.getElementById('forget-key');
let cleanup = null;

function showPrompt(message) {
  if (cleanup) cleanup();
  cleanup = null;
  view.replaceChildren();
  nav.hidden = true;
  forget.hidden = true;
  prompt.hidden = false;
  document.getElementById('key-error').textContent = message || '';
  const input = document.getElementById('api-key');
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  input.focus();
}

document.getElementById('key-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('api-key');
  const key = input.value.trim();
  if (!key) {
    showPrompt('Enter the API key.');
    return;
  }
  setApiKey(key);
  try {
    await api('GET', 'recorder/sessions');
  } catch (err) {
    forgetApiKey();
    showPrompt(err instanceof ApiError && err.status === 401 ? 'This key is not valid.' : err.message);
    return;
  }
  input.value = '';
  start();
});

forget.addEventListener('click', () => {
  forgetApiKey();
  showPrompt();
});

window.addEventListener('tapedeck:unauthorized', () => {
  forgetApiKey();
  showPrompt('The key was refused; enter it again.');
});

function start() {
  prompt.hidden = true;
  nav.hidden = false;
  forget.hidden = false;
  route();
}

const routes = [
  [/^#\/sessions\/?$/, () => renderSessions(view)],
  [/^#\/sessions\/([^/]+)\/traffic(?:\/([^/]+))?$/, (m) => renderTraffic(view, decodeURIComponent(m[1]), m[2] && decodeURIComponent(m[2]))],
  [/^#\/search\/?$/, () => renderSearch(view)],
  [/^#\/mocks\/?$/, () => renderMocks(view)],
  [/^#\/ca\/?$/, () => renderCa(view)],
];

let current = null;

function route() {
  if (!apiKey()) return showPrompt();
  const hash = location.hash || '#/sessions';
  for (const a of nav.querySelectorAll('a')) {
    if (hash.startsWith('#/' + a.dataset.route)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  // Within one session's traffic, only the selected entry changes: keep the view (and its stream).
  const m = /^#\/sessions\/([^/]+)\/traffic(?:\/([^/]+))?$/.exec(hash);
  if (m && current && current.sessionId === decodeURIComponent(m[1]) && current.select) {
    current.select(m[2] && decodeURIComponent(m[2]));
    return;
  }
  if (cleanup) cleanup();
  cleanup = null;
  current = null;
  view.replaceChildren();
  for (const [re, render] of routes) {
    const match = re.exec(hash);
    if (match) {
      const r = render(match);
      current = r && typeof r === 'object' ? r : null;
      cleanup = r && typeof r === 'object' ? r.cleanup : r;
      document.getElementById('main').focus({preventScroll: true});
      return;
    }
  }
  location.hash = '#/sessions';
}

window.addEventListener('hashchange', route);
if (apiKey()) start();
else showPrompt();

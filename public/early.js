// Runs first on every page, before the WebAssembly app has loaded (a few KB, no framework).
//
// - `html.js`: script runs here, so controls that need the app are shown (CSS hides them
//   on a page read with no script at all).
// - On 404.html, the page of every address with no file: incidents and share links are
//   drawn by the app, so until it has loaded the page says "Opening…", not "No page here".
// - A click on a control before the app is ready is held, said so, and made again on the
//   same control once the app has taken over the page: no click is lost. Controls the page
//   starter handles (`data-starter`: "Start incident", step checkboxes, code blocks' copy
//   buttons) are its own while it is ready and the app has not begun taking over.
// - A runbook page does not load the app with the page: it names it
//   (`<meta name="outpost-app">`: its start-up script and the files that script fetches).
//   Reading needs none of it, and "Start incident" and the first checks are the starter's.
//   It is loaded on first use (a control that needs it, a field, `/`, "Start incident"),
//   and at once where the built page is not the whole story: an address with values, a site
//   with a probe, a browser with saved Outpost data, a page the offline copy serves (no
//   network). The offline copy is set up once the page has loaded; when it takes the page
//   over, the app is loaded from it.
(() => {
  const root = document.documentElement;
  root.classList.add('js');
  if (/^\/(i\/|s\/?$)/.test(location.pathname)) {
    root.classList.add('opening');
    document.title = document.title.replace(/^[^·]*·/, 'Opening… ·');
  }
  const ready = () => root.classList.contains('app-ready');

  const [boot, ...appFiles] = (document.querySelector('meta[name="outpost-app"]')?.content ?? '').split(' ').filter(Boolean);
  let appAsked = !boot;
  const loadApp = () => {
    if (appAsked) return;
    appAsked = true;
    for (const href of appFiles) {
      const link = Object.assign(document.createElement('link'), { href, crossOrigin: 'anonymous' });
      if (href.endsWith('.wasm')) Object.assign(link, { rel: 'preload', as: 'fetch', type: 'application/wasm' });
      else link.rel = 'modulepreload';
      document.head.append(link);
    }
    // The app takes over the whole page: it starts once the page has been read.
    const start = () => document.head.append(Object.assign(document.createElement('script'), { type: 'module', src: boot }));
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  };
  const savedAnything = () => {
    try {
      return Object.keys(localStorage).some((key) => key.startsWith('outpost.'));
    } catch {
      return true;
    }
  };
  if (
    boot &&
    (location.search !== '' ||
      document.querySelector('meta[name="outpost-probe-api"]') ||
      savedAnything() ||
      navigator.serviceWorker?.controller)
  ) {
    loadApp();
  }
  if (boot && navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener('controllerchange', loadApp);
    // After a first use the app sets the offline copy up itself, once it has arrived.
    addEventListener('load', () => appAsked || navigator.serviceWorker.register('/sw.js').catch(() => {}));
  }
  document.addEventListener('focusin', (event) => event.target.matches?.('input, textarea, select') && loadApp());
  document.addEventListener('keydown', (event) => {
    // `/` is the app's key for search: before the app, the search field is focused here.
    if (ready() || event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest?.('input, textarea, select, [contenteditable]')) return;
    const search = document.querySelector('input.search-input');
    if (!search) return;
    event.preventDefault();
    search.focus();
  });
  const starters = (control) =>
    control.hasAttribute('data-starter') && root.classList.contains('starter-ready') && !root.classList.contains('app-mounting');
  let held = null;
  let note = null;

  document.addEventListener(
    'click',
    (event) => {
      const control = ready() ? null : event.target.closest?.('[data-needs-app]');
      if (!control) return;
      if (starters(control)) {
        // "Start incident" replaces the page: a click held on the page it leaves is dropped.
        // The incident's other controls are the app's: it is loaded now.
        if (control.matches('button.start')) {
          forget();
          loadApp();
        }
        return;
      }
      loadApp();
      event.preventDefault();
      event.stopPropagation();
      held?.control.removeAttribute('aria-busy');
      // The app draws the same page, so the same control is the one with the same tag and
      // classes at the same position, and the same text.
      const selector = control.tagName.toLowerCase() + [...control.classList].map((c) => `.${CSS.escape(c)}`).join('');
      held = { control, selector, index: [...document.querySelectorAll(selector)].indexOf(control), text: control.textContent };
      control.setAttribute('aria-busy', 'true');
      if (!note) {
        note = document.createElement('p');
        note.className = 'early-note';
        note.setAttribute('role', 'status');
        document.body.append(note);
      }
      note.textContent = 'Getting ready… your click goes through in a moment.';
    },
    true,
  );

  const forget = () => {
    held?.control.removeAttribute('aria-busy');
    held = null;
    note?.remove();
    note = null;
  };

  const watcher = new MutationObserver(() => {
    // A click held for a control the page starter handles goes through as soon as the
    // starter is ready, on the same (pre-rendered) control; any other waits for the app.
    if (held && held.control.isConnected && starters(held.control)) {
      const control = held.control;
      forget();
      control.click();
      return;
    }
    if (!ready()) return;
    watcher.disconnect();
    note?.remove();
    if (!held) return;
    const again = document.querySelectorAll(held.selector)[held.index];
    if (again && again.textContent === held.text) again.click();
  });
  watcher.observe(root, { attributes: true, attributeFilter: ['class'] });
})();

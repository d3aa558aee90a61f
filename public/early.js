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
//   with a probe, a browser with saved Outpost data. The offline copy is set up once the
//   page has loaded (it then serves the app too, with no network). Scripts that drive the
//   page (tests) ask for the app with the event `outpost-load-app` on `document`.
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
    const script = Object.assign(document.createElement('script'), { type: 'module', src: boot });
    script.addEventListener('error', notLoaded);
    const start = () => document.head.append(script);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  };
  // The app's files could not be had (the network went, or a deploy replaced them): what
  // waits for it is let go, and the page says so. Reading, copying and checks still work.
  let failed = false;
  const NOT_LOADED = 'The rest of Outpost could not be loaded. Reload when the connection is back.';
  const notLoaded = () => {
    if (ready()) return;
    failed = true;
    held?.control.removeAttribute('aria-busy');
    held = null;
    say(NOT_LOADED, 'alert');
  };
  // A failed fetch of the WebAssembly is thrown in the app's script, not at its tag.
  const appScripts = [boot, ...appFiles].filter(Boolean).map((file) => new URL(file, location.href).href);
  addEventListener('error', (event) => appScripts.includes(event.filename) && notLoaded());
  const savedAnything = () => {
    try {
      return Object.keys(localStorage).some((key) => key.startsWith('outpost.') && localStorage.getItem(key) !== '');
    } catch {
      return true;
    }
  };
  if (boot && (location.search !== '' || document.querySelector('meta[name="outpost-probe-api"]') || savedAnything())) {
    loadApp();
  }
  document.addEventListener('outpost-load-app', loadApp);
  if (boot && navigator.serviceWorker) {
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
      if (failed) {
        say(NOT_LOADED, 'alert');
        return;
      }
      held?.control.removeAttribute('aria-busy');
      // The app draws the same page, so the same control is the one with the same tag and
      // classes at the same position, and the same label (not what the starter's copy
      // buttons say for a moment: "Copied").
      const classes = [...control.classList].filter((c) => c !== 'copied');
      const selector = control.tagName.toLowerCase() + classes.map((c) => `.${CSS.escape(c)}`).join('');
      const text = control.dataset.label ?? control.textContent;
      held = { control, selector, index: [...document.querySelectorAll(selector)].indexOf(control), text };
      control.setAttribute('aria-busy', 'true');
      say('Getting ready… your click goes through in a moment.', 'status');
    },
    true,
  );

  const say = (text, role) => {
    if (!note) {
      note = document.createElement('p');
      note.className = 'early-note';
      document.body.append(note);
    }
    note.setAttribute('role', role);
    note.textContent = text;
  };

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
    if (again && again.textContent === held.text) {
      // Where the reader was: keyboard and screen reader users go on from the control.
      again.focus();
      again.click();
    }
  });
  watcher.observe(root, { attributes: true, attributeFilter: ['class'] });
})();

// Runs first on every page, before the WebAssembly app has loaded (a few KB, no framework).
//
// - `html.js`: script runs here, so controls that need the app are shown (CSS hides them
//   on a page read with no script at all).
// - On 404.html, the page of every address with no file: incidents and share links are
//   drawn by the app, so until it has loaded the page says "Opening…", not "No page here".
// - A click on a control before the app is ready is held, said so, and made again on the
//   same control once the app has taken over the page: no click is lost. Controls the page
//   starter handles (`data-starter`: "Start incident", step checkboxes) are its own while it
//   is ready and the app has not begun taking over.
(() => {
  const root = document.documentElement;
  root.classList.add('js');
  if (/^\/(i\/|s\/?$)/.test(location.pathname)) {
    root.classList.add('opening');
    document.title = document.title.replace(/^[^·]*·/, 'Opening… ·');
  }
  const ready = () => root.classList.contains('app-ready');
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
        if (control.matches('button.start')) forget();
        return;
      }
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

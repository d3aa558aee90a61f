// Runs first on 404.html, the page served for addresses with no file of their own:
// incident pages and share links are drawn by the app, so until it has loaded the page
// says "Opening…" rather than "No page here".
if (/^\/(i\/|s\/?$)/.test(location.pathname)) {
  document.documentElement.classList.add('opening');
  document.title = document.title.replace(/^[^·]*·/, 'Opening… ·');
}

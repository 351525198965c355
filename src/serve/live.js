// Injected by `briefing serve` into every HTML page it serves, never by `build`. It listens to
// the server's build events: a new good build reloads the page; a failed one shows its error in
// an overlay (text only, so the message cannot inject markup); the next good build clears it by
// reloading. Pages served while a build is failing carry the error in `data-error`, so a page
// opened then shows it without waiting for an event.
(() => {
  const me = document.currentScript;
  const seen = Number(me.dataset.generation);
  const ID = 'briefing-error-overlay';

  function overlay(text) {
    let box = document.getElementById(ID);
    if (!text) return box?.remove();
    if (!box) {
      box = document.createElement('div');
      box.id = ID;
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;' +
        'z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#1e1e1e;color:#f2f2f2;' +
        'border-top:4px solid #e5484d;font:14px/1.45 ui-monospace,monospace;';
      const head = box.appendChild(document.createElement('strong'));
      head.textContent = 'Build failed: still showing the last good build';
      box.appendChild(document.createElement('pre')).style.cssText = 'white-space:pre-wrap;margin:.5rem 0 0';
      document.body.appendChild(box);
    }
    box.querySelector('pre').textContent = text;
  }

  if (me.dataset.error) overlay(me.dataset.error);
  const events = new EventSource('/__briefing/events');
  events.addEventListener('build', (ev) => {
    const { generation, error } = JSON.parse(ev.data);
    // A newer good build exists: load it (with the server's overlay if a later build failed).
    if (generation !== seen) location.reload();
    else overlay(error);
  });
})();

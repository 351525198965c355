/* briefing: footnote previews. Hovering, focusing or tapping a footnote reference shows its note
   and sources in place, in one non-modal dialog reused for every note. Without this script the
   references stay plain links to the notes at the end of the brief. No dependencies. */
(function () {
  "use strict";
  var refs = document.querySelectorAll('sup.fn-ref > a[href^="#fn-"]');
  if (!refs.length) return;

  var OPEN_DELAY = 150, CLOSE_DELAY = 300, GAP = 6, EDGE = 8;
  var pop = document.createElement("div");
  pop.className = "fn-popover";
  pop.id = "fn-popover";
  pop.setAttribute("role", "dialog");
  pop.tabIndex = -1;
  pop.hidden = true;
  document.body.appendChild(pop);

  var current = null;  // the reference whose note is shown
  var pinned = false;  // opened by click, tap or Enter: stays open until dismissed
  var overRef = false, overPop = false, openTimer = 0, closeTimer = 0;
  var quiet = null;    // a reference this script is focusing: do not reopen on that focus

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function num(ref) { return ref.getAttribute("href").slice(4); }
  function isMouse(e) { return e.pointerType === "mouse"; }
  function focusIn() { return pop.contains(document.activeElement); }

  function fill(ref) {
    var n = num(ref), note = document.getElementById("fn-" + n);
    if (!note) return false;
    var body = document.createElement("div");
    body.className = "fn-popover-body";
    each(note.childNodes, function (node) { body.appendChild(node.cloneNode(true)); });
    each(body.querySelectorAll('[role="doc-backlink"]'), function (el) { el.remove(); });
    each(body.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
    each(body.querySelectorAll(".fn-sources"), function (el) {
      if (!el.textContent.trim()) el.remove();
    });
    var foot = document.createElement("p");
    foot.className = "fn-popover-foot";
    var go = document.createElement("a");
    go.href = "#fn-" + n;
    go.className = "fn-popover-goto";
    go.textContent = "Go to note " + n;
    var shut = document.createElement("button");
    shut.type = "button";
    shut.className = "fn-popover-close";
    shut.textContent = "Close";
    go.addEventListener("click", function () { setTimeout(close, 0); });
    shut.addEventListener("click", function () { close(true); });
    foot.append(go, shut);
    pop.replaceChildren(body, foot);
    pop.setAttribute("aria-label", "Footnote " + n);
    pop.setAttribute("data-footnote", n);
    return true;
  }

  function open(ref, pin) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (current !== ref) {
      if (current) current.setAttribute("aria-expanded", "false");
      if (!fill(ref)) return false;
      current = ref;
      pinned = false;
    }
    pinned = pinned || pin;
    ref.setAttribute("aria-expanded", "true");
    pop.hidden = false;
    place();
    return true;
  }

  function close(refocus) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    var ref = current;
    if (!ref) return;
    if (refocus === true) focusQuietly(ref);
    current = null;
    pinned = overPop = false;
    pop.hidden = true;
    ref.setAttribute("aria-expanded", "false");
  }

  function focusQuietly(el) {
    quiet = el;
    el.focus({ preventScroll: true });
    quiet = null;
  }

  // Closes a preview nothing holds open any more: not pinned, not hovered, not focused.
  function closeSoon() {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(function () {
      if (current && !pinned && !overRef && !overPop &&
          document.activeElement !== current && !focusIn()) close();
    }, CLOSE_DELAY);
  }

  // Below the reference, or above it when there is more room there; clamped to the viewport.
  function place() {
    var r = lineBox(current);
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    pop.style.maxHeight = "";
    pop.style.left = pop.style.top = "0px";
    var w = pop.offsetWidth, h = pop.offsetHeight;
    var below = vh - r.bottom - GAP - EDGE, above = r.top - GAP - EDGE;
    var up = h > below && above > below;
    var room = Math.max(up ? above : below, 120);
    if (h > room) {
      pop.style.maxHeight = room + "px";
      h = pop.offsetHeight;
    }
    var mid = r.left + r.width / 2;
    var x = Math.max(EDGE, Math.min(mid - w / 2, vw - w - EDGE));
    var y = up ? r.top - GAP - h : r.bottom + GAP;
    pop.classList.toggle("is-above", up);
    pop.style.setProperty("--fn-arrow", Math.max(12, Math.min(mid - x, w - 12)) + "px");
    pop.style.left = x + window.scrollX + "px";
    pop.style.top = y + window.scrollY + "px";
  }

  // The reference's box, stretched to the height of the line of text it sits in, so that the
  // popover covers neither that line nor the line below or above it.
  function lineBox(ref) {
    var sup = ref.parentNode, r = sup.getBoundingClientRect();
    var box = { top: r.top, bottom: r.bottom, left: r.left, width: r.width };
    var text = sup.previousSibling;
    if (text && text.nodeType === 3 && text.length) {
      var range = document.createRange();
      range.setStart(text, text.length - 1);
      range.setEnd(text, text.length);
      var q = range.getBoundingClientRect();
      var half = Math.max(parseFloat(getComputedStyle(sup.parentNode).lineHeight) || 0, q.height) / 2;
      if (q.height) {
        box.top = Math.min(r.top, (q.top + q.bottom) / 2 - half);
        box.bottom = Math.max(r.bottom, (q.top + q.bottom) / 2 + half);
      }
    }
    return box;
  }

  // The next element in tab order after `el`, outside the popover.
  function nextFocusable(el) {
    var all = document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]");
    for (var i = 0; i < all.length; i++) {
      var c = all[i];
      if (c.tabIndex >= 0 && !c.disabled && !pop.contains(c) && c.getClientRects().length &&
          el.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING) return c;
    }
    return null;
  }

  each(refs, function (ref) {
    ref.setAttribute("aria-haspopup", "dialog");
    ref.setAttribute("aria-expanded", "false");
    ref.setAttribute("aria-controls", pop.id);
    ref.addEventListener("pointerenter", function (e) {
      if (!isMouse(e)) return;
      overRef = true;
      clearTimeout(closeTimer);
      if (current === ref || (current && pinned && focusIn())) return;
      clearTimeout(openTimer);
      openTimer = setTimeout(function () { open(ref, false); }, OPEN_DELAY);
    });
    ref.addEventListener("pointerleave", function (e) {
      if (!isMouse(e)) return;
      overRef = false;
      clearTimeout(openTimer);
      closeSoon();
    });
    ref.addEventListener("focus", function () {
      if (quiet !== ref) open(ref, false);
    });
    ref.addEventListener("blur", closeSoon);
    // Click, tap, or Enter: open and pin the note instead of jumping to it, and move focus in.
    ref.addEventListener("click", function (e) {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      if (open(ref, true)) pop.focus({ preventScroll: true });
    });
  });

  pop.addEventListener("pointerenter", function (e) {
    if (isMouse(e)) { overPop = true; clearTimeout(closeTimer); }
  });
  pop.addEventListener("pointerleave", function (e) {
    if (isMouse(e)) { overPop = false; closeSoon(); }
  });
  // Tab past the last link leaves the note for what follows the reference; Shift+Tab from the
  // start goes back to the reference.
  pop.addEventListener("keydown", function (e) {
    if (e.key !== "Tab" || !current) return;
    var stops = pop.querySelectorAll("a[href], button");
    var ref = current, a = document.activeElement;
    if (e.shiftKey && (a === pop || a === stops[0])) {
      e.preventDefault();
      close(true);
    } else if (!e.shiftKey && a === stops[stops.length - 1]) {
      e.preventDefault();
      var next = nextFocusable(ref);
      close();
      if (next) next.focus(); else focusQuietly(ref);
    }
  });
  pop.addEventListener("focusout", function (e) {
    var to = e.relatedTarget;
    if (to && to !== current && !pop.contains(to)) close();
  });

  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && current) close(true);
  });
  function outside(e) {
    var t = e.target;
    if (current && !pop.contains(t) && !(t.closest && t.closest("sup.fn-ref"))) close();
  }
  document.addEventListener("pointerdown", outside);
  document.addEventListener("click", outside);
  window.addEventListener("resize", function () { if (current) place(); });
})();

// Keyboard shortcuts for the item page. Letters never fire while the user types in a text field, so
// comments can contain any character; Esc leaves the field.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable ||
      (el.tagName === "INPUT" && !["checkbox", "radio", "submit", "button"].includes(el.type)));
  }
  function follow(id) {
    var link = document.getElementById(id);
    if (link) { window.location.href = link.href; return true; }
    return false;
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var target = e.target;
    if (typing(target)) {
      if (e.key === "Escape") target.blur();
      return;
    }
    var form = document.getElementById("label-form");
    var key = e.key;
    var handled = true;
    if (key === "n" || key === "j") handled = follow("next") || follow("start");  // queue page: first item
    else if (key === "p" || key === "k") handled = follow("prev");
    else if (key === "q") window.location.href = "/queue";
    else if (form && key === "a") form.requestSubmit(document.getElementById("btn-accept"));
    else if (form && key === "s") form.requestSubmit(document.getElementById("btn-save"));
    else if (form && key === "c") document.getElementById("comment").focus();
    else if (key === "u" && document.getElementById("undo-form")) document.getElementById("undo-form").requestSubmit();
    else if (form && key === "t") {
      var first = form.querySelector("#themes input[type=checkbox]");
      if (first) first.focus();
    } else if (form && /^[1-9]$/.test(key)) {
      var radio = form.querySelector('input[name=scie][data-key="' + key + '"]');
      if (radio) { radio.checked = true; radio.focus(); } else handled = false;
    } else handled = false;
    if (handled) e.preventDefault();
  });
  var form = document.getElementById("label-form");
  // An item a colleague verified: a or s (or a click) only asks until "Replace their label" is ticked.
  if (form && form.dataset.colleague) form.addEventListener("submit", function (e) {
    var confirm = document.getElementById("confirm");
    if (confirm && !confirm.checked) {
      e.preventDefault();
      e.stopImmediatePropagation();
      var box = document.getElementById("confirm-box");
      box.classList.add("asking");
      box.scrollIntoView({block: "center"});
      confirm.focus();
    }
  });
  // A double press of a or s must not submit twice.
  if (form) form.addEventListener("submit", function (e) {
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
  });
})();
// Theme shortcuts: each theme checkbox carries its key in data-hotkey ("shift+1" or a letter), so the keys
// come from the taxonomy order in the page and nothing is repeated here. A separate listener, after the one
// above, that only acts on keys nobody else handled.
(function () {
  "use strict";
  function token(e) {
    var m = /^Digit([0-9])$/.exec(e.code || "");
    if (e.shiftKey && m) return "shift+" + m[1];  // e.code: Shift+1 is "!" or "1" depending on the layout
    if (!e.shiftKey && /^[a-z]$/.test(e.key)) return e.key;
    return null;
  }
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var el = e.target;
    if (el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable ||
      (el.tagName === "INPUT" && !["checkbox", "radio", "submit", "button"].includes(el.type)))) return;
    var form = document.getElementById("label-form");
    var t = form && token(e);
    if (!t) return;
    var box = form.querySelector('input[type=checkbox][data-hotkey="' + t + '"]');
    if (!box) return;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    e.preventDefault();
  });
})();

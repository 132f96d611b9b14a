// Team-work shortcuts. Item page: x skips to the next item (no write), f flags for discussion (focuses the
// note; Enter sends) or clears the flag. Blind second check: 1-9 choose the category, t the themes, s saves.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable ||
      (el.tagName === "INPUT" && !["checkbox", "radio", "submit", "button"].includes(el.type)));
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || typing(e.target)) return;
    var key = e.key, handled = true;
    var second = document.getElementById("second-form");
    var skip = document.getElementById("skip");
    if (key === "x" && skip) window.location.href = skip.href;
    else if (key === "f" && document.getElementById("flag-note")) document.getElementById("flag-note").focus();
    else if (key === "f" && document.getElementById("btn-unflag")) document.getElementById("btn-unflag").click();
    else if (second && key === "s") second.requestSubmit(document.getElementById("btn-second"));
    else if (second && key === "t") {
      var first = second.querySelector("#themes input[type=checkbox]");
      if (first) first.focus();
    } else if (second && /^[1-9]$/.test(key)) {
      var radio = second.querySelector('input[name=scie][data-key="' + key + '"]');
      if (radio) { radio.checked = true; radio.focus(); } else handled = false;
    } else handled = false;
    if (handled) e.preventDefault();
  });
})();

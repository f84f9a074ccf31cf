/* Progressive enhancement (issue 10 defects 2 and 8). Every page works without this script; it
 * only adds what it can make work: a button that copies a receipt code, and a counter under a text
 * field with a length limit. Loaded with the page's CSP nonce (ui/base.html); no inline handlers.
 * The texts come from data attributes the server rendered, translated. */
(function () {
  "use strict";

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(text, source) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      select(source);
      if (document.execCommand && document.execCommand("copy")) resolve();
      else reject(new Error("copy refused"));
    });
  }

  /* <button data-copy-from="ID" data-copy-status="ID" data-copied="…" data-copy-failed="…" hidden> */
  function copyButtons() {
    document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
      var source = document.getElementById(button.dataset.copyFrom);
      var status = document.getElementById(button.dataset.copyStatus);
      if (!source) return;
      button.addEventListener("click", function () {
        // The text as shown: the groups and their dashes, no spaces (<wbr> adds nothing).
        var text = source.textContent.replace(/\s+/g, "");
        copy(text, source).then(
          function () {
            if (status) status.textContent = button.dataset.copied;
          },
          function () {
            select(source);
            if (status) status.textContent = button.dataset.copyFailed;
          }
        );
      });
      button.hidden = false;
    });
  }

  /* Characters as the server counts them (Django's max_length): code points of the text
   * without leading and trailing white space, a line break as two (a form sends it as CRLF). */
  function length(value) {
    return Array.from(value.trim().replace(/\r?\n/g, "\r\n")).length;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) {
      return values[name];
    });
  }

  /* <textarea data-maxlength="N" data-counter="ID"> and
   * <div id="ID" data-left="…%(count)s…" data-over="…%(count)s…" hidden> with two children: the
   * visible count (updated at once) and a status for screen readers (updated after a pause). */
  function counters() {
    var language = document.documentElement.lang || undefined;
    document.querySelectorAll("[data-maxlength][data-counter]").forEach(function (field) {
      var limit = parseInt(field.dataset.maxlength, 10);
      var counter = document.getElementById(field.dataset.counter);
      if (!counter || !limit) return;
      var shown = counter.querySelector("[data-count-visible]");
      var spoken = counter.querySelector("[data-count-spoken]");
      var pause = null;
      function message() {
        var used = length(field.value);
        var over = used > limit;
        var count = Math.abs(limit - used).toLocaleString(language);
        counter.classList.toggle("int-counter--over", over);
        return fill(over ? counter.dataset.over : counter.dataset.left, { count: count });
      }
      function update() {
        var text = message();
        shown.textContent = text;
        window.clearTimeout(pause);
        pause = window.setTimeout(function () {
          spoken.textContent = text;
        }, 1000);
      }
      field.addEventListener("input", update);
      shown.textContent = message();
      counter.hidden = false;
    });
  }

  function start() {
    copyButtons();
    counters();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

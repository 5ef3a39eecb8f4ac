/* Small improvements on top of pages that work without it. */
(function () {
  "use strict";

  /* The phone menu: without JavaScript a <details> opens and closes it. Here the <details> stays open
     and a real button with aria-expanded shows or hides its content; Escape closes it again. On wider
     screens the style sheet shows the menu whatever the button says. */
  function enhanceMenu() {
    var header = document.querySelector(".site-header");
    var menu = header && header.querySelector("details.site-menu");
    var summary = menu && menu.querySelector("summary");
    var body = menu && menu.querySelector(".site-menu-body");
    if (!summary || !body) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "menu-button";
    button.setAttribute("aria-controls", body.id);
    Array.prototype.forEach.call(summary.childNodes, function (node) {
      button.appendChild(node.cloneNode(true));
    });
    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-closed", !open);
    }
    show(menu.open);
    menu.open = true;
    header.classList.add("js-menu");
    menu.parentNode.insertBefore(button, menu);
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" &&
          getComputedStyle(button).display !== "none") {
        show(false);
        button.focus();
      }
    });
  }

  /* Printing opens every closed <details> (questions and answers) and closes them again after,
     for browsers that do not print their content from the style sheet alone. */
  function printDetailsOpen() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (el) {
        el.open = true;
        return true;
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (el) { el.open = false; });
      opened = [];
    });
  }

  enhanceMenu();
  printDetailsOpen();
})();

/* Small improvements on pages that work without JavaScript: nothing here is needed to use the site.
   Each part looks for the markup it improves and does nothing where there is none. */
(function () {
  "use strict";

  /* After a failed submit the error summary at the top of the form takes the focus, so a screen
     reader reads it at once and a keyboard user starts from it (the GOV.UK pattern). Its links
     then move the focus to the field itself, with its label or legend in view. */
  function errorSummary() {
    var summary = document.querySelector(".error-summary");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!field) {
        return;
      }
      event.preventDefault();
      var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
      var label = legend || document.querySelector("label[for='" + CSS.escape(field.id) + "']") || field;
      label.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  /* A form that sends its reader back to itself with an anchor (#comment-form) does so for browsers
     without JavaScript. Here the error summary is focused instead, and an anchor in the address
     would take that focus away again when the browser scrolls to it. */
  function formsWithoutAnchors() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var action = form.getAttribute("action") || "";
      if (action.indexOf("#") >= 0) {
        form.setAttribute("action", action.split("#")[0]);
      }
    });
  }

  /* 5000 → "5,000" or "5 000": digits in threes with the separator the page gives (Babel's, so that
     the count reads like the hint and the error message beside it). */
  function groupDigits(number, symbol) {
    var digits = String(number);
    if (digits.length < 4) {
      return digits;
    }
    return digits.replace(/\B(?=(\d{3})+$)/g, symbol);
  }

  /* How the site counts a text: after the same clean-up as the server (NFC, ends trimmed), one per
     character, so ā is one, as is 👩. */
  function charactersIn(text) {
    return Array.from(text.normalize("NFC").trim()).length;
  }

  /* Under a field with a limit: the characters left, shown at once as one types. Screen readers hear
     it in a polite live region only once typing pauses, so it does not talk over every key. Without
     JavaScript the field's hint says the limit. */
  var ANNOUNCE_AFTER_MS = 1000;

  function characterCounts() {
    document.querySelectorAll("[data-character-count]").forEach(function (wrapper) {
      var field = wrapper.querySelector("textarea");
      if (!field) {
        return;
      }
      var limit = parseInt(wrapper.getAttribute("data-character-count"), 10);
      var symbol = wrapper.getAttribute("data-group-symbol") || ",";
      var shown = document.createElement("p");
      shown.className = "character-count";
      shown.id = field.id + "-count";
      shown.setAttribute("aria-hidden", "true");
      var spoken = document.createElement("p");
      spoken.className = "visually-hidden";
      spoken.id = field.id + "-count-spoken";
      spoken.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", shown);
      shown.insertAdjacentElement("afterend", spoken);

      var pending = null;
      function message() {
        var left = limit - charactersIn(field.value);
        var template = wrapper.getAttribute(left < 0 ? "data-count-over" : "data-count-left");
        return { text: template.replace("{count}", groupDigits(Math.abs(left), symbol)), over: left < 0 };
      }
      function update() {
        var now = message();
        shown.textContent = now.text;
        shown.classList.toggle("character-count-over", now.over);
        clearTimeout(pending);
        pending = setTimeout(function () {
          if (spoken.textContent !== now.text) {
            spoken.textContent = now.text;
          }
        }, ANNOUNCE_AFTER_MS);
      }
      shown.textContent = message().text;
      field.addEventListener("input", update);
    });
  }

  /* The comment form's heading names the paragraph chosen in it ("Comment on paragraph 3.2"). */
  function commentHeading() {
    var heading = document.querySelector("[data-heading-paragraph]");
    var form = heading && heading.parentElement.querySelector("form");
    var choice = form && form.querySelector("select[name='paragraph']");
    if (!choice) {
      return;
    }
    choice.addEventListener("change", function () {
      heading.textContent = choice.value
        ? heading.getAttribute("data-heading-paragraph").replace(
          "{label}", heading.getAttribute("data-section-number") + "." + choice.value)
        : heading.getAttribute("data-heading-section");
    });
  }

  /* The language switch leads to the same page in the other language; the part of the address after
     "#" (a paragraph such as #p-3.2, a comment) never reaches the server, so it is added here, at the
     moment of the click, to whatever the reader has scrolled or linked to by then. */
  function languageSwitchKeepsAnchor() {
    document.querySelectorAll("a.language-switch").forEach(function (link) {
      link.addEventListener("click", function () {
        if (window.location.hash.length > 1) {
          link.href = link.href.split("#")[0] + window.location.hash;
        }
      });
    });
  }

  /* A background job's progress bar (workgroup/_jobs.html) moves on by itself: every few seconds the
     page is fetched again and the bar takes the new figure; once the job is done the page reloads to
     show the new result. Without JavaScript the reload link beside the bar does the same. */
  function jobProgress() {
    if (!document.querySelector("[data-job-running]") || !window.fetch || !window.DOMParser) {
      return;
    }
    function check() {
      fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html");
          var running = document.querySelectorAll("[data-job-running]");
          var finished = false;
          Array.prototype.forEach.call(running, function (box) {
            var now = fresh.getElementById(box.id);
            if (!now || !now.hasAttribute("data-job-running")) {
              finished = true;
              return;
            }
            var bar = box.querySelector("progress");
            var newBar = now.querySelector("progress");
            if (bar && newBar) {
              bar.value = newBar.value;
              bar.textContent = newBar.textContent;
            }
            ["label", ".job-percent"].forEach(function (selector) {
              var old = box.querySelector(selector);
              var updated = now.querySelector(selector);
              if (old && updated && old.textContent !== updated.textContent) {
                old.textContent = updated.textContent;
              }
            });
          });
          if (finished) {
            window.location.reload();
          } else {
            window.setTimeout(check, 3000);
          }
        })
        .catch(function () { window.setTimeout(check, 15000); });
    }
    window.setTimeout(check, 3000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    languageSwitchKeepsAnchor();
    jobProgress();
    formsWithoutAnchors();
    characterCounts();
    commentHeading();
    errorSummary();
  });
})();

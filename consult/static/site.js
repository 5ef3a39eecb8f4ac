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

  document.addEventListener("DOMContentLoaded", function () {
    formsWithoutAnchors();
    errorSummary();
  });
})();

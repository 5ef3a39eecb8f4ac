/* Small improvements on top of pages that work without it. */
(function () {
  "use strict";

  /* Printing opens every closed <details> (questions and answers) and closes them again after,
     for browsers that do not print their content from the style sheet alone. */
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
})();

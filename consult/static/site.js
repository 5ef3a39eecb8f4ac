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

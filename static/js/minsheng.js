/* Small behaviours of every page, kept out of the templates: the Content-Security-Policy allows no
   inline script or style. Print buttons (data-print), selects that submit their form on change
   (data-autosubmit), and bar widths given as data-width-percent. */
(function () {
  "use strict";

  function each(selector, action) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), action);
  }

  function init() {
    each("[data-print]", function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    each("select[data-autosubmit]", function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    each("[data-width-percent]", function (bar) {
      bar.style.width = Number(bar.getAttribute("data-width-percent")) + "%";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* A <select data-submit-on-change> submits its form when its value changes (the language picker),
   instead of an inline onchange handler, which the Content-Security-Policy does not run. Without
   JavaScript the form's <noscript> button does it. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.hasAttribute && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.submit();
    }
  });
})();

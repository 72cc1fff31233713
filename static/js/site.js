// Small, documented behaviours. No inline scripts: the CSP allows scripts from this origin only.
//
// data-autosubmit   on a <select>: submit its form when the value changes (language switcher, filters).
// data-confirm      on a <form>: ask before submitting ("Bạn chắc chắn?").
// data-date-nav     on an <input type=date>: go to the archive page of the chosen day (URL pattern in the
//                   attribute, with "DATE" replaced by yyyy-mm-dd).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit]")) {
    el.form.requestSubmit();
  }
  if (el.matches("input[data-date-nav]") && el.value) {
    window.location.href = el.dataset.dateNav.replace("DATE", el.value);
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

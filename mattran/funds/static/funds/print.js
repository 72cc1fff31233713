// data-print on a button: open the browser's print dialog (the receipt page). No inline scripts under the CSP.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

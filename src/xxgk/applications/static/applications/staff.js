// Enhancement only: fill the reply's legal basis with the chosen outcome's article while
// the handler has not typed one of their own. Without this script the server cites the
// article when the field is left empty.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[name$='-outcome']")) {
    const basis = select.form && select.form.querySelector("input[name$='-legal_basis']");
    if (!basis) continue;
    let filled = basis.value;
    select.addEventListener("change", () => {
      const option = select.selectedOptions[0];
      const article = option ? option.dataset.article || "" : "";
      if (basis.value === "" || basis.value === filled) {
        basis.value = article ? (article.startsWith("第") ? "《政府信息公开条例》" + article : article) : "";
        filled = basis.value;
      }
    });
  }
});

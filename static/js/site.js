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

// --- Transparency (funds, /minh-bach/) ---------------------------------------------------------------------------
// data-verify-proof  on a receipt's proof section, with data-leaf (the entry hash), data-root (the day's Merkle
//                    root) and data-checkpoint-hash. Its [data-verify-button] recomputes in the browser, with
//                    SHA-256 (SubtleCrypto), the Merkle path ([data-proof-step] items with data-side "L"/"R" and
//                    data-sibling) from the leaf up to the root, and the checkpoint hash from the
//                    [data-checkpoint-field] elements (data-value, data-kind "int"/"str") as canonical JSON
//                    (sorted keys, no spaces); the verdict is written as text into [data-verify-result].
async function sha256Hex(text) {
  const digest = await window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function verifyProof(section) {
  let node = section.dataset.leaf;
  const steps = section.querySelectorAll("[data-proof-step]");
  for (const step of steps) {
    const sibling = step.dataset.sibling;
    node = await sha256Hex(step.dataset.side === "L" ? sibling + node : node + sibling);
  }
  const fields = {};
  const items = Array.from(section.querySelectorAll("[data-checkpoint-field]"));
  items.sort((a, b) => (a.dataset.checkpointField < b.dataset.checkpointField ? -1 : 1));
  for (const item of items) {
    const value = item.dataset.value;
    fields[item.dataset.checkpointField] = item.dataset.kind === "int" ? Number(value) : value;
  }
  const recomputed = await sha256Hex(JSON.stringify(fields));
  return {
    steps: steps.length,
    included: node === section.dataset.root,
    sealed: recomputed === section.dataset.checkpointHash,
  };
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-verify-button]");
  const section = button && button.closest("[data-verify-proof]");
  if (!section) {
    return;
  }
  const out = section.querySelector("[data-verify-result]");
  if (!window.crypto || !window.crypto.subtle) {
    out.dataset.state = "bad";
    out.textContent = "Trình duyệt này không tính được SHA-256 ở đây (cần kết nối HTTPS). "
      + "Hãy tải tệp JSON và kiểm tra ngoại tuyến.";
    return;
  }
  button.disabled = true;
  out.textContent = "Đang kiểm tra…";
  try {
    const result = await verifyProof(section);
    const ok = result.included && result.sealed;
    out.dataset.state = ok ? "ok" : "bad";
    if (ok) {
      out.textContent = `Bằng chứng hợp lệ: từ băm bút toán, qua ${result.steps} bước, tính ra đúng gốc Merkle `
        + "của điểm chốt ngày; băm điểm chốt tính lại từ các trường cũng khớp.";
    } else if (!result.included) {
      out.textContent = "Không khớp: đường đi Merkle không dẫn tới gốc của điểm chốt. Bút toán này không nằm "
        + "trong điểm chốt đã công bố, hoặc dữ liệu đã bị sửa.";
    } else {
      out.textContent = "Không khớp: băm điểm chốt tính lại từ các trường khác với băm đã công bố.";
    }
  } finally {
    button.disabled = false;
  }
});

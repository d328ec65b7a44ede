// Presenter mode's keyboard: arrow keys, space and page keys report "next" or "previous" to Python.
// Keys typed into a widget (a text box, a button with focus, a slider) are left to it.

const NEXT = new Set(["ArrowRight", "ArrowDown", "PageDown", " "]);
const PREVIOUS = new Set(["ArrowLeft", "ArrowUp", "PageUp"]);

export default function (component) {
  const { setTriggerValue } = component;
  if (window.__cnnvizKeys) document.removeEventListener("keydown", window.__cnnvizKeys);
  const onKey = (event) => {
    if (event.target.closest && event.target.closest("input, textarea, select, button, [role='slider'], [contenteditable]")) return;
    const step = NEXT.has(event.key) ? "next" : PREVIOUS.has(event.key) ? "previous" : null;
    if (!step) return;
    event.preventDefault();
    setTriggerValue("key", step);
  };
  window.__cnnvizKeys = onKey;
  document.addEventListener("keydown", onKey);
  return () => {
    document.removeEventListener("keydown", onKey);
    if (window.__cnnvizKeys === onKey) delete window.__cnnvizKeys;
  };
}

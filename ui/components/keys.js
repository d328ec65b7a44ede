// Presenter mode's keyboard: arrow keys, space and page keys report "next" or "previous" to Python.
// Keys typed into a widget (a text box, a slider) are left to it, and space to a button with focus (it presses it);
// an arrow key still pages after a click on Next, which leaves the focus on that button.

const NEXT = new Set(["ArrowRight", "ArrowDown", "PageDown", " "]);
const PREVIOUS = new Set(["ArrowLeft", "ArrowUp", "PageUp"]);

export default function (component) {
  const { setTriggerValue } = component;
  if (window.__cnnvizKeys) document.removeEventListener("keydown", window.__cnnvizKeys);
  const onKey = (event) => {
    const inside = (selector) => event.target.closest && event.target.closest(selector);
    if (inside("input, textarea, select, [role='slider'], [contenteditable]")) return;
    if (event.key === " " && inside("button")) return;
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

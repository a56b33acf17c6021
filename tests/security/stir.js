() => {
  // Hover and focus every element once, to fire any handler left on one.
  for (const el of document.querySelectorAll("main *")) {
    for (const type of ["mouseover", "mouseenter", "pointerenter", "focus", "focusin"]) {
      el.dispatchEvent(new Event(type, { bubbles: type !== "mouseenter" }));
    }
  }
  // Then a turn of the event loop, for a handler that runs on a timer.
  return new Promise((resolve) => setTimeout(resolve, 10));
}

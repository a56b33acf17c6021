// Before any page script, in every frame: hooks that record instead of running.
(() => {
  const hits = [];
  Object.defineProperty(window, "__xssHits", { value: hits });
  const report = (what, args) => {
    const entry = what + "(" + Array.from(args, String).join(",") + ")";
    hits.push(entry);
    try { if (window.top !== window) window.top.__xssHits.push("frame " + entry); }
    catch (error) { /* a cross-origin frame: its own list is read below */ }
  };
  const hook = (what) => function () { report(what, arguments); };
  for (const name of ["__xss", "alert", "confirm", "prompt", "print", "open"]) {
    Object.defineProperty(window, name, { value: hook(name), writable: false });
  }
})();

(markers) => {
  // Called after a page loaded: what may not be on it, and which markers are not.
  const found = [];
  const origin = location.origin;
  const SCHEME = /^(javascript|vbscript|livescript|mocha|data):/;
  const decoder = document.createElement("textarea");
  const decode = (text) => { decoder.innerHTML = text; return decoder.value; };
  const bare = (text) => decode(text).replace(/[\u0000-\u0020\u007f-\u00a0\u2028\u2029]/g, "").toLowerCase();
  const scripty = (value) => {
    const shown = bare(value);
    if (!SCHEME.test(shown)) return false;
    return !/^data:image\/(png|gif|jpeg|webp|avif)[;,]/.test(shown);
  };
  const describe = (el) => el.outerHTML.slice(0, 160);
  const resolved = (el, value) => {
    try { return new URL(value, document.baseURI).protocol; } catch (e) { return ""; }
  };
  const LINKS = ["href", "src", "action", "formaction", "data", "xlink:href",
                 "background", "poster", "codebase", "cite", "ping", "lowsrc", "dynsrc"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push("event handler " + name + ": " + describe(el));
      if (name === "srcdoc") found.push("srcdoc: " + describe(el));
      if (LINKS.includes(name) || name.endsWith(":href")) {
        const protocol = resolved(el, attr.value);
        if (scripty(attr.value) || ["javascript:", "vbscript:"].includes(protocol)
            || (protocol === "data:" && scripty(attr.value.trim())))
          found.push("script link " + name + ": " + describe(el));
      }
      if (name === "srcset") {
        for (const part of attr.value.split(",")) {
          if (scripty(part.trim().split(/\s+/)[0])) found.push("script srcset: " + describe(el));
        }
      }
    }
  }
  const forbidden = "iframe, frame, frameset, object, embed, applet, portal, base, "
    + "meta[http-equiv], body style, body meta, svg, math";
  for (const el of document.querySelectorAll(forbidden)) {
    found.push("element not shipped: " + describe(el));
  }
  for (const link of document.querySelectorAll("body link")) {
    const href = new URL(link.getAttribute("href") || "", document.baseURI);
    if (href.origin !== origin || !href.pathname.startsWith("/static/"))
      found.push("link not shipped: " + describe(link));
  }
  for (const form of document.querySelectorAll("form")) {
    const action = new URL(form.getAttribute("action") || "", document.baseURI);
    if (action.origin !== origin) found.push("form to elsewhere: " + describe(form));
  }
  for (const script of document.querySelectorAll("script")) {
    const src = script.getAttribute("src");
    const text = script.textContent;
    const ours = src !== null
      ? new URL(src, document.baseURI).origin === origin && !!script.closest("head, body")
        && /\/static\//.test(src) && !text.trim()
      : script.type === "application/ld+json"
        ? !!script.closest("head") && !/<\/?script/i.test(text) && (() => {
            try { JSON.parse(text); return true; } catch (e) { return false; } })()
        : !!script.closest("head") && text.startsWith('document.documentElement.classList.add("js")');
    if (!ours) found.push("script not shipped: " + describe(script));
  }
  const shown = [document.body.innerText];
  for (const input of document.querySelectorAll("input, textarea")) shown.push(input.value);
  const text = shown.join("\n").replace(/\s+/g, " ").toLowerCase();
  const missing = markers.filter((m) => !text.includes(m.toLowerCase()));
  return { found, missing, hits: window.__xssHits.slice() };
}

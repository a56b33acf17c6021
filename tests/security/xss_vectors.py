"""Our XSS corpus: markup, URL and template-injection vectors, grouped by kind.

Written for Broadsheet's inputs (Markdown with raw HTML, plain-text fields, link
fields, imported HTML, BibTeX and front matter). Every vector that would run
script calls a hook the browser test defines (`__xss(ID)`, or `alert`, `confirm`,
`prompt`, `print`, each recording instead of opening a dialog), so a run is seen
whichever way it happens; `XID` in a vector is replaced by its number. `MARKER`
marks where the field's marker sentence goes (default: after the vector).

`solo` vectors may swallow what follows them (an unclosed `<select>`, an
unterminated comment): they are pushed one to a document, and the product may
answer them with a reported problem instead of showing the text after them.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

HOOK_CALL = "__xss(XID)"


@dataclass(frozen=True)
class Vector:
    """One hostile input: its number, kind and text (XID already replaced)."""

    id: int
    kind: str
    text: str
    solo: bool = False

    @property
    def opens_tag(self) -> bool:
        """Whether it ends inside a tag left open: Markdown shows it as text, but
        HTML reads on to the next ">" (WordPress too: what follows is not shown)."""
        return re.search(r"<[A-Za-z][^>]*$", self.text) is not None

    @property
    def line(self) -> str:
        """The vector on one line, for fields that hold a single line."""
        return " ".join(self.text.replace("MARKER", "").split())

    def with_marker(self, marker: str, *, one_line: bool = False) -> str:
        """The vector with `marker` where it goes (after it unless it says)."""
        if one_line:
            return f"{self.line} {marker}"
        if "MARKER" in self.text:
            return self.text.replace("MARKER", marker)
        return f"{self.text} {marker}"


def _b64_html(html: str) -> str:
    return base64.b64encode(html.encode()).decode()


_DATA_HTML = "data:text/html;base64,B64"  # B64: a page calling the hook, base64

SCRIPT = [
    "<script>__xss(XID)</script>",
    "<SCRIPT>__xss(XID)</SCRIPT>",
    '<script src="data:text/javascript,__xss(XID)"></script>',
    '<script type="module">__xss(XID)</script>',
    "<scr<script>ipt>__xss(XID)</scr</script>ipt>",
    "<script/xss>__xss(XID)</script>",
    "<<script>__xss(XID);//<</script>",
    "</script><script>__xss(XID)</script>",
    "<script>alert(XID)</script>",
    "<script>confirm(XID)</script>",
    "<script>prompt(XID)</script>",
    "<script>print()</script>",
    '<noscript><p title="</noscript><img src=x onerror=__xss(XID)>"></noscript>',
    "<svg><script>__xss(XID)</script></svg>",
    "<svg><script>&#95;_xss(XID)</script></svg>",
    '<svg><script href="data:text/javascript,__xss(XID)"/></svg>',
    "<math><mtext><script>__xss(XID)</script></mtext></math>",
]

HANDLERS = [
    "<img src=x onerror=__xss(XID)>",
    '<img src="x" onerror="__xss(XID)">',
    "<IMG SRC=x OnErRoR=__xss(XID)>",
    '<img src=x onerror="&#95;&#95;xss(XID)">',
    "<img/src=x/onerror=__xss(XID)>",
    "<img src=x onerror=eval('__x'+'ss(XID)')>",
    "<img src=x onerror=top[/__xss/.source](XID)>",
    "<img src=x onerror=\\u005f_xss(XID)>",
    "<img src=x onerror=__xss&#40;XID&#41;>",
    "<body onload=__xss(XID)>",
    '<p onclick="__xss(XID)" onmouseover="__xss(XID)">Hover here</p>',
    "<div onpointerenter=__xss(XID)>Point here</div>",
    "<input autofocus onfocus=__xss(XID)>",
    "<select autofocus onfocus=__xss(XID)></select>",
    "<textarea autofocus onfocus=__xss(XID)></textarea>",
    "<keygen autofocus onfocus=__xss(XID)>",
    "<video><source onerror=__xss(XID)></video>",
    "<audio src=x onerror=__xss(XID)></audio>",
    "<details open ontoggle=__xss(XID)><summary>Open</summary>Inside</details>",
    "<marquee onstart=__xss(XID)>Moving</marquee>",
    "<iframe onload=__xss(XID)></iframe>",
    "<table><tr><td onmouseover=__xss(XID)>Cell</td></tr></table>",
    '<a href="#" onclick="__xss(XID)">Click</a>',
    "<button onclick=__xss(XID)>Press</button>",
    "<isindex type=image src=1 onerror=__xss(XID)>",
    "<x onclick=__xss(XID)>Custom</x>",
    "<custom-tag tabindex=0 onfocus=__xss(XID) autofocus>Custom</custom-tag>",
    "<img src=x onerror=__xss(XID)//",
    '<img src=x onerror=__xss(XID) alt="',
]

SVG = [
    "<svg onload=__xss(XID)></svg>",
    "<svg><animate onbegin=__xss(XID) attributeName=x dur=1s></svg>",
    "<svg><set onbegin=__xss(XID) attributename=x to=1 dur=1s></set></svg>",
    '<svg><a xlink:href="javascript:__xss(XID)"><text x=20 y=20>Link</text></a></svg>',
    "<svg><foreignObject><img src=x onerror=__xss(XID)></foreignObject></svg>",
    "<svg><style><img src=x onerror=__xss(XID)></style></svg>",
    "<svg><![CDATA[><img src=x onerror=__xss(XID)>]]></svg>",
    "<svg><title><img src=x onerror=__xss(XID)></title></svg>",
    "<svg><desc><![CDATA[</desc><script>__xss(XID)</script>]]></desc></svg>",
    '<svg><image href="x" onerror="__xss(XID)"/></svg>',
    '<svg><use href="data:image/svg+xml;base64,B64#x"></use></svg>',
]

MATHML = [
    '<math><a xlink:href="javascript:__xss(XID)">Sum</a></math>',
    '<math href="javascript:__xss(XID)"><mi>x</mi></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss(XID)>"
    "</style></mglyph></table></mtext></math>",
    '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="'
    '</style><img src=x onerror=__xss(XID)>"></style></svg></mglyph></h1>'
    "</mtext></math>",
    '<math><maction actiontype="statusline" xlink:href="javascript:__xss(XID)">'
    "Act</maction></math>",
]

CSS = [
    '<style>@import "javascript:__xss(XID)";</style>',
    '<style>body{background:url("javascript:__xss(XID)")}</style>',
    '<p style="background:url(javascript:__xss(XID))">Styled</p>',
    '<div style="width: expression(__xss(XID))">Old IE</div>',
    "<style>*{x:expression(__xss(XID))}</style>",
    '<link rel=stylesheet href="javascript:__xss(XID)">',
    '<span style="position:fixed;inset:0" onmouseover="__xss(XID)">Cover</span>',
    "<style>@keyframes k{}</style>"
    '<p style="animation:k 1ms" onanimationstart="__xss(XID)">Animated</p>',
    '<p style="transition:color 1ms" ontransitionend="__xss(XID)">Fading</p>',
]

EMBEDDING = [
    '<iframe src="javascript:__xss(XID)"></iframe>',
    '<iframe srcdoc="<script>parent.__xss(XID)</script>"></iframe>',
    '<iframe srcdoc="&lt;img src=x onerror=parent.__xss(XID)&gt;"></iframe>',
    f'<iframe src="{_DATA_HTML}"></iframe>',
    '<object data="javascript:__xss(XID)"></object>',
    f'<object data="{_DATA_HTML}"></object>',
    '<embed src="javascript:__xss(XID)">',
    f'<embed src="{_DATA_HTML}">',
    '<meta http-equiv="refresh" content="0;url=javascript:__xss(XID)">',
    f'<meta http-equiv="refresh" content="0; url={_DATA_HTML}">',
    '<base href="javascript:__xss(XID)//">',
    '<base href="https://elsewhere.example/">',
    '<form action="javascript:__xss(XID)"><input type=submit></form>',
    '<form><button formaction="javascript:__xss(XID)">Send</button></form>',
    '<link rel="import" href="data:text/html,<script>__xss(XID)</script>">',
    '<map name=m><area shape=rect coords=0,0,9,9 href="javascript:__xss(XID)"></map>',
    '<table background="javascript:__xss(XID)"><tr><td>Cell</td></tr></table>',
    '<img src="javascript:__xss(XID)">',
    '<img src="/x.png" srcset="/x.png 1x, javascript:__xss(XID) 2x">',
    '<meta charset="UTF-7">+ADw-script+AD4-__xss(XID)+ADw-/script+AD4-',
]

ATTRIBUTE_LINKS = [
    '<a href="javascript:__xss(XID)">Link</a>',
    '<a href="JaVaScRiPt:__xss(XID)">Link</a>',
    '<a href=" javascript:__xss(XID)">Link</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
    '__xss(XID)">Link</a>',
    '<a href="&#x6A;avascript&#x3A;__xss(XID)">Link</a>',
    '<a href="java&#x09;script:__xss(XID)">Link</a>',
    '<a href="java&#10;script:__xss(XID)">Link</a>',
    '<a href="&#14;javascript:__xss(XID)">Link</a>',
    '<a href="javascript&colon;__xss(XID)">Link</a>',
    f'<a href="{_DATA_HTML}">Link</a>',
    '<a href="vbscript:msgbox(XID)">Link</a>',
    '<a href="javascript:__xss(XID)//https://example.org/">Link</a>',
    '<a href="javascript://example.org/%0A__xss(XID)">Link</a>',
    '<a href="#" title="&quot; onmouseover=__xss(XID) x=&quot;">Title</a>',
    '<abbr title="x&quot; onmouseover=&quot;__xss(XID)">Abbr</abbr>',
    '<img alt="&quot;&gt;&lt;img src=x onerror=__xss(XID)&gt;" src="/x.png">',
]

ENCODED_AND_NESTED = [
    "&lt;script&gt;__xss(XID)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;__xss(XID)&amp;lt;/script&amp;gt;",
    "\\u003cscript\\u003e__xss(XID)\\u003c/script\\u003e",
    "%3Cscript%3E__xss(XID)%3C/script%3E",
    "<<img src=x onerror=__xss(XID)>>",
    '<img """><script>__xss(XID)</script>">',
    "<div><div><div><p><span><img src=x onerror=__xss(XID)></span></p></div></div>"
    "</div>",
    "<table><img src=x onerror=__xss(XID)></table>",
    '<!--<img src="--><img src=x onerror=__xss(XID)//">',
    "<!-- --!><img src=x onerror=__xss(XID)> -->",
    "<![CDATA[<img src=x onerror=__xss(XID)>]]>",
    '<?xml-stylesheet href="javascript:__xss(XID)"?>',
    "<!DOCTYPE html><img src=x onerror=__xss(XID)>",
    '<p title="</p><img src=x onerror=__xss(XID)>">Quoted</p>',
    "<a title='\"><img src=x onerror=__xss(XID)>'>Quoted</a>",
    "<img src=x onerror=\"window['__x'+'ss'](XID)\">",
    "<xmp><img src=x onerror=__xss(XID)></xmp>",
    "<noembed><img src=x onerror=__xss(XID)></noembed>",
    "<noframes><img src=x onerror=__xss(XID)></noframes>",
    "<template><img src=x onerror=__xss(XID)></template>",
    "<title><img src=x onerror=__xss(XID)></title>",
    "<textarea><img src=x onerror=__xss(XID)></textarea>",
    "<select><option><img src=x onerror=__xss(XID)></option></select>",
    "<style><img src=x onerror=__xss(XID)></style>",
    "<iframe><img src=x onerror=__xss(XID)></iframe>",
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=__xss(XID) )//%0D%0A%0d%0a"
    "//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=__xss(XID)//>\\x3e",
]

# Markdown's own syntax around hostile text and addresses.
MARKDOWN = [
    "[Link](javascript:__xss(XID))",
    "[Link](<javascript:__xss(XID)>)",
    "[Link](javascript&#58;__xss(XID))",
    "![Image](javascript:__xss(XID))",
    "<javascript:__xss(XID)>",
    "[Ref][rXID] MARKER\n\n[rXID]: javascript:__xss(XID)",
    '[Link](https://example.org "t\\" onmouseover=\\"__xss(XID)")',
    '[Link](https://example.org/" onmouseover="__xss(XID))',
    "**<img src=x onerror=__xss(XID)>**",
    "`<img src=x onerror=__xss(XID)>`",
    "```html\n<script>__xss(XID)</script>\n```\n\nMARKER",
    "## Heading <img src=x onerror=__xss(XID)>",
    "## Heading &lt;script&gt;__xss(XID)&lt;/script&gt;",
    "## Heading <script>__xss(XID)</script>",
    "A noted line.[^nXID] MARKER\n\n[^nXID]: <img src=x onerror=__xss(XID)> Note.",
    'A noted line.[^a"onclick="__xss(XID)] MARKER\n\n[^a"onclick="__xss(XID)]: Note.',
    "| <img src=x onerror=__xss(XID)> | b |\n|---|---|\n| c | d MARKER |",
    "> <script>__xss(XID)</script>",
    "- <img src=x onerror=__xss(XID)>",
    "<div>\n\n[Link](javascript:__xss(XID))\n\n</div>",
    '<a href="javascript:__xss(XID)">\n\n**Bold**\n\n</a>',
    "![<img src=x onerror=__xss(XID)>](/x.png)",
    '![Alt](/x.png "<img src=x onerror=__xss(XID)>")',
]

# Written to leave the place plain text lands in: an attribute, <title>, a
# <textarea> or <option>, a JSON-LD <script>, a comment, CDATA in a feed.
BREAKOUT = [
    '"><img src=x onerror=__xss(XID)>',
    "'><svg onload=__xss(XID)></svg>",
    "</title><script>__xss(XID)</script>",
    "</textarea><script>__xss(XID)</script>",
    "</option></select><img src=x onerror=__xss(XID)>",
    '"}]}</script><script>__xss(XID)</script>',
    r"\u003c/script\u003e\u003cscript\u003e__xss(XID)\u003c/script\u003e",
    "--><script>__xss(XID)</script>",
    "]]><script>__xss(XID)</script>",
    '" autofocus onfocus="__xss(XID)',
    "' onmouseover='__xss(XID)",
    "\u2028\u2029<script>__xss(XID)</script>",
    "&quot;&gt;&lt;script&gt;__xss(XID)&lt;/script&gt;",
]

TEMPLATES = [
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('__xss(XID)')()}}",
    "{{> partial }}",
    "{{{ raw_html }}}",
    "[[${7*7}]]",
    "{php}echo 7*7;{/php}",
    "{{< shortcode >}}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "{{ settings.SECRET_KEY }}",
    "{{self.__init__.__globals__}}",
    "#set($x=7*7)${x}",
    "@(7*7)",
]

# Elements that take in everything after them when left open.
UNCLOSED = [
    "<select>",
    "<textarea>",
    "<script>",
    "<style>",
    "<iframe>",
    "<xmp>",
    "<noscript>",
    "<plaintext>",
    "<svg><![CDATA[",
    "<svg onload=__xss(XID)>",
    "<math><mtext><table><mglyph><style>",
    "<form><math><mtext></form><form><mglyph><style></math>"
    "<img src=x onerror=__xss(XID)></style></mglyph></form>",
    "<table><tr><td><select>",
    "<!--",
    '<?xml version="1.0"',
    "<![CDATA[",
    "<!DOCTYPE html",
    "<title>",
]

# Addresses for link fields (and link syntaxes in Markdown and HTML).
SCRIPT_URLS = [
    "javascript:__xss(XID)",
    "JaVaScRiPt:__xss(XID)",
    " javascript:__xss(XID)",
    "\tjavascript:__xss(XID)",
    "\x01javascript:__xss(XID)",
    "java\tscript:__xss(XID)",
    "java\nscript:__xss(XID)",
    "&#106;avascript:__xss(XID)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;__xss(XID)",
    "javascript&colon;__xss(XID)",
    "javascript&#58;__xss(XID)",
    "%6A%61%76%61%73%63%72%69%70%74%3A__xss(XID)",
    "javascript:__xss(XID)//http://example.org/",
    "javascript://example.org/%0A__xss(XID)",
    "data:text/html,<script>parent.__xss(XID)</script>",
    _DATA_HTML,
    "DATA:text/html,<script>parent.__xss(XID)</script>",
    "vbscript:msgbox(XID)",
    "VBScript:msgbox(XID)",
    "livescript:__xss(XID)",
    "https:javascript:__xss(XID)",
]

# Web addresses a link field accepts, written to break out of where they land.
HOSTILE_WEB_URLS = [
    'https://example.org/" onmouseover="__xss(XID)',
    "https://example.org/'><img src=x onerror=__xss(XID)>",
    "https://example.org/</script><script>__xss(XID)</script>",
    "http://example.org/?q=<svg/onload=__xss(XID)>",
    'https://example.org/#"><script>__xss(XID)</script>',
    "https://javascript:__xss(XID)@example.org/",
    "https://example.org/%0Ajavascript:__xss(XID)",
    "mailto:press@example.org?body=<script>__xss(XID)</script>",
]

KINDS: dict[str, list[str]] = {
    "script": SCRIPT,
    "handler": HANDLERS,
    "svg": SVG,
    "mathml": MATHML,
    "css": CSS,
    "embedding": EMBEDDING,
    "attribute-link": ATTRIBUTE_LINKS,
    "encoded-nested": ENCODED_AND_NESTED,
    "markdown": MARKDOWN,
    "breakout": BREAKOUT,
    "template": TEMPLATES,
    "unclosed": UNCLOSED,
    "script-url": SCRIPT_URLS,
    "web-url": HOSTILE_WEB_URLS,
}
URL_KINDS = ("script-url", "web-url")


def _build() -> list[Vector]:
    vectors, number = [], 0
    for kind, texts in KINDS.items():
        for text in texts:
            number += 1
            payload = _b64_html(f"<script>parent.__xss({number})</script>")
            if kind == "svg":  # an SVG document for <use>, whose image fails
                payload = _b64_html(
                    '<svg id="x" xmlns="http://www.w3.org/2000/svg">'
                    f'<image href="1" onerror="__xss({number})"/></svg>'
                )
            text = text.replace("XID", str(number)).replace("B64", payload)
            vectors.append(Vector(number, kind, text, solo=kind == "unclosed"))
    return vectors


VECTORS: list[Vector] = _build()
BY_ID = {vector.id: vector for vector in VECTORS}
MARKUP = [v for v in VECTORS if v.kind not in URL_KINDS and not v.solo]
SOLO = [v for v in VECTORS if v.solo]
URLS = [v for v in VECTORS if v.kind in URL_KINDS]
HOSTILE_WEB = [v for v in VECTORS if v.kind == "web-url" and v.text.startswith("http")]
# Everything as text: what a plain-text field (an excerpt, a footer) must show.
TEXT = [v for v in VECTORS if not v.solo]
# For fields of a few hundred characters (titles, names, terms, settings): every
# vector written to break out of plain text, the first three template strings
# and the first vector of each other kind.
SHORT_TEXT = [
    v
    for v in TEXT
    if v.kind == "breakout"
    or v in [w for w in TEXT if w.kind == v.kind][: 3 if v.kind == "template" else 1]
]

assert len({v.text for v in VECTORS}) == len(VECTORS), "a vector is listed twice"


def marker(path_code: str, vector: Vector, *, short: bool = False) -> str:
    """The neutral sentence that follows `vector` in the field of `path_code`
    (`short`: for fields of a hundred characters or so)."""
    if short:
        return f"{marker_key(path_code, vector)}."
    return f"{marker_key(path_code, vector)} dried evenly."


def marker_key(path_code: str, vector: Vector) -> str:
    """The part of the marker the page must show."""
    return f"Marker {path_code}{vector.id:03d}"

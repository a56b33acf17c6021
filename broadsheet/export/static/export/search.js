/* Search in the static copy of the site (written by `broadsheet export static`).

   The server's /search/ runs a query on the database; a static host runs no code,
   so the export writes an inverted index as JSON (broadsheet/export/search_index.py)
   and this script answers ?q= from it: it fetches index.json, the shard of each
   query word (terms/<first two characters>.json) and the documents of the results
   shown (docs/<block>.json), and ranks with BM25. Every word must match, as on the
   server; a word that is no indexed term matches the terms it begins (typing
   "compos" finds "compositor"). No dependencies, no build step; text reaches the
   page through textContent only. */
(function () {
  "use strict";
  var K1 = 1.2;
  var B = 0.75;
  var PER_PAGE = 20;
  var MAX_EXPANSIONS = 30; // terms a prefix may stand for
  var MAX_TERM_CHARS = 40;

  var box = document.getElementById("search-results");
  if (!box || !window.fetch) return;
  var base = box.getAttribute("data-search-index");
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").slice(0, 2000);
  var page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
  var input = document.getElementById("search-q");
  if (input) input.value = query;
  if (!query.trim()) return;

  function getJSON(path) {
    return fetch(base + path).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return response.json();
    });
  }

  // As search_index.terms() in Python: case-folded, accents off, words of 2+.
  function words(text, minChars) {
    var folded = text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
    var found = folded.match(/[\p{L}\p{N}_]+/gu) || [];
    var unique = [];
    found.forEach(function (word) {
      if (word.length >= minChars && word.length <= MAX_TERM_CHARS && unique.indexOf(word) < 0) {
        unique.push(word);
      }
    });
    return unique;
  }

  function shardKey(term, chars) {
    return Array.from(term).slice(0, chars).map(function (ch) {
      return /^[a-z0-9]$/.test(ch) ? ch : "u" + ch.codePointAt(0).toString(16);
    }).join("");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(nodes) {
    box.replaceChildren.apply(box, nodes);
  }

  // The postings of a query word: its own term, else the terms it begins.
  function postingsOf(word, shard) {
    if (shard[word]) return [shard[word]];
    return Object.keys(shard).filter(function (term) {
      return term.lastIndexOf(word, 0) === 0;
    }).sort().slice(0, MAX_EXPANSIONS).map(function (term) { return shard[term]; });
  }

  // BM25 of one word over the documents holding it: Map document -> score.
  function scores(lists, index) {
    var result = new Map();
    lists.forEach(function (flat) {
      var df = flat.length / 2;
      var idf = Math.log(1 + (index.count - df + 0.5) / (df + 0.5));
      var doc = 0;
      for (var i = 0; i < flat.length; i += 2) {
        doc += flat[i]; // ids are written as gaps
        var tf = flat[i + 1];
        var norm = 1 - B + B * index.lengths[doc] / (index.averageLength || 1);
        var score = idf * tf * (K1 + 1) / (tf + K1 * norm);
        result.set(doc, (result.get(doc) || 0) + score);
      }
    });
    return result;
  }

  function rank(index, query) {
    // Words in most articles are not indexed (they rank nothing): skip them.
    var typed = words(query, index.minChars);
    var asked = typed.filter(function (word) {
      return index.common.indexOf(word) < 0;
    });
    if (!asked.length) return Promise.resolve(typed.length ? null : []);
    var keys = [];
    asked.forEach(function (word) {
      var key = shardKey(word, index.keyChars);
      if (keys.indexOf(key) < 0) keys.push(key);
    });
    var shards = {};
    return Promise.all(keys.map(function (key) {
      if (index.shards.indexOf(key) < 0) { shards[key] = {}; return null; }
      return getJSON("terms/" + key + ".json").then(function (shard) { shards[key] = shard; });
    })).then(function () {
      var total = null;
      asked.forEach(function (word) {
        var these = scores(postingsOf(word, shards[shardKey(word, index.keyChars)]), index);
        if (total === null) { total = these; return; }
        var both = new Map();
        total.forEach(function (score, doc) {
          if (these.has(doc)) both.set(doc, score + these.get(doc));
        });
        total = both;
      });
      // Documents are numbered oldest first: equal scores list the newer first.
      return Array.from(total.entries()).sort(function (a, b) {
        return b[1] - a[1] || b[0] - a[0];
      }).map(function (entry) { return entry[0]; });
    });
  }

  function card(doc) {
    var article = element("article", "card search-result");
    var heading = element("h2", "card-title");
    var link = element("a", "", doc[1]);
    link.href = doc[0];
    heading.appendChild(link);
    article.appendChild(heading);
    var byline = element("p", "byline", doc[2] ? doc[2] + " · " : "");
    var time = element("time", "", doc[3]);
    time.dateTime = doc[3];
    byline.appendChild(time);
    article.appendChild(byline);
    if (doc[4]) article.appendChild(element("p", "excerpt", doc[4]));
    return article;
  }

  function pageLink(number, rel, label) {
    var link = element("a", "", label);
    var next = new URLSearchParams({ q: query, page: String(number) });
    link.href = base + "?" + next.toString();
    link.rel = rel;
    return link;
  }

  function render(index, ranked) {
    var count = element("p", "search-count");
    count.setAttribute("role", "status");
    if (ranked === null) {
      count.textContent = "Nothing to search for.";
      show([count, element("p", "", "These words are in nearly every article, so they are not indexed in this copy of the site. Add a less common word.")]);
      return Promise.resolve();
    }
    var pages = Math.max(1, Math.ceil(ranked.length / PER_PAGE));
    if (!ranked.length) {
      count.textContent = "Nothing found.";
      show([count, element("p", "", "No article has all of these words. Fewer words, or other forms of them, may find more.")]);
      return Promise.resolve();
    }
    count.textContent = ranked.length + " article" + (ranked.length === 1 ? "" : "s") + " found" +
      (pages > 1 ? " · page " + Math.min(page, pages) + " of " + pages : "") + ".";
    var shown = ranked.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    var blocks = [];
    shown.forEach(function (doc) {
      var block = Math.floor(doc / index.docBlock);
      if (blocks.indexOf(block) < 0) blocks.push(block);
    });
    var docs = {};
    return Promise.all(blocks.map(function (block) {
      return getJSON("docs/" + block + ".json").then(function (rows) { docs[block] = rows; });
    })).then(function () {
      var nodes = [count];
      shown.forEach(function (doc) {
        nodes.push(card(docs[Math.floor(doc / index.docBlock)][doc % index.docBlock]));
      });
      if (!shown.length) nodes.push(element("p", "", "There are no more results: this page is past the last one."));
      if (pages > 1) {
        var nav = element("nav", "pagination");
        nav.setAttribute("aria-label", "Pages of results");
        if (page > 1) nav.appendChild(pageLink(page - 1, "prev", "Previous"));
        nav.appendChild(element("span", "", "Page " + page + " of " + pages));
        if (page < pages) nav.appendChild(pageLink(page + 1, "next", "Next"));
        nodes.push(nav);
      }
      show(nodes);
    });
  }

  document.title = query.slice(0, 60) + " · " + document.title;
  show([element("p", "search-count", "Searching…")]);
  getJSON("index.json").then(function (index) {
    return rank(index, query).then(function (ranked) { return render(index, ranked); });
  }).catch(function (error) {
    show([element("p", "search-notice", "The search index could not be read (" + error.message +
      "). Open the site through a web server rather than as files.")]);
  });
})();

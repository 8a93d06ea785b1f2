// The book's search, in mdBook's search box. mdBook draws the box
// (`[output.html.search] copy-js = false` in book.toml keeps its own
// index and scripts out); the text searched is `searchtext.js`, which the
// `html-search` renderer writes from the pages (each section's heading and
// shown text, hidden lines left out). It is loaded when the search is first
// opened, and its word index is built here, in the browser: a word index
// written out with the text was most of the size of mdBook's.
//
// Ranking is BM25 over sections, a heading's words counting three times
// a paragraph's or the headings' above it; a word matches itself, its
// plural, and longer words it begins (at half weight, less the longer they
// are); a section with every word of the query ranks above one with some,
// and one whose heading is the query above the rest.
// `window.search.query(text)` gives the ranked results with their scores,
// to see from the browser's console why a section ranks where it does.
"use strict";

(function () {
    const wrap = document.getElementById("mdbook-search-wrapper");
    const outer = document.getElementById("mdbook-searchbar-outer");
    const bar = document.getElementById("mdbook-searchbar");
    const list = document.getElementById("mdbook-searchresults");
    const resultsOuter = document.getElementById("mdbook-searchresults-outer");
    const header = document.getElementById("mdbook-searchresults-header");
    const toggle = document.getElementById("mdbook-search-toggle");
    const content = document.getElementById("mdbook-content");
    if (!wrap || !outer || !bar || !list || !resultsOuter || !header || !toggle || !content) {
        return;
    }
    const root = typeof path_to_root === "string" ? path_to_root : "";
    const SEARCH_PARAM = "search";
    const MARK_PARAM = "highlight";
    const LIMIT = 30;
    const TEASER_WORDS = 30;
    const TITLE_WEIGHT = 3;
    const PREFIX_WEIGHT = 0.5;
    const K1 = 1.2;
    const B = 0.75;

    // Words: letters, digits and `_`, lower case, a plural made singular.
    // An identifier such as `PyErr_SetString` is a word, and so is each of
    // its parts.
    const WORD = /[\p{L}\p{N}_]+/gu;
    function normalize(word) {
        const w = word.toLowerCase();
        if (w.length > 4 && w.endsWith("ies")) {
            return w.slice(0, -3) + "y";
        }
        if (w.length > 4 && /(?:sh|ch|x|ss|z)es$/.test(w)) {
            return w.slice(0, -2);
        }
        if (w.length > 3 && w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) {
            return w.slice(0, -1);
        }
        return w;
    }
    function words(text, withParts) {
        const out = [];
        for (const m of text.matchAll(WORD)) {
            out.push(normalize(m[0]));
            if (withParts && m[0].includes("_")) {
                const parts = m[0].split("_").filter((p) => p !== "");
                if (parts.length > 1 || (parts.length === 1 && parts[0] !== m[0])) {
                    for (const p of parts) {
                        out.push(normalize(p));
                    }
                }
            }
        }
        return out;
    }

    // The index: the sections, and for each word the sections it is in.
    let index = null;
    function build(data) {
        const docs = [];
        for (const page of data.pages) {
            const headings = [];
            for (const [id, level, title, body] of page.sections) {
                headings.length = Math.max(level - 1, 0);
                if (level > 1) {
                    headings[level - 1] = title;
                }
                const crumbs = [page.title].concat(headings.filter((h) => h));
                docs.push({
                    page: page.path,
                    id,
                    title: title || page.title,
                    crumbs: crumbs.join(" » "),
                    // The headings the section is under (its page's title
                    // and its parents', not its own).
                    context: level > 1 ? crumbs.slice(0, -1).join(" ") : "",
                    body,
                });
            }
        }
        const postings = new Map();
        let titleTotal = 0;
        let bodyTotal = 0;
        let contextTotal = 0;
        docs.forEach((doc, i) => {
            const title = words(doc.title, true);
            const body = words(doc.body, true);
            const context = words(doc.context, true);
            doc.titleLength = title.length;
            doc.bodyLength = body.length;
            doc.contextLength = context.length;
            doc.titleWords = Array.from(new Set(words(doc.title, false))).sort().join(" ");
            titleTotal += title.length;
            bodyTotal += body.length;
            contextTotal += context.length;
            // For each word: how often it is in the heading, the text, and
            // the headings above.
            const counts = new Map();
            [title, body, context].forEach((field, f) => {
                for (const w of field) {
                    const c = counts.get(w) || [0, 0, 0];
                    c[f] += 1;
                    counts.set(w, c);
                }
            });
            for (const [w, c] of counts) {
                let p = postings.get(w);
                if (!p) {
                    p = [];
                    postings.set(w, p);
                }
                p.push([i, ...c]);
            }
        });
        index = {
            docs,
            postings,
            sorted: Array.from(postings.keys()).sort(),
            avgTitle: titleTotal / Math.max(docs.length, 1),
            avgBody: bodyTotal / Math.max(docs.length, 1),
            avgContext: contextTotal / Math.max(docs.length, 1),
        };
    }

    // The words of the index a query word matches, each with its weight.
    function expand(q) {
        const out = [];
        if (index.postings.has(q)) {
            out.push([q, 1]);
        }
        if (q.length >= 2) {
            let lo = 0;
            let hi = index.sorted.length;
            while (lo < hi) {
                const mid = (lo + hi) >> 1;
                if (index.sorted[mid] < q) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            for (let i = lo; i < index.sorted.length && index.sorted[i].startsWith(q); i++) {
                if (index.sorted[i] !== q) {
                    // `borrow` finds `borrowed` at 0.375, `py` finds
                    // `pyerr_setstring` at 0.07.
                    out.push([index.sorted[i], (PREFIX_WEIGHT * q.length) / index.sorted[i].length]);
                }
            }
        }
        return out;
    }

    function saturate(tf, length, average) {
        if (tf === 0) {
            return 0;
        }
        return (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / Math.max(average, 1)));
    }

    // The sections that match `text`, best first.
    function query(text) {
        if (index === null) {
            return [];
        }
        const terms = Array.from(new Set(words(text, false)));
        if (terms.length === 0) {
            return [];
        }
        const n = index.docs.length;
        // For each section, the best score of each query word.
        const best = new Map();
        terms.forEach((q, qi) => {
            for (const [w, weight] of expand(q)) {
                const found = index.postings.get(w);
                const idf = Math.log(1 + (n - found.length + 0.5) / (found.length + 0.5));
                for (const [i, tfTitle, tfBody, tfContext] of found) {
                    const doc = index.docs[i];
                    const s =
                        weight *
                        idf *
                        (TITLE_WEIGHT * saturate(tfTitle, doc.titleLength, index.avgTitle) +
                            saturate(tfBody, doc.bodyLength, index.avgBody) +
                            saturate(tfContext, doc.contextLength, index.avgContext));
                    let scores = best.get(i);
                    if (!scores) {
                        scores = new Array(terms.length).fill(0);
                        best.set(i, scores);
                    }
                    scores[qi] = Math.max(scores[qi], s);
                }
            }
        });
        const wanted = terms.slice().sort().join(" ");
        const results = [];
        for (const [i, scores] of best) {
            const matched = scores.filter((s) => s > 0).length;
            let score = scores.reduce((a, b) => a + b, 0) * (matched / terms.length) ** 2;
            if (index.docs[i].titleWords === wanted) {
                score *= 2;
            }
            results.push({ doc: index.docs[i], score, order: i });
        }
        results.sort((a, b) => b.score - a.score || a.order - b.order);
        return results;
    }

    // Whether a word of the page matches one of the query's words.
    function matcher(terms) {
        return (word) => {
            const candidates = [normalize(word)].concat(
                word.includes("_") ? word.split("_").filter((p) => p).map(normalize) : [],
            );
            return candidates.some((w) => terms.some((q) => w === q || (q.length >= 2 && w.startsWith(q))));
        };
    }

    function escapeHTML(s) {
        return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c]);
    }

    // About TEASER_WORDS words of the section's text, where the query's
    // words are densest, each of them in <em>.
    function teaser(body, terms) {
        const matches = matcher(terms);
        const spaced = body.split(" ");
        const hits = spaced.map((w) => Array.from(w.matchAll(WORD)).some((m) => matches(m[0])));
        const size = Math.min(TEASER_WORDS, spaced.length);
        let sum = 0;
        for (let i = 0; i < size; i++) {
            sum += hits[i] ? 1 : 0;
        }
        let bestSum = sum;
        let start = 0;
        for (let i = size; i < spaced.length; i++) {
            sum += (hits[i] ? 1 : 0) - (hits[i - size] ? 1 : 0);
            if (sum > bestSum) {
                bestSum = sum;
                start = i - size + 1;
            }
        }
        const shown = [];
        for (let i = start; i < start + size; i++) {
            const w = spaced[i];
            if (!hits[i]) {
                shown.push(escapeHTML(w));
                continue;
            }
            shown.push(
                w.replace(WORD, "\u0000$&\u0001")
                    .split(/(\u0000[^\u0001]*\u0001)/)
                    .map((part) =>
                        part.startsWith("\u0000")
                            ? matches(part.slice(1, -1))
                                ? "<em>" + escapeHTML(part.slice(1, -1)) + "</em>"
                                : escapeHTML(part.slice(1, -1))
                            : escapeHTML(part),
                    )
                    .join(""),
            );
        }
        return (start > 0 ? "… " : "") + shown.join(" ") + (start + size < spaced.length ? " …" : "");
    }

    let current = "";
    let shownCount = 0;
    function show(text) {
        if (index === null || text === current) {
            return;
        }
        current = text;
        const results = query(text).slice(0, LIMIT);
        const terms = Array.from(new Set(words(text, false)));
        const n = results.length;
        header.innerText =
            n === 0
                ? `No search results for '${text}'.`
                : `${n} search result${n === 1 ? "" : "s"} for '${text}':`;
        while (list.firstChild) {
            list.removeChild(list.firstChild);
        }
        const mark = encodeURIComponent(terms.join(" ")).replace(/'/g, "%27");
        for (const r of results) {
            shownCount += 1;
            const li = document.createElement("li");
            const a = document.createElement("a");
            a.href = `${root}${r.doc.page}?${MARK_PARAM}=${mark}${r.doc.id ? "#" + r.doc.id : ""}`;
            a.setAttribute("aria-details", `mdbook-teaser_${shownCount}`);
            a.textContent = r.doc.crumbs;
            const span = document.createElement("span");
            span.className = "teaser";
            span.id = `mdbook-teaser_${shownCount}`;
            span.setAttribute("aria-label", "Search Result Teaser");
            span.innerHTML = teaser(r.doc.body, terms);
            li.append(a, span);
            list.appendChild(li);
        }
        resultsOuter.classList.remove("hidden");
    }

    // The text, loaded once, when the search is first opened.
    let loading = false;
    function load() {
        if (loading) {
            return;
        }
        loading = true;
        outer.classList.add("searching");
        const script = document.createElement("script");
        script.src = root + "searchtext.js";
        script.onload = () => {
            const started = performance.now();
            build(window.searchText);
            window.search.buildMs = performance.now() - started;
            outer.classList.remove("searching");
            onInput();
        };
        script.onerror = () => {
            outer.classList.remove("searching");
            header.innerText = "The search text did not load.";
            resultsOuter.classList.remove("hidden");
            console.error(`search: cannot load ${script.src}`);
        };
        document.head.append(script);
    }

    function params() {
        return new URL(window.location.href).searchParams;
    }
    // Puts the query in the address (a new history entry for a new search).
    function setParam(text, push) {
        const url = new URL(window.location.href);
        url.searchParams.delete(MARK_PARAM);
        if (text === null) {
            url.searchParams.delete(SEARCH_PARAM);
        } else {
            url.searchParams.set(SEARCH_PARAM, text);
            url.hash = "";
        }
        if (url.href !== window.location.href) {
            history[push ? "pushState" : "replaceState"]({}, document.title, url.href);
        }
    }

    function hasFocus() {
        return document.activeElement === bar;
    }
    function open(yes) {
        if (yes) {
            load();
            wrap.classList.remove("hidden");
            toggle.setAttribute("aria-expanded", "true");
        } else {
            wrap.classList.add("hidden");
            toggle.setAttribute("aria-expanded", "false");
            for (const li of list.children) {
                li.classList.remove("focus");
            }
        }
    }
    function onInput() {
        const text = bar.value.trim();
        if (text === "") {
            bar.classList.remove("active");
            resultsOuter.classList.add("hidden");
            current = "";
            while (list.firstChild) {
                list.removeChild(list.firstChild);
            }
        } else {
            bar.classList.add("active");
            show(text);
        }
    }

    toggle.addEventListener("click", () => {
        if (wrap.classList.contains("hidden")) {
            open(true);
            window.scrollTo(0, 0);
            bar.select();
        } else {
            open(false);
        }
    });
    bar.addEventListener("input", () => {
        const first = !params().has(SEARCH_PARAM);
        setParam(bar.value.trim(), first);
        unmark();
        onInput();
    });
    document.addEventListener("submit", (e) => e.preventDefault());
    document.addEventListener("keydown", (e) => {
        if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) {
            return;
        }
        const typing = /^(?:input|select|textarea)$/i.test((e.composedPath()[0] || e.target).nodeName);
        if (!hasFocus() && typing) {
            return;
        }
        if (e.key === "Escape") {
            e.preventDefault();
            bar.classList.remove("active");
            setParam(null, bar.value.trim() !== "");
            if (hasFocus()) {
                bar.blur();
            }
            open(false);
            unmark();
        } else if (!hasFocus() && (e.key === "s" || e.key === "/")) {
            e.preventDefault();
            open(true);
            window.scrollTo(0, 0);
            bar.select();
        } else if (hasFocus() && (e.key === "ArrowDown" || e.key === "Enter")) {
            e.preventDefault();
            const first = list.firstElementChild;
            if (first) {
                bar.blur();
                first.classList.add("focus");
                if (e.key === "Enter") {
                    window.location.assign(first.querySelector("a").href);
                }
            }
        } else if (!hasFocus() && ["ArrowDown", "ArrowUp", "Enter"].includes(e.key)) {
            const focused = list.querySelector("li.focus");
            if (!focused) {
                return;
            }
            e.preventDefault();
            if (e.key === "ArrowDown" && focused.nextElementSibling) {
                focused.classList.remove("focus");
                focused.nextElementSibling.classList.add("focus");
                focused.nextElementSibling.scrollIntoView({ block: "nearest" });
            } else if (e.key === "ArrowUp") {
                focused.classList.remove("focus");
                if (focused.previousElementSibling) {
                    focused.previousElementSibling.classList.add("focus");
                    focused.previousElementSibling.scrollIntoView({ block: "nearest" });
                } else {
                    bar.select();
                }
            } else if (e.key === "Enter") {
                window.location.assign(focused.querySelector("a").href);
            }
        }
    });

    // The query's words marked on the page a result led to; a click on one
    // removes the marks.
    function unmark() {
        for (const m of Array.from(content.querySelectorAll("mark.search-mark"))) {
            m.replaceWith(document.createTextNode(m.textContent));
        }
        content.normalize();
    }
    function markFromURL() {
        const value = params().get(MARK_PARAM);
        if (!value) {
            return;
        }
        const matches = matcher(Array.from(new Set(words(value, false))));
        const main = content.querySelector("main") || content;
        const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
            acceptNode: (node) =>
                node.parentElement.closest("script, style, svg, .boring")
                    ? NodeFilter.FILTER_REJECT
                    : NodeFilter.FILTER_ACCEPT,
        });
        const nodes = [];
        while (walker.nextNode()) {
            nodes.push(walker.currentNode);
        }
        for (const node of nodes) {
            const text = node.nodeValue;
            const found = Array.from(text.matchAll(WORD)).filter((m) => matches(m[0]));
            if (found.length === 0) {
                continue;
            }
            const frag = document.createDocumentFragment();
            let at = 0;
            for (const m of found) {
                frag.append(text.slice(at, m.index));
                const mark = document.createElement("mark");
                mark.className = "search-mark";
                mark.textContent = m[0];
                frag.append(mark);
                at = m.index + m[0].length;
            }
            frag.append(text.slice(at));
            node.replaceWith(frag);
        }
        for (const m of content.querySelectorAll("mark.search-mark")) {
            m.addEventListener("click", () => {
                unmark();
                setParam(params().get(SEARCH_PARAM), false);
            });
        }
    }

    function fromURL() {
        const text = params().get(SEARCH_PARAM);
        if (text) {
            open(true);
            bar.value = text;
            onInput();
        } else {
            open(false);
        }
        markFromURL();
    }
    window.addEventListener("popstate", () => {
        unmark();
        current = "";
        fromURL();
    });
    window.search = Object.assign(window.search || {}, { hasFocus, query });
    fromURL();
})();

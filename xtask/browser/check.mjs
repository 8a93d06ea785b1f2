// The book in a real browser: `cargo xtask test browser` runs this with
// Node after the `book` step (see xtask/src/browser.rs).
//
//   node check.mjs BOOK_DIR OUT_DIR CHROMIUM
//
// It serves BOOK_DIR on localhost under /devguide/, as GitHub Pages serves
// the project site (a missing page answers with 404.html), opens every page
// in headless Chromium at 1280x900 and 390x844, and fails for: a console
// error or a failed request, an image that did not load, a table or figure
// wider than the text column that is not inside a visible, focusable
// scrolling box, a figure that scrolls at all or whose smallest text is
// drawn under 11 px, a diagram label with less than 4.5:1 contrast against
// what it is drawn on, a query whose first search result is not the expected
// page (or whose results include a page where the word is only in hidden
// lines), a search that does not work from the keyboard, a search text
// loaded before the search is opened, a 404 page without its styles, and a
// search text whose file is more than 1.5 times the size of the text the
// pages show, or that holds more text than they show. It prints the figures
// the book's issue tracks, and keeps screenshots in OUT_DIR for a reader of
// the CI log.

import { createServer } from "node:http";
import { readFile, readdir, mkdir, stat, writeFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const [bookDir, outDir, executablePath] = process.argv.slice(2);
if (!bookDir || !outDir || !executablePath) {
    console.error("usage: node check.mjs BOOK_DIR OUT_DIR CHROMIUM");
    process.exit(2);
}

const PREFIX = "/devguide/";
const VIEWPORTS = [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 390, height: 844 },
];
// The first result each query must give (a page, or a page and its
// section), and the pages no result may be on: there the word is only in
// lines the page hides (a sample's boilerplate), so a reader sent there
// would not find it.
const QUERIES = [
    { query: "segfault", first: "troubleshooting.html#fatal-python-error-segmentation-fault" },
    { query: "segmentation fault", first: "troubleshooting.html#fatal-python-error-segmentation-fault" },
    { query: "PyResult", first: "glossary.html#pyresult" },
    { query: "borrowed reference", first: "glossary.html#borrowed-reference" },
    { query: "rustdoc_include", first: "contributing.html" },
    { query: "refleak", first: "glossary.html#refleak" },
    { query: "Py", first: "glossary.html#py" },
    { query: "heapq pitfalls", first: "porting-heapq.html#pitfalls-met" },
    { query: "Py_BEGIN_ALLOW_THREADS", first: "thread-state.html#detaching-py_begin_allow_threads" },
    { query: "get_count", first: "your-own-module.html#methods-and-attributes", absent: ["troubleshooting.html"] },
    { query: "getset", absent: ["reference-counting.html", "troubleshooting.html"] },
];
// The text the search loads (written by `cargo xtask mdbook search`).
const SEARCH_TEXT = "searchtext.js";
// The pages whose screenshots are kept whole: the widest tables, the
// longest listings, the plot.
const SHOTS = ["c-idioms.html", "porting-heapq.html", "benchmarks.html"];
// The largest search file for each character the pages show (its size in
// bytes), and the most text it may hold (in characters).
const MAX_FILE_PER_VISIBLE = 1.5;
const MAX_INDEXED_PER_VISIBLE = 1.0;
// The smallest a figure's text may be drawn (CSS px), and the least
// contrast a label may have against the box or panel it is drawn on (WCAG
// AA for text). The diagrams carry their own opaque panel, so what they
// show is the same in every theme.
const MIN_FIGURE_TEXT_PX = 11;
const MIN_CONTRAST = 4.5;
const FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];
const TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".txt": "text/plain",
};

const failures = [];
const fail = (message) => failures.push(message);

// The book's SVG figures: each one's width (its viewBox), its smallest
// font size, and each label's contrast against the shape under it.
function relativeLuminance(hex) {
    const channel = (i) => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
function contrast(a, b) {
    const [la, lb] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
    return (la + 0.05) / (lb + 0.05);
}
function expandHex(c) {
    if (!c || !c.startsWith("#")) {
        return null;
    }
    return c.length === 4 ? "#" + [...c.slice(1)].map((d) => d + d).join("") : c.toLowerCase();
}
function readSvg(text) {
    const attrs = (tag) => Object.fromEntries(Array.from(tag.matchAll(/([\w:-]+)="([^"]*)"/g), (m) => [m[1], m[2]]));
    const open = text.match(/<svg\b[^>]*>/);
    const root = attrs(open[0]);
    const viewBox = (root.viewBox || "0 0 0 0").split(/\s+/).map(Number);
    const stack = [{ fill: root.fill || "#000000", size: Number(root["font-size"] || 16) }];
    const rects = [];
    const labels = [];
    let minFont = Infinity;
    for (const m of text.matchAll(/<(\/?)(g|rect|text)\b([^>]*?)(\/?)>(?:([^<]*)<\/text>)?/g)) {
        const [, closing, name, rawAttrs, selfClosing, content] = m;
        const parent = stack[stack.length - 1];
        if (name === "g") {
            if (closing) {
                stack.pop();
            } else if (!selfClosing) {
                const a = attrs(rawAttrs);
                stack.push({ fill: a.fill || parent.fill, size: Number(a["font-size"] || parent.size) });
            }
            continue;
        }
        const a = attrs(rawAttrs);
        const fill = expandHex(a.fill || parent.fill);
        if (name === "rect") {
            const dim = (v, whole) => (String(v).endsWith("%") ? (parseFloat(v) / 100) * whole : Number(v || 0));
            if (fill) {
                rects.push({
                    x: dim(a.x, viewBox[2]),
                    y: dim(a.y, viewBox[3]),
                    w: dim(a.width, viewBox[2]),
                    h: dim(a.height, viewBox[3]),
                    fill,
                });
            }
        } else if (name === "text" && content !== undefined) {
            const size = Number(a["font-size"] || parent.size);
            minFont = Math.min(minFont, size);
            const x = Number(a.x);
            const shift = a["text-anchor"] === "end" ? -3 : a["text-anchor"] === "middle" ? 0 : 3;
            const px = x + shift;
            const py = Number(a.y) - size * 0.35;
            // The shape under the label: the last one drawn that holds it.
            const under = rects.filter((r) => px >= r.x && px <= r.x + r.w && py >= r.y && py <= r.y + r.h).pop();
            labels.push({ text: content.trim(), fill, under: under ? under.fill : null });
        }
    }
    // A label the reading above could not take apart (a <tspan> in it,
    // say) would go unchecked: count them.
    const unread = (text.match(/<text\b/g) || []).length - labels.length;
    return { width: viewBox[2], minFont, labels, unread };
}
const figureInfo = {};
for (const f of (await readdir(join(bookDir, "images")).catch(() => [])).filter((f) => f.endsWith(".svg"))) {
    const info = readSvg(await readFile(join(bookDir, "images", f), "utf8"));
    figureInfo["images/" + f] = info;
    const worst = info.labels
        .map((l) => ({ ...l, ratio: l.fill && l.under ? contrast(l.fill, l.under) : 0 }))
        .sort((a, b) => a.ratio - b.ratio);
    if (info.unread !== 0) {
        fail(`images/${f}: ${info.unread} labels the check cannot read (plain <text> elements only)`);
    }
    for (const l of worst.filter((l) => l.ratio < MIN_CONTRAST)) {
        fail(`images/${f}: the label "${l.text}" has contrast ${l.ratio.toFixed(2)} (${l.fill} on ${l.under}), under ${MIN_CONTRAST}`);
    }
    console.log(
        `figure images/${f}: ${info.width} wide, text at least ${info.minFont} px, ${info.labels.length} labels, ` +
            `lowest contrast ${worst.length ? worst[0].ratio.toFixed(2) : "?"}`,
    );
}

// The site, as GitHub Pages serves a project site.
const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(PREFIX)) {
        res.writeHead(404).end("not under " + PREFIX);
        return;
    }
    path = normalize(path.slice(PREFIX.length));
    if (path.startsWith("..")) {
        res.writeHead(403).end();
        return;
    }
    let file = join(bookDir, path);
    try {
        if ((await stat(file)).isDirectory()) {
            file = join(file, "index.html");
        }
        const body = await readFile(file);
        res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
        res.end(body);
    } catch {
        const body = await readFile(join(bookDir, "404.html"));
        res.writeHead(404, { "content-type": TYPES[".html"] }).end(body);
    }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}${PREFIX}`;

const pages = (await readdir(bookDir))
    .filter((f) => f.endsWith(".html") && !["print.html", "toc.html", "404.html"].includes(f))
    .sort();
await mkdir(outDir, { recursive: true });

const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
const figures = {};
try {
    for (const viewport of VIEWPORTS) {
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        const tab = await context.newPage();
        let current = "";
        tab.on("console", (msg) => {
            // The 404 page's own status is reported as a console error; its
            // resources are checked by the response handler below.
            if (msg.type() === "error" && !current.startsWith("404:")) {
                fail(`${viewport.name} ${current}: console error: ${msg.text()}`);
            }
        });
        tab.on("pageerror", (error) => fail(`${viewport.name} ${current}: uncaught: ${error.message}`));
        tab.on("requestfailed", (req) => {
            // A request cut short by the next navigation (the favicon, say)
            // is not a fault of the page; an image cut short is caught by
            // the image check.
            if (req.failure()?.errorText !== "net::ERR_ABORTED") {
                fail(`${viewport.name} ${current}: request failed: ${req.url()} (${req.failure()?.errorText})`);
            }
        });
        tab.on("request", (req) => {
            // The search text is loaded when the search is opened, not before.
            if (req.url().endsWith("/" + SEARCH_TEXT) && !current.startsWith("search")) {
                fail(`${viewport.name} ${current}: ${SEARCH_TEXT} loaded before the search was opened`);
            }
        });
        tab.on("response", (resp) => {
            const missingPage = current.startsWith("404:") && resp.request().isNavigationRequest();
            if (resp.status() >= 400 && !missingPage) {
                fail(`${viewport.name} ${current}: ${resp.status()} for ${resp.url()}`);
            }
        });
        const stats = { pages: 0, tables: 0, tablesOver: 0, scrollBoxes: 0, figureBoxes: 0, figureText: Infinity, codeScrolls: 0, visible: 0 };
        for (const page of pages) {
            current = page;
            await tab.goto(base + page, { waitUntil: "load" });
            const report = await tab.evaluate(measure);
            stats.pages += 1;
            stats.tables += report.tables;
            stats.tablesOver += report.tablesOver;
            stats.scrollBoxes += report.scrollBoxes;
            stats.figureBoxes += report.figureBoxes;
            stats.codeScrolls += report.codeScrolls.length;
            stats.visible += report.visible;
            if (!report.testedOn) {
                fail(`${viewport.name} ${page}: no Tested on box`);
            }
            for (const img of report.brokenImages) {
                fail(`${viewport.name} ${page}: image did not load: ${img}`);
            }
            for (const figure of report.figures) {
                const info = figureInfo[figure.src];
                if (!info) {
                    fail(`${viewport.name} ${page}: figure ${figure.src} is not an SVG of images/`);
                    continue;
                }
                const px = (info.minFont * figure.width) / info.width;
                stats.figureText = Math.min(stats.figureText, px);
                if (px < MIN_FIGURE_TEXT_PX) {
                    fail(`${viewport.name} ${page}: ${figure.src} is drawn ${figure.width.toFixed(0)} px wide, its smallest text at ${px.toFixed(1)} px (at least ${MIN_FIGURE_TEXT_PX})`);
                }
                console.log(`${viewport.name} ${page}: ${figure.src} at ${figure.width.toFixed(0)} px, smallest text ${px.toFixed(1)} px`);
            }
            // Each figure as drawn, kept as a PNG (a reader of the CI log
            // sees what a phone shows).
            for (const handle of await tab.$$('main img[src$=".svg"]')) {
                const name = (await handle.getAttribute("src")).split("/").pop().replace(".svg", "");
                await handle.scrollIntoViewIfNeeded();
                await handle.screenshot({ path: join(outDir, `figure-${name}-${viewport.name}.png`), type: "png" });
            }
            for (const wide of report.figuresScrolling) {
                fail(`${viewport.name} ${page}: a figure scrolls sideways: ${wide}`);
            }
            for (const wide of report.tooWide) {
                fail(`${viewport.name} ${page}: wider than the column, not in a scrolling box: ${wide}`);
            }
            if (viewport.name === "desktop") {
                for (const code of report.codeScrolls) {
                    console.log(`note: desktop ${page}: a code block scrolls: ${code}`);
                }
            }
            if (SHOTS.includes(page)) {
                await tab.screenshot({
                    path: join(outDir, `${page.replace(".html", "")}-${viewport.name}.jpeg`),
                    fullPage: true,
                    type: "jpeg",
                    quality: 60,
                });
            }
        }
        figures[viewport.name] = stats;

        // Search, at both widths: the first result of each query, and the
        // pages no result may be on.
        for (const { query, first, absent = [] } of QUERIES) {
            current = `search ${query}`;
            await tab.goto(`${base}introduction.html?search=${encodeURIComponent(query)}`, { waitUntil: "load" });
            const hrefs = await tab
                .waitForSelector("#mdbook-searchresults li a", { timeout: 10000 })
                .then(() => tab.$$eval("#mdbook-searchresults li a", (links) => links.map((a) => a.href)))
                .catch(() => []);
            // A link is `page.html?highlight=...#section`.
            const got = hrefs.map((href) => {
                const url = new URL(href);
                return url.pathname.split("/").pop() + url.hash;
            });
            const top = got.length === 0 ? "no result" : got[0];
            const ok = !first || (first.includes("#") ? top === first : top.split("#")[0] === first);
            const wrong = got.filter((g) => absent.includes(g.split("#")[0]));
            console.log(
                `${viewport.name} search ${JSON.stringify(query)}: ${got.length} results, first ${top}` +
                    (ok ? "" : ` (expected ${first})`) +
                    (absent.length ? `; none on ${absent.join(", ")}: ${wrong.length === 0 ? "yes" : "no"}` : ""),
            );
            if (!ok) {
                fail(`${viewport.name} search ${JSON.stringify(query)}: first result ${top}, expected ${first}`);
            }
            if (got.length === 0) {
                fail(`${viewport.name} search ${JSON.stringify(query)}: no result`);
            }
            for (const w of wrong) {
                fail(`${viewport.name} search ${JSON.stringify(query)}: a result on ${w}, where the word is only in hidden lines`);
            }
        }
        await tab.goto(`${base}introduction.html?search=${encodeURIComponent(QUERIES[3].query)}`, { waitUntil: "load" });
        await tab.waitForSelector("#mdbook-searchresults li a", { timeout: 10000 }).catch(() => null);
        await tab.screenshot({ path: join(outDir, `search-${viewport.name}.png`), type: "png" });

        if (viewport.name === "desktop") {
            // How much text the search holds against what the pages show.
            const index = await tab.evaluate(() => {
                const pages = window.searchText && window.searchText.pages;
                if (!pages) {
                    return null;
                }
                let n = 0;
                for (const page of pages) {
                    for (const [, , title, body] of page.sections) {
                        n += title.length + body.length;
                    }
                }
                return n;
            });
            const bytes = await stat(join(bookDir, SEARCH_TEXT)).then((s) => s.size, () => 0);
            const leftovers = (await readdir(bookDir)).filter((f) => /^searchindex.*\.js(on)?$/.test(f));
            figures.index = { indexedText: index, visibleText: stats.visible, fileBytes: bytes };
            if (leftovers.length > 0) {
                fail(`mdBook's own search index is still written: ${leftovers.join(", ")}`);
            }
            if (index === null) {
                fail("the search text did not load");
            } else if (index > MAX_INDEXED_PER_VISIBLE * stats.visible) {
                fail(
                    `the search holds ${index} characters of text, ` +
                        `${(index / stats.visible).toFixed(2)} times the ${stats.visible} the pages show ` +
                        `(at most ${MAX_INDEXED_PER_VISIBLE}): hidden lines are being indexed`,
                );
            }
            if (bytes > MAX_FILE_PER_VISIBLE * stats.visible) {
                fail(
                    `${SEARCH_TEXT} is ${bytes} bytes, ${(bytes / stats.visible).toFixed(2)} per character ` +
                        `the pages show (at most ${MAX_FILE_PER_VISIBLE})`,
                );
            }

            // The search from the keyboard: `s` opens it, the first result
            // is reached with the arrow key and followed with Enter, and the
            // page it leads to marks the word.
            current = "search from the keyboard";
            await tab.goto(`${base}introduction.html`, { waitUntil: "load" });
            await tab.keyboard.press("s");
            const focused = await tab.evaluate(() => document.activeElement && document.activeElement.id);
            if (focused !== "mdbook-searchbar") {
                fail(`search: \`s\` did not focus the search box (focus on ${focused})`);
            } else {
                await tab.keyboard.type("refleak");
                await tab.waitForSelector("#mdbook-searchresults li a", { timeout: 10000 }).catch(() => null);
                const buildMs = await tab.evaluate(() => window.search && window.search.buildMs);
                await tab.keyboard.press("ArrowDown");
                await Promise.all([
                    tab.waitForURL(/glossary\.html/, { timeout: 10000 }).catch(() => null),
                    tab.keyboard.press("Enter"),
                ]);
                await tab.waitForLoadState("load");
                const landed = new URL(tab.url());
                const marks = await tab.$$eval("main mark", (m) => m.length);
                console.log(
                    `search from the keyboard: the word index built in ${buildMs === undefined ? "?" : buildMs.toFixed(0)} ms; ` +
                        `landed on ${landed.pathname.split("/").pop()}${landed.hash}, ${marks} words marked`,
                );
                if (!landed.pathname.endsWith("/glossary.html") || landed.hash !== "#refleak" || marks === 0) {
                    fail(`search from the keyboard: landed on ${landed.href} with ${marks} marks, expected glossary.html#refleak with the word marked`);
                }
            }
            await tab.goto(`${base}introduction.html`, { waitUntil: "load" });
            await tab.keyboard.press("/");
            const slash = await tab.evaluate(() => document.activeElement && document.activeElement.id);
            if (slash !== "mdbook-searchbar") {
                fail(`search: \`/\` did not focus the search box (focus on ${slash})`);
            }
        }

        // The 404 page, under the subpath: its styles must load.
        current = "404: " + viewport.name;
        const resp = await tab.goto(`${base}no/such/chapter.html`, { waitUntil: "load" });
        const styled = await tab.evaluate(() => {
            // The highlight themes not in use are disabled, so not loaded.
            const sheets = Array.from(document.querySelectorAll('link[rel="stylesheet"]')).filter((l) => !l.disabled);
            const loaded = sheets.filter((l) => l.sheet !== null).length;
            const unloaded = sheets.filter((l) => l.sheet === null).map((l) => l.href);
            const box = document.querySelector(".not-found");
            const border = box ? getComputedStyle(box).borderTopStyle : "none";
            const links = Array.from(document.querySelectorAll("main a[href]")).map((a) => a.href);
            return { sheets: sheets.length, loaded, unloaded, border, links };
        });
        if (resp.status() !== 404) {
            fail(`${viewport.name}: a missing page answered ${resp.status()}, not 404`);
        }
        if (styled.sheets === 0 || styled.loaded !== styled.sheets || styled.border !== "solid") {
            fail(`${viewport.name}: the 404 page is not styled (${styled.loaded} of ${styled.sheets} stylesheets, border ${styled.border}; not loaded: ${styled.unloaded.join(", ")})`);
        }
        for (const href of styled.links.filter((h) => h.startsWith(base.replace(PREFIX, "/")))) {
            if (!href.startsWith(base)) {
                fail(`${viewport.name}: the 404 page links outside ${PREFIX}: ${href}`);
            }
        }
        await tab.screenshot({ path: join(outDir, `404-${viewport.name}.jpeg`), type: "jpeg", quality: 60 });
        await context.close();
    }
} finally {
    await browser.close();
    server.close();
}

for (const [name, s] of Object.entries(figures)) {
    if (name === "index") {
        const ratio = (n) => (s.visibleText ? (n / s.visibleText).toFixed(2) : "?");
        console.log(
            `search: ${SEARCH_TEXT} ${s.fileBytes} bytes (${ratio(s.fileBytes)} per visible character, ` +
                `at most ${MAX_FILE_PER_VISIBLE}); it holds ${s.indexedText} characters of text ` +
                `(${ratio(s.indexedText)} of the ${s.visibleText} shown)`,
        );
    } else {
        console.log(
            `${name}: ${s.pages} pages, ${s.tables} tables, ${s.tablesOver} wider than the column ` +
                `(${s.scrollBoxes} of them in a scrolling box), ${s.figureBoxes} figures in a scrolling box ` +
                `(smallest figure text ${s.figureText.toFixed(1)} px), ` +
                `${s.codeScrolls} code blocks that scroll`,
        );
    }
}
await writeFile(join(outDir, "figures.json"), JSON.stringify(figures, null, 2) + "\n");
console.log(`screenshots and figures in ${outDir}`);
if (failures.length > 0) {
    for (const f of failures) {
        console.log(`FAIL ${f}`);
    }
    console.log(`${failures.length} failures`);
    process.exit(1);
}
console.log("0 failures");

// Runs in the page: what a reader meets in the text column.
function measure() {
    const main = document.querySelector("main");
    const column = main.getBoundingClientRect();
    const describe = (el) => {
        const id = el.id ? `#${el.id}` : "";
        const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
        return `<${el.tagName.toLowerCase()}${id}> "${text}"`;
    };
    // An ancestor inside the column that scrolls sideways and can be reached
    // with the keyboard.
    const scrollBox = (el) => {
        for (let p = el.parentElement; p && p !== main; p = p.parentElement) {
            const style = getComputedStyle(p);
            if (["auto", "scroll"].includes(style.overflowX) && p.getBoundingClientRect().width <= column.width + 1) {
                return p;
            }
        }
        return null;
    };
    const tooWide = [];
    let tables = 0;
    let tablesOver = 0;
    let scrollBoxes = 0;
    let figureBoxes = 0;
    for (const table of main.querySelectorAll("table")) {
        tables += 1;
        if (table.getBoundingClientRect().width > column.width + 1) {
            tablesOver += 1;
            const box = scrollBox(table);
            if (box && box.tabIndex >= 0 && box.classList.contains("scrolls")) {
                scrollBoxes += 1;
            } else {
                tooWide.push(describe(table));
            }
        }
    }
    for (const el of main.querySelectorAll("img, svg, figure, object")) {
        if (el.closest("pre, button")) {
            continue;
        }
        if (el.getBoundingClientRect().width > column.width + 1) {
            const box = scrollBox(el);
            if (box && box.tabIndex >= 0 && box.classList.contains("scrolls")) {
                figureBoxes += 1;
            } else {
                tooWide.push(describe(el));
            }
        }
    }
    // Each SVG figure as drawn (the source the browser chose, as a path
    // under the book), and every figure box that scrolls.
    const figures = Array.from(main.querySelectorAll("img"))
        .filter((img) => /\.svg$/.test(new URL(img.currentSrc || img.src).pathname))
        .map((img) => ({
            src: new URL(img.currentSrc || img.src).pathname.split("/").slice(-2).join("/"),
            width: img.getBoundingClientRect().width,
        }));
    const figuresScrolling = Array.from(main.querySelectorAll(".figure-scroll"))
        .filter((box) => box.scrollWidth > box.clientWidth + 1)
        .map(describe);
    const codeScrolls = Array.from(main.querySelectorAll("pre > code"))
        .filter((code) => code.scrollWidth > code.clientWidth + 1)
        .map(describe);
    const brokenImages = Array.from(document.images)
        .filter((img) => !img.complete || img.naturalWidth === 0)
        .map((img) => img.getAttribute("src"));
    return {
        tables,
        tablesOver,
        scrollBoxes,
        figureBoxes,
        tooWide,
        figures,
        figuresScrolling,
        codeScrolls,
        brokenImages,
        visible: main.innerText.replace(/\s+/g, " ").length,
        testedOn: document.querySelector("aside.tested-on") !== null,
    };
}

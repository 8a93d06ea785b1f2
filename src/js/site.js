// The book's own chrome, after mdBook's: tables that stack on a phone and
// scroll in a visible, focusable box where they must; and the Tested on box,
// whose text the book's `pages` preprocessor wrote into each page at build
// time (a JSON script, which search does not index).
"use strict";

(function () {
    const main = document.querySelector("#mdbook-content main") || document.querySelector("main");
    if (!main) {
        return;
    }

    // Tables: label each cell with its column's name, so that a phone can
    // show a row as a list; mark the wrappers that still overflow.
    for (const table of main.querySelectorAll("table")) {
        const names = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
        if (names.length >= 3 && names.some((n) => n !== "")) {
            table.classList.add("stacked");
            for (const row of table.querySelectorAll("tbody tr")) {
                Array.from(row.children).forEach((cell, i) => {
                    if (names[i]) {
                        cell.setAttribute("data-label", names[i]);
                    }
                });
            }
        }
    }
    // Figures: each diagram in a box of its own. The diagrams fit the
    // column (a phone gets their narrow versions, through the `<picture>`
    // the book's `pages` preprocessor writes); a figure that did not fit
    // would scroll in this box, visibly, rather than widen the page.
    for (const img of main.querySelectorAll('img[src$=".svg"]')) {
        const figure = img.closest("picture") || img;
        const box = document.createElement("div");
        box.className = "figure-scroll";
        figure.replaceWith(box);
        box.appendChild(figure);
    }
    function markScrolling() {
        for (const wrapper of main.querySelectorAll(".table-wrapper, .figure-scroll")) {
            const scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
            const what = wrapper.classList.contains("table-wrapper") ? "Table" : "Figure";
            wrapper.classList.toggle("scrolls", scrolls);
            if (scrolls) {
                wrapper.setAttribute("tabindex", "0");
                wrapper.setAttribute("role", "region");
                wrapper.setAttribute("aria-label", what + ", scrolls sideways");
            } else {
                wrapper.removeAttribute("tabindex");
                wrapper.removeAttribute("role");
                wrapper.removeAttribute("aria-label");
            }
        }
    }
    markScrolling();
    window.addEventListener("resize", markScrolling);

    // The Tested on box.
    const data = document.querySelector("script.tested-on-data");
    if (data) {
        let info;
        try {
            info = JSON.parse(data.textContent);
        } catch (e) {
            return;
        }
        const root = typeof path_to_root === "string" ? path_to_root : "";
        const box = document.createElement("aside");
        box.className = "tested-on";
        box.setAttribute("aria-label", "Tested on");
        const first = document.createElement("p");
        const link = document.createElement("a");
        link.href = root + "tested-on.html";
        link.textContent = info.summary;
        first.appendChild(link);
        const second = document.createElement("p");
        second.append("Found a mistake? ");
        const report = document.createElement("a");
        report.href = "https://github.com/rust-for-cpython/devguide/issues/new";
        report.textContent = "Report it";
        second.append(report, " or use the pencil at the top to edit this page.");
        box.append(first, second);
        main.appendChild(box);
    }
})();

//! The `dates` step: every date-check marker in the book is at most six
//! months old.
//!
//! A statement about the Rust for CPython proposal's status goes stale
//! without anyone noticing, so it carries a marker, in the two forms the
//! rustc-dev-guide uses (its `ci/date-check` tool and its contributing
//! chapter):
//!
//! ```text
//! As of <!-- date-check --> December 2026, the PEP has no number.
//! The design document is a draft. <!-- date-check: Dec 2026 -->
//! ```
//!
//! The first shows the date on the page; the second hides it. The month is
//! English, in full or in three letters, in any case; the year has four
//! digits. A marker goes after `As of`, never at the start of a line: a line
//! that starts with `<!--` is an HTML block to mdBook, which then shows the
//! rest of the line as raw Markdown. Markers inside code (a fenced block or
//! an inline code span) are examples, not markers, and are skipped.
//!
//! Like the rustc-dev-guide's tool, the step counts whole months: a marker
//! of December 2026 passes until the end of June 2027 and fails from July.

use std::fmt;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::runner::Ctx;

/// The oldest a marker may be, in months, for the step to pass.
const MAX_AGE: i64 = 6;

/// The months' English names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Checks every date-check marker of the book against today's month, taken
/// from the system clock (UTC).
///
/// # Errors
///
/// A message counting the markers that are more than six months old, in the
/// future or malformed (each printed as `file:line: ...`, followed by how to
/// refresh one), or saying that no marker was found at all.
pub fn check(ctx: &mut Ctx) -> Result<(), String> {
    check_at(&ctx.root, YearMonth::today()?)
}

/// [`check`], as of the month `today`.
fn check_at(root: &Path, today: YearMonth) -> Result<(), String> {
    let review = review(root, today)?;
    println!(
        "checked {} date-check markers in {} files, as of {today}",
        review.markers, review.files
    );
    if review.markers == 0 {
        return Err(
            "no date-check marker found: are the chapters there?".to_owned()
        );
    }
    for problem in &review.problems {
        println!("  {problem}");
    }
    match review.problems.len() {
        0 => Ok(()),
        n => {
            println!(
                "hint: check each sentence against its linked source, correct it if the \
                 source says something newer, then set its marker to {today}"
            );
            Err(match n {
                1 => "1 date-check marker needs attention".to_owned(),
                n => format!("{n} date-check markers need attention"),
            })
        }
    }
}

/// What [`review`] found.
#[derive(Debug)]
struct Review {
    /// The files read.
    files: usize,
    /// The markers found in them.
    markers: usize,
    /// One line per marker that is stale, in the future or malformed.
    problems: Vec<String>,
}

/// Reads every chapter under `src/` (at any depth), then `CONTRIBUTING.md`
/// and `README.md` if they exist, and reviews their markers as of `today`.
fn review(root: &Path, today: YearMonth) -> Result<Review, String> {
    let mut files = crate::process::files_with_extension(&root.join("src"), "md")?;
    files.sort();
    for name in ["CONTRIBUTING.md", "README.md"] {
        let path = root.join(name);
        if path.is_file() {
            files.push(path);
        }
    }
    let mut review =
        Review { files: files.len(), markers: 0, problems: Vec::new() };
    for path in &files {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = path.strip_prefix(root).unwrap_or(path).display().to_string();
        let found = markers(&text);
        review.markers += found.len();
        review.problems.extend(
            found.iter().filter_map(|marker| problem(&name, marker, today)),
        );
    }
    Ok(review)
}

/// The line to report for `marker` of the file `name`, or `None` if it is
/// well formed and at most six months old on `today`.
fn problem(name: &str, marker: &Marker, today: YearMonth) -> Option<String> {
    let why = match &marker.date {
        Err(why) => why.clone(),
        Ok(date) if *date > today => {
            format!("{date} is in the future (today is {today})")
        }
        Ok(date) => match today.months_since(*date) {
            age if age > MAX_AGE => format!("{date} is {age} months old"),
            _ => return None,
        },
    };
    Some(format!("{name}:{}: {why}", marker.line))
}

/// A calendar month of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct YearMonth {
    /// The year, such as 2026.
    year: i64,
    /// The month, 1 for January to 12 for December.
    month: u8,
}

impl YearMonth {
    /// The month `month` (1 to 12) of `year`.
    fn new(year: i64, month: u8) -> Self {
        debug_assert!((1..=12).contains(&month), "month {month}");
        Self { year, month }
    }

    /// This month, by the system clock, in UTC.
    fn today() -> Result<Self, String> {
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| "the system clock is set before 1970".to_owned())?;
        let days = i64::try_from(since_epoch.as_secs() / 86_400)
            .map_err(|_| "the system clock is set too far ahead".to_owned())?;
        Ok(Self::from_days(days))
    }

    /// The month of the day `days` days after 1 January 1970 (before it, if
    /// negative), in the proleptic Gregorian calendar.
    ///
    /// Howard Hinnant's `civil_from_days`: counted from 1 March of year 0,
    /// the calendar repeats every 400 years (146 097 days), and within a
    /// year starting in March the months have a regular pattern of lengths
    /// (31, 30, 31, 30, 31, 31, 30, ...) that `(5 * day + 2) / 153` inverts.
    fn from_days(days: i64) -> Self {
        let z = days + 719_468; // days since 0000-03-01
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097); // 0 ..= 146_096
        let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524
            - day_of_era / 146_096)
            / 365; // 0 ..= 399
        let day_of_year =
            day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let march_based = (5 * day_of_year + 2) / 153; // 0 for March ..= 11 for February
        let month =
            if march_based < 10 { march_based + 3 } else { march_based - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self::new(year, u8::try_from(month).expect("a month is 1 to 12"))
    }

    /// How many months `earlier` is before `self`: 1 from November to
    /// December, 12 from one December to the next.
    fn months_since(self, earlier: Self) -> i64 {
        (self.year * 12 + i64::from(self.month))
            - (earlier.year * 12 + i64::from(earlier.month))
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", MONTHS[usize::from(self.month) - 1], self.year)
    }
}

/// A marker found in a file.
#[derive(Debug, PartialEq, Eq)]
struct Marker {
    /// The line its `<!--` is on, counted from 1.
    line: usize,
    /// Its date, or what is wrong with it.
    date: Result<YearMonth, String>,
}

/// Every date-check marker of a Markdown file, outside code.
fn markers(text: &str) -> Vec<Marker> {
    let text = mask_code(text);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("<!--").map(|at| from + at) {
        from = open + "<!--".len();
        let Some(after_name) = text[from..].trim_start().strip_prefix("date-check")
        else {
            continue;
        };
        if after_name
            .starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_')
        {
            continue; // `date-checked`, say: not a marker
        }
        let start = text.len() - after_name.len();
        let (shape, read) = parse_marker(after_name);
        from = start + read;
        let line = 1 + text[..open].matches('\n').count();
        let line_start = text[..open].rfind('\n').map_or(0, |at| at + 1);
        let starts_line =
            text[line_start..open].chars().all(|c| c == '>' || c.is_whitespace());
        let rest_of_line = text[from..].split('\n').next().unwrap_or("");
        let date = shape.and_then(|(date, hidden)| {
            if starts_line && !(hidden && rest_of_line.trim().is_empty()) {
                Err("the marker starts a line, which makes mdBook show the rest of the line \
                     as raw Markdown: put it after `As of`, or alone on its line"
                    .to_owned())
            } else {
                Ok(date)
            }
        });
        found.push(Marker { line, date });
    }
    found
}

/// Reads a marker's text after its `<!-- date-check`: either `--> Month YYYY`
/// (shown) or `: Month YYYY -->` (hidden). Returns the date and whether it is
/// hidden, or what is wrong, with the number of bytes read.
fn parse_marker(text: &str) -> (Result<(YearMonth, bool), String>, usize) {
    let trimmed = text.trim_start();
    let skipped = text.len() - trimmed.len();
    if let Some(body) = trimmed.strip_prefix(':') {
        let Some(end) = body.find("-->") else {
            return (Err("the marker has no closing `-->`".to_owned()), text.len());
        };
        let read = skipped + 1 + end + "-->".len();
        let words: Vec<&str> = body[..end].split_whitespace().collect();
        let date = match words[..] {
            [month, year] => date(month, year),
            [month] => Err(format!("no year after `{month}`")),
            [] => Err("no month and year in the marker".to_owned()),
            _ => Err(format!("`{}` is not a month and a year", body[..end].trim())),
        };
        (date.map(|date| (date, true)), read)
    } else if let Some(after) = trimmed.strip_prefix("-->") {
        let month_at = after.len() - after.trim_start().len();
        let month = word(&after[month_at..], char::is_alphabetic);
        let year_from = month_at + month.len();
        let year_at = year_from
            + (after[year_from..].len() - after[year_from..].trim_start().len());
        let year = word(&after[year_at..], |c| c.is_ascii_digit());
        let read = skipped + "-->".len() + year_at + year.len();
        let date = if month.is_empty() {
            Err("no month after the marker".to_owned())
        } else if let Err(why) = month_number(month) {
            Err(why)
        } else if year.is_empty() {
            Err(format!("no year after `{month}`"))
        } else {
            date(month, year)
        };
        (date.map(|date| (date, false)), read)
    } else {
        (Err("expected `-->` or `:` after `<!-- date-check`".to_owned()), skipped)
    }
}

/// The longest start of `text` whose characters all satisfy `pred`.
fn word(text: &str, pred: impl Fn(char) -> bool) -> &str {
    let end = text.find(|c: char| !pred(c)).unwrap_or(text.len());
    &text[..end]
}

/// The month called `month` (in full or in three letters, in any case) of
/// the four-digit `year`.
fn date(month: &str, year: &str) -> Result<YearMonth, String> {
    let month = month_number(month)?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{year}` is not a four-digit year"));
    }
    let year = year.parse().map_err(|e| format!("`{year}`: {e}"))?;
    Ok(YearMonth::new(year, month))
}

/// The number (1 to 12) of the month called `month`, in full or in three
/// letters, in any case.
fn month_number(month: &str) -> Result<u8, String> {
    let index = MONTHS
        .iter()
        .position(|name| {
            month.eq_ignore_ascii_case(name)
                || month.eq_ignore_ascii_case(&name[..3])
        })
        .ok_or_else(|| {
            format!(
                "`{month}` is not a month (the marker goes just before the date: \
                 `As of <!-- date-check --> December 2026`)"
            )
        })?;
    Ok(u8::try_from(index + 1).expect("12 months"))
}

/// `text` with what mdBook shows as code blanked out, line numbers kept:
/// the lines of fenced code blocks (```` ``` ```` or `~~~`, in a block quote
/// too) become empty, and inline code spans become `x`s. A span is closed by
/// the next run of as many backticks on the same line; a run without one is
/// literal text.
fn mask_code(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut fence: Option<(char, usize)> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches(['>', ' ', '\t']);
        let run = |fence_char: char| {
            body.chars().take_while(|&c| c == fence_char).count()
        };
        match fence {
            Some((fence_char, len)) => {
                if run(fence_char) >= len
                    && body.trim_start_matches(fence_char).trim().is_empty()
                {
                    fence = None;
                }
            }
            // A backtick fence's info string has no backtick (CommonMark), so
            // a line such as ```` ```rust ```` fences ```` is prose.
            None => match ['`', '~'].into_iter().find(|&c| {
                run(c) >= 3
                    && !(c == '`' && body.trim_start_matches('`').contains('`'))
            }) {
                Some(fence_char) => fence = Some((fence_char, run(fence_char))),
                None => {
                    masked.push_str(&mask_spans(line));
                    continue;
                }
            },
        }
        if line.ends_with('\n') {
            masked.push('\n');
        }
    }
    masked
}

/// `line` with each inline code span, backticks included, made of `x`s.
fn mask_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let run_at = |at: usize| chars[at..].iter().take_while(|&&c| c == '`').count();
    let mut masked = String::with_capacity(line.len());
    let mut at = 0;
    while at < chars.len() {
        if chars[at] != '`' {
            masked.push(chars[at]);
            at += 1;
            continue;
        }
        let len = run_at(at);
        let mut next = at + len;
        let mut close = None;
        while next < chars.len() {
            if chars[next] == '`' {
                let other = run_at(next);
                if other == len {
                    close = Some(next + other);
                    break;
                }
                next += other;
            } else {
                next += 1;
            }
        }
        let end = close.unwrap_or(at + len);
        let fill = if close.is_some() { 'x' } else { '`' };
        masked.extend(std::iter::repeat_n(fill, end - at));
        at = end;
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::TempDir;

    fn month(year: i64, month: u8) -> YearMonth {
        YearMonth::new(year, month)
    }

    /// The problems of one file named `a.md` as of `today`.
    fn problems_of(text: &str, today: YearMonth) -> Vec<String> {
        markers(text).iter().filter_map(|m| problem("a.md", m, today)).collect()
    }

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a file has a folder"))
            .expect("writable");
        std::fs::write(path, text).expect("writable");
    }

    #[test]
    fn days_since_1970_give_the_calendar_month() {
        assert_eq!(YearMonth::from_days(0), month(1970, 1));
        assert_eq!(YearMonth::from_days(-1), month(1969, 12));
        assert_eq!(YearMonth::from_days(11_016), month(2000, 2)); // 29 February 2000
        assert_eq!(YearMonth::from_days(11_017), month(2000, 3));
        assert_eq!(YearMonth::from_days(20_088), month(2024, 12)); // 31 December 2024
        assert_eq!(YearMonth::from_days(20_788), month(2026, 12)); // 1 December 2026
        assert_eq!(YearMonth::from_days(20_787), month(2026, 11));
    }

    #[test]
    fn months_are_counted_across_years() {
        assert_eq!(month(2026, 12).months_since(month(2026, 11)), 1);
        assert_eq!(month(2027, 1).months_since(month(2026, 12)), 1);
        assert_eq!(month(2027, 12).months_since(month(2026, 12)), 12);
        assert_eq!(month(2026, 12).months_since(month(2027, 1)), -1);
        assert_eq!(month(2026, 12).to_string(), "December 2026");
    }

    #[test]
    fn a_marker_passes_for_six_months_and_fails_in_the_seventh() {
        let text =
            "As of <!-- date-check --> December 2026, the PEP has no number.\n";
        assert!(problems_of(text, month(2026, 12)).is_empty());
        assert!(problems_of(text, month(2027, 6)).is_empty());
        assert_eq!(
            problems_of(text, month(2027, 7)),
            ["a.md:1: December 2026 is 7 months old"]
        );
        assert_eq!(
            problems_of(text, month(2028, 12)),
            ["a.md:1: December 2026 is 24 months old"]
        );
    }

    #[test]
    fn both_forms_any_case_and_abbreviations_are_read() {
        let text = "\
One <!-- date-check --> Dec 2026.
Two <!-- date-check: november 2026 -->
Three <!-- date-check:sep 2026-->
Four, as of <!-- date-check -->
DECEMBER 2026, over two lines.
";
        let dates: Vec<_> =
            markers(text).into_iter().map(|m| (m.line, m.date)).collect();
        assert_eq!(
            dates,
            [
                (1, Ok(month(2026, 12))),
                (2, Ok(month(2026, 11))),
                (3, Ok(month(2026, 9))),
                (4, Ok(month(2026, 12))),
            ]
        );
    }

    #[test]
    fn an_unknown_month_is_an_error() {
        let text = "As of <!-- date-check --> Decembre 2026.\n";
        let problems = problems_of(text, month(2026, 12));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("a.md:1: `Decembre` is not a month"),
            "{problems:?}"
        );
        // The form `<!-- date-check --> As of ...` reads `As` as the month.
        let text = "Text.\n\n<!-- date-check --> As of December 2026, ...\n";
        let problems = problems_of(text, month(2026, 12));
        assert!(
            problems[0].starts_with("a.md:3: `As` is not a month"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_missing_year_is_an_error() {
        for text in [
            "As of <!-- date-check --> December, the PEP.\n",
            "The PEP. <!-- date-check: December -->\n",
        ] {
            assert_eq!(
                problems_of(text, month(2026, 12)),
                ["a.md:1: no year after `December`"],
                "{text}"
            );
        }
        assert_eq!(
            problems_of(
                "As of <!-- date-check --> December 20266.\n",
                month(2026, 12)
            ),
            ["a.md:1: `20266` is not a four-digit year"]
        );
        assert_eq!(
            problems_of("As of <!-- date-check --> 12/2026.\n", month(2026, 12)),
            ["a.md:1: no month after the marker"]
        );
    }

    #[test]
    fn a_date_in_the_future_is_an_error() {
        let text = "As of <!-- date-check --> January 2027, ...\n";
        assert_eq!(
            problems_of(text, month(2026, 12)),
            ["a.md:1: January 2027 is in the future (today is December 2026)"]
        );
        assert!(problems_of(text, month(2027, 1)).is_empty());
    }

    #[test]
    fn other_malformed_markers_are_errors() {
        let today = month(2026, 12);
        assert_eq!(
            problems_of("Text <!-- date-check: Dec 2026\n", today),
            ["a.md:1: the marker has no closing `-->`"]
        );
        assert_eq!(
            problems_of("Text <!-- date-check Dec 2026 -->\n", today),
            ["a.md:1: expected `-->` or `:` after `<!-- date-check`"]
        );
        assert_eq!(
            problems_of("Text <!-- date-check: 1 Dec 2026 -->\n", today),
            ["a.md:1: `1 Dec 2026` is not a month and a year"]
        );
    }

    #[test]
    fn a_marker_that_starts_a_line_is_an_error_unless_hidden_alone() {
        let today = month(2026, 12);
        let problems =
            problems_of("A\n<!-- date-check --> December 2026 B\n", today);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("a.md:2: the marker starts a line"),
            "{problems:?}"
        );
        let problems = problems_of("> <!-- date-check: Dec 2026 --> text\n", today);
        assert!(
            problems[0].starts_with("a.md:1: the marker starts a line"),
            "{problems:?}"
        );
        assert!(
            problems_of("Text.\n\n<!-- date-check: Dec 2026 -->\n", today)
                .is_empty()
        );
    }

    #[test]
    fn markers_in_code_are_examples_and_are_skipped() {
        let text = "\
Write `As of <!-- date-check --> May 2020, ...` in prose.
``As of `<!-- date-check -->` May 2020``, too.

```md
As of <!-- date-check --> May 2020, ...
```

> ~~~~
> <!-- date-check: May 2020 -->
> ~~~~

An unclosed ` backtick, then <!-- date-check --> May 2020.
```` ```rust ```` fences are prose, not a fence.
Not a marker: <!-- date-checked --> May 2020.
";
        let found = markers(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0], Marker { line: 12, date: Ok(month(2020, 5)) });
    }

    #[test]
    fn the_step_fails_listing_each_stale_marker_and_passes_when_fresh() {
        let dir = TempDir::new("dates").expect("the temp folder is writable");
        let root = dir.path();
        write(root, "src/a.md", "As of <!-- date-check --> December 2026, a.\n");
        write(
            root,
            "src/part/b.md",
            "Text.\n\nAs of <!-- date-check --> June 2026, b.\n",
        );
        write(
            root,
            "src/notes.txt",
            "As of <!-- date-check --> May 2000, not a chapter.\n",
        );
        write(root, "CONTRIBUTING.md", "The PEP. <!-- date-check: Dec 2026 -->\n");

        let fresh = review(root, month(2026, 12)).expect("readable");
        assert_eq!((fresh.files, fresh.markers), (3, 3));
        assert!(fresh.problems.is_empty(), "{:?}", fresh.problems);
        assert_eq!(check_at(root, month(2026, 12)), Ok(()));

        let later = review(root, month(2027, 6)).expect("readable");
        assert_eq!(later.problems, ["src/part/b.md:3: June 2026 is 12 months old"]);
        assert_eq!(
            check_at(root, month(2027, 6)),
            Err("1 date-check marker needs attention".to_owned())
        );
        assert_eq!(
            check_at(root, month(2027, 7)),
            Err("3 date-check markers need attention".to_owned())
        );
    }

    #[test]
    fn a_book_without_markers_fails() {
        let dir = TempDir::new("dates").expect("the temp folder is writable");
        write(dir.path(), "src/a.md", "No status here.\n");
        let error = check_at(dir.path(), month(2026, 12)).expect_err("no marker");
        assert!(error.starts_with("no date-check marker found"), "{error}");
    }
}

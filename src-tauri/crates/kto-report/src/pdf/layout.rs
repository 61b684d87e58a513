//! A small page builder over printpdf operations: positioned text in the
//! embedded DejaVu fonts (subset to the characters used when the document is finished),
//! text measurement and wrapping, rules, filled rectangles, and page breaks. Coordinates are millimetres from the
//! bottom-left corner of an A4 page.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use crate::error::{Error, Result};

pub(crate) const PAGE_W: f32 = 210.0;
pub(crate) const PAGE_H: f32 = 297.0;
pub(crate) const LEFT: f32 = 20.0;
pub(crate) const RIGHT: f32 = 190.0;
pub(crate) const TOP: f32 = 277.0;
/// Lowest baseline for content; the footer sits below it.
pub(crate) const BOTTOM: f32 = 22.0;

const PT_TO_MM: f32 = 25.4 / 72.0;

/// RGB colour, components 0.0–1.0.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Colour(pub f32, pub f32, pub f32);

pub(crate) const BLACK: Colour = Colour(0.0, 0.0, 0.0);
pub(crate) const GREY: Colour = Colour(0.40, 0.40, 0.40);
pub(crate) const LIGHT: Colour = Colour(0.80, 0.80, 0.80);
pub(crate) const ACCENT: Colour = Colour(0.00, 0.30, 0.55);
pub(crate) const ACCENT_LIGHT: Colour = Colour(0.55, 0.70, 0.85);
pub(crate) const SHADE: Colour = Colour(0.93, 0.95, 0.97);

impl Colour {
    fn pdf(self) -> Color {
        Color::Rgb(Rgb {
            r: self.0,
            g: self.1,
            b: self.2,
            icc_profile: None,
        })
    }
}

const REGULAR_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/fonts/DejaVuSans.ttf"
));
const BOLD_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/fonts/DejaVuSans-Bold.ttf"
));

/// A font face with the metrics needed to measure text, and the glyphs the pages use:
/// only those are embedded (a subset of a few dozen kilobytes instead of the whole face).
pub(crate) struct Face {
    id: FontId,
    name: &'static str,
    bytes: &'static [u8],
    cmap: BTreeMap<u32, u16>,
    widths: BTreeMap<u16, u16>,
    units_per_em: f32,
    used: BTreeSet<u16>,
}

impl Face {
    /// Parses `bytes` and registers the font with `doc`.
    fn load(doc: &mut PdfDocument, bytes: &'static [u8], name: &'static str) -> Result<Self> {
        let font = parse(bytes, name)?;
        let id = doc.add_font(&font);
        Ok(Face {
            id,
            name,
            bytes,
            cmap: font.codepoint_to_glyph,
            widths: font.glyph_widths,
            units_per_em: f32::from(font.units_per_em),
            used: BTreeSet::new(),
        })
    }

    /// Advance width of `text` at `size` points, in millimetres.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.cmap
                    .get(&u32::from(c))
                    .and_then(|gid| self.widths.get(gid))
                    .map_or(self.units_per_em / 2.0, |w| f32::from(*w))
            })
            .sum();
        units / self.units_per_em * size * PT_TO_MM
    }

    fn mark_used(&mut self, text: &str) {
        let glyphs = text.chars().filter_map(|c| self.cmap.get(&u32::from(c)));
        self.used.extend(glyphs);
    }

    /// The face cut down to the glyphs used (and `.notdef`, which must stay glyph 0),
    /// with a Unicode character map, so that the text is still found and copied.
    fn subset(&self) -> Result<ParsedFont> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{subset, CmapTarget, SubsetProfile};
        let failed = |reason: String| Error::Font {
            name: self.name,
            reason: format!("it could not be cut down to the characters used ({reason})"),
        };
        let ids: Vec<u16> = std::iter::once(0)
            .chain(self.used.iter().copied().filter(|g| *g != 0))
            .collect();
        let data = ReadScope::new(self.bytes)
            .read::<FontData<'_>>()
            .map_err(|e| failed(e.to_string()))?;
        let provider = data.table_provider(0).map_err(|e| failed(e.to_string()))?;
        let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| failed(e.to_string()))?;
        parse(&bytes, self.name)
    }
}

fn parse(bytes: &[u8], name: &'static str) -> Result<ParsedFont> {
    let mut warnings = Vec::new();
    let font = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| Error::Font {
        name,
        reason: format!("printpdf could not parse it ({warnings:?})"),
    })?;
    if font.codepoint_to_glyph.is_empty() || font.units_per_em == 0 {
        return Err(Error::Font {
            name,
            reason: "it has no character map or no units per em".to_owned(),
        });
    }
    Ok(font)
}

/// Text style: size in points, weight, colour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub size: f32,
    pub bold: bool,
    pub colour: Colour,
}

impl Style {
    pub(crate) const fn new(size: f32, bold: bool, colour: Colour) -> Self {
        Style { size, bold, colour }
    }

    /// Baseline-to-baseline distance in millimetres.
    pub(crate) fn line_height(self) -> f32 {
        self.size * PT_TO_MM * 1.35
    }
}

/// A document under construction: its pages, the two faces of DejaVu Sans and the
/// current vertical position.
pub(crate) struct Layout {
    doc: PdfDocument,
    regular: Face,
    bold: Face,
    pages: Vec<Vec<Op>>,
    /// Baseline of the next line, mm from the bottom of the page.
    pub y: f32,
}

impl Layout {
    /// A new document titled `title` whose dates are `date` (never the clock, so the
    /// same input gives the same file), with its first page started.
    ///
    /// # Errors
    /// [`Error::Font`] if a bundled font cannot be parsed.
    pub(crate) fn new(title: &str, date: NaiveDate) -> Result<Self> {
        let mut doc = PdfDocument::new(title);
        let ts = date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
        if let Ok(when) = printpdf::OffsetDateTime::from_unix_timestamp(ts) {
            doc.metadata.info.creation_date = when;
            doc.metadata.info.modification_date = when;
            doc.metadata.info.metadata_date = when;
        }
        let regular = Face::load(&mut doc, REGULAR_TTF, "DejaVuSans.ttf")?;
        let bold = Face::load(&mut doc, BOLD_TTF, "DejaVuSans-Bold.ttf")?;
        let mut layout = Layout {
            doc,
            regular,
            bold,
            pages: Vec::new(),
            y: TOP,
        };
        layout.new_page();
        Ok(layout)
    }

    /// The document's metadata (author, subject, creator).
    pub(crate) fn info(&mut self) -> &mut printpdf::PdfDocumentInfo {
        &mut self.doc.metadata.info
    }

    fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// Width of `text` in `style`, in millimetres.
    pub(crate) fn width(&self, text: &str, style: Style) -> f32 {
        self.face(style.bold).width(text, style.size)
    }

    /// Starts a new page and puts the cursor at its top.
    pub(crate) fn new_page(&mut self) {
        self.pages.push(vec![
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::SetOutlineColor { col: BLACK.pdf() },
        ]);
        self.y = TOP;
    }

    /// Starts a new page unless `height` mm fit above the bottom margin.
    /// Returns whether a page was started (so that callers can repeat headers).
    pub(crate) fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM && self.y < TOP {
            self.new_page();
            true
        } else {
            false
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Text with its left end at `x` on baseline `y`.
    pub(crate) fn text(&mut self, x: f32, y: f32, text: &str, style: Style) {
        let face = if style.bold {
            &mut self.bold
        } else {
            &mut self.regular
        };
        face.mark_used(text);
        let font = face.id.clone();
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFillColor {
                col: style.colour.pdf(),
            },
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(style.size),
            },
            Op::SetTextCursor {
                pos: Point::new(printpdf::Mm(x), printpdf::Mm(y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Text with its right end at `x_right`.
    pub(crate) fn text_right(&mut self, x_right: f32, y: f32, text: &str, style: Style) {
        let w = self.width(text, style);
        self.text(x_right - w, y, text, style);
    }

    /// Text centred on `x_centre`.
    pub(crate) fn text_centred(&mut self, x_centre: f32, y: f32, text: &str, style: Style) {
        let w = self.width(text, style);
        self.text(x_centre - w / 2.0, y, text, style);
    }

    /// A straight line.
    pub(crate) fn line(
        &mut self,
        from: (f32, f32),
        to: (f32, f32),
        thickness_pt: f32,
        colour: Colour,
    ) {
        let point = |(x, y): (f32, f32)| LinePoint {
            p: Point::new(printpdf::Mm(x), printpdf::Mm(y)),
            bezier: false,
        };
        self.ops().extend([
            Op::SetOutlineColor { col: colour.pdf() },
            Op::SetOutlineThickness {
                pt: Pt(thickness_pt),
            },
            Op::DrawLine {
                line: Line {
                    points: vec![point(from), point(to)],
                    is_closed: false,
                },
            },
        ]);
    }

    /// A horizontal rule from `x1` to `x2` at height `y`.
    pub(crate) fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness_pt: f32, colour: Colour) {
        self.line((x1, y), (x2, y), thickness_pt, colour);
    }

    /// A filled rectangle with its lower-left corner at (`x`, `y`).
    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Colour) {
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        let mm = |v: f32| Pt::from(printpdf::Mm(v));
        self.ops().extend([
            Op::SetFillColor { col: colour.pdf() },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: mm(x),
                    y: mm(y),
                    width: mm(w),
                    height: mm(h),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            },
        ]);
    }

    /// Breaks `text` into lines no wider than `width` mm, at spaces where
    /// possible and inside over-long words otherwise.
    pub(crate) fn wrap(&self, text: &str, width: f32, style: Style) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut current = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if current.is_empty() {
                    word.to_owned()
                } else {
                    format!("{current} {word}")
                };
                if self.width(&candidate, style) <= width {
                    current = candidate;
                    continue;
                }
                if !current.is_empty() {
                    lines.push(std::mem::take(&mut current));
                }
                // The word alone may still be too wide: break it by characters.
                for ch in word.chars() {
                    current.push(ch);
                    if self.width(&current, style) > width && current.chars().count() > 1 {
                        current.pop();
                        lines.push(std::mem::take(&mut current));
                        current.push(ch);
                    }
                }
            }
            lines.push(current);
        }
        lines
    }

    /// Writes `text` wrapped to the column from `x` to `right`, a line below the other,
    /// and moves the cursor below it.
    pub(crate) fn paragraph(&mut self, x: f32, right: f32, text: &str, style: Style) {
        for line in self.wrap(text, right - x, style) {
            self.text(x, self.y, &line, style);
            self.y -= style.line_height();
        }
    }

    /// Shortens `text` with an ellipsis so that it fits in `width` mm.
    pub(crate) fn truncate(&self, text: &str, width: f32, style: Style) -> String {
        if self.width(text, style) <= width {
            return text.to_owned();
        }
        let mut out: String = text.to_owned();
        while !out.is_empty() && self.width(&format!("{out}…"), style) > width {
            out.pop();
        }
        format!("{}…", out.trim_end())
    }

    /// Appends a footer to every page (`footer_left` and the page label) and returns the
    /// PDF file, its fonts cut down to the characters used.
    ///
    /// # Errors
    /// [`Error::Font`] if a font cannot be subset.
    pub(crate) fn finish(
        mut self,
        footer_left: &str,
        page_label: impl Fn(usize, usize) -> String,
    ) -> Result<Vec<u8>> {
        let total = self.pages.len();
        let style = Style::new(7.5, false, GREY);
        let pages = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(total);
        for (i, ops) in pages.into_iter().enumerate() {
            self.pages = vec![ops];
            self.rule(LEFT, RIGHT, 16.0, 0.3, LIGHT);
            self.text(LEFT, 12.0, footer_left, style);
            self.text_right(RIGHT, 12.0, &page_label(i + 1, total), style);
            out.append(&mut self.pages);
        }
        // The pages show text by character, not glyph number, so the subset face (whose
        // glyphs are renumbered) replaces the whole one under the same font id.
        for face in [&self.regular, &self.bold] {
            let subset = face.subset()?;
            self.doc
                .resources
                .fonts
                .map
                .insert(face.id.clone(), PdfFont::new(subset));
        }
        let pages = out
            .into_iter()
            .map(|ops| PdfPage::new(printpdf::Mm(PAGE_W), printpdf::Mm(PAGE_H), ops))
            .collect();
        let mut warnings = Vec::new();
        Ok(self
            .doc
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_keeps_every_character_used_and_little_else() {
        let mut l = Layout::new("t", NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).unwrap();
        let text = "Łódź – Ωmega € 1.234,56 coöperatie";
        l.text(LEFT, l.y, text, Style::new(10.0, false, BLACK));
        let subset = l.regular.subset().unwrap();
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            let gid = subset.codepoint_to_glyph.get(&u32::from(c));
            assert!(
                gid.is_some_and(|g| *g != 0),
                "`{c}` is not in the subset font"
            );
        }
        assert!(
            subset.codepoint_to_glyph.len() < 80,
            "{} characters kept",
            subset.codepoint_to_glyph.len()
        );
        // Nothing was set in bold: its subset is `.notdef` alone.
        assert!(l.bold.subset().unwrap().codepoint_to_glyph.len() <= 1);
    }
}

//! The QR code of a receipt number: on the completion page, the print view (as SVG) and the
//! completion mail (as PNG), read at the counter by the clerk's scanner.
//!
//! It holds the receipt number's ten digits and nothing else: no password, no name, no URL.
//! A lost printout tells a finder nothing the number printed beside the code does not, and
//! the scanner types exactly what the clerk would type by hand.
use qrcode::{Color, EcLevel, QrCode};

/// Light modules on every side: the four ISO/IEC 18004 asks for, so that a scanner finds
/// the symbol whatever is printed around it.
pub const QUIET_ZONE: usize = 4;

/// The text is longer than any QR code holds (never the case for a receipt number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong;

/// The modules of one QR code, its quiet zone not included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptQr {
    width: usize,
    dark: Vec<bool>,
}

impl ReceiptQr {
    /// The code for `receipt` (the digits as stored, without hyphens: digits alone are
    /// encoded in numeric mode, so ten of them fit the smallest symbol, 21 × 21). Error
    /// correction level H: a third of the symbol may be creased, smudged or faded on a
    /// printout carried to the counter, and it still reads.
    pub fn new(receipt: &str) -> Result<ReceiptQr, TooLong> {
        let code = QrCode::with_error_correction_level(receipt.as_bytes(), EcLevel::H)
            .map_err(|_| TooLong)?;
        Ok(ReceiptQr {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at column `x`, row `y` (0-based, without the quiet zone) is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Modules per side with the quiet zone.
    fn side(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Inline SVG for a page: one module per user unit, the quiet zone inside the drawing
    /// (a white square, so it stays light on any background), no size of its own (the
    /// style sheet gives it one: centimetres on paper), and `label` as its accessible name.
    /// Dark modules are one path of horizontal runs; `crispEdges` keeps neighbouring runs
    /// from showing hairline seams. No script, no style attribute: the CSP allows it.
    pub fn svg(&self, label: &str) -> String {
        let side = self.side();
        let mut path = String::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                path.push_str(&format!(
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                ));
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"receipt-qr-code\" viewBox=\"0 0 {side} {side}\" \
             role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"{path}\"/></svg>",
            escape_attribute(label)
        )
    }

    /// A black-and-white PNG of `scale` pixels per module, the quiet zone included: what a
    /// mail's HTML part shows (many mail clients block SVG and data: URIs; an attached image
    /// they show). One bit per pixel keeps it around a kilobyte; the same code and scale
    /// always give the same bytes.
    pub fn png(&self, scale: usize) -> Vec<u8> {
        let scale = scale.max(1);
        let pixels = self.side() * scale;
        let row_bytes = pixels.div_ceil(8);
        let mut data = vec![0u8; row_bytes * pixels];
        for py in 0..pixels {
            for px in 0..pixels {
                // In one-bit greyscale 1 is white.
                let x = (px / scale).checked_sub(QUIET_ZONE);
                let y = (py / scale).checked_sub(QUIET_ZONE);
                let dark = matches!((x, y), (Some(x), Some(y)) if self.is_dark(x, y));
                if !dark {
                    data[py * row_bytes + px / 8] |= 0x80 >> (px % 8);
                }
            }
        }
        let side = u32::try_from(pixels).unwrap_or(u32::MAX);
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        // Writing into a Vec of the right size cannot fail.
        let mut writer = encoder.write_header().expect("PNG header into a Vec");
        writer
            .write_image_data(&data)
            .expect("PNG data of the header's size into a Vec");
        writer.finish().expect("PNG end into a Vec");
        out
    }
}

/// `&`, `<`, `>` and quotes escaped, for an attribute value.
fn escape_attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a scanner reads from a picture: rqrr finds and decodes the symbol.
    fn decode(width: usize, height: usize, dark: impl Fn(usize, usize) -> bool) -> Vec<String> {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            if dark(x, y) { 0 } else { 255 }
        });
        img.detect_grids()
            .into_iter()
            .map(|g| g.decode().expect("a readable code").1)
            .collect()
    }

    /// The SVG's path drawn at `scale` pixels per unit (it only uses M, h, v and z).
    fn rasterise_svg(svg: &str, scale: usize) -> (usize, Vec<bool>) {
        let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
        let side: usize = view.split(' ').next().unwrap().parse().unwrap();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut grid = vec![false; side * side];
        for run in d.split('z').filter(|r| !r.is_empty()) {
            let rest = run.strip_prefix('M').unwrap();
            let (xy, moves) = rest.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let len: usize = moves.split_once('v').unwrap().0.parse().unwrap();
            assert!(moves.ends_with(&format!("v1h-{len}")), "{run}");
            for i in 0..len {
                grid[y * side + x + i] = true;
            }
        }
        let pixels = side * scale;
        let img = (0..pixels * pixels)
            .map(|i| grid[(i / pixels / scale) * side + (i % pixels) / scale])
            .collect();
        (pixels, img)
    }

    #[test]
    fn the_svg_reads_back_as_the_receipt_number_and_nothing_else() {
        let qr = ReceiptQr::new("0123456789").unwrap();
        assert_eq!(qr.width(), 21, "version 1: the smallest symbol");
        let svg = qr.svg("受付番号 0123-4567-89 のQRコード");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("role=\"img\" aria-label=\"受付番号 0123-4567-89 のQRコード\""));
        assert!(
            svg.contains("viewBox=\"0 0 29 29\""),
            "4 modules of quiet zone"
        );
        assert!(!svg.contains("<script") && !svg.contains("style="));
        let (side, img) = rasterise_svg(&svg, 4);
        assert_eq!(decode(side, side, |x, y| img[y * side + x]), ["0123456789"]);
    }

    #[test]
    fn the_png_reads_back_and_is_the_same_every_time() {
        let qr = ReceiptQr::new("9876543210").unwrap();
        let bytes = qr.png(10);
        assert_eq!(bytes, ReceiptQr::new("9876543210").unwrap().png(10));
        assert!(bytes.len() < 4096, "{} bytes", bytes.len());
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (290, 290));
        let row = info.line_size;
        let dark = |x: usize, y: usize| buf[y * row + x / 8] & (0x80 >> (x % 8)) == 0;
        // The quiet zone is white all round.
        assert!((0..290).all(|i| !dark(i, 0) && !dark(0, i) && !dark(i, 289) && !dark(289, i)));
        assert_eq!(decode(290, 290, dark), ["9876543210"]);
    }

    #[test]
    fn the_label_cannot_break_out_of_its_attribute() {
        let svg = ReceiptQr::new("1")
            .unwrap()
            .svg("\"><script>alert(1)</script>&");
        assert!(
            svg.contains("aria-label=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;\"")
        );
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn modules_outside_the_symbol_are_light() {
        let qr = ReceiptQr::new("1234567890").unwrap();
        // The finder pattern's corner is dark; beyond the edge nothing is.
        assert!(qr.is_dark(0, 0));
        assert!(!qr.is_dark(21, 0) && !qr.is_dark(0, 21));
    }
}

//! The header image a municipality uploads: PNG, JPEG or WebP, at most [`MAX_BYTES`], no
//! larger than [`MAX_WIDTH`] x [`MAX_HEIGHT`] pixels, whose content is what its name (or
//! type) says, and which decodes to its last pixel. Decoded with image-rs (pure Rust, only
//! the three formats compiled in) under limits, so a file built to eat memory is refused
//! before it is unpacked. The bytes are then stored as they came: a logo re-encoded by us
//! would only get larger or lose quality.
use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

/// The largest file taken (1 MiB): a header image is a few tens of kilobytes.
pub const MAX_BYTES: usize = 1024 * 1024;
pub const MAX_WIDTH: u32 = 4000;
pub const MAX_HEIGHT: u32 = 2000;

/// The formats a header image may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    WebP,
}

impl ImageKind {
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::WebP => "image/webp",
        }
    }

    pub fn from_content_type(t: &str) -> Option<ImageKind> {
        match t {
            "image/png" => Some(ImageKind::Png),
            "image/jpeg" => Some(ImageKind::Jpeg),
            "image/webp" => Some(ImageKind::WebP),
            _ => None,
        }
    }

    /// The file name ending of its URL.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::WebP => "webp",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ImageKind::Png => "PNG",
            ImageKind::Jpeg => "JPEG",
            ImageKind::WebP => "WebP",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            ImageKind::Png => ImageFormat::Png,
            ImageKind::Jpeg => ImageFormat::Jpeg,
            ImageKind::WebP => ImageFormat::WebP,
        }
    }
}

/// What a file says it is, from its name's ending or else its declared type: one of ours,
/// another picture format (named), or nothing we can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    Kind(ImageKind),
    Other(&'static str),
    Unknown,
}

pub fn claim(file_name: &str, content_type: &str) -> Claim {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => return Claim::Kind(ImageKind::Png),
        "jpg" | "jpeg" | "jpe" => return Claim::Kind(ImageKind::Jpeg),
        "webp" => return Claim::Kind(ImageKind::WebP),
        "gif" => return Claim::Other("GIF"),
        "svg" => return Claim::Other("SVG"),
        "bmp" => return Claim::Other("BMP"),
        "tif" | "tiff" => return Claim::Other("TIFF"),
        "heic" | "heif" => return Claim::Other("HEIC"),
        "avif" => return Claim::Other("AVIF"),
        _ => {}
    }
    let declared = content_type.trim().to_ascii_lowercase();
    match ImageKind::from_content_type(&declared) {
        Some(kind) => Claim::Kind(kind),
        None if declared == "image/gif" => Claim::Other("GIF"),
        None if declared == "image/svg+xml" => Claim::Other("SVG"),
        None => Claim::Unknown,
    }
}

/// A file that passed every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedImage {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
}

/// Why a file is not taken; each says so next to the file field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageProblem {
    Empty,
    TooLarge {
        bytes: usize,
    },
    /// A format we do not take (GIF, SVG, ...), by its name or by its content.
    Unsupported(&'static str),
    /// No picture we know (a text file renamed .png).
    NotAnImage,
    /// A picture of one format named as another.
    NotWhatItClaims {
        claimed: ImageKind,
        actual: ImageKind,
    },
    TooManyPixels {
        width: u32,
        height: u32,
    },
    /// The header is right but the picture does not decode (cut short, damaged).
    Broken(ImageKind),
}

impl std::fmt::Display for ImageProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const TAKEN: &str = "PNG、JPEG、WebPのいずれかの画像ファイルを選んでください。";
        match self {
            ImageProblem::Empty => write!(f, "ファイルが空です。{TAKEN}"),
            ImageProblem::TooLarge { bytes } => write!(
                f,
                "ファイルが大きすぎます({}KB)。{}KBまでの画像にしてください。",
                bytes.div_ceil(1024),
                MAX_BYTES / 1024
            ),
            ImageProblem::Unsupported(name) => {
                write!(f, "{name}形式の画像は使えません。{TAKEN}")
            }
            ImageProblem::NotAnImage => write!(
                f,
                "ファイルの中身が画像ではありません(名前だけ画像になっている可能性があります)。{TAKEN}"
            ),
            ImageProblem::NotWhatItClaims { claimed, actual } => write!(
                f,
                "ファイル名は{}ですが、中身は{}の画像です。ファイル名を中身に合わせてから選んでください。",
                claimed.name(),
                actual.name()
            ),
            ImageProblem::TooManyPixels { width, height } => write!(
                f,
                "画像が大きすぎます({width}×{height}ピクセル)。幅{MAX_WIDTH}・高さ{MAX_HEIGHT}ピクセルまでにしてください。"
            ),
            ImageProblem::Broken(kind) => write!(
                f,
                "{}の画像として読み取れませんでした(ファイルが壊れているか、途中までしかありません)。",
                kind.name()
            ),
        }
    }
}

/// What the bytes are, from their first bytes (not from the name).
fn sniff(bytes: &[u8]) -> Result<ImageKind, ImageProblem> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Png) => Ok(ImageKind::Png),
        Ok(ImageFormat::Jpeg) => Ok(ImageKind::Jpeg),
        Ok(ImageFormat::WebP) => Ok(ImageKind::WebP),
        Ok(ImageFormat::Gif) => Err(ImageProblem::Unsupported("GIF")),
        Ok(ImageFormat::Bmp) => Err(ImageProblem::Unsupported("BMP")),
        Ok(ImageFormat::Tiff) => Err(ImageProblem::Unsupported("TIFF")),
        Ok(ImageFormat::Avif) => Err(ImageProblem::Unsupported("AVIF")),
        Ok(ImageFormat::Ico) => Err(ImageProblem::Unsupported("ICO")),
        _ => Err(ImageProblem::NotAnImage),
    }
}

/// Checks an uploaded file (see the module's comment). `file_name` and `content_type` are
/// what the browser sent: the claim the content must match.
pub fn check(
    bytes: &[u8],
    file_name: &str,
    content_type: &str,
) -> Result<CheckedImage, ImageProblem> {
    if bytes.is_empty() {
        return Err(ImageProblem::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(ImageProblem::TooLarge { bytes: bytes.len() });
    }
    let claimed = claim(file_name, content_type);
    if let Claim::Other(name) = claimed {
        return Err(ImageProblem::Unsupported(name));
    }
    let kind = sniff(bytes)?;
    if let Claim::Kind(claimed) = claimed
        && claimed != kind
    {
        return Err(ImageProblem::NotWhatItClaims {
            claimed,
            actual: kind,
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    let (width, height) = reader
        .into_dimensions()
        .map_err(|_| ImageProblem::Broken(kind))?;
    if width == 0 || height == 0 {
        return Err(ImageProblem::Broken(kind));
    }
    if width > MAX_WIDTH || height > MAX_HEIGHT {
        return Err(ImageProblem::TooManyPixels { width, height });
    }
    // The whole picture, under limits that a picture within the sizes above never reaches.
    reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_WIDTH);
    limits.max_image_height = Some(MAX_HEIGHT);
    limits.max_alloc = Some(u64::from(MAX_WIDTH) * u64::from(MAX_HEIGHT) * 8);
    reader.limits(limits);
    reader.decode().map_err(|_| ImageProblem::Broken(kind))?;
    Ok(CheckedImage {
        kind,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(format: ImageFormat, width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 13) as u8, 90])
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn the_three_formats_are_taken_with_their_size() {
        for (format, name, kind) in [
            (ImageFormat::Png, "logo.png", ImageKind::Png),
            (ImageFormat::Jpeg, "logo.JPG", ImageKind::Jpeg),
            (ImageFormat::WebP, "logo.webp", ImageKind::WebP),
        ] {
            let bytes = encoded(format, 32, 12);
            assert_eq!(
                check(&bytes, name, "application/octet-stream"),
                Ok(CheckedImage {
                    kind,
                    width: 32,
                    height: 12
                })
            );
        }
        // No name ending: the declared type is the claim.
        let png = encoded(ImageFormat::Png, 4, 4);
        assert!(check(&png, "blob", "image/png").is_ok());
        assert!(check(&png, "", "").is_ok());
    }

    #[test]
    fn content_must_be_what_the_name_says() {
        let text = b"this is not a picture at all".to_vec();
        assert_eq!(
            check(&text, "logo.png", "image/png"),
            Err(ImageProblem::NotAnImage)
        );
        let jpeg = encoded(ImageFormat::Jpeg, 8, 8);
        assert_eq!(
            check(&jpeg, "logo.png", "image/png"),
            Err(ImageProblem::NotWhatItClaims {
                claimed: ImageKind::Png,
                actual: ImageKind::Jpeg
            })
        );
        // A name says more than a browser's guess of the type.
        assert!(check(&jpeg, "logo.jpeg", "image/png").is_ok());
    }

    #[test]
    fn other_formats_are_named_in_the_refusal() {
        let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
        assert_eq!(
            check(&gif, "logo.gif", "image/gif"),
            Err(ImageProblem::Unsupported("GIF"))
        );
        // A GIF named .png is refused for its content.
        assert_eq!(
            check(&gif, "logo.png", "image/png"),
            Err(ImageProblem::Unsupported("GIF"))
        );
        assert!(
            check(b"<svg/>", "logo.svg", "image/svg+xml")
                .unwrap_err()
                .to_string()
                .contains("SVG形式の画像は使えません")
        );
    }

    #[test]
    fn empty_large_cut_short_and_huge_files_are_refused() {
        assert_eq!(check(&[], "a.png", "image/png"), Err(ImageProblem::Empty));
        let big = vec![0u8; MAX_BYTES + 1];
        assert_eq!(
            check(&big, "a.png", "image/png"),
            Err(ImageProblem::TooLarge {
                bytes: MAX_BYTES + 1
            })
        );
        let png = encoded(ImageFormat::Png, 64, 64);
        let cut = &png[..png.len() / 2];
        assert_eq!(
            check(cut, "a.png", "image/png"),
            Err(ImageProblem::Broken(ImageKind::Png))
        );
        // 5000 px wide but tiny as a file (one colour compresses to nothing).
        let wide = image::GrayImage::new(5000, 1);
        let mut out = Cursor::new(Vec::new());
        wide.write_to(&mut out, ImageFormat::Png).unwrap();
        assert_eq!(
            check(out.get_ref(), "a.png", "image/png"),
            Err(ImageProblem::TooManyPixels {
                width: 5000,
                height: 1
            })
        );
    }

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(
            ImageProblem::TooLarge { bytes: 2_000_000 }.to_string(),
            "ファイルが大きすぎます(1954KB)。1024KBまでの画像にしてください。"
        );
        assert!(
            ImageProblem::NotAnImage
                .to_string()
                .contains("PNG、JPEG、WebP")
        );
    }
}

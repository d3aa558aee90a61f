//! Byte-level building blocks of the tokens: LEB128 varints, zigzag, length-prefixed text,
//! base64url. Reading never panics: running out of bytes is an error value.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::error::DecodeError;

pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub fn put_text(out: &mut Vec<u8>, text: &str) {
    put_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

pub fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

pub fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// Far beyond any real incident, far below what would hurt a browser tab.
pub const MAX_TEXT: usize = 64 * 1024;
pub const MAX_ITEMS: u64 = 10_000;

pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or(DecodeError::Truncated)?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    pub fn byte(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::Implausible)
    }

    pub fn signed(&mut self) -> Result<i64, DecodeError> {
        Ok(unzigzag(self.varint()?))
    }

    /// A count of items, refused when no real incident could have that many.
    pub fn count(&mut self) -> Result<u64, DecodeError> {
        let count = self.varint()?;
        if count > MAX_ITEMS {
            return Err(DecodeError::Implausible);
        }
        Ok(count)
    }

    pub fn text(&mut self) -> Result<String, DecodeError> {
        let len = self.varint()?;
        if len > MAX_TEXT as u64 {
            return Err(DecodeError::Implausible);
        }
        let bytes = self.take(len as usize)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError::BadText)
    }

    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        let bytes = self.take(2)?;
        Ok(u16::from_le_bytes([bytes[0], bytes[1]]))
    }

    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    pub fn rest(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.at..];
        self.at = self.bytes.len();
        rest
    }

    pub fn is_done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

/// The bytes of a token `prefix` + base64url of at most `max_len` characters, or why there
/// are none.
pub(crate) fn open_token(token: &str, prefix: &str, max_len: usize) -> Result<Vec<u8>, DecodeError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(DecodeError::Empty);
    }
    if token.len() > max_len {
        return Err(DecodeError::TooLong);
    }
    let Some(body) = token.strip_prefix(prefix) else {
        return Err(DecodeError::UnknownVersion(token.chars().take(2).collect()));
    };
    base64url_decode(body).ok_or_else(|| base64_error(body))
}

/// URL-safe base64 without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict: only the URL-safe alphabet, no padding, and trailing bits must be zero, so one
/// token has exactly one spelling.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// Why base64 text did not decode: a character no token has, or a length no whole token has
/// (a link cut short).
fn base64_error(text: &str) -> DecodeError {
    if text.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_') {
        DecodeError::Damaged
    } else {
        DecodeError::NotBase64
    }
}

/// FNV-1a, 32 bits: tiny and stable across platforms and versions.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |hash, &byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193))
}

//! Bearer tokens: each write route is opened by a Worker secret, and closed while it is unset.

use worker::{Env, Request, Response};

use crate::refusal::Refusal;

/// Whether the request holds the bearer token kept in the Worker secret `secret`; without
/// it set, the route is closed (`off`).
pub fn bearer(request: &Request, env: &Env, secret: &str, off: Refusal) -> Result<(), Response> {
    let Ok(expected) = env.secret(secret).map(|s| s.to_string()) else {
        return Err(off.response());
    };
    let given = request.headers().get("Authorization").ok().flatten().unwrap_or_default();
    // The scheme's name is case-insensitive (RFC 9110).
    let token = match given.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => "",
    };
    if expected.is_empty() || !same_secret(token.as_bytes(), expected.as_bytes()) {
        return Err(Refusal::Unauthorized.response());
    }
    Ok(())
}

/// Compares in time that depends only on the length, so the token cannot be guessed byte
/// by byte from response times.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

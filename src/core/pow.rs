//! A proof-of-work challenge in the manner of ALTCHA, served by the app itself (no outside
//! service): the browser must find `number` with SHA-256(salt ‖ number) = challenge. It costs
//! a phone a second or two once, and a guessing script that much for every attempt.
//!
//! The challenge is stateless: the salt carries its expiry and the challenge is signed with
//! the installation's key, so any instance can check it. Replays within the expiry are
//! stopped by the caller remembering solved challenges (see `db::throttle`).
use sha2::{Digest, Sha256};

/// Numbers the browser may have to try. At ~20 µs a hash in a phone's WebCrypto, the mean
/// search (half of this) is about a second.
pub const MAX_NUMBER: u64 = 100_000;

/// What the page hands to the solver (`templates/static/pow.js`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Challenge {
    pub algorithm: &'static str,
    pub challenge: String,
    pub maxnumber: u64,
    pub salt: String,
    pub signature: String,
}

/// What comes back with the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    pub challenge: String,
    pub salt: String,
    pub number: u64,
    pub signature: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Missing or not in the form the solver writes.
    Malformed,
    /// Not signed by this installation.
    Forged,
    Expired,
    /// The number does not solve it.
    Wrong,
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A challenge valid until `expires_unix`. `random` makes the salt unique; `number` is the
/// secret answer (random in 0..=MAX_NUMBER); `sign` is the installation's keyed hash.
pub fn create(
    random: &str,
    expires_unix: i64,
    number: u64,
    sign: impl Fn(&str) -> String,
) -> Challenge {
    let salt = format!("{random}?expires={expires_unix}");
    let challenge = sha256_hex(&format!("{salt}{number}"));
    Challenge {
        algorithm: "SHA-256",
        signature: sign(&challenge),
        challenge,
        maxnumber: MAX_NUMBER,
        salt,
    }
}

/// The solver's answer: `challenge.salt.number.signature`, all URL-safe, so it travels in one
/// hidden form field.
pub fn parse_solution(field: &str) -> Result<Solution, Refusal> {
    let mut parts = field.trim().split('.');
    let (Some(challenge), Some(salt), Some(number), Some(signature), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(Refusal::Malformed);
    };
    let number = number.parse().map_err(|_| Refusal::Malformed)?;
    // The salt carries '?' and '=': the solver writes it hex-encoded.
    let salt = hex::decode(salt)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or(Refusal::Malformed)?;
    Ok(Solution {
        challenge: challenge.to_string(),
        salt,
        number,
        signature: signature.to_string(),
    })
}

/// Checks an answer at `now_unix`. On success returns the challenge, which the caller must
/// remember until it expires so the same answer is not accepted twice.
pub fn verify(
    s: &Solution,
    now_unix: i64,
    sign: impl Fn(&str) -> String,
) -> Result<String, Refusal> {
    let expected = sign(&s.challenge);
    if !crate::secrets::constant_time_eq(expected.as_bytes(), s.signature.as_bytes()) {
        return Err(Refusal::Forged);
    }
    let expires: i64 = s
        .salt
        .rsplit_once("?expires=")
        .and_then(|(_, e)| e.parse().ok())
        .ok_or(Refusal::Malformed)?;
    if expires <= now_unix {
        return Err(Refusal::Expired);
    }
    if s.number > MAX_NUMBER || sha256_hex(&format!("{}{}", s.salt, s.number)) != s.challenge {
        return Err(Refusal::Wrong);
    }
    Ok(s.challenge.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(s: &str) -> String {
        format!("sig-{}", &sha256_hex(&format!("key{s}"))[..16])
    }

    /// What the browser does.
    fn solve(c: &Challenge) -> String {
        let n = (0..=c.maxnumber)
            .find(|n| sha256_hex(&format!("{}{n}", c.salt)) == c.challenge)
            .expect("solvable");
        format!(
            "{}.{}.{n}.{}",
            c.challenge,
            hex::encode(&c.salt),
            c.signature
        )
    }

    #[test]
    fn a_solved_challenge_is_accepted_before_it_expires() {
        let c = create("abc", 1_000, 4_242, sign);
        let answer = parse_solution(&solve(&c)).unwrap();
        assert_eq!(answer.number, 4_242);
        assert_eq!(verify(&answer, 999, sign), Ok(c.challenge.clone()));
        assert_eq!(verify(&answer, 1_000, sign), Err(Refusal::Expired));
    }

    #[test]
    fn wrong_forged_and_malformed_answers_are_refused() {
        let c = create("abc", 1_000, 7, sign);
        let mut wrong = parse_solution(&solve(&c)).unwrap();
        wrong.number = 8;
        assert_eq!(verify(&wrong, 0, sign), Err(Refusal::Wrong));
        // A challenge of one's own making, with a made-up signature.
        let own = create("mine", 1_000, 1, |_| "x".into());
        let forged = parse_solution(&solve(&own)).unwrap();
        assert_eq!(verify(&forged, 0, sign), Err(Refusal::Forged));
        // A later expiry written into a signed challenge's salt breaks the hash.
        let mut stretched = parse_solution(&solve(&c)).unwrap();
        stretched.salt = "abc?expires=999999".into();
        assert_eq!(verify(&stretched, 0, sign), Err(Refusal::Wrong));
        for junk in ["", "a.b.c", "a.zz.1.s", "a.6162.x.s", "a.b.1.s.e"] {
            assert_eq!(parse_solution(junk), Err(Refusal::Malformed), "{junk}");
        }
    }

    #[test]
    fn numbers_beyond_the_range_are_refused() {
        let c = create("abc", 1_000, 3, sign);
        let mut big = parse_solution(&solve(&c)).unwrap();
        big.number = MAX_NUMBER + 1;
        assert_eq!(verify(&big, 0, sign), Err(Refusal::Wrong));
    }
}

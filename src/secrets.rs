//! Random tokens and keyed hashes: what is stored is never what was handed out.
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

#[derive(Clone)]
pub struct Secrets {
    key: Vec<u8>,
}

impl Secrets {
    pub fn new(secret_key: &str) -> Secrets {
        Secrets {
            key: secret_key.as_bytes().to_vec(),
        }
    }

    /// HMAC-SHA256 of `value` under the installation's key, separated by `purpose` so a hash
    /// made for one use can never stand in for another. Hex.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Key material for signing cookies, derived so it differs from the hashing key.
    pub fn cookie_key(&self) -> axum_extra::extract::cookie::Key {
        let a = self.keyed_hash("cookie-key-1", "");
        let b = self.keyed_hash("cookie-key-2", "");
        let bytes = hex::decode(a + &b).expect("hex of our own making");
        axum_extra::extract::cookie::Key::from(&bytes)
    }
}

/// Equal bytes, compared in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `bytes` random bytes written in RFC 4648 base32 without padding: easy to
/// read aloud and to type, no confusable lower case.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &buf)
}

/// Random decimal digits, for numbers people read out over the phone (receipt numbers).
pub fn random_digits(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(b'0' + (rng.next_u32() % 10) as u8))
        .collect()
}

/// Argon2id hash (PHC string) of a human-chosen password; slow on purpose, so never call it
/// inside a database transaction.
pub fn hash_password(password: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string()
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(phc)
        .map(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_hash_depends_on_key_purpose_and_value() {
        let a = Secrets::new("key-one");
        let b = Secrets::new("key-two");
        assert_eq!(a.keyed_hash("p", "v"), a.keyed_hash("p", "v"));
        assert_ne!(a.keyed_hash("p", "v"), b.keyed_hash("p", "v"));
        assert_ne!(a.keyed_hash("p", "v"), a.keyed_hash("q", "v"));
        assert_ne!(a.keyed_hash("p", "v"), a.keyed_hash("p", "w"));
        // The separator keeps ("ab","c") apart from ("a","bc").
        assert_ne!(a.keyed_hash("ab", "c"), a.keyed_hash("a", "bc"));
        assert_eq!(a.keyed_hash("p", "v").len(), 64);
    }

    #[test]
    fn tokens_are_base32_of_the_asked_length_and_differ() {
        let t = random_token(20);
        assert_eq!(t.len(), 32);
        assert!(
            t.chars()
                .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
        );
        assert_ne!(random_token(20), random_token(20));
        let d = random_digits(10);
        assert_eq!(d.len(), 10);
        assert!(d.chars().all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn password_hash_verifies_only_the_same_password() {
        let phc = hash_password("correct horse");
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &phc));
        assert!(!verify_password("correct hors", &phc));
        assert!(!verify_password("x", "not a phc string"));
    }
}

//! Ed25519 signing keys in the minisign format.
//!
//! A key pair is two files: `NAME.pub` (the standard two-line minisign
//! public key, shareable) and `NAME.key` (the secret key, encrypted with a
//! passphrase through scrypt exactly as `minisign -G` does, file mode 0600).
//! Both files are readable by the `minisign` command-line tool.
//!
//! The minisign *key id* is 8 random bytes chosen at generation, shown as 16
//! hex digits the way `minisign` prints it; it names a key but does not prove
//! it. The *fingerprint* is the SHA-256 of the public key and identifies it.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::canonical::sha256_hex;
use crate::error::{Error, Result};
use crate::fsio;

/// The scrypt cost of new secret keys: minisign's own (`minisign -G`, libsodium's
/// "sensitive" limits: N = 2^20, r = 8, p = 1, 1 GiB of memory), so that each guess at
/// the passphrase costs seconds. Keys made with a lower cost keep opening: the cost is
/// read from each key file.
pub const KDF_OPSLIMIT: u64 = 33_554_432;
/// See [`KDF_OPSLIMIT`].
pub const KDF_MEMLIMIT: u64 = 1_073_741_824;
/// log2(N) of scrypt at [`KDF_OPSLIMIT`] and [`KDF_MEMLIMIT`], as minisign derives it.
const KDF_LOG_N: u8 = 20;

/// Why `passphrase` is too weak to protect a signing key, in a sentence with what to do;
/// `None` when it is strong enough. Strength is estimated with zxcvbn: a passphrase
/// must need more than 10^10 guesses (its score 3 or 4), whatever its length.
pub fn passphrase_problem(passphrase: &str) -> Option<String> {
    if passphrase.is_empty() {
        return Some("the passphrase is empty".into());
    }
    let estimate = zxcvbn::zxcvbn(passphrase, &["kto", "desk", "kto desk", "monitor"]);
    if (estimate.score() as u8) >= 3 {
        return None;
    }
    let why = estimate
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| format!(" ({})", w.to_string().trim_end_matches('.').to_lowercase()))
        .unwrap_or_default();
    Some(format!(
        "the passphrase is too easy to guess{why}; use four or more words that do not belong \
         together, or a long mix of words, digits and signs"
    ))
}

/// Untrusted comment written into new secret key files.
const SECRET_KEY_COMMENT: &str = "KTO Desk encrypted secret key (minisign format)";

/// The 8-byte minisign key id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    /// The id as 16 upper-case hex digits, as `minisign` prints it
    /// (the bytes read as a little-endian integer).
    pub fn to_hex(&self) -> String {
        format!("{:016X}", u64::from_le_bytes(self.0))
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 8]>::try_from(bytes).ok().map(KeyId)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.to_hex())
    }
}

/// A minisign Ed25519 public key.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: minisign::PublicKey,
}

impl PublicKey {
    /// Reads the standard minisign public key text (`untrusted comment: …`
    /// line, then the base64 key), or a bare base64 key line.
    ///
    /// # Errors
    /// [`Error::MalformedPublicKey`] when the text is not a minisign public key.
    pub fn from_text(text: &str) -> Result<Self> {
        let trimmed = text.trim();
        let parsed = if trimmed.lines().count() == 1 {
            minisign::PublicKey::from_base64(trimmed)
        } else {
            minisign::PublicKey::from_box(minisign::PublicKeyBox::from_string(text).map_err(
                |e| Error::MalformedPublicKey {
                    reason: e.to_string(),
                },
            )?)
        };
        parsed
            .map(|inner| PublicKey { inner })
            .map_err(|e| Error::MalformedPublicKey {
                reason: e.to_string(),
            })
    }

    /// The standard two-line minisign `.pub` text, ending in a newline.
    pub fn to_text(&self) -> String {
        format!(
            "untrusted comment: minisign public key {}\n{}\n",
            self.key_id(),
            self.inner.to_base64()
        )
    }

    /// The key id recorded in this key and in every signature it verifies.
    pub fn key_id(&self) -> KeyId {
        // A parsed minisign key always has an 8-byte key number.
        KeyId::from_slice(self.inner.keynum()).unwrap_or(KeyId([0; 8]))
    }

    /// SHA-256 of the key's binary form (algorithm, key id, Ed25519 key),
    /// as 64 lower-case hex digits.
    pub fn fingerprint(&self) -> String {
        sha256_hex(&self.inner.to_bytes())
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

/// A decrypted secret key, ready to sign. Its `Debug` shows the key id only.
#[derive(Clone)]
pub struct SigningKey {
    pub(crate) secret: minisign::SecretKey,
    pub(crate) public: minisign::PublicKey,
}

impl SigningKey {
    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            inner: self.public.clone(),
        }
    }

    /// The key id.
    pub fn key_id(&self) -> KeyId {
        self.public_key().key_id()
    }

    fn from_secret(secret: minisign::SecretKey) -> Result<Self> {
        let public = minisign::PublicKey::from_secret_key(&secret).map_err(|e| {
            Error::MalformedSecretKey {
                reason: e.to_string(),
            }
        })?;
        Ok(SigningKey { secret, public })
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", self.key_id())
    }
}

/// A freshly generated key pair with the text of both key files.
#[derive(Debug, Clone)]
pub struct GeneratedKey {
    /// The decrypted key, usable at once.
    pub signing_key: SigningKey,
    /// Content of `NAME.pub`.
    pub public_text: String,
    /// Content of `NAME.key`: the secret key encrypted with the passphrase.
    pub secret_text: String,
}

/// Paths of a key pair written by [`generate_key_files`].
#[derive(Debug, Clone)]
pub struct KeyFiles {
    /// `DIR/NAME.pub`.
    pub public_path: PathBuf,
    /// `DIR/NAME.key`, mode 0600 on Unix.
    pub secret_path: PathBuf,
    /// The decrypted key, usable at once.
    pub signing_key: SigningKey,
}

/// Generates a new key pair in memory, the secret key encrypted with
/// `passphrase` (scrypt with minisign's parameters).
///
/// # Errors
/// [`Error::EmptyPassphrase`] for an empty passphrase, [`Error::WeakPassphrase`] for one
/// that is easy to guess ([`passphrase_problem`]); [`Error::KeyGeneration`] if the
/// system random source or key derivation fails.
pub fn generate(passphrase: &str) -> Result<GeneratedKey> {
    if passphrase.is_empty() {
        return Err(Error::EmptyPassphrase);
    }
    if let Some(reason) = passphrase_problem(passphrase) {
        return Err(Error::WeakPassphrase { reason });
    }
    let secret_text = encrypt_new_key(passphrase)?;
    // The key pair holds the encrypted secret; decrypt it once so that the
    // caller can sign at once (and so that the passphrase is proven to work).
    let signing_key = secret_key_from_text(&secret_text, passphrase)?;
    let public_text = signing_key.public_key().to_text();
    Ok(GeneratedKey {
        signing_key,
        public_text,
        secret_text,
    })
}

/// A new secret key encrypted as `minisign -G` does, at [`KDF_OPSLIMIT`] and
/// [`KDF_MEMLIMIT`], as the text of a `.key` file. (The minisign crate encrypts at a
/// fixed, much lower cost.) Layout of the key: signature algorithm, KDF algorithm,
/// checksum algorithm, salt (32), opslimit and memlimit (u64 little-endian), then key
/// number (8), secret key (64) and checksum (32), these last three XORed with scrypt's
/// output.
fn encrypt_new_key(passphrase: &str) -> Result<String> {
    let failed = |reason: String| Error::KeyGeneration { reason };
    let pair =
        minisign::KeyPair::generate_unencrypted_keypair().map_err(|e| failed(e.to_string()))?;
    let mut bytes = pair.sk.to_bytes();
    const SALT: std::ops::Range<usize> = 6..38;
    const OPS: std::ops::Range<usize> = 38..46;
    const MEM: std::ops::Range<usize> = 46..54;
    const SECRET: std::ops::Range<usize> = 54..158;
    if bytes.len() != SECRET.end {
        return Err(failed(format!(
            "unexpected secret key layout ({} bytes)",
            bytes.len()
        )));
    }
    bytes[2..4].copy_from_slice(b"Sc");
    getrandom::fill(&mut bytes[SALT]).map_err(|e| failed(e.to_string()))?;
    bytes[OPS].copy_from_slice(&KDF_OPSLIMIT.to_le_bytes());
    bytes[MEM].copy_from_slice(&KDF_MEMLIMIT.to_le_bytes());
    let params = scrypt::Params::new(KDF_LOG_N, 8, 1, scrypt::Params::RECOMMENDED_LEN)
        .map_err(|e| failed(e.to_string()))?;
    let mut stream = [0u8; SECRET.end - SECRET.start];
    let salt = bytes[SALT].to_vec();
    scrypt::scrypt(passphrase.as_bytes(), &salt, &params, &mut stream)
        .map_err(|e| failed(e.to_string()))?;
    for (b, s) in bytes[SECRET].iter_mut().zip(stream) {
        *b ^= s;
    }
    let sk = minisign::SecretKey::from_bytes(&bytes).map_err(|e| failed(e.to_string()))?;
    Ok(sk
        .to_box(Some(SECRET_KEY_COMMENT))
        .map_err(|e| failed(e.to_string()))?
        .into_string())
}

/// The scrypt opslimit and memlimit recorded in the text of a `.key` file.
///
/// # Errors
/// [`Error::MalformedSecretKey`] when the text is not a minisign secret key.
pub fn secret_key_cost(text: &str) -> Result<(u64, u64)> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
        .unwrap_or_default();
    let bytes = decode_base64(line).ok_or_else(|| Error::MalformedSecretKey {
        reason: "the key line is not base64".into(),
    })?;
    let le = |r: std::ops::Range<usize>| {
        bytes
            .get(r)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
    };
    match (le(38..46), le(46..54)) {
        (Some(ops), Some(mem)) => Ok((ops, mem)),
        _ => Err(Error::MalformedSecretKey {
            reason: "the key is too short".into(),
        }),
    }
}

/// Standard base64 with padding.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u8);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Generates a key pair and writes `dir/NAME.pub` and `dir/NAME.key`.
///
/// Existing key files are never overwritten. Each file is written to a
/// temporary name, fsynced and then linked into place.
///
/// # Errors
/// [`Error::KeyFileExists`] if either file exists; [`Error::KeyGeneration`]
/// for a `name` that is empty, hidden or contains a folder; [`Error::Io`] for
/// file system failures; otherwise as [`generate`].
pub fn generate_key_files(dir: &Path, name: &str, passphrase: &str) -> Result<KeyFiles> {
    if name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
    {
        return Err(Error::KeyGeneration {
            reason: format!(
                "`{name}` is not a usable key name; use letters, digits and dashes, without a folder"
            ),
        });
    }
    let public_path = dir.join(format!("{name}.pub"));
    let secret_path = dir.join(format!("{name}.key"));
    for path in [&public_path, &secret_path] {
        if path.exists() {
            return Err(Error::KeyFileExists { path: path.clone() });
        }
    }
    let key = generate(passphrase)?;
    fsio::stage(&secret_path, key.secret_text.as_bytes(), 0o600)?.commit_new()?;
    let public = fsio::stage(&public_path, key.public_text.as_bytes(), 0o644)
        .and_then(fsio::Staged::commit_new);
    if let Err(e) = public {
        // Do not leave a secret key without its public half.
        let _ = std::fs::remove_file(&secret_path);
        return Err(e);
    }
    fsio::sync_dir(&fsio::parent_dir(&secret_path))?;
    Ok(KeyFiles {
        public_path,
        secret_path,
        signing_key: key.signing_key,
    })
}

/// Decrypts a secret key from the text of a `.key` file.
///
/// # Errors
/// [`Error::WrongPassphrase`] when the passphrase does not open the key (a
/// corrupted key file looks the same to minisign);
/// [`Error::MalformedSecretKey`] when the text is not an encrypted minisign
/// secret key.
pub fn secret_key_from_text(text: &str, passphrase: &str) -> Result<SigningKey> {
    let boxed =
        minisign::SecretKeyBox::from_string(text).map_err(|e| Error::MalformedSecretKey {
            reason: e.to_string(),
        })?;
    // Always pass Some(..): None would make minisign prompt on the terminal.
    let secret =
        minisign::SecretKey::from_box(boxed, Some(passphrase.to_owned())).map_err(|e| {
            match e.kind() {
                // The only Verify failure on this path is the checksum test after decryption.
                minisign::ErrorKind::Verify => Error::WrongPassphrase,
                _ => Error::MalformedSecretKey {
                    reason: e.to_string(),
                },
            }
        })?;
    SigningKey::from_secret(secret)
}

/// Reads and decrypts the secret key file at `path`.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read; otherwise as [`secret_key_from_text`].
pub fn load_secret_key(path: &Path, passphrase: &str) -> Result<SigningKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io("read the secret key file", path, e))?;
    secret_key_from_text(&text, passphrase)
}

/// Reads the public key file at `path`.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read; [`Error::MalformedPublicKey`].
pub fn load_public_key(path: &Path) -> Result<PublicKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io("read the public key file", path, e))?;
    PublicKey::from_text(&text)
}

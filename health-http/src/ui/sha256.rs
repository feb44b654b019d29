//! SHA-256 (FIPS 180-4) and standard Base64: the Content-Security-Policy
//! hashes of the page's inline style and script, computed once, when the
//! first page is served, from the very bytes the crate embeds (const
//! evaluation cost every build of this crate 1.5 s). No build script, no
//! dependency, nothing computed per request; the unit tests pin both
//! functions to published test vectors.

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The SHA-256 digest of `data`.
pub(crate) const fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h = H0;
    let len = data.len();
    // The message, then 0x80, zeros, and the bit length in 8 bytes: a
    // whole number of 64-byte blocks.
    let blocks = (len + 8) / 64 + 1;
    let mut block = 0;
    while block < blocks {
        let mut w = [0u32; 64];
        let mut t = 0;
        while t < 16 {
            let mut word = 0u32;
            let mut j = 0;
            while j < 4 {
                word = (word << 8) | padded(data, block * 64 + t * 4 + j) as u32;
                j += 1;
            }
            w[t] = word;
            t += 1;
        }
        while t < 64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16]
                .wrapping_add(s0)
                .wrapping_add(w[t - 7])
                .wrapping_add(s1);
            t += 1;
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        let mut t = 0;
        while t < 64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[t])
                .wrapping_add(w[t]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
            t += 1;
        }
        let add = [a, b, c, d, e, f, g, hh];
        let mut i = 0;
        while i < 8 {
            h[i] = h[i].wrapping_add(add[i]);
            i += 1;
        }
        block += 1;
    }
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 8 {
        let bytes = h[i].to_be_bytes();
        let mut j = 0;
        while j < 4 {
            out[i * 4 + j] = bytes[j];
            j += 1;
        }
        i += 1;
    }
    out
}

/// Byte `i` of the padded message of `data`.
const fn padded(data: &[u8], i: usize) -> u8 {
    let len = data.len();
    let total = ((len + 8) / 64 + 1) * 64;
    if i < len {
        data[i]
    } else if i == len {
        0x80
    } else if i >= total - 8 {
        let bits = (len as u64).wrapping_mul(8);
        (bits >> ((total - 1 - i) * 8)) as u8
    } else {
        0
    }
}

/// The length of the padded Base64 text of `n` bytes.
pub(crate) const fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// Standard Base64 (RFC 4648, with padding) of 32 bytes: a digest as CSP
/// writes it.
pub(crate) const fn base64_32(data: &[u8; 32]) -> [u8; base64_len(32)] {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = [b'='; base64_len(32)];
    let (mut i, mut o) = (0, 0);
    while i < 32 {
        let b0 = data[i] as u32;
        let b1 = if i + 1 < 32 { data[i + 1] as u32 } else { 0 };
        let b2 = if i + 2 < 32 { data[i + 2] as u32 } else { 0 };
        let n = (b0 << 16) | (b1 << 8) | b2;
        out[o] = ALPHABET[(n >> 18) as usize & 63];
        out[o + 1] = ALPHABET[(n >> 12) as usize & 63];
        if i + 1 < 32 {
            out[o + 2] = ALPHABET[(n >> 6) as usize & 63];
        }
        if i + 2 < 32 {
            out[o + 3] = ALPHABET[n as usize & 63];
        }
        i += 3;
        o += 4;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(digest: [u8; 32]) -> String {
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// FIPS 180-4's examples and the NIST byte-oriented vectors, around
    /// every padding boundary (55, 56, 63, 64 bytes).
    #[test]
    fn known_vectors() {
        let cases: [(&[u8], &str); 4] = [
            (
                b"",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
            (
                b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
            ),
        ];
        for (data, expected) in cases {
            assert_eq!(
                hex(sha256(data)),
                expected,
                "{:?}",
                String::from_utf8_lossy(data)
            );
        }
        // A million 'a's (FIPS 180-4, C.3).
        assert_eq!(
            hex(sha256(&vec![b'a'; 1_000_000])),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        for (len, expected) in [
            (
                55,
                "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            ),
            (
                56,
                "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            ),
            (
                63,
                "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
            ),
            (
                64,
                "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            ),
        ] {
            assert_eq!(hex(sha256(&vec![b'a'; len])), expected, "{len} bytes");
        }
    }

    #[test]
    fn base64_of_a_digest() {
        // The CSP form of SHA-256(""), as browsers print it.
        let b64 = base64_32(&sha256(b""));
        assert_eq!(
            std::str::from_utf8(&b64).unwrap(),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        let b64 = base64_32(&[0xff; 32]);
        assert_eq!(
            std::str::from_utf8(&b64).unwrap(),
            "//////////////////////////////////////////8="
        );
    }
}

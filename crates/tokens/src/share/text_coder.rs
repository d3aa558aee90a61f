//! Compression for the free text of a share link: a binary arithmetic coder (the LZMA range
//! coder) over bytes, predicting each bit from the bytes before it, with the model first
//! trained on a fixed sample of incident English. Short texts such as "Checkout API returns
//! 502 for all users" shrink to about half, where general-purpose compressors gain nothing
//! on inputs this small.
//!
//! The training sample is part of the token format: changing it breaks every link made
//! before, so it may only change together with the token version.

/// Probabilities are 12-bit: P(bit = 1) in 1..4095.
const PROBABILITY_BITS: u32 = 12;
const ONE: i32 = 1 << PROBABILITY_BITS;
/// How fast each context's probability follows what was just seen.
const ADAPT_SHIFT: u32 = 3;
const TOP: u32 = 1 << 24;
/// Order-2 contexts are hashed into this many bit-probability slots.
const ORDER2_SLOTS: usize = 1 << 18;

/// Share token v1's training text. Never edit: see the module documentation.
const TRAINING_V1: &str = "\
incident: checkout api returns 502 errors for all users. impact: users cannot log in, \
sign up or pay. status: investigating. next update in 30 minutes. the service is down \
after the deploy; we rolled back to the previous release and the error rate dropped. \
resolution: restarted the service and cleared the queue. root cause: the database \
connection pool was exhausted by a retry loop that never closed its connections. \
latency on the api went from 200 ms to 12 seconds. requests timed out at the load \
balancer. the provider had an outage in one region; traffic failed over to the backup. \
disk full on the primary database host; logs were rotated and space freed. memory \
exhaustion caused the process to crash and restart. a bad config change disabled \
authentication tokens; users had to log in again. certificates expired on the edge. \
action items: add an alert on the connection pool, add a canary stage to the release, \
load test the retry logic, document the rollback, update the runbook. lessons learned: \
the rollback was fast and worked well. we noticed late because the alert was silenced. \
monitoring did not cover the queue. the on-call engineer escalated to the engineering \
lead and all hands joined the incident channel. customers were notified on the status \
page. Engineering, Support, Sales, Customer Success, SRE, Platform, Payments, Checkout, \
Search, Auth, Login, Mobile, Web, API, DB, AWS, GCP, Kubernetes, Postgres, Redis, Kafka. \
The new version was deployed at 14:05 and reverted at 14:40. Errors started after the \
migration. Slow queries and high CPU on the replica. 5xx responses, 4xx responses, 500, \
502, 503, 504 gateway timeout. Degraded performance, partial outage, major outage. \
Summary: For 41 minutes, most users could not load the dashboard. Impact: about 30% of \
requests failed. Customers in Europe saw errors first. Detection: the on-call was paged by \
the error rate alert at 09:12. Timeline: 09:12 alert fired, 09:15 incident declared, 09:20 \
status page updated, 09:31 cause found, 09:40 fix deployed, 09:53 resolved. Root Cause: a \
misconfigured feature flag sent all traffic to a single node, which ran out of memory. The \
health check passed while the node was overloaded. What went well: the team found the cause \
quickly and the runbook steps were clear. What went wrong: alerts were noisy and the status \
page was updated late. Where we got lucky: the backup provider had capacity. Follow-up: fix \
the health check, add a dashboard for queue depth, rotate the credentials, review the \
deployment process, and schedule a game day. Owner: the platform team. Due next week. \
Investigating elevated error rates. Identified the issue with the payment provider. A fix \
has been implemented and we are monitoring the results. This incident has been resolved. \
We apologise for the disruption and will share a full post-mortem. Users may need to \
refresh the page or sign in again. No data was lost. Service restored at 10:02 UTC.\
";

/// Predicts each bit of a byte from three contexts (no context, the previous byte, the two
/// previous bytes) and mixes the three predictions with weights it learns as it goes
/// (logistic mixing, as in the PAQ family). Integer-only, so every platform agrees.
struct Model {
    order0: Vec<u16>,
    order1: Vec<u16>,
    order2: Vec<u16>,
    weights: [i32; 3],
    stretch: Vec<i16>,
    history: [u8; 2],
    /// Slots and stretched predictions of the bit being coded, for the update.
    slots: [usize; 3],
    inputs: [i32; 3],
    mixed: i32,
}

impl Model {
    fn trained() -> Model {
        let half = (ONE / 2) as u16;
        let mut model = Model {
            order0: vec![half; 256],
            order1: vec![half; 256 * 256],
            order2: vec![half; ORDER2_SLOTS],
            weights: [1 << 14; 3],
            stretch: stretch_table(),
            history: [0; 2],
            slots: [0; 3],
            inputs: [0; 3],
            mixed: 0,
        };
        for &byte in TRAINING_V1.as_bytes() {
            model.code_byte(byte, &mut |_, _| {});
        }
        model
    }

    /// P(next bit = 1) at bit-tree `node` of the current byte.
    fn predict(&mut self, node: usize) -> i32 {
        let [older, previous] = self.history;
        // u32 on purpose: usize is 32 bits in WebAssembly and 64 natively, and every platform
        // must compute the same contexts.
        let hash = ((u32::from(older) << 8 | u32::from(previous)).wrapping_mul(0x9E37_79B1) >> 7) as usize;
        self.slots = [node, usize::from(previous) << 8 | node, (hash ^ node) & (ORDER2_SLOTS - 1)];
        let probabilities = [self.order0[self.slots[0]], self.order1[self.slots[1]], self.order2[self.slots[2]]];
        let mut dot = 0i64;
        for ((input, probability), weight) in self.inputs.iter_mut().zip(probabilities).zip(self.weights) {
            *input = i32::from(self.stretch[usize::from(probability)]);
            dot += i64::from(*input) * i64::from(weight);
        }
        self.mixed = squash((dot >> 16) as i32).clamp(1, ONE - 1);
        self.mixed
    }

    fn update(&mut self, bit: u32) {
        let target = if bit == 1 { ONE - 1 } else { 0 };
        let error = target - self.mixed;
        for (weight, input) in self.weights.iter_mut().zip(self.inputs) {
            *weight += (input * error) >> 10;
        }
        for (table, slot) in
            [(&mut self.order0, self.slots[0]), (&mut self.order1, self.slots[1]), (&mut self.order2, self.slots[2])]
        {
            let p = i32::from(table[slot]);
            table[slot] = (p + ((target - p) >> ADAPT_SHIFT)) as u16;
        }
    }

    /// Codes one byte MSB first; `code` gets P(1) and the bit, and returns nothing.
    fn code_byte(&mut self, byte: u8, code: &mut dyn FnMut(i32, u32)) {
        let mut node = 1usize;
        for shift in (0..8).rev() {
            let bit = u32::from(byte >> shift & 1);
            let p1 = self.predict(node);
            code(p1, bit);
            self.update(bit);
            node = node * 2 + bit as usize;
        }
        self.history = [self.history[1], byte];
    }

    /// Decodes one byte; `decode` gets P(1) and returns the bit.
    fn decode_byte(&mut self, decode: &mut dyn FnMut(i32) -> u32) -> u8 {
        let mut node = 1usize;
        for _ in 0..8 {
            let p1 = self.predict(node);
            let bit = decode(p1);
            self.update(bit);
            node = node * 2 + bit as usize;
        }
        let byte = (node - 256) as u8;
        self.history = [self.history[1], byte];
        byte
    }
}

/// 1 / (1 + e^-d) for d in 1/256 units, as a 12-bit probability (table interpolation).
fn squash(d: i32) -> i32 {
    const TABLE: [i32; 33] = [
        1, 2, 3, 6, 10, 16, 27, 45, 73, 120, 194, 310, 488, 747, 1101, 1546, 2047, 2549, 2994, 3348, 3607, 3785, 3901,
        3975, 4022, 4050, 4068, 4079, 4085, 4089, 4092, 4093, 4094,
    ];
    if d > 2047 {
        return 4095;
    }
    if d < -2047 {
        return 1;
    }
    let w = d & 127;
    let i = ((d >> 7) + 16) as usize;
    (TABLE[i] * (128 - w) + TABLE[i + 1] * w + 64) >> 7
}

/// The inverse of [`squash`] for every 12-bit probability: ln(p / (1 - p)) in 1/256 units,
/// built from squash itself so the two are exact inverses.
fn stretch_table() -> Vec<i16> {
    let mut table = vec![2047i16; ONE as usize];
    let mut p = 0usize;
    for d in -2047..=2047 {
        let reached = squash(d) as usize;
        while p <= reached && p < table.len() {
            table[p] = d as i16;
            p += 1;
        }
    }
    table
}

struct Encoder {
    low: u64,
    range: u32,
    cache: u8,
    cache_size: u64,
    out: Vec<u8>,
}

impl Encoder {
    /// `p1` is P(bit = 1); the zero side of the range comes first.
    fn bit(&mut self, p1: i32, bit: u32) {
        let bound = (self.range >> PROBABILITY_BITS) * (ONE - p1) as u32;
        if bit == 0 {
            self.range = bound;
        } else {
            self.low += u64::from(bound);
            self.range -= bound;
        }
        while self.range < TOP {
            self.range <<= 8;
            self.shift_low();
        }
    }

    fn shift_low(&mut self) {
        if self.low < 0xFF00_0000 || self.low > 0xFFFF_FFFF {
            let carry = (self.low >> 32) as u8;
            let mut pending = self.cache;
            while self.cache_size > 0 {
                self.out.push(pending.wrapping_add(carry));
                pending = 0xFF;
                self.cache_size -= 1;
            }
            self.cache = (self.low >> 24) as u8;
        }
        self.cache_size += 1;
        self.low = (self.low & 0x00FF_FFFF) << 8;
    }

    fn finish(mut self) -> Vec<u8> {
        for _ in 0..5 {
            self.shift_low();
        }
        // The first byte is always 0 and the decoder reads missing bytes as 0: drop both.
        self.out.remove(0);
        while self.out.last() == Some(&0) {
            self.out.pop();
        }
        self.out
    }
}

struct Decoder<'a> {
    input: &'a [u8],
    at: usize,
    range: u32,
    code: u32,
}

impl Decoder<'_> {
    fn new(input: &[u8]) -> Decoder<'_> {
        let mut decoder = Decoder { input, at: 0, range: u32::MAX, code: 0 };
        for _ in 0..4 {
            decoder.code = decoder.code << 8 | u32::from(decoder.next_byte());
        }
        decoder
    }

    fn next_byte(&mut self) -> u8 {
        let byte = self.input.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        byte
    }

    fn bit(&mut self, p1: i32) -> u32 {
        let bound = (self.range >> PROBABILITY_BITS) * (ONE - p1) as u32;
        let bit = if self.code < bound {
            self.range = bound;
            0
        } else {
            self.code -= bound;
            self.range -= bound;
            1
        };
        while self.range < TOP {
            self.range <<= 8;
            self.code = self.code << 8 | u32::from(self.next_byte());
        }
        bit
    }
}

/// Compresses texts that contain no NUL byte; they are kept apart by NULs.
pub fn compress(texts: &[&str]) -> Vec<u8> {
    let mut model = Model::trained();
    let mut encoder = Encoder { low: 0, range: u32::MAX, cache: 0, cache_size: 1, out: Vec::new() };
    for text in texts {
        for &byte in text.as_bytes().iter().filter(|&&b| b != 0).chain(std::iter::once(&0)) {
            model.code_byte(byte, &mut |p1, bit| encoder.bit(p1, bit));
        }
    }
    encoder.finish()
}

/// Reads back `count` texts, reading at most `max_total` bytes of text. Corrupt data decodes
/// to garbage, not an error: the token's checksum is what catches it.
pub fn decompress(data: &[u8], count: usize, max_total: usize) -> Option<Vec<String>> {
    let mut model = Model::trained();
    let mut decoder = Decoder::new(data);
    let mut texts = Vec::with_capacity(count.min(64));
    let mut current = Vec::new();
    let mut total = 0usize;
    while texts.len() < count {
        let byte = model.decode_byte(&mut |p1| decoder.bit(p1));
        total += 1;
        if total > max_total {
            return None;
        }
        if byte == 0 {
            texts.push(String::from_utf8(std::mem::take(&mut current)).ok()?);
        } else {
            current.push(byte);
        }
    }
    Some(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip_without_their_nul_bytes() {
        let texts = ["Checkout API returns 502 for all users", "", "NUL\0inside", "ünïcödé ✓ \u{202e}"];
        let packed = compress(&texts);
        let expected = ["Checkout API returns 502 for all users", "", "NULinside", "ünïcödé ✓ \u{202e}"];
        assert_eq!(decompress(&packed, texts.len(), 10_000), Some(expected.map(String::from).to_vec()));
    }

    #[test]
    fn incident_text_packs_below_four_bits_per_character() {
        let texts = [
            "Checkout API returning 502 errors",
            "All users cannot complete checkout",
            "Rolled back to release 2.13",
            "Release 2.14 exhausted the database connection pool; checkout failed with 502 for 41 minutes.",
            "A new retry loop opened a connection per attempt and never closed it, so the pool filled within minutes.",
            "Alert on connection pool use above 80%",
            "The rollback steps worked well",
        ];
        let raw: usize = texts.iter().map(|t| t.len() + 1).sum();
        let packed = compress(&texts);
        assert!(packed.len() * 8 < raw * 4, "{} bytes from {raw} characters", packed.len());
        assert_eq!(decompress(&packed, texts.len(), 10_000), Some(texts.map(String::from).to_vec()));
    }

    #[test]
    fn garbage_never_runs_past_the_limit() {
        assert!(decompress(&[0xFF; 8], 1_000, 50).is_none());
        assert!(decompress(&[], 1_000, 50).is_none());
    }
}

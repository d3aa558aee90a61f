//! Which hosts the probe can reach from Cloudflare. Workers `connect()` refuses private,
//! loopback, link-local and shared (CGNAT) addresses, Cloudflare's own ranges, and port 25;
//! a config that names one could never be probed, so validation refuses it and says what to
//! do instead. Ranges are Cloudflare's published list (cloudflare.com/ips).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const CLOUDFLARE_V4: &[(Ipv4Addr, u8)] = &[
    (Ipv4Addr::new(173, 245, 48, 0), 20),
    (Ipv4Addr::new(103, 21, 244, 0), 22),
    (Ipv4Addr::new(103, 22, 200, 0), 22),
    (Ipv4Addr::new(103, 31, 4, 0), 22),
    (Ipv4Addr::new(141, 101, 64, 0), 18),
    (Ipv4Addr::new(108, 162, 192, 0), 18),
    (Ipv4Addr::new(190, 93, 240, 0), 20),
    (Ipv4Addr::new(188, 114, 96, 0), 20),
    (Ipv4Addr::new(197, 234, 240, 0), 22),
    (Ipv4Addr::new(198, 41, 128, 0), 17),
    (Ipv4Addr::new(162, 158, 0, 0), 15),
    (Ipv4Addr::new(104, 16, 0, 0), 13),
    (Ipv4Addr::new(104, 24, 0, 0), 14),
    (Ipv4Addr::new(172, 64, 0, 0), 13),
    (Ipv4Addr::new(131, 0, 72, 0), 22),
];

const CLOUDFLARE_V6: &[(Ipv6Addr, u8)] = &[
    (Ipv6Addr::new(0x2400, 0xcb00, 0, 0, 0, 0, 0, 0), 32),
    (Ipv6Addr::new(0x2606, 0x4700, 0, 0, 0, 0, 0, 0), 32),
    (Ipv6Addr::new(0x2803, 0xf800, 0, 0, 0, 0, 0, 0), 32),
    (Ipv6Addr::new(0x2405, 0xb500, 0, 0, 0, 0, 0, 0), 32),
    (Ipv6Addr::new(0x2405, 0x8100, 0, 0, 0, 0, 0, 0), 32),
    (Ipv6Addr::new(0x2a06, 0x98c0, 0, 0, 0, 0, 0, 0), 29),
    (Ipv6Addr::new(0x2c0f, 0xf248, 0, 0, 0, 0, 0, 0), 32),
];

/// Why Cloudflare cannot reach `ip`, if it cannot; `local` allows loopback (tests, `wrangler dev`).
pub fn unreachable_ip(ip: IpAddr, local: bool) -> Option<&'static str> {
    if ip.is_loopback() {
        return (!local).then_some("a loopback address");
    }
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            if v4.is_private() {
                Some("a private address")
            } else if v4.is_link_local() {
                Some("a link-local address")
            } else if a == 100 && (64..128).contains(&b) {
                Some("a shared (CGNAT) address")
            } else if v4.is_unspecified() || a == 0 || v4.is_broadcast() || v4.is_multicast() || a >= 240 {
                Some("not a host address")
            } else if CLOUDFLARE_V4.iter().any(|&(net, bits)| in_v4(v4, net, bits)) {
                Some("one of Cloudflare's own addresses")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return unreachable_ip(IpAddr::V4(v4), local);
            }
            let first = v6.segments()[0];
            if first & 0xfe00 == 0xfc00 {
                Some("a private (unique local) address")
            } else if first & 0xffc0 == 0xfe80 {
                Some("a link-local address")
            } else if v6.is_unspecified() || v6.is_multicast() {
                Some("not a host address")
            } else if CLOUDFLARE_V6.iter().any(|&(net, bits)| in_v6(v6, net, bits)) {
                Some("one of Cloudflare's own addresses")
            } else {
                None
            }
        }
    }
}

/// Host names that can only mean this machine.
pub fn is_loopback_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost")
}

fn in_v4(ip: Ipv4Addr, net: Ipv4Addr, bits: u8) -> bool {
    let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
    u32::from(ip) & mask == u32::from(net) & mask
}

fn in_v6(ip: Ipv6Addr, net: Ipv6Addr, bits: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
    u128::from(ip) & mask == u128::from(net) & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(text: &str) -> Option<&'static str> {
        unreachable_ip(text.parse().unwrap(), false)
    }

    #[test]
    fn every_range_connect_refuses_is_named() {
        for (address, reason) in [
            ("10.0.0.5", "a private address"),
            ("172.16.0.1", "a private address"),
            ("172.31.255.255", "a private address"),
            ("192.168.1.1", "a private address"),
            ("127.0.0.1", "a loopback address"),
            ("127.8.9.10", "a loopback address"),
            ("169.254.169.254", "a link-local address"),
            ("100.64.0.1", "a shared (CGNAT) address"),
            ("100.127.255.254", "a shared (CGNAT) address"),
            ("0.0.0.0", "not a host address"),
            ("224.0.0.1", "not a host address"),
            ("fc00::1", "a private (unique local) address"),
            ("fd12:3456::1", "a private (unique local) address"),
            ("fe80::1", "a link-local address"),
            ("::1", "a loopback address"),
            ("::ffff:10.1.2.3", "a private address"),
            ("104.16.1.1", "one of Cloudflare's own addresses"),
            ("2606:4700::1111", "one of Cloudflare's own addresses"),
        ] {
            assert_eq!(why(address), Some(reason), "{address}");
        }
    }

    #[test]
    fn public_addresses_are_reachable_and_loopback_only_locally() {
        for address in ["203.0.113.7", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1", "104.32.0.1"] {
            assert_eq!(why(address), None, "{address}");
        }
        assert_eq!(unreachable_ip("127.0.0.1".parse().unwrap(), true), None);
        assert_eq!(unreachable_ip("10.0.0.1".parse().unwrap(), true), Some("a private address"));
        assert!(
            is_loopback_name("localhost") && is_loopback_name("api.localhost.") && !is_loopback_name("localhost.io")
        );
    }
}

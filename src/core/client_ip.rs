//! Who is asking: the client address that limits and lockouts count against. Taken from
//! `X-Forwarded-For` only when the connection comes from a proxy the operator trusts, and
//! then the rightmost hop that is not itself a trusted proxy: everything left of that was
//! written by the client and proves nothing.
use std::net::IpAddr;

use ipnet::IpNet;

/// The proxies (load balancers, reverse proxies) whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// From settings: addresses (`10.0.0.5`) or networks (`10.0.0.0/8`, `::1/128`).
    pub fn parse(entries: &[String]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|e| {
                let e = e.trim();
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("not an IP address or network: {e:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`, what a dual-stack socket reports) is
/// the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address for a request that came from `peer` with these `X-Forwarded-For`
/// header values (in the order received).
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trusted: &TrustedProxies) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.trusts(peer) {
        return peer;
    }
    // Each proxy appends the address it received from; read from the right.
    let hops: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // A hop nobody could have written correctly: the last trusted one is all we know.
            return client;
        };
        client = ip;
        if !trusted.trusts(ip) {
            return ip;
        }
    }
    client
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`, `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(sock) = hop.parse::<std::net::SocketAddr>() {
        return Some(canonical(sock.ip()));
    }
    None
}

/// What limits count against: an IPv4 address, or the /64 an IPv6 address is in (one
/// household or phone gets a whole /64, so single addresses would be free to rotate).
pub fn limit_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn trusted(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let none = TrustedProxies::default();
        assert_eq!(
            client_ip(ip("198.51.100.1"), &["203.0.113.9"], &none),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let t = trusted(&["10.0.0.0/8", "127.0.0.1"]);
        // The client forged the first entry; the proxy appended the real one.
        assert_eq!(
            client_ip(ip("10.0.0.5"), &["1.2.3.4, 203.0.113.9"], &t),
            ip("203.0.113.9")
        );
        // Two proxies in a row, in one header or in two.
        assert_eq!(
            client_ip(ip("127.0.0.1"), &["203.0.113.9, 10.1.1.1"], &t),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_ip(ip("127.0.0.1"), &["203.0.113.9", "10.1.1.1"], &t),
            ip("203.0.113.9")
        );
        // No header: the proxy itself is all we know.
        assert_eq!(client_ip(ip("10.0.0.5"), &[], &t), ip("10.0.0.5"));
        // Ports and brackets are understood; IPv4 written as IPv6 is IPv4.
        assert_eq!(
            client_ip(ip("::ffff:10.0.0.5"), &["[2001:db8::7]:443"], &t),
            ip("2001:db8::7")
        );
        assert!(t.trusts(ip("::ffff:127.0.0.1")));
    }

    #[test]
    fn garbage_in_the_header_stops_at_the_last_trusted_hop() {
        let t = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            client_ip(ip("10.0.0.5"), &["203.0.113.9, unknown, 10.2.2.2"], &t),
            ip("10.2.2.2")
        );
    }

    #[test]
    fn settings_that_are_not_addresses_are_refused() {
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
        assert!(TrustedProxies::parse(&["localhost".into()]).is_err());
        assert!(TrustedProxies::parse(&[" 192.168.0.0/16 ".into(), "::1".into()]).is_ok());
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(
            limit_key(ip("2001:db8:1:2:ffff::9")),
            limit_key(ip("2001:db8:1:2::1"))
        );
        assert_eq!(limit_key(ip("203.0.113.9")), "203.0.113.9");
        assert_eq!(limit_key(ip("::ffff:203.0.113.9")), "203.0.113.9");
    }

    proptest! {
        #[test]
        fn an_untrusted_peer_can_never_choose_its_address(header in ".{0,80}", a in any::<u32>()) {
            let peer = IpAddr::V4(std::net::Ipv4Addr::from(a));
            let t = trusted(&["10.0.0.0/8"]);
            prop_assume!(!t.trusts(peer));
            prop_assert_eq!(client_ip(peer, &[header.as_str()], &t), peer);
        }
    }
}

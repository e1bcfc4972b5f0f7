package webhook

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// Refused is a webhook URL, or an address it resolves to, that the
// platform will not send to: why, in Vietnamese and English.
type Refused struct{ VI, EN string }

func (r *Refused) Error() string { return r.EN }

// Text is the refusal in a language: "en" for English, Vietnamese otherwise.
func (r *Refused) Text(lang string) string {
	if lang == "en" {
		return r.EN
	}
	return r.VI
}

// Guard decides where webhooks may go. Without AllowPrivate, never to an
// address that is loopback, link-local (169.254.169.254, the cloud's
// metadata service, among them), private, shared or otherwise not on the
// public Internet, and only over https; with it (tests, a receiver inside
// the operator's network), to any address, and over plain http to
// loopback.
type Guard struct {
	AllowPrivate bool
	// Resolver looks host names up; nil for the system's.
	Resolver *net.Resolver
}

// nonPublic are the ranges netip's predicates do not name but that are not
// the public Internet either.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),  // shared address space (carrier-grade NAT)
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, and the broadcast address
	netip.MustParsePrefix("64:ff9b::/96"),   // NAT64: an IPv4 address in disguise
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("2002::/16"),      // 6to4: likewise
}

// Public reports whether ip is an address on the public Internet.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// allowed refuses an address the guard does not send to, over https
// (tls) or plain http.
func (g Guard) allowed(ip netip.Addr, tls bool) error {
	ip = ip.Unmap()
	switch {
	case !tls && !(g.AllowPrivate && ip.IsLoopback()):
		return &Refused{"chỉ gửi qua http (không mã hoá) tới địa chỉ loopback khi THIDUA_WEBHOOK_ALLOW_PRIVATE=1",
			"plain http goes only to a loopback address, with THIDUA_WEBHOOK_ALLOW_PRIVATE=1"}
	case g.AllowPrivate || Public(ip):
		return nil
	}
	return &Refused{fmt.Sprintf("địa chỉ %s là địa chỉ nội bộ (loopback, link-local hoặc mạng riêng): không gửi tới", ip),
		fmt.Sprintf("address %s is internal (loopback, link-local or private): webhooks are not sent there", ip)}
}

// CheckURL checks a subscription's URL when it is created: an absolute
// https URL (http only to loopback with AllowPrivate), without user
// information, whose host does not resolve to an address the guard refuses.
// A host that does not resolve (yet) is accepted: each attempt to send is
// checked again, at the moment of connecting.
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Hostname() == "" {
		return &Refused{"URL phải là địa chỉ đầy đủ, ví dụ https://cong.example.vn/thidua", "the URL must be absolute, such as https://portal.example.vn/thidua"}
	}
	if u.User != nil {
		return &Refused{"URL không được chứa tên người dùng hay mật khẩu", "the URL must not hold a user name or password"}
	}
	tls := u.Scheme == "https"
	if !tls && u.Scheme != "http" {
		return &Refused{"URL phải dùng https", "the URL must use https"}
	}
	if !tls && !g.AllowPrivate {
		return &Refused{"URL phải dùng https", "the URL must use https"}
	}
	host := u.Hostname()
	var ips []netip.Addr
	if invalidName(host) {
		return nil // never resolves, so reaches nothing: every attempt fails, and says so
	}
	if ip, err := netip.ParseAddr(strings.TrimSuffix(host, ".")); err == nil {
		ips = []netip.Addr{ip}
	} else if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") || strings.HasSuffix(strings.ToLower(strings.TrimSuffix(host, ".")), ".localhost") {
		ips = []netip.Addr{netip.IPv6Loopback()} // always loopback (RFC 6761), whatever a resolver says
	} else {
		r := g.Resolver
		if r == nil {
			r = net.DefaultResolver
		}
		ctx, cancel := context.WithTimeout(ctx, dialTimeout)
		defer cancel()
		ips, _ = r.LookupNetIP(ctx, "ip", host) // not resolving: checked again at each attempt
	}
	for _, ip := range ips {
		if err := g.allowed(ip, tls); err != nil {
			return err
		}
	}
	return nil
}

// invalidName reports whether host is under .invalid, which never resolves
// (RFC 6761).
func invalidName(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "invalid" || strings.HasSuffix(h, ".invalid")
}

// dial connects to address as d does, answering at once that a name under
// .invalid does not exist, as RFC 6761 asks of resolvers.
func dial(d *net.Dialer) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		if host, _, err := net.SplitHostPort(address); err == nil && invalidName(host) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
		}
		return d.DialContext(ctx, network, address)
	}
}

// dialer connects only to addresses the guard allows, checked on the
// address actually dialled, after the name was resolved: a name that
// resolves to a public address when the subscription is made and to an
// internal one later is refused then.
func (g Guard) dialer(tls bool) *net.Dialer {
	return &net.Dialer{
		Timeout:  dialTimeout,
		Resolver: g.Resolver,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("webhook: dial %s: %w", address, err)
			}
			return g.allowed(ap.Addr(), tls)
		},
	}
}

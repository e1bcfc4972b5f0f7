// Package mail sends e-mail through an SMTP server, with
// github.com/wneessen/go-mail: STARTTLS whenever the server offers it
// (smtp://), or TLS from the first byte (smtps://), and SMTP AUTH when the
// URL names a user.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Mailer sends messages from one address through one SMTP server. It is
// safe for concurrent use: each Send has a connection of its own.
type Mailer struct {
	host       string
	port       int
	implicit   bool // smtps://: TLS from the first byte
	user, pass string
	from       string
	tlsConfig  *tls.Config
	timeout    time.Duration
}

// Option configures a Mailer.
type Option func(*Mailer)

// WithTLSConfig sets the TLS configuration (tests trust their own
// certificate with it); by default the system's roots verify the server.
func WithTLSConfig(c *tls.Config) Option { return func(m *Mailer) { m.tlsConfig = c } }

// WithTimeout bounds each step of the conversation (30 s by default).
func WithTimeout(d time.Duration) Option { return func(m *Mailer) { m.timeout = d } }

// New returns a mailer for an SMTP URL — smtp://user:pass@host:port (port
// 587 by default; STARTTLS when offered) or smtps://…:465 — and the sender's
// address (a name may come with it: "Thi Đua <thidua@hanoi.gov.vn>").
func New(smtpURL, from string, opts ...Option) (*Mailer, error) {
	u, err := url.Parse(smtpURL)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("SMTP URL %q: want smtp://user:password@host:port or smtps://…", redact(smtpURL))
	}
	m := &Mailer{host: u.Hostname(), implicit: u.Scheme == "smtps", from: from, timeout: 30 * time.Second}
	m.port = 587
	if m.implicit {
		m.port = 465
	}
	if p := u.Port(); p != "" {
		if m.port, err = strconv.Atoi(p); err != nil || m.port < 1 || m.port > 65535 {
			return nil, fmt.Errorf("SMTP URL %q: bad port", redact(smtpURL))
		}
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("sender %q: %v", from, err)
	}
	for _, o := range opts {
		o(m)
	}
	return m, nil
}

// redact hides a URL's password.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Message is one e-mail: plain text with an HTML alternative.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// Unsubscribe is the address of the recipient's unsubscribe page, sent
	// as the List-Unsubscribe header; "" for none.
	Unsubscribe string
}

// ErrNotSent marks a message the server did not accept: it refused it or
// the connection ended before it said it took it. Sending it again later is
// safe but for one case SMTP cannot rule out: a server that took the
// message and vanished before its reply arrived.
var ErrNotSent = errors.New("not sent")

// Send delivers msg to the SMTP server: nil once the server has accepted
// it (it said 250 to the message's end), ErrNotSent wrapped in the
// server's or the connection's error otherwise. An error after the server
// accepted the message (at QUIT) is not a failure.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	gm := gomail.NewMsg()
	if err := gm.From(m.from); err != nil {
		return fmt.Errorf("%w: sender: %v", ErrNotSent, err)
	}
	if err := gm.To(msg.To); err != nil {
		return fmt.Errorf("%w: recipient %q: %v", ErrNotSent, msg.To, err)
	}
	gm.Subject(msg.Subject)
	gm.SetDate()
	gm.SetMessageID()
	gm.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		gm.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	if msg.Unsubscribe != "" {
		gm.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+msg.Unsubscribe+">")
	}
	opts := []gomail.Option{gomail.WithPort(m.port), gomail.WithTimeout(m.timeout)}
	if m.implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if m.tlsConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(m.tlsConfig))
	}
	if m.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.user), gomail.WithPassword(m.pass))
	}
	c, err := gomail.NewClient(m.host, opts...)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotSent, err)
	}
	err = c.DialAndSendWithContext(ctx, gm)
	if err != nil && !gm.IsDelivered() {
		return fmt.Errorf("%w: %v", ErrNotSent, err)
	}
	return nil
}

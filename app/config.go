package app

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/thidua/thidua/app/mail"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/webhook"
)

// Config is the service's configuration, read once from the environment.
type Config struct {
	Addr        string // THIDUA_ADDR: listen address
	DatabaseURL string // DATABASE_URL: postgres:// URL; empty for the embedded database
	DBFile      string // THIDUA_DB: the embedded database's file
	// DBConns (THIDUA_DB_CONNS) is how many PostgreSQL connections to open
	// at most; 0 for four a core, from 8 to 32.
	DBConns int
	// DemoDatabaseURL (THIDUA_DEMO_DATABASE_URL) is an empty PostgreSQL
	// database for `thidua demo` to load (benchmarks); "" for the embedded one.
	DemoDatabaseURL string
	AdminPassword   string        // THIDUA_ADMIN_PASSWORD: creates user "admin" on start if absent
	Scheduler       bool          // THIDUA_SCHEDULER: on/off, cron jobs
	TokenTTL        time.Duration // THIDUA_TOKEN_TTL: how long a session lasts
	BodyLimit       int           // THIDUA_BODY_LIMIT: largest request body in bytes
	Argon2Memory    uint32        // THIDUA_ARGON2_MEMORY_KIB: memory per password hash
	LogLevel        string        // THIDUA_LOG_LEVEL: debug, info, warn, error
	KeepRuns        int           // THIDUA_KEEP_RUNS: newest runs per period that keep their snapshot; 0 keeps all
	PublicURL       string        // THIDUA_PUBLIC_URL: the site's address in links printed or fed elsewhere; "" for the request's
	// Files (THIDUA_FILES) is where evidence files are kept: a directory,
	// or an s3:// URL; "" for the directory "files" beside the embedded
	// database's file.
	Files string
	// FileLimit (THIDUA_FILE_LIMIT) is the largest evidence file, in bytes.
	FileLimit int64
	// TrustedProxies (THIDUA_TRUSTED_PROXIES, comma-separated IPs or CIDRs)
	// are the only peers whose X-Forwarded-For/-Host/-Proto are believed.
	TrustedProxies []string
	// WebhookAllowPrivate (THIDUA_WEBHOOK_ALLOW_PRIVATE=1) lets webhooks go
	// to loopback, link-local and private addresses, and over plain http to
	// loopback: for tests, or a receiver inside the operator's own network.
	WebhookAllowPrivate bool

	// SMTPURL (THIDUA_SMTP_URL) is the SMTP server reminders go through,
	// smtp://user:password@host:port (STARTTLS when offered) or smtps://;
	// "" sends no e-mail.
	SMTPURL string
	// MailFrom (THIDUA_MAIL_FROM) is the reminders' sender address.
	MailFrom string
	// MailHour (THIDUA_MAIL_HOUR) is the hour of the day, in Vietnam, from
	// which the day's digests are sent.
	MailHour int
	// RemindDays (THIDUA_REMIND_DAYS) is how many days before its deadline
	// a report is announced as due.
	RemindDays int

	// OIDCIssuer (THIDUA_OIDC_ISSUER) is the city's OpenID provider; ""
	// offers no single sign-on. OIDCClientID and OIDCClientSecret
	// (THIDUA_OIDC_CLIENT_ID, THIDUA_OIDC_CLIENT_SECRET) are this site's
	// registration there.
	OIDCIssuer, OIDCClientID, OIDCClientSecret string
	// LocalLogin (THIDUA_LOCAL_LOGIN, on by default) lets people sign in
	// with a username and password; off, only single sign-on.
	LocalLogin bool

	pollRuns time.Duration // how often leaderboards ask for other replicas' runs; 0 for the default (tests shorten it)
}

// LoadConfig reads the configuration from getenv, with defaults, and
// checks it.
func LoadConfig(getenv func(string) string) (Config, error) {
	env := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:            env("THIDUA_ADDR", "127.0.0.1:8080"),
		DatabaseURL:     env("DATABASE_URL", ""),
		DBFile:          env("THIDUA_DB", "thidua.db"),
		DemoDatabaseURL: getenv("THIDUA_DEMO_DATABASE_URL"),
		AdminPassword:   getenv("THIDUA_ADMIN_PASSWORD"),
		LogLevel:        env("THIDUA_LOG_LEVEL", "info"),
	}
	var problems []string
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		problems = append(problems, fmt.Sprintf("THIDUA_ADDR %q: %v", c.Addr, err))
	}
	for _, u := range [][2]string{{"DATABASE_URL", c.DatabaseURL}, {"THIDUA_DEMO_DATABASE_URL", c.DemoDatabaseURL}} {
		if u[1] != "" && !strings.HasPrefix(u[1], "postgres://") && !strings.HasPrefix(u[1], "postgresql://") {
			problems = append(problems, u[0]+" must be a postgres:// URL")
		}
	}
	switch v := env("THIDUA_SCHEDULER", "on"); v {
	case "on", "true", "1":
		c.Scheduler = true
	case "off", "false", "0":
	default:
		problems = append(problems, fmt.Sprintf("THIDUA_SCHEDULER %q: want on or off", v))
	}
	var err error
	if c.TokenTTL, err = time.ParseDuration(env("THIDUA_TOKEN_TTL", "168h")); err != nil || c.TokenTTL <= 0 {
		problems = append(problems, fmt.Sprintf("THIDUA_TOKEN_TTL %q: want a positive duration such as 168h", getenv("THIDUA_TOKEN_TTL")))
	}
	if c.BodyLimit, err = strconv.Atoi(env("THIDUA_BODY_LIMIT", "4194304")); err != nil || c.BodyLimit < 1024 {
		problems = append(problems, "THIDUA_BODY_LIMIT: want a number of bytes ≥ 1024")
	}
	c.Files = strings.TrimSpace(getenv("THIDUA_FILES"))
	if strings.Contains(c.Files, "://") && !strings.HasPrefix(c.Files, "s3://") {
		problems = append(problems, fmt.Sprintf("THIDUA_FILES %q: want a directory or an s3://bucket?endpoint=…&region=… URL", c.Files))
	}
	if c.FileLimit, err = strconv.ParseInt(env("THIDUA_FILE_LIMIT", "10485760"), 10, 64); err != nil || c.FileLimit < 1024 || c.FileLimit > 1<<30 {
		problems = append(problems, "THIDUA_FILE_LIMIT: want a number of bytes from 1024 to 1073741824")
	}
	if c.DBConns, err = strconv.Atoi(env("THIDUA_DB_CONNS", "0")); err != nil || c.DBConns < 0 || c.DBConns > 1000 {
		problems = append(problems, fmt.Sprintf("THIDUA_DB_CONNS %q: want 0 (four a core, from 8 to 32) or a number of connections up to 1000", getenv("THIDUA_DB_CONNS")))
	}
	mem, err := strconv.ParseUint(env("THIDUA_ARGON2_MEMORY_KIB", "65536"), 10, 32)
	if err != nil || mem < 1024 {
		problems = append(problems, "THIDUA_ARGON2_MEMORY_KIB: want a number of KiB ≥ 1024")
	}
	c.Argon2Memory = uint32(mem)
	if c.KeepRuns, err = strconv.Atoi(env("THIDUA_KEEP_RUNS", "20")); err != nil || c.KeepRuns < 0 || c.KeepRuns > 0 && c.KeepRuns < store.MinKeepRuns {
		problems = append(problems, fmt.Sprintf("THIDUA_KEEP_RUNS %q: want 0 (keep every run) or a number ≥ %d", getenv("THIDUA_KEEP_RUNS"), store.MinKeepRuns))
	}
	c.PublicURL = strings.TrimSuffix(getenv("THIDUA_PUBLIC_URL"), "/")
	if u, err := url.Parse(c.PublicURL); c.PublicURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") ||
		u.Host == "" || u.RawQuery != "" || u.Fragment != "") {
		problems = append(problems, fmt.Sprintf("THIDUA_PUBLIC_URL %q: want the site's address, such as https://thidua.hanoi.gov.vn", c.PublicURL))
	}
	for _, p := range strings.Split(getenv("THIDUA_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			problems = append(problems, fmt.Sprintf("THIDUA_TRUSTED_PROXIES: %q is neither an IP address nor a CIDR", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	switch v := env("THIDUA_WEBHOOK_ALLOW_PRIVATE", "0"); v {
	case "1", "on", "true":
		c.WebhookAllowPrivate = true
	case "0", "off", "false":
	default:
		problems = append(problems, fmt.Sprintf("THIDUA_WEBHOOK_ALLOW_PRIVATE %q: want 1 or 0", v))
	}
	c.SMTPURL, c.MailFrom = strings.TrimSpace(getenv("THIDUA_SMTP_URL")), strings.TrimSpace(getenv("THIDUA_MAIL_FROM"))
	if c.SMTPURL != "" {
		if _, err := mail.New(c.SMTPURL, c.MailFrom); err != nil {
			problems = append(problems, "THIDUA_SMTP_URL/THIDUA_MAIL_FROM: "+err.Error())
		}
		if c.PublicURL == "" {
			problems = append(problems, "THIDUA_PUBLIC_URL is needed with THIDUA_SMTP_URL: the reminders' links start with it")
		}
	}
	if c.MailHour, err = strconv.Atoi(env("THIDUA_MAIL_HOUR", "7")); err != nil || c.MailHour < 0 || c.MailHour > 23 {
		problems = append(problems, "THIDUA_MAIL_HOUR: want an hour from 0 to 23")
	}
	if c.RemindDays, err = strconv.Atoi(env("THIDUA_REMIND_DAYS", "3")); err != nil || c.RemindDays < 0 || c.RemindDays > 60 {
		problems = append(problems, "THIDUA_REMIND_DAYS: want a number of days from 0 to 60")
	}
	c.OIDCIssuer = strings.TrimSuffix(strings.TrimSpace(getenv("THIDUA_OIDC_ISSUER")), "/")
	c.OIDCClientID, c.OIDCClientSecret = strings.TrimSpace(getenv("THIDUA_OIDC_CLIENT_ID")), getenv("THIDUA_OIDC_CLIENT_SECRET")
	if c.OIDCIssuer != "" {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			problems = append(problems, fmt.Sprintf("THIDUA_OIDC_ISSUER %q: want the provider's https:// address", c.OIDCIssuer))
		}
		if c.OIDCClientID == "" {
			problems = append(problems, "THIDUA_OIDC_CLIENT_ID is needed with THIDUA_OIDC_ISSUER")
		}
	}
	switch v := env("THIDUA_LOCAL_LOGIN", "on"); v {
	case "on", "true", "1":
		c.LocalLogin = true
	case "off", "false", "0":
		if c.OIDCIssuer == "" {
			problems = append(problems, "THIDUA_LOCAL_LOGIN=off needs THIDUA_OIDC_ISSUER: nobody could sign in")
		}
	default:
		problems = append(problems, fmt.Sprintf("THIDUA_LOCAL_LOGIN %q: want on or off", v))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		problems = append(problems, fmt.Sprintf("THIDUA_LOG_LEVEL %q: want debug, info, warn or error", c.LogLevel))
	}
	if len(problems) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return c, nil
}

// filesAt is where evidence files are kept: THIDUA_FILES, or "files"
// beside the embedded database's file.
func (c Config) filesAt() string {
	if c.Files != "" {
		return c.Files
	}
	return filepath.Join(filepath.Dir(c.DBFile), "files")
}

// webhookGuard is where webhooks may go, by THIDUA_WEBHOOK_ALLOW_PRIVATE.
func (c Config) webhookGuard() webhook.Guard {
	return webhook.Guard{AllowPrivate: c.WebhookAllowPrivate}
}

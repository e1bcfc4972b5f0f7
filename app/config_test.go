package app

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadConfigDefaults(t *testing.T) {
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "127.0.0.1:8080", DBFile: "thidua.db", Scheduler: true, TokenTTL: 168 * time.Hour,
		BodyLimit: 4 << 20, Argon2Memory: 64 << 10, LogLevel: "info", KeepRuns: 20, FileLimit: 10 << 20,
		MailHour: 7, RemindDays: 3, LocalLogin: true}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("LoadConfig() = %+v, want %+v", cfg, want)
	}
}

func TestTrustedProxies(t *testing.T) {
	cfg, err := LoadConfig(func(k string) string {
		return map[string]string{"THIDUA_TRUSTED_PROXIES": " 10.0.0.0/8, 127.0.0.1 ,"}[k]
	})
	if err != nil || !reflect.DeepEqual(cfg.TrustedProxies, []string{"10.0.0.0/8", "127.0.0.1"}) {
		t.Errorf("THIDUA_TRUSTED_PROXIES: %v, %v; want the two entries", cfg.TrustedProxies, err)
	}
}

func TestLoadConfigNamesEveryBadValue(t *testing.T) {
	for _, tt := range []struct{ key, value string }{
		{"THIDUA_ADDR", "no-port"},
		{"DATABASE_URL", "mysql://x"},
		{"THIDUA_SCHEDULER", "sometimes"},
		{"THIDUA_TOKEN_TTL", "-1h"},
		{"THIDUA_BODY_LIMIT", "12"},
		{"THIDUA_ARGON2_MEMORY_KIB", "lots"},
		{"THIDUA_LOG_LEVEL", "loud"},
		{"THIDUA_KEEP_RUNS", "1"},
		{"THIDUA_KEEP_RUNS", "-3"},
		{"THIDUA_KEEP_RUNS", "all"},
		{"THIDUA_PUBLIC_URL", "thidua.hanoi.gov.vn"},
		{"THIDUA_PUBLIC_URL", "ftp://thidua.hanoi.gov.vn"},
		{"THIDUA_PUBLIC_URL", "https://thidua.hanoi.gov.vn/?x=1"},
		{"THIDUA_TRUSTED_PROXIES", "10.0.0.0/33"},
		{"THIDUA_TRUSTED_PROXIES", "proxy.local"},
		{"THIDUA_FILES", "ftp://files.local/evidence"},
		{"THIDUA_DB_CONNS", "-1"},
		{"THIDUA_DB_CONNS", "many"},
		{"THIDUA_FILE_LIMIT", "ten"},
		{"THIDUA_FILE_LIMIT", "100"},
		{"THIDUA_WEBHOOK_ALLOW_PRIVATE", "yes please"},
		{"THIDUA_SMTP_URL", "http://mail.hanoi.gov.vn"},
		{"THIDUA_SMTP_URL", "smtp://mail.hanoi.gov.vn:99999"},
		{"THIDUA_MAIL_HOUR", "24"},
		{"THIDUA_REMIND_DAYS", "-1"},
		{"THIDUA_OIDC_ISSUER", "sso.hanoi.gov.vn"},
		{"THIDUA_OIDC_ISSUER", "https://sso.hanoi.gov.vn"}, // without a client id
		{"THIDUA_LOCAL_LOGIN", "off"},                      // without single sign-on
		{"THIDUA_LOCAL_LOGIN", "maybe"},
	} {
		_, err := LoadConfig(func(k string) string {
			if k == tt.key {
				return tt.value
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), tt.key) {
			t.Errorf("%s=%s: error %v, want one naming %s", tt.key, tt.value, err, tt.key)
		}
	}
	for _, keep := range []string{"0", "2", "500"} {
		if _, err := LoadConfig(func(k string) string { return map[string]string{"THIDUA_KEEP_RUNS": keep}[k] }); err != nil {
			t.Errorf("THIDUA_KEEP_RUNS=%s: %v", keep, err)
		}
	}
}

func TestMailConfig(t *testing.T) {
	env := map[string]string{"THIDUA_SMTP_URL": "smtp://thidua:b%C3%AD-m%E1%BA%ADt@mail.hanoi.gov.vn:587",
		"THIDUA_MAIL_FROM": "Thi Đua <thidua@hanoi.gov.vn>", "THIDUA_PUBLIC_URL": "https://thidua.hanoi.gov.vn",
		"THIDUA_MAIL_HOUR": "6", "THIDUA_REMIND_DAYS": "5"}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil || cfg.SMTPURL != env["THIDUA_SMTP_URL"] || cfg.MailFrom != env["THIDUA_MAIL_FROM"] || cfg.MailHour != 6 || cfg.RemindDays != 5 {
		t.Fatalf("LoadConfig = %+v, %v", cfg, err)
	}
	for key, want := range map[string]string{"THIDUA_PUBLIC_URL": "THIDUA_PUBLIC_URL is needed", "THIDUA_MAIL_FROM": "THIDUA_MAIL_FROM"} {
		_, err := LoadConfig(func(k string) string {
			if k == key {
				return ""
			}
			return env[k]
		})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("without %s: %v, want an error naming it", key, err)
		}
	}
	// The password never shows in an error.
	env["THIDUA_SMTP_URL"] = "ftp://thidua:secret@mail.hanoi.gov.vn"
	if _, err := LoadConfig(func(k string) string { return env[k] }); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("a bad SMTP URL: %v; want an error without the password", err)
	}
}

package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/app/mail"
	"github.com/thidua/thidua/app/mail/mailtest"
)

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		url, from string
		ok        bool
	}{
		{"smtp://u:p@mail.hanoi.gov.vn:587", "thidua@hanoi.gov.vn", true},
		{"smtp://mail.hanoi.gov.vn", "Thi Đua <thidua@hanoi.gov.vn>", true},
		{"smtps://u:p@mail.hanoi.gov.vn", "thidua@hanoi.gov.vn", true},
		{"http://mail.hanoi.gov.vn", "thidua@hanoi.gov.vn", false},
		{"smtp://mail.hanoi.gov.vn:0", "thidua@hanoi.gov.vn", false},
		{"smtp:///nohost", "thidua@hanoi.gov.vn", false},
		{"smtp://mail.hanoi.gov.vn", "", false},
		{"smtp://mail.hanoi.gov.vn", "not an address", false},
	} {
		_, err := mail.New(tc.url, tc.from)
		if (err == nil) != tc.ok {
			t.Errorf("New(%q, %q) = %v, want ok %v", tc.url, tc.from, err, tc.ok)
		}
		if err != nil && strings.Contains(err.Error(), ":p@") {
			t.Errorf("New(%q): the error shows the password: %v", tc.url, err)
		}
	}
}

func message() mail.Message {
	return mail.Message{To: "lan@dinhcong.vn", Subject: "Nhắc việc", Text: "Báo cáo Tháng 11/2026", HTML: "<p>Báo cáo</p>",
		Unsubscribe: "https://thidua.hanoi.gov.vn/unsubscribe/1.x"}
}

// TestSendOverSTARTTLS: a message goes over STARTTLS, authenticated, and
// arrives whole.
func TestSendOverSTARTTLS(t *testing.T) {
	srv := mailtest.Start(t)
	m, err := mail.New(srv.URL(), "Thi Đua <thidua@hanoi.gov.vn>", mail.WithTLSConfig(srv.ClientTLS), mail.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || !got[0].TLS || got[0].To[0] != "lan@dinhcong.vn" || got[0].From != "thidua@hanoi.gov.vn" {
		t.Fatalf("received %+v", got)
	}
	if h := got[0].Header(); h.Get("List-Unsubscribe") != "<https://thidua.hanoi.gov.vn/unsubscribe/1.x>" || h.Get("Message-Id") == "" {
		t.Errorf("header %v", h)
	}
}

// TestNoPasswordInTheClear: a server that offers no STARTTLS gets no
// password, and the message is reported not sent.
func TestNoPasswordInTheClear(t *testing.T) {
	srv := mailtest.StartPlaintext(t)
	m, err := mail.New(srv.URL(), "thidua@hanoi.gov.vn", mail.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), message()); !errors.Is(err, mail.ErrNotSent) {
		t.Errorf("Send to a server without TLS = %v, want ErrNotSent", err)
	}
	if srv.Auths() != 0 || len(srv.Messages()) != 0 {
		t.Errorf("the server saw %d AUTH exchanges and %d messages, want none", srv.Auths(), len(srv.Messages()))
	}
}

package remind

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// UnsubscribeKey names the site key that signs unsubscribe links.
const UnsubscribeKey = "unsubscribe"

// UnsubscribeToken is the part of a person's unsubscribe link that says
// who it is for, signed with key so that no one can make another's.
func UnsubscribeToken(key []byte, userID int64) string {
	id := strconv.FormatInt(userID, 10)
	return id + "." + sign(key, id)
}

// ParseUnsubscribeToken returns the user id of a token made with key;
// false for any other text.
func ParseUnsubscribeToken(key []byte, token string) (int64, bool) {
	id, sig, ok := strings.Cut(token, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(sign(key, id))) {
		return 0, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

func sign(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("thidua unsubscribe v1\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

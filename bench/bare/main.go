// Command bare serves fixed bytes from a bare Fiber handler: the ceiling the
// leaderboard load test compares the cached leaderboard endpoint with.
//
//	go run ./bench/bare -addr 127.0.0.1:18090 -file body.json [-headers headers.txt]
//
// With -headers (a response's header as curl -D writes it) it answers with
// those headers too, but for the ones Fiber sets itself (Date,
// Content-Length): the same response, byte for byte but the date.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"log"
	"net/textproto"
	"os"
	"strings"

	"github.com/gofiber/fiber/v2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "listen address")
	file := flag.String("file", "", "the bytes to serve (default: a short JSON)")
	headerFile := flag.String("headers", "", "the headers to answer with, as curl -D writes them (default: the content type)")
	flag.Parse()
	body := []byte(`{"ok":true}`)
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			log.Fatal(err)
		}
		body = b
	}
	headers := [][2][]byte{{[]byte(fiber.HeaderContentType), []byte(fiber.MIMEApplicationJSONCharsetUTF8)}}
	if *headerFile != "" {
		b, err := os.ReadFile(*headerFile)
		if err != nil {
			log.Fatal(err)
		}
		if headers, err = readHeaders(b); err != nil {
			log.Fatal(err)
		}
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/*", func(c *fiber.Ctx) error {
		for _, h := range headers {
			c.Response().Header.SetCanonical(h[0], h[1])
		}
		c.Response().SetBodyRaw(body)
		return nil
	})
	log.Fatal(app.Listen(*addr))
}

// readHeaders reads a response's header as curl -D writes it, its keys
// made canonical, leaving out the status line and what Fiber sets itself.
func readHeaders(b []byte) ([][2][]byte, error) {
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(b)))
	if _, err := r.ReadLine(); err != nil { // HTTP/1.1 200 OK
		return nil, err
	}
	var headers [][2][]byte
	for {
		line, err := r.ReadLine()
		if err != nil || line == "" {
			return headers, nil
		}
		k, v, ok := strings.Cut(line, ":")
		k = textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k))
		if !ok || k == fiber.HeaderDate || k == fiber.HeaderContentLength {
			continue
		}
		headers = append(headers, [2][]byte{[]byte(k), []byte(strings.TrimSpace(v))})
	}
}

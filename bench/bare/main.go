// Command bare serves fixed bytes from a bare Fiber handler: the ceiling the
// leaderboard load test compares the cached leaderboard endpoint with.
//
//	go run ./bench/bare -addr 127.0.0.1:18090 -file body.json
package main

import (
	"flag"
	"log"
	"os"

	"github.com/gofiber/fiber/v2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "listen address")
	file := flag.String("file", "", "the bytes to serve (default: a short JSON)")
	flag.Parse()
	body := []byte(`{"ok":true}`)
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			log.Fatal(err)
		}
		body = b
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/*", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(body)
	})
	log.Fatal(app.Listen(*addr))
}

// Command thidua serves the Thi Đua platform. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/thidua/thidua/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args, os.Getenv, os.Stdout)
	stop()
	os.Exit(code)
}

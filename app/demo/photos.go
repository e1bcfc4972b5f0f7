package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math/rand/v2"
)

// Photo draws a small photograph of a ward's event for the demo's
// evidence, the same for the same seed: a red banner over a hall, rows of
// people, a screen. Nothing is downloaded.
func Photo(seed uint64) []byte {
	const w, h = 640, 480
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	wall := color.RGBA{uint8(215 + r.IntN(30)), uint8(200 + r.IntN(30)), uint8(170 + r.IntN(40)), 255}
	fill(img, image.Rect(0, 0, w, h), wall)
	fill(img, image.Rect(0, 300, w, h), color.RGBA{150, 110, 80, 255})    // the floor
	fill(img, image.Rect(60, 30, w-60, 90), color.RGBA{200, 24, 30, 255}) // the banner
	for x := 80; x < w-80; x += 18 {                                      // its letters, as strokes
		fill(img, image.Rect(x, 50, x+10+r.IntN(4), 70), color.RGBA{250, 220, 60, 255})
	}
	fill(img, image.Rect(220, 110, 420, 230), color.RGBA{40, 60, 90, 255}) // the screen
	fill(img, image.Rect(228, 118, 412, 222), color.RGBA{90, 150, 220, 255})
	for row := range 3 {
		y := 290 + row*60
		for x := 30 + r.IntN(20); x < w-30; x += 50 + r.IntN(20) {
			shirt := color.RGBA{uint8(r.IntN(200)), uint8(r.IntN(200)), uint8(r.IntN(200)), 255}
			fill(img, image.Rect(x-16, y, x+16, y+50), shirt)
			disc(img, x, y-14, 13, color.RGBA{60 + uint8(r.IntN(30)), 40, 30, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		panic(err) // encoding an RGBA image into memory does not fail
	}
	return buf.Bytes()
}

func fill(img draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

func disc(img *image.RGBA, cx, cy, radius int, c color.RGBA) {
	for y := -radius; y <= radius; y++ {
		for x := -radius; x <= radius; x++ {
			if x*x+y*y <= radius*radius {
				img.SetRGBA(cx+x, cy+y, c)
			}
		}
	}
}

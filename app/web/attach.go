package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// evidenceField is the evidence part of a form: the files attached (each a
// ticked box: untick to remove it) and two ways to add more, the phone's
// camera and its files. Its inputs: evidence_files (the ids kept) and
// evidence_upload (the files picked).
type evidenceField struct {
	Files []store.File
	Limit string // the largest file, for the help text ("10 MB")
	Error *fieldError
}

// evidenceOf is the evidence field of a form showing files attached.
func (h *pages) evidenceOf(files []store.File) evidenceField {
	return evidenceField{Files: files, Limit: megabytes(h.Platform.FileLimit())}
}

func megabytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// maxFormUploads is how many files one form sends at once.
const maxFormUploads = 10

// readEvidence reads a form's evidence: the ids kept ticked, then each file
// picked, uploaded now. A file refused is the form's problem with
// evidence_files, naming it; those uploaded meanwhile are kept, ticked, for
// the form's next try. It returns the ids to attach, and the field to show
// again if the form is refused.
func (h *pages) readEvidence(c *fiber.Ctx, ck *check) ([]string, evidenceField, error) {
	ctx := c.UserContext()
	field := h.evidenceOf(nil)
	ids := []string{}
	a := actorOf(c)
	form, _ := c.MultipartForm() // nil: a form without files
	var kept []string
	if form != nil {
		kept = form.Value["evidence_files"]
	} else {
		for _, id := range c.Request().PostArgs().PeekMulti("evidence_files") {
			kept = append(kept, string(id))
		}
	}
	for _, id := range kept {
		f, err := h.DB.FileByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) || err == nil && !policy.SeeFile(a, f.UploadedBy, f.Attached) {
			continue // gone meanwhile, or never the visitor's: dropped
		}
		if err != nil {
			return nil, field, err
		}
		ids, field.Files = append(ids, f.ID), append(field.Files, *f)
	}
	if form == nil {
		return ids, field, nil
	}
	picked := 0
	for _, fh := range form.File["evidence_upload"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue // an input left empty
		}
		if picked++; picked > maxFormUploads {
			ck.say("evidence_files", fmt.Sprintf(text(ck.lang, "evidence.too_many"), maxFormUploads))
			break
		}
		f, err := h.upload(c, fh)
		if f != nil {
			ids, field.Files = append(ids, f.ID), append(field.Files, *f)
			continue
		}
		before := len(ck.errors)
		if err := ck.refused(err, map[string]string{"file": "evidence_files"}); err != nil {
			return nil, field, err
		}
		for i := before; i < len(ck.errors); i++ {
			ck.errors[i].Message = fh.Filename + ": " + ck.errors[i].Message
		}
	}
	return ids, field, nil
}

// upload keeps one file of a form.
func (h *pages) upload(c *fiber.Ctx, fh *multipart.FileHeader) (*store.File, error) {
	if fh.Size > h.Platform.FileLimit() {
		return nil, h.Platform.TooLarge()
	}
	r, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, h.Platform.FileLimit()+1))
	if err != nil {
		return nil, err
	}
	return h.Platform.UploadFile(c.UserContext(), fh.Filename, data)
}

// shown is the evidence field after a form was refused: its problem.
func (f evidenceField) shown(errs formErrors) evidenceField {
	f.Error = errs.For("evidence_files")
	return f
}

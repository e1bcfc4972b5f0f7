package demo

import (
	"context"
	"fmt"

	"github.com/thidua/thidua/app/store"
)

// Honours by the organisers' decision: the demo's Standing Committee
// commends a few verified projects as models, so the gallery has honoured
// projects to show first. Honours by rule come from closing quarters.

// decision is an honour by decision naming a project (an index in
// Dataset.Projects).
type decision struct {
	Project  int
	Title    string
	Period   string // the quarter of the project's verification
	Citation string
}

// decisionTitles are the honours granted, one to each of the first
// verified projects.
var decisionTitles = []string{"Mô hình tiêu biểu", "Cách làm sáng tạo", "Điển hình chuyển đổi số cơ sở"}

// decisions picks the first verified projects of the dataset, in order,
// one for each title.
func decisions(ds *Dataset) []decision {
	var out []decision
	for i, p := range ds.Projects {
		if len(out) == len(decisionTitles) {
			break
		}
		if p.Status != StatusVerified || len(p.History) == 0 {
			continue
		}
		at := p.History[len(p.History)-1].At
		out = append(out, decision{Project: i, Title: decisionTitles[len(out)],
			Period:   fmt.Sprintf("%d-Q%d", at.Year(), (int(at.Month())+2)/3),
			Citation: fmt.Sprintf("Đã có thành tích xuất sắc với công trình «%s».", p.Title)})
	}
	return out
}

// grantDecisions records the honours by decision through the store, as
// the organisers' screen does; ids are the projects' ids in dataset order.
func grantDecisions(ctx context.Context, db *store.DB, ds *Dataset, ids []int64) error {
	for _, d := range decisions(ds) {
		p := ds.Projects[d.Project]
		if _, err := db.GrantHonour(ctx, ds.Campaign.Slug, store.NewHonour{Unit: p.Unit, Title: d.Title, Period: d.Period,
			Citation: d.Citation, Scope: "decision", Project: &ids[d.Project]}); err != nil {
			return fmt.Errorf("honour %q: %w", d.Title, err)
		}
	}
	return nil
}

package demo

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// plan is a project as planned for the whole campaign, before it is cut at
// the dataset's now.
type plan struct {
	serial    int // planning order; stable whatever now is
	unit      string
	title     string
	summary   string
	category  string
	created   time.Time
	startsOn  time.Time
	endsOn    time.Time
	history   []StatusChange
	reason    string
	progress  []Progress
	source    *plan // the project it replicates, or nil
	completed time.Time
	tmpl      template
}

// planProjects plans every project of the campaign: each unit's own
// projects, then replications of a few model projects.
func (g *gen) planProjects(infos []unitInfo, dil []float64) []*plan {
	ts := templates()
	var plans []*plan
	for i, u := range infos {
		d := dil[i]
		n := 1
		switch {
		case u.unit.Level == LevelCity:
			n = 2
		case u.unit.Kind == KindDigitalTeam:
			n = 1
		case !u.showcase && d < noProjectShare:
			n = 0
		case u.unit.Kind == KindFront:
			n = 1 + b2i(d > 0.7) + b2i(d > 0.95)
		default:
			n = 1 + b2i(d > 0.93)
		}
		var fit []template
		for _, t := range ts {
			if t.fits(u) {
				fit = append(fit, t)
			}
		}
		order := g.r.Perm(len(fit))
		created := g.office(addDays(g.start, 2+g.r.IntN(45)+int((1-d)*150)))
		latest := addDays(g.start, 560)
		for k := 0; k < n && k < len(fit) && !created.After(latest); k++ {
			t := fit[order[k]]
			p := &plan{serial: len(plans), unit: u.unit.Code, title: t.titleFor(u),
				summary: t.summaryFor(u), category: t.category, created: created, tmpl: t}
			g.lifecycle(p, d, u, t)
			plans = append(plans, p)
			created = g.office(addDays(created, 45+g.r.IntN(240)))
		}
	}
	plans = append(plans, g.adoptions(plans, infos, dil)...)
	slices.SortStableFunc(plans, func(a, b *plan) int {
		return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.serial, b.serial))
	})
	return plans
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lifecycle plans the project's dates, status history and progress notes.
// Most projects are verified in the end; some are rejected, some never
// start, some stall in progress, and some wait for verification.
func (g *gen) lifecycle(p *plan, d float64, u unitInfo, t template) {
	p.startsOn = addDays(dateOf(p.created), g.r.IntN(15))
	p.endsOn = p.startsOn.AddDate(0, 2+g.r.IntN(7), 0)
	if p.endsOn.After(g.end) {
		p.endsOn = g.end
	}
	p.history = []StatusChange{{StatusRegistered, p.created}}
	switch x := g.r.Float64(); {
	case x < 0.04:
		p.history = append(p.history, StatusChange{StatusRejected, g.office(addDays(p.created, 2+g.r.IntN(18)))})
		reasons := rejectReasons()
		p.reason = reasons[g.r.IntN(len(reasons))]
		return
	case x < 0.07:
		return // registered, never started
	}
	begin := addDays(dateOf(p.created), 1)
	if p.startsOn.After(begin) {
		begin = p.startsOn
	}
	started := g.office(begin)
	p.history = append(p.history, StatusChange{StatusInProgress, started})
	stop := addDays(p.endsOn, 60) // a stalled project keeps reporting a while
	stalled := g.r.Float64() < 0.08+0.12*(1-d)
	if !stalled {
		done := addDays(p.endsOn, -g.r.IntN(10))
		if min := addDays(dateOf(started), 7); done.Before(min) {
			done = min
		}
		if !done.After(g.end) {
			p.completed = g.office(done)
			p.history = append(p.history, StatusChange{StatusCompleted, p.completed})
			stop = done
			if g.r.Float64() < 0.75 {
				if v := addDays(done, 5+g.r.IntN(35)); !v.After(g.end) {
					p.history = append(p.history, StatusChange{StatusVerified, g.office(v)})
				}
			}
		}
	}
	if stop.After(g.end) {
		stop = g.end
	}
	g.progress(p, u, t, dateOf(started), stop, stalled)
}

// progress plans one to four cumulative progress notes on days strictly
// between from and to.
func (g *gen) progress(p *plan, u unitInfo, t template, from, to time.Time, stalled bool) {
	span := int(to.Sub(from).Hours() / 24)
	n := 1 + g.r.IntN(4)
	specs := figures()
	finals := make([]int, len(t.figures))
	for i, key := range t.figures {
		f := specs[key]
		v := float64(f.lo + g.r.IntN(f.hi-f.lo+1))
		switch {
		case u.unit.Level == LevelCity:
			v *= 5
		case u.unit.Kind == KindDigitalTeam:
			v *= 0.3
		}
		if stalled {
			v *= 0.4
		}
		finals[i] = max(1, int(v))
	}
	openers := noteOpeners(t.category)
	prevDay := 0
	prev := make([]int, len(finals))
	base := fmt.Sprintf("https://example.gov.vn/cong-dan-so/%s/du-an-%d/", strings.ToLower(p.unit), p.serial+1)
	for i := range n {
		k := max((i+1)*span/(n+1), prevDay+1)
		if k >= span {
			break
		}
		prevDay = k
		figs := make(map[string]float64, len(finals))
		var parts []string
		for j, key := range t.figures {
			v := int(float64(finals[j]) * float64(i+1) / float64(n) * (0.9 + 0.1*g.r.Float64()))
			v = max(v, prev[j], 1)
			prev[j] = v
			figs[key] = float64(v)
			parts = append(parts, fmt.Sprintf(specs[key].phrase, v))
		}
		urls := []string{fmt.Sprintf("%sanh-%d.jpg", base, i+1)}
		if g.r.IntN(2) == 0 {
			urls = append(urls, fmt.Sprintf("%sbao-cao-%d.pdf", base, i+1))
		}
		p.progress = append(p.progress, Progress{
			Note:         openers[g.r.IntN(len(openers))] + ". Kết quả lũy kế: " + strings.Join(parts, "; ") + ".",
			EvidenceURLs: urls,
			Figures:      figs,
			At:           g.office(addDays(from, k)),
		})
	}
}

// Replication (nhân rộng): a few model projects completed early are each
// copied by about three other ward-level units.
const (
	modelProjects = 10
	adoptionsEach = 3
)

// adoptions plans the replications of model projects by other units.
func (g *gen) adoptions(plans []*plan, infos []unitInfo, dil []float64) []*plan {
	byCode := make(map[string]int, len(infos))
	for i, u := range infos {
		byCode[u.unit.Code] = i
	}
	cutoff := day(2025, time.November, 1)
	var models []*plan
	for _, p := range plans {
		u := infos[byCode[p.unit]]
		if u.unit.Level == LevelCommune && !p.completed.IsZero() && p.completed.Before(cutoff) {
			models = append(models, p)
		}
	}
	// Prefer the showcase units' projects, then a random few.
	g.r.Shuffle(len(models), func(i, j int) { models[i], models[j] = models[j], models[i] })
	slices.SortStableFunc(models, func(a, b *plan) int {
		return cmp.Compare(b2i(!infos[byCode[a.unit]].showcase), b2i(!infos[byCode[b.unit]].showcase))
	})

	var out []*plan
	used := make(map[string]bool) // unit codes that already adopted a model
	chosen := 0
	for _, src := range models {
		if chosen == modelProjects {
			break
		}
		t := src.tmpl
		var cands []int
		for i, u := range infos {
			if u.unit.Level == LevelCommune && u.unit.Code != src.unit && !used[u.unit.Code] &&
				!strings.HasPrefix(u.unit.Code, src.unit+"-") && !strings.HasPrefix(src.unit, u.unit.Code+"-") &&
				dil[i] >= noProjectShare && t.fits(u) {
				cands = append(cands, i)
			}
		}
		if len(cands) < adoptionsEach {
			continue
		}
		chosen++
		srcOrg := infos[byCode[src.unit]].org
		for range adoptionsEach {
			k := g.r.IntN(len(cands))
			i := cands[k]
			cands = slices.Delete(cands, k, k+1)
			u := infos[i]
			used[u.unit.Code] = true
			where := u.place
			if t.byOrg {
				where = u.org
			}
			p := &plan{
				serial:   len(plans) + len(out),
				unit:     u.unit.Code,
				title:    "Nhân rộng mô hình “" + t.model + "” tại " + where,
				summary:  "Học tập, nhân rộng mô hình “" + t.model + "” của " + srcOrg + ", vận dụng phù hợp với điều kiện thực tế của " + where + ".",
				category: src.category,
				created:  g.office(addDays(src.completed, 7+g.r.IntN(100))),
				source:   src,
				tmpl:     t,
			}
			g.lifecycle(p, dil[i], u, t)
			out = append(out, p)
		}
	}
	return out
}

// cutProjects keeps what has happened by now, in order of creation.
func cutProjects(plans []*plan, now time.Time) []Project {
	index := make(map[int]int, len(plans))
	var out []Project
	for _, p := range plans {
		if p.created.After(now) {
			continue
		}
		pr := Project{
			Unit: p.unit, Title: p.title, Summary: p.summary, Category: p.category,
			StartsOn: p.startsOn, EndsOn: p.endsOn, CreatedAt: p.created, AdoptedFrom: -1,
		}
		for _, h := range p.history {
			if !h.At.After(now) {
				pr.History = append(pr.History, h)
			}
		}
		pr.Status = pr.History[len(pr.History)-1].Status
		if pr.Status == StatusRejected {
			pr.RejectReason = p.reason
		}
		for _, pg := range p.progress {
			if !pg.At.After(now) {
				pr.Progress = append(pr.Progress, pg)
			}
		}
		if p.source != nil {
			pr.AdoptedFrom = index[p.source.serial]
		}
		index[p.serial] = len(out)
		out = append(out, pr)
	}
	return out
}

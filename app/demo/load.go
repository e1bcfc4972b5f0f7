package demo

import (
	"context"
	"fmt"

	"github.com/thidua/thidua/app/store"
)

// Load writes the dataset into an empty, migrated database. hash turns each
// demo password into the stored hash.
func Load(ctx context.Context, db *store.DB, ds *Dataset, hash func(context.Context, string) (string, error)) error {
	clusters := make([]store.Cluster, len(ds.Clusters))
	for i, c := range ds.Clusters {
		clusters[i] = store.Cluster{Code: c.Code, Name: c.Name}
	}
	if err := db.SaveClusters(ctx, clusters); err != nil {
		return fmt.Errorf("clusters: %w", err)
	}
	units := make([]store.NewUnit, len(ds.Units))
	lines := make([]int, len(ds.Units))
	for i, u := range ds.Units {
		units[i] = store.NewUnit{Code: u.Code, Name: u.Name, Level: u.Level, Kind: u.Kind, Parent: u.Parent, Clusters: u.Clusters}
		lines[i] = i + 1
	}
	if _, err := db.ImportUnits(ctx, units, lines); err != nil {
		return fmt.Errorf("units: %w", err)
	}
	users := make([]store.NewUser, len(ds.Users))
	for i, u := range ds.Users {
		h, err := hash(ctx, u.Password)
		if err != nil {
			return err
		}
		users[i] = store.NewUser{Username: u.Username, PasswordHash: h, Role: u.Role, Unit: u.Unit, Scope: u.Scope, Email: u.Email}
	}
	if err := db.SeedUsers(ctx, users); err != nil {
		return fmt.Errorf("users: %w", err)
	}
	c := ds.Campaign
	if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: c.Slug, Name: c.Name, Organiser: cityCode,
		StartsOn: store.DateOf(c.StartsOn), EndsOn: store.DateOf(c.EndsOn), AllUnits: true}); err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	for _, in := range ds.Indicators {
		if _, err := db.CreateIndicator(ctx, c.Slug, store.Indicator{Key: in.Key, Title: in.Title, Unit: in.Unit, Target: in.Target}); err != nil {
			return fmt.Errorf("indicator %s: %w", in.Key, err)
		}
	}
	covs := make([]store.SeedCovenant, len(ds.Covenants))
	for i, cv := range ds.Covenants {
		covs[i] = store.SeedCovenant{Unit: cv.Unit, SignedAt: cv.SignedAt, Targets: cv.Targets}
	}
	if err := db.SeedCovenants(ctx, c.Slug, covs); err != nil {
		return fmt.Errorf("covenants: %w", err)
	}
	ids, err := db.SeedProjects(ctx, c.Slug, seedProjects(ds.Projects))
	if err != nil {
		return fmt.Errorf("projects: %w", err)
	}
	if err := db.SeedJudging(ctx, c.Slug, seedCommittee(ds, ids)); err != nil {
		return fmt.Errorf("judging: %w", err)
	}
	if err := grantDecisions(ctx, db, ds, ids); err != nil {
		return err
	}
	reports, err := seedReports(ds.Reports)
	if err != nil {
		return err
	}
	if err := db.SeedReports(ctx, c.Slug, reports); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	return loadWard(ctx, db, ds.Ward)
}

// loadWard writes the ward's own campaign, organised by the ward for the
// units below it.
func loadWard(ctx context.Context, db *store.DB, w WardCampaign) error {
	if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: w.Slug, Name: w.Name, StartsOn: store.DateOf(w.StartsOn),
		EndsOn: store.DateOf(w.EndsOn), Organiser: w.Organiser, SignerTitle: w.SignerTitle, Units: w.Units}); err != nil {
		return fmt.Errorf("ward campaign: %w", err)
	}
	for _, in := range w.Indicators {
		if _, err := db.CreateIndicator(ctx, w.Slug, store.Indicator{Key: in.Key, Title: in.Title, Unit: in.Unit, Target: in.Target}); err != nil {
			return fmt.Errorf("ward indicator %s: %w", in.Key, err)
		}
	}
	if _, err := db.SeedProjects(ctx, w.Slug, seedProjects(w.Projects)); err != nil {
		return fmt.Errorf("ward projects: %w", err)
	}
	reports, err := seedReports(w.Reports)
	if err != nil {
		return err
	}
	if err := db.SeedReports(ctx, w.Slug, reports); err != nil {
		return fmt.Errorf("ward reports: %w", err)
	}
	return nil
}

// seedReports turns monthly reports into the store's.
func seedReports(in []Report) ([]store.SeedReport, error) {
	out := make([]store.SeedReport, len(in))
	for i, r := range in {
		start, err := store.ParseDate(r.Period + "-01")
		if err != nil {
			return nil, fmt.Errorf("report period %q: %w", r.Period, err)
		}
		out[i] = store.SeedReport{Unit: r.Unit, SubmittedAt: r.SubmittedAt, Values: r.Values, Status: r.Status, Reason: r.Reason,
			DecidedAt: r.DecidedAt, Period: store.ReportPeriod{Key: r.Period, Start: start, End: store.Date{Time: start.AddDate(0, 1, 0)}}}
	}
	return out, nil
}

func seedProjects(in []Project) []store.SeedProject {
	out := make([]store.SeedProject, len(in))
	for i, p := range in {
		sp := store.SeedProject{Unit: p.Unit, Title: p.Title, Summary: p.Summary, Category: p.Category,
			Status: p.Status, RejectReason: p.RejectReason, StartsOn: store.DateOf(p.StartsOn),
			EndsOn: store.DateOf(p.EndsOn), CreatedAt: p.CreatedAt, AdoptedFrom: p.AdoptedFrom}
		for _, h := range p.History {
			sp.History = append(sp.History, store.StatusChange{Status: h.Status, At: h.At, Actor: "demo"})
		}
		for _, n := range p.Progress {
			sp.Progress = append(sp.Progress, store.ProgressNote{Note: n.Note, EvidenceURLs: store.JSONOf(n.EvidenceURLs),
				Figures: store.JSONOf(n.Figures), Author: "demo", CreatedAt: n.At})
		}
		out[i] = sp
	}
	return out
}

// seedCommittee turns the committee's project indices into the ids the
// projects were given.
func seedCommittee(ds *Dataset, ids []int64) store.SeedCommittee {
	c := store.SeedCommittee{Judges: ds.Judges, AddedAt: ds.Campaign.StartsOn,
		Assignments: make([]store.SeedAssignment, len(ds.Assignments)), Scores: make([]store.SeedScore, len(ds.Scores))}
	for i, a := range ds.Assignments {
		c.Assignments[i] = store.SeedAssignment{Project: ids[a.Project], Judge: a.Judge, At: a.At}
	}
	for i, s := range ds.Scores {
		c.Scores[i] = store.SeedScore{Project: ids[s.Project], Judge: s.Judge, Criteria: s.Criteria, Comment: s.Comment, At: s.At}
	}
	return c
}

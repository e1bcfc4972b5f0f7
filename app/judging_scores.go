package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
)

// handleScorePut records or revises the signed-in judge's score of a
// project, checked against the rubric of the campaign's current ruleset.
func handleScorePut(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var in platform.ScoreInput
		if err := decode(c, &in); err != nil {
			return err
		}
		sc, err := s.svc.Score(c.UserContext(), id, in)
		if err != nil {
			return err
		}
		return c.JSON(sc)
	}
}

// handleScoreList shows a project's scores: to the campaign's organisers
// always, to a judge once they have scored it and never when conflicted.
func handleScoreList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		scores, err := s.svc.ProjectScores(c.UserContext(), id)
		if err != nil {
			return err
		}
		return c.JSON(listOf(scores, ""))
	}
}

// handleRecusal records the signed-in judge's conflict of interest.
func handleRecusal(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var in platform.Recusal
		if err := decode(c, &in); err != nil {
			return err
		}
		r, err := s.svc.Recuse(c.UserContext(), id, in)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(r)
	}
}

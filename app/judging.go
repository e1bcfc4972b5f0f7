package app

// judgingRoutes are the judging committee's endpoints.
func (s *Server) judgingRoutes() []route {
	return nil
}

package app

import (
	"maps"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/thidua/thidua/app/store"
)

// metrics are the service's Prometheus metrics, in a registry of its own.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	// byRoute holds each route's series once they are made, so that a
	// request finds its own without the labels checked and hashed again.
	// Every request reads it, without a lock: a new series is added to a
	// copy (routes and statuses are few), under mu.
	mu      sync.Mutex
	byRoute atomic.Pointer[map[routeStatus]routeSeries]
}

// routeStatus names the series of a route and status.
type routeStatus struct {
	method, route string
	status        int
}

// routeSeries are the series a request of a route and status counts in.
type routeSeries struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "thidua_http_requests_total", Help: "HTTP requests by method, route template and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "thidua_http_request_duration_seconds", Help: "HTTP request duration by method and route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	m.byRoute.Store(&map[routeStatus]routeSeries{})
	m.reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe counts a request of a route template (a bounded set, like the
// methods and statuses) and its duration.
func (m *metrics) observe(method, route string, status int, d time.Duration) {
	k := routeStatus{method, route, status}
	s, ok := (*m.byRoute.Load())[k]
	if !ok {
		s = m.series(k)
	}
	s.requests.Inc()
	s.duration.Observe(d.Seconds())
}

// series makes the series of a route and status, and keeps them.
func (m *metrics) series(k routeStatus) routeSeries {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.byRoute.Load()
	if s, ok := old[k]; ok {
		return s
	}
	s := routeSeries{m.requests.WithLabelValues(k.method, k.route, strconv.Itoa(k.status)), m.duration.WithLabelValues(k.method, k.route)}
	next := make(map[routeStatus]routeSeries, len(old)+1)
	maps.Copy(next, old)
	next[k] = s
	m.byRoute.Store(&next)
	return s
}

func (m *metrics) handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// sharedWrites are the counters of the writes that share a transaction
// (see store.DB.TripStats).
func sharedWrites(db *store.DB) []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "thidua_write_transactions_total",
			Help: "Transactions of everyday writes in one round trip (revisions, rescores, progress notes) sent to PostgreSQL.",
		}, func() float64 { n, _ := db.TripStats(); return float64(n) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "thidua_writes_carried_total",
			Help: "Writes those transactions carried: over thidua_write_transactions_total, how many share a commit.",
		}, func() float64 { _, n := db.TripStats(); return float64(n) }),
	}
}

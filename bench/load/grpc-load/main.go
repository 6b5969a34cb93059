// grpc-load drives one unary gRPC method with one pre-encoded request message, as wrk and vegeta drive
// an HTTP endpoint in the head-to-head: closed loop at saturation (-c callers sharing -connections
// HTTP/2 connections, for -d), or at a fixed arrival rate (-rate calls/s, open model: each call starts on
// its schedule whether or not earlier ones have answered). The message is sent as bytes (no encoding per
// call on the client's side, as wrk sends a fixed body). It prints one JSON object: calls, rps, status
// codes, latency percentiles, and the first answer (base64) for the caller to check.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/status"
)

// raw passes messages through as bytes; named "proto" so the content type is application/grpc+proto.
type raw struct{}

func (raw) Marshal(v any) ([]byte, error) { return *(v.(*[]byte)), nil }
func (raw) Unmarshal(data []byte, v any) error {
	*(v.(*[]byte)) = append((*(v.(*[]byte)))[:0], data...)
	return nil
}
func (raw) Name() string { return "proto" }

var _ encoding.Codec = raw{}

type worker struct {
	latencies []time.Duration
	codes     map[string]int
}

func main() {
	target := flag.String("target", "127.0.0.1:8500", "host:port")
	method := flag.String("method", "/tensorflow.serving.PredictionService/Predict", "full method name")
	file := flag.String("request", "", "file holding the serialized request message")
	callers := flag.Int("c", 64, "concurrent callers (closed loop); the most calls in flight at a fixed rate")
	connections := flag.Int("connections", 4, "HTTP/2 connections the callers share")
	duration := flag.Duration("d", 10*time.Second, "how long")
	rate := flag.Int("rate", 0, "calls per second, open model (0: saturate with -c callers)")
	timeout := flag.Duration("timeout", 0, "each call's deadline (grpc-timeout); 0: none, as wrk sets none")
	flag.Parse()
	request, err := os.ReadFile(*file)
	if err != nil {
		fail(err)
	}
	conns := make([]*grpc.ClientConn, *connections)
	for i := range conns {
		conns[i], err = grpc.NewClient(*target, grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.ForceCodec(raw{})))
		if err != nil {
			fail(err)
		}
		defer conns[i].Close()
	}
	var first []byte
	var firstOnce sync.Once
	call := func(w *worker, conn *grpc.ClientConn) {
		ctx, cancel := context.Background(), context.CancelFunc(func() {})
		if *timeout > 0 {
			ctx, cancel = context.WithTimeout(ctx, *timeout)
		}
		var response []byte
		started := time.Now()
		err := conn.Invoke(ctx, *method, &request, &response)
		w.latencies = append(w.latencies, time.Since(started))
		cancel()
		w.codes[status.Code(err).String()]++
		if err == nil {
			firstOnce.Do(func() { first = append([]byte(nil), response...) })
		}
	}
	workers := make([]*worker, *callers)
	for i := range workers {
		workers[i] = &worker{codes: map[string]int{}, latencies: make([]time.Duration, 0, 1<<16)}
	}
	var wg sync.WaitGroup
	started := time.Now()
	end := started.Add(*duration)
	if *rate == 0 {
		for i, w := range workers {
			wg.Add(1)
			go func(w *worker, conn *grpc.ClientConn) {
				defer wg.Done()
				for time.Now().Before(end) {
					call(w, conn)
				}
			}(w, conns[i%len(conns)])
		}
	} else {
		// Open model: a schedule of start times; -c callers take them in turn, so at most -c are in flight.
		ticks := make(chan time.Time, *callers)
		go func() {
			interval := time.Second / time.Duration(*rate)
			for next := started; next.Before(end); next = next.Add(interval) {
				time.Sleep(time.Until(next))
				ticks <- next
			}
			close(ticks)
		}()
		for i, w := range workers {
			wg.Add(1)
			go func(w *worker, conn *grpc.ClientConn) {
				defer wg.Done()
				for range ticks {
					call(w, conn)
				}
			}(w, conns[i%len(conns)])
		}
	}
	wg.Wait()
	elapsed := time.Since(started)
	var all []time.Duration
	codes := map[string]int{}
	for _, w := range workers {
		all = append(all, w.latencies...)
		for code, n := range w.codes {
			codes[code] += n
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	percentile := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		index := int(p / 100 * float64(len(all)-1))
		return float64(all[index].Microseconds()) / 1000
	}
	out := map[string]any{
		"calls": len(all), "seconds": elapsed.Seconds(), "rps": float64(len(all)) / elapsed.Seconds(),
		"codes": codes, "p50_ms": percentile(50), "p90_ms": percentile(90), "p99_ms": percentile(99),
		"max_ms": percentile(100), "first_response": base64.StdEncoding.EncodeToString(first),
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "grpc-load:", err)
	os.Exit(1)
}

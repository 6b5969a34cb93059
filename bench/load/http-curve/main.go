// http-curve measures a server's warm-up: from its first request, -c keep-alive HTTP/1.1 connections
// send one request each as soon as the last one is answered (closed loop, as wrk does), and the answers
// are counted per -window by the time they completed. It stops once throughput is steady (-steady
// consecutive 1 s windows within -tolerance of each other) or at -max, and prints one JSON object: the
// counts per window, errors, and whether it settled. What the counts mean (steady throughput, time to
// 90 % of it, the requests a cold server fell short by) is the harness's arithmetic.
//
// A raw client rather than net/http: the request is pre-encoded and each answer is parsed only as far
// as its framing, so the generator's own cost per request stays low and its one core can saturate the
// server it measures for longer.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type headers []string

func (h *headers) String() string     { return strings.Join(*h, ", ") }
func (h *headers) Set(v string) error { *h = append(*h, v); return nil }

type result struct {
	WindowMs   int64            `json:"window_ms"`
	Counts     []int64          `json:"counts"`
	Errors     int64            `json:"errors"`
	ErrorKinds map[string]int64 `json:"error_kinds"`
	Settled    bool             `json:"settled"`
	ElapsedS   float64          `json:"elapsed_s"`
}

func main() {
	target := flag.String("url", "", "http://host:port/path")
	method := flag.String("method", "GET", "request method")
	body := flag.String("body", "", "request body")
	var extra headers
	flag.Var(&extra, "header", "a request header, \"Name: value\" (repeatable)")
	connections := flag.Int("c", 32, "keep-alive connections, one request in flight on each")
	window := flag.Duration("window", 250*time.Millisecond, "the counting window")
	steady := flag.Int("steady", 3, "consecutive 1 s windows that must agree for throughput to be steady")
	tolerance := flag.Float64("tolerance", 0.05, "how far those windows may differ: (max-min)/max")
	minimum := flag.Duration("min", 3*time.Second, "the shortest run")
	maximum := flag.Duration("max", 60*time.Second, "the longest run: past it, the run says it never settled")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		fail(fmt.Errorf("-url must be http://host:port/path, got %q", *target))
	}
	request := encode(*method, u, *body, extra)

	slots := int(*maximum / *window) + 2
	counts := make([]atomic.Int64, slots)
	var errorCount atomic.Int64
	var kindsMu sync.Mutex
	kinds := map[string]int64{}
	failed := func(kind string) {
		errorCount.Add(1)
		kindsMu.Lock()
		kinds[kind]++
		kindsMu.Unlock()
	}

	start := time.Now()
	var stop atomic.Bool
	var wg sync.WaitGroup
	for i := 0; i < *connections; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			connection(u.Host, request, &stop, func() {
				slot := int(time.Since(start) / *window)
				if slot < slots {
					counts[slot].Add(1)
				}
			}, failed)
		}()
	}

	perSecond := int(time.Second / *window)
	settled := false
	for tick := time.NewTicker(*window); ; {
		<-tick.C
		done := int(time.Since(start) / *window) // slots [0, done) are complete
		if time.Since(start) >= *minimum && steadyNow(counts[:done], perSecond, *steady, *tolerance) {
			settled = true
			break
		}
		if time.Since(start) >= *maximum {
			break
		}
	}
	stop.Store(true)
	elapsed := time.Since(start)
	done := int(elapsed / *window)
	out := result{WindowMs: window.Milliseconds(), Errors: errorCount.Load(), Settled: settled, ElapsedS: elapsed.Seconds()}
	for i := 0; i < done && i < slots; i++ {
		out.Counts = append(out.Counts, counts[i].Load())
	}
	wg.Wait()
	kindsMu.Lock()
	out.ErrorKinds = kinds
	kindsMu.Unlock()
	json.NewEncoder(os.Stdout).Encode(out)
}

// steadyNow: the last `n` whole seconds of complete windows each within `tolerance` of the largest.
func steadyNow(counts []atomic.Int64, perSecond, n int, tolerance float64) bool {
	if len(counts) < n*perSecond {
		return false
	}
	low, high := int64(-1), int64(0)
	for s := 0; s < n; s++ {
		var sum int64
		for i := len(counts) - (s+1)*perSecond; i < len(counts)-s*perSecond; i++ {
			sum += counts[i].Load()
		}
		if low < 0 || sum < low {
			low = sum
		}
		if sum > high {
			high = sum
		}
	}
	return high > 0 && float64(high-low) <= tolerance*float64(high)
}

func encode(method string, u *url.URL, body string, extra headers) []byte {
	var b bytes.Buffer
	path := u.RequestURI()
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, u.Host)
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	if body != "" || method == "POST" || method == "PUT" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n" + body)
	return b.Bytes()
}

// connection sends requests one after the other on a keep-alive connection, reconnecting when the
// server closes it, until stop is set.
func connection(host string, request []byte, stop *atomic.Bool, answered func(), failed func(string)) {
	for !stop.Load() {
		conn, err := net.DialTimeout("tcp", host, 5*time.Second)
		if err != nil {
			failed("connect")
			time.Sleep(10 * time.Millisecond)
			continue
		}
		reader := bufio.NewReaderSize(conn, 16<<10)
		for !stop.Load() {
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := conn.Write(request); err != nil {
				failed("write")
				break
			}
			status, closing, err := readResponse(reader)
			if err != nil {
				if !stop.Load() {
					failed(kindOf(err))
				}
				break
			}
			if status >= 200 && status < 300 {
				answered()
			} else {
				failed(strconv.Itoa(status))
			}
			if closing {
				break
			}
		}
		conn.Close()
	}
}

func kindOf(err error) string {
	var netErr net.Error
	switch {
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "closed"
	default:
		return "read"
	}
}

var errMalformed = errors.New("malformed response")

// readResponse reads one response as far as its framing needs: the status, Content-Length or chunked,
// and Connection: close.
func readResponse(r *bufio.Reader) (status int, closing bool, err error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, errMalformed
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, errMalformed
	}
	length, chunked := -1, false
	for {
		line, err = r.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		if len(line) <= 2 {
			break
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return 0, false, errMalformed
		}
		name, value := line[:colon], bytes.TrimSpace(line[colon+1:])
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, false, errMalformed
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		err = skipChunks(r)
	case length >= 0:
		_, err = r.Discard(length)
	default:
		return 0, false, errMalformed // no framing: this generator never reads to the end of a connection
	}
	return status, closing, err
}

func skipChunks(r *bufio.Reader) error {
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return err
		}
		size, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.SplitN(line, []byte(";"), 2)[0])), 16, 64)
		if err != nil {
			return errMalformed
		}
		if size == 0 {
			for { // trailers, then the blank line
				line, err = r.ReadSlice('\n')
				if err != nil || len(line) <= 2 {
					return err
				}
			}
		}
		if _, err = r.Discard(int(size) + 2); err != nil {
			return err
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "http-curve:", err)
	os.Exit(2)
}

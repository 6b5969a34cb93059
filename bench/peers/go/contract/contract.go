// Package contract is the converter's contract as the Go peer (bench/peers/go) answers it, and the
// anchors of the head-to-head (../go-anchors: fasthttp and Gin) with it: the same JSON in and out
// (encoding/json both ways, so the same numbers, the same keys matched, the same trailing newline),
// the same error answers. Only the HTTP stack under it differs.
package contract

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math"
	"net/http"
	"os"
	"strconv"
	"time"
)

// MaxBody is the Go peer's http.MaxBytesReader limit.
const MaxBody = 256 * 1024

// ContentType is what the Go peer's writeJSON sets.
const ContentType = "application/json"

var AppID = func() string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		log.Fatal(err)
	}
	return hex.EncodeToString(b)
}()

type convertRequest struct {
	Fahrenheit *float64 `json:"fahrenheit"`
}

type convertResponse struct {
	Celsius float64 `json:"celsius"`
	AppID   string  `json:"app_id"`
}

type helloResponse struct {
	Message   string `json:"message"`
	Timestamp string `json:"timestamp"`
	AppID     string `json:"app_id"`
}

// encode is json.NewEncoder(w).Encode(v) into bytes: the value and a newline.
func encode(v any) []byte {
	b, _ := json.Marshal(v)
	return append(b, '\n')
}

func errorBody(message string) []byte {
	return encode(map[string]string{"error": message})
}

var (
	MethodNotAllowed = errorBody("method not allowed")
	TooLarge         = errorBody("request body too large")
	Invalid          = errorBody("Invalid request data")
	NotFound         = errorBody("not found")
	Ready            = encode(map[string]string{"status": "UP"})
)

// Convert answers POST /convert: (status, body). `body` must already be limited to MaxBody by an
// http.MaxBytesReader, as the Go peer's is, so that a larger one is a 413 at the same point.
// A method other than POST is the caller's to answer (405, MethodNotAllowed, Allow: POST).
func Convert(body io.Reader) (int, []byte) {
	var req convertRequest
	if err := json.NewDecoder(body).Decode(&req); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return http.StatusRequestEntityTooLarge, TooLarge
		}
		return http.StatusBadRequest, Invalid
	}
	if req.Fahrenheit == nil {
		return http.StatusBadRequest, Invalid
	}
	celsius := (*req.Fahrenheit - 32) * 5 / 9
	if math.IsInf(celsius, 0) || math.IsNaN(celsius) {
		return http.StatusBadRequest, Invalid
	}
	return http.StatusOK, encode(convertResponse{Celsius: celsius, AppID: AppID})
}

// Hello answers GET / (any method, as the Go peer's mux does); any other unknown path is NotFound.
func Hello() []byte {
	return encode(helloResponse{Message: "Hello", Timestamp: time.Now().UTC().Format(time.RFC3339Nano), AppID: AppID})
}

// Port is $HTTP_PORT, 8090 by default, as the Go peer reads it.
func Port() int {
	port := 8090
	if p := os.Getenv("HTTP_PORT"); p != "" {
		parsed, err := strconv.Atoi(p)
		if err != nil {
			log.Fatalf("HTTP_PORT=%q is invalid", p)
		}
		port = parsed
	}
	return port
}

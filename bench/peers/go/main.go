// A reference peer for the head-to-head runs: the converter's JSON contract on Go's net/http and
// encoding/json, the stack of the Gin service this project replaces, written the idiomatic way.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log"
	"math"
	"net/http"
	"os"
	"strconv"
	"time"
)

var appID = func() string {
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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

func convert(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	var req convertRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 256*1024)).Decode(&req); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "request body too large")
			return
		}
		writeError(w, http.StatusBadRequest, "Invalid request data")
		return
	}
	if req.Fahrenheit == nil {
		writeError(w, http.StatusBadRequest, "Invalid request data")
		return
	}
	celsius := (*req.Fahrenheit - 32) * 5 / 9
	if math.IsInf(celsius, 0) || math.IsNaN(celsius) {
		writeError(w, http.StatusBadRequest, "Invalid request data")
		return
	}
	writeJSON(w, http.StatusOK, convertResponse{Celsius: celsius, AppID: appID})
}

func hello(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	writeJSON(w, http.StatusOK, helloResponse{Message: "Hello", Timestamp: time.Now().UTC().Format(time.RFC3339Nano), AppID: appID})
}

func ready(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "UP"})
}

func main() {
	port := 8090
	if p := os.Getenv("HTTP_PORT"); p != "" {
		parsed, err := strconv.Atoi(p)
		if err != nil {
			log.Fatalf("HTTP_PORT=%q is invalid", p)
		}
		port = parsed
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/convert", convert)
	mux.HandleFunc("/health/ready", ready)
	mux.HandleFunc("/", hello)
	server := &http.Server{Addr: "127.0.0.1:" + strconv.Itoa(port), Handler: mux, IdleTimeout: 60 * time.Second}
	log.Printf("go-peer ready port=%d app_id=%s", port, appID)
	log.Fatal(server.ListenAndServe())
}

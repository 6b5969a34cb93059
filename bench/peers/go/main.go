// A reference peer for the head-to-head runs: the converter's JSON contract (package contract:
// encoding/json both ways, the error answers) on Go's net/http, the stack of the Gin service this
// project replaces, written the idiomatic way. The anchors (../go-anchors) serve the same package on
// fasthttp and Gin.
package main

import (
	"log"
	"net/http"
	"strconv"
	"time"

	"footprint/peers/go-converter/contract"
)

func write(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", contract.ContentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func convert(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		write(w, http.StatusMethodNotAllowed, contract.MethodNotAllowed)
		return
	}
	status, body := contract.Convert(http.MaxBytesReader(w, r.Body, contract.MaxBody))
	write(w, status, body)
}

func hello(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		write(w, http.StatusNotFound, contract.NotFound)
		return
	}
	write(w, http.StatusOK, contract.Hello())
}

func ready(w http.ResponseWriter, r *http.Request) {
	write(w, http.StatusOK, contract.Ready)
}

func main() {
	port := contract.Port()
	mux := http.NewServeMux()
	mux.HandleFunc("/convert", convert)
	mux.HandleFunc("/health/ready", ready)
	mux.HandleFunc("/", hello)
	server := &http.Server{Addr: "127.0.0.1:" + strconv.Itoa(port), Handler: mux, IdleTimeout: 60 * time.Second}
	log.Printf("go-peer ready port=%d app_id=%s", port, contract.AppID)
	log.Fatal(server.ListenAndServe())
}

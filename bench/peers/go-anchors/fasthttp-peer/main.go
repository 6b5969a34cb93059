// An anchor of the head-to-head: the converter's contract (package contract, the Go peer's) on
// github.com/valyala/fasthttp, the fastest common Go HTTP stack.
package main

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"strconv"
	"time"

	"footprint/peers/go-converter/contract"
	"github.com/valyala/fasthttp"
)

func write(ctx *fasthttp.RequestCtx, status int, body []byte) {
	ctx.SetContentType(contract.ContentType)
	ctx.SetStatusCode(status)
	ctx.SetBody(body)
}

func handle(ctx *fasthttp.RequestCtx) {
	switch string(ctx.Path()) {
	case "/convert":
		if !ctx.IsPost() {
			ctx.Response.Header.Set("Allow", "POST")
			write(ctx, http.StatusMethodNotAllowed, contract.MethodNotAllowed)
			return
		}
		// The body is read whole by fasthttp (up to its own 4 MiB default); the same MaxBytesReader
		// as the Go peer's over it makes a body past 256 KiB a 413 at the same point of the decoding.
		body := http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(ctx.PostBody())), contract.MaxBody)
		status, answer := contract.Convert(body)
		write(ctx, status, answer)
	case "/health/ready":
		write(ctx, http.StatusOK, contract.Ready)
	case "/":
		write(ctx, http.StatusOK, contract.Hello())
	default:
		write(ctx, http.StatusNotFound, contract.NotFound)
	}
}

func main() {
	port := contract.Port()
	server := &fasthttp.Server{Handler: handle, Name: "", NoDefaultServerHeader: true, IdleTimeout: 60 * time.Second}
	log.Printf("fasthttp-peer ready port=%d app_id=%s", port, contract.AppID)
	log.Fatal(server.ListenAndServe("127.0.0.1:" + strconv.Itoa(port)))
}

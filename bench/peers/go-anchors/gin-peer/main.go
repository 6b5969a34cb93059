// An anchor of the head-to-head: the converter's contract (package contract, the Go peer's) on
// github.com/gin-gonic/gin, the stack of the Go service this project replaces. gin.New() with
// Recovery and no request logger: a log line per request would measure the terminal.
package main

import (
	"log"
	"net/http"
	"strconv"
	"time"

	"footprint/peers/go-converter/contract"
	"github.com/gin-gonic/gin"
)

func write(c *gin.Context, status int, body []byte) {
	c.Data(status, contract.ContentType, body)
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	router := gin.New()
	router.Use(gin.Recovery())
	// The Go peer's ServeMux neither redirects /convert/ to /convert nor answers 405 by itself.
	router.RedirectTrailingSlash, router.RedirectFixedPath, router.HandleMethodNotAllowed = false, false, false
	router.Any("/convert", func(c *gin.Context) {
		if c.Request.Method != http.MethodPost {
			c.Header("Allow", "POST")
			write(c, http.StatusMethodNotAllowed, contract.MethodNotAllowed)
			return
		}
		status, answer := contract.Convert(http.MaxBytesReader(c.Writer, c.Request.Body, contract.MaxBody))
		write(c, status, answer)
	})
	router.Any("/health/ready", func(c *gin.Context) { write(c, http.StatusOK, contract.Ready) })
	router.NoRoute(func(c *gin.Context) {
		if c.Request.URL.Path == "/" {
			write(c, http.StatusOK, contract.Hello())
			return
		}
		write(c, http.StatusNotFound, contract.NotFound)
	})
	port := contract.Port()
	server := &http.Server{Addr: "127.0.0.1:" + strconv.Itoa(port), Handler: router, IdleTimeout: 60 * time.Second}
	log.Printf("gin-peer ready port=%d app_id=%s", port, contract.AppID)
	log.Fatal(server.ListenAndServe())
}

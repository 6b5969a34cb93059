// The pause container of every pod's sandbox, built here (no registry to pull registry.k8s.io/pause
// from): it holds the pod's namespaces and waits for SIGTERM or SIGINT, like the C original.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	// As PID 1 of a shared PID namespace it would also reap orphans: SIGCHLD is handled by the Go
	// runtime's wait in os/exec only, so reap here.
	children := make(chan os.Signal, 8)
	signal.Notify(children, syscall.SIGCHLD)
	for {
		select {
		case <-signals:
			os.Exit(0)
		case <-children:
			for {
				var status syscall.WaitStatus
				pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
				if pid <= 0 || err != nil {
					break
				}
			}
		}
	}
}

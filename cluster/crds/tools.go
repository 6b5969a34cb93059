//go:build tools

// The API types controller-gen reads: imported so that go mod tidy keeps them (and their checksums).
package crds

import (
	_ "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
)

package lab_test

import (
	"context"
	"testing"

	"github.com/ucpilot/ucpilot/remote/lab"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func startBench(name string) (*lab.Lab, error) { return lab.Start(context.Background(), name) }

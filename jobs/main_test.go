package jobs

import (
	"testing"

	"github.com/thidua/thidua/app/store/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

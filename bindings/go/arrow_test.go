package srsink

// WriteArrowC (ABI 1.2): the binding's own checks, and the ownership rule that the call takes
// both structs whatever it returns. Arrow data itself is tested in the srarrow module.

import (
	"errors"
	"testing"
)

func TestWriteArrowCReleasesBothStructsOnEveryOutcome(t *testing.T) {
	e := startEmulator(t)
	c := newConnector(t, e, "on_watermark")
	s := openOrders(t, c)

	check := func(what string, err error, releases int, cleared bool, want Code) {
		t.Helper()
		if releases != 2 || !cleared {
			t.Errorf("%s: %d of 2 structs released (release NULL: %v)", what, releases, cleared)
		}
		if want == 0 {
			if err != nil {
				t.Errorf("%s: %v", what, err)
			}
			return
		}
		wantCode(t, err, want)
	}

	err, n, cl := writeFakeArrow(s, 3, []Op{Upsert})
	check("ops of the wrong length", err, n, cl, ErrInvalidArgument)
	if !containsCI(err.Error(), "ops has 1 entries for 3 rows") {
		t.Errorf("message: %v", err)
	}
	withABI10Library(func() {
		err, n, cl = writeFakeArrow(s, 0, nil)
	})
	check("a library without write_arrow", err, n, cl, ErrNotSupported)
	if !containsCI(err.Error(), "1.2") {
		t.Errorf("message: %v", err)
	}
	// The library refuses a batch without the key column, and releases it itself.
	err, n, cl = writeFakeArrow(s, 1, nil)
	if releases := n; releases != 2 || !cl {
		t.Errorf("refused by the library: %d of 2 structs released (release NULL: %v)", releases, cl)
	}
	if !errors.Is(err, ErrInvalidArgument) && !errors.Is(err, ErrData) {
		t.Errorf("a batch without the key column: want ErrInvalidArgument or ErrData, got %v", err)
	}

	must(t, s.Close())
	err, n, cl = writeFakeArrow(s, 0, nil)
	check("a closed sink", err, n, cl, ErrState)
}

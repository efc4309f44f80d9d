package srsink

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// ExecutionMode is the mode a commit token was made in.
type ExecutionMode int32

const (
	ModeOnCheckpoint ExecutionMode = 0
	ModeOnWatermark  ExecutionMode = 1
)

func (m ExecutionMode) String() string {
	switch m {
	case ModeOnCheckpoint:
		return "on_checkpoint"
	case ModeOnWatermark:
		return "on_watermark"
	}
	return fmt.Sprintf("ExecutionMode(%d)", int32(m))
}

// TokenInfo is what InspectToken reports about a commit token.
type TokenInfo struct {
	ExecutionMode ExecutionMode
	CheckpointID  int64  // the checkpoint the token was made for
	NTransactions uint32 // prepared transactions it names; 0: committing it does nothing
}

// InspectToken decodes a commit token without acting on it (sr_sink_token_inspect): its mode,
// checkpoint id and number of transactions, so a host can order or skip stored tokens without
// parsing them (their format is the library's). Needs no connector. ErrRecovery for bytes that
// are not a token this library can read; ErrNotSupported with a libsr_sink older than ABI 1.1.
func InspectToken(token []byte) (TokenInfo, error) {
	if err := since11(2, "sr_sink_token_inspect"); err != nil {
		return TokenInfo{}, err
	}
	var p *C.uint8_t
	if len(token) > 0 {
		p = (*C.uint8_t)(unsafe.Pointer(&token[0]))
	}
	var out C.sr_sink_token_info
	out.struct_size = C.uint32_t(C.sizeof_sr_sink_token_info)
	cerr := newRawError()
	if err := errorFrom(C.srsink_token_inspect(p, C.size_t(len(token)), &out, &cerr), &cerr); err != nil {
		return TokenInfo{}, err
	}
	return TokenInfo{
		ExecutionMode: ExecutionMode(out.execution_mode),
		CheckpointID:  int64(out.checkpoint_id),
		NTransactions: uint32(out.n_transactions),
	}, nil
}

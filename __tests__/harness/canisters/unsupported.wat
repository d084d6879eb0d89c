;; A canister that makes inter-canister calls, which the harness's runtime does not support: installing it
;; must fail with an error naming the import (ic0.call_new).
(module
  (import "ic0" "call_new"
    (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "msg_reply" (func $msg_reply))
  (memory (export "memory") 1)
  (func (export "canister_update ping")
    (call $msg_reply))
)

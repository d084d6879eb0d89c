;; A Wasm64 canister: its heap is a 64-bit memory (memory64), so the IC runs it in Wasm64 mode, where the heap
;; may reach 6 GiB instead of 4. It imports only System API functions without addresses, whose signatures are
;; the same in both modes.
(module
  (import "ic0" "msg_reply" (func $msg_reply))
  (memory (export "memory") i64 1)
  (global $calls (export "calls") (mut i64) (i64.const 0))
  ;; ping: () -> () — counts its calls in the heap and in a global
  (func (export "canister_update ping")
    (i64.store (i64.const 0) (i64.add (i64.load (i64.const 0)) (i64.const 1)))
    (global.set $calls (i64.add (global.get $calls) (i64.const 1)))
    (call $msg_reply))
  ;; grow: () -> () — one more heap page
  (func (export "canister_update grow")
    (drop (memory.grow (i64.const 1)))
    (call $msg_reply))
  ;; grow_and_trap: () -> () — grows the heap and writes to it, then traps: both are undone
  (func (export "canister_update grow_and_trap")
    (drop (memory.grow (i64.const 1)))
    (i64.store (i64.const 0) (i64.const 99))
    unreachable)
)

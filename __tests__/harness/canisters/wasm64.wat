;; A Wasm64 canister: its heap is a 64-bit memory (memory64), so the IC runs it in Wasm64 mode, where the heap
;; may reach 6 GiB instead of 4 and the System API takes heap addresses and sizes as i64.
(module
  (import "ic0" "msg_reply" (func $msg_reply))
  (import "ic0" "msg_arg_data_size" (func $msg_arg_data_size (result i64)))
  (import "ic0" "msg_arg_data_copy" (func $msg_arg_data_copy (param i64 i64 i64)))
  (import "ic0" "msg_reply_data_append" (func $msg_reply_data_append (param i64 i64)))
  (memory (export "memory") i64 1)
  (global $calls (export "calls") (mut i64) (i64.const 0))
  ;; ping: () -> () — counts its calls in the heap and in a global
  (func (export "canister_update ping")
    (i64.store (i64.const 0) (i64.add (i64.load (i64.const 0)) (i64.const 1)))
    (global.set $calls (i64.add (global.get $calls) (i64.const 1)))
    (call $msg_reply))
  ;; echo: replies its argument (raw bytes), copied through the heap at an address above 64 KiB
  (func (export "canister_update echo")
    (drop (memory.grow (i64.const 1)))
    (call $msg_arg_data_copy (i64.const 65536) (i64.const 0) (call $msg_arg_data_size))
    (call $msg_reply_data_append (i64.const 65536) (call $msg_arg_data_size))
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

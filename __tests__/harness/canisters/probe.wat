;; Probe: exercises the System API and the runtime's error paths, for the runtime's unit tests.
;; Replies are raw bytes, not Candid, to keep the assertions direct.
;;
;; Two things are deliberately hidden from JS: the memory is not exported and $hidden is a non-exported
;; mutable global. The runtime must still snapshot and roll back both, as the IC does.
(module
  (import "ic0" "msg_arg_data_size" (func $msg_arg_data_size (result i32)))
  (import "ic0" "msg_arg_data_copy" (func $msg_arg_data_copy (param i32 i32 i32)))
  (import "ic0" "msg_caller_size" (func $msg_caller_size (result i32)))
  (import "ic0" "msg_caller_copy" (func $msg_caller_copy (param i32 i32 i32)))
  (import "ic0" "canister_self_size" (func $canister_self_size (result i32)))
  (import "ic0" "canister_self_copy" (func $canister_self_copy (param i32 i32 i32)))
  (import "ic0" "msg_method_name_size" (func $msg_method_name_size (result i32)))
  (import "ic0" "msg_method_name_copy" (func $msg_method_name_copy (param i32 i32 i32)))
  (import "ic0" "msg_reply_data_append" (func $msg_reply_data_append (param i32 i32)))
  (import "ic0" "msg_reply" (func $msg_reply))
  (import "ic0" "msg_reject" (func $msg_reject (param i32 i32)))
  (import "ic0" "time" (func $time (result i64)))
  (import "ic0" "debug_print" (func $debug_print (param i32 i32)))
  (import "ic0" "certified_data_set" (func $certified_data_set (param i32 i32)))
  (import "ic0" "data_certificate_present" (func $data_certificate_present (result i32)))
  (import "ic0" "stable_size" (func $stable_size (result i32)))
  (import "ic0" "stable_grow" (func $stable_grow (param i32) (result i32)))
  (import "ic0" "stable_read" (func $stable_read (param i32 i32 i32)))
  (import "ic0" "stable_write" (func $stable_write (param i32 i32 i32)))
  (import "ic0" "stable64_size" (func $stable64_size (result i64)))
  (import "ic0" "stable64_grow" (func $stable64_grow (param i64) (result i64)))
  (import "ic0" "stable64_read" (func $stable64_read (param i64 i64 i64)))
  (import "ic0" "stable64_write" (func $stable64_write (param i64 i64 i64)))
  (import "ic0" "global_timer_set" (func $global_timer_set (param i64) (result i64)))

  (memory 1)

  (global $hidden (mut i32) (i32.const 0))
  (global (export "big") (mut i64) (i64.const 0))
  (global (export "ratio") (mut f64) (f64.const 0.5))
  (global (export "scale") (mut f32) (f32.const 1.5))
  (global (export "answer") i32 (i32.const 42))

  ;; Replies the $size bytes at heap address 0.
  (func $reply_heap (param $size i32)
    (call $msg_reply_data_append (i32.const 0) (local.get $size))
    (call $msg_reply))

  ;; Copies the argument to heap address 0 and returns its size.
  (func $arg (result i32)
    (call $msg_arg_data_copy (i32.const 0) (i32.const 0) (call $msg_arg_data_size))
    (call $msg_arg_data_size))

  ;; Changes all state but certified data: $hidden, the exported globals, heap byte 65535 and stable byte 0
  ;; (stable memory grows to a page first). Returns the new $hidden.
  (func $bump (result i32)
    (global.set $hidden (i32.add (global.get $hidden) (i32.const 1)))
    (global.set 1 (i64.add (global.get 1) (i64.const 1)))
    (global.set 2 (f64.add (global.get 2) (f64.const 1)))
    (global.set 3 (f32.mul (global.get 3) (f32.const 2)))
    (i32.store8 (i32.const 65535) (i32.add (i32.load8_u (i32.const 65535)) (i32.const 1)))
    (if (i32.eqz (call $stable_size)) (then (drop (call $stable_grow (i32.const 1)))))
    (i32.store8 (i32.const 0) (global.get $hidden))
    (call $stable_write (i32.const 0) (i32.const 0) (i32.const 1))
    (global.get $hidden))

;; Sets the global timer to the argument (u64, little-endian; 0 deactivates it) and replies the deadline it
;; replaced, 8 bytes little-endian.
  (func (export "canister_update set_timer")
    (drop (call $arg))
    (i64.store (i32.const 8) (call $global_timer_set (i64.load (i32.const 0))))
    (call $msg_reply_data_append (i32.const 8) (i32.const 8))
    (call $msg_reply))

  ;; Sets the timer, then traps: the timer must be as it was.
  (func (export "canister_update set_timer_and_trap")
    (drop (call $arg))
    (drop (call $global_timer_set (i64.load (i32.const 0))))
    (unreachable))

;; Replies as many bytes as the argument's first four say (u32, little-endian), the heap grown to hold them.
  (func $reply_of_size
    (local $size i32)
    (drop (call $arg))
    (local.set $size (i32.load (i32.const 0)))
    (drop (memory.grow (i32.add (i32.shr_u (local.get $size) (i32.const 16)) (i32.const 1))))
    (call $reply_heap (local.get $size)))

  (func (export "canister_update reply_of_size") (call $reply_of_size))
  (func (export "canister_query reply_of_size_query") (call $reply_of_size))

  (func (export "canister_update echo")
    (call $reply_heap (call $arg)))

  (func (export "canister_update caller")
    (call $msg_caller_copy (i32.const 0) (i32.const 0) (call $msg_caller_size))
    (call $reply_heap (call $msg_caller_size)))

  (func (export "canister_update self")
    (call $canister_self_copy (i32.const 0) (i32.const 0) (call $canister_self_size))
    (call $reply_heap (call $canister_self_size)))

  (func (export "canister_update method")
    (call $msg_method_name_copy (i32.const 0) (i32.const 0) (call $msg_method_name_size))
    (call $reply_heap (call $msg_method_name_size)))

  ;; 8 bytes little-endian
  (func (export "canister_update time")
    (i64.store (i32.const 0) (call $time))
    (call $reply_heap (i32.const 8)))

  (func (export "canister_update print")
    (call $debug_print (i32.const 0) (call $arg))
    (call $reply_heap (i32.const 0)))

  ;; Rejects with the argument as the message.
  (func (export "canister_update reject")
    (call $msg_reject (i32.const 0) (call $arg)))

  (func (export "canister_update no_reply"))

  (func (export "canister_update unreachable")
    unreachable)

  (func (export "canister_update reply_twice")
    (call $msg_reply)
    (call $msg_reply))

  ;; Stable memory beyond 4 GiB. Arguments and replies are little-endian u64s.
  ;; stable64_grow_by: (pages) -> (previous size in pages, or -1)
  (func (export "canister_update stable64_grow_by")
    (drop (call $arg))
    (i64.store (i32.const 0) (call $stable64_grow (i64.load (i32.const 0))))
    (call $reply_heap (i32.const 8)))

  ;; stable64_poke: (offset, then the bytes to write there) -> ()
  (func (export "canister_update stable64_poke")
    (local $size i32)
    (local.set $size (call $arg))
    (call $stable64_write
      (i64.load (i32.const 0)) (i64.const 8) (i64.extend_i32_u (i32.sub (local.get $size) (i32.const 8))))
    (call $reply_heap (i32.const 0)))

  ;; stable64_peek: (offset, size) -> (the bytes) query
  (func (export "canister_query stable64_peek")
    (local $size i64)
    (drop (call $arg))
    (local.set $size (i64.load (i32.const 8)))
    (call $stable64_read (i64.const 16) (i64.load (i32.const 0)) (local.get $size))
    (call $msg_reply_data_append (i32.const 16) (i32.wrap_i64 (local.get $size)))
    (call $msg_reply))

  ;; The 32-bit API, which traps once stable memory is larger than 4 GiB.
  ;; stable32_size: () -> (size in pages, 4 bytes)
  (func (export "canister_query stable32_size")
    (i32.store (i32.const 0) (call $stable_size))
    (call $reply_heap (i32.const 4)))

  ;; stable32_grow_one: () -> (previous size in pages, or -1, 4 bytes)
  (func (export "canister_update stable32_grow_one")
    (i32.store (i32.const 0) (call $stable_grow (i32.const 1)))
    (call $reply_heap (i32.const 4)))

  ;; Reads a byte of stable memory although it has none.
  (func (export "canister_update stable_out_of_bounds")
    (call $stable_read (i32.const 0) (i32.const 0) (i32.const 1))
    (call $reply_heap (i32.const 0)))

  ;; Sets certified data to the argument (at most 32 bytes, else the runtime traps).
  (func (export "canister_update certify")
    (call $certified_data_set (i32.const 0) (call $arg))
    (call $reply_heap (i32.const 0)))

  ;; Replies $hidden after the bump as 4 bytes little-endian.
  (func (export "canister_update bump")
    (i32.store (i32.const 0) (call $bump))
    (call $reply_heap (i32.const 4)))

  (func (export "canister_update bump_and_trap")
    (drop (call $bump))
    unreachable)

  (func (export "canister_query bump_query")
    (i32.store (i32.const 0) (call $bump))
    (call $reply_heap (i32.const 4)))

  (func (export "canister_query hidden")
    (i32.store (i32.const 0) (global.get $hidden))
    (call $reply_heap (i32.const 4)))

  ;; Queries may not change certified data; the runtime must trap here.
  (func (export "canister_query certify_in_query")
    (call $certified_data_set (i32.const 0) (i32.const 0))
    (call $reply_heap (i32.const 0)))

  (func (export "canister_query certificate_present")
    (i32.store8 (i32.const 0) (call $data_certificate_present))
    (call $reply_heap (i32.const 1)))
)

;; Broken counter: a release of counter.wat whose health check fails. It keeps counter.wat's state layout
;; (the counter as an i64 at heap address 1024 and in the first 8 bytes of stable memory), so upgrading
;; counter to it keeps the value, and tests can see a guarded upgrade being rolled back.
;; Same hand-encoded Candid as counter.wat; `health` traps with "health check failed".
(module
  (import "ic0" "msg_arg_data_size" (func $msg_arg_data_size (result i32)))
  (import "ic0" "msg_arg_data_copy" (func $msg_arg_data_copy (param i32 i32 i32)))
  (import "ic0" "msg_reply_data_append" (func $msg_reply_data_append (param i32 i32)))
  (import "ic0" "msg_reply" (func $msg_reply))
  (import "ic0" "trap" (func $trap (param i32 i32)))
  (import "ic0" "stable64_size" (func $stable64_size (result i64)))
  (import "ic0" "stable64_grow" (func $stable64_grow (param i64) (result i64)))
  (import "ic0" "stable64_read" (func $stable64_read (param i64 i64 i64)))
  (import "ic0" "stable64_write" (func $stable64_write (param i64 i64 i64)))
  (import "ic0" "certified_data_set" (func $certified_data_set (param i32 i32)))

  (memory (export "memory") 2)

  (global $calls (export "calls") (mut i64) (i64.const 0))
  ;; Another version than counter.wat, so tests can tell which module runs.
  (global $version (export "version") i32 (i32.const 2))

  (data (i32.const 64) "DIDL\00\01\78")
  (data (i32.const 128) "expected a Candid nat64 argument")
  (data (i32.const 160) "stable memory could not grow")
  (data (i32.const 320) "health check failed")

  (func $arg_nat64 (result i64)
    (if (i32.ne (call $msg_arg_data_size) (i32.const 15))
      (then (call $trap (i32.const 128) (i32.const 32))))
    (call $msg_arg_data_copy (i32.const 0) (i32.const 0) (i32.const 15))
    (if (i32.or
          (i32.ne (i32.load (i32.const 0)) (i32.const 0x4c444944))
          (i32.ne (i32.and (i32.load (i32.const 4)) (i32.const 0xffffff)) (i32.const 0x780100)))
      (then (call $trap (i32.const 128) (i32.const 32))))
    (i64.load (i32.const 7)))

  (func $ensure_stable_page
    (if (i64.eqz (call $stable64_size))
      (then
        (if (i64.eq (call $stable64_grow (i64.const 1)) (i64.const -1))
          (then (call $trap (i32.const 160) (i32.const 28)))))))

  (func $stable_value (result i64)
    (if (i64.eqz (call $stable64_size)) (then (return (i64.const 0))))
    (call $stable64_read (i64.const 112) (i64.const 0) (i64.const 8))
    (i64.load (i32.const 112)))

  (func $set_value (param $value i64)
    (i64.store (i32.const 1024) (local.get $value))
    (call $ensure_stable_page)
    (i64.store (i32.const 112) (local.get $value))
    (call $stable64_write (i64.const 0) (i64.const 112) (i64.const 8))
    (call $certified_data_set (i32.const 112) (i32.const 8)))

  (func $reply_nat64 (param $value i64)
    (i64.store (i32.const 112) (local.get $value))
    (call $msg_reply_data_append (i32.const 64) (i32.const 7))
    (call $msg_reply_data_append (i32.const 112) (i32.const 8))
    (call $msg_reply))

  ;; A fresh install starts at the given value (a bare Candid nat64) or 0; "DIDL" 00 00 counts as none.
  (func (export "canister_init")
    (call $set_value
      (if (result i64) (i32.gt_u (call $msg_arg_data_size) (i32.const 6))
        (then (call $arg_nat64))
        (else (i64.const 0)))))

  (func (export "canister_pre_upgrade")
    (call $ensure_stable_page)
    (i64.store (i32.const 112) (i64.load (i32.const 1024)))
    (call $stable64_write (i64.const 0) (i64.const 112) (i64.const 8)))

  (func (export "canister_post_upgrade")
    (i64.store (i32.const 1024) (call $stable_value)))

  (func (export "canister_update inc")
    (local $value i64)
    (global.set $calls (i64.add (global.get $calls) (i64.const 1)))
    (local.set $value (i64.add (i64.load (i32.const 1024)) (i64.const 1)))
    (call $set_value (local.get $value))
    (call $reply_nat64 (local.get $value)))

  (func (export "canister_query get")
    (call $reply_nat64 (i64.load (i32.const 1024))))

  (func (export "canister_query get_stable")
    (call $reply_nat64 (call $stable_value)))

  (func (export "canister_query health")
    (call $trap (i32.const 320) (i32.const 19)))
)

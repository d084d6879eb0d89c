;; Counter: the main test canister of the replica harness (interface in counter.did).
;;
;; The value lives twice on purpose: as an i64 in the heap and in the first 8 bytes of stable memory.
;; Upgrades, snapshots and rollbacks treat the two memories differently, so tests can tell them apart:
;; an upgrade resets the heap and keeps stable memory (post_upgrade copies the value back), a restored
;; snapshot brings back both. The value also goes to certified data, which snapshots keep as well.
;;
;; Candid is encoded by hand; only these exact encodings are accepted or produced:
;;   nat64     "DIDL" 00 01 78 + 8 bytes little-endian (15 bytes)
;;   text "ok" "DIDL" 00 01 71 02 "ok"
;;   ()        "DIDL" 00 00
;;
;; Heap layout (page 0 is fixed data, page 1 scratch, the rest whatever grow_heap adds):
;;   0..63     the argument, copied in
;;   64        nat64 reply header     80  "ok" reply     96  empty reply
;;   112       8-byte value buffer (replies, stable memory and certified data are written from here)
;;   128..     messages for trap and debug_print
;;   1024      the counter (i64)
;;   65536     64 KiB scratch buffer that `fill` writes stable memory from
;;   131072..  pages added by grow_heap: the heap region `fill` covers
(module
  (import "ic0" "msg_arg_data_size" (func $msg_arg_data_size (result i32)))
  (import "ic0" "msg_arg_data_copy" (func $msg_arg_data_copy (param i32 i32 i32)))
  (import "ic0" "msg_reply_data_append" (func $msg_reply_data_append (param i32 i32)))
  (import "ic0" "msg_reply" (func $msg_reply))
  (import "ic0" "trap" (func $trap (param i32 i32)))
  (import "ic0" "debug_print" (func $debug_print (param i32 i32)))
  (import "ic0" "stable64_size" (func $stable64_size (result i64)))
  (import "ic0" "stable64_grow" (func $stable64_grow (param i64) (result i64)))
  (import "ic0" "stable64_read" (func $stable64_read (param i64 i64 i64)))
  (import "ic0" "stable64_write" (func $stable64_write (param i64 i64 i64)))
  (import "ic0" "certified_data_set" (func $certified_data_set (param i32 i32)))

  (memory (export "memory") 2)

  ;; Exported so that snapshot metadata has globals to list: a mutable one that changes with every update
  ;; call (and resets on upgrade), and an immutable one that a restore must leave alone.
  (global $calls (export "calls") (mut i64) (i64.const 0))
  (global $version (export "version") i32 (i32.const 1))

  (data (i32.const 64) "DIDL\00\01\78")
  (data (i32.const 80) "DIDL\00\01\71\02ok")
  (data (i32.const 96) "DIDL\00\00")
  (data (i32.const 128) "expected a Candid nat64 argument")
  (data (i32.const 160) "stable memory could not grow")
  (data (i32.const 192) "heap could not grow")
  (data (i32.const 224) "inc_and_trap: trapping on purpose")
  (data (i32.const 272) "counter initialised")

  (func $count_call
    (global.set $calls (i64.add (global.get $calls) (i64.const 1))))

  ;; Tools send the empty tuple "DIDL" 00 00 when there is no argument; treat it like no bytes at all.
  (func $has_arg (result i32)
    (local $size i32)
    (local.set $size (call $msg_arg_data_size))
    (if (i32.eqz (local.get $size)) (then (return (i32.const 0))))
    (if (i32.eq (local.get $size) (i32.const 6))
      (then
        (call $msg_arg_data_copy (i32.const 0) (i32.const 0) (i32.const 6))
        (return
          (i32.or
            (i32.ne (i32.load (i32.const 0)) (i32.const 0x4c444944))
            (i32.ne (i32.load16_u (i32.const 4)) (i32.const 0))))))
    (i32.const 1))

  (func $arg_nat64 (result i64)
    (if (i32.ne (call $msg_arg_data_size) (i32.const 15))
      (then (call $trap (i32.const 128) (i32.const 32))))
    (call $msg_arg_data_copy (i32.const 0) (i32.const 0) (i32.const 15))
    ;; "DIDL" (little-endian i32), then 00 01 78: no type table, one argument of type nat64
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

  (func $reply_empty
    (call $msg_reply_data_append (i32.const 96) (i32.const 6))
    (call $msg_reply))

  ;; Writes xorshift64 output over heap bytes [$from, $to) (multiples of 8; i64 because $to may be 4 GiB)
  ;; and returns the generator's state. Its output does not compress, so snapshots really are that big.
  (func $fill_heap (param $from i64) (param $to i64) (param $x i64) (result i64)
    (block $done
      (loop $word
        (br_if $done (i64.ge_u (local.get $from) (local.get $to)))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
        (i64.store (i32.wrap_i64 (local.get $from)) (local.get $x))
        (local.set $from (i64.add (local.get $from) (i64.const 8)))
        (br $word)))
    (local.get $x))

  ;; init: (nat64 starting value) or no argument, which starts at 0
  (func (export "canister_init")
    (call $debug_print (i32.const 272) (i32.const 19))
    (call $set_value
      (if (result i64) (call $has_arg)
        (then (call $arg_nat64))
        (else (i64.const 0)))))

  ;; The stable copy is current after every change already; writing it again keeps the upgrade contract
  ;; independent of that detail.
  (func (export "canister_pre_upgrade")
    (call $ensure_stable_page)
    (i64.store (i32.const 112) (i64.load (i32.const 1024)))
    (call $stable64_write (i64.const 0) (i64.const 112) (i64.const 8)))

  ;; The heap starts over on upgrade: bring the counter back from stable memory.
  (func (export "canister_post_upgrade")
    (i64.store (i32.const 1024) (call $stable_value)))

  ;; inc: () -> (nat64)
  (func (export "canister_update inc")
    (local $value i64)
    (call $count_call)
    (local.set $value (i64.add (i64.load (i32.const 1024)) (i64.const 1)))
    (call $set_value (local.get $value))
    (call $reply_nat64 (local.get $value)))

  ;; set: (nat64) -> ()
  (func (export "canister_update set")
    (call $count_call)
    (call $set_value (call $arg_nat64))
    (call $reply_empty))

  ;; inc_and_trap: () -> () — changes every kind of state (heap, stable memory, certified data, a global,
  ;; the sizes of both memories) and then traps, so that tests can check the runtime undoes all of it.
  (func (export "canister_update inc_and_trap")
    (call $count_call)
    (call $set_value (i64.add (i64.load (i32.const 1024)) (i64.const 1)))
    (drop (call $stable64_grow (i64.const 1)))
    (drop (memory.grow (i32.const 1)))
    (call $trap (i32.const 224) (i32.const 33)))

  ;; grow_stable: (nat64 pages) -> (nat64 stable memory size in pages)
  (func (export "canister_update grow_stable")
    (call $count_call)
    (if (i64.eq (call $stable64_grow (call $arg_nat64)) (i64.const -1))
      (then (call $trap (i32.const 160) (i32.const 28))))
    (call $reply_nat64 (call $stable64_size)))

  ;; grow_heap: (nat64 pages) -> (nat64 heap size in pages)
  (func (export "canister_update grow_heap")
    (local $pages i64)
    (call $count_call)
    (local.set $pages (call $arg_nat64))
    ;; memory.grow takes an i32; more than 65536 pages (4 GiB) can never fit anyway.
    (if (i64.gt_u (local.get $pages) (i64.const 65536))
      (then (call $trap (i32.const 192) (i32.const 19))))
    (if (i32.eq (memory.grow (i32.wrap_i64 (local.get $pages))) (i32.const -1))
      (then (call $trap (i32.const 192) (i32.const 19))))
    (call $reply_nat64 (i64.extend_i32_u (memory.size))))

  ;; fill: (nat64 seed) -> () — pseudo-random bytes over all of stable memory after the counter and over
  ;; the heap from page 2 on, in one linear pass (benchmarks use it to make big, incompressible snapshots).
  (func (export "canister_update fill")
    (local $x i64)
    (local $offset i64)
    (local $end i64)
    (local $chunk i64)
    (call $count_call)
    ;; xorshift64 must not start at 0, where it would stay.
    (local.set $x (i64.xor (call $arg_nat64) (i64.const 0x9e3779b97f4a7c15)))
    (if (i64.eqz (local.get $x)) (then (local.set $x (i64.const 1))))
    (local.set $x
      (call $fill_heap
        (i64.const 131072)
        (i64.mul (i64.extend_i32_u (memory.size)) (i64.const 65536))
        (local.get $x)))
    ;; Stable memory from byte 8 on, a scratch page at a time. Chunks stay multiples of 8 because the
    ;; stable size is a multiple of 64 KiB.
    (local.set $end (i64.mul (call $stable64_size) (i64.const 65536)))
    (local.set $offset (i64.const 8))
    (block $done
      (loop $next_chunk
        (br_if $done (i64.ge_u (local.get $offset) (local.get $end)))
        (local.set $chunk (i64.sub (local.get $end) (local.get $offset)))
        (if (i64.gt_u (local.get $chunk) (i64.const 65536)) (then (local.set $chunk (i64.const 65536))))
        (local.set $x
          (call $fill_heap (i64.const 65536) (i64.add (i64.const 65536) (local.get $chunk)) (local.get $x)))
        (call $stable64_write (local.get $offset) (i64.const 65536) (local.get $chunk))
        (local.set $offset (i64.add (local.get $offset) (local.get $chunk)))
        (br $next_chunk)))
    (call $reply_empty))

  ;; get: () -> (nat64) query — the heap copy
  (func (export "canister_query get")
    (call $reply_nat64 (i64.load (i32.const 1024))))

  ;; get_stable: () -> (nat64) query — the stable memory copy
  (func (export "canister_query get_stable")
    (call $reply_nat64 (call $stable_value)))

  ;; health: () -> (text) query — "ok"; broken_counter.wat traps here instead
  (func (export "canister_query health")
    (call $msg_reply_data_append (i32.const 80) (i32.const 10))
    (call $msg_reply))
)

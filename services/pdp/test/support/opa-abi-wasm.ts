import wabtFactory from 'wabt';

/**
 * Builds a small policy module that speaks OPA's wasm ABI 1.x the way `opa build -t wasm` output does
 * (imported memory, `opa_builtinN`/`opa_abort`/`opa_println` imports, `builtins`/`entrypoints`
 * exports, `opa_eval_ctx_*`, `opa_malloc`, `opa_json_parse`/`opa_json_dump`, heap pointer, and from
 * minor version 2 `opa_eval`). Values are kept as NUL-terminated JSON text, which the ABI allows since
 * the host only sees them through `opa_json_parse`/`opa_json_dump`.
 *
 * Entrypoints, by id: 0 the input, 1 the data, 2 the first declared built-in applied to the input
 * (undefined when the built-in returns nothing); named `example/echo`, `example/data`, `example/builtin`
 * unless other names are given.
 */
export interface OpaAbiModuleOptions {
  /** Built-in name → id, as the module's `builtins()` reports it. */
  builtins: Record<string, number>;
  /** ABI minor version: 1 (context calls only) or 2+ (with `opa_eval`). */
  minorVersion?: number;
  /** Names of entrypoints 0, 1 and 2. */
  entrypoints?: [string, string, string];
}

export async function buildOpaAbiModule(options: OpaAbiModuleOptions): Promise<Uint8Array> {
  const wabt = await wabtFactory();
  const module = wabt.parseWat('policy.wat', watSource(options), { bulk_memory: true });
  try {
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

const DEFAULT_ENTRYPOINTS: [string, string, string] = ['example/echo', 'example/data', 'example/builtin'];

function watString(text: string): string {
  return [...Buffer.from(`${text}\0`, 'utf8')].map((byte) => `\\${byte.toString(16).padStart(2, '0')}`).join('');
}

function watSource(options: OpaAbiModuleOptions): string {
  const minor = options.minorVersion ?? 3;
  const builtins = JSON.stringify(options.builtins);
  const entrypoints = JSON.stringify(Object.fromEntries((options.entrypoints ?? DEFAULT_ENTRYPOINTS).map((name, id) => [name, id])));
  const firstBuiltin = Object.values(options.builtins)[0] ?? 0;
  const fastPath = minor >= 2
    ? `(func (export "opa_eval") (param $reserved i32) (param $entrypoint i32) (param $data i32) (param $input i32) (param $len i32) (param $heap i32) (param $format i32) (result i32)
    (local $value i32)
    (global.set $heap (local.get $heap))
    (if (i32.ne (local.get $len) (i32.const 0))
      (then (local.set $value (call $parse (local.get $input) (local.get $len)))))
    (call $run (local.get $entrypoint) (local.get $data) (local.get $value)))`
    : '';
  return `(module
  (import "env" "memory" (memory 2))
  (import "env" "opa_abort" (func $opa_abort (param i32)))
  (import "env" "opa_println" (func $opa_println (param i32)))
  (import "env" "opa_builtin0" (func $opa_builtin0 (param i32 i32) (result i32)))
  (import "env" "opa_builtin1" (func $opa_builtin1 (param i32 i32 i32) (result i32)))
  (import "env" "opa_builtin2" (func $opa_builtin2 (param i32 i32 i32 i32) (result i32)))
  (import "env" "opa_builtin3" (func $opa_builtin3 (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "opa_builtin4" (func $opa_builtin4 (param i32 i32 i32 i32 i32 i32) (result i32)))
  (global (export "opa_wasm_abi_version") i32 (i32.const 1))
  (global (export "opa_wasm_abi_minor_version") i32 (i32.const ${minor}))
  (global $heap (mut i32) (i32.const 65536))
  (data (i32.const 1024) "${watString(builtins)}")
  (data (i32.const 8192) "${watString(entrypoints)}")
  (data (i32.const 16384) "${watString('[{"result":')}")
  (data (i32.const 16400) "${watString('}]')}")
  (data (i32.const 16408) "${watString('[]')}")
  (data (i32.const 16416) "${watString('unknown entrypoint')}")

  (func $strlen (param $s i32) (result i32)
    (local $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $s) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $n))

  (func $malloc (export "opa_malloc") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (local.get $at) (local.get $size)))
    (local.get $at))

  (func (export "opa_free") (param i32))
  (func (export "opa_heap_ptr_get") (result i32) (global.get $heap))
  (func (export "opa_heap_ptr_set") (param $at i32) (global.set $heap (local.get $at)))

  ;; A value is its JSON text, NUL-terminated.
  (func $parse (export "opa_json_parse") (param $text i32) (param $len i32) (result i32)
    (local $value i32)
    (local.set $value (call $malloc (i32.add (local.get $len) (i32.const 1))))
    (memory.copy (local.get $value) (local.get $text) (local.get $len))
    (i32.store8 (i32.add (local.get $value) (local.get $len)) (i32.const 0))
    (local.get $value))
  (func (export "opa_json_dump") (param $value i32) (result i32) (local.get $value))
  (func (export "opa_value_dump") (param $value i32) (result i32) (local.get $value))

  (func $concat3 (param $a i32) (param $b i32) (param $c i32) (result i32)
    (local $la i32) (local $lb i32) (local $lc i32) (local $out i32)
    (local.set $la (call $strlen (local.get $a)))
    (local.set $lb (call $strlen (local.get $b)))
    (local.set $lc (call $strlen (local.get $c)))
    (local.set $out (call $malloc (i32.add (i32.add (local.get $la) (local.get $lb)) (i32.add (local.get $lc) (i32.const 1)))))
    (memory.copy (local.get $out) (local.get $a) (local.get $la))
    (memory.copy (i32.add (local.get $out) (local.get $la)) (local.get $b) (local.get $lb))
    (memory.copy (i32.add (local.get $out) (i32.add (local.get $la) (local.get $lb))) (local.get $c) (local.get $lc))
    (i32.store8 (i32.add (local.get $out) (i32.add (i32.add (local.get $la) (local.get $lb)) (local.get $lc))) (i32.const 0))
    (local.get $out))

  ;; The result set as JSON text: [{"result":value}] or [] when value is 0 (undefined).
  (func $resultSet (param $value i32) (result i32)
    (if (result i32) (i32.eqz (local.get $value))
      (then (i32.const 16408))
      (else (call $concat3 (i32.const 16384) (local.get $value) (i32.const 16400)))))

  (func $run (param $entrypoint i32) (param $data i32) (param $input i32) (result i32)
    (if (i32.eq (local.get $entrypoint) (i32.const 0)) (then (return (call $resultSet (local.get $input)))))
    (if (i32.eq (local.get $entrypoint) (i32.const 1)) (then (return (call $resultSet (local.get $data)))))
    (if (i32.eq (local.get $entrypoint) (i32.const 2))
      (then (return (call $resultSet
        (if (result i32) (i32.eqz (local.get $input))
          (then (i32.const 0))
          (else (call $opa_builtin1 (i32.const ${firstBuiltin}) (i32.const 0) (local.get $input))))))))
    (call $opa_abort (i32.const 16416))
    (unreachable))

  (func (export "builtins") (result i32) (i32.const 1024))
  (func (export "entrypoints") (result i32) (i32.const 8192))

  ;; Evaluation context: entrypoint, data, input, result (four i32 fields).
  (func (export "opa_eval_ctx_new") (result i32)
    (local $ctx i32)
    (local.set $ctx (call $malloc (i32.const 16)))
    (i32.store (local.get $ctx) (i32.const 0))
    (i32.store offset=4 (local.get $ctx) (i32.const 0))
    (i32.store offset=8 (local.get $ctx) (i32.const 0))
    (i32.store offset=12 (local.get $ctx) (i32.const 0))
    (local.get $ctx))
  (func (export "opa_eval_ctx_set_entrypoint") (param $ctx i32) (param $e i32) (i32.store (local.get $ctx) (local.get $e)))
  (func (export "opa_eval_ctx_set_data") (param $ctx i32) (param $v i32) (i32.store offset=4 (local.get $ctx) (local.get $v)))
  (func (export "opa_eval_ctx_set_input") (param $ctx i32) (param $v i32) (i32.store offset=8 (local.get $ctx) (local.get $v)))
  (func (export "opa_eval_ctx_get_result") (param $ctx i32) (result i32) (i32.load offset=12 (local.get $ctx)))
  (func (export "eval") (param $ctx i32) (result i32)
    (i32.store offset=12 (local.get $ctx)
      (call $run (i32.load (local.get $ctx)) (i32.load offset=4 (local.get $ctx)) (i32.load offset=8 (local.get $ctx))))
    (i32.const 0))
  ${fastPath}
)`;
}

import request from 'supertest';
import { createBundleLoader } from '../bundles/bundle-loader';
import { createBundleSlot } from '../bundles/bundle-source';
import { createWasmEngine } from '../engines/wasm-engine';
import { BUILTINS } from '../../rego/builtins';
import type { BuiltinDef } from '../../rego/builtins/registry';
import { filesMap, revisionBundle, silentLogger } from './support/bundle-fixtures';
import { buildOpaAbiModule } from './support/opa-abi-wasm';
import { ALICE, testPdp } from './support/test-app';

const ECHO = ['example', 'echo'];
const DATA = ['example', 'data'];
const BUILTIN = ['example', 'builtin'];

describe('wasm engine (OPA ABI 1.x through @open-policy-agent/opa-wasm)', () => {
  it.each([
    ['1.3, the opa_eval fast path', 3],
    ['1.1, the evaluation-context calls', 1],
  ])('evaluates entrypoints with input and data on ABI %s', async (_name, minorVersion) => {
    const wasm = await buildOpaAbiModule({ builtins: { 'units.parse_bytes': 0 }, minorVersion });
    const engine = await createWasmEngine({ wasm, data: { roles: { alice: ['admin'] } } });
    expect(engine.kind).toBe('wasm');
    expect(engine.entrypoints).toEqual(['example/echo', 'example/data', 'example/builtin']);
    expect(engine.evaluate(ECHO, { user: 'alice', n: [1, 2.5] })).toEqual({ user: 'alice', n: [1, 2.5] });
    expect(engine.evaluate(ECHO, false)).toBe(false);
    expect(engine.evaluate(ECHO, undefined)).toBeUndefined();
    expect(engine.evaluate(DATA, {})).toEqual({ roles: { alice: ['admin'] } });
  });

  it('supplies the built-ins the module imports from our Rego library, failures being undefined', async () => {
    const engine = await createWasmEngine({ wasm: await buildOpaAbiModule({ builtins: { 'units.parse_bytes': 0 } }), data: {} });
    expect(engine.evaluate(BUILTIN, '10KB')).toBe(10000);
    expect(engine.evaluate(BUILTIN, 'ten kilobytes')).toBeUndefined();
  });

  it('turns JSON arrays back into sets where the built-in takes sets', async () => {
    const engine = await createWasmEngine({ wasm: await buildOpaAbiModule({ builtins: { intersection: 7 } }), data: {} });
    expect(engine.evaluate(BUILTIN, [[1, 2, 3], [3, 2, 9]])).toEqual([2, 3]);
  });

  it('refuses at load a module that needs a built-in nobody implements, naming it', async () => {
    const wasm = await buildOpaAbiModule({ builtins: { 'units.parse_bytes': 0, 'acme.lookup_tenant': 1, 'sprintf': 2 } });
    await expect(createWasmEngine({ wasm, data: {} })).rejects.toThrow('policy.wasm needs built-in functions nobody implements: acme.lookup_tenant');
  });

  it('fails an evaluation whose built-in fails hard, and a path that is not an entrypoint', async () => {
    const exploding: BuiltinDef = { name: 'acme.explode', args: ['any'], result: 'any', category: 'test', impl: () => { throw new Error('boom'); } };
    const builtins = new Map([...BUILTINS, ['acme.explode', exploding]]);
    const engine = await createWasmEngine({ wasm: await buildOpaAbiModule({ builtins: { 'acme.explode': 0 } }), data: {}, builtins });
    expect(() => engine.evaluate(BUILTIN, 1)).toThrow('boom');
    expect(() => engine.evaluate(['mcp', 'gateway', 'decision'], {})).toThrow('mcp/gateway/decision is not an entrypoint of policy.wasm');
    // The instance stays usable after a failed evaluation.
    expect(engine.evaluate(ECHO, 'still here')).toBe('still here');
  });

  it('refuses bytes that are not a wasm module', async () => {
    await expect(createWasmEngine({ wasm: Buffer.from('not wasm'), data: {} })).rejects.toThrow(/policy.wasm could not be loaded/);
  });
});

describe('engine choice (PDP_ENGINE)', () => {
  async function wasmBundle(entrypoints?: [string, string, string]) {
    const wasm = Buffer.from(await buildOpaAbiModule({ builtins: {}, entrypoints }));
    return filesMap({
      '.manifest': JSON.stringify({ revision: 'w1', wasm: [{ entrypoint: 'mcp/gateway/decision', module: '/policy.wasm' }] }),
      'policy.wasm': wasm,
      'data.json': JSON.stringify({ allow: true, reasons: ['decided in wasm'], cache_ttl: 0 }),
    });
  }

  function loaderWith(engine: 'auto' | 'native' | 'wasm') {
    const slot = createBundleSlot('test');
    return { slot, loader: createBundleLoader({ slot, logger: silentLogger(), engine }) };
  }

  it('auto runs a bundle that carries only policy.wasm on the wasm engine, and Rego bundles natively', async () => {
    const auto = loaderWith('auto');
    await auto.loader.load(() => wasmBundle());
    expect(auto.slot.current()?.engine.kind).toBe('wasm');
    await auto.loader.load(() => filesMap(revisionBundle('r1')));
    expect(auto.slot.current()?.engine.kind).toBe('native');
  });

  it('auto answers the compiled entrypoints from policy.wasm and other paths from the same bundle\'s Rego', async () => {
    const files = await wasmBundle(['example/echo', 'mcp/gateway/decision', 'example/builtin']);
    files.set('mcp/gateway/policy.rego', Buffer.from('package mcp.gateway\n\ndecision := {"allow": false, "reasons": ["decided in rego"]}\n\nserver_names := ["everything"]\n'));
    for (const [engine, answer] of [['auto', 'decided in wasm'], ['native', 'decided in rego']] as const) {
      const { slot, loader } = loaderWith(engine);
      await loader.load(() => files);
      const active = slot.current()!.engine;
      expect((active.evaluate(['mcp', 'gateway', 'decision'], {}) as { reasons: string[] }).reasons).toEqual([answer]);
      expect(active.evaluate(['mcp', 'gateway', 'server_names'], {})).toEqual(['everything']);
    }
    const { slot, loader } = loaderWith('wasm');
    await loader.load(() => files);
    expect(() => slot.current()!.engine.evaluate(['mcp', 'gateway', 'server_names'], {})).toThrow('not an entrypoint');
  });

  it.each(['auto', 'wasm'] as const)('%s refuses a bundle whose policy.wasm imports a built-in nobody implements, naming it, and keeps the active one', async (engine) => {
    const { slot, loader } = loaderWith(engine);
    await loader.load(() => wasmBundle());
    const needy = await wasmBundle();
    needy.set('.manifest', Buffer.from(JSON.stringify({ revision: 'w2' })));
    needy.set('policy.wasm', Buffer.from(await buildOpaAbiModule({ builtins: { 'acme.lookup_tenant': 0 } })));
    const outcome = await loader.load(() => needy);
    expect(outcome.kind === 'failed' && outcome.error).toMatchObject({
      reason: 'compile',
      message: 'policy.wasm needs built-in functions nobody implements: acme.lookup_tenant',
    });
    expect(slot.status()).toMatchObject({ activeRevision: 'w1', lastError: { message: 'policy.wasm needs built-in functions nobody implements: acme.lookup_tenant' } });
  });

  it('wasm refuses a bundle without policy.wasm and keeps the active one', async () => {
    const { slot, loader } = loaderWith('wasm');
    await loader.load(() => wasmBundle());
    const outcome = await loader.load(() => filesMap(revisionBundle('r1')));
    expect(outcome.kind === 'failed' && outcome.error).toMatchObject({ reason: 'compile', message: 'PDP_ENGINE=wasm but the bundle has no policy.wasm' });
    expect(slot.status().activeRevision).toBe('w1');
  });

  it('serves /v1/authorize from a policy.wasm entrypoint', async () => {
    const { slot, loader } = loaderWith('auto');
    await loader.load(() => wasmBundle(['example/echo', 'mcp/gateway/decision', 'example/builtin']));
    const { app } = testPdp({ bundle: slot.current() });
    const res = await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'echo', principal: ALICE });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allow: true, reason: 'decided in wasm', revision: 'w1' });
  });
});

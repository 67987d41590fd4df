import type { DecisionEngine } from './decision-engine';

/**
 * OPA's wasm resolvers: the documents a policy.wasm was compiled for are answered by it, every other
 * path by the Rego engine of the same bundle (the data API and discovery ask for more than the
 * compiled entrypoints).
 */
export function entrypointRoutedEngine(wasm: DecisionEngine, rego: DecisionEngine): DecisionEngine {
  const compiled = new Set(wasm.entrypoints);
  return {
    kind: 'wasm',
    entrypoints: wasm.entrypoints,
    evaluate: (path, input, options) => (compiled.has(path.join('/')) ? wasm : rego).evaluate(path, input, options),
  };
}

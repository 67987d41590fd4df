/**
 * What the decision path needs from a compiled bundle, whichever engine runs it (our native Rego
 * engine or OPA's wasm). The HTTP layer depends only on this, never on an engine directly.
 */
export interface DecisionEngine {
  readonly kind: 'native' | 'wasm';
  /** Entrypoints by slash path (`mcp/gateway/decision`), as in the bundle's `.manifest`. */
  readonly entrypoints: readonly string[];
  /**
   * The value of `data.<path>` for this input as plain JSON, or undefined when undefined.
   * Synchronous: decisions run entirely on one revision. Throws on evaluation errors.
   */
  evaluate(path: readonly string[], input: unknown, options?: EvaluateOptions): unknown;
}

export interface EvaluateOptions {
  /** Collect which rules produced the decision (the `explain` option) into `explanation`. */
  explain?: boolean;
  /** Filled by engines that can explain (the native one) when `explain` is set; others leave it empty. */
  explanation?: ExplainedRule[];
  /** Absolute `performance.now()` deadline; the engine aborts after it. */
  deadline?: number;
}

/** A rule whose body succeeded while the decision was evaluated. */
export interface ExplainedRule {
  /** Full path of the rule, e.g. `data.mcp.gateway.allow`. */
  rule: string;
  /** `file:row` of the rule. */
  location: string;
}

/** One activated bundle: immutable, swapped atomically by the bundle manager. */
export interface ActiveBundle {
  readonly revision: string;
  readonly engine: DecisionEngine;
  /** The bundle's base data as JSON (the discovery endpoints read the catalog from it). */
  readonly data: unknown;
  readonly source: string;
  readonly activatedAt: Date;
}

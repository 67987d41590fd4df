/**
 * Builds the document of a node holding partial rules (partial sets and objects, ref heads with
 * variables): every solution inserts a leaf at a key path. Objects created here may be extended
 * by later solutions; a rule's own value may not (extending or replacing one is a conflict).
 */
import { RegoError } from '../errors';
import type { Location } from '../ast';
import { equal, ObjectValue, SetValue, type Value } from '../value';

export class DocBuilder {
  /** Collections this builder created (so may extend); created on first need: most documents are flat sets. */
  private ownedSet: Set<object> | null = null;
  readonly root: ObjectValue | SetValue;

  constructor(rootIsSet: boolean) {
    this.root = rootIsSet ? new SetValue() : new ObjectValue();
  }

  private get owned(): Set<object> {
    if (this.ownedSet === null) this.ownedSet = new Set([this.root]);
    return this.ownedSet;
  }

  private conflict(loc: Location | null): RegoError {
    return new RegoError('eval_conflict_error', 'object keys must be unique', loc);
  }

  /** The object at `keys` (created as needed), for inserting below it. */
  private container(keys: readonly Value[], upTo: number, loc: Location | null): ObjectValue {
    let node = this.root as ObjectValue;
    for (let i = 0; i < upTo; i++) {
      const existing = node.get(keys[i]);
      if (existing === undefined) {
        const child = new ObjectValue();
        this.owned.add(child);
        node.set(keys[i], child);
        node = child;
      } else if (existing instanceof ObjectValue && this.owned.has(existing)) {
        node = existing;
      } else {
        throw this.conflict(loc);
      }
    }
    return node;
  }

  /** A single-value leaf (`p[k] := v`, `p.a[x].b := v`). */
  put(keys: readonly Value[], value: Value, loc: Location | null): void {
    const parent = this.container(keys, keys.length - 1, loc);
    const last = keys[keys.length - 1];
    const existing = parent.get(last);
    if (existing === undefined) parent.set(last, value);
    else if ((existing instanceof ObjectValue && this.owned.has(existing)) || !equal(existing, value)) throw this.conflict(loc);
  }

  /** A multi-value leaf (`p contains x`, `p[k] contains x`). */
  add(keys: readonly Value[], value: Value, loc: Location | null): void {
    if (keys.length === 0) {
      (this.root as SetValue).add(value);
      return;
    }
    const parent = this.container(keys, keys.length - 1, loc);
    const last = keys[keys.length - 1];
    let set = parent.get(last);
    if (set === undefined) {
      set = new SetValue();
      this.owned.add(set);
      parent.set(last, set);
    } else if (!(set instanceof SetValue) || !this.owned.has(set)) {
      throw this.conflict(loc);
    }
    set.add(value);
  }
}
